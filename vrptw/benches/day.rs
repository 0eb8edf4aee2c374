//! Suggest latency for a realistic day: 50 technicians with about 10 jobs each.
//! `cargo bench -p vrptw --bench day` prints mean, median and worst latency.
//! Plain `std::time` rather than criterion: one number matters here (the 5 ms target), and it
//! keeps a heavy dependency tree out of the workspace.
#![expect(clippy::print_stdout, reason = "a bench reports its numbers on stdout")]

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Instant;

use vrptw::rng::Rng;
use vrptw::solve::Iterations;
use vrptw::{
    Haversine, Job, JobId, Location, PlanOptions, Problem, Technician, TechnicianId, TimeWindow,
    plan, suggest,
};

const H: i64 = 3600;

fn place(rng: &mut Rng) -> Location {
    Location {
        lat: 31.1 + rng.unit() * 0.2,
        lon: 121.3 + rng.unit() * 0.25,
    }
}

fn job(i: usize, rng: &mut Rng) -> Job {
    let start = 8 * H + rng.below(8) as i64 * H;
    Job {
        id: JobId(format!("j{i}")),
        location: place(rng),
        duration: 1800 + rng.below(4) as i64 * 900,
        windows: vec![TimeWindow::new(start, start + 2 * H)],
        skills: if rng.below(4) == 0 {
            BTreeSet::from(["gas".to_string()])
        } else {
            BTreeSet::new()
        },
        priority: rng.below(3) as u8,
        sla_deadline: Some(start + 4 * H),
        pinned_technician: None,
        pinned_start: None,
        promised: None,
        demand: 0,
    }
}

fn main() {
    let mut rng = Rng::new(42);
    let techs: Vec<Technician> = (0..50)
        .map(|i| Technician {
            id: TechnicianId(format!("t{i}")),
            skills: if i % 2 == 0 {
                BTreeSet::from(["gas".to_string()])
            } else {
                BTreeSet::new()
            },
            shift: TimeWindow::new(8 * H, 18 * H),
            start: place(&mut rng),
            end: None,
            breaks: vec![],
            max_jobs: Some(12),
            capacity: None,
            position: None,
            underway: None,
        })
        .collect();
    let jobs: Vec<Job> = (0..500).map(|i| job(i, &mut rng)).collect();
    let travel = Haversine::default();

    let t = Instant::now();
    let problem = Problem::new(techs, jobs, &travel, None).expect("valid");
    println!(
        "problem (550 places): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let day = plan(
        &problem,
        &PlanOptions::default(),
        &mut Iterations::new(2000),
    );
    let assigned = day.assignment().count();
    println!(
        "plan 2000 iterations: {:.0} ms, {assigned} of 500 jobs placed",
        t.elapsed().as_secs_f64() * 1e3
    );

    let probes: Vec<Job> = (0..300).map(|i| job(1000 + i, &mut rng)).collect();
    let mut times = Vec::with_capacity(probes.len());
    for probe in &probes {
        let t = Instant::now();
        let s = black_box(suggest(&problem, &day, probe, &travel));
        times.push(t.elapsed().as_secs_f64() * 1e3);
        black_box(s.candidates.len());
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!(
        "suggest, 50 technicians x ~{} jobs: mean {mean:.3} ms, median {:.3} ms, max {:.3} ms",
        assigned / 50,
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
