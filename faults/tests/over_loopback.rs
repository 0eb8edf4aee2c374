//! Issue 12, item 7, the longer part: the same people and faults against a real server
//! process over loopback, crashed with SIGKILL (`Step::Crash`) and started again on its files.
//! When things settle: every acknowledged op applied exactly once, none saved on a device lost,
//! every device's replica the server's view of its user, one conflict for every concurrent
//! edit of the same customer field.
//!
//! Needs the `server` binary (built by `cargo test --workspace`, or `cargo build -p server`).
//! More cases: `PROPTEST_CASES=50 cargo test -p faults --release --test over_loopback`.

use faults::steps::{people, run, step};
use faults::{World, server_bin};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(3),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_server_killed_with_sigkill_loses_nothing_acknowledged_and_devices_converge(
        seed in 1u64..1000,
        steps in proptest::collection::vec(step(), 20..80),
    ) {
        let bin = server_bin().map_err(|e| TestCaseError::fail(e.0))?;
        let mut world = World::over_loopback(seed, &bin, people).map_err(|e| TestCaseError::fail(e.0))?;
        run(&mut world, steps).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert!(!world.acknowledged.is_empty() || world.made.is_empty());
        eprintln!("faults: customer edits applied {}, crossings {}", world.edits_applied, world.crossings);
    }
}
