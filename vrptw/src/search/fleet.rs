//! Fleet minimisation: repeatedly empty the smallest route and try to fit its clients into the
//! others. A partial solution is kept when it leaves fewer clients out, or clients that have been
//! left out less often (absence counters steer the search towards the hard clients).

use super::recreate::recreate;
use super::ruin::ruin;
use super::{Params, Scratch, State};
use crate::instance::Instance;
use crate::rng::Rng;
use crate::solve::Stop;

/// Lowers the number of routes of `best` until the stop reports `until`, `lower_bound` routes
/// are reached, or an attempt has not left fewer clients out for `stall` of the budget (then
/// the time is better spent on distance). `best` always holds the best complete solution seen
/// (or the start if none).
#[expect(
    clippy::too_many_arguments,
    reason = "a search phase takes the solver state as separate borrows"
)]
pub fn minimise(
    inst: &Instance,
    best: &mut State,
    params: &Params,
    rng: &mut Rng,
    stop: &mut dyn Stop,
    until: f64,
    stall: f64,
    lower_bound: usize,
    iterations: &mut u64,
) {
    let mut absences = vec![0u64; inst.clients.len()];
    let mut cur = best.clone();
    let mut work = cur.clone();
    let mut sc = Scratch::default();
    let weight = |st: &State, absences: &[u64]| -> u64 {
        st.absent.iter().map(|&c| absences[c as usize]).sum()
    };
    let mut fewest_absent = usize::MAX;
    let mut last_gain = 0.0;
    loop {
        if cur.absent.is_empty() {
            *best = cur.clone();
            let used = cur.used_routes();
            if used <= lower_bound.max(1) {
                return;
            }
            let Some(r) = smallest_route(&cur, rng) else {
                return;
            };
            cur.max_routes = used - 1;
            cur.empty_route(inst, r);
            work = cur.clone();
            fewest_absent = usize::MAX;
        }
        let progress = stop.progress();
        if progress >= until {
            return;
        }
        if cur.absent.len() < fewest_absent {
            fewest_absent = cur.absent.len();
            last_gain = progress;
        } else if progress - last_gain > stall && best.absent.is_empty() {
            return;
        }
        *iterations += 1;
        sc.clear();
        ruin(inst, &mut work, params, rng, &mut sc);
        recreate(inst, &mut work, params, rng, &mut sc);
        let accept = work.feasible()
            && (work.absent.len() < cur.absent.len()
                || weight(&work, &absences) < weight(&cur, &absences));
        for &c in &work.absent {
            absences[c as usize] += 1;
        }
        if accept {
            cur.copy_touched(&work, &sc.touched);
        } else {
            work.copy_touched(&cur, &sc.touched);
        }
    }
}

fn smallest_route(st: &State, rng: &mut Rng) -> Option<usize> {
    let min = st
        .routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.jobs.len())
        .min()?;
    let candidates: Vec<usize> = (0..st.routes.len())
        .filter(|&r| !st.routes[r].is_empty() && st.routes[r].jobs.len() == min)
        .collect();
    candidates.get(rng.below(candidates.len())).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixture::{line, route};
    use crate::solve::Iterations;

    #[test]
    fn empties_routes_down_to_what_capacity_needs() {
        // Four clients, two per vehicle: one route each is twice what is needed.
        let inst = line(&[1, 2, 3, 4], &[(0, 1000); 4], 2, 4);
        let mut st = State::empty(&inst);
        st.routes = (0..4).map(|v| route(&inst, v, &[v as u32])).collect();
        st.absent.clear();
        st.reindex();
        let mut iterations = 0;
        minimise(
            &inst,
            &mut st,
            &Params::default(),
            &mut Rng::new(5),
            &mut Iterations::new(500),
            1.0,
            1.0,
            2,
            &mut iterations,
        );
        assert_eq!(st.used_routes(), 2);
        assert!(st.absent.is_empty() && st.feasible());
        assert!(iterations > 0);
    }
}
