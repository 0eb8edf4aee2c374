//! Simulated annealing over ruin-and-recreate moves for a fixed maximum number of routes.

use super::local::{LocalScratch, improve};
use super::recreate::recreate;
use super::ruin::ruin;
use super::{Params, Scratch, State};
use crate::instance::Instance;
use crate::rng::Rng;
use crate::route::Route;
use crate::solve::Stop;

/// Temperatures in cost units; the schedule is geometric in the share of budget used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cooling {
    pub start: f64,
    pub end: f64,
}

/// Improves `best` until the stop reports 1.0; `from` is the progress at which this phase
/// began, so the temperature falls over the remaining budget.
#[expect(
    clippy::too_many_arguments,
    reason = "a search phase takes the solver state as separate borrows"
)]
pub fn anneal(
    inst: &Instance,
    best: &mut State,
    params: &Params,
    cooling: Cooling,
    rng: &mut Rng,
    stop: &mut dyn Stop,
    from: f64,
    iterations: &mut u64,
) {
    let mut cur = best.clone();
    let mut work = cur.clone();
    let mut cur_cost = cur.cost(inst);
    let mut best_cost = cur_cost;
    let mut sc = Scratch::default();
    let span = (1.0 - from).max(1e-9);
    let ratio = cooling.end / cooling.start;
    let mut backup = [Route::default(), Route::default()];
    let mut ls = LocalScratch::default();
    if params.local_search {
        // The start (greedy or fleet phase) never went through local search: polish all of it
        // once, so that later calls only need to look at the routes an iteration touched.
        for r in 0..work.routes.len() {
            sc.touch(r);
        }
        improve(inst, &mut work, &mut sc, &mut backup, &mut ls);
        if work.feasible() && work.cost(inst) <= cur_cost {
            cur.clone_from(&work);
            cur_cost = cur.cost(inst);
            best_cost = cur_cost;
            best.clone_from(&cur);
        } else {
            work.clone_from(&cur);
        }
    }
    loop {
        let p = stop.progress();
        if p >= 1.0 {
            return;
        }
        *iterations += 1;
        let temp = cooling.start * ratio.powf(((p - from) / span).clamp(0.0, 1.0));
        sc.clear();
        ruin(inst, &mut work, params, rng, &mut sc);
        recreate(inst, &mut work, params, rng, &mut sc);
        let threshold = cur_cost as f64 - temp * rng.unit().max(f64::MIN_POSITIVE).ln();
        let mut cost = work.cost(inst);
        if params.local_search
            && (cost as f64) < threshold + params.local_search_margin * cur_cost as f64
        {
            improve(inst, &mut work, &mut sc, &mut backup, &mut ls);
            cost = work.cost(inst);
        }
        if work.feasible() && (cost as f64) < threshold {
            cur.copy_touched(&work, &sc.touched);
            cur_cost = cost;
            if cost < best_cost {
                best_cost = cost;
                best.clone_from(&cur);
            }
        } else {
            work.copy_touched(&cur, &sc.touched);
        }
    }
}
