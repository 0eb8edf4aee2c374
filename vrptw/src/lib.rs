//! A vehicle routing engine with time windows (VRPTW): who does which job when. Pure
//! computation (no I/O), so the same code answers on the server, on a phone and in the
//! browser. It knows nothing of Rounds: its problem speaks of technicians, jobs, skills and
//! windows in seconds, and `dispatch` (the adapter crate) lowers a store's day into it.
//!
//! Layers, outside in:
//! - [`problem`] and [`solution`]: the field-service model (technicians, jobs, skills, windows)
//!   and the plan handed back, with reasons for every job left out;
//! - [`suggest`]: rank technicians for one job against the current plan;
//! - [`plan`]: plan or re-plan a day;
//! - [`instance`], [`route`], [`search`], [`solve`]: the integer solver both of the above and the
//!   Solomon benchmark reader (`solomon`) lower into;
//! - `check`: checkers that share no code with the solver, for tests and the benchmark.
//!
//! `solomon` and `check` exist with the `solomon` feature only (tests, benches and the
//! server's `solve` command), so the wasm app does not carry them.

#[cfg(any(test, feature = "solomon"))]
pub mod check;
pub mod instance;
pub mod plan;
pub mod problem;
pub mod rng;
pub mod route;
pub mod search;
#[cfg(any(test, feature = "solomon"))]
pub mod solomon;
pub mod solution;
pub mod solve;
pub mod suggest;
pub mod travel;

pub use plan::{PlanOptions, plan, replan};
pub use problem::{
    Break, Job, JobId, Problem, ProblemError, Technician, TechnicianId, TimeWindow, Underway,
};
pub use solution::{Plan, TechRoute, Unassigned, UnassignedReason, Visit, VisitKind};
pub use suggest::{Candidate, Excluded, Exclusion, Suggestion, suggest};
pub use travel::{Haversine, Leg, Location, Matrix, SpeedProfile, TravelTimes};
