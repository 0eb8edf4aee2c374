//! A day plan as handed to the dispatcher: an ordered, timed route per technician and every job
//! left out with the reason.

use serde::{Deserialize, Serialize};

use super::problem::{JobId, TechnicianId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VisitKind {
    Job(JobId),
    /// Index into the technician's `breaks`.
    Break(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub kind: VisitKind,
    pub arrival: i64,
    pub wait: i64,
    pub start: i64,
    pub departure: i64,
    /// Underway work the planner did not and may not move.
    pub fixed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechRoute {
    pub technician: TechnicianId,
    pub visits: Vec<Visit>,
    /// Arrival at the end location (or departure from the last visit when there is none).
    pub end: i64,
    pub travel_seconds: i64,
    pub metres: i64,
}

impl TechRoute {
    pub fn jobs(&self) -> impl Iterator<Item = &JobId> {
        self.visits.iter().filter_map(|v| match &v.kind {
            VisitKind::Job(j) => Some(j),
            VisitKind::Break(_) => None,
        })
    }
}

/// Why no technician got a job; the most specific reason that holds for every technician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnassignedReason {
    /// Nobody has the skills (or the pinned technician lacks them).
    NoQualifiedTechnician,
    /// Every qualified technician's shift misses the job's windows.
    OutsideShift,
    /// The windows cannot be reached even with an otherwise empty day.
    WindowUnreachable,
    /// Every qualified technician is at their job limit.
    OverMaxJobs,
    OverCapacity,
    /// It fits alone, but the day is full: other jobs would have to go.
    NoRoomInPlan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unassigned {
    pub job: JobId,
    pub reason: UnassignedReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub routes: Vec<TechRoute>,
    pub unassigned: Vec<Unassigned>,
}

impl Plan {
    pub fn metres(&self) -> i64 {
        self.routes.iter().map(|r| r.metres).sum()
    }

    pub fn travel_seconds(&self) -> i64 {
        self.routes.iter().map(|r| r.travel_seconds).sum()
    }

    /// Technician and start per job.
    pub fn assignment(&self) -> impl Iterator<Item = (&TechnicianId, &JobId, i64)> {
        self.routes.iter().flat_map(|r| {
            r.visits.iter().filter_map(move |v| match &v.kind {
                VisitKind::Job(j) => Some((&r.technician, j, v.start)),
                VisitKind::Break(_) => None,
            })
        })
    }
}
