//! "Plan my day": the engine's plan turned into a proposal of changes (ops), routes and the
//! jobs left out, with typed reasons (worded by the client).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use domain::ids::{JobId, StoreId, UserId};
use domain::jobs::JobStatus;
use domain::ops::OpKind;
use vrptw::plan::{PlanOptions, current, plan, replan};
use vrptw::problem::{self as p, Problem};
use vrptw::solution::{Plan, TechRoute, UnassignedReason, VisitKind};
use vrptw::solve::Stop;
use vrptw::travel::TravelTimes;

use crate::*;

impl Day {
    /// Plans the day within `stop` and says what would change. Today's assignments are the
    /// starting point: moving a job costs extra, so the proposal stays close to them.
    ///
    /// Jobs that need a crew are placed first, each where a whole crew can start it together,
    /// and pinned there while the rest is planned around them (`crew.rs`).
    pub fn plan(
        &self,
        board: &Board,
        travel: &dyn TravelTimes,
        options: &PlanOptions,
        stop: &mut dyn Stop,
    ) -> PlanProposal {
        let (problem, previous, mut no_crew) = match self.place_crews(board, travel) {
            Some(placed) => placed,
            None => (board.problem.clone(), board.current.clone(), Vec::new()),
        };
        let any_assigned = previous.routes.iter().any(|r| r.jobs().next().is_some());
        let mut proposed = if any_assigned {
            replan(&problem, &previous, options, stop)
        } else {
            plan(&problem, options, stop)
        };
        // Pinned copies can still be dropped by the solver; a crew job is placed whole or not
        // at all.
        let half = crew::half_staffed(&problem, &proposed);
        if !half.is_empty() {
            let keep: Vec<(p::TechnicianId, Vec<p::JobId>)> = proposed
                .routes
                .iter()
                .map(|r| {
                    let jobs = movable(r)
                        .filter(|id| !half.iter().any(|h| crew::split(id).0 == h.0))
                        .collect();
                    (r.technician.clone(), jobs)
                })
                .collect();
            let unassigned = proposed.unassigned.clone();
            proposed = current(&problem, &keep);
            proposed.unassigned = unassigned;
            no_crew.extend(half);
        }
        let mut out = self.proposal(board, &proposed);
        for id in no_crew {
            let Some(info) = self.info(&id) else { continue };
            out.unassigned.retain(|u| u.job != info.id);
            out.unassigned.push(UnplacedJob {
                job: info.id,
                number: info.number.clone(),
                reason: UnplacedReason::NoCrew {
                    size: info.crew_size,
                },
            });
        }
        out
    }

    /// The board's problem with every crew job pinned where a whole crew can start it, and
    /// the plan to start from (today's other assignments and the crews); and the crew jobs no
    /// crew can take together. `None` when the day has no crew job to place.
    fn place_crews(
        &self,
        board: &Board,
        travel: &dyn TravelTimes,
    ) -> Option<(Problem, Plan, Vec<p::JobId>)> {
        let crews: Vec<(p::JobId, u8)> = crew::crew_jobs(&board.problem)
            .into_iter()
            .filter(|(id, _)| {
                board
                    .problem
                    .job_index(id)
                    .and_then(|j| board.problem.client_of_job(j))
                    .is_some()
            })
            .collect();
        if crews.is_empty() {
            return None;
        }
        let technicians = board.problem.technicians().to_vec();
        let mut jobs = board.problem.jobs().to_vec();
        // Today's assignments without the crews, which are all placed again.
        let mut assigned: Vec<(p::TechnicianId, Vec<(i64, p::JobId)>)> = board
            .current
            .routes
            .iter()
            .map(|r| {
                let kept = r
                    .visits
                    .iter()
                    .filter(|v| !v.fixed)
                    .filter_map(|v| match &v.kind {
                        VisitKind::Job(id)
                            if !crews.iter().any(|(c, _)| crew::split(id).0 == c.0) =>
                        {
                            Some((v.start, id.clone()))
                        }
                        _ => None,
                    })
                    .collect();
                (r.technician.clone(), kept)
            })
            .collect();
        let lists = |assigned: &[(p::TechnicianId, Vec<(i64, p::JobId)>)]| {
            assigned
                .iter()
                .map(|(t, js)| (t.clone(), js.iter().map(|(_, j)| j.clone()).collect()))
                .collect::<Vec<_>>()
        };
        let mut left_out = Vec::new();
        for (lead, size) in crews {
            let problem = Problem::new(technicians.clone(), jobs.clone(), travel, self.now).ok()?;
            let plan = current(&problem, &lists(&assigned));
            let job = problem.jobs().iter().find(|j| j.id == lead)?.clone();
            // A crew that can still meet when it was told to keeps its job: a re-plan moves
            // people only where it must, as for any other assigned job.
            let kept = self.info(&lead).and_then(|info| {
                let start = (info.planned_start? - self.midnight).num_seconds();
                let who: Vec<p::TechnicianId> = (0..size)
                    .map(|k| info.worker(k).map(tech_id))
                    .collect::<Option<_>>()?;
                crew::crew_at(&problem, &plan, &job, &who, start, travel)
            });
            let (options, _) = match kept {
                Some(k) => (vec![k], Vec::new()),
                None => crew::crew_options(&problem, &plan, &job, size, travel),
            };
            let Some(best) = options.first() else {
                jobs.retain(|j| crew::split(&j.id).0 != lead.0);
                left_out.push(lead);
                continue;
            };
            for (k, member) in best.members.iter().enumerate() {
                let id = crew::copy_id(&lead, k as u8);
                if let Some(j) = jobs.iter_mut().find(|j| j.id == id) {
                    j.pinned_technician = Some(member.technician.clone());
                    j.pinned_start = Some(best.start);
                }
                if let Some((_, js)) = assigned.iter_mut().find(|(t, _)| *t == member.technician) {
                    js.push((best.start, id));
                    js.sort();
                }
            }
        }
        let problem = Problem::new(technicians, jobs, travel, self.now).ok()?;
        let previous = current(&problem, &lists(&assigned));
        Some((problem, previous, left_out))
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
        // Who each copy of a job goes to: a crew job's change names its whole crew.
        let mut crews: HashMap<JobId, BTreeMap<u8, UserId>> = HashMap::new();
        for r in &proposed.routes {
            let Some(t) = self.tech(&r.technician) else {
                continue;
            };
            for v in r.visits.iter().filter(|v| !v.fixed) {
                if let VisitKind::Job(id) = &v.kind
                    && let Some((info, k)) = self.copy_of(id)
                {
                    crews.entry(info.id).or_default().insert(k, t.user);
                }
            }
        }
        let mut changed: Vec<JobId> = Vec::new();
        for r in &proposed.routes {
            let Some(t) = self.tech(&r.technician) else {
                continue;
            };
            for v in r.visits.iter().filter(|v| !v.fixed) {
                let VisitKind::Job(id) = &v.kind else {
                    continue;
                };
                let Some((info, 0)) = self.copy_of(id) else {
                    continue;
                };
                let crew: Vec<UserId> = crews
                    .get(&info.id)
                    .map(|c| c.range(1..).map(|(_, u)| *u).collect())
                    .unwrap_or_default();
                if let Some(kind) = change_kind(info, t.user, &crew, self.at(v.start)) {
                    changed.push(info.id);
                    changes.push(PlanChange {
                        job: info.id,
                        number: info.number.clone(),
                        technician: Some(t.user),
                        crew,
                        planned_start: Some(self.at(v.start)),
                        kind,
                    });
                }
            }
        }
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
                visits.push(ProposedVisit {
                    job: info.map(|i| i.id),
                    number: info.map(|i| i.number.clone()),
                    arrival: self.at(v.arrival),
                    start: self.at(v.start),
                    end: self.at(v.departure),
                    fixed: v.fixed,
                    changed: !v.fixed && info.is_some_and(|i| changed.contains(&i.id)),
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
            if unassigned.iter().any(|x: &UnplacedJob| x.job == info.id) {
                continue;
            }
            if let Some(was) = before.get(&u.job).and_then(|t| self.tech(t)) {
                changes.push(PlanChange {
                    job: info.id,
                    number: info.number.clone(),
                    technician: Some(was.user),
                    crew: info.crew.clone(),
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

/// The jobs of a route the planner may move (not those under way).
fn movable(r: &TechRoute) -> impl Iterator<Item = p::JobId> + '_ {
    r.visits
        .iter()
        .filter(|v| !v.fixed)
        .filter_map(|v| match &v.kind {
            VisitKind::Job(id) => Some(id.clone()),
            VisitKind::Break(_) => None,
        })
}

/// What placing `info` with `technician` at `start` changes, if anything worth an op.
fn change_kind(
    info: &JobInfo,
    technician: UserId,
    crew: &[UserId],
    start: DateTime<Utc>,
) -> Option<PlanChangeKind> {
    match (info.status, info.technician) {
        (JobStatus::Assigned, Some(was)) if was != technician => {
            Some(PlanChangeKind::Reassign { from: was })
        }
        (JobStatus::Assigned, Some(_)) if info.crew != crew => Some(PlanChangeKind::NewCrew),
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
    /// Same technician, another crew beside them.
    NewCrew,
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
    /// The others who work it beside `technician`, for a job that needs a crew.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crew: Vec<UserId>,
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
                crew: self.crew.clone(),
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
    /// It needs `size` technicians at once, and no `size` of them can start it together.
    NoCrew { size: u8 },
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
