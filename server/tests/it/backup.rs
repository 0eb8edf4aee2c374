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

// The embedded store's own backups (`server/src/backup/`).

mod sled_store {
    use std::collections::{BTreeSet, HashMap};
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use domain::ids::{CustomerId, UserId};
    use domain::ops::{Op, Record, RecordKey, RecordKind};
    use domain::sync::{Change, OpStatus, SyncResponse};
    use serde_json::json;
    use server::backup::{self, BackupError, Backups, restore};
    use server::store::{SledStore, Store};

    use crate::common::{
        BIN, CHEAP, Data, admin_command, pull_from, push_applied, serve_process_args, sign_in,
    };
    use crate::crash::{PASSWORD, id_after, new_customer, staff_through_ops};

    /// `server --data DIR admin ARGS...`, whatever its exit.
    fn admin(data: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
        std::process::Command::new(BIN)
            .arg("--data")
            .arg(data)
            .arg("admin")
            .args(args)
            .output()
            .unwrap()
    }

    fn os(s: &str) -> &std::ffi::OsStr {
        s.as_ref()
    }

    /// The path in `backup written: PATH (...)`.
    fn written(out: &std::process::Output) -> PathBuf {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let rest = text.strip_prefix("backup written: ").expect(&text);
        PathBuf::from(rest.split(" (").next().unwrap())
    }

    fn log(store: &dyn Store, org: domain::ids::OrgId) -> Vec<(u64, String)> {
        store
            .changes(org, 0, 10_000_000, &|_, _| true)
            .unwrap()
            .entries
            .into_iter()
            .map(|(seq, r)| (seq, serde_json::to_string(&r).unwrap()))
            .collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_backup_taken_under_load_restores_to_a_server_that_serves_the_same_data() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let scheduled = dir.path().join("scheduled");
        let out = admin_command(
            Data::Dir(&data),
            PASSWORD,
            &["create-org", "--name", "Backup Co", "--admin-login", "boss"],
        );
        let boss: UserId = id_after(&out, "admin").parse().unwrap();
        let (mut child, base) = serve_process_args(
            Data::Dir(&data),
            &[
                os("--backup-dir"),
                scheduled.as_os_str(),
                os("--backup-keep"),
                os("3"),
            ],
        )
        .await;
        // The schedule takes one at start, as the folder has none.
        for _ in 0..100 {
            if backup::list(&scheduled).is_ok_and(|l| l.len() == 1) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(backup::list(&scheduled).unwrap().len(), 1);

        let http = reqwest::Client::new();
        let (store, rep) = staff_through_ops(&http, &base, boss).await;
        let token = sign_in(&http, &base, "rep", PASSWORD).await;

        // Three clients stream new customers, each waiting for its answer before the next.
        let stop = Arc::new(AtomicBool::new(false));
        let acked: Arc<Mutex<HashMap<usize, Vec<CustomerId>>>> = Arc::default();
        let sent: Arc<Mutex<HashMap<usize, Vec<CustomerId>>>> = Arc::default();
        let mut clients = Vec::new();
        for client in 0..3usize {
            let (http, base, token) = (http.clone(), base.clone(), token.clone());
            let (stop, acked, sent) = (stop.clone(), acked.clone(), sent.clone());
            clients.push(tokio::spawn(async move {
                let mut n = client as u64 * 1_000_000;
                while !stop.load(Ordering::Relaxed) {
                    let made: Vec<(Op, CustomerId)> = (0..2)
                        .map(|_| {
                            n += 1;
                            new_customer(rep, store, n)
                        })
                        .collect();
                    sent.lock()
                        .unwrap()
                        .entry(client)
                        .or_default()
                        .extend(made.iter().map(|(_, c)| *c));
                    let ops: Vec<&Op> = made.iter().map(|(o, _)| o).collect();
                    let r: SyncResponse = http
                        .post(format!("{base}/v1/sync"))
                        .bearer_auth(&token)
                        .json(&json!({"device_id": format!("load-{client}"), "cursor": 0, "ops": ops}))
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    for ((_, id), result) in made.iter().zip(&r.results) {
                        assert!(matches!(result.status, OpStatus::Applied { .. }), "{result:?}");
                        acked.lock().unwrap().entry(client).or_default().push(*id);
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        let acked_before = acked.lock().unwrap().clone();
        let first = {
            let data = data.clone();
            let to = dir.path().join("first");
            tokio::task::spawn_blocking(move || {
                written(&admin(&data, &[os("backup"), os("--to"), to.as_os_str()]))
            })
            .await
            .unwrap()
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.await.unwrap();
        }
        let acked_after = acked.lock().unwrap().clone();
        assert!(
            acked_after.values().map(Vec::len).sum::<usize>()
                > acked_before.values().map(Vec::len).sum::<usize>(),
            "writes went on while the backup was taken"
        );
        // A quiet one into the scheduled folder (its retention applies there).
        let second = {
            let data = data.clone();
            tokio::task::spawn_blocking(move || written(&admin(&data, &[os("backup")])))
                .await
                .unwrap()
        };
        assert_eq!(second.parent(), Some(scheduled.as_path()));
        assert_eq!(backup::list(&scheduled).unwrap().len(), 2);
        // The backup the server answered with is not interrupted by a restart: kill it.
        child.start_kill().unwrap();
        let _ = child.wait().await;

        let restored = |file: &Path, name: &str| {
            let to = dir.path().join(name);
            let out = admin(&to, &[os("restore"), os("--from"), file.as_os_str()]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            to
        };
        let (r1, r2) = (restored(&first, "r1"), restored(&second, "r2"));

        let original = SledStore::open(&data).unwrap();
        let org = original.orgs().unwrap()[0];
        let full = log(&original, org);
        let audit = original.audit_log(org, 0, 10_000_000).unwrap();
        let key = original.signing_key();
        original.close();
        drop(original);

        // The quiet backup is the whole store: the same log, audit and signing key.
        let quiet = SledStore::open(&r2).unwrap();
        assert_eq!(log(&quiet, org), full);
        assert_eq!(quiet.audit_log(org, 0, 10_000_000).unwrap(), audit);
        assert_eq!(quiet.signing_key(), key);
        quiet.close();
        drop(quiet);

        // The one under load is the store at one moment: the log up to its head, exactly, and
        // every op acknowledged before it was asked for.
        let loaded = SledStore::open(&r1).unwrap();
        let head = loaded.durable_head(org).unwrap();
        let prefix: Vec<_> = full.iter().filter(|(s, _)| *s <= head).cloned().collect();
        assert_eq!(log(&loaded, org), prefix);
        assert!(prefix.len() < full.len(), "the load went on after it");
        for (client, ids) in &acked_before {
            for id in ids {
                let key = RecordKey::Customer(*id);
                assert!(
                    loaded.get(key).unwrap().is_some(),
                    "client {client}: an acknowledged customer is missing"
                );
            }
        }
        // Each client's customers in it are a beginning of what that client sent: nothing
        // later without everything before.
        let sent = sent.lock().unwrap().clone();
        for (client, ids) in &sent {
            let present: Vec<bool> = ids
                .iter()
                .map(|id| loaded.get(RecordKey::Customer(*id)).unwrap().is_some())
                .collect();
            let kept = present.iter().take_while(|p| **p).count();
            assert!(
                present[kept..].iter().all(|p| !p),
                "client {client}: a gap in what the backup holds"
            );
        }
        let customers_in_backup = loaded
            .changes(org, 0, 10_000_000, &|kind, _| kind == RecordKind::Customer)
            .unwrap()
            .entries
            .into_iter()
            .filter(|(_, r)| matches!(r, Record::Customer(_)))
            .count();
        loaded.close();
        drop(loaded);

        // And the restored server serves it: the rep signs in with their password and a fresh
        // device gets every customer of the backup; a device that synced past it starts over.
        let (mut child, base) = serve_process_args(Data::Dir(&r1), &[]).await;
        let token = sign_in(&http, &base, "rep", PASSWORD).await;
        let mut cursor = 0;
        let mut seen = BTreeSet::new();
        loop {
            let r = pull_from(&http, &base, &token, "fresh", cursor).await;
            assert!(!r.reset);
            for c in r.changes {
                if let Change::Put { record } = c
                    && let Record::Customer(c) = *record
                {
                    seen.insert(c.id);
                }
            }
            cursor = r.cursor;
            if !r.more {
                break;
            }
        }
        assert_eq!(seen.len(), customers_in_backup);
        let ahead = pull_from(&http, &base, &token, "ahead", full.last().unwrap().0).await;
        assert!(ahead.reset, "{ahead:?}");
        let _ = child.kill().await;
    }

    /// A tmpfs of `bytes`, unmounted when dropped.
    struct SmallDisk(PathBuf);

    impl SmallDisk {
        #[expect(clippy::print_stderr, reason = "says why the test did not run")]
        fn mount(at: &Path, bytes: u64) -> Option<Self> {
            std::fs::create_dir_all(at).unwrap();
            let ok = std::process::Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
                .arg(at)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                // CI runs as root; elsewhere a small disk may not be ours to make.
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI must be able to mount a tmpfs for the full-disk test"
                );
                eprintln!("skipped: cannot mount a tmpfs here (not root?)");
                return None;
            }
            Some(Self(at.to_path_buf()))
        }
    }

    impl Drop for SmallDisk {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }

    async fn demo_store(dir: &Path) -> Arc<SledStore> {
        let store = Arc::new(SledStore::open(dir).unwrap());
        let demo = crate::common::Demo::default();
        let demo = demo::generate_at(demo.seed, demo.now, &demo.size);
        let dyn_store: Arc<dyn Store> = store.clone();
        server::run::seed_demo(&dyn_store, demo, CHEAP)
            .await
            .unwrap();
        store
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_backup_folder_is_a_clear_error_and_the_last_good_backup_stays() {
        let dir = tempfile::tempdir().unwrap();
        let store = demo_store(&dir.path().join("data")).await;
        let probe = Backups::new(store.clone(), None, 1)
            .take(Some(&dir.path().join("probe")), None)
            .await
            .unwrap();
        // Room for one backup and a half.
        let size = (probe.bytes * 3 / 2).div_ceil(4096) * 4096;
        let Some(disk) = SmallDisk::mount(&dir.path().join("small"), size) else {
            return;
        };
        let backups = Backups::new(store.clone(), Some(disk.0.clone()), 5);
        let good = backups.take(None, None).await.unwrap();
        let err = backups.take(None, None).await.unwrap_err();
        assert!(matches!(err, BackupError::NoSpace { .. }), "{err:?}");
        let said = err.to_string();
        assert!(
            said.contains("no space left") && said.contains("kept"),
            "{said}"
        );
        // Exactly the good one is there: the cut-short file is gone, nothing was pruned.
        let names: Vec<_> = std::fs::read_dir(&disk.0)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(names, vec![good.path.clone()]);
        // And it restores.
        let restored = restore::restore(&good.path, &dir.path().join("restored")).unwrap();
        assert_eq!(restored.entries, good.entries);
        let org = store.orgs().unwrap()[0];
        assert_eq!(restored.heads[&org], store.durable_head(org).unwrap());
        drop(disk);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_schedule_keeps_the_newest_backups_and_restore_refuses_what_it_cannot_trust() {
        let dir = tempfile::tempdir().unwrap();
        let store = demo_store(&dir.path().join("data")).await;
        let folder = dir.path().join("backups");
        std::fs::create_dir_all(&folder).unwrap();
        // A backup a crash cut short is never mistaken for one, and goes at the next.
        let partial = folder.join("rounds-20261101T000000.000Z.rounds-backup.partial");
        std::fs::write(&partial, b"cut short").unwrap();
        let backups = Arc::new(Backups::new(store.clone(), Some(folder.clone()), 2));
        let started = chrono::Utc::now();
        let schedule = backup::schedule::run(backups.clone(), Duration::from_millis(300));
        let mut taken_since = 0;
        let mut last = None;
        for _ in 0..200 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            // A new one is in place before the oldest goes: three for a moment at most.
            let all = backup::list(&folder).unwrap();
            assert!(all.len() <= 3, "{all:?}");
            if let Some((at, _)) = all.last()
                && Some(*at) != last
            {
                last = Some(*at);
                taken_since += 1;
            }
            if taken_since >= 4 {
                break;
            }
        }
        schedule.abort();
        assert!(taken_since >= 4, "the schedule took {taken_since}");
        // The abort may have cut a backup between its rename and the pruning: one more, whole.
        backups.take(None, None).await.unwrap();
        let all = backup::list(&folder).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|(at, _)| *at > started));
        assert!(!partial.exists());
        let newest = all.last().unwrap().1.clone();

        // Restore: never over data, never from a damaged or foreign file; nothing left behind.
        let occupied = dir.path().join("data");
        let err = restore::restore(&newest, &occupied).unwrap_err();
        assert!(matches!(err, restore::RestoreError::NotEmpty(_)), "{err}");
        let bytes = std::fs::read(&newest).unwrap();
        let cut = dir.path().join("cut.rounds-backup");
        std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let target = dir.path().join("fresh");
        let err = restore::restore(&cut, &target).unwrap_err();
        assert!(err.to_string().contains("damaged or cut short"), "{err}");
        let foreign = dir.path().join("customers.csv");
        std::fs::write(&foreign, "name,phone\nZhang Wei,13800000000\n").unwrap();
        let err = restore::restore(&foreign, &target).unwrap_err();
        assert!(err.to_string().contains("not a Rounds backup"), "{err}");
        let siblings: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !target.exists() && siblings.iter().all(|n| !n.contains("restoring")),
            "{siblings:?}"
        );
        // The good one comes back whole.
        let restored = restore::restore(&newest, &target).unwrap();
        let org = store.orgs().unwrap()[0];
        let again = SledStore::open(&target).unwrap();
        assert_eq!(log(&again, org), log(store.as_ref(), org));
        assert_eq!(restored.heads[&org], store.durable_head(org).unwrap());
    }

    /// Issue 17, item 3: a backup taken before an erasure does not bring the person back:
    /// the restore applies the erasure log (kept in the backup folder) again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_restore_from_before_an_erasure_erases_again() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let folder = dir.path().join("backups");
        let out = admin_command(
            Data::Dir(&data),
            PASSWORD,
            &["create-org", "--name", "Erase Co", "--admin-login", "boss"],
        );
        let boss: UserId = id_after(&out, "admin").parse().unwrap();
        let (mut child, base) =
            serve_process_args(Data::Dir(&data), &[os("--backup-dir"), folder.as_os_str()]).await;
        let http = reqwest::Client::new();
        let (store, _) = staff_through_ops(&http, &base, boss).await;
        let token = sign_in(&http, &base, "boss", PASSWORD).await;
        let (made, customer) = new_customer(boss, store, 4_242);
        let phone = "13800004242";
        let send = |ops: Vec<Op>| {
            let (http, base, token) = (http.clone(), base.clone(), token.clone());
            async move { push_applied(&http, &base, &token, "office", &ops).await }
        };
        send(vec![made]).await;
        let before = {
            let data = data.clone();
            tokio::task::spawn_blocking(move || written(&admin(&data, &[os("backup")])))
                .await
                .unwrap()
        };
        send(vec![domain::ops::Op {
            id: domain::ids::OpId::new(),
            actor: boss,
            at: chrono::Utc::now(),
            location: None,
            kind: domain::ops::OpKind::EraseCustomer { customer },
        }])
        .await;
        child.start_kill().unwrap();
        let _ = child.wait().await;

        let restored = dir.path().join("restored");
        let out = admin(
            &restored,
            &[os("restore"), os("--from"), before.as_os_str()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("1 erasures from"), "{said}");
        let store = SledStore::open(&restored).unwrap();
        let Some(Record::Customer(c)) = store.get(RecordKey::Customer(customer)).unwrap() else {
            panic!("the customer");
        };
        assert!(c.erased.is_some() && c.phones.is_empty(), "{c:?}");
        let org = store.orgs().unwrap()[0];
        let audit = serde_json::to_string(&store.audit_log(org, 0, 1_000_000).unwrap()).unwrap();
        assert!(
            !audit.contains(phone),
            "the restored audit still holds the number"
        );
        // The restored folder keeps the log for its own next restore.
        assert!(restored.join("erasures.jsonl").exists());
        store.close();
    }
}
