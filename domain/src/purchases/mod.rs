//! Purchases: what a customer bought, when, where and for how much — a receipt with its
//! items. They come from file imports, the point of sale and the console, always through
//! `OpKind::RecordPurchase`. From them come a customer's value (`value`: RFM scores, the
//! lifecycle stage, churn risk), which the churn and win-back follow-up rules read, and the
//! repeat-purchase numbers.
//!
//! Customers stored before purchases were records have only assets with a purchase date and
//! a price: `history` counts such an asset as a purchase of its own, unless a purchase record
//! names it, so that their value does not start from nothing.

pub mod value;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::customers::Asset;
use crate::ids::{AssetId, CustomerId, OrgId, PurchaseId, StoreId, UserId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Purchase {
    pub id: PurchaseId,
    pub org: OrgId,
    pub customer: CustomerId,
    /// The store that sold it.
    pub store: StoreId,
    /// The day of the sale, in the store's zone.
    pub on: NaiveDate,
    pub items: Vec<Item>,
    /// The total paid, in minor units of the organization's currency, after discounts (so
    /// not always the sum of the lines).
    pub amount: i64,
    pub source: Source,
    /// The receipt's number at the till, if it has one: how a point-of-sale system's repeat
    /// of the same sale is recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
}

/// One line of a receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub product: String,
    pub quantity: u32,
    /// The line's total, in minor units.
    pub amount: i64,
    /// The asset this line bought (a piano, a drill), when it is one the customer keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<AssetId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, facet::Facet)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Source {
    /// Typed in the console.
    Console,
    /// Brought over from a file (`crate::import`).
    Import,
    /// Sent by the till (the point-of-sale webhook).
    PointOfSale,
}

/// One purchase as the numbers see it: the day and the amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bought {
    pub on: NaiveDate,
    pub amount: i64,
}

/// A customer's purchases, oldest first: their purchase records, and each asset that no
/// purchase record names (bought before purchases were kept as records).
#[must_use]
pub fn history<'a>(
    purchases: impl IntoIterator<Item = &'a Purchase>,
    assets: impl IntoIterator<Item = &'a Asset>,
) -> Vec<Bought> {
    let purchases: Vec<&Purchase> = purchases.into_iter().collect();
    let named: std::collections::BTreeSet<AssetId> = purchases
        .iter()
        .flat_map(|p| p.items.iter().filter_map(|i| i.asset))
        .collect();
    let mut out: Vec<Bought> = purchases
        .iter()
        .map(|p| Bought {
            on: p.on,
            amount: p.amount,
        })
        .chain(
            assets
                .into_iter()
                .filter(|a| !named.contains(&a.id))
                .map(|a| Bought {
                    on: a.purchase_date,
                    amount: a.price,
                }),
        )
        .collect();
    out.sort();
    out
}
