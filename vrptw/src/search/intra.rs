//! Moves within one route, for long routes (few vehicles, wide windows) where ruin and
//! recreate alone leave crossings: relocate one client next to a neighbour, and 2-opt
//! (reverse the stretch between two neighbours). The distance change is estimated in O(1);
//! the caller applies a promising move and re-checks the whole route, since moving a client
//! inside its route shifts every time in between.

use crate::instance::Instance;
use crate::route::Route;

/// Estimated distance change of moving the client at `index` to gap `gap` of the same route
/// (gaps as in [`Route::evaluate`], counted before the move); `None` for a no-op.
pub fn relocate_delta(inst: &Instance, r: &Route, index: usize, gap: usize) -> Option<i64> {
    if gap == index || gap == index + 1 || gap > r.jobs.len() {
        return None;
    }
    let loc = inst.clients[r.jobs[index] as usize].loc;
    let (prev, next) = (r.gap_places(index).0, r.gap_places(index + 1).1);
    let removal = inst.dist(prev, next) - inst.dist(prev, loc) - inst.dist(loc, next);
    let (a, b) = r.gap_places(gap);
    Some(removal + inst.dist(a, loc) + inst.dist(loc, b) - inst.dist(a, b))
}

pub fn relocate_apply(inst: &Instance, r: &mut Route, index: usize, gap: usize) {
    let c = r.jobs.remove(index);
    let gap = if gap > index { gap - 1 } else { gap };
    r.jobs.insert(gap, c);
    r.update(inst);
}

/// Estimated distance change of reversing `jobs[from + 1..=to]`, so that the client at `from`
/// is followed by the one at `to` (exact for symmetric distances).
pub fn reverse_delta(inst: &Instance, r: &Route, from: usize, to: usize) -> Option<i64> {
    if to <= from + 1 || to >= r.jobs.len() {
        return None;
    }
    let loc = |k: usize| inst.clients[r.jobs[k] as usize].loc;
    let (a, b, c) = (loc(from), loc(from + 1), loc(to));
    let d = r.gap_places(to + 1).1;
    Some(inst.dist(a, c) + inst.dist(b, d) - inst.dist(a, b) - inst.dist(c, d))
}

pub fn reverse_apply(inst: &Instance, r: &mut Route, from: usize, to: usize) {
    r.jobs[from + 1..=to].reverse();
    r.update(inst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixture::{line, route};

    const OPEN: (i64, i64) = (0, 1000);

    #[test]
    fn relocating_a_stray_client_saves_what_it_predicts() {
        // 1 .. 10 .. 2 .. 11: client 1 (at 2) belongs between the places 1 and 10.
        let inst = line(&[1, 2, 10, 11], &[OPEN; 4], 10, 1);
        let mut r = route(&inst, 0, &[0, 2, 1, 3]);
        let before = r.distance;
        let delta = relocate_delta(&inst, &r, 2, 1).unwrap();
        relocate_apply(&inst, &mut r, 2, 1);
        assert_eq!(r.jobs, vec![0, 1, 2, 3]);
        assert_eq!(r.distance, before + delta);
        assert!(delta < 0 && r.feasible);
        assert_eq!(relocate_delta(&inst, &r, 1, 1), None);
        assert_eq!(relocate_delta(&inst, &r, 1, 2), None);
    }

    #[test]
    fn reversing_a_crossed_stretch_saves_what_it_predicts() {
        let inst = line(&[1, 2, 10, 11], &[OPEN; 4], 10, 1);
        // Places 1, 10, 2, 11: the legs 1-10 and 2-11 cross.
        let mut r = route(&inst, 0, &[0, 2, 1, 3]);
        let before = r.distance;
        let delta = reverse_delta(&inst, &r, 0, 2).unwrap();
        reverse_apply(&inst, &mut r, 0, 2);
        assert_eq!(r.jobs, vec![0, 1, 2, 3]);
        assert_eq!(r.distance, before + delta);
        assert_eq!(delta, -16);
    }

    #[test]
    fn a_reversal_that_breaks_a_window_is_seen_by_the_route() {
        // Client 3 (at 11) must be served by time 12, so it has to come right after 10.
        let windows = [OPEN, OPEN, OPEN, (0, 12)];
        let inst = line(&[1, 2, 10, 11], &windows, 10, 1);
        let mut r = route(&inst, 0, &[2, 3, 1, 0]);
        assert!(r.feasible);
        assert!(reverse_delta(&inst, &r, 0, 3).is_some());
        reverse_apply(&inst, &mut r, 0, 3);
        assert!(!r.feasible, "the caller's exact check must refuse it");
    }
}
