//! Backing up a PostgreSQL store with pg_dump and restoring it into a fresh database
//! (`docs/ARCHITECTURE.md`, the PostgreSQL store's backup): the restored database serves the
//! same data, and people sign in as before.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use demo::{DemoSize, generate_at};
use domain::org::Role;
use server::run;
use server::store::{PgStore, Store};

use crate::common::{CHEAP, DEMO_PASSWORD, pull_from, serve_store, sign_in};
use crate::store_contract::pg;

/// A PostgreSQL client program: beside the server that `scripts/pg.sh` found, else on PATH.
fn program(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.reverse();
    dirs.push(PathBuf::from("/usr/local/bin"));
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pg_dump_restored_into_a_fresh_database_serves_the_same_data() {
    let Some(live) = pg().await else { return };
    let Some(fresh) = pg().await else { return };
    let store: Arc<dyn Store> = live.store();
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 1,
        customers: 30,
        open_jobs: 8,
        past_jobs: 8,
        leads: 8,
    };
    let demo = generate_at(
        11,
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
        &size,
    );
    let logins = run::seed_demo(&store, demo, CHEAP).await.unwrap();
    let org = store.orgs().unwrap()[0];
    let admin = logins
        .iter()
        .find(|l| l.roles.contains(&Role::Admin))
        .unwrap();
    store.end_sessions(admin.user).await.unwrap();

    // The procedure: a custom-format dump while the server runs (one consistent snapshot),
    // restored into an empty database before any server opens it.
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("rounds.dump");
    run_ok(
        Command::new(program("pg_dump"))
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(&dump)
            .args(["--dbname", &live.url]),
    );
    run_ok(
        Command::new(program("pg_restore"))
            .args(["--no-owner", "--exit-on-error", "--dbname", &fresh.url])
            .arg(&dump),
    );
    let restored: Arc<dyn Store> = Arc::new(PgStore::open(&fresh.url).unwrap());

    // The same records at the same places in the log, the same audit, keys and credentials.
    let log = |s: &dyn Store| {
        s.changes(org, 0, 1_000_000, &|_, _| true)
            .unwrap()
            .entries
            .into_iter()
            .map(|(seq, r)| (seq, serde_json::to_string(&r).unwrap()))
            .collect::<Vec<_>>()
    };
    let before = log(store.as_ref());
    assert!(before.len() > 100, "{}", before.len());
    assert_eq!(log(restored.as_ref()), before);
    assert_eq!(
        restored.audit_log(org, 0, 100_000).unwrap(),
        store.audit_log(org, 0, 100_000).unwrap()
    );
    assert_eq!(restored.signing_key(), store.signing_key());
    assert_eq!(
        restored.session_epoch(admin.user).unwrap(),
        store.session_epoch(admin.user).unwrap()
    );

    // And it serves: a person signs in with their password and syncs everything.
    let (_running, base) = serve_store(restored.clone()).await;
    let http = reqwest::Client::new();
    let token = sign_in(&http, &base, &admin.login, DEMO_PASSWORD).await;
    // A device starting afresh gets the organization from the restored server.
    let first = pull_from(&http, &base, &token, "restored", 0).await;
    assert!(!first.changes.is_empty() && !first.reset);

    // A device that synced with the old server after the dump holds a cursor past the
    // restored log's end: it is told to start again from 0 (it would otherwise skip the
    // changes numbered up to its cursor again), and its pushed ops are still applied.
    let head = before.last().unwrap().0;
    let tech = logins
        .iter()
        .find(|l| l.roles.contains(&Role::Technician))
        .unwrap();
    let token = sign_in(&http, &base, &tech.login, DEMO_PASSWORD).await;
    let ahead = pull_from(&http, &base, &token, "ahead", head + 40).await;
    assert!(ahead.reset, "{ahead:?}");
    assert_eq!((ahead.cursor, ahead.changes.len()), (0, 0));
    assert!(ahead.more, "and to sync again at once");
    let at_head = pull_from(&http, &base, &token, "ahead", head).await;
    assert!(!at_head.reset, "a device at the restored head is in step");
}
