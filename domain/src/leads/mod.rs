//! Sales leads, the pipeline they move through, and the interactions logged along the way.

use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::customers::Phone;
use crate::ids::{CustomerId, InteractionId, JobId, LeadId, OrgId, StoreId, UserId};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    pub id: LeadId,
    pub org: OrgId,
    pub store: StoreId,
    /// A lead is a known customer or just a name and a number from a walk-in.
    pub customer: Option<CustomerId>,
    pub name: String,
    pub phone: Option<Phone>,
    pub source: LeadSource,
    pub interest: Interest,
    pub stage: Stage,
    pub owner: UserId,
    /// Minor units of the organization's currency.
    pub expected_value: i64,
    pub next_follow_up_at: Option<DateTime<Utc>>,
    pub lost_reason: Option<String>,
    pub won_value: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub stage_changed_at: DateTime<Utc>,
    pub history: Vec<StageChange>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub from: Stage,
    pub to: Stage,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LeadSource {
    WalkIn,
    Phone,
    Website,
    Referral,
    Event,
    Campaign,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interest {
    /// A code of the organization's catalogue ([`InterestCategory`]).
    pub category: String,
    pub budget: Option<i64>,
    pub model: Option<String>,
}

/// A category of the organization's catalogue (`OrgSettings::interests`): the code a lead's
/// [`Interest::category`] holds, and its name in each language. Data, like a skill: each
/// organization names what it sells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterestCategory {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
}

/// The pipeline. Open stages are ordered; Won and Lost are final.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Stage {
    New,
    Contacted,
    Qualified,
    Proposal,
    Won,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::New,
        Stage::Contacted,
        Stage::Qualified,
        Stage::Proposal,
        Stage::Won,
        Stage::Lost,
    ];

    #[must_use]
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Won | Stage::Lost)
    }

    /// Leads only move forward; a lead can be lost from any open stage, and won once it is
    /// at least qualified (a deal closed on the spot skips the written proposal).
    #[must_use]
    pub fn can_move_to(self, to: Stage) -> bool {
        match to {
            _ if !self.is_open() => false,
            Stage::Lost => true,
            Stage::Won => self >= Stage::Qualified,
            _ => to > self,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interaction {
    pub id: InteractionId,
    pub org: OrgId,
    pub kind: InteractionKind,
    pub outcome: String,
    pub at: DateTime<Utc>,
    pub author: UserId,
    pub customer: Option<CustomerId>,
    pub lead: Option<LeadId>,
    pub job: Option<JobId>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum InteractionKind {
    Call,
    Visit,
    Message,
    Note,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipeline_only_moves_forward() {
        assert!(Stage::New.can_move_to(Stage::Contacted));
        assert!(Stage::New.can_move_to(Stage::Qualified));
        assert!(!Stage::Qualified.can_move_to(Stage::Contacted));
        assert!(!Stage::New.can_move_to(Stage::Won));
        assert!(Stage::Proposal.can_move_to(Stage::Won));
        assert!(Stage::New.can_move_to(Stage::Lost));
        assert!(!Stage::Won.can_move_to(Stage::Lost));
        assert!(!Stage::Lost.can_move_to(Stage::New));
    }
}
