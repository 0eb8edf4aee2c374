//! Planning and re-planning a day over a [`Problem`], and converting between the solver's routes
//! and the [`Plan`] the dispatcher sees.

use super::instance::{EtaTarget, Instance};
use super::problem::{ClientKind, Problem};
use super::route::{Insertion, Route};
use super::solution::{Plan, TechRoute, Unassigned, UnassignedReason, Visit, VisitKind};
use super::solve::{SolveOptions, Stop, solve};
use super::suggest::{Exclusion, best_insertion};
use std::collections::HashMap;

use super::travel::{Leg, Location, TravelTimes};

#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    pub seed: u64,
    /// Re-plan: cost, in metres of driving, of giving a job to a different technician.
    pub reassign_metres: i64,
    /// Re-plan: cost, in metres per minute, of moving a job's start away from its previous ETA.
    pub eta_shift_metres_per_minute: i64,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            seed: 1,
            reassign_metres: 5_000,
            eta_shift_metres_per_minute: 50,
        }
    }
}

/// Assigns and sequences every open job of the day within the budget.
pub fn plan(problem: &Problem, options: &PlanOptions, stop: &mut dyn Stop) -> Plan {
    run(problem, problem.instance(), options, stop)
}

/// Plans again during the day: underway jobs stay first (the problem starts technicians where
/// that work ends), promised windows are hard, and moving a job to another technician or away
/// from its previous ETA costs extra, so the new plan stays close to `previous`.
pub fn replan(
    problem: &Problem,
    previous: &Plan,
    options: &PlanOptions,
    stop: &mut dyn Stop,
) -> Plan {
    let mut inst = problem.instance().clone();
    let n_veh = inst.vehicles.len();
    inst.assign_cost = vec![0; inst.clients.len() * n_veh];
    inst.eta_target = vec![None; inst.clients.len()];
    let per_second = (options.eta_shift_metres_per_minute / 60).max(1);
    for route in &previous.routes {
        let Some(t) = problem.technician_index(&route.technician) else {
            continue;
        };
        for v in &route.visits {
            let VisitKind::Job(id) = &v.kind else {
                continue;
            };
            let Some(c) = problem.job_index(id).and_then(|j| problem.client_of_job(j)) else {
                continue;
            };
            for other in (0..n_veh).filter(|&o| o != t) {
                inst.assign_cost[c as usize * n_veh + other] = options.reassign_metres;
            }
            inst.eta_target[c as usize] = Some(EtaTarget {
                at: v.start,
                per_second,
            });
        }
    }
    run(problem, &inst, options, stop)
}

fn run(problem: &Problem, inst: &Instance, options: &PlanOptions, stop: &mut dyn Stop) -> Plan {
    let solve_options = SolveOptions {
        seed: options.seed,
        minimise_fleet: false,
        ..SolveOptions::default()
    };
    let outcome = solve(inst, &solve_options, stop);
    let mut routes: Vec<Route> = outcome
        .routes
        .iter()
        .map(|(v, jobs)| {
            let mut r = Route::new(problem.instance(), *v);
            r.jobs.clone_from(jobs);
            r.update(problem.instance());
            r
        })
        .collect();
    let absent = fill(problem, &mut routes, &outcome.absent);
    to_plan(problem, &routes, &absent)
}

/// Puts every job the search left out into a day that still has room for it, cheapest
/// insertion first, and returns those that fit nowhere. A search stopped by its budget can end
/// with such a job out, and the plan would then say "no room" of a day it leaves empty
/// (issue 14); after this, a job left out fits no technician's day as planned.
fn fill(problem: &Problem, routes: &mut [Route], absent: &[u32]) -> Vec<u32> {
    let inst = problem.instance();
    let mut left: Vec<u32> = absent.to_vec();
    loop {
        let mut best: Option<(usize, usize, Insertion)> = None;
        for (i, &c) in left.iter().enumerate() {
            if !matches!(problem.client_kind(c), ClientKind::Job(_)) {
                continue;
            }
            for (r, route) in routes.iter().enumerate() {
                if !route.admits(inst, c) {
                    continue;
                }
                for gap in 0..=route.jobs.len() {
                    if let Some(ins) = route.evaluate(inst, c, gap)
                        && best.as_ref().is_none_or(|b| {
                            (ins.delta_distance, ins.start) < (b.2.delta_distance, b.2.start)
                        })
                    {
                        best = Some((i, r, ins));
                    }
                }
            }
        }
        let Some((i, r, ins)) = best else {
            return left;
        };
        let c = left.swap_remove(i);
        routes[r].insert(inst, c, ins.gap);
    }
}

/// The plan as it stands: each technician's jobs in the given order (unknown ids skipped), with
/// their breaks put where they fit best and every visit timed. The routes may break a window or
/// the shift when the records already do; the times then show by how much.
pub fn current(problem: &Problem, assigned: &[(super::TechnicianId, Vec<super::JobId>)]) -> Plan {
    let inst = problem.instance();
    let mut routes: Vec<Route> = (0..inst.vehicles.len())
        .map(|v| Route::new(inst, v))
        .collect();
    for (tech, jobs) in assigned {
        let Some(t) = problem.technician_index(tech) else {
            continue;
        };
        routes[t].jobs = jobs
            .iter()
            .filter_map(|id| problem.job_index(id).and_then(|j| problem.client_of_job(j)))
            .collect();
        routes[t].update(inst);
    }
    for c in 0..inst.clients.len() as u32 {
        let ClientKind::Break { technician, .. } = problem.client_kind(c) else {
            continue;
        };
        let route = &mut routes[technician];
        let gap = (0..=route.jobs.len())
            .filter_map(|g| route.evaluate(inst, c, g))
            .min_by_key(|ins| (ins.delta_time, ins.start))
            .map_or(route.jobs.len(), |ins| ins.gap);
        route.insert(inst, c, gap);
    }
    to_plan(problem, &routes, &[])
}

/// Solver routes (one per technician) for a plan; visits the problem does not know are skipped.
pub fn routes_of(problem: &Problem, plan: &Plan) -> Vec<Route> {
    let inst = problem.instance();
    let mut routes: Vec<Route> = (0..inst.vehicles.len())
        .map(|v| Route::new(inst, v))
        .collect();
    for tr in &plan.routes {
        let Some(t) = problem.technician_index(&tr.technician) else {
            continue;
        };
        let jobs = tr
            .visits
            .iter()
            .filter(|v| !v.fixed)
            .filter_map(|v| match &v.kind {
                VisitKind::Job(id) => problem.job_index(id).and_then(|j| problem.client_of_job(j)),
                VisitKind::Break(b) => (0..inst.clients.len() as u32).find(|&c| {
                    problem.client_kind(c)
                        == ClientKind::Break {
                            technician: t,
                            index: *b,
                        }
                }),
            });
        routes[t].jobs = jobs.collect();
        routes[t].update(inst);
    }
    routes
}

fn to_plan(problem: &Problem, routes: &[Route], absent: &[u32]) -> Plan {
    let inst = problem.instance();
    let mut out = Vec::new();
    for (t, route) in routes.iter().enumerate() {
        let tech = &problem.technicians()[t];
        let mut visits = Vec::new();
        if let Some(j) = problem.underway(t) {
            // The underway job ends when the vehicle becomes available.
            let end = inst.vehicles[t].available_from;
            let start = end - problem.jobs()[j].duration;
            visits.push(Visit {
                kind: VisitKind::Job(problem.jobs()[j].id.clone()),
                arrival: start,
                wait: 0,
                start,
                departure: end,
                fixed: true,
            });
        }
        for (k, &c) in route.jobs.iter().enumerate() {
            let arrival = route.arrival_of(inst, k);
            let start = route.start_of(k);
            let kind = match problem.client_kind(c) {
                ClientKind::Job(j) => VisitKind::Job(problem.jobs()[j].id.clone()),
                ClientKind::Break { index, .. } => VisitKind::Break(index),
            };
            visits.push(Visit {
                kind,
                arrival,
                wait: start - arrival,
                start,
                departure: start + inst.clients[c as usize].service,
                fixed: false,
            });
        }
        out.push(TechRoute {
            technician: tech.id.clone(),
            visits,
            end: route.end_arrival(),
            travel_seconds: route.travel_time,
            metres: route.distance,
        });
    }
    let mut unassigned = Vec::new();
    let travel = FromMatrix::new(problem);
    for &c in absent {
        if let ClientKind::Job(j) = problem.client_kind(c) {
            unassigned.push(Unassigned {
                job: problem.jobs()[j].id.clone(),
                reason: explain(problem, routes, j, &travel),
            });
        }
    }
    unassigned.sort_by(|a, b| a.job.cmp(&b.job));
    Plan {
        routes: out,
        unassigned,
    }
}

/// Legs straight from the problem's matrix, for jobs that are in the problem.
struct FromMatrix<'a> {
    problem: &'a Problem,
    index: HashMap<(u64, u64), usize>,
}

impl<'a> FromMatrix<'a> {
    fn new(problem: &'a Problem) -> Self {
        let mut index = HashMap::new();
        for (i, p) in problem.places().iter().enumerate() {
            index.entry((p.lat.to_bits(), p.lon.to_bits())).or_insert(i);
        }
        Self { problem, index }
    }
}

impl TravelTimes for FromMatrix<'_> {
    fn leg(&self, from: Location, to: Location, _: i64) -> Leg {
        let find = |l: Location| self.index.get(&(l.lat.to_bits(), l.lon.to_bits()));
        match (find(from), find(to)) {
            (Some(&a), Some(&b)) => self.problem.matrix().leg(a, b),
            _ => Leg::default(),
        }
    }
}

/// The most specific reason that holds for every technician.
fn explain(problem: &Problem, routes: &[Route], j: usize, travel: &FromMatrix) -> UnassignedReason {
    let job = &problem.jobs()[j];
    let windows = job.effective_windows();
    let inst = problem.instance();
    let mut qualified = 0;
    let mut reachable_alone = 0;
    let mut overlaps_shift = 0;
    let (mut full, mut over_capacity) = (0, 0);
    for route in routes {
        let empty = Route::new(inst, route.vehicle);
        match best_insertion(problem, &empty, job, &windows, travel) {
            Err(Exclusion::MissingSkill(_) | Exclusion::PinnedToOther) => continue,
            Err(Exclusion::OutsideShift) => qualified += 1,
            Err(_) => {
                qualified += 1;
                overlaps_shift += 1;
            }
            Ok(_) => {
                qualified += 1;
                overlaps_shift += 1;
                reachable_alone += 1;
                match best_insertion(problem, route, job, &windows, travel) {
                    Err(Exclusion::OverMaxJobs) => full += 1,
                    Err(Exclusion::OverCapacity) => over_capacity += 1,
                    _ => {}
                }
            }
        }
    }
    if qualified == 0 {
        UnassignedReason::NoQualifiedTechnician
    } else if overlaps_shift == 0 {
        UnassignedReason::OutsideShift
    } else if reachable_alone == 0 {
        UnassignedReason::WindowUnreachable
    } else if full == reachable_alone {
        UnassignedReason::OverMaxJobs
    } else if over_capacity == reachable_alone {
        UnassignedReason::OverCapacity
    } else {
        UnassignedReason::NoRoomInPlan
    }
}
