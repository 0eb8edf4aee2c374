//! One store's local day, built from records: technicians, open jobs, breaks and where
//! everyone is, in the engine's terms; and the clock it is read by.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use domain::ids::{JobId, StoreId, UserId};
use domain::jobs::{FollowUpKind, Job, JobStatus, Priority};
use domain::ops::Record;
use domain::org::{Role, Store, TechnicianProfile, User};
use domain::places::LatLng;
use vrptw::plan::current;
use vrptw::problem::{self as p, Problem, ProblemError, Underway};
use vrptw::solution::Plan;
use vrptw::travel::{Location, TravelTimes};

/// A break may start this much after its set time, so that a job is not refused for the few
/// minutes a fixed lunch hour would cost.
pub(crate) const BREAK_SLACK_SECONDS: i64 = 30 * 60;
/// A job keyed by when it is planned, for ordering a technician's day.
pub(crate) type Timed = (Option<DateTime<Utc>>, p::JobId);

/// A planned start that moves less than this is not worth a change (and an op) of its own.
pub(crate) const RETIME_THRESHOLD_SECONDS: i64 = 15 * 60;

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
pub(crate) struct TechInfo {
    pub(crate) user: UserId,
    pub(crate) name: String,
    /// Local working hours of the day, for reasons.
    pub(crate) shift: (i64, i64),
    pub(crate) max_jobs: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct JobInfo {
    pub(crate) id: JobId,
    pub(crate) number: String,
    pub(crate) technician: Option<UserId>,
    /// Technicians the job needs at once; each beyond the first is a twin in the problem
    /// (`crew::twin`), placed at the same start.
    pub(crate) crew_size: u8,
    pub(crate) crew: Vec<UserId>,
    pub(crate) planned_start: Option<DateTime<Utc>>,
    pub(crate) status: JobStatus,
}

impl JobInfo {
    /// Who works copy `k` of the job (0 the technician, then the crew in order).
    pub(crate) fn worker(&self, k: u8) -> Option<UserId> {
        match k {
            0 => self.technician,
            k => self.crew.get(usize::from(k) - 1).copied(),
        }
    }
}

/// One store's day as dispatch sees it, built from records.
#[derive(Debug, Clone)]
pub struct Day {
    pub store: StoreId,
    pub date: NaiveDate,
    pub(crate) midnight: DateTime<Utc>,
    pub(crate) now: Option<i64>,
    pub(crate) techs: Vec<TechInfo>,
    /// Technicians of the store who do not work this day.
    /// Technicians not working that day: off by their hours (`None`) or away.
    pub(crate) off: Vec<(UserId, String, Option<domain::org::AbsenceKind>)>,
    pub(crate) jobs: Vec<JobInfo>,
    pub(crate) skipped: Vec<(JobInfo, SkipReason)>,
    /// Closed or other-day jobs of the store, so that asking about them gets a precise error.
    pub(crate) elsewhere: HashMap<JobId, DayError>,
    pub(crate) technicians: Vec<p::Technician>,
    pub(crate) dispatch_jobs: Vec<p::Job>,
    /// Current positions; en-route ETAs are computed from them once travel times are known.
    pub(crate) en_route_from: Vec<Option<Location>>,
}

/// The day's problem with today's assignments as a timed plan.
#[derive(Debug, Clone)]
pub struct Board {
    pub problem: Problem,
    pub current: Plan,
}

pub(crate) fn loc(l: LatLng) -> Location {
    Location {
        lat: l.lat,
        lon: l.lng,
    }
}

pub(crate) fn priority(p: Priority) -> u8 {
    match p {
        Priority::Low => 0,
        Priority::Normal => 3,
        Priority::High => 6,
        Priority::Urgent => 9,
    }
}

pub(crate) fn tech_id(u: UserId) -> p::TechnicianId {
    p::TechnicianId(u.0.to_string())
}

pub(crate) fn job_id(j: JobId) -> p::JobId {
    p::JobId(j.0.to_string())
}

/// Local midnight of `date`; on the rare zones whose midnight is skipped, the first valid
/// instant after it.
pub(crate) fn local_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
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

pub(crate) fn minute(date: NaiveDate, tz: Tz, midnight: DateTime<Utc>, minute_of_day: u16) -> i64 {
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
            // Away (sick, on leave): out of the day, and their jobs are planned for others.
            if let Some(a) = prof.away_on(date) {
                off.push((user.id, user.name.clone(), Some(a.kind)));
                continue;
            }
            let hours: Vec<_> = prof.working_hours.on(weekday).collect();
            let (Some(first), Some(last)) = (
                hours.iter().map(|h| h.start).min(),
                hours.iter().map(|h| h.end).max(),
            ) else {
                off.push((user.id, user.name.clone(), None));
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
                crew_size: j.crew_size.clamp(1, domain::jobs::MAX_CREW),
                crew: j.crew.clone(),
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
                // The crew is there too (or on the way): each on their own copy of it.
                for (k, u) in (1..info.crew_size).zip(&info.crew) {
                    let Some(&c) = tech_index.get(u) else {
                        continue;
                    };
                    if technicians[c].underway.is_some() {
                        continue;
                    }
                    let mut twin = technicians[t].underway.clone();
                    if let Some(Underway::InProgress { job, .. } | Underway::EnRoute { job, .. }) =
                        twin.as_mut()
                    {
                        *job = crate::crew::twin(j.id, k);
                    }
                    technicians[c].underway = twin;
                    if j.status == JobStatus::EnRoute {
                        en_route_from[c] =
                            Some(technicians[c].position.unwrap_or(technicians[c].start));
                    }
                    technicians[c].position = Some(loc(place));
                }
            }
            let copies = info.crew_size;
            jobs.push(info);
            let first = dispatch_jobs.len();
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
            for k in 1..copies {
                let mut twin = dispatch_jobs[first].clone();
                twin.id = crate::crew::twin(j.id, k);
                dispatch_jobs.push(twin);
            }
        }
        Ok(Day {
            store: store.id,
            date,
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
        for job in &mut jobs {
            let Some((info, k)) = self.copy_of(&job.id) else {
                continue;
            };
            if info.status != JobStatus::Assigned {
                continue;
            }
            let Some(t) = info.worker(k).and_then(|u| tech_index.get(&u).copied()) else {
                continue;
            };
            if keep_assignments {
                job.pinned_technician = Some(tech_id(self.techs[t].user));
            }
            if info.crew_size > 1 {
                // A crew meets at one time: the one the job was given.
                job.pinned_start = info
                    .planned_start
                    .map(|s| (s - self.midnight).num_seconds())
                    .filter(|s| {
                        job.windows.is_empty()
                            || job.windows.iter().any(|w| w.start <= *s && *s <= w.end)
                    });
            }
            let order = info.planned_start.or_else(|| {
                job.windows
                    .first()
                    .map(|w| self.midnight + Duration::seconds(w.start))
            });
            assigned[t].1.push((order, job.id.clone()));
        }
        let problem = Problem::new(technicians, jobs, travel, self.now)?;
        let assigned: Vec<(p::TechnicianId, Vec<p::JobId>)> = assigned
            .into_iter()
            .map(|(t, mut js)| {
                js.sort();
                (t, js.into_iter().map(|(_, j)| j).collect())
            })
            .collect();
        let current = current(&problem, &assigned);
        Ok(Board { problem, current })
    }

    pub(crate) fn at(&self, seconds: i64) -> DateTime<Utc> {
        self.midnight + Duration::seconds(seconds)
    }

    /// The job a visit of the problem is of, whichever copy of a crew job it is.
    pub(crate) fn info(&self, id: &p::JobId) -> Option<&JobInfo> {
        self.copy_of(id).map(|(info, _)| info)
    }

    /// The job and which copy of it (0 for the job itself, then one per crew member).
    pub(crate) fn copy_of(&self, id: &p::JobId) -> Option<(&JobInfo, u8)> {
        let (base, k) = crate::crew::split(id);
        self.jobs
            .iter()
            .find(|j| j.id.0.to_string() == base)
            .map(|j| (j, k))
    }

    pub(crate) fn tech(&self, id: &p::TechnicianId) -> Option<&TechInfo> {
        self.techs.iter().find(|t| tech_id(t.user) == *id)
    }
}
