//! Customers: who we serve, where they live, what tier of service they are entitled to.

pub mod assets;
pub mod phone;

use chrono::{DateTime, NaiveDate, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, OrgId, StoreId, UserId, short_code};
use crate::places::Address;

pub use assets::{Asset, WarrantyStatus};
pub use phone::Phone;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: CustomerId,
    pub org: OrgId,
    pub store: StoreId,
    pub name: String,
    pub phones: Vec<Phone>,
    pub address: Address,
    pub kind: CustomerKind,
    pub tags: Vec<String>,
    pub tier: Tier,
    pub marketing_consent: bool,
    pub birthday: Option<NaiveDate>,
    /// The sales rep who owns the relationship.
    pub owner: Option<UserId>,
    pub created_at: DateTime<Utc>,
    /// Set when this record was merged into another; the record stays so old links resolve.
    pub merged_into: Option<CustomerId>,
    /// Reps who owned the customer before: their devices drop its jobs (`server/src/sync.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_owners: Vec<UserId>,
    /// Who last changed each field and when, for the fields changed by an edit that said what
    /// its author saw (`crate::conflicts`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<crate::conflicts::FieldEdit>,
    /// When their personal data was erased on their request (`ops/erasure.rs`): the name is
    /// their customer number from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erased: Option<DateTime<Utc>>,
}

impl Customer {
    /// The number printed on receipts and read out on the phone.
    #[must_use]
    pub fn number(&self) -> String {
        short_code('C', self.id.0)
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CustomerKind {
    Individual,
    /// A school, church, concert hall: many instruments, one contact.
    Institution,
    Business,
}

/// Membership tier. Higher tiers are entitled to faster service.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Tier {
    Standard,
    Silver,
    Gold,
    Diamond,
}

impl Tier {
    /// Hours within which an emergency repair must be done, if the tier promises one.
    #[must_use]
    pub fn emergency_repair_hours(self) -> Option<u32> {
        match self {
            Tier::Diamond => Some(24),
            Tier::Gold => Some(48),
            Tier::Silver | Tier::Standard => None,
        }
    }

    /// Discount on labour, in percent, printed on the job sheet.
    #[must_use]
    pub fn labour_discount_pct(self) -> u8 {
        match self {
            Tier::Standard => 0,
            Tier::Silver => 5,
            Tier::Gold => 10,
            Tier::Diamond => 20,
        }
    }
}
