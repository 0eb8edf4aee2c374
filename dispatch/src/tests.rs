//! The adapter end to end: records in, suggestions and proposals out.

use super::*;
use crate::day::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use domain::ids::{CustomerId, OrgId};
use domain::ids::{JobId, StoreId, UserId};
use domain::jobs::{FollowUpKind, Job, JobStatus, Priority};
use domain::jobs::{ServiceType, StatusChange, TimeWindow};
use domain::ops::{OpKind, Record};
use domain::org::{Break, WeeklyHours};
use domain::org::{Role, Store, TechnicianProfile, User};
use domain::places::Address;
use domain::places::LatLng;
use vrptw::Haversine;
use vrptw::plan::PlanOptions;
use vrptw::problem::{self as p};
use vrptw::solve::Iterations;

const SHANGHAI: LatLng = LatLng {
    lat: 31.2304,
    lng: 121.4737,
};

pub(crate) struct Fixture {
    store: Store,
    records: Vec<Record>,
}

pub(crate) fn id(n: u128) -> uuid::Uuid {
    domain::ids::uuid_v7_from_parts(1_800_000_000_000, n)
}

/// A store in `tz` with technicians working Monday to Friday, 09:00 to 18:00, lunch at 12:00.
pub(crate) fn fixture(tz: Tz, technicians: usize) -> Fixture {
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
            follow_up_capacity: None,
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
            absences: Vec::new(),
        }));
    }
    Fixture { store, records }
}

impl Fixture {
    pub(crate) fn local(&self, date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
        self.store
            .time_zone
            .from_local_datetime(&date.and_hms_opt(h, m, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    /// An open job at `place`, window from..to local hours on `date`.
    pub(crate) fn job(
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
            crew: Vec::new(),
            crew_size: 1,
        };
        let id = job.id;
        self.records.push(Record::Job(job));
        id
    }

    pub(crate) fn edit(&mut self, job: JobId, f: impl FnOnce(&mut Job)) {
        let found = self.records.iter_mut().find_map(|r| match r {
            Record::Job(j) if j.id == job => Some(j),
            _ => None,
        });
        f(found.expect("a job of the fixture"));
    }

    pub(crate) fn day(&self, date: NaiveDate, now: DateTime<Utc>) -> Day {
        Day::from_records(&self.store, date, &self.records, now).unwrap()
    }
}

pub(crate) fn near(k: u32) -> Option<LatLng> {
    Some(LatLng {
        lat: SHANGHAI.lat + 0.01 * f64::from(k),
        lng: SHANGHAI.lng,
    })
}

pub(crate) fn monday() -> NaiveDate {
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
    assert!(
        c.reasons.iter().any(|r| *r
            == CandidateReason::StartsAt {
                at: f.local(monday(), 10, 0)
            }),
        "{c:?}"
    );
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

    let proposal = day.plan(
        &board,
        &travel,
        &PlanOptions::default(),
        &mut Iterations::new(200),
    );
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
    let why: Vec<&ExclusionReason> = s.excluded.iter().map(|e| &e.reason).collect();
    // The day it is about, for the words "does not work on Monday".
    assert_eq!(s.date.weekday(), chrono::Weekday::Mon);
    assert!(
        why.iter().any(|r| **r == ExclusionReason::OffThatDay),
        "{why:?}"
    );
    assert!(
        why.iter().any(
            |r| matches!(r, ExclusionReason::MissingSkills { skills } if skills == &["tuning"])
        ),
        "{why:?}"
    );
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
            crew: Vec::new(),
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
    let proposal = day.plan(
        &board,
        &travel,
        &PlanOptions::default(),
        &mut Iterations::new(300),
    );
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
                planned_start: c.planned_start,
                why: None,
                crew: Vec::new(),
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

/// Issue 14: a technician away (sick) is out of the day with the reason said, and a re-plan
/// hands their jobs to the others.
#[test]
fn a_technician_away_is_left_out_and_their_jobs_go_to_others() {
    let mut f = fixture(chrono_tz::Asia::Shanghai, 2);
    let (away, other) = (UserId(id(100)), UserId(id(101)));
    let told = f.local(monday(), 7, 0);
    if let Record::Technician(p) = &mut f.records[1] {
        assert_eq!(p.user, away);
        p.absences.push(domain::org::Absence {
            kind: domain::org::AbsenceKind::Sick,
            from: monday(),
            to: monday(),
            by: other,
            at: told,
        });
    }
    let theirs = f.job(1, monday(), 10, 14, near(1));
    let planned = f.local(monday(), 10, 0);
    f.edit(theirs, |j| {
        j.technician = Some(away);
        j.status = JobStatus::Assigned;
        j.planned_start = Some(planned);
    });
    let queued = f.job(2, monday(), 9, 17, near(2));
    let day = f.day(monday(), f.local(monday(), 7, 0));
    let travel = Haversine::default();
    let board = day.board(&travel, false).unwrap();
    let s = day.suggest(&board, queued, &travel).unwrap();
    assert!(s.candidates.iter().all(|c| c.technician != away));
    assert!(
        s.excluded.iter().any(|e| e.technician == away
            && e.reason
                == ExclusionReason::Away {
                    kind: domain::org::AbsenceKind::Sick
                }),
        "{:?}",
        s.excluded
    );
    let proposal = day.plan(
        &board,
        &travel,
        &PlanOptions::default(),
        &mut Iterations::new(200),
    );
    let moved = proposal
        .changes
        .iter()
        .find(|c| c.job == theirs)
        .expect("their job moves");
    assert_eq!(moved.kind, PlanChangeKind::Reassign { from: away });
    assert_eq!(moved.technician, Some(other));
    // The day after, they are back.
    let tuesday = monday() + Duration::days(1);
    let next = f.day(tuesday, f.local(tuesday, 7, 0));
    assert!(next.technician_ids().any(|t| t == away));
}
