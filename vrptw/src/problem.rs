//! The field-service day to plan: technicians and jobs as the dispatcher sees them, validated
//! once and lowered into the solver's [`Instance`]. Times are seconds since the day's midnight in
//! the store's zone; distances are metres.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::instance::{Client, Instance, NO_LOC, Vehicle};
use super::travel::{Location, Matrix, TravelTimes};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JobId(pub String);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TechnicianId(pub String);

/// `[start, end]` in seconds; for a job, the interval in which work may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    pub start: i64,
    pub end: i64,
}

impl TimeWindow {
    pub fn new(start: i64, end: i64) -> Self {
        Self { start, end }
    }
}

/// A break that must start within `window` and lasts `duration` seconds, taken wherever the
/// technician is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    pub window: TimeWindow,
    pub duration: i64,
}

/// Work the technician has already started on or is driving to; it never moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Underway {
    InProgress { job: JobId, until: i64 },
    EnRoute { job: JobId, eta: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technician {
    pub id: TechnicianId,
    pub skills: BTreeSet<String>,
    pub shift: TimeWindow,
    pub start: Location,
    /// `None` when the day ends at the last job.
    pub end: Option<Location>,
    pub breaks: Vec<Break>,
    pub max_jobs: Option<u32>,
    /// Van capacity in the jobs' demand unit; `None` for unlimited.
    pub capacity: Option<i64>,
    /// Where the technician is now (re-planning during the day).
    pub position: Option<Location>,
    pub underway: Option<Underway>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub location: Location,
    /// Seconds on site.
    pub duration: i64,
    /// When work may start; empty means any time within a shift.
    pub windows: Vec<TimeWindow>,
    pub skills: BTreeSet<String>,
    /// 0 (routine) to 9 (emergency); leaving out a higher priority job costs more.
    pub priority: u8,
    /// Work should be finished by then.
    pub sla_deadline: Option<i64>,
    pub pinned_technician: Option<TechnicianId>,
    pub pinned_start: Option<i64>,
    /// Window already promised to the customer; it replaces `windows`.
    pub promised: Option<TimeWindow>,
    /// Load in the capacity unit (parts, kg); 0 for most jobs.
    pub demand: i64,
}

impl Job {
    /// Start windows after applying pin, promise and SLA, sorted and merged. Empty when none
    /// is left; an SLA that can no longer be met is ignored rather than dropping the job.
    pub fn effective_windows(&self) -> Vec<(i64, i64)> {
        let mut w: Vec<(i64, i64)> = if let Some(p) = self.promised {
            vec![(p.start, p.end)]
        } else if self.windows.is_empty() {
            vec![(i64::MIN / 8, i64::MAX / 8)]
        } else {
            self.windows.iter().map(|w| (w.start, w.end)).collect()
        };
        if let Some(t) = self.pinned_start {
            w = w
                .into_iter()
                .filter(|&(a, b)| a <= t && t <= b)
                .map(|_| (t, t))
                .take(1)
                .collect();
        }
        w.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(w.len());
        for (a, b) in w {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        if let Some(deadline) = self.sla_deadline {
            let latest = deadline - self.duration;
            let clipped: Vec<(i64, i64)> = merged
                .iter()
                .filter(|w| w.0 <= latest)
                .map(|&(a, b)| (a, b.min(latest)))
                .collect();
            if !clipped.is_empty() {
                return clipped;
            }
        }
        merged
    }

    pub fn missing_skills(&self, tech: &Technician) -> Vec<String> {
        self.skills.difference(&tech.skills).cloned().collect()
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemError {
    #[error("technician {0:?} appears twice")]
    DuplicateTechnician(TechnicianId),
    #[error("job {0:?} appears twice")]
    DuplicateJob(JobId),
    #[error("technician {0:?}: shift ends before it starts")]
    BadShift(TechnicianId),
    #[error("technician {0:?}: break window or duration invalid")]
    BadBreak(TechnicianId),
    #[error("{0}: location outside WGS84 range")]
    BadLocation(String),
    #[error("job {0:?}: negative duration or demand, or a window ending before it starts")]
    BadJob(JobId),
    #[error("job {job:?} pinned to unknown technician {technician:?}")]
    UnknownPinnedTechnician {
        job: JobId,
        technician: TechnicianId,
    },
    #[error("technician {technician:?} is underway on unknown job {job:?}")]
    UnknownUnderwayJob {
        technician: TechnicianId,
        job: JobId,
    },
    #[error("job {0:?} is underway with two technicians")]
    UnderwayTwice(JobId),
}

/// What a solver client stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Job(usize),
    Break { technician: usize, index: usize },
}

/// A validated, immutable day: technicians, jobs, the travel matrix and the solver instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    technicians: Vec<Technician>,
    jobs: Vec<Job>,
    /// Place of each solver location index: jobs first, then each technician's start and end.
    places: Vec<Location>,
    matrix: Matrix,
    instance: Instance,
    clients: Vec<ClientKind>,
    client_of_job: Vec<Option<u32>>,
    job_index: HashMap<JobId, usize>,
    /// Job underway per technician, as a job index.
    underway: Vec<Option<usize>>,
    now: Option<i64>,
}

/// Base prize per priority step: more than any detour, so jobs are only dropped for lack of room.
fn base_prize(matrix: &Matrix, clients: usize) -> i64 {
    let max_edge = matrix.metres.iter().copied().max().unwrap_or(0).max(1000);
    max_edge.saturating_mul(4 * (clients as i64 + 2))
}

impl Problem {
    /// Validates and lowers a day. `now` (seconds) is set when re-planning: nothing starts
    /// before it.
    pub fn new(
        technicians: Vec<Technician>,
        jobs: Vec<Job>,
        travel: &dyn TravelTimes,
        now: Option<i64>,
    ) -> Result<Self, ProblemError> {
        let mut job_index = HashMap::new();
        for (i, j) in jobs.iter().enumerate() {
            if job_index.insert(j.id.clone(), i).is_some() {
                return Err(ProblemError::DuplicateJob(j.id.clone()));
            }
            if !j.location.is_valid() {
                return Err(ProblemError::BadLocation(format!("job {:?}", j.id.0)));
            }
            if j.duration < 0
                || j.demand < 0
                || j.windows
                    .iter()
                    .chain(j.promised.iter())
                    .any(|w| w.end < w.start)
            {
                return Err(ProblemError::BadJob(j.id.clone()));
            }
        }
        let mut tech_ids = HashMap::new();
        let mut underway = vec![None; technicians.len()];
        let mut underway_jobs = BTreeSet::new();
        for (t, tech) in technicians.iter().enumerate() {
            if tech_ids.insert(tech.id.clone(), t).is_some() {
                return Err(ProblemError::DuplicateTechnician(tech.id.clone()));
            }
            if tech.shift.end < tech.shift.start {
                return Err(ProblemError::BadShift(tech.id.clone()));
            }
            if tech
                .breaks
                .iter()
                .any(|b| b.duration < 0 || b.window.end < b.window.start)
            {
                return Err(ProblemError::BadBreak(tech.id.clone()));
            }
            let places = [Some(tech.start), tech.end, tech.position];
            if places.iter().flatten().any(|l| !l.is_valid()) {
                return Err(ProblemError::BadLocation(format!(
                    "technician {:?}",
                    tech.id.0
                )));
            }
            if let Some(u) = &tech.underway {
                let job = match u {
                    Underway::InProgress { job, .. } | Underway::EnRoute { job, .. } => job,
                };
                let Some(&j) = job_index.get(job) else {
                    return Err(ProblemError::UnknownUnderwayJob {
                        technician: tech.id.clone(),
                        job: job.clone(),
                    });
                };
                if !underway_jobs.insert(j) {
                    return Err(ProblemError::UnderwayTwice(job.clone()));
                }
                underway[t] = Some(j);
            }
        }
        for j in &jobs {
            if let Some(p) = &j.pinned_technician
                && !tech_ids.contains_key(p)
            {
                return Err(ProblemError::UnknownPinnedTechnician {
                    job: j.id.clone(),
                    technician: p.clone(),
                });
            }
        }

        let mut places: Vec<Location> = jobs.iter().map(|j| j.location).collect();
        for tech in &technicians {
            places.push(tech.position.unwrap_or(tech.start));
            places.push(tech.end.unwrap_or(tech.start));
        }
        let depart_at = technicians.iter().map(|t| t.shift.start).min().unwrap_or(0);
        let matrix = travel.matrix(&places, depart_at);

        let n_tech = technicians.len();
        let mut clients = Vec::new();
        let mut kinds = Vec::new();
        let mut windows = Vec::new();
        let mut client_of_job = vec![None; jobs.len()];
        for (j, job) in jobs.iter().enumerate() {
            if underway_jobs.contains(&j) {
                continue;
            }
            let from = windows.len() as u32;
            windows.extend(job.effective_windows());
            client_of_job[j] = Some(clients.len() as u32);
            clients.push(Client {
                loc: j as u32,
                service: job.duration,
                windows: (from, windows.len() as u32),
                demand: job.demand,
                prize: 0,
                counts: true,
            });
            kinds.push(ClientKind::Job(j));
        }
        for (t, tech) in technicians.iter().enumerate() {
            for (b, br) in tech.breaks.iter().enumerate() {
                let from = windows.len() as u32;
                windows.push((br.window.start, br.window.end));
                clients.push(Client {
                    loc: NO_LOC,
                    service: br.duration,
                    windows: (from, from + 1),
                    demand: 0,
                    prize: 0,
                    counts: false,
                });
                kinds.push(ClientKind::Break {
                    technician: t,
                    index: b,
                });
            }
        }
        let base = base_prize(&matrix, clients.len());
        for (c, kind) in clients.iter_mut().zip(&kinds) {
            c.prize = match kind {
                ClientKind::Job(j) => base.saturating_mul(1 + i64::from(jobs[*j].priority.min(9))),
                ClientKind::Break { .. } => base.saturating_mul(100),
            };
        }

        let mut allowed = vec![false; clients.len() * n_tech];
        for (c, kind) in kinds.iter().enumerate() {
            for (t, tech) in technicians.iter().enumerate() {
                allowed[c * n_tech + t] = match kind {
                    ClientKind::Job(j) => {
                        let job = &jobs[*j];
                        job.skills.is_subset(&tech.skills)
                            && job.pinned_technician.as_ref().is_none_or(|p| *p == tech.id)
                    }
                    ClientKind::Break { technician, .. } => *technician == t,
                };
            }
        }

        let n_jobs = jobs.len() as u32;
        let vehicles = technicians
            .iter()
            .enumerate()
            .map(|(t, tech)| {
                let mut start_loc = n_jobs + 2 * t as u32;
                let mut available = tech.shift.start.max(now.unwrap_or(i64::MIN));
                let mut max_jobs = tech.max_jobs.unwrap_or(u32::MAX);
                if let (Some(u), Some(j)) = (&tech.underway, underway[t]) {
                    // The vehicle starts where and when the underway job ends.
                    start_loc = j as u32;
                    max_jobs = max_jobs.saturating_sub(1);
                    available = match u {
                        Underway::InProgress { until, .. } => *until,
                        Underway::EnRoute { eta, .. } => {
                            let wins = jobs[j].effective_windows();
                            super::instance::earliest_start(&wins, *eta).unwrap_or(*eta)
                                + jobs[j].duration
                        }
                    };
                }
                Vehicle {
                    start_loc,
                    end_loc: if tech.end.is_some() {
                        n_jobs + 2 * t as u32 + 1
                    } else {
                        NO_LOC
                    },
                    available_from: available,
                    shift_end: tech.shift.end,
                    capacity: tech.capacity.unwrap_or(i64::MAX / 4),
                    max_jobs,
                    class: t as u32,
                }
            })
            .collect();

        let instance = Instance {
            n_locs: places.len(),
            time: matrix.seconds.clone(),
            dist: matrix.metres.clone(),
            clients,
            windows,
            vehicles,
            allowed,
            assign_cost: vec![],
            eta_target: vec![],
            neighbours: vec![],
        }
        .with_neighbours(100);

        Ok(Self {
            technicians,
            jobs,
            places,
            matrix,
            instance,
            clients: kinds,
            client_of_job,
            job_index,
            underway,
            now,
        })
    }

    pub fn technicians(&self) -> &[Technician] {
        &self.technicians
    }

    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    pub fn instance(&self) -> &Instance {
        &self.instance
    }

    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    pub fn places(&self) -> &[Location] {
        &self.places
    }

    pub fn client_kind(&self, client: u32) -> ClientKind {
        self.clients[client as usize]
    }

    pub fn client_of_job(&self, job: usize) -> Option<u32> {
        self.client_of_job[job]
    }

    pub fn job_index(&self, id: &JobId) -> Option<usize> {
        self.job_index.get(id).copied()
    }

    pub fn technician_index(&self, id: &TechnicianId) -> Option<usize> {
        self.technicians.iter().position(|t| t.id == *id)
    }

    /// Job index the technician is busy with and which the plan must keep first.
    pub fn underway(&self, technician: usize) -> Option<usize> {
        self.underway[technician]
    }

    pub fn now(&self) -> Option<i64> {
        self.now
    }

    /// Solver location index of a technician's start (the underway job's place if any).
    pub fn start_loc(&self, technician: usize) -> u32 {
        self.instance.vehicles[technician].start_loc
    }

    /// Location of a solver location index.
    pub fn place(&self, loc: u32) -> Option<Location> {
        (loc != NO_LOC).then(|| self.places[loc as usize])
    }
}
