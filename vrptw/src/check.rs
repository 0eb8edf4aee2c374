//! Independent feasibility checkers. They recompute everything from the input in the input's own
//! units (double precision for Solomon, seconds for a day plan) and share no code with the
//! search, so a bug in the solver's bookkeeping cannot hide itself.

use super::solomon::Solomon;

/// Slack for comparing times summed in double precision.
const EPS: f64 = 1e-6;

#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    UnknownCustomer(u32),
    Duplicate(u32),
    Missing(u32),
    TooManyVehicles {
        used: usize,
        available: u32,
    },
    Capacity {
        route: usize,
        load: i64,
    },
    LateArrival {
        route: usize,
        customer: u32,
        arrival: f64,
        due: f64,
    },
    LateReturn {
        route: usize,
        arrival: f64,
    },
}

/// What a valid Solomon route set costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolomonCost {
    pub vehicles: usize,
    pub distance: f64,
}

/// Checks routes given as customer ids: every customer exactly once, capacity, windows and the
/// depot's hours. Returns every violation found, not just the first.
pub fn check_solomon(inst: &Solomon, routes: &[Vec<u32>]) -> Result<SolomonCost, Vec<Violation>> {
    let mut violations = Vec::new();
    let mut seen = vec![false; inst.customers.len()];
    let index_of = |id: u32| inst.customers.iter().position(|c| c.id == id);
    let mut distance = 0.0;
    let mut used = 0;
    for (r, route) in routes.iter().enumerate() {
        if route.is_empty() {
            continue;
        }
        used += 1;
        let (mut at, mut time, mut load) = (&inst.depot, inst.depot.ready, 0);
        for &id in route {
            let Some(i) = index_of(id) else {
                violations.push(Violation::UnknownCustomer(id));
                continue;
            };
            if std::mem::replace(&mut seen[i], true) {
                violations.push(Violation::Duplicate(id));
            }
            let c = &inst.customers[i];
            let leg = Solomon::distance(at, c);
            distance += leg;
            let arrival = time + leg;
            if arrival > c.due + EPS {
                violations.push(Violation::LateArrival {
                    route: r,
                    customer: id,
                    arrival,
                    due: c.due,
                });
            }
            time = arrival.max(c.ready) + c.service;
            load += c.demand;
            at = c;
        }
        let leg = Solomon::distance(at, &inst.depot);
        distance += leg;
        if time + leg > inst.depot.due + EPS {
            violations.push(Violation::LateReturn {
                route: r,
                arrival: time + leg,
            });
        }
        if load > inst.capacity {
            violations.push(Violation::Capacity { route: r, load });
        }
    }
    for (i, s) in seen.iter().enumerate() {
        if !s {
            violations.push(Violation::Missing(inst.customers[i].id));
        }
    }
    if used > inst.vehicles as usize {
        violations.push(Violation::TooManyVehicles {
            used,
            available: inst.vehicles,
        });
    }
    if violations.is_empty() {
        Ok(SolomonCost {
            vehicles: used,
            distance,
        })
    } else {
        Err(violations)
    }
}

use super::problem::{JobId, Problem, TechnicianId, Underway};
use super::solution::{Plan, VisitKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanViolation {
    UnknownTechnician(TechnicianId),
    UnknownJob(JobId),
    JobTwice(JobId),
    JobMissing(JobId),
    MissingSkill {
        job: JobId,
        technician: TechnicianId,
    },
    PinnedElsewhere {
        job: JobId,
        technician: TechnicianId,
    },
    OutsideWindow {
        job: JobId,
        start: i64,
    },
    /// Arrives earlier than driving from the previous stop allows, or starts before arriving.
    Teleport {
        job: Option<JobId>,
        technician: TechnicianId,
    },
    BeforeShiftOrNow {
        technician: TechnicianId,
    },
    AfterShift {
        technician: TechnicianId,
        end: i64,
    },
    OverMaxJobs(TechnicianId),
    OverCapacity(TechnicianId),
    Break {
        technician: TechnicianId,
        index: usize,
    },
    UnderwayMoved(JobId),
}

/// Checks a day plan against the problem's own data: every job once (routed or unassigned),
/// skills and pins, windows after pins and promises, travel times from the matrix, shifts,
/// breaks, job limits, capacity and underway work kept first.
pub fn check_plan(problem: &Problem, plan: &Plan) -> Result<(), Vec<PlanViolation>> {
    let mut v = Vec::new();
    let jobs = problem.jobs();
    let n_jobs = jobs.len();
    let mut seen = vec![false; n_jobs];
    let mut mark = |id: &JobId, v: &mut Vec<PlanViolation>| -> Option<usize> {
        let Some(j) = problem.job_index(id) else {
            v.push(PlanViolation::UnknownJob(id.clone()));
            return None;
        };
        if std::mem::replace(&mut seen[j], true) {
            v.push(PlanViolation::JobTwice(id.clone()));
        }
        Some(j)
    };
    let matrix = problem.matrix();
    for route in &plan.routes {
        let Some(t) = problem.technician_index(&route.technician) else {
            v.push(PlanViolation::UnknownTechnician(route.technician.clone()));
            continue;
        };
        let tech = &problem.technicians()[t];
        let tid = || tech.id.clone();
        let mut place = n_jobs + 2 * t;
        let mut time = tech.shift.start.max(problem.now().unwrap_or(i64::MIN));
        let mut visits = route.visits.iter().peekable();
        let (mut count, mut load) = (0u32, 0i64);
        if let Some(u) = &tech.underway {
            let id = match u {
                Underway::InProgress { job, .. } | Underway::EnRoute { job, .. } => job,
            };
            match visits.next() {
                Some(first) if first.fixed && first.kind == VisitKind::Job(id.clone()) => {
                    if let Some(j) = mark(id, &mut v) {
                        place = j;
                        time = first.departure;
                        count += 1;
                        load += jobs[j].demand;
                    }
                }
                _ => v.push(PlanViolation::UnderwayMoved(id.clone())),
            }
        }
        let mut breaks_seen = vec![0; tech.breaks.len()];
        for visit in visits {
            if visit.fixed {
                if let VisitKind::Job(id) = &visit.kind {
                    v.push(PlanViolation::UnderwayMoved(id.clone()));
                }
                continue;
            }
            match &visit.kind {
                VisitKind::Job(id) => {
                    let Some(j) = mark(id, &mut v) else { continue };
                    let job = &jobs[j];
                    if !job.skills.is_subset(&tech.skills) {
                        v.push(PlanViolation::MissingSkill {
                            job: id.clone(),
                            technician: tid(),
                        });
                    }
                    if job
                        .pinned_technician
                        .as_ref()
                        .is_some_and(|p| *p != tech.id)
                    {
                        v.push(PlanViolation::PinnedElsewhere {
                            job: id.clone(),
                            technician: tid(),
                        });
                    }
                    let earliest = time + matrix.leg(place, j).seconds;
                    if visit.arrival < earliest || visit.start < visit.arrival {
                        v.push(PlanViolation::Teleport {
                            job: Some(id.clone()),
                            technician: tid(),
                        });
                    }
                    let in_window = job
                        .effective_windows()
                        .iter()
                        .any(|w| w.0 <= visit.start && visit.start <= w.1);
                    if !in_window {
                        v.push(PlanViolation::OutsideWindow {
                            job: id.clone(),
                            start: visit.start,
                        });
                    }
                    if visit.departure != visit.start + job.duration {
                        v.push(PlanViolation::Teleport {
                            job: Some(id.clone()),
                            technician: tid(),
                        });
                    }
                    count += 1;
                    load += job.demand;
                    place = j;
                }
                VisitKind::Break(b) => {
                    let ok = tech.breaks.get(*b).is_some_and(|br| {
                        br.window.start <= visit.start
                            && visit.start <= br.window.end
                            && visit.departure == visit.start + br.duration
                            && visit.start >= time
                    });
                    if let Some(s) = breaks_seen.get_mut(*b) {
                        *s += 1;
                    }
                    if !ok {
                        v.push(PlanViolation::Break {
                            technician: tid(),
                            index: *b,
                        });
                    }
                }
            }
            if visit.start < tech.shift.start || problem.now().is_some_and(|n| visit.start < n) {
                v.push(PlanViolation::BeforeShiftOrNow { technician: tid() });
            }
            time = visit.departure;
        }
        for (index, &n) in breaks_seen.iter().enumerate() {
            if n != 1 {
                v.push(PlanViolation::Break {
                    technician: tid(),
                    index,
                });
            }
        }
        let end = if tech.end.is_some() {
            time + matrix.leg(place, n_jobs + 2 * t + 1).seconds
        } else {
            time
        };
        if end > tech.shift.end || route.end < end {
            v.push(PlanViolation::AfterShift {
                technician: tid(),
                end,
            });
        }
        if tech.max_jobs.is_some_and(|m| count > m) {
            v.push(PlanViolation::OverMaxJobs(tid()));
        }
        if tech.capacity.is_some_and(|c| load > c) {
            v.push(PlanViolation::OverCapacity(tid()));
        }
    }
    for u in &plan.unassigned {
        mark(&u.job, &mut v);
    }
    for (j, s) in seen.iter().enumerate() {
        if !s {
            v.push(PlanViolation::JobMissing(jobs[j].id.clone()));
        }
    }
    if v.is_empty() { Ok(()) } else { Err(v) }
}
