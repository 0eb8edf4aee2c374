//! Local search over granular neighbourhoods: for each client, only moves that place it next to
//! one of its nearest neighbours in another route are tried (relocate before/after, 2-opt*),
//! first improvement, until no move improves.

use super::{ABSENT, Scratch, State, intra, relocate, two_opt_star};
use crate::instance::Instance;
use crate::route::Route;

/// Neighbours considered per client.
pub const GRANULARITY: usize = 20;

#[derive(Debug, Clone, Copy)]
enum Move {
    /// Client index in `a`, gap in `b`.
    Relocate(usize, usize),
    /// Tail exchange after positions `i` of `a`, `j` of `b`.
    TwoOptStar(usize, usize),
}

/// What [`improve`] keeps between calls so that it does not reallocate every iteration.
#[derive(Debug, Default)]
pub struct LocalScratch {
    /// Move counter value when each route last changed.
    modified_at: Vec<u64>,
    /// Move counter value when each client was last tested without finding a move.
    tested_at: Vec<u64>,
    /// Position of each assigned client in its route.
    pos: Vec<u32>,
}

/// Improves `st` in place and marks every route it changes in `sc`.
///
/// Only the routes in `sc.touched` (those the ruin and recreate changed) can offer new moves:
/// every other pair of routes was already at a local optimum when the state was accepted. A
/// pair is skipped while neither route changed since its client was last tested (the
/// timestamps HGS uses), which makes a call cost about the size of the disturbed region rather
/// than of the whole solution.
pub fn improve(
    inst: &Instance,
    st: &mut State,
    sc: &mut Scratch,
    backup: &mut [Route; 2],
    ls: &mut LocalScratch,
) {
    let n = inst.clients.len();
    ls.modified_at.clear();
    ls.modified_at.resize(st.routes.len(), 0);
    ls.tested_at.clear();
    ls.tested_at.resize(n, 0);
    ls.pos.clear();
    ls.pos.resize(n, 0);
    for &r in &sc.touched {
        ls.modified_at[r] = 1;
    }
    for route in &st.routes {
        index_positions(&mut ls.pos, route);
    }
    let mut clock = 1u64;
    let mut improved = true;
    let mut rounds = 0;
    while improved && rounds < 50 {
        improved = false;
        rounds += 1;
        for u in 0..n as u32 {
            let ru = st.route_of[u as usize];
            if ru == ABSENT {
                continue;
            }
            let ru = ru as usize;
            let tested = ls.tested_at[u as usize];
            let seen = clock;
            let mut moved = false;
            for &v in inst.neighbours[u as usize].iter().take(GRANULARITY) {
                let rv = st.route_of[v as usize];
                if rv == ABSENT {
                    continue;
                }
                let rv = rv as usize;
                if tested >= ls.modified_at[ru].max(ls.modified_at[rv]) {
                    continue;
                }
                let (pu, pv) = (ls.pos[u as usize] as usize, ls.pos[v as usize] as usize);
                let found = if rv == ru {
                    try_intra(inst, st, sc, backup, ru, pu, pv)
                } else {
                    try_moves(inst, st, sc, backup, (u, ru, pu), (v, rv, pv))
                };
                if found {
                    clock += 1;
                    for r in [ru, rv] {
                        ls.modified_at[r] = clock;
                        index_positions(&mut ls.pos, &st.routes[r]);
                    }
                    improved = true;
                    moved = true;
                    break;
                }
            }
            if !moved {
                ls.tested_at[u as usize] = seen;
            }
        }
    }
}

fn index_positions(pos: &mut [u32], route: &Route) {
    for (i, &c) in route.jobs.iter().enumerate() {
        pos[c as usize] = i as u32;
    }
}

fn try_moves(
    inst: &Instance,
    st: &mut State,
    sc: &mut Scratch,
    backup: &mut [Route; 2],
    (u, ru, pu): (u32, usize, usize),
    (v, rv, pv): (u32, usize, usize),
) -> bool {
    let (a, b) = (&st.routes[ru], &st.routes[rv]);
    debug_assert!(a.jobs[pu] == u && b.jobs[pv] == v);
    let mut best: Option<(i64, Move)> = None;
    let mut consider = |delta: Option<i64>, mv: Move| {
        if let Some(d) = delta
            && d < 0
            && best.is_none_or(|b| d < b.0)
        {
            best = Some((d, mv));
        }
    };
    consider(
        relocate::evaluate(inst, a, pu, b, pv),
        Move::Relocate(pu, pv),
    );
    consider(
        relocate::evaluate(inst, a, pu, b, pv + 1),
        Move::Relocate(pu, pv + 1),
    );
    // u directly followed by v, and v's predecessor followed by u's successor.
    consider(
        two_opt_star::evaluate(inst, a, pu + 1, b, pv),
        Move::TwoOptStar(pu + 1, pv),
    );
    // v directly followed by u: v's tail goes after u's predecessor.
    consider(
        two_opt_star::evaluate(inst, a, pu, b, pv + 1),
        Move::TwoOptStar(pu, pv + 1),
    );
    let Some((_, mv)) = best else {
        return false;
    };
    let before = st.routes[ru].cost + st.routes[rv].cost;
    backup[0].copy_from(&st.routes[ru]);
    backup[1].copy_from(&st.routes[rv]);
    let (a, b) = pair_mut(&mut st.routes, ru, rv);
    match mv {
        Move::Relocate(i, gap) => relocate::apply(inst, a, i, b, gap),
        Move::TwoOptStar(i, j) => two_opt_star::apply(inst, a, i, b, j),
    }
    // Exact re-check: penalties beyond distance, and matrices without the triangle inequality.
    if !(a.feasible && b.feasible && a.cost + b.cost < before) {
        a.copy_from(&backup[0]);
        b.copy_from(&backup[1]);
        return false;
    }
    for r in [ru, rv] {
        for &c in &st.routes[r].jobs {
            st.route_of[c as usize] = r as u32;
        }
        sc.touch(r);
    }
    true
}

/// Best of: `u` moved right before or after `v`, and the stretch between them reversed so
/// that one follows the other; applied only if the whole route re-checks cheaper.
fn try_intra(
    inst: &Instance,
    st: &mut State,
    sc: &mut Scratch,
    backup: &mut [Route; 2],
    r: usize,
    pu: usize,
    pv: usize,
) -> bool {
    #[derive(Clone, Copy)]
    enum Intra {
        Relocate(usize, usize),
        Reverse(usize, usize),
    }
    let route = &st.routes[r];
    let (lo, hi) = (pu.min(pv), pu.max(pv));
    let mut best: Option<(i64, Intra)> = None;
    for (delta, mv) in [
        (
            intra::relocate_delta(inst, route, pu, pv),
            Intra::Relocate(pu, pv),
        ),
        (
            intra::relocate_delta(inst, route, pu, pv + 1),
            Intra::Relocate(pu, pv + 1),
        ),
        (
            intra::reverse_delta(inst, route, lo, hi),
            Intra::Reverse(lo, hi),
        ),
    ] {
        if let Some(d) = delta
            && d < 0
            && best.is_none_or(|b| d < b.0)
        {
            best = Some((d, mv));
        }
    }
    let Some((_, mv)) = best else {
        return false;
    };
    let before = st.routes[r].cost;
    backup[0].copy_from(&st.routes[r]);
    let route = &mut st.routes[r];
    match mv {
        Intra::Relocate(i, gap) => intra::relocate_apply(inst, route, i, gap),
        Intra::Reverse(i, j) => intra::reverse_apply(inst, route, i, j),
    }
    if !(route.feasible && route.cost < before) {
        route.copy_from(&backup[0]);
        return false;
    }
    sc.touch(r);
    true
}

fn pair_mut(routes: &mut [Route], i: usize, j: usize) -> (&mut Route, &mut Route) {
    if i < j {
        let (lo, hi) = routes.split_at_mut(j);
        (&mut lo[i], &mut hi[0])
    } else {
        let (lo, hi) = routes.split_at_mut(i);
        (&mut hi[0], &mut lo[j])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixture::{line, route};

    #[test]
    fn untangles_crossed_routes_to_a_local_optimum() {
        let inst = line(&[1, 2, 10, 11], &[(0, 1000); 4], 10, 2);
        let mut st = State::empty(&inst);
        st.routes = vec![route(&inst, 0, &[0, 3]), route(&inst, 1, &[2, 1])];
        st.absent.clear();
        st.reindex();
        let before = st.cost(&inst);
        let mut sc = Scratch::default();
        // Both routes count as changed, as after a ruin and recreate that touched them.
        sc.touch(0);
        sc.touch(1);
        improve(
            &inst,
            &mut st,
            &mut sc,
            &mut [Route::default(), Route::default()],
            &mut LocalScratch::default(),
        );
        assert!(st.feasible());
        // One sweep out and back beats two routes once capacity allows it.
        assert_eq!(st.distance(), 2 * 11);
        assert_eq!(st.used_routes(), 1);
        assert!(st.cost(&inst) < before);
        let mut served: Vec<u32> = st.routes.iter().flat_map(|r| r.jobs.clone()).collect();
        served.sort();
        assert_eq!(served, vec![0, 1, 2, 3]);
        assert_eq!(sc.touched.len(), 2);
    }
}
