use facet::Facet;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::jobs::{JobAction, JobStatus};
use crate::leads::Stage;

/// Why an op was rejected, in words the person who made it can act on.
#[derive(Clone, Debug, Error, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OpError {
    #[error("the {kind} was not found (it may have been removed, or you cannot see it)")]
    NotFound { kind: RecordKind, id: Uuid },
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("a job that is {from} cannot be {action}")]
    Transition {
        from: StatusName,
        action: ActionName,
    },
    #[error("a lead cannot move from {from:?} to {to:?}")]
    Stage { from: Stage, to: Stage },
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("{0}")]
    Conflict(String),
    /// A new record's id is already in use (the app makes another and tries again).
    #[error("this {kind} id is already in use")]
    IdTaken { kind: RecordKind },
    /// The op's id was used before for a different change; nothing was applied.
    #[error("op id already used for another change")]
    OpIdUsed,
    /// Storage failed; the op was not applied and may be retried.
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
}

impl OpError {
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        OpError::Invalid {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    pub(crate) fn transition(from: JobStatus, action: JobAction) -> Self {
        OpError::Transition {
            from: StatusName(from),
            action: ActionName(action),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Facet)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordKind {
    Organization,
    Store,
    User,
    Technician,
    Customer,
    Asset,
    Job,
    Lead,
    Interaction,
    FollowUp,
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RecordKind::Organization => "organization",
            RecordKind::Store => "store",
            RecordKind::User => "user",
            RecordKind::Technician => "technician",
            RecordKind::Customer => "customer",
            RecordKind::Asset => "asset",
            RecordKind::Job => "job",
            RecordKind::Lead => "lead",
            RecordKind::Interaction => "interaction",
            RecordKind::FollowUp => "follow-up",
        })
    }
}

/// A job status as words in an error message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusName(pub JobStatus);

impl std::fmt::Display for StatusName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            JobStatus::New => "not yet assigned",
            JobStatus::Assigned => "assigned",
            JobStatus::EnRoute => "en route",
            JobStatus::OnSite => "on site",
            JobStatus::Completed => "completed",
            JobStatus::NeedsFollowUp => "waiting for a follow-up",
            JobStatus::Cancelled => "cancelled",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionName(pub JobAction);

impl std::fmt::Display for ActionName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            JobAction::Assign => "assigned or reassigned",
            JobAction::Unassign => "unassigned",
            JobAction::StartTravel => "started (en route)",
            JobAction::Arrive => "marked on site",
            JobAction::Complete => "completed",
            JobAction::NeedFollowUp => "marked as needing a follow-up",
            JobAction::Cancel => "cancelled",
        })
    }
}
