//! The server on PostgreSQL, over real HTTP: what a device does works as on sled, and while
//! the database is away every request is answered 503 with `Retry-After` (never a 500, never a
//! half-applied op), and the server recovers by itself when it returns.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use demo::{DemoSize, generate_at};
use domain::org::Role;
use domain::sync::{OpStatus, SyncResponse};
use reqwest::StatusCode;
use serde_json::json;
use server::run;
use server::store::Store;

use crate::common::{
    CHEAP, DEMO_PASSWORD, new_customer, op, serve_store, serve_store_with, sign_in,
};
use crate::store_contract::pg;

/// The database of `pg` refuses connections (`allow`: false) and drops the ones it has, or takes
/// them again.
async fn database_away(admin: &tokio_postgres::Client, name: &str, away: bool) {
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS {}",
            !away
        ))
        .await
        .unwrap();
    if away {
        admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                &[&name],
            )
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_syncs_and_a_database_outage_is_503() {
    let Some(pg) = pg().await else { return };
    let store: Arc<dyn Store> = pg.store();
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 1,
        customers: 30,
        open_jobs: 12,
        past_jobs: 8,
        leads: 8,
    };
    let demo = generate_at(
        3,
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
        &size,
    );
    let store_id = demo
        .records
        .iter()
        .find_map(|r| match r {
            domain::ops::Record::Store(s) => Some(s.id),
            _ => None,
        })
        .unwrap();
    let logins = run::seed_demo(&store, demo, CHEAP).await.unwrap();
    let (running, base) = serve_store(store.clone()).await;
    let http = reqwest::Client::new();
    let admin = logins
        .iter()
        .find(|l| l.roles.contains(&Role::Admin))
        .unwrap();
    let token = sign_in(&http, &base, &admin.login, DEMO_PASSWORD).await;
    let sync = |cursor: u64, ops: Vec<domain::ops::Op>| {
        http.post(format!("{base}/v1/sync"))
            .bearer_auth(&token)
            .json(&json!({"device_id": "pg-phone", "cursor": cursor, "ops": ops}))
            .send()
    };

    // A first sync brings the organization, page by page.
    let mut cursor = 0;
    let mut records = 0;
    loop {
        let res = sync(cursor, vec![]).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let r: SyncResponse = res.json().await.unwrap();
        records += r.changes.len();
        cursor = r.cursor;
        if !r.more {
            break;
        }
    }
    assert!(records > 100, "{records}");

    let customer = |n: u32| {
        new_customer(
            admin.user,
            store_id,
            &format!("Customer on PostgreSQL {n}"),
            &format!("1370000{n:04}"),
        )
    };
    let first = customer(1);
    let r: SyncResponse = sync(cursor, vec![first.clone()])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{r:?}"
    );

    // The database goes away: 503 with Retry-After, for reads and for writes.
    let sql = tokio_postgres::connect(
        &std::env::var("ROUNDS_TEST_PG").unwrap(),
        tokio_postgres::NoTls,
    )
    .await
    .unwrap();
    tokio::spawn(sql.1);
    let admin_sql = sql.0;
    database_away(&admin_sql, &pg.name, true).await;
    let during = customer(2);
    for ops in [vec![], vec![during.clone()]] {
        let res = sync(cursor, ops).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()["retry-after"], "1");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }

    // It comes back: the server recovers by itself, and the op sent during the outage is
    // applied once when the device sends it again.
    database_away(&admin_sql, &pg.name, false).await;
    let mut answered = None;
    for _ in 0..50 {
        let res = sync(cursor, vec![during.clone()]).await.unwrap();
        if res.status() == StatusCode::OK {
            answered = Some(res.json::<SyncResponse>().await.unwrap());
            break;
        }
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = answered.expect("the server did not recover");
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{r:?}"
    );
    let audited = store
        .audit_log(admin_org(&store, admin.user), 0, 10_000)
        .unwrap()
        .iter()
        .filter(|e| matches!(&e.what, server::store::AuditWhat::Op { op, .. } if *op == during.id))
        .count();
    assert_eq!(audited, 1);
    running.stop().await.unwrap();
}

fn admin_org(store: &Arc<dyn Store>, user: domain::ids::UserId) -> domain::ids::OrgId {
    match store
        .get(domain::ops::RecordKey::User(user))
        .unwrap()
        .unwrap()
    {
        domain::ops::Record::User(u) => u.org,
        _ => unreachable!(),
    }
}

/// Issue 15: instances are stateless. A change pushed through one instance reaches the live
/// channels opened on another (PostgreSQL's LISTEN/NOTIFY), and an instance does not tell
/// its own channels twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_instance_reaches_the_live_channels_of_another() {
    let Some(pg) = pg().await else { return };
    let (a, b): (Arc<dyn Store>, Arc<dyn Store>) = (pg.store(), pg.store());
    let size = DemoSize {
        technicians_per_store: 1,
        reps_per_store: 1,
        customers: 10,
        open_jobs: 2,
        past_jobs: 2,
        leads: 2,
    };
    let demo = generate_at(
        5,
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
        &size,
    );
    let store_id = demo
        .records
        .iter()
        .find_map(|r| match r {
            domain::ops::Record::Store(s) => Some(s.id),
            _ => None,
        })
        .unwrap();
    let logins = run::seed_demo(&a, demo, CHEAP).await.unwrap();
    let ((_on_a, base_a), (_on_b, base_b)) =
        (serve_store(a.clone()).await, serve_store(b.clone()).await);
    let http = reqwest::Client::new();
    let admin = logins
        .iter()
        .find(|l| l.roles.contains(&Role::Admin))
        .unwrap();
    let dispatcher = logins
        .iter()
        .find(|l| l.roles.contains(&Role::Dispatcher))
        .unwrap();
    let admin_token = sign_in(&http, &base_a, &admin.login, DEMO_PASSWORD).await;
    // Signed in on A, listening on B: tokens hold on every instance.
    let board_token = sign_in(&http, &base_a, &dispatcher.login, DEMO_PASSWORD).await;
    let listen = |base: String, token: String| {
        let http = http.clone();
        async move {
            let res = http
                .get(format!("{base}/v1/live"))
                .bearer_auth(token)
                .header("x-device-id", "board")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res
        }
    };
    let mut on_b_channel = listen(base_b.clone(), board_token.clone()).await;
    let mut on_a_channel = listen(base_a.clone(), board_token.clone()).await;
    // The next event other than `alive`, within a guard that only a broken server reaches.
    async fn next_event(res: &mut reqwest::Response, buffer: &mut String) -> String {
        loop {
            if let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event:")) {
                    let name = name.trim().to_owned();
                    if name != "alive" {
                        return name;
                    }
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(20), res.chunk())
                .await
                .expect("the channel said nothing")
                .unwrap()
                .expect("the channel ended");
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
    let (mut buf_b, mut buf_a) = (String::new(), String::new());
    assert_eq!(next_event(&mut on_b_channel, &mut buf_b).await, "open");
    assert_eq!(next_event(&mut on_a_channel, &mut buf_a).await, "open");
    // Give B's listener its connection before anything is announced.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let new = new_customer(
        admin.user,
        store_id,
        "Customer told across instances",
        "13700009999",
    );
    let res = http
        .post(format!("{base_a}/v1/sync"))
        .bearer_auth(&admin_token)
        .json(&json!({"device_id": "admin-laptop", "cursor": 0, "ops": [new]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        next_event(&mut on_b_channel, &mut buf_b).await,
        "changed",
        "heard on B"
    );
    assert_eq!(
        next_event(&mut on_a_channel, &mut buf_a).await,
        "changed",
        "heard on A"
    );
    // A heard it once: from its own commit, not again from the database.
    let again = tokio::time::timeout(
        Duration::from_secs(2),
        next_event(&mut on_a_channel, &mut buf_a),
    )
    .await;
    assert!(again.is_err(), "told twice: {again:?}");

    // Deactivated through A: refused by B at once, not when some cache expires.
    let off = op(
        admin.user,
        domain::ops::OpKind::SetUserActive {
            user: dispatcher.user,
            active: false,
        },
    );
    let res = http
        .post(format!("{base_a}/v1/sync"))
        .bearer_auth(&admin_token)
        .json(&json!({"device_id": "admin-laptop", "cursor": 0, "ops": [off]}))
        .send()
        .await
        .unwrap();
    let r: SyncResponse = res.json().await.unwrap();
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{r:?}"
    );
    let res = http
        .post(format!("{base_b}/v1/sync"))
        .bearer_auth(&board_token)
        .json(&json!({"device_id": "board", "cursor": 0, "ops": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

/// Sign-in limits hold across instances: failures counted through either instance add up on
/// one account, the pair throttled through one is throttled through the other (its turns are
/// booked in the database, so a burst spread over both is refused past the queue), and the
/// owner still signs in through either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_failures_through_two_instances_count_as_one() {
    let Some(pg) = pg().await else { return };
    let (a, b): (Arc<dyn Store>, Arc<dyn Store>) = (pg.store(), pg.store());
    let size = DemoSize {
        technicians_per_store: 1,
        reps_per_store: 1,
        customers: 4,
        open_jobs: 1,
        past_jobs: 1,
        leads: 1,
    };
    let demo = generate_at(
        7,
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
        &size,
    );
    let logins = run::seed_demo(&a, demo, CHEAP).await.unwrap();
    let admin = logins
        .iter()
        .find(|l| l.roles.contains(&Role::Admin))
        .unwrap();
    let limits = server::auth::LoginLimits {
        per_pair: 4,
        free_failures: 2,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(300),
        queue_wait: Duration::from_millis(700),
        window: Duration::from_secs(600),
    };
    let config = || server::http::ApiConfig {
        login_limits: limits,
        ..server::http::ApiConfig::default()
    };
    let ((_on_a, base_a), (_on_b, base_b)) = (
        serve_store_with(a.clone(), config()).await,
        serve_store_with(b.clone(), config()).await,
    );
    let http = reqwest::Client::new();
    let guess = |base: String| {
        let (http, login) = (http.clone(), admin.login.clone());
        async move {
            http.post(format!("{base}/v1/auth/login"))
                .json(&json!({"login": login, "password": "not-the-password"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Four wrong guesses, alternating instances: the pair's limit, counted as one.
    for base in [&base_a, &base_b, &base_a, &base_b] {
        assert_eq!(guess(base.clone()).await, StatusCode::UNAUTHORIZED);
    }
    let failures = |store: &Arc<dyn Store>| {
        let org = store.orgs().unwrap()[0];
        store
            .audit_log(org, 0, 10_000)
            .unwrap()
            .into_iter()
            .filter_map(|e| match e.what {
                server::store::AuditWhat::LoginFailed { failures, .. } => Some(failures),
                server::store::AuditWhat::LoginThrottled { failures, .. } => Some(1000 + failures),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(failures(&a), [1, 2, 3, 4], "one count for both instances");
    // A burst on both instances at once: the throttled pair gets turns one per max_delay,
    // booked in the database, and what would wait past the queue is refused.
    let burst: Vec<_> = (0..8)
        .map(|i| {
            tokio::spawn(guess(if i % 2 == 0 {
                base_a.clone()
            } else {
                base_b.clone()
            }))
        })
        .collect();
    let mut answers = Vec::new();
    for g in burst {
        answers.push(g.await.unwrap());
    }
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let checked = answers
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(refused + checked, answers.len(), "{answers:?}");
    // A queue of 700 ms at 300 ms a turn holds three turns (0, 300 and 600 ms ahead), a
    // fourth if the burst was slow to arrive; two queues, one per instance, would take six.
    assert!(
        (3..=4).contains(&checked),
        "three turns across both instances: {answers:?}"
    );
    let seen = failures(&a);
    assert!(
        seen.contains(&1005),
        "the fifth failure throttled the pair, once: {seen:?}"
    );
    assert_eq!(seen.iter().filter(|f| **f > 1000).count(), 1, "{seen:?}");
    // The owner signs in through either instance, once the queue has moved on.
    tokio::time::sleep(Duration::from_secs(1)).await;
    for base in [&base_a, &base_b] {
        sign_in(&http, base, &admin.login, DEMO_PASSWORD).await;
    }
}

/// A CA and a certificate for 127.0.0.1 signed by it: (the CA's PEM, the server's PEM and key).
fn certificates() -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "Rounds test CA");
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    (ca.pem(), server.pem(), key.serialize_pem())
}

/// Turns TLS on (`on`) or off on the test cluster, with the server's certificate and key
/// written into its data folder (owned by whoever runs the cluster, as PostgreSQL requires).
/// Clients that do not ask for TLS are not affected, so the other tests go on in plain text.
async fn cluster_tls(admin: &tokio_postgres::Client, cert: &str, key: &str, on: bool) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if on {
        let data: String = admin
            .query_one("SHOW data_directory", &[])
            .await
            .unwrap()
            .get(0);
        let owner = std::fs::metadata(&data).unwrap();
        for (name, pem) in [("rounds-test.crt", cert), ("rounds-test.key", key)] {
            let path = std::path::Path::new(&data).join(name);
            std::fs::write(&path, pem).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            std::os::unix::fs::chown(&path, Some(owner.uid()), Some(owner.gid())).unwrap();
        }
    }
    // One statement each: ALTER SYSTEM may not run in the transaction a batch makes.
    let settings = if on {
        [
            "ALTER SYSTEM SET ssl_cert_file = 'rounds-test.crt'",
            "ALTER SYSTEM SET ssl_key_file = 'rounds-test.key'",
            "ALTER SYSTEM SET ssl = on",
        ]
    } else {
        [
            "ALTER SYSTEM RESET ssl",
            "ALTER SYSTEM RESET ssl_cert_file",
            "ALTER SYSTEM RESET ssl_key_file",
        ]
    };
    for statement in settings {
        admin.batch_execute(statement).await.unwrap();
    }
    admin
        .batch_execute("SELECT pg_reload_conf()")
        .await
        .unwrap();
    // The postmaster reloads on its own time: wait until it says so.
    for _ in 0..100 {
        let ssl: String = admin.query_one("SHOW ssl", &[]).await.unwrap().get(0);
        if (ssl == "on") == on {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the cluster did not turn TLS {}",
        if on { "on" } else { "off" }
    );
}

/// TLS to the database: a connection string with `sslmode=require` and the database's CA in
/// `sslrootcert` connects over TLS (every connection of the store, as the database's own view
/// shows), a certificate that the CA did not sign, or no CA for a private one, is refused at
/// start-up in words, and a string without `sslmode` stays plain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_speaks_tls_to_a_database_that_asks_for_it_and_verifies_it() {
    let Some(pg) = pg().await else { return };
    let (admin, conn) = tokio_postgres::connect(
        &std::env::var("ROUNDS_TEST_PG").unwrap(),
        tokio_postgres::NoTls,
    )
    .await
    .unwrap();
    tokio::spawn(conn);
    let (ca, cert, key) = certificates();
    let (other_ca, _, _) = certificates();
    let dir = tempfile::tempdir().unwrap();
    let ca_path = dir.path().join("ca.pem");
    let other_path = dir.path().join("other-ca.pem");
    std::fs::write(&ca_path, &ca).unwrap();
    std::fs::write(&other_path, &other_ca).unwrap();
    cluster_tls(&admin, &cert, &key, true).await;

    let url = format!(
        "{}?sslmode=require&sslrootcert={}",
        pg.url,
        ca_path.display()
    );
    let (base, name) = (pg.url.clone(), pg.name.clone());
    let result = async move {
        let (watch, conn) = tokio_postgres::connect(
            &std::env::var("ROUNDS_TEST_PG").unwrap(),
            tokio_postgres::NoTls,
        )
        .await
        .unwrap();
        tokio::spawn(conn);
        let tls_sessions = || async {
            watch
                .query_one(
                    "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_ssl s
                     JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1",
                    &[&name],
                )
                .await
                .map(|r| (r.get::<_, i64>(0), r.get::<_, i64>(1)))
                .unwrap()
        };
        let store: Arc<dyn Store> = Arc::new(server::store::PgStore::open(&url).unwrap());
        let demo = generate_at(
            9,
            Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
            &DemoSize {
                technicians_per_store: 1,
                reps_per_store: 1,
                customers: 3,
                open_jobs: 1,
                past_jobs: 1,
                leads: 1,
            },
        );
        run::seed_demo(&store, demo, CHEAP).await.unwrap();
        let orgs = store.orgs().unwrap();
        assert_eq!(orgs.len(), 1);
        let (tls, all) = tls_sessions().await;
        assert!(all >= 2 && tls == all, "{tls} of {all} connections use TLS");
        drop(store);

        for (wrong, why) in [
            (
                format!(
                    "{base}?sslmode=require&sslrootcert={}",
                    other_path.display()
                ),
                "a CA that did not sign it",
            ),
            (format!("{base}?sslmode=verify-full"), "no CA for it"),
        ] {
            let e = server::store::PgStore::open(&wrong).err().expect(why);
            assert!(
                e.to_string()
                    .contains("cannot reach the PostgreSQL database"),
                "{why}: {e}"
            );
        }
        // Without sslmode: plain, as before.
        let plain = server::store::PgStore::open(&base).unwrap();
        assert_eq!(plain.orgs().unwrap(), orgs, "the same data, in plain text");
        let (tls, all) = tls_sessions().await;
        assert!(all >= 1 && tls == 0, "{tls} of {all} connections use TLS");
    };
    // Turned off again whatever happened, so that the cluster is as the other tests found it.
    let outcome = tokio::spawn(result).await;
    cluster_tls(&admin, &cert, &key, false).await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
