//! Sync ingestion on loopback: 50, 200 and 1,000 simulated technician devices, each pushing
//! small batches of ops (notes on their own jobs) and pulling their changes in the same
//! requests. Reports ops/s, p50/p99 request latency, the raw fsync rate of the data disk
//! measured in the same run, and ops acknowledged per flush (group commit).
//!
//! Devices push on a schedule (open loop): one batch every `ROUNDS_BENCH_PUSH_MS` (250 ms,
//! far busier than a person tapping), each device offset by a random phase. Latency is
//! measured from when the push was due, not when it was sent, so a server that falls behind
//! shows its queueing (no coordinated omission). A last "saturation" row pushes as fast as
//! the server answers (closed loop), which measures capacity, not latency.
//!
//! With `ROUNDS_BENCH_PG=postgres://…` (a cluster the bench may create databases on, such as
//! `bash scripts/pg.sh start` prints) it then runs 200 devices on PostgreSQL with one and with
//! two instances (each device talking to one of them), beside sled again in the same run, both
//! paced and at saturation, and prints a last line
//! `sync-bench-pg: sled_ops_s=N pg1_ops_s=N pg2_ops_s=N pg1_p99_ms=N pg2_p99_ms=N` (ops/s at
//! saturation: capacity; p99 of the paced run: latency). `ROUNDS_BENCH_STORES=pg1` (any of
//! `sled,pg1,pg2`) runs only those, without the last line.
//!
//! `cargo bench -p server --bench sync`; `ROUNDS_BENCH_DEVICES=200`, `ROUNDS_BENCH_SECS=5`
//! and `ROUNDS_BENCH_PUSH_MS=0` (closed loop only) narrow it down. Without
//! `ROUNDS_BENCH_PG` the last line reads
//! `sync-bench: devices=200 ops_per_s=N ops_per_fsync=N p99_ms=N`.
#![expect(clippy::print_stdout, reason = "a bench reports its numbers on stdout")]

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use demo::{DemoSize, generate_at};
use domain::ids::{InteractionId, JobId, OpId, UserId};
use domain::leads::InteractionKind;
use domain::ops::{NewInteraction, Op, OpKind, Record};
use domain::sync::{OpStatus, SyncResponse};
use serde_json::json;
use server::auth::PasswordCost;
use server::http::ApiConfig;
use server::run;
use server::store::{PgStore, SledStore, Store};

// The same allocator as the server binary, so the bench measures what runs in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BATCH: usize = 4;

struct Level {
    devices: usize,
    ops_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    flushes: u64,
    ops: u64,
}

fn main() {
    let levels: Vec<usize> = std::env::var("ROUNDS_BENCH_DEVICES")
        .unwrap_or_else(|_| "50,200,1000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let secs: u64 = std::env::var("ROUNDS_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let base = tempfile::tempdir().expect("temp dir");
    let fsyncs_per_s = raw_fsync_rate(base.path(), Duration::from_secs(2));
    println!("disk: raw fsync rate {fsyncs_per_s:.0}/s (4 KiB write + fdatasync)");
    let push_ms: u64 = std::env::var("ROUNDS_BENCH_PUSH_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(250);
    if let Ok(cluster) = std::env::var("ROUNDS_BENCH_PG") {
        compare_with_postgres(&runtime, base.path(), &cluster, push_ms, secs);
        return;
    }
    let mut runs: Vec<(usize, Option<Duration>)> = Vec::new();
    if push_ms > 0 {
        runs.extend(
            levels
                .iter()
                .map(|&n| (n, Some(Duration::from_millis(push_ms)))),
        );
    }
    runs.push((200, None));
    let mut results = Vec::new();
    for (n, every) in runs {
        let level = runtime.block_on(run_level(
            &Backend::Sled(base.path().to_owned()),
            n,
            every,
            Duration::from_secs(secs),
        ));
        print_level("", every, &level, secs);
        results.push((every, level));
    }
    let pick = results
        .iter()
        .find(|(e, l)| e.is_some() && l.devices == 200)
        .or(results.last())
        .map(|(_, l)| l);
    if let Some(l) = pick {
        println!(
            "sync-bench: devices={} ops_per_s={:.0} ops_per_fsync={:.1} p99_ms={:.1}",
            l.devices,
            l.ops_per_s,
            l.ops as f64 / l.flushes.max(1) as f64,
            l.p99_ms
        );
    }
}

fn print_level(backend: &str, every: Option<Duration>, level: &Level, secs: u64) {
    println!(
        "{backend}{:<11} devices={} ops_per_s={:.0} p50_ms={:.1} p99_ms={:.1} flushes={} ops_per_fsync={:.1} fsync_per_s={:.0}",
        every.map_or_else(
            || "saturation".to_owned(),
            |d| format!("every{}ms", d.as_millis())
        ),
        level.devices,
        level.ops_per_s,
        level.p50_ms,
        level.p99_ms,
        level.flushes,
        level.ops as f64 / level.flushes.max(1) as f64,
        level.flushes as f64 / secs as f64,
    );
}

/// Where a level's server keeps its data.
enum Backend {
    /// A fresh sled database in a new folder under this one.
    Sled(std::path::PathBuf),
    /// A fresh database on this cluster, served by this many instances.
    Pg { cluster: String, instances: usize },
}

/// 200 devices on sled, PostgreSQL with one instance and with two, paced and at saturation,
/// one after the other in this run; a table and the `sync-bench-pg:` line.
fn compare_with_postgres(
    runtime: &tokio::runtime::Runtime,
    base: &std::path::Path,
    cluster: &str,
    push_ms: u64,
    secs: u64,
) {
    let every = Duration::from_millis(if push_ms > 0 { push_ms } else { 250 });
    let mut rows = Vec::new();
    let only = std::env::var("ROUNDS_BENCH_STORES").unwrap_or_default();
    let picked = |name: &str| only.is_empty() || only.split(',').any(|o| o.trim() == name);
    for (name, instances) in [("sled", 0), ("pg1", 1), ("pg2", 2)] {
        if !picked(name) {
            continue;
        }
        let backend = if instances == 0 {
            Backend::Sled(base.to_owned())
        } else {
            Backend::Pg {
                cluster: cluster.to_owned(),
                instances,
            }
        };
        let mut pair = Vec::new();
        for pace in [Some(every), None] {
            let level = runtime.block_on(run_level(&backend, 200, pace, Duration::from_secs(secs)));
            print_level(&format!("{name:<5}"), pace, &level, secs);
            pair.push(level);
        }
        rows.push((name, pair));
    }
    println!();
    println!(
        "| store | devices | paced ops/s | paced p50 ms | paced p99 ms | ops per commit | saturation ops/s |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, pair) in &rows {
        let (paced, sat) = (&pair[0], &pair[1]);
        println!(
            "| {name} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.0} |",
            paced.devices,
            paced.ops_per_s,
            paced.p50_ms,
            paced.p99_ms,
            paced.ops as f64 / paced.flushes.max(1) as f64,
            sat.ops_per_s
        );
    }
    if rows.len() < 3 {
        return;
    }
    let sat = |i: usize| rows[i].1[1].ops_per_s;
    let p99 = |i: usize| rows[i].1[0].p99_ms;
    println!(
        "sync-bench-pg: sled_ops_s={:.0} pg1_ops_s={:.0} pg2_ops_s={:.0} pg1_p99_ms={:.1} pg2_p99_ms={:.1}",
        sat(0),
        sat(1),
        sat(2),
        p99(1),
        p99(2)
    );
}

/// Drops a database `fresh_database` made (its stores closed).
async fn drop_database(cluster: &str, url: &str) {
    let Some(name) = url.rsplit('/').next().and_then(|n| n.split('?').next()) else {
        return;
    };
    if let Ok((client, conn)) = tokio_postgres::connect(cluster, tokio_postgres::NoTls).await {
        let driver = tokio::spawn(conn);
        let _ = client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        drop(client);
        let _ = driver.await;
    }
}

/// A new, empty database on `cluster` (a `postgres://` URL); its URL.
async fn fresh_database(cluster: &str) -> String {
    let name = format!("rounds_bench_{}", uuid::Uuid::now_v7().simple());
    let (client, conn) = tokio_postgres::connect(cluster, tokio_postgres::NoTls)
        .await
        .expect("ROUNDS_BENCH_PG connects");
    let driver = tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create the bench's database");
    drop(client);
    let _ = driver.await;
    let (main, query) = cluster.split_once('?').unwrap_or((cluster, ""));
    let authority = main
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("ROUNDS_BENCH_PG is a postgres:// URL");
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("postgres://{authority}/{name}{query}")
}

/// Writes 4 KiB and fdatasyncs in a loop: the rate one flush per request would be capped at.
fn raw_fsync_rate(dir: &std::path::Path, for_: Duration) -> f64 {
    let path = dir.join("fsync-probe");
    let mut f = std::fs::File::create(&path).expect("probe file");
    let block = [7u8; 4096];
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < for_ {
        f.write_all(&block).expect("write");
        f.sync_data().expect("fdatasync");
        n += 1;
    }
    let _ = std::fs::remove_file(path);
    n as f64 / start.elapsed().as_secs_f64()
}

async fn run_level(
    backend: &Backend,
    devices: usize,
    every: Option<Duration>,
    for_: Duration,
) -> Level {
    let cheap = PasswordCost {
        memory_kib: 64,
        passes: 1,
    };
    // One store per instance, each with its own writer and pool, as separate processes would
    // have; the first seeds the data.
    let mut database = None;
    let stores: Vec<Arc<dyn Store>> = match backend {
        Backend::Sled(parent) => {
            let dir = tempfile::tempdir_in(parent).expect("temp dir");
            vec![Arc::new(SledStore::open(&dir.keep()).expect("store"))]
        }
        Backend::Pg { cluster, instances } => {
            let url = fresh_database(cluster).await;
            database = Some((cluster.clone(), url.clone()));
            (0..*instances)
                .map(|_| Arc::new(PgStore::open(&url).expect("PostgreSQL store")) as Arc<dyn Store>)
                .collect()
        }
    };
    let store = stores[0].clone();
    // One technician per device, each with open jobs of their own to write notes on.
    let per_store = devices.div_ceil(3);
    let demo = generate_at(
        1,
        Utc::now(),
        &DemoSize {
            technicians_per_store: per_store,
            reps_per_store: 1,
            customers: 1_000,
            open_jobs: devices * 3,
            past_jobs: 0,
            leads: 0,
        },
    );
    let mut jobs_of: HashMap<UserId, Vec<JobId>> = HashMap::new();
    for r in &demo.records {
        if let Record::Job(j) = r
            && let Some(t) = j.technician
            && j.is_open()
        {
            jobs_of.entry(t).or_default().push(j.id);
        }
    }
    let logins: HashMap<UserId, String> = demo
        .logins
        .iter()
        .map(|l| (l.user, l.login.clone()))
        .collect();
    run::seed_demo(&store, demo, cheap).await.expect("seed");
    let mut servers = Vec::new();
    for store in &stores {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        servers.push(
            run::start(
                listener,
                store.clone(),
                ApiConfig {
                    password_cost: cheap,
                    login_limits: server::auth::LoginLimits {
                        per_pair: 1_000_000,
                        free_failures: 1_000_000,
                        window: Duration::from_secs(60),
                        ..server::auth::LoginLimits::default()
                    },
                    ..ApiConfig::default()
                },
                std::future::pending(),
            )
            .expect("serve"),
        );
    }
    let bases: Vec<String> = servers
        .iter()
        .map(|s| format!("http://{}", s.addr))
        .collect();
    let http = reqwest::Client::new();
    let techs: Vec<(UserId, Vec<JobId>)> = jobs_of.into_iter().collect();
    assert!(!techs.is_empty(), "the demo assigned no jobs");

    // Sign in and do the first (paged) sync of every device before measuring.
    let mut setup = Vec::new();
    for i in 0..devices {
        let (tech, jobs) = techs[i % techs.len()].clone();
        let login = logins[&tech].clone();
        let http = http.clone();
        let base = bases[i % bases.len()].clone();
        setup.push(tokio::spawn(async move {
            let v: serde_json::Value = http
                .post(format!("{base}/v1/auth/login"))
                .json(&json!({"login": login, "password": demo::DEMO_PASSWORD}))
                .send()
                .await
                .expect("login")
                .json()
                .await
                .expect("session");
            let token = v["access_token"].as_str().expect("token").to_owned();
            let mut cursor = 0;
            loop {
                let r = push(&http, &base, &token, i, cursor, &[]).await;
                cursor = r.cursor;
                if !r.more {
                    break;
                }
            }
            (tech, jobs, token, cursor)
        }));
    }
    let mut ready = Vec::new();
    for s in setup {
        ready.push(s.await.expect("setup"));
    }

    let stats = |stores: &[Arc<dyn Store>]| {
        stores.iter().fold((0, 0), |(f, o), s| {
            let st = s.stats();
            (f + st.flushes, o + st.ops)
        })
    };
    let before = stats(&stores);
    let start = Instant::now();
    let deadline = start + for_;
    let mut tasks = Vec::new();
    for (i, (tech, jobs, token, mut cursor)) in ready.into_iter().enumerate() {
        let http = http.clone();
        let base = bases[i % bases.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut acked = 0u64;
            let mut k = 0usize;
            // A fixed phase per device spreads the pushes like independent phones would.
            let phase = every.map_or(Duration::ZERO, |e| {
                e.mul_f64((i * 7919 % 1000) as f64 / 1000.0)
            });
            let mut due = start + phase;
            while due < deadline {
                if every.is_some() {
                    tokio::time::sleep_until(due.into()).await;
                } else {
                    due = Instant::now();
                }
                let ops: Vec<Op> = (0..BATCH)
                    .map(|_| {
                        k += 1;
                        note(tech, jobs[k % jobs.len()], k)
                    })
                    .collect();
                let r = push(&http, &base, &token, i, cursor, &ops).await;
                latencies.push(due.elapsed());
                if let Some(e) = every {
                    due += e;
                }
                cursor = r.cursor;
                acked += r
                    .results
                    .iter()
                    .filter(|r| matches!(r.status, OpStatus::Applied { .. }))
                    .count() as u64;
            }
            (latencies, acked)
        }));
    }
    let mut latencies = Vec::new();
    let mut acked = 0;
    for t in tasks {
        let (l, a) = t.await.expect("device");
        latencies.extend(l);
        acked += a;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let after = stats(&stores);
    for server in servers {
        server.stop().await.expect("stop");
    }
    drop(store);
    drop(stores);
    if let Some((cluster, url)) = database {
        drop_database(&cluster, &url).await;
    }
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1_000.0)
    };
    Level {
        devices,
        ops_per_s: acked as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        flushes: after.0 - before.0,
        ops: after.1 - before.1,
    }
}

fn note(tech: UserId, job: JobId, k: usize) -> Op {
    Op {
        id: OpId::new(),
        actor: tech,
        at: Utc::now(),
        location: None,
        kind: OpKind::LogInteraction(NewInteraction {
            id: InteractionId::new(),
            kind: InteractionKind::Note,
            outcome: format!("note {k}: customer asked about the next tuning"),
            customer: None,
            lead: None,
            job: Some(job),
        }),
    }
}

async fn push(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    device: usize,
    cursor: u64,
    ops: &[Op],
) -> SyncResponse {
    let res = http
        .post(format!("{base}/v1/sync"))
        .bearer_auth(token)
        .json(&json!({"device_id": format!("bench-{device}"), "cursor": cursor, "ops": ops}))
        .send()
        .await
        .expect("sync request");
    assert!(res.status().is_success(), "sync: {}", res.status());
    res.json().await.expect("sync response")
}
