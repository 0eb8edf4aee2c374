//! Behaviour of `vrptw` through its public API: day plans checked by the independent
//! checker, suggestions, re-plans, and the Solomon front end on real benchmark data.

use std::collections::BTreeSet;

use proptest::prelude::*;
use vrptw::check::{check_plan, check_solomon};
use vrptw::solomon::Solomon;
use vrptw::solve::{Iterations, SolveOptions, solve};
use vrptw::{
    Break, Exclusion, Haversine, Job, JobId, Location, PlanOptions, Problem, SpeedProfile,
    Technician, TechnicianId, TimeWindow, UnassignedReason, Underway, VisitKind, plan, replan,
    suggest,
};

const H: i64 = 3600;

/// 10 m/s straight-line travel, so a kilometre is 100 s.
fn travel() -> Haversine {
    Haversine {
        detour: 1.0,
        speed: SpeedProfile::constant(10.0),
    }
}

/// `km` east of a fixed origin along the equator-ish line of the city.
fn at(km_east: f64, km_north: f64) -> Location {
    Location {
        lat: 31.2 + km_north / 111.2,
        lon: 121.4 + km_east / 95.1,
    }
}

fn skills(s: &[&str]) -> BTreeSet<String> {
    s.iter().map(|x| x.to_string()).collect()
}

fn tech(id: &str, home: Location, sk: &[&str]) -> Technician {
    Technician {
        id: TechnicianId(id.into()),
        skills: skills(sk),
        shift: TimeWindow::new(8 * H, 17 * H),
        start: home,
        end: Some(home),
        breaks: vec![],
        max_jobs: None,
        capacity: None,
        position: None,
        underway: None,
    }
}

fn job(id: &str, loc: Location) -> Job {
    Job {
        id: JobId(id.into()),
        location: loc,
        duration: 1800,
        windows: vec![],
        skills: BTreeSet::new(),
        priority: 0,
        sla_deadline: None,
        pinned_technician: None,
        pinned_start: None,
        promised: None,
        demand: 0,
    }
}

fn route_of<'a>(p: &'a vrptw::Plan, tech: &str) -> Vec<&'a str> {
    p.routes
        .iter()
        .find(|r| r.technician.0 == tech)
        .map(|r| r.jobs().map(|j| j.0.as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn plan_splits_two_clusters_between_two_technicians() {
    let techs = vec![
        tech("west", at(0.0, 0.0), &[]),
        tech("east", at(20.0, 0.0), &[]),
    ];
    let jobs = vec![
        job("w1", at(1.0, 0.0)),
        job("w2", at(2.0, 0.5)),
        job("e1", at(19.0, 0.0)),
        job("e2", at(21.0, 0.5)),
    ];
    let problem = Problem::new(techs, jobs, &travel(), None).expect("valid");
    let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(200));
    check_plan(&problem, &p).expect("feasible");
    let mut west = route_of(&p, "west");
    west.sort();
    assert_eq!(west, vec!["w1", "w2"]);
    assert_eq!(route_of(&p, "east").len(), 2);
    assert!(p.unassigned.is_empty());
}

#[test]
fn skills_windows_and_breaks_are_respected() {
    let mut alice = tech("alice", at(0.0, 0.0), &["gas"]);
    alice.breaks = vec![Break {
        window: TimeWindow::new(12 * H, 13 * H),
        duration: 1800,
    }];
    let bob = tech("bob", at(0.0, 0.0), &[]);
    let mut gas = job("gas", at(3.0, 0.0));
    gas.skills = skills(&["gas"]);
    let mut morning = job("morning", at(4.0, 0.0));
    morning.windows = vec![
        TimeWindow::new(9 * H, 9 * H + 600),
        TimeWindow::new(15 * H, 16 * H),
    ];
    let mut late = job("late", at(5.0, 1.0));
    late.windows = vec![TimeWindow::new(16 * H, 16 * H + 600)];
    let problem =
        Problem::new(vec![alice, bob], vec![gas, morning, late], &travel(), None).expect("valid");
    let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(300));
    check_plan(&problem, &p).expect("feasible");
    assert_eq!(route_of(&p, "alice").first(), Some(&"gas"));
    let breaks = p.routes[0]
        .visits
        .iter()
        .filter(|v| v.kind == VisitKind::Break(0))
        .count();
    assert_eq!(breaks, 1);
    assert!(p.unassigned.is_empty());
}

#[test]
fn unassigned_jobs_carry_the_reason() {
    let mut solo = tech("solo", at(0.0, 0.0), &[]);
    solo.max_jobs = Some(1);
    let mut crane = job("crane", at(1.0, 0.0));
    crane.skills = skills(&["crane"]);
    let mut night = job("night", at(1.0, 0.0));
    night.windows = vec![TimeWindow::new(20 * H, 22 * H)];
    let mut far = job("far", at(400.0, 0.0)); // 40,000 s away: out and back misses the shift
    far.windows = vec![TimeWindow::new(9 * H, 10 * H)];
    let a = job("a", at(1.0, 0.0));
    let b = job("b", at(1.2, 0.0));
    let problem =
        Problem::new(vec![solo], vec![crane, night, far, a, b], &travel(), None).expect("valid");
    let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(100));
    check_plan(&problem, &p).expect("feasible");
    let reason = |id: &str| {
        p.unassigned
            .iter()
            .find(|u| u.job.0 == id)
            .map(|u| u.reason.clone())
    };
    assert_eq!(
        reason("crane"),
        Some(UnassignedReason::NoQualifiedTechnician)
    );
    assert_eq!(reason("night"), Some(UnassignedReason::OutsideShift));
    assert_eq!(reason("far"), Some(UnassignedReason::WindowUnreachable));
    let placed = route_of(&p, "solo");
    assert_eq!(placed.len(), 1);
    let other = if placed[0] == "a" { "b" } else { "a" };
    assert_eq!(reason(other), Some(UnassignedReason::OverMaxJobs));
}

#[test]
fn higher_priority_wins_when_only_one_fits() {
    let solo = tech("solo", at(0.0, 0.0), &[]);
    let mut routine = job("routine", at(1.0, 0.0));
    routine.windows = vec![TimeWindow::new(9 * H, 9 * H)];
    let mut urgent = job("urgent", at(30.0, 0.0));
    urgent.windows = vec![TimeWindow::new(9 * H, 9 * H)];
    urgent.priority = 9;
    let problem = Problem::new(vec![solo], vec![routine, urgent], &travel(), None).expect("valid");
    let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(100));
    assert_eq!(route_of(&p, "solo"), vec!["urgent"]);
    assert_eq!(p.unassigned[0].reason, UnassignedReason::NoRoomInPlan);
}

#[test]
fn suggest_ranks_by_detour_and_explains_exclusions() {
    let near = tech("near", at(0.0, 0.0), &["hvac"]);
    let far = tech("far", at(30.0, 0.0), &["hvac"]);
    let rookie = tech("rookie", at(0.0, 0.0), &[]);
    let mut busy = tech("busy", at(0.0, 0.0), &["hvac"]);
    busy.max_jobs = Some(0);
    let mut first = job("first", at(1.0, 0.0));
    first.windows = vec![TimeWindow::new(9 * H, 9 * H + 60)];
    let mut second = job("second", at(3.0, 0.0));
    second.windows = vec![TimeWindow::new(9 * H, 12 * H)];
    let problem = Problem::new(
        vec![near, far, rookie, busy],
        vec![first, second],
        &travel(),
        None,
    )
    .expect("valid");
    let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(100));
    check_plan(&problem, &p).expect("feasible");

    let mut new = job("new", at(1.5, 0.0));
    new.skills = skills(&["hvac"]);
    new.sla_deadline = Some(12 * H);
    let s = suggest(&problem, &p, &new, &travel());
    assert_eq!(s.candidates[0].technician.0, "near");
    assert_eq!(
        s.candidates.last().map(|c| c.technician.0.as_str()),
        Some("far")
    );
    let best = &s.candidates[0];
    assert!(best.added_metres < 2_000, "{best:?}");
    assert_eq!(best.sla_slack, Some(12 * H - best.eta - 1800));
    let why = |id: &str| {
        s.excluded
            .iter()
            .find(|e| e.technician.0 == id)
            .map(|e| e.reason.clone())
    };
    assert_eq!(
        why("rookie"),
        Some(Exclusion::MissingSkill(vec!["hvac".into()]))
    );
    assert_eq!(why("busy"), Some(Exclusion::OverMaxJobs));

    // A job that must start at 9:00 sharp right where "first" is booked cannot fit anyone.
    let mut clash = job("clash", at(10.0, 5.0));
    clash.windows = vec![TimeWindow::new(9 * H, 9 * H)];
    let s = suggest(&problem, &p, &clash, &travel());
    let near_reason = s.excluded.iter().find(|e| e.technician.0 == "near");
    assert_eq!(
        near_reason.map(|e| e.reason.clone()),
        Some(Exclusion::WindowUnreachable)
    );
}

#[test]
fn suggest_reports_jobs_whose_times_move() {
    // Without a way home, visiting the nearer job first is strictly cheaper.
    let mut solo = tech("solo", at(0.0, 0.0), &[]);
    solo.end = None;
    let a = job("a", at(1.0, 0.0));
    let b = job("b", at(2.0, 0.0));
    let problem = Problem::new(vec![solo], vec![a, b], &travel(), None).expect("valid");
    let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(50));
    let order = route_of(&p, "solo");
    assert_eq!(order, vec!["a", "b"]);
    let s = suggest(&problem, &p, &job("mid", at(1.5, 0.0)), &travel());
    let c = &s.candidates[0];
    assert_eq!(c.position, 1);
    let moved: Vec<&str> = c.moved.iter().map(|m| m.job.0.as_str()).collect();
    assert_eq!(moved, vec!["b"]);
    assert!(c.moved[0].to > c.moved[0].from);
}

#[test]
fn replan_keeps_underway_work_and_prefers_previous_assignments() {
    let techs = vec![tech("t1", at(0.0, 0.0), &[]), tech("t2", at(2.0, 0.0), &[])];
    let jobs: Vec<Job> = (0..6)
        .map(|i| job(&format!("j{i}"), at(f64::from(i) * 0.4, 0.3)))
        .collect();
    let problem = Problem::new(techs.clone(), jobs.clone(), &travel(), None).expect("valid");
    let first = plan(&problem, &PlanOptions::default(), &mut Iterations::new(200));
    check_plan(&problem, &first).expect("feasible");

    // At 10:00 t1 is working on its first job; t2 is somewhere else now.
    let t1_first = route_of(&first, "t1")[0].to_string();
    let mut techs = techs;
    techs[0].underway = Some(Underway::InProgress {
        job: JobId(t1_first.clone()),
        until: 10 * H + 900,
    });
    techs[1].position = Some(at(1.0, 1.0));
    let now = 10 * H;
    let later = Problem::new(techs, jobs, &travel(), Some(now)).expect("valid");
    let options = PlanOptions {
        reassign_metres: 1_000_000,
        ..PlanOptions::default()
    };
    let again = replan(&later, &first, &options, &mut Iterations::new(200));
    check_plan(&later, &again).expect("feasible");
    let t1 = &again.routes[0];
    assert!(t1.visits[0].fixed);
    assert_eq!(t1.visits[0].kind, VisitKind::Job(JobId(t1_first)));
    assert!(again.assignment().all(|(_, _, start)| start >= now - 1800));
    // With reassignment this expensive, nobody changes technician.
    let before: BTreeSet<(String, String)> = first
        .assignment()
        .map(|(t, j, _)| (t.0.clone(), j.0.clone()))
        .collect();
    let after: BTreeSet<(String, String)> = again
        .assignment()
        .map(|(t, j, _)| (t.0.clone(), j.0.clone()))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn problem_rejects_inconsistent_input() {
    let t = tech("t", at(0.0, 0.0), &[]);
    let dup = Problem::new(
        vec![t.clone()],
        vec![job("a", at(0.0, 0.0)), job("a", at(1.0, 0.0))],
        &travel(),
        None,
    );
    assert!(dup.is_err());
    let mut pinned = job("p", at(0.0, 0.0));
    pinned.pinned_technician = Some(TechnicianId("ghost".into()));
    assert!(Problem::new(vec![t.clone()], vec![pinned], &travel(), None).is_err());
    let mut bad = job("b", at(0.0, 0.0));
    bad.location.lat = f64::NAN;
    assert!(Problem::new(vec![t], vec![bad], &travel(), None).is_err());
}

/// The Solomon instances and best-known solutions carried in the repository (`SOURCES.md` there).
fn solomon_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/solomon")
}

#[test]
fn all_solomon_instances_parse() {
    let mut n = 0;
    for entry in std::fs::read_dir(solomon_dir()).expect("vrptw/tests/data/solomon") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let s = Solomon::parse(&std::fs::read_to_string(&path).expect("read")).expect("parse");
            assert_eq!(s.customers.len(), 100, "{}", path.display());
            n += 1;
        }
    }
    assert_eq!(n, 56);
}

#[test]
fn solomon_prefix_solves_feasibly_and_deterministically() {
    let text = std::fs::read_to_string(solomon_dir().join("R101.txt")).expect("read");
    let mut s = Solomon::parse(&text).expect("parse");
    s.customers.truncate(30);
    let inst = s.to_instance();
    let options = SolveOptions {
        minimise_fleet: true,
        seed: 3,
        ..SolveOptions::default()
    };
    let a = solve(&inst, &options, &mut Iterations::new(400));
    let b = solve(&inst, &options, &mut Iterations::new(400));
    assert_eq!(a, b);
    let routes: Vec<Vec<u32>> = a.routes.iter().map(|(_, r)| s.ids(r)).collect();
    let cost = check_solomon(&s, &routes).expect("feasible");
    assert_eq!(cost.vehicles, a.used_routes());
    // The solver's fixed-point distance agrees with the checker's double precision.
    assert!((cost.distance - a.distance as f64 / 10_000.0).abs() < 0.01);
    // Greedy alone needs more routes than the search for this prefix.
    let greedy = solve(&inst, &options, &mut Iterations::new(0));
    assert!(a.used_routes() <= greedy.used_routes());
}

fn arb_problem() -> impl Strategy<Value = (Vec<Technician>, Vec<Job>)> {
    let techs = prop::collection::vec(
        (
            0.0..10.0f64,
            0.0..10.0f64,
            any::<bool>(),
            prop::option::of(0u32..4),
            any::<bool>(),
        ),
        1..4,
    );
    let jobs = prop::collection::vec(
        (
            0.0..10.0f64,
            0.0..10.0f64,
            any::<bool>(),
            prop::option::of((7 * H..16 * H, 0i64..3 * H)),
            0u8..3,
            0i64..3,
        ),
        0..10,
    );
    (techs, jobs).prop_map(|(ts, js)| {
        let techs = ts
            .into_iter()
            .enumerate()
            .map(|(i, (x, y, gas, max, brk))| {
                let mut t = tech(&format!("t{i}"), at(x, y), if gas { &["gas"] } else { &[] });
                t.max_jobs = max;
                t.capacity = Some(4);
                if brk {
                    t.breaks = vec![Break {
                        window: TimeWindow::new(12 * H, 13 * H),
                        duration: 1800,
                    }];
                }
                t
            })
            .collect();
        let jobs = js
            .into_iter()
            .enumerate()
            .map(|(i, (x, y, gas, window, priority, demand))| {
                let mut j = job(&format!("j{i}"), at(x, y));
                if gas {
                    j.skills = skills(&["gas"]);
                }
                if let Some((start, len)) = window {
                    j.windows = vec![TimeWindow::new(start, start + len)];
                }
                j.priority = priority;
                j.demand = demand;
                j
            })
            .collect();
        (techs, jobs)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_plan_is_feasible_complete_and_reproducible(
        (techs, jobs) in arb_problem(),
        seed in 0u64..1000,
    ) {
        let problem = Problem::new(techs, jobs, &travel(), None).expect("valid");
        let options = PlanOptions { seed, ..PlanOptions::default() };
        let p = plan(&problem, &options, &mut Iterations::new(60));
        prop_assert_eq!(check_plan(&problem, &p), Ok(()));
        let assigned = p.assignment().count();
        prop_assert_eq!(assigned + p.unassigned.len(), problem.jobs().len());
        let q = plan(&problem, &options, &mut Iterations::new(60));
        prop_assert_eq!(p, q);
    }

    /// Issue 14: a plan said a technician's day "is full" while it left that day empty. No
    /// job is left out that some technician's day, as planned, still has room for; so a job
    /// left out "for want of room" never has an empty day to go to. (At one speed all day: the
    /// plan's travel matrix is made for one hour, while a suggestion times each leg at its
    /// own, so with rush hours the two can differ by a few minutes at a window's edge.)
    #[test]
    fn no_job_is_left_out_that_a_planned_day_has_room_for(
        (techs, jobs) in arb_problem(),
        seed in 0u64..1000,
        steps in 0u64..40,
    ) {
        let city = travel();
        let problem = Problem::new(techs, jobs, &city, None).expect("valid");
        let options = PlanOptions { seed, ..PlanOptions::default() };
        let p = plan(&problem, &options, &mut Iterations::new(steps));
        prop_assert_eq!(check_plan(&problem, &p), Ok(()));
        for u in &p.unassigned {
            let job = problem.jobs().iter().find(|j| j.id == u.job).unwrap();
            let s = suggest(&problem, &p, job, &city);
            prop_assert!(s.candidates.is_empty(), "{:?} left out ({:?}) but {:?} can take it", u.job, u.reason, s.candidates[0]);
        }
    }

    /// Issue 14: "+2.6 km, +-9 min". With speeds that change through the day (rush hours),
    /// a detour never reads as negative driving: the legs it adds and the leg it replaces are
    /// counted at the same hour.
    #[test]
    fn a_detour_never_adds_negative_driving(
        (techs, jobs) in arb_problem(),
        x in 0.0..10.0f64,
        y in 0.0..10.0f64,
    ) {
        let city = Haversine::default();
        let problem = Problem::new(techs, jobs, &city, None).expect("valid");
        let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(30));
        let s = suggest(&problem, &p, &job("new", at(x, y)), &city);
        for c in &s.candidates {
            prop_assert!(c.added_metres >= 0, "{c:?}");
            prop_assert!(c.added_travel_seconds >= 0, "{c:?}");
        }
    }

    #[test]
    fn suggested_insertions_are_feasible_when_applied(
        (techs, jobs) in arb_problem(),
        x in 0.0..10.0f64,
        y in 0.0..10.0f64,
    ) {
        let problem = Problem::new(techs.clone(), jobs.clone(), &travel(), None).expect("valid");
        let p = plan(&problem, &PlanOptions::default(), &mut Iterations::new(30));
        let new = job("new", at(x, y));
        let s = suggest(&problem, &p, &new, &travel());
        prop_assert_eq!(s.candidates.len() + s.excluded.len(), techs.len());
        // Pinning the job to the best candidate yields a feasible day where it is placed.
        if let Some(best) = s.candidates.first() {
            let mut pinned = new.clone();
            pinned.pinned_technician = Some(best.technician.clone());
            pinned.priority = 9;
            let mut all = jobs.clone();
            all.push(pinned);
            let with = Problem::new(techs, all, &travel(), None).expect("valid");
            let q = plan(&with, &PlanOptions::default(), &mut Iterations::new(60));
            prop_assert_eq!(check_plan(&with, &q), Ok(()));
        }
    }
}
