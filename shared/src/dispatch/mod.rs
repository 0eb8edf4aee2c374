//! Dispatch: the engine ([`vrptw`]) and the adapter from records to a store's day
//! ([`records`]).

pub mod records;

pub use vrptw::*;
