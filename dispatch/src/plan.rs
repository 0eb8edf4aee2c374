//! "Plan my day": the engine's plan turned into a proposal of changes (ops), routes and the
//! jobs left out, with typed reasons (worded by the client).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use domain::ids::{JobId, StoreId, UserId};
use domain::jobs::JobStatus;
use domain::ops::OpKind;
use vrptw::plan::{PlanOptions, plan, replan};
use vrptw::problem::{self as p};
use vrptw::solution::{Plan, UnassignedReason, VisitKind};
use vrptw::solve::Stop;

use crate::*;

impl Day {
    /// Plans the day within `stop` and says what would change. Today's assignments are the
    /// starting point: moving a job costs extra, so the proposal stays close to them.
    pub fn plan(&self, board: &Board, options: &PlanOptions, stop: &mut dyn Stop) -> PlanProposal {
        let any_assigned = board
            .current
            .routes
            .iter()
            .any(|r| r.jobs().next().is_some());
        let proposed = if any_assigned {
            replan(&board.problem, &board.current, options, stop)
        } else {
            plan(&board.problem, options, stop)
        };
        self.proposal(board, &proposed)
    }

    /// A plan as a proposal against the board's current plan.
    #[must_use]
    pub fn proposal(&self, board: &Board, proposed: &Plan) -> PlanProposal {
        let mut changes = Vec::new();
        let mut routes = Vec::new();
        let before: HashMap<&p::JobId, &p::TechnicianId> = board
            .current
            .routes
            .iter()
            .flat_map(|r| r.jobs().map(move |j| (j, &r.technician)))
            .collect();
        for r in &proposed.routes {
            let Some(t) = self.tech(&r.technician) else {
                continue;
            };
            let mut visits = Vec::new();
            for v in &r.visits {
                let info = match &v.kind {
                    VisitKind::Job(id) => match self.info(id) {
                        Some(i) => Some(i),
                        None => continue,
                    },
                    VisitKind::Break(_) => None,
                };
                let change = info.filter(|_| !v.fixed).and_then(|info| {
                    change_kind(info, t.user, self.at(v.start)).map(|k| (info, k))
                });
                if let Some((info, kind)) = change {
                    changes.push(PlanChange {
                        job: info.id,
                        number: info.number.clone(),
                        technician: Some(t.user),
                        planned_start: Some(self.at(v.start)),
                        kind,
                    });
                }
                visits.push(ProposedVisit {
                    job: info.map(|i| i.id),
                    number: info.map(|i| i.number.clone()),
                    arrival: self.at(v.arrival),
                    start: self.at(v.start),
                    end: self.at(v.departure),
                    fixed: v.fixed,
                    changed: change.is_some(),
                });
            }
            routes.push(ProposedRoute {
                technician: t.user,
                name: t.name.clone(),
                visits,
                travel_seconds: r.travel_seconds,
                metres: r.metres,
            });
        }
        let mut unassigned = Vec::new();
        for u in &proposed.unassigned {
            let Some(info) = self.info(&u.job) else {
                continue;
            };
            if let Some(was) = before.get(&u.job).and_then(|t| self.tech(t)) {
                changes.push(PlanChange {
                    job: info.id,
                    number: info.number.clone(),
                    technician: Some(was.user),
                    planned_start: info.planned_start,
                    kind: PlanChangeKind::Keep,
                });
            }
            unassigned.push(UnplacedJob {
                job: info.id,
                number: info.number.clone(),
                reason: unplaced_reason(&u.reason),
            });
        }
        for (info, why) in &self.skipped {
            unassigned.push(UnplacedJob {
                job: info.id,
                number: info.number.clone(),
                reason: match why {
                    SkipReason::NoPosition => UnplacedReason::NoPosition,
                    SkipReason::WaitingForParts => UnplacedReason::WaitingForParts,
                },
            });
        }
        PlanProposal {
            store: self.store,
            date: self.date,
            routes,
            changes,
            unassigned,
            metres: proposed.metres(),
            travel_seconds: proposed.travel_seconds(),
            current_metres: board.current.metres(),
            current_travel_seconds: board.current.travel_seconds(),
        }
    }
}

/// What placing `info` with `technician` at `start` changes, if anything worth an op.
fn change_kind(info: &JobInfo, technician: UserId, start: DateTime<Utc>) -> Option<PlanChangeKind> {
    match (info.status, info.technician) {
        (JobStatus::Assigned, Some(was)) if was != technician => {
            Some(PlanChangeKind::Reassign { from: was })
        }
        (JobStatus::Assigned, Some(_)) => match info.planned_start {
            Some(ps) if (ps - start).num_seconds().abs() < RETIME_THRESHOLD_SECONDS => None,
            previous => Some(PlanChangeKind::Retime { from: previous }),
        },
        _ => Some(PlanChangeKind::Assign),
    }
}

pub(crate) fn unplaced_reason(r: &UnassignedReason) -> UnplacedReason {
    match r {
        UnassignedReason::NoQualifiedTechnician => UnplacedReason::NoQualifiedTechnician,
        UnassignedReason::OutsideShift => UnplacedReason::OutsideShift,
        UnassignedReason::WindowUnreachable => UnplacedReason::WindowUnreachable,
        UnassignedReason::OverMaxJobs => UnplacedReason::OverMaxJobs,
        UnassignedReason::OverCapacity => UnplacedReason::OverCapacity,
        UnassignedReason::NoRoomInPlan => UnplacedReason::NoRoomInPlan,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposedVisit {
    /// `None` for a break.
    pub job: Option<JobId>,
    pub number: Option<String>,
    pub arrival: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Under way; the plan did not move it.
    pub fixed: bool,
    /// Differs from today's assignments.
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposedRoute {
    pub technician: UserId,
    pub name: String,
    pub visits: Vec<ProposedVisit>,
    pub travel_seconds: i64,
    pub metres: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PlanChangeKind {
    /// An unassigned job gets a technician.
    Assign,
    Reassign {
        from: UserId,
    },
    /// Same technician, another time (or a time where there was none).
    Retime {
        from: Option<DateTime<Utc>>,
    },
    /// The plan has no room for an assigned job; it stays as it is (no op). Why is in the
    /// proposal's `unassigned`.
    Keep,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanChange {
    pub job: JobId,
    pub number: String,
    pub technician: Option<UserId>,
    pub planned_start: Option<DateTime<Utc>>,
    pub kind: PlanChangeKind,
}

impl PlanChange {
    /// The op that makes the change, if it is one.
    #[must_use]
    pub fn op(&self) -> Option<OpKind> {
        match (self.kind, self.technician) {
            (PlanChangeKind::Keep, _) | (_, None) => None,
            (_, Some(technician)) => Some(OpKind::AssignJob {
                job: self.job,
                technician,
                planned_start: self.planned_start,
                why: None,
            }),
        }
    }
}

/// Why a job is left out of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UnplacedReason {
    /// No technician working that day has the skills.
    NoQualifiedTechnician,
    /// Its windows are outside the hours of every qualified technician.
    OutsideShift,
    /// No qualified technician can reach it within its window.
    WindowUnreachable,
    /// Every qualified technician already has their most jobs for the day.
    OverMaxJobs,
    /// No qualified technician's van has room for it.
    OverCapacity,
    /// It would fit alone, but the day is full: another job would have to go.
    NoRoomInPlan,
    /// The service address has no map position.
    NoPosition,
    /// Waiting for parts.
    WaitingForParts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnplacedJob {
    pub job: JobId,
    pub number: String,
    pub reason: UnplacedReason,
}

/// A planned day: only a proposal until the dispatcher accepts it ([`PlanProposal::ops`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanProposal {
    pub store: StoreId,
    pub date: NaiveDate,
    pub routes: Vec<ProposedRoute>,
    /// What accepting would change against today's assignments.
    pub changes: Vec<PlanChange>,
    pub unassigned: Vec<UnplacedJob>,
    pub metres: i64,
    pub travel_seconds: i64,
    /// Driving of today's assignments as they stand, for comparison.
    pub current_metres: i64,
    pub current_travel_seconds: i64,
}

impl PlanProposal {
    /// The assignment ops that accepting the proposal makes.
    #[must_use]
    pub fn ops(&self) -> Vec<OpKind> {
        self.changes.iter().filter_map(PlanChange::op).collect()
    }
}
