//! Ruin-and-recreate search after Christiaens & Vanden Berghe, "Slack Induction by String
//! Removals for Vehicle Routing Problems" (Transportation Science, 2020): adjacent strings are
//! cut out of several routes ([`ruin`]) and the clients are put back greedily with random
//! "blinks" ([`recreate`]). A fleet-minimisation phase ([`fleet`]) removes whole routes and uses
//! absence counters to decide which partial solutions to keep; a simulated-annealing phase
//! ([`anneal`]) then lowers cost for the fleet found.
//!
//! The search state keeps an accepted copy and a working copy and only restores the routes an
//! iteration touched, so an iteration costs about one greedy reinsertion of ~10 clients.

pub mod anneal;
pub mod fleet;
pub mod intra;
pub mod local;
pub mod recreate;
pub mod relocate;
pub mod ruin;
pub mod two_opt_star;

use super::instance::Instance;
use super::route::Route;

pub const ABSENT: u32 = u32::MAX;

/// Tunables of string removal and greedy insertion, named as in the paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Average number of clients removed per iteration (c̄).
    pub avg_removed: f64,
    /// Longest string cut from one route (L^max).
    pub max_string: f64,
    /// Chance to use a split string (a string with a kept middle part).
    pub split_rate: f64,
    /// Chance to stop growing the kept part of a split string (β).
    pub split_depth: f64,
    /// Chance to skip an insertion position (γ).
    pub blink_rate: f64,
    /// Polish every recreated solution with relocate and 2-opt* before accepting or rejecting.
    pub local_search: bool,
    /// Skip the local search when the recreated solution is worse than the acceptance
    /// threshold by more than this share of the current cost: polishing rarely rescues such
    /// a candidate, and skipping it leaves time for several more ruin-and-recreate steps.
    pub local_search_margin: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            avg_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            split_depth: 0.01,
            blink_rate: 0.01,
            local_search: true,
            local_search_margin: 0.01,
        }
    }
}

/// A complete assignment (possibly with absent clients).
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub routes: Vec<Route>,
    /// Route index per client, [`ABSENT`] when unassigned.
    pub route_of: Vec<u32>,
    pub absent: Vec<u32>,
    /// Routes that may be non-empty; fleet minimisation lowers it.
    pub max_routes: usize,
}

impl State {
    pub fn empty(inst: &Instance) -> Self {
        Self {
            routes: (0..inst.vehicles.len())
                .map(|v| Route::new(inst, v))
                .collect(),
            route_of: vec![ABSENT; inst.clients.len()],
            absent: (0..inst.clients.len() as u32).collect(),
            max_routes: inst.vehicles.len(),
        }
    }

    pub fn used_routes(&self) -> usize {
        self.routes.iter().filter(|r| !r.is_empty()).count()
    }

    pub fn feasible(&self) -> bool {
        self.routes.iter().all(|r| r.feasible) && self.used_routes() <= self.max_routes
    }

    /// Objective: route costs plus the prize of every absent client.
    pub fn cost(&self, inst: &Instance) -> i64 {
        let routes: i64 = self.routes.iter().map(|r| r.cost).sum();
        let absent: i64 = self
            .absent
            .iter()
            .map(|&c| inst.clients[c as usize].prize)
            .sum();
        routes.saturating_add(absent)
    }

    pub fn distance(&self) -> i64 {
        self.routes.iter().map(|r| r.distance).sum()
    }

    pub fn reindex(&mut self) {
        self.route_of.fill(ABSENT);
        for (r, route) in self.routes.iter().enumerate() {
            for &c in &route.jobs {
                self.route_of[c as usize] = r as u32;
            }
        }
    }

    /// Copies `touched` routes and the bookkeeping from `other`; the rest is already equal.
    pub fn copy_touched(&mut self, other: &State, touched: &[usize]) {
        for &r in touched {
            self.routes[r].copy_from(&other.routes[r]);
        }
        self.route_of.clone_from(&other.route_of);
        self.absent.clone_from(&other.absent);
        self.max_routes = other.max_routes;
    }

    /// Moves every client of route `r` to the absent list.
    pub fn empty_route(&mut self, inst: &Instance, r: usize) {
        let jobs = std::mem::take(&mut self.routes[r].jobs);
        for &c in &jobs {
            self.route_of[c as usize] = ABSENT;
        }
        self.absent.extend(jobs);
        self.routes[r].update(inst);
    }
}

/// Scratch buffers reused across iterations.
#[derive(Debug, Default)]
pub struct Scratch {
    pub removed: Vec<u32>,
    pub touched: Vec<usize>,
    pub touched_flag: Vec<bool>,
}

impl Scratch {
    pub fn touch(&mut self, r: usize) {
        if self.touched_flag.len() <= r {
            self.touched_flag.resize(r + 1, false);
        }
        if !self.touched_flag[r] {
            self.touched_flag[r] = true;
            self.touched.push(r);
        }
    }

    pub fn clear(&mut self) {
        for &r in &self.touched {
            self.touched_flag[r] = false;
        }
        self.touched.clear();
        self.removed.clear();
    }
}

/// Tiny instances for operator tests: places on a line, depot at 0.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::instance::{Client, Instance, Vehicle};
    use crate::route::Route;

    /// One client per entry of `xs` (client i at place i + 1), each with `windows[i]`.
    pub fn line(xs: &[i64], windows: &[(i64, i64)], capacity: i64, vehicles: usize) -> Instance {
        let pos: Vec<i64> = std::iter::once(0).chain(xs.iter().copied()).collect();
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
            clients: (0..xs.len() as u32)
                .map(|i| Client {
                    loc: i + 1,
                    service: 0,
                    windows: (i, i + 1),
                    demand: 1,
                    prize: 1_000_000,
                    counts: true,
                })
                .collect(),
            windows: windows.to_vec(),
            vehicles: (0..vehicles)
                .map(|_| Vehicle {
                    start_loc: 0,
                    end_loc: 0,
                    available_from: 0,
                    shift_end: 1000,
                    capacity,
                    max_jobs: u32::MAX,
                    class: 0,
                })
                .collect(),
            allowed: vec![],
            assign_cost: vec![],
            eta_target: vec![],
            neighbours: vec![],
        }
        .with_neighbours(10)
    }

    pub fn route(inst: &Instance, vehicle: usize, jobs: &[u32]) -> Route {
        let mut r = Route::new(inst, vehicle);
        r.jobs = jobs.to_vec();
        r.update(inst);
        r
    }
}
