//! From Rounds records to a dispatch [`Problem`] and back: one store's technicians and open
//! jobs on one local day become technicians and jobs in seconds since that day's midnight;
//! a [`Suggestion`] or [`Plan`] becomes ids, instants and reasons a dispatcher can read.
//!
//! Pure and without I/O like the `vrptw` engine: the device feeds it its replica
//! (`MemoryRecords::iter`), the server the records it read from its store. Places are known
//! before travel times ([`Day::places`]) so that the server can fetch a road matrix first.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use domain::ids::{JobId, StoreId, UserId};
use domain::jobs::{FollowUpKind, Job, JobStatus, Priority};
use domain::ops::{OpKind, Record};
use domain::org::{Role, Store, TechnicianProfile, User};
use domain::places::LatLng;
use vrptw::plan::{PlanOptions, current, plan, replan};
use vrptw::problem::{self as p, Problem, ProblemError, Underway};
use vrptw::solution::{Plan, UnassignedReason, VisitKind};
use vrptw::solve::Stop;
use vrptw::suggest::{Exclusion, suggest};
use vrptw::travel::{Location, TravelTimes};

/// A break may start this much after its set time, so that a job is not refused for the few
/// minutes a fixed lunch hour would cost.
const BREAK_SLACK_SECONDS: i64 = 30 * 60;
/// A job keyed by when it is planned, for ordering a technician's day.
type Timed = (Option<DateTime<Utc>>, JobId);

/// A planned start that moves less than this is not worth a change (and an op) of its own.
const RETIME_THRESHOLD_SECONDS: i64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DayError {
    #[error("that day is over in the store's time zone")]
    DayOver,
    #[error("no such job in this store")]
    UnknownJob,
    #[error("the job is not open")]
    JobClosed,
    #[error("the job's windows are all on other days")]
    JobNotOnDay,
    #[error("the job is already under way")]
    JobUnderway,
    #[error("the job's service address has no map position")]
    JobWithoutPosition,
    #[error("the job is waiting for parts")]
    JobWaitingForParts,
    #[error("the records do not make a valid day: {0}")]
    Problem(#[from] ProblemError),
}

/// Why an open job of the store is not in the day at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SkipReason {
    NoPosition,
    WaitingForParts,
}

/// What the dispatcher sees about a technician, by position in the day's technicians.
#[derive(Debug, Clone)]
struct TechInfo {
    user: UserId,
    name: String,
    /// Local working hours of the day, for reasons.
    shift: (i64, i64),
    max_jobs: u32,
}

#[derive(Debug, Clone)]
struct JobInfo {
    id: JobId,
    number: String,
    technician: Option<UserId>,
    planned_start: Option<DateTime<Utc>>,
    status: JobStatus,
}

/// One store's day as dispatch sees it, built from records.
#[derive(Debug, Clone)]
pub struct Day {
    pub store: StoreId,
    pub date: NaiveDate,
    tz: Tz,
    midnight: DateTime<Utc>,
    now: Option<i64>,
    techs: Vec<TechInfo>,
    /// Technicians of the store who do not work this day.
    off: Vec<(UserId, String)>,
    jobs: Vec<JobInfo>,
    skipped: Vec<(JobInfo, SkipReason)>,
    /// Closed or other-day jobs of the store, so that asking about them gets a precise error.
    elsewhere: HashMap<JobId, DayError>,
    technicians: Vec<p::Technician>,
    dispatch_jobs: Vec<p::Job>,
    /// Current positions; en-route ETAs are computed from them once travel times are known.
    en_route_from: Vec<Option<Location>>,
}

/// The day's problem with today's assignments as a timed plan.
#[derive(Debug, Clone)]
pub struct Board {
    pub problem: Problem,
    pub current: Plan,
}

fn loc(l: LatLng) -> Location {
    Location {
        lat: l.lat,
        lon: l.lng,
    }
}

fn priority(p: Priority) -> u8 {
    match p {
        Priority::Low => 0,
        Priority::Normal => 3,
        Priority::High => 6,
        Priority::Urgent => 9,
    }
}

fn tech_id(u: UserId) -> p::TechnicianId {
    p::TechnicianId(u.0.to_string())
}

fn job_id(j: JobId) -> p::JobId {
    p::JobId(j.0.to_string())
}

/// Local midnight of `date`; on the rare zones whose midnight is skipped, the first valid
/// instant after it.
fn local_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => (1..=180)
            .find_map(|m| {
                tz.from_local_datetime(&(naive + Duration::minutes(m)))
                    .earliest()
            })
            .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc)),
    }
}

fn minute(date: NaiveDate, tz: Tz, midnight: DateTime<Utc>, minute_of_day: u16) -> i64 {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(u32::from(minute_of_day) * 60, 0)
        .unwrap_or(NaiveTime::MIN);
    if minute_of_day >= 24 * 60 {
        // "24:00": the end of the day.
        let next = local_instant(tz, date + Duration::days(1), NaiveTime::MIN);
        return (next - midnight).num_seconds();
    }
    (local_instant(tz, date, time) - midnight).num_seconds()
}

impl Day {
    /// Builds the day of `store` on local `date` from any records (those of other stores and
    /// organizations are ignored). `now` makes it a re-plan: nothing starts before it, and jobs
    /// en route or on site stay with their technician.
    pub fn from_records<'a>(
        store: &Store,
        date: NaiveDate,
        records: impl IntoIterator<Item = &'a Record>,
        now: DateTime<Utc>,
    ) -> Result<Day, DayError> {
        let tz = store.time_zone;
        let midnight = local_instant(tz, date, NaiveTime::MIN);
        let day_end =
            (local_instant(tz, date + Duration::days(1), NaiveTime::MIN) - midnight).num_seconds();
        let now_s = (now - midnight).num_seconds();
        if now_s >= day_end {
            return Err(DayError::DayOver);
        }
        let now_s = (now_s > 0).then_some(now_s);
        let secs = |t: DateTime<Utc>| (t - midnight).num_seconds();

        let mut users: HashMap<UserId, &User> = HashMap::new();
        let mut profiles: Vec<&TechnicianProfile> = Vec::new();
        let mut store_jobs: Vec<&Job> = Vec::new();
        for r in records {
            match r {
                Record::User(u) if u.org == store.org => {
                    users.insert(u.id, u);
                }
                Record::Technician(t) if t.org == store.org => profiles.push(t),
                Record::Job(j) if j.store == store.id && j.org == store.org => store_jobs.push(j),
                _ => {}
            }
        }
        profiles.sort_by_key(|t| t.user);
        store_jobs.sort_by_key(|j| j.id);

        let weekday = date.weekday();
        let mut techs = Vec::new();
        let mut technicians = Vec::new();
        let mut off = Vec::new();
        for prof in profiles {
            let Some(user) = users.get(&prof.user) else {
                continue;
            };
            if !user.has(Role::Technician) || !user.in_store(store.id) {
                continue;
            }
            let hours: Vec<_> = prof.working_hours.on(weekday).collect();
            let (Some(first), Some(last)) = (
                hours.iter().map(|h| h.start).min(),
                hours.iter().map(|h| h.end).max(),
            ) else {
                off.push((user.id, user.name.clone()));
                continue;
            };
            let shift = (
                minute(date, tz, midnight, first),
                minute(date, tz, midnight, last),
            );
            let mut breaks: Vec<p::Break> = prof
                .breaks
                .iter()
                .map(|b| {
                    let start = minute(date, tz, midnight, b.start);
                    p::Break {
                        window: p::TimeWindow::new(start, start + BREAK_SLACK_SECONDS),
                        duration: i64::from(b.minutes) * 60,
                    }
                })
                .filter(|b| b.window.start >= shift.0 && b.window.start < shift.1)
                .collect();
            // Gaps between two working intervals of the day are breaks that cannot move.
            let mut spans: Vec<(u16, u16)> = hours.iter().map(|h| (h.start, h.end)).collect();
            spans.sort_unstable();
            for w in spans.windows(2) {
                if w[1].0 > w[0].1 {
                    let a = minute(date, tz, midnight, w[0].1);
                    let b = minute(date, tz, midnight, w[1].0);
                    breaks.push(p::Break {
                        window: p::TimeWindow::new(a, a),
                        duration: b - a,
                    });
                }
            }
            if let Some(n) = now_s {
                // A break whose time has passed was taken (or skipped); it no longer binds.
                breaks.retain(|b| b.window.end >= n);
            }
            let done_today = store_jobs
                .iter()
                .filter(|j| j.technician == Some(user.id) && j.status == JobStatus::Completed)
                .filter(|j| {
                    j.history
                        .iter()
                        .rev()
                        .find(|h| h.to == JobStatus::Completed)
                        .is_some_and(|h| (0..day_end).contains(&secs(h.at)))
                })
                .count() as u32;
            let max_jobs = u32::from(prof.max_jobs_per_day).saturating_sub(done_today);
            let position = now_s.and_then(|n| {
                store_jobs
                    .iter()
                    .flat_map(|j| j.history.iter())
                    .filter(|h| h.by == user.id && (0..=n).contains(&secs(h.at)))
                    .filter_map(|h| h.location.map(|l| (h.at, l)))
                    .max_by_key(|(at, _)| *at)
                    .map(|(_, l)| loc(l))
            });
            techs.push(TechInfo {
                user: user.id,
                name: user.name.clone(),
                shift,
                max_jobs,
            });
            technicians.push(p::Technician {
                id: tech_id(user.id),
                skills: prof.skills.iter().map(|s| s.0.clone()).collect(),
                shift: p::TimeWindow::new(shift.0, shift.1),
                start: loc(prof.home_base),
                end: Some(loc(prof.home_base)),
                breaks,
                max_jobs: Some(max_jobs),
                capacity: None,
                position,
                underway: None,
            });
        }
        let tech_index: HashMap<UserId, usize> =
            techs.iter().enumerate().map(|(i, t)| (t.user, i)).collect();

        let mut jobs = Vec::new();
        let mut dispatch_jobs = Vec::new();
        let mut skipped = Vec::new();
        let mut elsewhere = HashMap::new();
        let mut en_route_from = vec![None; technicians.len()];
        for j in store_jobs {
            let info = JobInfo {
                id: j.id,
                number: j.number(),
                technician: j.technician,
                planned_start: j.planned_start,
                status: j.status,
            };
            let underway = matches!(j.status, JobStatus::EnRoute | JobStatus::OnSite);
            let open = match j.status {
                JobStatus::New | JobStatus::Assigned => true,
                JobStatus::NeedsFollowUp => true,
                JobStatus::EnRoute | JobStatus::OnSite => now_s.is_some(),
                JobStatus::Completed | JobStatus::Cancelled => false,
            };
            if !open {
                let e = if underway {
                    DayError::JobUnderway
                } else {
                    DayError::JobClosed
                };
                elsewhere.insert(j.id, e);
                continue;
            }
            let windows: Vec<p::TimeWindow> = j
                .windows
                .iter()
                .map(|w| p::TimeWindow::new(secs(w.start).max(0), secs(w.end).min(day_end)))
                .filter(|w| w.start <= w.end)
                .collect();
            let on_day = if underway {
                true
            } else if let Some(ps) = j.planned_start.filter(|_| j.technician.is_some()) {
                (0..day_end).contains(&secs(ps))
            } else {
                j.windows.is_empty() || !windows.is_empty()
            };
            if !on_day {
                elsewhere.insert(j.id, DayError::JobNotOnDay);
                continue;
            }
            if j.status == JobStatus::NeedsFollowUp
                && j.follow_up
                    .as_ref()
                    .is_none_or(|f| f.kind == FollowUpKind::Parts)
            {
                skipped.push((info, SkipReason::WaitingForParts));
                continue;
            }
            let Some(place) = j.service_address.location.filter(LatLng::is_valid) else {
                skipped.push((info, SkipReason::NoPosition));
                continue;
            };
            let duration = i64::from(j.estimated_minutes) * 60;
            let tech = j.technician.and_then(|t| tech_index.get(&t).copied());
            if underway {
                // Work the store's technicians already do; someone off today keeps theirs out
                // of the plan entirely.
                let Some(t) = tech else {
                    elsewhere.insert(j.id, DayError::JobUnderway);
                    continue;
                };
                let n = now_s.unwrap_or(0);
                technicians[t].underway = Some(if j.status == JobStatus::OnSite {
                    let arrived = j
                        .history
                        .iter()
                        .rev()
                        .find(|h| h.to == JobStatus::OnSite)
                        .map_or(n, |h| secs(h.at));
                    Underway::InProgress {
                        job: job_id(j.id),
                        until: (arrived + duration).max(n),
                    }
                } else {
                    en_route_from[t] =
                        Some(technicians[t].position.unwrap_or(technicians[t].start));
                    Underway::EnRoute {
                        job: job_id(j.id),
                        eta: n,
                    }
                });
                // The technician continues from the job, not from where they were.
                technicians[t].position = Some(loc(place));
            }
            jobs.push(info);
            dispatch_jobs.push(p::Job {
                id: job_id(j.id),
                location: loc(place),
                duration,
                windows,
                skills: j
                    .required_skills
                    .iter()
                    .map(|s| s.0.clone())
                    .collect::<BTreeSet<_>>(),
                priority: priority(j.priority),
                sla_deadline: Some(secs(j.sla_deadline)),
                pinned_technician: None,
                pinned_start: None,
                promised: None,
                demand: 0,
            });
        }
        Ok(Day {
            store: store.id,
            date,
            tz,
            midnight,
            now: now_s,
            techs,
            off,
            jobs,
            skipped,
            elsewhere,
            technicians,
            dispatch_jobs,
            en_route_from,
        })
    }

    /// Every place the day's travel matrix needs (so that a road matrix can be fetched first).
    #[must_use]
    pub fn places(&self) -> Vec<Location> {
        let mut out: Vec<Location> = self.dispatch_jobs.iter().map(|j| j.location).collect();
        for t in &self.technicians {
            out.push(t.position.unwrap_or(t.start));
            out.extend(t.end);
            out.push(t.start);
        }
        out.extend(self.en_route_from.iter().flatten());
        out
    }

    /// Technicians who work this day, by user id, in the day's order.
    pub fn technician_ids(&self) -> impl Iterator<Item = UserId> + '_ {
        self.techs.iter().map(|t| t.user)
    }

    /// Jobs in the day's problem.
    pub fn job_ids(&self) -> impl Iterator<Item = JobId> + '_ {
        self.jobs.iter().map(|j| j.id)
    }

    /// The problem and today's assignments. With `keep_assignments`, assigned jobs stay with
    /// their technician (the plan only orders and times them); otherwise moving them is
    /// allowed at a cost (see [`PlanOptions`]).
    pub fn board(
        &self,
        travel: &dyn TravelTimes,
        keep_assignments: bool,
    ) -> Result<Board, DayError> {
        let mut technicians = self.technicians.clone();
        for (t, tech) in technicians.iter_mut().enumerate() {
            if let (Some(from), Some(Underway::EnRoute { job, eta })) =
                (self.en_route_from[t], tech.underway.as_mut())
                && let Some(target) = self.dispatch_jobs.iter().find(|j| j.id == *job)
            {
                *eta += travel.leg(from, target.location, *eta).seconds;
            }
        }
        let tech_index: HashMap<UserId, usize> = self
            .techs
            .iter()
            .enumerate()
            .map(|(i, t)| (t.user, i))
            .collect();
        let mut jobs = self.dispatch_jobs.clone();
        // Per technician: (when, job), sorted into the order the day runs.
        let mut assigned: Vec<(p::TechnicianId, Vec<Timed>)> = self
            .techs
            .iter()
            .map(|t| (tech_id(t.user), Vec::new()))
            .collect();
        for (info, job) in self.jobs.iter().zip(jobs.iter_mut()) {
            if info.status != JobStatus::Assigned {
                continue;
            }
            let Some(t) = info.technician.and_then(|u| tech_index.get(&u).copied()) else {
                continue;
            };
            if keep_assignments {
                job.pinned_technician = Some(tech_id(self.techs[t].user));
            }
            let order = info.planned_start.or_else(|| {
                job.windows
                    .first()
                    .map(|w| self.midnight + Duration::seconds(w.start))
            });
            assigned[t].1.push((order, info.id));
        }
        let problem = Problem::new(technicians, jobs, travel, self.now)?;
        let assigned: Vec<(p::TechnicianId, Vec<p::JobId>)> = assigned
            .into_iter()
            .map(|(t, mut js)| {
                js.sort();
                (t, js.into_iter().map(|(_, j)| job_id(j)).collect())
            })
            .collect();
        let current = current(&problem, &assigned);
        Ok(Board { problem, current })
    }

    fn at(&self, seconds: i64) -> DateTime<Utc> {
        self.midnight + Duration::seconds(seconds)
    }

    fn clock(&self, seconds: i64) -> String {
        self.at(seconds)
            .with_timezone(&self.tz)
            .format("%H:%M")
            .to_string()
    }

    fn info(&self, id: &p::JobId) -> Option<&JobInfo> {
        self.jobs.iter().find(|j| job_id(j.id) == *id)
    }

    fn tech(&self, id: &p::TechnicianId) -> Option<&TechInfo> {
        self.techs.iter().find(|t| tech_id(t.user) == *id)
    }

    /// Ranks the day's technicians for one job, with reasons for each.
    pub fn suggest(
        &self,
        board: &Board,
        job: JobId,
        travel: &dyn TravelTimes,
    ) -> Result<JobSuggestion, DayError> {
        if let Some((_, why)) = self.skipped.iter().find(|(j, _)| j.id == job) {
            return Err(match why {
                SkipReason::NoPosition => DayError::JobWithoutPosition,
                SkipReason::WaitingForParts => DayError::JobWaitingForParts,
            });
        }
        if let Some(e) = self.elsewhere.get(&job) {
            return Err(e.clone());
        }
        let Some(info) = self.jobs.iter().find(|j| j.id == job) else {
            return Err(DayError::UnknownJob);
        };
        if matches!(info.status, JobStatus::EnRoute | JobStatus::OnSite) {
            return Err(DayError::JobUnderway);
        }
        let pid = job_id(job);
        let Some(target) = board.problem.jobs().iter().find(|j| j.id == pid) else {
            return Err(DayError::UnknownJob);
        };
        let s = suggest(&board.problem, &board.current, target, travel);
        let candidates = s
            .candidates
            .iter()
            .enumerate()
            .filter_map(|(rank, c)| {
                let t = self.tech(&c.technician)?;
                let moved: Vec<MovedVisit> = c
                    .moved
                    .iter()
                    .filter_map(|m| {
                        let i = self.info(&m.job)?;
                        Some(MovedVisit {
                            job: i.id,
                            number: i.number.clone(),
                            from: self.at(m.from),
                            to: self.at(m.to),
                        })
                    })
                    .collect();
                let mut reasons = vec![format!(
                    "adds {} and {} of driving",
                    km(c.added_metres),
                    minutes(c.added_travel_seconds)
                )];
                reasons.push(format!("can start at {}", self.clock(c.eta)));
                if let Some(slack) = c.sla_slack {
                    reasons.push(if slack >= 0 {
                        format!("finishes {} before the SLA deadline", minutes(slack))
                    } else {
                        format!("misses the SLA deadline by {}", minutes(-slack))
                    });
                }
                reasons.push(
                    match moved.iter().map(|m| (m.to - m.from).num_seconds()).max() {
                        None => "no other visit moves".to_owned(),
                        Some(most) => format!(
                            "moves {} later visit{} by up to {}",
                            moved.len(),
                            if moved.len() == 1 { "" } else { "s" },
                            minutes(most)
                        ),
                    },
                );
                if info.technician == Some(t.user) {
                    reasons.push("already assigned".to_owned());
                }
                Some(TechnicianOption {
                    technician: t.user,
                    name: t.name.clone(),
                    rank: rank as u32 + 1,
                    arrival: self.at(c.arrival),
                    eta: self.at(c.eta),
                    added_travel_seconds: c.added_travel_seconds,
                    added_metres: c.added_metres,
                    sla_slack_minutes: c.sla_slack.map(|s| s.div_euclid(60)),
                    moved,
                    reasons,
                })
            })
            .collect();
        let mut excluded: Vec<ExcludedTechnician> = s
            .excluded
            .iter()
            .filter_map(|e| {
                let t = self.tech(&e.technician)?;
                let (reason, detail) = self.exclusion(t, &e.reason);
                Some(ExcludedTechnician {
                    technician: t.user,
                    name: t.name.clone(),
                    reason,
                    detail,
                })
            })
            .collect();
        excluded.extend(self.off.iter().map(|(u, name)| ExcludedTechnician {
            technician: *u,
            name: name.clone(),
            reason: ExclusionReason::OffThatDay,
            detail: format!("does not work on {}", self.date.format("%A %Y-%m-%d")),
        }));
        Ok(JobSuggestion {
            job,
            number: info.number.clone(),
            date: self.date,
            candidates,
            excluded,
        })
    }

    fn exclusion(&self, t: &TechInfo, e: &Exclusion) -> (ExclusionReason, String) {
        match e {
            Exclusion::MissingSkill(skills) => (
                ExclusionReason::MissingSkills {
                    skills: skills.clone(),
                },
                format!("lacks {}", skills.join(", ")),
            ),
            Exclusion::PinnedToOther => (
                ExclusionReason::PinnedToOther,
                "the job stays with its assigned technician".to_owned(),
            ),
            Exclusion::OutsideShift => (
                ExclusionReason::OutsideShift,
                format!(
                    "works {}–{}; the job's windows are outside those hours",
                    self.clock(t.shift.0),
                    self.clock(t.shift.1)
                ),
            ),
            Exclusion::WindowUnreachable => (
                ExclusionReason::WindowUnreachable,
                "cannot reach it within its window without making another visit late or \
                 working past the end of the shift"
                    .to_owned(),
            ),
            Exclusion::OverMaxJobs => (
                ExclusionReason::OverMaxJobs,
                format!(
                    "already has the most jobs allowed in a day ({})",
                    t.max_jobs
                ),
            ),
            Exclusion::OverCapacity => (
                ExclusionReason::OverCapacity,
                "the van has no room for the job's load".to_owned(),
            ),
        }
    }

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

    fn name_of(&self, user: UserId) -> String {
        self.techs
            .iter()
            .find(|t| t.user == user)
            .map(|t| t.name.clone())
            .or_else(|| {
                self.off
                    .iter()
                    .find(|(u, _)| *u == user)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_else(|| "another technician".to_owned())
    }
}

fn unassigned_words(r: &UnassignedReason) -> (UnplacedReason, &'static str) {
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

fn km(metres: i64) -> String {
    format!("{:.1} km", metres as f64 / 1000.0)
}

fn minutes(seconds: i64) -> String {
    let m = (seconds + 59).div_euclid(60);
    if m >= 60 {
        format!("{} h {} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

// ---------------------------------------------------------------- what the dispatcher sees

/// A job that would move if the suggestion is taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MovedVisit {
    pub job: JobId,
    pub number: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// One technician who could take the job, cheapest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianOption {
    pub technician: UserId,
    pub name: String,
    /// 1 for the best.
    pub rank: u32,
    pub arrival: DateTime<Utc>,
    /// When work would start.
    pub eta: DateTime<Utc>,
    pub added_travel_seconds: i64,
    pub added_metres: i64,
    /// Minutes between finishing and the SLA deadline; negative when it would be late.
    pub sla_slack_minutes: Option<i64>,
    /// Later visits of the technician whose start would move.
    pub moved: Vec<MovedVisit>,
    /// Why, in words: added driving, start time, SLA slack, visits moved.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExclusionReason {
    MissingSkills { skills: Vec<String> },
    PinnedToOther,
    OffThatDay,
    OutsideShift,
    WindowUnreachable,
    OverMaxJobs,
    OverCapacity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExcludedTechnician {
    pub technician: UserId,
    pub name: String,
    pub reason: ExclusionReason,
    pub detail: String,
}

/// "Who should take this job?"
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobSuggestion {
    pub job: JobId,
    pub number: String,
    pub date: NaiveDate,
    pub candidates: Vec<TechnicianOption>,
    pub excluded: Vec<ExcludedTechnician>,
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use domain::ids::{CustomerId, OrgId};
    use domain::jobs::{ServiceType, StatusChange, TimeWindow};
    use domain::org::{Break, WeeklyHours};
    use domain::places::Address;
    use vrptw::solve::Iterations;
    use vrptw::{Haversine, PlanOptions};

    const SHANGHAI: LatLng = LatLng {
        lat: 31.2304,
        lng: 121.4737,
    };

    struct Fixture {
        store: Store,
        records: Vec<Record>,
    }

    fn id(n: u128) -> uuid::Uuid {
        domain::ids::uuid_v7_from_parts(1_800_000_000_000, n)
    }

    /// A store in `tz` with technicians working Monday to Friday, 09:00 to 18:00, lunch at 12:00.
    fn fixture(tz: Tz, technicians: usize) -> Fixture {
        let org = OrgId(id(1));
        let store = Store {
            id: StoreId(id(2)),
            org,
            name: "Shop".into(),
            address: Address::default(),
            location: SHANGHAI,
            time_zone: tz,
            opening_hours: WeeklyHours::default(),
        };
        let mut records = Vec::new();
        for t in 0..technicians {
            let user = UserId(id(100 + t as u128));
            records.push(Record::User(User {
                id: user,
                org,
                name: format!("Tech {t}"),
                login: format!("tech{t}"),
                phone: None,
                roles: vec![Role::Technician],
                stores: vec![store.id],
                active: true,
            }));
            records.push(Record::Technician(TechnicianProfile {
                user,
                org,
                store: store.id,
                skills: vec!["tuning".into()],
                home_base: SHANGHAI,
                working_hours: WeeklyHours::uniform(&[1, 2, 3, 4, 5], 9 * 60, 18 * 60),
                breaks: vec![Break {
                    start: 12 * 60,
                    minutes: 45,
                }],
                max_jobs_per_day: 8,
            }));
        }
        Fixture { store, records }
    }

    impl Fixture {
        fn local(&self, date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
            self.store
                .time_zone
                .from_local_datetime(&date.and_hms_opt(h, m, 0).unwrap())
                .earliest()
                .unwrap()
                .with_timezone(&Utc)
        }

        /// An open job at `place`, window from..to local hours on `date`.
        fn job(
            &mut self,
            n: u128,
            date: NaiveDate,
            from: u32,
            to: u32,
            place: Option<LatLng>,
        ) -> JobId {
            let job = Job {
                id: JobId(id(1000 + n)),
                org: self.store.org,
                store: self.store.id,
                customer: CustomerId(id(2000 + n)),
                asset: None,
                service_address: Address {
                    location: place,
                    ..Address::default()
                },
                service_type: ServiceType::Tuning,
                description: String::new(),
                required_skills: vec!["tuning".into()],
                estimated_minutes: 60,
                priority: Priority::Normal,
                windows: vec![TimeWindow {
                    start: self.local(date, from, 0),
                    end: self.local(date, to, 0),
                }],
                sla_deadline: self.local(date, 23, 0),
                technician: None,
                planned_start: None,
                status: JobStatus::New,
                follow_up: None,
                cancel_reason: None,
                completion: None,
                history: Vec::new(),
                created_at: self.local(date, 0, 0) - Duration::days(1),
                created_by: UserId(id(100)),
            };
            let id = job.id;
            self.records.push(Record::Job(job));
            id
        }

        fn edit(&mut self, job: JobId, f: impl FnOnce(&mut Job)) {
            let found = self.records.iter_mut().find_map(|r| match r {
                Record::Job(j) if j.id == job => Some(j),
                _ => None,
            });
            f(found.expect("a job of the fixture"));
        }

        fn day(&self, date: NaiveDate, now: DateTime<Utc>) -> Day {
            Day::from_records(&self.store, date, &self.records, now).unwrap()
        }
    }

    fn near(k: u32) -> Option<LatLng> {
        Some(LatLng {
            lat: SHANGHAI.lat + 0.01 * f64::from(k),
            lng: SHANGHAI.lng,
        })
    }

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn hours_breaks_and_windows_are_read_in_the_store_zone() {
        let mut f = fixture(chrono_tz::Asia::Shanghai, 1);
        let job = f.job(1, monday(), 10, 12, near(1));
        let day = f.day(monday(), f.local(monday(), 0, 0) - Duration::days(1));
        assert_eq!(day.techs[0].shift, (9 * 3600, 18 * 3600));
        let tech = &day.technicians[0];
        assert_eq!(tech.breaks[0].window.start, 12 * 3600);
        assert_eq!(tech.breaks[0].duration, 45 * 60);
        assert_eq!(
            day.dispatch_jobs[0].windows,
            vec![p::TimeWindow::new(10 * 3600, 12 * 3600)]
        );

        let travel = Haversine::default();
        let board = day.board(&travel, false).unwrap();
        let s = day.suggest(&board, job, &travel).unwrap();
        let c = &s.candidates[0];
        assert_eq!(c.eta, f.local(monday(), 10, 0), "waits for the window");
        assert!(c.reasons.iter().any(|r| r == "can start at 10:00"), "{c:?}");
    }

    #[test]
    fn a_day_that_loses_an_hour_counts_real_seconds() {
        // New York springs forward on 2026-03-08 (a Sunday): 09:00 is 8 hours after midnight.
        let mut f = fixture(chrono_tz::America::New_York, 1);
        if let Record::Technician(p) = &mut f.records[1] {
            p.working_hours = WeeklyHours::uniform(&[7], 9 * 60, 17 * 60);
        }
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let day = f.day(sunday, f.local(sunday, 0, 0) - Duration::days(1));
        assert_eq!(day.techs[0].shift, (8 * 3600, 16 * 3600));
        assert_eq!(day.at(8 * 3600), f.local(sunday, 9, 0));
    }

    #[test]
    fn jobs_out_of_the_day_say_why_and_jobs_without_a_position_are_explained() {
        let mut f = fixture(chrono_tz::Asia::Shanghai, 2);
        let ok = f.job(1, monday(), 10, 14, near(1));
        let tomorrow = f.job(2, monday() + Duration::days(1), 10, 14, near(2));
        let done = f.job(3, monday(), 10, 14, near(3));
        f.edit(done, |j| j.status = JobStatus::Completed);
        let nowhere = f.job(4, monday(), 10, 14, None);
        let parts = f.job(5, monday(), 10, 14, near(5));
        f.edit(parts, |j| {
            j.status = JobStatus::NeedsFollowUp;
            j.follow_up = Some(domain::jobs::FollowUpNeed {
                kind: FollowUpKind::Parts,
                reason: "valve".into(),
            });
        });
        let day = f.day(monday(), f.local(monday(), 7, 0));
        let travel = Haversine::default();
        let board = day.board(&travel, false).unwrap();
        let ask = |j| day.suggest(&board, j, &travel).map(|_| ());
        assert_eq!(ask(ok), Ok(()));
        assert_eq!(ask(tomorrow), Err(DayError::JobNotOnDay));
        assert_eq!(ask(done), Err(DayError::JobClosed));
        assert_eq!(ask(nowhere), Err(DayError::JobWithoutPosition));
        assert_eq!(ask(parts), Err(DayError::JobWaitingForParts));
        assert_eq!(ask(JobId(id(9999))), Err(DayError::UnknownJob));

        let proposal = day.plan(&board, &PlanOptions::default(), &mut Iterations::new(200));
        let reason = |j: JobId| {
            proposal
                .unassigned
                .iter()
                .find(|u| u.job == j)
                .map(|u| u.reason)
        };
        assert_eq!(reason(nowhere), Some(UnplacedReason::NoPosition));
        assert_eq!(reason(parts), Some(UnplacedReason::WaitingForParts));
        assert_eq!(
            reason(tomorrow),
            None,
            "another day's job is not this day's business"
        );
        assert!(
            proposal
                .changes
                .iter()
                .any(|c| c.job == ok && c.kind == PlanChangeKind::Assign)
        );
        assert_eq!(
            Day::from_records(
                &f.store,
                monday(),
                &f.records,
                f.local(monday(), 23, 59) + Duration::minutes(2)
            )
            .err(),
            Some(DayError::DayOver)
        );
    }

    #[test]
    fn off_days_and_missing_skills_are_reasons_not_silence() {
        let mut f = fixture(chrono_tz::Asia::Shanghai, 3);
        if let Record::Technician(p) = &mut f.records[3] {
            p.working_hours = WeeklyHours::uniform(&[2], 9 * 60, 18 * 60);
        }
        if let Record::Technician(p) = &mut f.records[5] {
            p.skills.clear();
        }
        let job = f.job(1, monday(), 10, 14, near(1));
        let day = f.day(monday(), f.local(monday(), 7, 0));
        let travel = Haversine::default();
        let board = day.board(&travel, false).unwrap();
        let s = day.suggest(&board, job, &travel).unwrap();
        assert_eq!(s.candidates.len(), 1);
        let why: Vec<(&ExclusionReason, &str)> = s
            .excluded
            .iter()
            .map(|e| (&e.reason, e.detail.as_str()))
            .collect();
        assert!(
            why.iter()
                .any(|(r, d)| **r == ExclusionReason::OffThatDay && d.contains("Monday")),
            "{why:?}"
        );
        assert!(why.iter().any(|(r, d)| matches!(r, ExclusionReason::MissingSkills { skills } if skills == &["tuning"]) && d.contains("tuning")), "{why:?}");
    }

    #[test]
    fn work_under_way_stays_first_and_assignments_move_only_as_changes() {
        let mut f = fixture(chrono_tz::Asia::Shanghai, 2);
        let techs = [UserId(id(100)), UserId(id(101))];
        let now = f.local(monday(), 10, 0);
        let busy = f.job(1, monday(), 9, 12, near(1));
        f.edit(busy, |j| {
            j.status = JobStatus::OnSite;
            j.technician = Some(techs[0]);
            j.history.push(StatusChange {
                from: JobStatus::EnRoute,
                to: JobStatus::OnSite,
                by: techs[0],
                at: now - Duration::minutes(30),
                location: near(1),
                technician: Some(techs[0]),
                note: None,
            });
        });
        let planned = f.job(2, monday(), 11, 17, near(2));
        f.edit(planned, |j| {
            j.status = JobStatus::Assigned;
            j.technician = Some(techs[1]);
            j.planned_start = Some(f_local(monday(), 11));
        });
        let open = f.job(3, monday(), 10, 17, near(3));
        let day = f.day(monday(), now);
        let travel = Haversine::default();
        let board = day.board(&travel, false).unwrap();
        assert_eq!(
            day.suggest(&board, busy, &travel).err(),
            Some(DayError::JobUnderway)
        );
        let proposal = day.plan(&board, &PlanOptions::default(), &mut Iterations::new(300));
        let first = &proposal.routes[0].visits[0];
        assert_eq!(
            (first.job, first.fixed, first.changed),
            (Some(busy), true, false)
        );
        assert_eq!(
            first.end,
            now - Duration::minutes(30) + Duration::minutes(60)
        );
        assert!(proposal.changes.iter().all(|c| c.job != busy));
        assert!(
            proposal
                .changes
                .iter()
                .any(|c| c.job == open && c.kind == PlanChangeKind::Assign)
        );
        for r in &proposal.routes {
            for v in r.visits.iter().filter(|v| !v.fixed) {
                assert!(v.start >= now, "nothing starts in the past: {v:?}");
            }
        }
        // Every change is exactly one assignment op, with the planned start.
        let made = proposal
            .changes
            .iter()
            .filter(|c| c.kind != PlanChangeKind::Keep);
        for (c, op) in made.zip(proposal.ops()) {
            assert_eq!(
                op,
                OpKind::AssignJob {
                    job: c.job,
                    technician: c.technician.unwrap(),
                    planned_start: c.planned_start
                }
            );
        }
    }

    fn f_local(date: NaiveDate, h: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .from_local_datetime(&date.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    }
}
