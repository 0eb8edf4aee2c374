//! `solve --solomon FILE --seconds N [--seed S]`: runs the dispatch solver on a benchmark
//! instance and prints `{"vehicles", "distance", "routes"}`. Vehicles and distance are
//! recomputed by the independent checker from the routes printed, never taken from the solver.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use vrptw::check::check_solomon;
use vrptw::solomon::Solomon;
use vrptw::solve::{SolveOptions, TimeBudget, solve};

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// Solomon or Gehring-Homberger instance file.
    #[arg(long)]
    solomon: PathBuf,
    /// Time budget in seconds (fractions allowed).
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Tuning: largest share of the budget for fleet minimisation.
    #[arg(long)]
    fleet_share: Option<f64>,
    /// Tuning: share of the budget without progress that ends a route-removal attempt.
    #[arg(long)]
    fleet_stall: Option<f64>,
    /// Tuning: start temperature as a multiple of the average edge.
    #[arg(long)]
    temperature: Option<f64>,
    /// Tuning: turn off local search after each recreate.
    #[arg(long)]
    no_local_search: bool,
    /// Tuning: polish only candidates within this share of the current cost of acceptance.
    #[arg(long)]
    ls_margin: Option<f64>,
}

#[derive(Debug, serde::Serialize)]
struct Output {
    vehicles: usize,
    distance: f64,
    routes: Vec<Vec<u32>>,
    iterations: u64,
}

pub fn run(args: &SolveArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.solomon)
        .with_context(|| format!("reading {}", args.solomon.display()))?;
    let solomon = Solomon::parse(&text).with_context(|| args.solomon.display().to_string())?;
    if !(args.seconds.is_finite() && args.seconds > 0.0) {
        bail!("--seconds must be a positive number");
    }
    let inst = solomon.to_instance();
    let mut options = SolveOptions {
        seed: args.seed,
        minimise_fleet: true,
        ..SolveOptions::default()
    };
    if let Some(share) = args.fleet_share {
        options.fleet_share = share.clamp(0.0, 1.0);
    }
    if let Some(stall) = args.fleet_stall {
        options.fleet_stall = stall.clamp(0.0, 1.0);
    }
    if let Some(t) = args.temperature {
        options.start_temperature = t.max(1e-6);
    }
    options.params.local_search = !args.no_local_search;
    if let Some(m) = args.ls_margin {
        options.params.local_search_margin = m.max(0.0);
    }
    let mut stop = TimeBudget::new(Duration::from_secs_f64(args.seconds));
    let outcome = solve(&inst, &options, &mut stop);
    let routes: Vec<Vec<u32>> = outcome
        .routes
        .iter()
        .filter(|(_, jobs)| !jobs.is_empty())
        .map(|(_, jobs)| solomon.ids(jobs))
        .collect();
    let cost = check_solomon(&solomon, &routes)
        .map_err(|v| anyhow::anyhow!("solver returned an infeasible solution: {v:?}"))?;
    let out = Output {
        vehicles: cost.vehicles,
        distance: cost.distance,
        routes,
        iterations: outcome.iterations,
    };
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
