//! Greedy reinsertion with blinks: each client goes to its cheapest feasible position, but every
//! position is skipped with a small probability so that repeated runs explore different orders.

use super::{Params, Scratch, State};
use crate::instance::Instance;
use crate::rng::Rng;

/// Reinserts `sc.removed` and every absent client; what fits nowhere stays absent.
pub fn recreate(inst: &Instance, st: &mut State, params: &Params, rng: &mut Rng, sc: &mut Scratch) {
    let mut pending = std::mem::take(&mut sc.removed);
    pending.append(&mut st.absent);
    sort_for_insertion(inst, &mut pending, rng);

    let mut used = st.used_routes();
    let mut tried_class: Vec<u32> = Vec::new();
    for &c in &pending {
        let mut best: Option<(i64, usize, usize)> = None;
        tried_class.clear();
        for (r, route) in st.routes.iter().enumerate() {
            if route.is_empty() {
                let class = inst.vehicles[route.vehicle].class;
                if used >= st.max_routes || tried_class.contains(&class) {
                    continue;
                }
                tried_class.push(class);
            }
            if !route.admits(inst, c) {
                continue;
            }
            for gap in 0..=route.jobs.len() {
                if rng.unit() < params.blink_rate {
                    continue;
                }
                if let Some(ins) = route.evaluate(inst, c, gap) {
                    let cost = ins.delta_distance
                        + inst.assign_cost(c, route.vehicle)
                        + inst.eta_cost(c, ins.start);
                    if best.is_none_or(|b| cost < b.0) {
                        best = Some((cost, r, gap));
                    }
                }
            }
        }
        match best {
            Some((_, r, gap)) => {
                if st.routes[r].is_empty() {
                    used += 1;
                }
                st.routes[r].insert(inst, c, gap);
                st.route_of[c as usize] = r as u32;
                sc.touch(r);
            }
            None => st.absent.push(c),
        }
    }
    pending.clear();
    sc.removed = pending;
}

/// Orders as in the SISR paper: random, larger demand first, far from the depot first, or near
/// first, with weights 4 : 4 : 2 : 1.
fn sort_for_insertion(inst: &Instance, items: &mut [u32], rng: &mut Rng) {
    let depot = inst.vehicles.first().map_or(0, |v| v.start_loc);
    let depot_dist = |c: u32| inst.dist(depot, inst.clients[c as usize].loc);
    match rng.below(11) {
        0..=3 => rng.shuffle(items),
        4..=7 => {
            rng.shuffle(items);
            items.sort_by_key(|&c| std::cmp::Reverse(inst.clients[c as usize].demand));
        }
        8..=9 => {
            rng.shuffle(items);
            items.sort_by_key(|&c| std::cmp::Reverse(depot_dist(c)));
        }
        _ => {
            rng.shuffle(items);
            items.sort_by_key(|&c| depot_dist(c));
        }
    }
}
