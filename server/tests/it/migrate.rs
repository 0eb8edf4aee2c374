//! `server admin migrate` (issue 15): a sled database copied to PostgreSQL, checked, and copied
//! again with nothing new; devices' cursors from the old server stay safe.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use demo::{DemoSize, generate_at};
use domain::ops::Record;
use domain::org::Role;
use server::migrate;
use server::run;
use server::store::{SledStore, Store};

use crate::common::{CHEAP, Data, admin_command, new_customer};
use crate::store_contract::pg;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sled_database_moves_to_postgres_whole_and_a_second_run_copies_nothing() {
    let Some(pg) = pg().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = Arc::new(SledStore::open(dir.path()).unwrap());
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 1,
        customers: 40,
        open_jobs: 10,
        past_jobs: 10,
        leads: 10,
    };
    let demo = generate_at(
        9,
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
        &size,
    );
    let dyn_source: Arc<dyn Store> = source.clone();
    let logins = run::seed_demo(&dyn_source, demo, CHEAP).await.unwrap();
    let admin = logins
        .iter()
        .find(|l| l.roles.contains(&Role::Admin))
        .unwrap();
    let org = source.orgs().unwrap()[0];
    // Some history: ops (each audited), a session ended, a second factor set.
    let store_id = match source
        .list(org, domain::ops::RecordKind::Store, None, 10)
        .unwrap()
        .records[0]
    {
        Record::Store(ref s) => s.id,
        _ => unreachable!(),
    };
    let mut ops = Vec::new();
    for n in 0..5 {
        ops.push(new_customer(
            admin.user,
            store_id,
            &format!("Moved customer {n}"),
            &format!("1390000{n:04}"),
        ));
    }
    let admin_user = match source
        .get(domain::ops::RecordKey::User(admin.user))
        .unwrap()
    {
        Some(Record::User(u)) => u,
        _ => unreachable!(),
    };
    server::sync::push(
        source.as_ref(),
        &admin_user,
        "laptop",
        &ops,
        &domain::words::En,
        &server::privacy::ErasureLog::default(),
    )
    .await
    .unwrap();
    source.end_sessions(admin.user).await.unwrap();
    source
        .put_second_factor(
            admin.user,
            Some(server::store::SecondFactor {
                secret: vec![7; 20],
                confirmed: true,
                last_step: 0,
                recovery: vec![[3; 32]],
            }),
        )
        .await
        .unwrap();
    let lost_phone = server::store::DeviceSignOut {
        user: admin.user,
        by: admin.user,
        at: chrono::Utc::now(),
    };
    source
        .sign_out_device(org, "lost-phone".into(), lost_phone.clone())
        .await
        .unwrap();
    let source_head = source.changes(org, 0, 1, &|_, _| false).unwrap().head;

    let target = pg.store();
    let report = migrate::copy(source.as_ref(), target.as_ref())
        .await
        .unwrap();
    let o = &report.orgs[0];
    let records: usize = o.records.values().sum();
    assert!(records > 100 && o.records_copied == records, "{o:?}");
    assert!(o.audit >= 5 && o.audit_copied == o.audit, "{o:?}");
    assert!(o.credentials_copied >= logins.len(), "{o:?}");
    // The people sign in as before: same hash, same second factor, sessions ended stay ended.
    let creds = |s: &dyn Store| s.credentials(&admin.login).unwrap().unwrap().password_hash;
    assert_eq!(creds(target.as_ref()), creds(source.as_ref()));
    assert_eq!(
        target.second_factor(admin.user).unwrap(),
        source.second_factor(admin.user).unwrap()
    );
    assert_eq!(
        target.session_epoch(admin.user).unwrap(),
        source.session_epoch(admin.user).unwrap()
    );
    // A phone signed out remotely on the old server stays signed out on the new one.
    assert_eq!(
        target.device_sign_out(org, "lost-phone").unwrap(),
        Some(lost_phone)
    );
    // A device that synced with the old server up to its head gets every record again from
    // the new one: none is logged at or below a cursor the old server handed out.
    let after_cursor = target
        .changes(org, source_head, 100_000, &|_, _| true)
        .unwrap();
    assert_eq!(after_cursor.entries.len(), records);
    let target_head = after_cursor.head;

    // Again, through the command, with the source closed: nothing new, and the check holds.
    drop(dyn_source);
    source.close();
    drop(source);
    let said = admin_command(
        Data::Dir(dir.path()),
        "unused",
        &[
            "migrate",
            "--from",
            dir.path().to_str().unwrap(),
            "--to",
            &pg.url,
        ],
    );
    assert!(said.contains("(0 copied now)"), "{said}");
    assert!(said.contains(&format!("{records} records")), "{said}");
    assert!(said.contains("0 people's credentials written"), "{said}");
    assert_eq!(
        target.changes(org, 0, 1, &|_, _| false).unwrap().head,
        target_head,
        "a second run logs nothing"
    );
}
