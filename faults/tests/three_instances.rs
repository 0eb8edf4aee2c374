//! Issue 15, item 3: the same people and faults against three `server` processes on one
//! PostgreSQL database. Each device request goes to an instance picked at random (with the
//! run's seed); a crash (`Step::Crash`) SIGKILLs one instance, sometimes in the middle of a
//! device's request to it, and starts it again at once or leaves it down for a while (a later
//! crash or the final settling starts it); a duplicated request goes to two instances at once.
//! Devices sign in through one instance and use their tokens on all. When things settle: every
//! acknowledged op applied exactly once, none decided twice, none saved on a device lost, every
//! device's replica the server's feed from cursor 0 for its user (no device's feed missed a
//! change, all converge), one conflict for every concurrent edit of the same customer field.
//!
//! Needs the `server` binary (`cargo build -p server`) and a PostgreSQL cluster: each case
//! makes a database of its own there and drops it after.
//! `export ROUNDS_TEST_PG=$(bash scripts/pg.sh start)`, then
//! `cargo test -p faults --test three_instances`; without `ROUNDS_TEST_PG` the test is skipped
//! (it fails under `CI`). More cases: `PROPTEST_CASES=20 cargo test -p faults --release --test
//! three_instances`.

use faults::steps::{people, run, step_with_crashes};
use faults::{World, server_bin};
use proptest::prelude::*;

/// Crashes are this many times as likely as in the one-server tests: about one step in ten.
const CRASHES: u32 = 4;

#[test]
fn three_instances_on_one_database_lose_nothing_acknowledged_and_devices_converge() {
    if std::env::var_os("ROUNDS_TEST_PG").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "ROUNDS_TEST_PG is not set: the three-instance test needs a PostgreSQL cluster \
             (export ROUNDS_TEST_PG=$(bash scripts/pg.sh start))"
        );
        println!(
            "skipped: ROUNDS_TEST_PG is not set (export ROUNDS_TEST_PG=$(bash scripts/pg.sh start))"
        );
        return;
    }
    cases();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(3),
        ..ProptestConfig::default()
    })]

    /// The cases, run by the test above once it knows there is a cluster (not a `#[test]`
    /// itself, so `allow-print-in-tests` does not cover its report).
    #[expect(clippy::print_stderr, reason = "a case reports what it went through, as the other fault tests do")]
    fn cases(
        seed in 1u64..1000,
        steps in proptest::collection::vec(step_with_crashes(CRASHES), 20..80),
    ) {
        let pg = std::env::var("ROUNDS_TEST_PG").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let bin = server_bin().map_err(|e| TestCaseError::fail(e.0))?;
        let mut world = World::on_cluster(seed, &bin, &pg, people).map_err(|e| TestCaseError::fail(e.0))?;
        run(&mut world, steps).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert!(!world.acknowledged.is_empty() || world.made.is_empty());
        eprintln!(
            "faults: ops acknowledged {}, customer edits applied {}, crossings {}; {:?}",
            world.acknowledged.len(), world.edits_applied, world.crossings, world.cluster
        );
    }
}
