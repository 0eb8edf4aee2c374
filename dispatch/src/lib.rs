//! From Rounds records to a dispatch [`Problem`] and back: one store's technicians and open
//! jobs on one local day become technicians and jobs in seconds since that day's midnight;
//! a [`Suggestion`] or [`Plan`] becomes ids, instants and reasons a dispatcher can read.
//!
//! Pure and without I/O like the `vrptw` engine: the device feeds it its replica
//! (`MemoryRecords::iter`), the server the records it read from its store. Places are known
//! before travel times ([`Day::places`]) so that the server can fetch a road matrix first.

mod crew;
#[cfg(test)]
mod crew_tests;
mod day;
mod plan;
mod suggest;
#[cfg(test)]
mod tests;

pub use day::*;
pub use plan::*;
pub use suggest::*;
