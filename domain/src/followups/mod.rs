//! Follow-up tasks: someone must call, visit or check on a customer, lead or job by a time.

pub mod rules;
mod why;

pub use why::Why;

use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, FollowUpId, JobId, LeadId, OrgId, StoreId, UserId};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    pub id: FollowUpId,
    pub org: OrgId,
    pub store: StoreId,
    pub subject: Subject,
    pub due_at: DateTime<Utc>,
    pub reason: Reason,
    pub owner: UserId,
    pub status: FollowUpStatus,
    /// What the person wrote; empty for rule follow-ups, whose story is `why`.
    pub note: String,
    /// What the rule saw, for a rule follow-up; absent for manual ones and for those stored
    /// before it existed (their rule wrote it into `note`, in English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Why>,
    pub created_at: DateTime<Utc>,
    /// Who owned it before a reassignment, so that sync can tell their devices to drop it.
    #[serde(default)]
    pub previous_owners: Vec<UserId>,
}

impl FollowUp {
    /// Open or snoozed: still waiting for someone to act.
    #[must_use]
    pub fn is_open(&self) -> bool {
        !matches!(self.status, FollowUpStatus::Done { .. })
    }

    /// When it should next demand attention.
    #[must_use]
    pub fn effective_due(&self) -> DateTime<Utc> {
        match self.status {
            FollowUpStatus::Snoozed { until } => until.max(self.due_at),
            _ => self.due_at,
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Subject {
    Customer(CustomerId),
    Lead(LeadId),
    Job(JobId),
}

/// Why the follow-up exists: a rule (by id, e.g. `satisfaction-call`) or a person's decision.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Reason {
    Rule(String),
    Manual,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FollowUpStatus {
    Open,
    Done { at: DateTime<Utc> },
    Snoozed { until: DateTime<Utc> },
}
