//! Issue 12, item 7: several device cores and the server's store in one process, with
//! requests and answers lost, repeated and held back, devices restarting in the middle of a
//! sync with writes unfinished, and the server's store crashing. When things settle, every
//! acknowledged op was applied exactly once, no op saved on a device was lost, and every
//! device stores exactly what the server shows its user.
//!
//! Replay a failure from the seed proptest prints. More cases:
//! `PROPTEST_CASES=500 cargo test -p faults --release --test in_process`.

use faults::World;
use faults::steps::{people, run, step};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        ..ProptestConfig::default()
    })]

    #[test]
    fn after_any_faults_every_change_lands_once_and_every_replica_is_the_servers_view(
        seed in 1u64..1000,
        steps in proptest::collection::vec(step(), 10..80),
    ) {
        let mut world = World::new(seed, people).map_err(|e| TestCaseError::fail(e.0))?;
        run(&mut world, steps).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert!(!world.acknowledged.is_empty() || world.made.is_empty());
    }
}
