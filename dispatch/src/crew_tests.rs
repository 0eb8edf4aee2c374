//! Crew jobs end to end: suggested as whole crews, planned on every member's route at one
//! start, and never half-staffed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::ids::{JobId, UserId};
use domain::jobs::JobStatus;
use proptest::prelude::*;
use vrptw::Haversine;
use vrptw::plan::PlanOptions;
use vrptw::solve::Iterations;

use crate::tests::{fixture, monday, near};
use crate::*;

/// Where each job of a proposal is, by technician, with its start.
fn placements(p: &PlanProposal) -> BTreeMap<JobId, Vec<(UserId, DateTime<Utc>)>> {
    let mut out: BTreeMap<JobId, Vec<(UserId, DateTime<Utc>)>> = BTreeMap::new();
    for r in &p.routes {
        for v in &r.visits {
            if let Some(j) = v.job {
                out.entry(j).or_default().push((r.technician, v.start));
            }
        }
    }
    out
}

#[test]
fn a_crew_job_is_suggested_as_whole_crews_that_start_together() {
    let mut f = fixture(chrono_tz::Asia::Shanghai, 3);
    let piano = f.job(1, monday(), 9, 17, near(3));
    f.edit(piano, |j| j.crew_size = 2);
    // Tech 0 is busy far away in the morning: a crew with them starts later.
    let busy = f.job(2, monday(), 9, 10, near(40));
    let at9 = f.local(monday(), 9, 0);
    f.edit(busy, |j| {
        j.technician = Some(UserId(crate::tests::id(100)));
        j.status = JobStatus::Assigned;
        j.planned_start = Some(at9);
    });
    let day = f.day(monday(), f.local(monday(), 7, 0));
    let travel = Haversine::default();
    let board = day.board(&travel, false).unwrap();
    let s = day.suggest(&board, piano, &travel).unwrap();
    assert!(!s.candidates.is_empty(), "{s:?}");
    for c in &s.candidates {
        assert_eq!(c.crew.len(), 1, "one other beside the technician: {c:?}");
        assert_ne!(c.crew[0].technician, c.technician);
    }
    assert!(
        s.candidates
            .windows(2)
            .all(|w| w[0].added_metres <= w[1].added_metres),
        "cheapest crew first"
    );
    // A crew with the busy technician waits for them: never before their morning job ends
    // and they have driven back.
    let free_at = f.local(monday(), 10, 0);
    let busy_tech = UserId(crate::tests::id(100));
    let with_busy: Vec<_> = s
        .candidates
        .iter()
        .filter(|c| c.technician == busy_tech || c.crew[0].technician == busy_tech)
        .collect();
    assert!(!with_busy.is_empty(), "{s:?}");
    assert!(with_busy.iter().all(|c| c.eta > free_at), "{with_busy:?}");
    // The two free technicians could start as soon as the window opens.
    let free: Vec<_> = s
        .candidates
        .iter()
        .filter(|c| c.technician != busy_tech && c.crew[0].technician != busy_tech)
        .collect();
    assert!(free.iter().any(|c| c.eta < free_at), "{free:?}");
}

#[test]
fn a_plan_puts_a_crew_job_on_each_members_route_at_one_start() {
    let mut f = fixture(chrono_tz::Asia::Shanghai, 3);
    let piano = f.job(1, monday(), 10, 15, near(3));
    f.edit(piano, |j| j.crew_size = 2);
    for n in 2..8 {
        f.job(n, monday(), 9, 17, near(n as u32));
    }
    let day = f.day(monday(), f.local(monday(), 7, 0));
    let travel = Haversine::default();
    let board = day.board(&travel, false).unwrap();
    let p = day.plan(
        &board,
        &travel,
        &PlanOptions::default(),
        &mut Iterations::new(300),
    );
    let at = placements(&p);
    let crew = &at[&piano];
    assert_eq!(crew.len(), 2, "{crew:?}");
    assert_ne!(crew[0].0, crew[1].0, "two different technicians");
    assert_eq!(crew[0].1, crew[1].1, "one start for both");
    let change = p.changes.iter().find(|c| c.job == piano).expect("assigned");
    assert_eq!(change.crew.len(), 1);
    let mut named = vec![change.technician.unwrap(), change.crew[0]];
    named.sort();
    let mut routed = vec![crew[0].0, crew[1].0];
    routed.sort();
    assert_eq!(named, routed, "the op names the crew the routes show");
    assert_eq!(
        p.ops()
            .iter()
            .filter(|o| matches!(o, domain::ops::OpKind::AssignJob { job, .. } if *job == piano))
            .count(),
        1
    );
    // Every other job is placed once.
    assert!(
        at.iter()
            .filter(|(j, _)| **j != piano)
            .all(|(_, v)| v.len() == 1)
    );
}

#[test]
fn a_crew_bigger_than_the_day_is_left_out_whole_and_says_why() {
    let mut f = fixture(chrono_tz::Asia::Shanghai, 2);
    let install = f.job(1, monday(), 9, 17, near(2));
    f.edit(install, |j| j.crew_size = 3);
    let day = f.day(monday(), f.local(monday(), 7, 0));
    let travel = Haversine::default();
    let board = day.board(&travel, false).unwrap();
    let p = day.plan(
        &board,
        &travel,
        &PlanOptions::default(),
        &mut Iterations::new(100),
    );
    assert!(!placements(&p).contains_key(&install), "not half-staffed");
    assert_eq!(
        p.unassigned
            .iter()
            .find(|u| u.job == install)
            .map(|u| u.reason),
        Some(UnplacedReason::NoCrew { size: 3 })
    );
    assert!(p.changes.iter().all(|c| c.job != install));
    let s = day.suggest(&board, install, &travel).unwrap();
    assert!(s.candidates.is_empty(), "no crew of three: {s:?}");
}

#[test]
fn an_assigned_crew_job_is_on_both_timelines_of_the_board() {
    let mut f = fixture(chrono_tz::Asia::Shanghai, 2);
    let piano = f.job(1, monday(), 10, 15, near(3));
    let (a, b) = (UserId(crate::tests::id(100)), UserId(crate::tests::id(101)));
    let at = f.local(monday(), 11, 0);
    f.edit(piano, |j| {
        j.crew_size = 2;
        j.technician = Some(a);
        j.crew = vec![b];
        j.status = JobStatus::Assigned;
        j.planned_start = Some(at);
    });
    let day = f.day(monday(), f.local(monday(), 7, 0));
    let travel = Haversine::default();
    let board = day.board(&travel, true).unwrap();
    let starts: Vec<i64> = board
        .current
        .routes
        .iter()
        .flat_map(|r| r.visits.iter())
        .filter(|v| matches!(&v.kind, vrptw::solution::VisitKind::Job(_)))
        .map(|v| v.start)
        .collect();
    assert_eq!(starts.len(), 2, "{:?}", board.current);
    assert_eq!(starts[0], starts[1]);
    assert_eq!(day.at(starts[0]), at, "at the time it was given");
    // A plan that keeps it changes nothing about it.
    let p = day.plan(
        &board,
        &travel,
        &PlanOptions::default(),
        &mut Iterations::new(100),
    );
    assert!(p.changes.iter().all(|c| c.job != piano), "{:?}", p.changes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the day, a crew job is on exactly `size` different routes at one start, or
    /// on none and listed as left out.
    #[test]
    fn crews_are_whole_or_absent(
        techs in 1usize..5,
        jobs in proptest::collection::vec((9u32..15, 1u32..4, 0u32..30, 1u8..4), 1..9),
    ) {
        let mut f = fixture(chrono_tz::Asia::Shanghai, techs);
        let mut sizes = BTreeMap::new();
        for (n, (from, len, place, size)) in jobs.iter().enumerate() {
            let j = f.job(n as u128 + 1, monday(), *from, (*from + *len).min(18), near(*place));
            f.edit(j, |j| j.crew_size = *size);
            sizes.insert(j, *size);
        }
        let day = f.day(monday(), f.local(monday(), 7, 0));
        let travel = Haversine::default();
        let board = day.board(&travel, false).unwrap();
        let p = day.plan(&board, &travel, &PlanOptions::default(), &mut Iterations::new(60));
        let at = placements(&p);
        for (job, size) in &sizes {
            match at.get(job) {
                Some(v) => {
                    prop_assert_eq!(v.len(), usize::from(*size), "{:?}", v);
                    let mut who: Vec<UserId> = v.iter().map(|(u, _)| *u).collect();
                    who.sort();
                    who.dedup();
                    prop_assert_eq!(who.len(), v.len(), "distinct technicians");
                    prop_assert!(v.iter().all(|(_, s)| *s == v[0].1), "one start: {:?}", v);
                    let c = p.changes.iter().find(|c| c.job == *job);
                    prop_assert!(c.is_some_and(|c| c.crew.len() + 1 == usize::from(*size)));
                }
                None => prop_assert!(p.unassigned.iter().any(|u| u.job == *job)),
            }
        }
    }
}

#[test]
fn a_crew_job_without_a_window_is_suggested() {
    let mut f = fixture(chrono_tz::Asia::Shanghai, 3);
    let piano = f.job(1, monday(), 9, 17, near(3));
    f.edit(piano, |j| {
        j.crew_size = 2;
        j.windows.clear();
    });
    let day = f.day(monday(), f.local(monday(), 10, 30));
    let travel = Haversine::default();
    let board = day.board(&travel, false).unwrap();
    let s = day.suggest(&board, piano, &travel).unwrap();
    assert!(!s.candidates.is_empty(), "{s:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Issue 14: "+2.6 km, +-9 min" and "moves 1 later visit by up to -32 min". Every figure
    /// a suggestion's reasons give is a positive amount in the direction its words say.
    #[test]
    fn suggestion_figures_are_never_negative(
        techs in 1usize..4,
        jobs in proptest::collection::vec((8u32..16, 1u32..5, 0u32..40, any::<bool>()), 2..10),
    ) {
        let mut f = fixture(chrono_tz::Asia::Shanghai, techs);
        let mut ids = Vec::new();
        for (n, (from, len, place, assigned)) in jobs.iter().enumerate() {
            let j = f.job(n as u128 + 1, monday(), *from, (*from + *len).min(18), near(*place));
            if *assigned {
                let tech = UserId(crate::tests::id(100 + (n % techs) as u128));
                let at = f.local(monday(), *from, 0);
                f.edit(j, |j| {
                    j.technician = Some(tech);
                    j.status = JobStatus::Assigned;
                    j.planned_start = Some(at);
                });
            } else {
                ids.push(j);
            }
        }
        let day = f.day(monday(), f.local(monday(), 7, 0));
        let travel = Haversine::default();
        let board = day.board(&travel, false).unwrap();
        for j in ids {
            let s = day.suggest(&board, j, &travel).unwrap();
            for c in &s.candidates {
                prop_assert!(c.added_metres >= 0 && c.added_travel_seconds >= 0, "{:?}", c);
                for r in &c.reasons {
                    match r {
                        CandidateReason::AddedDriving { metres, seconds } => {
                            prop_assert!(*metres >= 0 && *seconds >= 0, "{:?}", r);
                        }
                        CandidateReason::MovesVisits { count, most_seconds }
                        | CandidateReason::BringsForward { count, most_seconds } => {
                            prop_assert!(*count > 0 && *most_seconds > 0, "{:?}", r);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}
