//! String removal: cut short runs of consecutive visits out of routes that lie near a random
//! seed client, so that the reinsertion can rebuild a region rather than single visits.

use super::{ABSENT, Params, Scratch, State};
use crate::instance::Instance;
use crate::rng::Rng;

pub fn ruin(inst: &Instance, st: &mut State, params: &Params, rng: &mut Rng, sc: &mut Scratch) {
    let n = inst.clients.len();
    if n == 0 {
        return;
    }
    let assigned = n - st.absent.len();
    let used = st.used_routes().max(1);
    let avg_len = assigned as f64 / used as f64;
    let max_len = params.max_string.min(avg_len).max(1.0);
    let max_strings = (4.0 * params.avg_removed / (1.0 + max_len) - 1.0).max(1.0);
    let strings = (rng.unit() * max_strings) as usize + 1;

    let seed = rng.below(n) as u32;
    let mut ruined = 0;
    for &c in std::iter::once(&seed).chain(inst.neighbours[seed as usize].iter()) {
        if ruined >= strings {
            break;
        }
        let r = st.route_of[c as usize];
        if r == ABSENT {
            continue;
        }
        let r = r as usize;
        if sc.touched_flag.get(r).copied().unwrap_or(false) {
            continue;
        }
        let route_len = st.routes[r].jobs.len();
        let limit = max_len.min(route_len as f64);
        let len = ((rng.unit() * limit) as usize + 1).min(route_len);
        let pos = st.routes[r].jobs.iter().position(|&x| x == c).unwrap_or(0);
        if rng.unit() < params.split_rate && len < route_len {
            remove_split_string(inst, st, r, pos, len, params, rng, sc);
        } else {
            remove_string(inst, st, r, pos, len, 0, 0, rng, sc);
        }
        ruined += 1;
    }
}

/// A string of `len + kept` visits around `pos`, of which a middle run of `kept` stays.
#[expect(
    clippy::too_many_arguments,
    reason = "the string's shape and the solver state, as separate borrows"
)]
fn remove_split_string(
    inst: &Instance,
    st: &mut State,
    r: usize,
    pos: usize,
    len: usize,
    params: &Params,
    rng: &mut Rng,
    sc: &mut Scratch,
) {
    let route_len = st.routes[r].jobs.len();
    let mut kept = 1;
    while kept < route_len - len && rng.unit() > params.split_depth {
        kept += 1;
    }
    let keep_at = rng.below(len + 1);
    remove_string(inst, st, r, pos, len + kept, keep_at, kept, rng, sc);
}

/// Removes a window of `total` visits containing `pos`, except `kept` visits starting `keep_at`
/// into the window.
#[expect(
    clippy::too_many_arguments,
    reason = "the string's shape and the solver state, as separate borrows"
)]
fn remove_string(
    inst: &Instance,
    st: &mut State,
    r: usize,
    pos: usize,
    total: usize,
    keep_at: usize,
    kept: usize,
    rng: &mut Rng,
    sc: &mut Scratch,
) {
    let route = &mut st.routes[r];
    let n = route.jobs.len();
    let total = total.min(n);
    let lo = (pos + 1).saturating_sub(total);
    let hi = pos.min(n - total);
    let first = lo + rng.below(hi - lo + 1);
    let mut i = 0;
    route.jobs.retain(|&c| {
        let offset = i as isize - first as isize;
        i += 1;
        let in_window = offset >= 0 && (offset as usize) < total;
        let in_kept = offset >= keep_at as isize && ((offset as usize) < keep_at + kept);
        if in_window && !in_kept {
            sc.removed.push(c);
            st.route_of[c as usize] = ABSENT;
            false
        } else {
            true
        }
    });
    route.update(inst);
    sc.touch(r);
}
