//! The follow-up rules as data: one [`FollowUpRules`] per organization, kept in
//! `Organization.settings.follow_up_rules`. Every rule can be switched off or tuned; missing
//! fields read as the defaults, so organizations stored before rules existed still load.

use serde::{Deserialize, Serialize};

use crate::ids::{StoreId, UserId};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpRules {
    pub new_lead: NewLeadRule,
    pub stale_lead: StaleLeadRule,
    pub satisfaction_call: SatisfactionRule,
    pub low_score: LowScoreRule,
    pub churn: ChurnRule,
    /// A customer who has lapsed and agreed to marketing is written to or called to win them
    /// back (a marketing contact: never to a customer who has not agreed).
    pub win_back: Switch,
    pub vip: VipRule,
    pub maintenance: Switch,
    pub warranty: WarrantyRule,
    pub birthday: Switch,
    /// A follow-up is made this many days before it is due, so that the phone can schedule
    /// its reminder while it still has the data (and fire it with no signal).
    pub create_ahead_days: u32,
    /// A one-off trigger (a finished job, a birthday) that nobody's device saw for this long
    /// is let go: a satisfaction call three months late does more harm than good.
    pub catch_up_days: u32,
    /// Who "the store manager" is, per store. A store not listed here falls back to its
    /// dispatchers (the first by login), then to the organization's admins.
    pub managers: Vec<StoreManager>,
}

impl Default for FollowUpRules {
    fn default() -> Self {
        Self {
            new_lead: NewLeadRule::default(),
            stale_lead: StaleLeadRule::default(),
            satisfaction_call: SatisfactionRule::default(),
            low_score: LowScoreRule::default(),
            churn: ChurnRule::default(),
            win_back: Switch::default(),
            vip: VipRule::default(),
            maintenance: Switch::default(),
            warranty: WarrantyRule::default(),
            birthday: Switch::default(),
            create_ahead_days: 3,
            catch_up_days: 14,
            managers: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Switch {
    pub enabled: bool,
}

impl Default for Switch {
    fn default() -> Self {
        Self { enabled: true }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLeadRule {
    pub enabled: bool,
    /// Working minutes (store hours) from the lead's creation to the first contact.
    pub first_contact_working_minutes: u32,
    /// Days after the 1st, 2nd, ... contact in the current stage; the cadence ends after the
    /// last entry (the stale-lead rule takes over).
    pub cadence_days: Vec<u32>,
}

impl Default for NewLeadRule {
    fn default() -> Self {
        Self {
            enabled: true,
            first_contact_working_minutes: 120,
            cadence_days: vec![1, 3, 7, 14],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaleLeadRule {
    pub enabled: bool,
    pub after_days: u32,
    /// Also raise it for the store manager.
    pub tell_manager: bool,
}

impl Default for StaleLeadRule {
    fn default() -> Self {
        Self {
            enabled: true,
            after_days: 30,
            tell_manager: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SatisfactionRule {
    pub enabled: bool,
    pub after_days: u32,
}

impl Default for SatisfactionRule {
    fn default() -> Self {
        Self {
            enabled: true,
            after_days: 2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LowScoreRule {
    pub enabled: bool,
    /// A satisfaction score at or below this (1 to 5) escalates.
    pub max_score: u8,
    /// The escalation is due this many hours after the job was completed.
    pub within_hours: u32,
    /// Also give the customer's rep a follow-up.
    pub tell_rep: bool,
}

impl Default for LowScoreRule {
    fn default() -> Self {
        Self {
            enabled: true,
            max_score: 3,
            within_hours: 24,
            tell_rep: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChurnRule {
    /// When a customer's churn risk turns high (`crate::purchases::value`, with the
    /// organization's `customer_value` thresholds), their rep is asked to call.
    pub enabled: bool,
}

impl Default for ChurnRule {
    fn default() -> Self {
        Self { enabled: true }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VipRule {
    pub enabled: bool,
    /// Minor units: a customer who bought more than this in the last 365 days is a VIP.
    pub annual_spend_over: i64,
    pub every_days: u32,
}

impl Default for VipRule {
    fn default() -> Self {
        Self {
            enabled: true,
            // 50,000.00 in the organization's currency.
            annual_spend_over: 5_000_000,
            every_days: 30,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyRule {
    pub enabled: bool,
    pub days_before: u32,
}

impl Default for WarrantyRule {
    fn default() -> Self {
        Self {
            enabled: true,
            days_before: 30,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreManager {
    pub store: StoreId,
    pub user: UserId,
}
