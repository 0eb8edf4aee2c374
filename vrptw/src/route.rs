//! A vehicle's route with its schedule precomputed forwards (service starts) and backwards
//! (latest arrival that keeps the rest of the route feasible), so that "can this client go
//! between positions p and p+1?" is answered without walking the route.

use super::instance::{Instance, NO_LOC, latest_start};

/// Latest-arrival value for a suffix that can never be made feasible.
const NEVER: i64 = i64::MIN / 4;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Route {
    pub vehicle: usize,
    pub jobs: Vec<u32>,
    /// Indexed by position: 0 is the start depot, `jobs.len() + 1` the end depot.
    start: Vec<i64>,
    depart: Vec<i64>,
    latest: Vec<i64>,
    /// Last place the vehicle has been at or before each position (breaks have none).
    at_loc: Vec<u32>,
    /// First place after each position, `end_loc` at the end.
    next_loc: Vec<u32>,
    /// Load and counted jobs up to and including each position (tail exchanges need them).
    prefix_load: Vec<i64>,
    prefix_count: Vec<u32>,
    pub load: i64,
    pub n_counted: u32,
    pub distance: i64,
    pub travel_time: i64,
    /// Distance plus assignment and ETA penalties.
    pub cost: i64,
    pub feasible: bool,
}

/// What inserting one client at one gap does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Insertion {
    /// Gap index: the client goes after position `gap` (0 = right after the start).
    pub gap: usize,
    pub arrival: i64,
    pub start: i64,
    pub delta_distance: i64,
    pub delta_time: i64,
}

impl Route {
    pub fn new(inst: &Instance, vehicle: usize) -> Self {
        let mut r = Self {
            vehicle,
            ..Self::default()
        };
        r.update(inst);
        r
    }

    pub fn copy_from(&mut self, other: &Route) {
        self.vehicle = other.vehicle;
        self.jobs.clone_from(&other.jobs);
        self.start.clone_from(&other.start);
        self.depart.clone_from(&other.depart);
        self.latest.clone_from(&other.latest);
        self.prefix_load.clone_from(&other.prefix_load);
        self.prefix_count.clone_from(&other.prefix_count);
        self.at_loc.clone_from(&other.at_loc);
        self.next_loc.clone_from(&other.next_loc);
        self.load = other.load;
        self.n_counted = other.n_counted;
        self.distance = other.distance;
        self.travel_time = other.travel_time;
        self.cost = other.cost;
        self.feasible = other.feasible;
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Service start of the job at `index` in [`Route::jobs`].
    pub fn start_of(&self, index: usize) -> i64 {
        self.start[index + 1]
    }

    /// Arrival (before any wait) at the job at `index` in [`Route::jobs`].
    pub fn arrival_of(&self, inst: &Instance, index: usize) -> i64 {
        let c = &inst.clients[self.jobs[index] as usize];
        self.depart[index] + inst.time(self.at_loc[index], c.loc)
    }

    /// Arrival at the end location.
    pub fn end_arrival(&self) -> i64 {
        self.start[self.jobs.len() + 1]
    }

    /// Recomputes the schedule after `jobs` changed: O(route length).
    pub fn update(&mut self, inst: &Instance) {
        let veh = &inst.vehicles[self.vehicle];
        let n = self.jobs.len();
        self.prefix_load.clear();
        self.prefix_load.resize(n + 2, 0);
        self.prefix_count.clear();
        self.prefix_count.resize(n + 2, 0);
        for v in [&mut self.start, &mut self.depart, &mut self.latest] {
            v.clear();
            v.resize(n + 2, 0);
        }
        self.at_loc.clear();
        self.at_loc.resize(n + 2, NO_LOC);
        self.next_loc.clear();
        self.next_loc.resize(n + 2, NO_LOC);

        let mut feasible = true;
        let (mut load, mut counted, mut distance, mut travel, mut penalties) = (0, 0, 0, 0, 0);
        self.start[0] = veh.available_from;
        self.depart[0] = veh.available_from;
        self.at_loc[0] = veh.start_loc;
        for k in 1..=n {
            let c = self.jobs[k - 1];
            let cl = &inst.clients[c as usize];
            let from = self.at_loc[k - 1];
            let arrival = self.depart[k - 1] + inst.time(from, cl.loc);
            distance += inst.dist(from, cl.loc);
            travel += inst.time(from, cl.loc);
            let start = match inst.earliest_start(c, arrival) {
                Some(s) => s,
                None => {
                    feasible = false;
                    arrival
                }
            };
            self.start[k] = start;
            self.depart[k] = start + cl.service;
            self.at_loc[k] = if cl.loc == NO_LOC { from } else { cl.loc };
            load += cl.demand;
            counted += u32::from(cl.counts);
            self.prefix_load[k] = load;
            self.prefix_count[k] = counted;
            penalties += inst.assign_cost(c, self.vehicle) + inst.eta_cost(c, start);
        }
        let last = self.at_loc[n];
        let end_arrival = self.depart[n] + inst.time(last, veh.end_loc);
        distance += inst.dist(last, veh.end_loc);
        travel += inst.time(last, veh.end_loc);
        self.start[n + 1] = end_arrival;
        self.depart[n + 1] = end_arrival;
        self.at_loc[n + 1] = if veh.end_loc == NO_LOC {
            last
        } else {
            veh.end_loc
        };
        feasible &= end_arrival <= veh.shift_end;
        feasible &= load <= veh.capacity && counted <= veh.max_jobs;

        self.latest[n + 1] = veh.shift_end;
        self.next_loc[n + 1] = veh.end_loc;
        for k in (0..=n).rev() {
            let next_loc = if k == n {
                veh.end_loc
            } else {
                inst.clients[self.jobs[k] as usize].loc
            };
            self.next_loc[k] = if next_loc == NO_LOC && k < n {
                self.next_loc[k + 1]
            } else {
                next_loc
            };
            if k == 0 {
                break;
            }
            let c = self.jobs[k - 1];
            let next = self.latest[k + 1];
            self.latest[k] = if next == NEVER {
                NEVER
            } else {
                let bound =
                    next - inst.time(self.at_loc[k], next_loc) - inst.clients[c as usize].service;
                latest_start(inst.windows_of(c), bound).unwrap_or(NEVER)
            };
        }
        self.prefix_load[n + 1] = load;
        self.prefix_count[n + 1] = counted;
        self.load = load;
        self.n_counted = counted;
        self.distance = distance;
        self.travel_time = travel;
        self.cost = distance + penalties;
        self.feasible = feasible;
    }

    /// Whether the vehicle could take one more of `client` at all (capacity, job count, skills).
    #[inline]
    pub fn admits(&self, inst: &Instance, client: u32) -> bool {
        let veh = &inst.vehicles[self.vehicle];
        let cl = &inst.clients[client as usize];
        self.feasible
            && self.load + cl.demand <= veh.capacity
            && self.n_counted + u32::from(cl.counts) <= veh.max_jobs
            && inst.allowed(client, self.vehicle)
    }

    /// Feasibility and cost of putting `client` after position `gap`, with the legs into and out
    /// of it supplied by the caller so that a job outside the matrix can be evaluated too.
    /// Walks only across breaks that follow the gap; O(1) otherwise.
    #[inline]
    #[expect(
        clippy::too_many_arguments,
        reason = "hot path: the job's parts as scalars, no struct to build"
    )]
    pub fn evaluate_with(
        &self,
        inst: &Instance,
        gap: usize,
        windows: &[(i64, i64)],
        service: i64,
        located: bool,
        leg_in: (i64, i64),
        leg_out: (i64, i64),
    ) -> Option<Insertion> {
        let n = self.jobs.len();
        let from = self.at_loc[gap];
        let arrival = self.depart[gap] + leg_in.0;
        let start = super::instance::earliest_start(windows, arrival)?;
        let mut t = start + service;
        let mut k = gap + 1;
        loop {
            if k == n + 1 || inst.clients[self.jobs[k - 1] as usize].loc != NO_LOC {
                let travel_out = if located {
                    leg_out.0
                } else {
                    inst.time(from, self.next_loc[gap])
                };
                if t + travel_out > self.latest[k] {
                    return None;
                }
                break;
            }
            // A break right after the gap now starts from the inserted client's place.
            let b = self.jobs[k - 1];
            t = inst.earliest_start(b, t)? + inst.clients[b as usize].service;
            k += 1;
        }
        let next = self.next_loc[gap];
        let (delta_distance, delta_time) = if located {
            (
                leg_in.1 + leg_out.1 - inst.dist(from, next),
                leg_in.0 + leg_out.0 - inst.time(from, next),
            )
        } else {
            (0, 0)
        };
        Some(Insertion {
            gap,
            arrival,
            start,
            delta_distance,
            delta_time,
        })
    }

    /// [`Route::evaluate_with`] for a client of the instance.
    #[inline]
    pub fn evaluate(&self, inst: &Instance, client: u32, gap: usize) -> Option<Insertion> {
        let cl = &inst.clients[client as usize];
        let from = self.at_loc[gap];
        let next = self.next_loc[gap];
        let located = cl.loc != NO_LOC;
        let leg_in = (inst.time(from, cl.loc), inst.dist(from, cl.loc));
        let leg_out = (inst.time(cl.loc, next), inst.dist(cl.loc, next));
        self.evaluate_with(
            inst,
            gap,
            inst.windows_of(client),
            cl.service,
            located,
            leg_in,
            leg_out,
        )
    }

    /// Load and counted jobs of positions `0..=pos`.
    pub fn prefix(&self, pos: usize) -> (i64, u32) {
        (self.prefix_load[pos], self.prefix_count[pos])
    }

    /// Latest arrival at position `pos` that keeps the route from there on feasible.
    pub fn latest_at(&self, pos: usize) -> i64 {
        self.latest[pos]
    }

    /// Place the vehicle is at after position `gap` and the next place it goes to.
    pub fn gap_places(&self, gap: usize) -> (u32, u32) {
        (self.at_loc[gap], self.next_loc[gap])
    }

    pub fn depart_at(&self, gap: usize) -> i64 {
        self.depart[gap]
    }

    pub fn insert(&mut self, inst: &Instance, client: u32, gap: usize) {
        self.jobs.insert(gap, client);
        self.update(inst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::{Client, Vehicle};

    /// Three places on a line 10 apart; depot at 0.
    fn line(windows: &[(i64, i64)]) -> Instance {
        let pos = [0i64, 10, 20, 30];
        let n = pos.len();
        let mut time = vec![0; n * n];
        for a in 0..n {
            for b in 0..n {
                time[a * n + b] = (pos[a] - pos[b]).abs();
            }
        }
        Instance {
            n_locs: n,
            dist: time.clone(),
            time,
            clients: (0..3)
                .map(|i| Client {
                    loc: i + 1,
                    service: 5,
                    windows: (i, i + 1),
                    demand: 1,
                    prize: 1000,
                    counts: true,
                })
                .collect(),
            windows: windows.to_vec(),
            vehicles: vec![Vehicle {
                start_loc: 0,
                end_loc: 0,
                available_from: 0,
                shift_end: 200,
                capacity: 10,
                max_jobs: 10,
                class: 0,
            }],
            allowed: vec![],
            assign_cost: vec![],
            eta_target: vec![],
            neighbours: vec![],
        }
    }

    #[test]
    fn schedule_waits_and_costs_the_round_trip() {
        let inst = line(&[(0, 100), (50, 60), (0, 200)]);
        let mut r = Route::new(&inst, 0);
        r.jobs = vec![0, 1, 2];
        r.update(&inst);
        assert!(r.feasible);
        assert_eq!(r.start_of(0), 10);
        assert_eq!(r.start_of(1), 50); // waits for the window
        assert_eq!(r.start_of(2), 65);
        assert_eq!(r.end_arrival(), 100);
        assert_eq!(r.distance, 60);
    }

    #[test]
    fn insertion_respects_downstream_slack_exactly() {
        // Client 1 must start by 25: inserting client 2 (far away) before it breaks that.
        let inst = line(&[(0, 100), (0, 25), (0, 200)]);
        let mut r = Route::new(&inst, 0);
        r.jobs = vec![0, 1];
        r.update(&inst);
        assert!(r.feasible);
        assert!(r.evaluate(&inst, 2, 0).is_none());
        assert!(r.evaluate(&inst, 2, 1).is_none());
        let after = r.evaluate(&inst, 2, 2).expect("end of route has slack");
        assert_eq!(after.start, 40);
        assert_eq!(after.delta_distance, 20);
        // The O(1) answer matches a full recomputation.
        r.insert(&inst, 2, 2);
        assert!(r.feasible);
        assert_eq!(r.start_of(2), 40);
    }

    #[test]
    fn infeasible_gap_agrees_with_full_recompute() {
        let inst = line(&[(0, 100), (0, 25), (0, 200)]);
        let mut r = Route::new(&inst, 0);
        r.jobs = vec![0, 1];
        r.update(&inst);
        let mut copy = r.clone();
        copy.insert(&inst, 2, 0);
        assert!(!copy.feasible);
    }
}
