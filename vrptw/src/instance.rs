//! The solver's view of a problem: integer matrices and plain index-addressed clients and
//! vehicles. Both the field-service [`crate::Problem`] and the Solomon reader lower
//! into this, so the search never sees coordinates, ids or skills.

/// Marks a visit without a place of its own (a break): travel to it is free and travel out of it
/// starts from wherever the technician was before it.
pub const NO_LOC: u32 = u32::MAX;

/// One visit the solver may place: a job, or a technician's break pinned to that technician.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub loc: u32,
    pub service: i64,
    /// Index range into [`Instance::windows`]; sorted, disjoint, at least one.
    pub windows: (u32, u32),
    pub demand: i64,
    /// What leaving the client out costs; required clients carry [`Instance::required_prize`].
    pub prize: i64,
    /// Counts towards a vehicle's `max_jobs` (breaks do not).
    pub counts: bool,
}

/// One technician (or Solomon vehicle).
#[derive(Debug, Clone, PartialEq)]
pub struct Vehicle {
    pub start_loc: u32,
    /// [`NO_LOC`] when the day ends wherever the last visit was.
    pub end_loc: u32,
    /// Earliest departure from `start_loc` (shift start, or "now" in a re-plan).
    pub available_from: i64,
    /// Latest arrival at `end_loc`.
    pub shift_end: i64,
    pub capacity: i64,
    pub max_jobs: u32,
    /// Vehicles of one class are interchangeable, so an empty route of a class is tried once.
    pub class: u32,
}

/// Soft wish for a client's service start (re-planning keeps promised ETAs close).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EtaTarget {
    pub at: i64,
    /// Cost per second of deviation.
    pub per_second: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub n_locs: usize,
    /// Row-major `n_locs * n_locs` travel times, asymmetric allowed.
    pub time: Vec<i64>,
    /// Row-major travel cost (distance) used as the objective.
    pub dist: Vec<i64>,
    pub clients: Vec<Client>,
    pub windows: Vec<(i64, i64)>,
    pub vehicles: Vec<Vehicle>,
    /// `clients.len() * vehicles.len()` flags, empty when every vehicle may serve every client.
    pub allowed: Vec<bool>,
    /// `clients.len() * vehicles.len()` extra cost of serving a client with a vehicle (re-plans
    /// penalise reassignment this way), empty when there is none.
    pub assign_cost: Vec<i64>,
    /// Per client, empty when no client has a target.
    pub eta_target: Vec<Option<EtaTarget>>,
    /// Clients sorted by proximity (excluding itself), truncated; drives string removal.
    pub neighbours: Vec<Vec<u32>>,
}

impl Instance {
    /// Builds the neighbour lists; call after the matrices and clients are set.
    pub fn with_neighbours(mut self, keep: usize) -> Self {
        let n = self.clients.len();
        let mut neighbours = Vec::with_capacity(n);
        for a in 0..n {
            let mut others: Vec<u32> = (0..n as u32).filter(|&b| b as usize != a).collect();
            others.sort_by_key(|&b| {
                let (la, lb) = (self.clients[a].loc, self.clients[b as usize].loc);
                // Floating visits have no place: keep them last so they never steer removal.
                if la == NO_LOC || lb == NO_LOC {
                    i64::MAX
                } else {
                    self.dist(la, lb) + self.dist(lb, la)
                }
            });
            others.truncate(keep);
            neighbours.push(others);
        }
        self.neighbours = neighbours;
        self
    }

    #[inline]
    pub fn time(&self, from: u32, to: u32) -> i64 {
        if from == NO_LOC || to == NO_LOC {
            0
        } else {
            self.time[from as usize * self.n_locs + to as usize]
        }
    }

    #[inline]
    pub fn dist(&self, from: u32, to: u32) -> i64 {
        if from == NO_LOC || to == NO_LOC {
            0
        } else {
            self.dist[from as usize * self.n_locs + to as usize]
        }
    }

    #[inline]
    pub fn windows_of(&self, client: u32) -> &[(i64, i64)] {
        let (a, b) = self.clients[client as usize].windows;
        &self.windows[a as usize..b as usize]
    }

    /// Service start for an arrival, waiting for the next window if needed.
    #[inline]
    pub fn earliest_start(&self, client: u32, arrival: i64) -> Option<i64> {
        earliest_start(self.windows_of(client), arrival)
    }

    #[inline]
    pub fn allowed(&self, client: u32, vehicle: usize) -> bool {
        self.allowed.is_empty() || self.allowed[client as usize * self.vehicles.len() + vehicle]
    }

    #[inline]
    pub fn assign_cost(&self, client: u32, vehicle: usize) -> i64 {
        if self.assign_cost.is_empty() {
            0
        } else {
            self.assign_cost[client as usize * self.vehicles.len() + vehicle]
        }
    }

    #[inline]
    pub fn eta_cost(&self, client: u32, start: i64) -> i64 {
        match self.eta_target.get(client as usize) {
            Some(Some(t)) => (start - t.at).abs().saturating_mul(t.per_second),
            _ => 0,
        }
    }

    /// Prize large enough that leaving a required client out is never cheaper than any route.
    pub fn required_prize(&self) -> i64 {
        let max_edge = self.dist.iter().copied().max().unwrap_or(0).max(1);
        max_edge.saturating_mul(4 * (self.clients.len() as i64 + 2))
    }

    pub fn total_demand(&self) -> i64 {
        self.clients.iter().map(|c| c.demand).sum()
    }
}

/// First feasible service start at or after `arrival` over sorted windows.
#[inline]
pub fn earliest_start(windows: &[(i64, i64)], arrival: i64) -> Option<i64> {
    windows
        .iter()
        .find(|w| w.1 >= arrival)
        .map(|w| w.0.max(arrival))
}

/// Latest service start not after `bound`, if any window allows one.
#[inline]
pub fn latest_start(windows: &[(i64, i64)], bound: i64) -> Option<i64> {
    windows
        .iter()
        .rev()
        .find(|w| w.0 <= bound)
        .map(|w| w.1.min(bound))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_wait_for_the_next_opening_and_bound_from_above() {
        let w = [(10, 20), (40, 50)];
        assert_eq!(earliest_start(&w, 0), Some(10));
        assert_eq!(earliest_start(&w, 15), Some(15));
        assert_eq!(earliest_start(&w, 21), Some(40));
        assert_eq!(earliest_start(&w, 51), None);
        assert_eq!(latest_start(&w, 100), Some(50));
        assert_eq!(latest_start(&w, 45), Some(45));
        assert_eq!(latest_start(&w, 30), Some(20));
        assert_eq!(latest_start(&w, 9), None);
    }
}
