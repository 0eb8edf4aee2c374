//! How soon a technician's change reaches a dispatcher's board, on loopback: through the live
//! channel (`GET /v1/live` says "changed", the board runs its incremental sync) against the
//! pull every 10 s (`shared::model::sync::POLL`) that boards relied on before, side by side
//! in one run against one server.
//!
//! A sample: the technician pushes a note on their job; the clock stops when a board's sync
//! answer holds it. Live rows are measured with 1 and with many boards listening (the delay
//! to the last of them); the pull row starts each push at a random moment of the pull's
//! period, as a technician's tap is.
//!
//! `cargo bench -p server --bench live`; `ROUNDS_BENCH_SAMPLES` (20), `ROUNDS_BENCH_BOARDS`
//! (`1,100`) and `ROUNDS_BENCH_POLL_SAMPLES` (5) narrow it down. The last line reads
//! `live-bench: live_median_ms=N poll_median_ms=N ratio=N`. Goal: live under 2 s.
#![expect(clippy::print_stdout, reason = "a bench reports its numbers on stdout")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use demo::{DemoSize, generate_at};
use domain::ids::{InteractionId, JobId, OpId, UserId};
use domain::leads::InteractionKind;
use domain::ops::{NewInteraction, Op, OpKind, Record};
use domain::org::Role;
use domain::sync::{Change, SyncResponse};
use serde_json::json;
use server::auth::PasswordCost;
use server::http::ApiConfig;
use server::run;
use server::store::{SledStore, Store};
use tokio::sync::mpsc;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The pull period of devices without the live channel (`shared::model::sync::POLL`).
const POLL: Duration = Duration::from_secs(10);
/// A sample that takes longer than this has failed: the bench stops with an error.
const GIVE_UP: Duration = Duration::from_secs(30);

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Row {
    path: String,
    boards: usize,
    delays: Vec<Duration>,
}

impl Row {
    fn pct(&self, p: f64) -> f64 {
        let mut d = self.delays.clone();
        d.sort();
        let i = ((d.len() as f64 - 1.0) * p).round() as usize;
        d.get(i).map_or(f64::NAN, |d| d.as_secs_f64() * 1_000.0)
    }
}

fn main() {
    let samples: usize = env_or("ROUNDS_BENCH_SAMPLES", 20);
    let poll_samples: usize = env_or("ROUNDS_BENCH_POLL_SAMPLES", 5);
    let boards: Vec<usize> = std::env::var("ROUNDS_BENCH_BOARDS")
        .unwrap_or_else(|_| "1,100".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let rows = runtime.block_on(run(samples, poll_samples, &boards));
    println!(
        "{:<10} {:>6} {:>7} {:>10} {:>8} {:>8}",
        "path", "boards", "samples", "median_ms", "p90_ms", "max_ms"
    );
    for r in &rows {
        println!(
            "{:<10} {:>6} {:>7} {:>10.0} {:>8.0} {:>8.0}",
            r.path,
            r.boards,
            r.delays.len(),
            r.pct(0.5),
            r.pct(0.9),
            r.pct(1.0)
        );
    }
    let live = rows
        .iter()
        .find(|r| r.path == "live")
        .map_or(f64::NAN, |r| r.pct(0.5));
    let poll = rows
        .iter()
        .find(|r| r.path.starts_with("pull"))
        .map_or(f64::NAN, |r| r.pct(0.5));
    println!(
        "live-bench: live_median_ms={live:.0} poll_median_ms={poll:.0} ratio={:.0}",
        poll / live
    );
}

struct Scene {
    base: String,
    http: reqwest::Client,
    dispatcher: String,
    technician: (UserId, String),
    job: JobId,
}

async fn run(samples: usize, poll_samples: usize, boards: &[usize]) -> Vec<Row> {
    let dir = tempfile::tempdir().expect("temp dir");
    let cheap = PasswordCost {
        memory_kib: 64,
        passes: 1,
    };
    let sled = Arc::new(SledStore::open(dir.path()).expect("store"));
    let store: Arc<dyn Store> = sled.clone();
    let demo = generate_at(
        3,
        Utc::now(),
        &DemoSize {
            technicians_per_store: 3,
            reps_per_store: 1,
            customers: 500,
            open_jobs: 60,
            past_jobs: 20,
            leads: 10,
        },
    );
    let users: Vec<domain::org::User> = demo
        .records
        .iter()
        .filter_map(|r| match r {
            Record::User(u) => Some(u.clone()),
            _ => None,
        })
        .collect();
    let job = demo
        .records
        .iter()
        .find_map(|r| match r {
            Record::Job(j) if j.is_open() && j.technician.is_some() => Some(j.clone()),
            _ => None,
        })
        .expect("an assigned job");
    let tech = job.technician.expect("its technician");
    let dispatcher = users
        .iter()
        .find(|u| u.roles == vec![Role::Dispatcher] && u.manages_store(job.store))
        .expect("the job's dispatcher")
        .id;
    let login_of = |id: UserId| {
        demo.logins
            .iter()
            .find(|l| l.user == id)
            .expect("a login")
            .login
            .clone()
    };
    let (tech_login, dispatcher_login) = (login_of(tech), login_of(dispatcher));
    run::seed_demo(&store, demo, cheap).await.expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let server = run::start(
        listener,
        store.clone(),
        ApiConfig {
            password_cost: cheap,
            ..ApiConfig::default()
        },
        std::future::pending(),
    )
    .expect("serve");
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::new();
    let scene = Scene {
        dispatcher: token(&http, &base, &dispatcher_login).await,
        technician: (tech, token(&http, &base, &tech_login).await),
        job: job.id,
        base,
        http,
    };

    let mut rows = Vec::new();
    for &n in boards {
        rows.push(live_row(&scene, n, samples).await);
    }
    rows.push(pull_row(&scene, poll_samples).await);
    server.stop().await.expect("stop");
    drop(store);
    sled.close();
    rows
}

async fn token(http: &reqwest::Client, base: &str, login: &str) -> String {
    let v: serde_json::Value = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({"login": login, "password": demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("session");
    v["access_token"].as_str().expect("token").to_owned()
}

async fn sync(s: &Scene, device: &str, cursor: u64, ops: &[Op], token: &str) -> SyncResponse {
    let res = s
        .http
        .post(format!("{}/v1/sync", s.base))
        .bearer_auth(token)
        .json(&json!({"device_id": device, "cursor": cursor, "ops": ops}))
        .send()
        .await
        .expect("sync request");
    assert!(res.status().is_success(), "sync: {}", res.status());
    res.json().await.expect("sync response")
}

/// Pulls until nothing more waits; the cursor reached and the notes seen on the way.
async fn catch_up(s: &Scene, device: &str, mut cursor: u64) -> (u64, Vec<InteractionId>) {
    let mut seen = Vec::new();
    loop {
        let r = sync(s, device, cursor, &[], &s.dispatcher).await;
        cursor = r.cursor;
        seen.extend(r.changes.iter().filter_map(|c| match c {
            Change::Put { record } => match record.as_ref() {
                Record::Interaction(i) => Some(i.id),
                _ => None,
            },
            Change::Gone { .. } => None,
        }));
        if !r.more {
            return (cursor, seen);
        }
    }
}

fn note(tech: UserId, job: JobId) -> (InteractionId, Op) {
    let id = InteractionId::new();
    let op = Op {
        id: OpId::new(),
        actor: tech,
        at: Utc::now(),
        location: None,
        kind: OpKind::LogInteraction(NewInteraction {
            id,
            kind: InteractionKind::Note,
            outcome: "customer asked about the next tuning".into(),
            customer: None,
            lead: None,
            job: Some(job),
        }),
    };
    (id, op)
}

/// The technician's push; when it was sent and the note it carries.
async fn push_note(s: &Scene) -> (Instant, InteractionId) {
    let (id, op) = note(s.technician.0, s.job);
    let sent = Instant::now();
    sync(s, "bench-technician", 0, &[op], &s.technician.1).await;
    (sent, id)
}

/// `n` boards listening, each syncing when told; the delay until the last of them holds the
/// note.
async fn live_row(s: &Scene, n: usize, samples: usize) -> Row {
    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel::<(usize, InteractionId, Instant)>();
    let mut listeners = Vec::new();
    for b in 0..n {
        let device = format!("board-{n}-{b}");
        let (cursor, _) = catch_up(s, &device, 0).await;
        let res = s
            .http
            .get(format!("{}/v1/live", s.base))
            .bearer_auth(&s.dispatcher)
            .header("x-device-id", &device)
            .send()
            .await
            .expect("live channel");
        assert_eq!(res.status(), 200, "live channel refused");
        let scene = Scene {
            base: s.base.clone(),
            http: s.http.clone(),
            dispatcher: s.dispatcher.clone(),
            technician: s.technician.clone(),
            job: s.job,
        };
        let tx = seen_tx.clone();
        listeners.push(tokio::spawn(async move {
            let mut res = res;
            let mut cursor = cursor;
            let mut buffer = String::new();
            while let Ok(Some(chunk)) = res.chunk().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    if !block.contains("event: changed") && !block.contains("event:changed") {
                        continue;
                    }
                    let (next, seen) = catch_up(&scene, &device, cursor).await;
                    cursor = next;
                    for id in seen {
                        let _ = tx.send((b, id, Instant::now()));
                    }
                }
            }
        }));
    }
    let mut delays = Vec::new();
    for k in 0..samples {
        // Spread the pushes a little, as taps are.
        tokio::time::sleep(Duration::from_millis(50 + (k as u64 * 37) % 200)).await;
        let (sent, id) = push_note(s).await;
        let mut boards_seen = vec![false; n];
        let mut last = sent;
        while boards_seen.iter().any(|b| !b) {
            let (b, got, at) = tokio::time::timeout(GIVE_UP, seen_rx.recv())
                .await
                .expect("a board never heard of the note")
                .expect("listeners");
            if got == id && !boards_seen[b] {
                boards_seen[b] = true;
                last = at;
            }
        }
        delays.push(last.duration_since(sent));
    }
    for l in listeners {
        l.abort();
    }
    Row {
        path: "live".into(),
        boards: n,
        delays,
    }
}

/// One board pulling every [`POLL`], as before the live channel; each push at a random
/// moment of its period.
async fn pull_row(s: &Scene, samples: usize) -> Row {
    let (mut cursor, _) = catch_up(s, "board-pull", 0).await;
    let mut delays = Vec::new();
    let mut next_pull = Instant::now() + POLL;
    for k in 0..samples {
        // A phase that walks through the period: 0.1, 0.3, 0.5 ... of it.
        let phase = POLL.mul_f64(((k * 2 + 1) as f64 / (samples * 2) as f64).fract());
        let push_at = next_pull.checked_sub(POLL).unwrap_or(next_pull) + phase;
        tokio::time::sleep_until(push_at.into()).await;
        let (sent, id) = push_note(s).await;
        loop {
            tokio::time::sleep_until(next_pull.into()).await;
            next_pull += POLL;
            let (next, seen) = catch_up(s, "board-pull", cursor).await;
            cursor = next;
            if seen.contains(&id) {
                delays.push(sent.elapsed());
                break;
            }
            assert!(sent.elapsed() < GIVE_UP, "the pull never brought the note");
        }
    }
    Row {
        path: format!("pull{}s", POLL.as_secs()),
        boards: 1,
        delays,
    }
}
