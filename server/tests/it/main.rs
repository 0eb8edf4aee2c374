//! The server's integration tests: one test binary (one link of the server and its
//! dependencies, not one per file), one harness (`common`), a module per area.
//!
//! - `api`: each role against each resource, sync, paging, search, merges, audit.
//! - `attacks`: issue 10's findings, each tried again as the attacker tried it.
//! - `auth`: sign-in limits under attack, sessions that end at once, the second factor.
//! - `backup`: a PostgreSQL store dumped with pg_dump, restored into a fresh database, served;
//!   the sled store's own backups (taken by the running binary under load, on a schedule, into
//!   a full folder) restored and served.
//! - `conflicts`: two edits of one field that crossed, kept and settled (issue 12).
//! - `followups`: follow-up rules raised on devices from what sync brings.
//! - `imports`: customers brought over from files, checked, run, run again; bad files refused.
//! - `live`: the live channel that tells the board to sync (issue 14).
//! - `migrate`: `server admin migrate`, sled to PostgreSQL, checked, run twice.
//! - `on_postgres`: the server on PostgreSQL over HTTP; a database outage answers 503.
//! - `privacy`: a customer's export, erasure (records, audit, devices), audit retention.
//! - `shell`: the web shell's files and every answer's security headers.
//! - `store_contract`: one contract for `Store`, on sled and on PostgreSQL (`ROUNDS_TEST_PG`).
//! - `crash`: the real binary killed with SIGKILL; every acknowledged op survives, on sled and
//!   on PostgreSQL (`ROUNDS_CRASH_CYCLES`, `ROUNDS_CRASH_SEED`).

mod common;

mod api;
mod attacks;
mod auth;
mod backup;
mod conflicts;
mod crash;
mod followups;
mod imports;
mod live;
mod migrate;
mod on_postgres;
mod privacy;
mod shell;
mod store_contract;
