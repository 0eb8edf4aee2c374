//! "Plan my day": the engine's plan turned into a proposal of changes (ops), routes and the
//! jobs left out, with reasons.

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

    /// Words a plan as a proposal against the board's current plan.
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
                let (job, number, label) = match &v.kind {
                    VisitKind::Job(id) => match self.info(id) {
                        Some(i) => (Some(i.id), Some(i.number.clone()), i.number.clone()),
                        None => continue,
                    },
                    VisitKind::Break(_) => (None, None, "Break".to_owned()),
                };
                let mut changed = false;
                if let (Some(id), false) = (job, v.fixed) {
                    let info = self.info(&job_id(id)).expect("looked up above");
                    let start = self.at(v.start);
                    let kind = match (info.status, info.technician) {
                        (JobStatus::Assigned, Some(was)) if was != t.user => {
                            Some(PlanChangeKind::Reassign { from: was })
                        }
                        (JobStatus::Assigned, Some(_)) => match info.planned_start {
                            Some(ps)
                                if (ps - start).num_seconds().abs() < RETIME_THRESHOLD_SECONDS =>
                            {
                                None
                            }
                            previous => Some(PlanChangeKind::Retime { from: previous }),
                        },
                        _ => Some(PlanChangeKind::Assign),
                    };
                    if let Some(kind) = kind {
                        changed = true;
                        let detail = match &kind {
                            PlanChangeKind::Assign => {
                                format!("{} to {} at {}", info.number, t.name, self.clock(v.start))
                            }
                            PlanChangeKind::Reassign { from } => format!(
                                "{} moves from {} to {} at {}",
                                info.number,
                                self.name_of(*from),
                                t.name,
                                self.clock(v.start)
                            ),
                            PlanChangeKind::Retime { from } => format!(
                                "{} with {} moves from {} to {}",
                                info.number,
                                t.name,
                                from.map_or_else(
                                    || "no set time".to_owned(),
                                    |f| f.with_timezone(&self.tz).format("%H:%M").to_string()
                                ),
                                self.clock(v.start)
                            ),
                            PlanChangeKind::Keep => {
                                unreachable!("Keep is only made for dropped jobs")
                            }
                        };
                        changes.push(PlanChange {
                            job: info.id,
                            number: info.number.clone(),
                            technician: Some(t.user),
                            planned_start: Some(start),
                            kind,
                            detail,
                        });
                    }
                }
                visits.push(ProposedVisit {
                    job,
                    number,
                    label,
                    arrival: self.at(v.arrival),
                    start: self.at(v.start),
                    end: self.at(v.departure),
                    fixed: v.fixed,
                    changed,
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
            let (reason, detail) = unassigned_words(&u.reason);
            if let Some(was) = before.get(&u.job).and_then(|t| self.tech(t)) {
                changes.push(PlanChange {
                    job: info.id,
                    number: info.number.clone(),
                    technician: Some(was.user),
                    planned_start: info.planned_start,
                    kind: PlanChangeKind::Keep,
                    detail: format!(
                        "{} stays with {}, but no longer fits their day: {}",
                        info.number, was.name, detail
                    ),
                });
            }
            unassigned.push(UnplacedJob {
                job: info.id,
                number: info.number.clone(),
                reason,
                detail: detail.to_owned(),
            });
        }
        for (info, why) in &self.skipped {
            let (reason, detail) = match why {
                SkipReason::NoPosition => (
                    UnplacedReason::NoPosition,
                    "the service address has no map position",
                ),
                SkipReason::WaitingForParts => {
                    (UnplacedReason::WaitingForParts, "waiting for parts")
                }
            };
            unassigned.push(UnplacedJob {
                job: info.id,
                number: info.number.clone(),
                reason,
                detail: detail.to_owned(),
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

pub(crate) fn unassigned_words(r: &UnassignedReason) -> (UnplacedReason, &'static str) {
    match r {
        UnassignedReason::NoQualifiedTechnician => (
            UnplacedReason::NoQualifiedTechnician,
            "no technician working that day has the skills",
        ),
        UnassignedReason::OutsideShift => (
            UnplacedReason::OutsideShift,
            "its windows are outside the hours of every qualified technician",
        ),
        UnassignedReason::WindowUnreachable => (
            UnplacedReason::WindowUnreachable,
            "no qualified technician can reach it within its window",
        ),
        UnassignedReason::OverMaxJobs => (
            UnplacedReason::OverMaxJobs,
            "every qualified technician already has their most jobs for the day",
        ),
        UnassignedReason::OverCapacity => (
            UnplacedReason::OverCapacity,
            "no qualified technician's van has room for it",
        ),
        UnassignedReason::NoRoomInPlan => (
            UnplacedReason::NoRoomInPlan,
            "it would fit alone, but the day is full: another job would have to go",
        ),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposedVisit {
    /// `None` for a break.
    pub job: Option<JobId>,
    pub number: Option<String>,
    pub label: String,
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
    /// The plan has no room for an assigned job; it stays as it is (no op).
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
    pub detail: String,
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
            }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UnplacedReason {
    NoQualifiedTechnician,
    OutsideShift,
    WindowUnreachable,
    OverMaxJobs,
    OverCapacity,
    NoRoomInPlan,
    NoPosition,
    WaitingForParts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnplacedJob {
    pub job: JobId,
    pub number: String,
    pub reason: UnplacedReason,
    pub detail: String,
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
