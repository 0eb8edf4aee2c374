//! "Who should take this job?": every technician ranked by the cheapest feasible insertion into
//! their current day, with what it would do to the day, and every other technician with the
//! reason they cannot take it. Feasibility per position is O(1) from the route's precomputed
//! slack; legs to the new job come from [`TravelTimes`] so the job need not be in the matrix.

use serde::{Deserialize, Serialize};

use super::instance::{Instance, NO_LOC};
use super::plan::routes_of;
use super::problem::{Job, JobId, Problem, TechnicianId};
use super::route::{Insertion, Route};
use super::solution::Plan;
use super::travel::{Location, TravelTimes};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exclusion {
    MissingSkill(Vec<String>),
    /// The job is pinned to someone else.
    PinnedToOther,
    /// The job's windows do not overlap the shift at all.
    OutsideShift,
    /// No position in the day reaches a window without making another visit late.
    WindowUnreachable,
    OverMaxJobs,
    OverCapacity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedJob {
    pub job: JobId,
    pub from: i64,
    pub to: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub technician: TechnicianId,
    /// Index in the technician's visits where the job would go.
    pub position: usize,
    pub arrival: i64,
    /// Start of work.
    pub eta: i64,
    pub added_travel_seconds: i64,
    pub added_metres: i64,
    /// Seconds between finishing and the SLA deadline (negative when late).
    pub sla_slack: Option<i64>,
    /// Visits whose start would change.
    pub moved: Vec<MovedJob>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    pub technician: TechnicianId,
    pub reason: Exclusion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Cheapest first (added metres, then earliest start).
    pub candidates: Vec<Candidate>,
    pub excluded: Vec<Excluded>,
}

/// Ranks technicians for `job` against `plan`. If the job is already in the plan it is taken out
/// first, so this also answers "who else could do it?".
pub fn suggest(problem: &Problem, plan: &Plan, job: &Job, travel: &dyn TravelTimes) -> Suggestion {
    let inst = problem.instance();
    let mut routes = routes_of(problem, plan);
    if let Some(c) = problem
        .job_index(&job.id)
        .and_then(|j| problem.client_of_job(j))
    {
        for r in &mut routes {
            if let Some(i) = r.jobs.iter().position(|&x| x == c) {
                r.jobs.remove(i);
                r.update(inst);
            }
        }
    }
    let windows = job.effective_windows();
    let mut candidates = Vec::new();
    let mut excluded = Vec::new();
    for (t, route) in routes.iter().enumerate() {
        let tech = &problem.technicians()[t];
        match best_insertion(problem, route, job, &windows, travel) {
            Ok((ins, leg_out)) => {
                let (added_travel_seconds, added_metres) =
                    added_driving(problem, route, &ins, job, travel);
                let sla_slack = job.sla_deadline.map(|d| d - (ins.start + job.duration));
                let moved = moved_jobs(problem, route, &ins, job.duration, leg_out);
                let offset = usize::from(problem.underway(t).is_some());
                candidates.push(Candidate {
                    technician: tech.id.clone(),
                    position: ins.gap + offset,
                    arrival: ins.arrival,
                    eta: ins.start,
                    added_travel_seconds,
                    added_metres,
                    sla_slack,
                    moved,
                });
            }
            Err(reason) => excluded.push(Excluded {
                technician: tech.id.clone(),
                reason,
            }),
        }
    }
    candidates.sort_by(|a, b| {
        (a.added_metres, a.eta, &a.technician).cmp(&(b.added_metres, b.eta, &b.technician))
    });
    Suggestion {
        candidates,
        excluded,
    }
}

/// Cheapest feasible gap of `route` for `job`, with the travel seconds out of the job.
pub(crate) fn best_insertion(
    problem: &Problem,
    route: &Route,
    job: &Job,
    windows: &[(i64, i64)],
    travel: &dyn TravelTimes,
) -> Result<(Insertion, i64), Exclusion> {
    let inst = problem.instance();
    let t = route.vehicle;
    let tech = &problem.technicians()[t];
    let missing = job.missing_skills(tech);
    if !missing.is_empty() {
        return Err(Exclusion::MissingSkill(missing));
    }
    if job
        .pinned_technician
        .as_ref()
        .is_some_and(|p| *p != tech.id)
    {
        return Err(Exclusion::PinnedToOther);
    }
    let veh = &inst.vehicles[t];
    let in_shift = windows
        .iter()
        .any(|w| w.1 >= veh.available_from && w.0 <= veh.shift_end - job.duration);
    if !in_shift {
        return Err(Exclusion::OutsideShift);
    }
    if route.n_counted + 1 > veh.max_jobs {
        return Err(Exclusion::OverMaxJobs);
    }
    if route.load.saturating_add(job.demand) > veh.capacity {
        return Err(Exclusion::OverCapacity);
    }
    let mut best: Option<(Insertion, i64)> = None;
    for gap in 0..=route.jobs.len() {
        let (from, next) = route.gap_places(gap);
        let depart = route.depart_at(gap);
        let leg_in = leg(problem, travel, from, job.location, depart, true);
        let leg_out = leg(problem, travel, next, job.location, depart, false);
        if let Some(ins) = route.evaluate_with(
            inst,
            gap,
            windows,
            job.duration,
            true,
            (leg_in.0, leg_in.1),
            (leg_out.0, leg_out.1),
        ) && best
            .is_none_or(|b| (ins.delta_distance, ins.start) < (b.0.delta_distance, b.0.start))
        {
            best = Some((ins, leg_out.0));
        }
    }
    best.ok_or(Exclusion::WindowUnreachable)
}

/// What putting `job` in the gap of `ins` adds to the day's driving, as the dispatcher reads
/// it: the two legs to and from the job less the leg they replace, all three at the hour the
/// technician leaves the gap. The solver's own delta mixes that hour's speeds with the
/// matrix's (made for another hour), which can make a detour read as negative minutes when the
/// day's speeds change (issue 14); at one hour a detour never shortens a trip. What remains
/// below zero is rounding of whole seconds and metres.
fn added_driving(
    problem: &Problem,
    route: &Route,
    ins: &Insertion,
    job: &Job,
    travel: &dyn TravelTimes,
) -> (i64, i64) {
    let (from, next) = route.gap_places(ins.gap);
    let depart = route.depart_at(ins.gap);
    let leg_in = leg(problem, travel, from, job.location, depart, true);
    let leg_out = leg(problem, travel, next, job.location, depart, false);
    let replaced = match (problem.place(from), problem.place(next)) {
        (Some(a), Some(b)) => {
            let l = travel.leg(a, b, depart);
            (l.seconds, l.metres)
        }
        _ => (0, 0),
    };
    (
        (leg_in.0 + leg_out.0 - replaced.0).max(0),
        (leg_in.1 + leg_out.1 - replaced.1).max(0),
    )
}

/// Leg between a solver place and the job, either direction; a missing place (a route that
/// ends anywhere) costs nothing.
fn leg(
    problem: &Problem,
    travel: &dyn TravelTimes,
    place: u32,
    job: Location,
    depart: i64,
    into_job: bool,
) -> (i64, i64) {
    let Some(p) = problem.place(place) else {
        return (0, 0);
    };
    let l = if into_job {
        travel.leg(p, job, depart)
    } else {
        travel.leg(job, p, depart)
    };
    (l.seconds, l.metres)
}

/// Replays the route after the insertion until starts stop changing.
fn moved_jobs(
    problem: &Problem,
    route: &Route,
    ins: &Insertion,
    duration: i64,
    leg_out: i64,
) -> Vec<MovedJob> {
    let inst: &Instance = problem.instance();
    let mut moved = Vec::new();
    let mut t = ins.start + duration;
    let mut first_located = true;
    let mut at = NO_LOC;
    for k in ins.gap..route.jobs.len() {
        let c = route.jobs[k];
        let loc = inst.clients[c as usize].loc;
        let arrival = if loc == NO_LOC {
            t
        } else if first_located {
            first_located = false;
            t + leg_out
        } else {
            t + inst.time(at, loc)
        };
        if loc != NO_LOC {
            at = loc;
        }
        let start = inst.earliest_start(c, arrival).unwrap_or(arrival);
        let old = route.start_of(k);
        if start == old {
            break;
        }
        if let super::problem::ClientKind::Job(j) = problem.client_kind(c) {
            moved.push(MovedJob {
                job: problem.jobs()[j].id.clone(),
                from: old,
                to: start,
            });
        }
        t = start + inst.clients[c as usize].service;
    }
    moved
}
