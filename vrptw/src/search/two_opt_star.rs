//! 2-opt*: exchange the tails of two routes so that `u` is followed by `v`. Checked in O(1)
//! from prefix loads, departure times and the latest feasible arrival of each tail.

use crate::instance::{Instance, NO_LOC};
use crate::route::Route;

/// Distance change of joining `a` up to position `i` with `b` from position `j + 1`, and `b` up
/// to `j` with `a` from `i + 1`; `None` when either new route breaks a constraint or the two
/// vehicles end differently (the tails' slack was computed for their own vehicle's end).
pub fn evaluate(inst: &Instance, a: &Route, i: usize, b: &Route, j: usize) -> Option<i64> {
    let (va, vb) = (&inst.vehicles[a.vehicle], &inst.vehicles[b.vehicle]);
    if va.end_loc != vb.end_loc || va.shift_end != vb.shift_end {
        return None;
    }
    let (na, nb) = (a.jobs.len(), b.jobs.len());
    let (load_a, count_a) = a.prefix(i);
    let (load_b, count_b) = b.prefix(j);
    let (tail_load_a, tail_count_a) = (a.load - load_a, a.n_counted - count_a);
    let (tail_load_b, tail_count_b) = (b.load - load_b, b.n_counted - count_b);
    if load_a + tail_load_b > va.capacity
        || load_b + tail_load_a > vb.capacity
        || count_a + tail_count_b > va.max_jobs
        || count_b + tail_count_a > vb.max_jobs
    {
        return None;
    }
    let first_of = |r: &Route, pos: usize, n: usize| -> Option<u32> {
        if pos > n {
            Some(inst.vehicles[r.vehicle].end_loc)
        } else {
            let loc = inst.clients[r.jobs[pos - 1] as usize].loc;
            (loc != NO_LOC).then_some(loc)
        }
    };
    // Tails starting with a break would change where the break is taken from; skip them.
    let head_b = first_of(b, j + 1, nb)?;
    let head_a = first_of(a, i + 1, na)?;
    if !tail_allowed(inst, b, j, a.vehicle) || !tail_allowed(inst, a, i, b.vehicle) {
        return None;
    }
    let (at_a, next_a) = a.gap_places(i);
    let (at_b, next_b) = b.gap_places(j);
    if a.depart_at(i) + inst.time(at_a, head_b) > b.latest_at(j + 1)
        || b.depart_at(j) + inst.time(at_b, head_a) > a.latest_at(i + 1)
    {
        return None;
    }
    Some(
        inst.dist(at_a, head_b) + inst.dist(at_b, head_a)
            - inst.dist(at_a, next_a)
            - inst.dist(at_b, next_b),
    )
}

fn tail_allowed(inst: &Instance, r: &Route, from: usize, vehicle: usize) -> bool {
    inst.allowed.is_empty() || r.jobs[from..].iter().all(|&c| inst.allowed(c, vehicle))
}

/// Swaps the tails after positions `i` of `a` and `j` of `b`.
pub fn apply(inst: &Instance, a: &mut Route, i: usize, b: &mut Route, j: usize) {
    let tail_a = a.jobs.split_off(i);
    let tail_b = b.jobs.split_off(j);
    a.jobs.extend(tail_b);
    b.jobs.extend(tail_a);
    a.update(inst);
    b.update(inst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixture::{line, route};

    const OPEN: (i64, i64) = (0, 1000);

    #[test]
    fn uncrossing_two_routes_saves_what_it_predicts() {
        // Clients at 1, 2 (left) and 10, 11 (right); each route crosses the other's side.
        let inst = line(&[1, 2, 10, 11], &[OPEN; 4], 10, 2);
        let mut a = route(&inst, 0, &[0, 3]);
        let mut b = route(&inst, 1, &[2, 1]);
        let before = a.distance + b.distance;
        let delta = evaluate(&inst, &a, 1, &b, 1).expect("feasible");
        assert_eq!(delta, 1 + 1 - 10 - 8);
        apply(&inst, &mut a, 1, &mut b, 1);
        assert_eq!((a.jobs.clone(), b.jobs.clone()), (vec![0, 1], vec![2, 3]));
        assert_eq!(a.distance + b.distance, before + delta);
    }

    #[test]
    fn rejects_tails_that_overload_or_arrive_late() {
        let inst = line(&[1, 2, 10, 11], &[OPEN; 4], 10, 2);
        let (a, b) = (route(&inst, 0, &[0, 3]), route(&inst, 1, &[2, 1]));
        // Everything into route a: head 0..=2 of a plus b's whole route.
        let tight = line(&[1, 2, 10, 11], &[OPEN; 4], 2, 2);
        let (ta, tb) = (route(&tight, 0, &[0, 3]), route(&tight, 1, &[2, 1]));
        assert!(evaluate(&inst, &a, 2, &b, 0).is_some());
        assert!(evaluate(&tight, &ta, 2, &tb, 0).is_none());
        // Client 1 (at 2) must be reached by time 3: only possible straight from the depot side.
        let windows = [OPEN, (0, 3), OPEN, OPEN];
        let late = line(&[1, 2, 10, 11], &windows, 10, 2);
        let (la, lb) = (route(&late, 0, &[2, 3]), route(&late, 1, &[1, 0]));
        assert!(la.feasible && lb.feasible);
        assert!(evaluate(&late, &la, 2, &lb, 0).is_none());
    }
}
