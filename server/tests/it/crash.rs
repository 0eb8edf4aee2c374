//! Crash durability: the server binary runs as a child process on a real data directory (and,
//! again, on a PostgreSQL database of `ROUNDS_TEST_PG`); several clients stream ops at it; it is
//! killed with SIGKILL at a random moment and restarted; every op that had been acknowledged
//! must still be there.
//!
//! `ROUNDS_CRASH_CYCLES` sets the number of kill/restart cycles (CI runs at least 20);
//! `ROUNDS_CRASH_SEED` replays a run.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use chrono::Utc;
use domain::customers::{CustomerKind, Tier};
use domain::ids::{CustomerId, OpId, StoreId, UserId};
use domain::ops::{NewCustomer, NewUser, Op, OpKind, Record, StoreDraft};
use domain::org::{Role, WeeklyHours};
use domain::places::{Address, LatLng};
use domain::sync::{Change, OpStatus, SyncResponse};
use serde_json::json;

use crate::common::{Data, admin_command, pull_from, push_applied, serve_process, sign_in};

pub(crate) const PASSWORD: &str = "crash-test-password";
const CLIENTS: usize = 4;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The id after `word` in the output of an admin command.
pub(crate) fn id_after(out: &str, word: &str) -> String {
    out.split_whitespace()
        .skip_while(|w| *w != word)
        .nth(1)
        .unwrap()
        .to_owned()
}

/// A store and a rep made by the admin `boss` through `POST /v1/sync`, and the rep's
/// password set through the admin endpoint.
pub(crate) async fn staff_through_ops(
    http: &reqwest::Client,
    base: &str,
    boss: UserId,
) -> (StoreId, UserId) {
    let token = sign_in(http, base, "boss", PASSWORD).await;
    let (store, rep) = (StoreId::new(), UserId::new());
    let at = |kind| Op {
        id: OpId::new(),
        actor: boss,
        at: Utc::now(),
        location: None,
        kind,
    };
    let location = LatLng {
        lat: 31.23,
        lng: 121.47,
    };
    let ops = [
        at(OpKind::SaveStore(StoreDraft {
            id: store,
            name: "Main".into(),
            address: Address {
                city: "Shanghai".into(),
                street: "Nanjing Road".into(),
                location: Some(location),
                ..Address::default()
            },
            location,
            time_zone: chrono_tz::Asia::Shanghai,
            opening_hours: WeeklyHours::uniform(&[1, 2, 3, 4, 5, 6, 7], 9 * 60, 18 * 60),
        })),
        at(OpKind::CreateUser(NewUser {
            id: rep,
            name: "Sales rep".into(),
            login: "rep".into(),
            phone: None,
            roles: vec![Role::Sales],
            stores: vec![store],
        })),
    ];
    push_applied(http, base, &token, "crash-setup", &ops).await;
    let res = http
        .post(format!("{base}/v1/admin/users/{}/password", rep.0))
        .bearer_auth(&token)
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    (store, rep)
}

pub(crate) fn new_customer(actor: UserId, store: StoreId, n: u64) -> (Op, CustomerId) {
    let id = CustomerId::new();
    let op = Op {
        id: OpId::new(),
        actor,
        at: Utc::now(),
        location: None,
        kind: OpKind::CreateCustomer(NewCustomer {
            id,
            store,
            name: format!("Crash customer {n}"),
            phones: vec![format!("1380000{:04}", n % 10_000)],
            address: Address {
                city: "Shanghai".into(),
                ..Address::default()
            },
            kind: CustomerKind::Individual,
            tags: Vec::new(),
            tier: Tier::Standard,
            marketing_consent: false,
            birthday: None,
            owner: None,
        }),
    };
    (op, id)
}

/// Every customer the rep's devices would see (masked: the rep owns none of them, which also
/// keeps unmasked-read audits, and so their extra group commits, out of the responses),
/// pulled from cursor 0.
async fn all_customers(http: &reqwest::Client, base: &str, token: &str) -> HashSet<CustomerId> {
    let mut cursor = 0;
    let mut seen = HashSet::new();
    loop {
        let r = pull_from(http, base, token, "checker", cursor).await;
        for c in r.changes {
            if let Change::Put { record } = c
                && let Record::Customer(c) = *record
            {
                seen.insert(c.id);
            }
        }
        cursor = r.cursor;
        if !r.more {
            return seen;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_op_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    survives_sigkill(Data::Dir(dir.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_op_survives_sigkill_on_postgres() {
    let Some(pg) = crate::store_contract::pg().await else {
        return;
    };
    survives_sigkill(Data::Database(&pg.url)).await;
}

#[expect(
    clippy::print_stderr,
    reason = "the seed and the count go with the test's output, to replay a failure"
)]
async fn survives_sigkill(data: Data<'_>) {
    let cycles: usize = std::env::var("ROUNDS_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("ROUNDS_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    eprintln!("crash test: {cycles} cycles, ROUNDS_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let out = admin_command(
        data,
        PASSWORD,
        &["create-org", "--name", "Crash Co", "--admin-login", "boss"],
    );
    let boss: UserId = id_after(&out, "admin").parse().unwrap();
    let http = reqwest::Client::new();
    // The store and the rep are made as an admin makes them on the console: ops, and the
    // password through the admin endpoint (the CLI keeps only the first bootstrap).
    let (store, rep) = {
        let (mut child, base) = serve_process(data).await;
        let made = staff_through_ops(&http, &base, boss).await;
        let _ = child.kill().await;
        made
    };
    let acked: Arc<Mutex<Vec<(OpId, CustomerId)>>> = Arc::default();
    let mut counter = 0u64;
    for cycle in 0..=cycles {
        let (mut child, base) = serve_process(data).await;
        let token = sign_in(&http, &base, "rep", PASSWORD).await;

        // Everything acknowledged before the last kill is there.
        let have = all_customers(&http, &base, &token).await;
        let acked_now = acked.lock().unwrap().clone();
        let missing: Vec<_> = acked_now
            .iter()
            .filter(|(_, c)| !have.contains(c))
            .collect();
        assert!(
            missing.is_empty(),
            "cycle {cycle}: {} of {} acknowledged ops lost (seed {seed})",
            missing.len(),
            acked_now.len()
        );
        if cycle == cycles {
            let _ = child.kill().await;
            eprintln!(
                "crash test: {} acknowledged ops survived {cycles} SIGKILLs",
                acked_now.len()
            );
            return;
        }

        // Clients stream ops until the server dies under them.
        let mut clients = Vec::new();
        for _ in 0..CLIENTS {
            let http = http.clone();
            let base = base.clone();
            let token = token.clone();
            let acked = acked.clone();
            let batch = 1 + rng.below(4);
            let start_n = counter;
            counter += 1_000_000;
            clients.push(tokio::spawn(async move {
                let mut n = start_n;
                let mut cursor = 0u64;
                loop {
                    let made: Vec<(Op, CustomerId)> = (0..batch)
                        .map(|_| {
                            n += 1;
                            new_customer(rep, store, n)
                        })
                        .collect();
                    let ops: Vec<&Op> = made.iter().map(|(o, _)| o).collect();
                    let res = http
                        .post(format!("{base}/v1/sync"))
                        .bearer_auth(&token)
                        .json(&json!({"device_id": "crash", "cursor": cursor, "ops": ops}))
                        .timeout(Duration::from_secs(10))
                        .send()
                        .await;
                    let Ok(res) = res else { return };
                    let Ok(r) = res.json::<SyncResponse>().await else {
                        return;
                    };
                    cursor = r.cursor;
                    let mut a = acked.lock().unwrap();
                    for ((op, id), result) in made.iter().zip(&r.results) {
                        assert!(
                            matches!(result.status, OpStatus::Applied { .. }),
                            "{result:?}"
                        );
                        a.push((op.id, *id));
                    }
                }
            }));
        }
        let alive = Duration::from_millis(50 + rng.below(950));
        tokio::time::sleep(alive).await;
        child.start_kill().unwrap();
        let _ = child.wait().await;
        for c in clients {
            c.await.unwrap();
        }
    }
}
