//! The Rounds server: the authoritative copy of every organization's data, the place devices
//! sync with, and the read API of the web console.
//!
//! **Invariant:** only `http` speaks HTTP and JSON to clients; only `store` knows sled and SQL.
//! Data changes only through `domain::ops::apply`, called inside [`store::Store::apply`].

pub mod access;
pub mod auth;
pub mod backup;
pub mod geocode;
pub mod http;
pub mod imports;
pub mod live;
pub mod lookup;
pub mod migrate;
pub mod privacy;
pub mod run;
pub mod store;
pub mod sync;
pub mod travel;
