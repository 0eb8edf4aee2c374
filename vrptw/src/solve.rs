//! Entry point of the search over an [`Instance`]: greedy start, optional fleet minimisation,
//! then annealing, all driven by one seeded generator and a caller-supplied [`Stop`].

use super::instance::Instance;
use super::rng::Rng;
use super::search::anneal::{Cooling, anneal};
use super::search::fleet::minimise;
use super::search::recreate::recreate;
use super::search::{Params, Scratch, State};

/// When to stop. The core cannot read a clock on every platform (wasm has none), so callers
/// bring their own; [`Iterations`] is exact and makes runs reproducible.
pub trait Stop {
    /// Share of the budget used so far; the search stops at 1.0 or more. Called once per
    /// iteration.
    fn progress(&mut self) -> f64;
}

/// Stops after a fixed number of iterations: the same seed gives the same result everywhere.
#[derive(Debug, Clone)]
pub struct Iterations {
    limit: u64,
    done: u64,
}

impl Iterations {
    pub fn new(limit: u64) -> Self {
        Self { limit, done: 0 }
    }
}

impl Stop for Iterations {
    fn progress(&mut self) -> f64 {
        let p = self.done as f64 / self.limit.max(1) as f64;
        self.done += 1;
        p
    }
}

/// Wall-clock budget (not on wasm, which has no monotonic clock in `std`).
#[cfg(not(target_family = "wasm"))]
#[derive(Debug, Clone)]
pub struct TimeBudget {
    started: std::time::Instant,
    budget: std::time::Duration,
}

#[cfg(not(target_family = "wasm"))]
impl TimeBudget {
    pub fn new(budget: std::time::Duration) -> Self {
        Self {
            started: std::time::Instant::now(),
            budget,
        }
    }
}

#[cfg(not(target_family = "wasm"))]
impl Stop for TimeBudget {
    fn progress(&mut self) -> f64 {
        self.started.elapsed().as_secs_f64() / self.budget.as_secs_f64().max(1e-9)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SolveOptions {
    pub seed: u64,
    /// Minimise the number of routes first (Solomon's hierarchical objective). Field-service
    /// days keep every technician available and only minimise cost.
    pub minimise_fleet: bool,
    /// Largest share of the budget the fleet phase may use.
    pub fleet_share: f64,
    /// Share of the budget after which a route-removal attempt that stopped making progress is
    /// abandoned.
    pub fleet_stall: f64,
    pub params: Params,
    /// Start temperature as a multiple of the average edge cost of the first solution.
    pub start_temperature: f64,
    /// End temperature as a share of the start temperature.
    pub end_temperature: f64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self {
            seed: 1,
            minimise_fleet: false,
            fleet_share: 0.5,
            fleet_stall: 0.25,
            params: Params::default(),
            start_temperature: 10.0,
            end_temperature: 0.01,
        }
    }
}

/// Result of a search over an [`Instance`].
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// `(vehicle, clients in visiting order)` for every vehicle, empty ones included.
    pub routes: Vec<(usize, Vec<u32>)>,
    pub absent: Vec<u32>,
    pub cost: i64,
    pub distance: i64,
    pub iterations: u64,
}

impl Outcome {
    pub fn used_routes(&self) -> usize {
        self.routes.iter().filter(|r| !r.1.is_empty()).count()
    }
}

pub fn solve(inst: &Instance, options: &SolveOptions, stop: &mut dyn Stop) -> Outcome {
    let mut rng = Rng::new(options.seed);
    let mut best = State::empty(inst);
    let mut sc = Scratch::default();
    recreate(inst, &mut best, &options.params, &mut rng, &mut sc);
    best.reindex();

    let mut iterations = 0;
    let mut from = 0.0;
    if options.minimise_fleet {
        let lower_bound = fleet_lower_bound(inst);
        minimise(
            inst,
            &mut best,
            &options.params,
            &mut rng,
            stop,
            options.fleet_share,
            options.fleet_stall,
            lower_bound,
            &mut iterations,
        );
        best.max_routes = best.used_routes().max(1);
        from = stop.progress().min(1.0);
    }
    let edges = (inst.clients.len() - best.absent.len() + best.used_routes()).max(1);
    let avg_edge = (best.distance() as f64 / edges as f64).max(1.0);
    let cooling = Cooling {
        start: options.start_temperature * avg_edge,
        end: options.start_temperature * avg_edge * options.end_temperature,
    };
    anneal(
        inst,
        &mut best,
        &options.params,
        cooling,
        &mut rng,
        stop,
        from,
        &mut iterations,
    );
    Outcome {
        routes: best
            .routes
            .iter()
            .map(|r| (r.vehicle, r.jobs.clone()))
            .collect(),
        absent: best.absent.clone(),
        cost: best.cost(inst),
        distance: best.distance(),
        iterations,
    }
}

/// Routes needed for capacity alone, when all vehicles are alike; 1 otherwise.
fn fleet_lower_bound(inst: &Instance) -> usize {
    let Some(first) = inst.vehicles.first() else {
        return 1;
    };
    let alike = inst.vehicles.iter().all(|v| v.class == first.class);
    if !alike || first.capacity <= 0 {
        return 1;
    }
    let demand = inst.total_demand();
    (demand.div_euclid(first.capacity) + i64::from(demand.rem_euclid(first.capacity) > 0)).max(1)
        as usize
}
