//! Why an op was refused, as values: the tables of [`crate::words`] word them (`Display` is the
//! English table's sentence), so a refusal reads in the person's language wherever it is shown.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::jobs::{JobAction, JobStatus};
use crate::leads::Stage;

pub use super::invalid::{AddressPart, Field, Problem};
pub use super::refusal::{Clash, Denied};

/// Why an op was rejected. Each variant names the rule or check that refused it, so that the
/// words can say what to do; none carries words of its own.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OpError {
    /// Also what another organization's record answers, so that its ids cannot be probed.
    NotFound {
        kind: RecordKind,
        id: Uuid,
    },
    /// A write rule (`docs/access.md`) refused the person.
    Forbidden(Denied),
    Transition {
        from: JobStatus,
        action: JobAction,
    },
    Stage {
        from: Stage,
        to: Stage,
    },
    /// A field of the form failed a check.
    Invalid {
        field: Field,
        problem: Problem,
    },
    /// The change does not fit the records as they now are.
    Conflict(Clash),
    /// A new record's id is already in use (the app makes another and tries again).
    IdTaken {
        kind: RecordKind,
    },
    /// The op's id was used before for a different change; nothing was applied.
    OpIdUsed,
    /// Storage failed; the op was not applied and may be retried (the device takes it as a
    /// refusal, so the person makes it again). The storage's own message is kept for the
    /// logs; the person reads a sentence from the tables.
    Unavailable(String),
}

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::words::Table;
        f.write_str(&crate::words::En.op_error(self))
    }
}

impl OpError {
    pub(crate) fn invalid(field: Field, problem: Problem) -> Self {
        OpError::Invalid { field, problem }
    }

    pub(crate) fn transition(from: JobStatus, action: JobAction) -> Self {
        OpError::Transition { from, action }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, facet::Facet)]
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
    Conflict,
    Purchase,
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::words::Table;
        f.write_str(crate::words::En.record_kind(*self))
    }
}
