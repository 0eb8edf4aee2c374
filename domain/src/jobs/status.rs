//! The job state machine. Everything that changes a job's status asks [`JobStatus::after`].

use facet::Facet;
use serde::{Deserialize, Serialize};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JobStatus {
    New,
    Assigned,
    EnRoute,
    OnSite,
    Completed,
    NeedsFollowUp,
    Cancelled,
}

/// What someone can do to a job.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JobAction {
    /// Give the job to a technician, or move it to another one.
    Assign,
    Unassign,
    StartTravel,
    Arrive,
    Complete,
    /// End the visit without finishing: parts or a return visit needed.
    NeedFollowUp,
    Cancel,
}

impl JobAction {
    pub const ALL: [JobAction; 7] = [
        JobAction::Assign,
        JobAction::Unassign,
        JobAction::StartTravel,
        JobAction::Arrive,
        JobAction::Complete,
        JobAction::NeedFollowUp,
        JobAction::Cancel,
    ];

    /// Whether the technician on the job (rather than the office) performs the action.
    #[must_use]
    pub fn is_field_action(self) -> bool {
        matches!(
            self,
            JobAction::StartTravel
                | JobAction::Arrive
                | JobAction::Complete
                | JobAction::NeedFollowUp
        )
    }
}

impl JobStatus {
    /// The status an action leads to from this one, or `None` when the action is not allowed.
    /// Unassigning and reassigning are only possible before the technician sets off.
    #[must_use]
    pub fn after(self, action: JobAction) -> Option<JobStatus> {
        use JobAction as A;
        use JobStatus as S;
        match (self, action) {
            (S::New | S::Assigned | S::NeedsFollowUp, A::Assign) => Some(S::Assigned),
            (S::Assigned, A::Unassign) => Some(S::New),
            (S::Assigned, A::StartTravel) => Some(S::EnRoute),
            (S::EnRoute, A::Arrive) => Some(S::OnSite),
            (S::OnSite, A::Complete) => Some(S::Completed),
            (S::EnRoute | S::OnSite, A::NeedFollowUp) => Some(S::NeedsFollowUp),
            (S::New | S::Assigned | S::EnRoute | S::NeedsFollowUp, A::Cancel) => Some(S::Cancelled),
            _ => None,
        }
    }

    /// The actions the state machine allows now, in the order a screen shows them.
    #[must_use]
    pub fn allowed(self) -> Vec<JobAction> {
        JobAction::ALL
            .into_iter()
            .filter(|a| self.after(*a).is_some())
            .collect()
    }

    /// Whether a technician must be on the job in this status.
    #[must_use]
    pub fn needs_technician(self) -> bool {
        matches!(
            self,
            JobStatus::Assigned | JobStatus::EnRoute | JobStatus::OnSite | JobStatus::Completed
        )
    }

    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_walks_to_completed() {
        let mut s = JobStatus::New;
        for a in [
            JobAction::Assign,
            JobAction::StartTravel,
            JobAction::Arrive,
            JobAction::Complete,
        ] {
            s = s.after(a).unwrap_or_else(|| panic!("{a:?} from {s:?}"));
        }
        assert_eq!(s, JobStatus::Completed);
        assert!(s.allowed().is_empty());
    }

    #[test]
    fn no_unassign_or_reassign_once_en_route() {
        assert_eq!(JobStatus::EnRoute.after(JobAction::Unassign), None);
        assert_eq!(JobStatus::EnRoute.after(JobAction::Assign), None);
        assert_eq!(JobStatus::OnSite.after(JobAction::Assign), None);
        assert_eq!(
            JobStatus::Assigned.after(JobAction::Assign),
            Some(JobStatus::Assigned)
        );
    }

    #[test]
    fn final_states_allow_nothing() {
        for s in [JobStatus::Completed, JobStatus::Cancelled] {
            assert!(s.is_final());
            assert!(s.allowed().is_empty(), "{s:?}");
        }
    }
}
