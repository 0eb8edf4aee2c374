//! Relocate: move one client into another route, next to a neighbour. The insertion is checked
//! in O(1) by the target route's slack; taking a client out of a route cannot make it late
//! when travel times obey the triangle inequality, and the caller re-checks after applying
//! because road matrices do not always obey it.

use crate::instance::Instance;
use crate::route::Route;

/// Distance change of moving the client at `index` of `from` to gap `gap` of `to`.
pub fn evaluate(
    inst: &Instance,
    from: &Route,
    index: usize,
    to: &Route,
    gap: usize,
) -> Option<i64> {
    let c = from.jobs[index];
    if !to.admits(inst, c) {
        return None;
    }
    let ins = to.evaluate(inst, c, gap)?;
    let loc = inst.clients[c as usize].loc;
    let (prev, next) = (from.gap_places(index).0, from.gap_places(index + 1).1);
    let removal = inst.dist(prev, next) - inst.dist(prev, loc) - inst.dist(loc, next);
    Some(ins.delta_distance + removal)
}

pub fn apply(inst: &Instance, from: &mut Route, index: usize, to: &mut Route, gap: usize) {
    let c = from.jobs.remove(index);
    from.update(inst);
    to.insert(inst, c, gap);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixture::{line, route};

    const OPEN: (i64, i64) = (0, 1000);

    #[test]
    fn moving_a_stray_client_saves_what_it_predicts() {
        let inst = line(&[1, 2, 10, 11], &[OPEN; 4], 10, 2);
        let mut a = route(&inst, 0, &[0, 3]);
        let mut b = route(&inst, 1, &[2]);
        let before = a.distance + b.distance;
        let delta = evaluate(&inst, &a, 1, &b, 1).expect("feasible");
        assert_eq!(delta, (1 + 11 - 10) + (1 - 10 - 11));
        apply(&inst, &mut a, 1, &mut b, 1);
        assert_eq!((a.jobs.clone(), b.jobs.clone()), (vec![0], vec![2, 3]));
        assert_eq!(a.distance + b.distance, before + delta);
    }

    #[test]
    fn respects_the_target_window_and_capacity() {
        let windows = [OPEN, OPEN, OPEN, (11, 11)];
        let inst = line(&[1, 2, 10, 11], &windows, 10, 2);
        let (a, b) = (route(&inst, 0, &[3, 0]), route(&inst, 1, &[2, 1]));
        assert!(a.feasible && b.feasible);
        assert!(
            evaluate(&inst, &a, 0, &b, 2).is_none(),
            "reached at 27, due 11"
        );
        assert!(
            evaluate(&inst, &a, 0, &b, 1).is_some(),
            "reached at 11 right after 10"
        );
        let full = line(&[1, 2, 10, 11], &[OPEN; 4], 1, 2);
        let (fa, fb) = (route(&full, 0, &[3]), route(&full, 1, &[2]));
        assert!(evaluate(&full, &fa, 0, &fb, 1).is_none());
    }
}
