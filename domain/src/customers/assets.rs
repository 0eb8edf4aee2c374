//! What a customer bought from us and we service: a piano, a drill, an air conditioner.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::{AssetId, CustomerId, OrgId};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Asset {
    pub id: AssetId,
    pub org: OrgId,
    pub customer: CustomerId,
    pub product: String,
    pub category: String,
    pub serial_number: String,
    pub purchase_date: NaiveDate,
    /// Price in minor units of the organization's currency.
    pub price: i64,
    pub warranty_end: Option<NaiveDate>,
    pub last_service: Option<NaiveDate>,
    /// E.g. a piano is tuned every 182 days.
    pub maintenance_interval_days: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WarrantyStatus {
    None,
    Active { days_left: i64 },
    Expired,
}

impl Asset {
    #[must_use]
    pub fn warranty(&self, today: NaiveDate) -> WarrantyStatus {
        match self.warranty_end {
            None => WarrantyStatus::None,
            Some(end) if end >= today => WarrantyStatus::Active {
                days_left: (end - today).num_days(),
            },
            Some(_) => WarrantyStatus::Expired,
        }
    }

    /// When the next routine service is due, counted from the last service or the purchase.
    #[must_use]
    pub fn maintenance_due(&self) -> Option<NaiveDate> {
        let interval = self.maintenance_interval_days?;
        let from = self.last_service.unwrap_or(self.purchase_date);
        from.checked_add_days(Days::new(u64::from(interval)))
    }
}
