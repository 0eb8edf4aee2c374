//! Rounds' domain: the records (organizations, stores, people, customers, jobs, leads,
//! follow-ups), the operations that change them ([`ops::apply`], the one place data changes,
//! on the device and on the server), the sync wire types and the device outbox, customer
//! [`lookup`], and the organization's [`kpis`]. No Crux and no I/O: the Crux app (`shared`) and
//! the server both build on it.

pub mod audit;
pub mod conflicts;
pub mod customers;
pub mod followups;
pub mod ids;
pub mod import;
pub mod jobs;
pub mod kpis;
pub mod leads;
pub mod lookup;
pub mod money;
pub mod ops;
pub mod org;
pub mod places;
pub mod purchases;
pub mod sync;
pub mod words;
