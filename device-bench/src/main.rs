//! The device benchmark (issue 12, "Measured at a chain's size"): the core at a chain's size,
//! natively over a file store and in headless Chromium over IndexedDB, beside SQLite loading
//! the same rows.
//!
//! For each of two sizes (a tenth of `--records`, and `--records`) it generates an
//! organization with one store (so that its dispatcher sees everything), seeds it into sled
//! and starts the real `server` binary on loopback, then measures:
//! - **first sync**: sign-in as the dispatcher until the last page is durable on the device;
//! - **restart**: a new core (natively) or a reload (Chromium) until the first view model
//!   whose board has the dispatcher's queue and technicians in it;
//! - **memory**: the core's live heap after a restart (natively: a counting allocator; in
//!   Chromium: the wasm memory, the Rust heap's high-water mark);
//! - **persist100**: another session changes 100 of the dispatcher's customers, the device
//!   syncs; from the sync answer reaching the core to the write of its page being durable
//!   (and the write alone);
//! - **SQLite**: the replica's rows (key and JSON) in a SQLite table, read back and
//!   deserialised into `domain::ops::Record`s, no index built: the anchor.
//!
//! `cargo run --release -p device-bench -- [--records 250000] [--runs 3] [--no-web] [--quick]`
//! (the web shell must be built: `bash scripts/build-web.sh`; the server binary is built in
//! release: `cargo build --release -p server`). The last line reads
//! `device-bench: records=N restart_ms=N sqlite_load_ms=N persist100_ms_small=N
//! persist100_ms_large=N first_sync_s=N` (Chromium's numbers, the ones the goals are about;
//! the native ones with `--no-web`).
#![expect(clippy::print_stdout, reason = "a bench reports its numbers on stdout")]

mod file_store;
mod native_shell;
mod org;
mod sqlite;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use domain::ids::{CustomerId, OpId, UserId};
use domain::ops::{CustomerPatch, Op, OpKind};
use domain::sync::{SyncRequest, SyncResponse};
use serde::Deserialize;
use shared::effects::store::Table;
use shared::model::Event;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

use crate::native_shell::{Mark, NativeShell};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

#[derive(Parser)]
#[command(
    about = "The core at a chain's size: first sync, restart, memory, persist (native, Chromium, SQLite)"
)]
struct Args {
    /// Records in the dispatcher's scope at the large size (the small size is a tenth).
    #[arg(long, default_value_t = 250_000)]
    records: usize,
    /// Restarts and persists timed per size (medians are reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Skip Chromium (native and SQLite only).
    #[arg(long)]
    no_web: bool,
    /// A smoke run: 5,000 records (500 small), one run each.
    #[arg(long)]
    quick: bool,
    /// The server binary (default: target/release/server).
    #[arg(long)]
    server: Option<PathBuf>,
}

const PASSWORD: &str = demo::DEMO_PASSWORD;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!("device-bench failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = Args::parse();
    if args.quick {
        args.records = 5_000;
        args.runs = 1;
    }
    let root = org::workspace();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let bin = args
        .server
        .clone()
        .unwrap_or_else(|| target.join("release/server"));
    if !bin.exists() {
        bail!(
            "no server binary at {} (cargo build --release -p server)",
            bin.display()
        );
    }
    let web_dir = root.join("web-shell/dist");
    if !args.no_web && !web_dir.join("index.html").exists() {
        bail!(
            "no web shell in {} (bash scripts/build-web.sh)",
            web_dir.display()
        );
    }
    let sizes = [(args.records / 10).max(100), args.records];
    let mut results = Vec::new();
    for (i, &records) in sizes.iter().enumerate() {
        println!(
            "== {} size: about {records} records",
            if i == 0 { "small" } else { "large" }
        );
        results.push(measure(&args, &bin, &web_dir, &root, records)?);
    }
    print_table(&results);
    let [small, large] = [&results[0], &results[1]];
    let head = |r: &SizeResult| r.web.as_ref().unwrap_or(&r.native).clone();
    let (s, l) = (head(small), head(large));
    println!(
        "device-bench: records={} restart_ms={:.0} sqlite_load_ms={:.0} persist100_ms_small={:.0} persist100_ms_large={:.0} first_sync_s={:.0}",
        large.records,
        l.restart_ms,
        large.sqlite_load_ms,
        s.persist100_ms,
        l.persist100_ms,
        l.first_sync_ms / 1e3,
    );
    Ok(())
}

/// One shell's numbers at one size (milliseconds unless said).
#[derive(Clone, Debug, Default)]
struct Side {
    first_sync_ms: f64,
    restart_ms: f64,
    memory_bytes: u64,
    persist100_ms: f64,
    persist100_write_ms: f64,
    storage_bytes: u64,
}

struct SizeResult {
    records: usize,
    generate_ms: u128,
    seed_ms: u128,
    native: Side,
    web: Option<Side>,
    sqlite_load_ms: f64,
}

fn measure(
    args: &Args,
    bin: &Path,
    web_dir: &Path,
    root: &Path,
    records: usize,
) -> anyhow::Result<SizeResult> {
    let tmp = tempfile::tempdir()?;
    let seeded = org::seed(&tmp.path().join("db"), records)?;
    println!(
        "   organization: {} records, generated in {} ms, seeded in {} ms",
        seeded.records, seeded.generate_ms, seeded.seed_ms
    );
    let server = org::Server::start(bin, &tmp.path().join("db"), web_dir)?;
    let device = tmp.path().join("device");
    let mut pusher = Pusher::sign_in(&server.base, &seeded)?;

    // First sync.
    let mut shell = NativeShell::open(&device)?;
    shell.send(start(&server.base));
    let t = Instant::now();
    shell.send(Event::SignIn {
        login: seeded.dispatcher.clone(),
        password: PASSWORD.into(),
        code: String::new(),
    });
    let done = last_write_end(&shell.marks).context("the first sync wrote nothing")?;
    let mut native = Side {
        first_sync_ms: ms(done - t),
        ..Side::default()
    };
    if let Some(problem) = shell.view().sync.problem {
        bail!("the first sync failed: {}", problem.text);
    }
    native.storage_bytes = shell.store.size();
    let spent = shell.spent.clone();
    drop(shell);
    println!(
        "   native first sync: {:.1} s (core {:.1} s, views {:.1} s, waiting for the server {:.1} s, file store {:.1} s)",
        native.first_sync_ms / 1e3,
        spent.core,
        spent.view,
        spent.http,
        spent.store
    );

    // Restarts; the last core stays for the persists.
    let mut restarts = Vec::new();
    let mut memory = Vec::new();
    let mut shell = None;
    for _ in 0..args.runs {
        drop(shell.take());
        let before = live_bytes();
        let mut s = NativeShell::open(&device)?;
        let t = Instant::now();
        s.send(start(&server.base));
        let usable = s
            .marks
            .iter()
            .find_map(|m| match m {
                Mark::UsableBoard { at } => Some(*at),
                _ => None,
            })
            .context("no usable board after the restart")?;
        restarts.push(ms(usable - t));
        if let Some(whole) = s.marks.iter().find_map(|m| match m {
            Mark::SyncAsked { at } if *at > usable => Some(*at),
            _ => None,
        }) {
            println!(
                "   native restart: usable board {:.0} ms, whole replica {:.0} ms",
                ms(usable - t),
                ms(whole - t)
            );
        }
        memory.push(live_bytes().saturating_sub(before) as f64);
        shell = Some(s);
    }
    let mut shell = shell.context("no runs")?;
    native.restart_ms = median(&restarts);
    native.memory_bytes = median(&memory) as u64;
    let spent = &shell.spent;
    println!(
        "   native restart: {:.0} ms (last one: core {:.0} ms, views {:.0} ms, file store {:.0} ms, server {:.0} ms), core memory {:.0} MB",
        native.restart_ms,
        spent.core * 1e3,
        spent.view * 1e3,
        spent.store * 1e3,
        spent.http * 1e3,
        native.memory_bytes as f64 / 1e6
    );

    // Persisting a 100-record sync.
    let mut persist = Vec::new();
    let mut write = Vec::new();
    for round in 0..args.runs {
        pusher.push(&pusher.change(round, "native"))?;
        shell.marks.clear();
        shell.send(Event::SyncNow);
        let (answered, written) = persisted(&shell.marks).context("no 100-record write")?;
        persist.push(ms(written.1 - answered));
        write.push(ms(written.1 - written.0));
    }
    native.persist100_ms = median(&persist);
    native.persist100_write_ms = median(&write);

    // The anchor: the same rows from SQLite.
    let shared::effects::store::StoreResponse::Loaded { entries } =
        shell.store.load(Table::Replica)?
    else {
        bail!("the replica could not be read back");
    };
    drop(shell);
    let n = entries.len();
    let anchor = sqlite::Anchor::create(&tmp.path().join("anchor.sqlite"), &entries)?;
    drop(entries);
    let mut loads = Vec::new();
    for _ in 0..args.runs.max(3) {
        let (rows, ms) = anchor.load()?;
        if rows != n {
            bail!("SQLite gave {rows} rows of {n}");
        }
        loads.push(ms);
    }
    let sqlite_load_ms = median(&loads);
    println!("   SQLite load: {sqlite_load_ms:.0} ms ({n} rows)");

    let web = if args.no_web {
        None
    } else {
        let bodies: Vec<SyncRequest> = (0..args.runs).map(|r| pusher.change(r, "web")).collect();
        let file = tmp.path().join("changes.json");
        std::fs::write(&file, serde_json::to_vec(&bodies)?)?;
        let side = chromium(root, &server.base, &seeded.dispatcher, &file, args.runs)?;
        println!(
            "   Chromium: first sync {:.1} s, restart {:.0} ms",
            side.first_sync_ms / 1e3,
            side.restart_ms
        );
        Some(side)
    };
    drop(server);
    Ok(SizeResult {
        records: n,
        generate_ms: seeded.generate_ms,
        seed_ms: seeded.seed_ms,
        native,
        web,
        sqlite_load_ms,
    })
}

fn start(base: &str) -> Event {
    Event::Start {
        server_url: base.to_owned(),
        device_id: "device-bench".into(),
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Live heap bytes of the whole process.
fn live_bytes() -> usize {
    let s = INSTRUMENTED_SYSTEM.stats();
    (s.bytes_allocated as isize - s.bytes_deallocated as isize + s.bytes_reallocated).max(0)
        as usize
}

fn last_write_end(marks: &[Mark]) -> Option<Instant> {
    marks.iter().rev().find_map(|m| match m {
        Mark::Written { end, .. } => Some(*end),
        _ => None,
    })
}

/// The sync answer and the write (start, end) of the first page of 100 or more records.
fn persisted(marks: &[Mark]) -> Option<(Instant, (Instant, Instant))> {
    let mut answered = None;
    for m in marks {
        match m {
            Mark::SyncAnswered { at } => answered = Some(*at),
            Mark::Written { start, end, puts } if *puts >= 100 => {
                return Some((answered?, (*start, *end)));
            }
            _ => {}
        }
    }
    None
}

/// A second session of the dispatcher, changing records from elsewhere.
struct Pusher {
    http: reqwest::blocking::Client,
    base: String,
    token: String,
    actor: UserId,
    customers: Vec<CustomerId>,
}

impl Pusher {
    fn sign_in(base: &str, seeded: &org::Seeded) -> anyhow::Result<Self> {
        #[derive(Deserialize)]
        struct Session {
            access_token: String,
        }
        let http = reqwest::blocking::Client::new();
        let body = serde_json::json!({ "login": seeded.dispatcher, "password": PASSWORD });
        let answer = http
            .post(format!("{base}/v1/auth/login"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()?
            .error_for_status()?
            .bytes()?;
        let session: Session = serde_json::from_slice(&answer)?;
        Ok(Self {
            http,
            base: base.to_owned(),
            token: session.access_token,
            actor: seeded.dispatcher_id,
            customers: seeded.customers.clone(),
        })
    }

    /// 100 customer edits (a tag), a different 100 customers for each round and side.
    fn change(&self, round: usize, side: &str) -> SyncRequest {
        let offset = if side == "web" { 50_000 } else { 0 };
        let ops = (0..100)
            .map(|i| {
                let c = self.customers[(offset + round * 100 + i) % self.customers.len()];
                Op {
                    id: OpId::new(),
                    actor: self.actor,
                    at: chrono::Utc::now(),
                    location: None,
                    kind: OpKind::UpdateCustomer {
                        customer: c,
                        patch: CustomerPatch {
                            tags: Some(vec![format!("bench-{side}-{round}")]),
                            ..CustomerPatch::default()
                        },
                        // An API client's edit: applied as sent, no conflict check.
                        seen: Vec::new(),
                    },
                }
            })
            .collect();
        SyncRequest {
            device_id: "device-bench-pusher".into(),
            cursor: 0,
            ops,
        }
    }

    fn push(&mut self, body: &SyncRequest) -> anyhow::Result<()> {
        let answer = self
            .http
            .post(format!("{}/v1/sync", self.base))
            .header("content-type", "application/json")
            .bearer_auth(&self.token)
            .body(serde_json::to_vec(body)?)
            .send()?
            .error_for_status()?
            .bytes()?;
        let answer: SyncResponse = serde_json::from_slice(&answer)?;
        let applied = answer
            .results
            .iter()
            .filter(|r| matches!(r.status, domain::sync::OpStatus::Applied { .. }))
            .count();
        if applied != body.ops.len() {
            bail!("only {applied} of {} changes applied", body.ops.len());
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct WebResult {
    first_sync_ms: f64,
    restart_ms: Vec<f64>,
    wasm_memory_bytes: u64,
    persist100_ms: Vec<f64>,
    persist100_write_ms: Vec<f64>,
    storage_bytes: u64,
    failed_writes: usize,
}

/// Runs `web-shell/e2e/device-bench.mjs` (under the e2e lock others use too).
fn chromium(
    root: &Path,
    base: &str,
    login: &str,
    changes: &Path,
    runs: usize,
) -> anyhow::Result<Side> {
    let e2e = root.join("web-shell/e2e");
    if !e2e.join("node_modules/playwright-core").exists() {
        let ok = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&e2e)
            .status()?
            .success();
        if !ok {
            bail!("npm ci failed in {}", e2e.display());
        }
    }
    let out = std::process::Command::new("flock")
        .args(["/tmp/rounds-e2e.lock", "node", "device-bench.mjs"])
        .current_dir(&e2e)
        .env("ROUNDS_BASE", base)
        .env("ROUNDS_LOGIN", login)
        .env("ROUNDS_PASSWORD", PASSWORD)
        .env("ROUNDS_CHANGES", changes)
        .env("ROUNDS_RUNS", runs.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("device-bench-web: "))
        .with_context(|| format!("the Chromium run said nothing ({}):\n{text}", out.status))?;
    let r: WebResult = serde_json::from_str(line)?;
    if r.failed_writes > 0 {
        bail!("{} IndexedDB writes failed", r.failed_writes);
    }
    Ok(Side {
        first_sync_ms: r.first_sync_ms,
        restart_ms: median(&r.restart_ms),
        memory_bytes: r.wasm_memory_bytes,
        persist100_ms: median(&r.persist100_ms),
        persist100_write_ms: median(&r.persist100_write_ms),
        storage_bytes: r.storage_bytes,
    })
}

fn print_table(results: &[SizeResult]) {
    println!();
    println!(
        "| records | shell | first sync (s) | restart to board (ms) | × SQLite | core memory (MB) | persist100 (ms) | of which write (ms) | stored (MB) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in results {
        let row = |name: &str, s: &Side| {
            println!(
                "| {} | {name} | {:.1} | {:.0} | {:.1} | {:.0} | {:.1} | {:.1} | {:.0} |",
                r.records,
                s.first_sync_ms / 1e3,
                s.restart_ms,
                s.restart_ms / r.sqlite_load_ms.max(0.001),
                s.memory_bytes as f64 / 1e6,
                s.persist100_ms,
                s.persist100_write_ms,
                s.storage_bytes as f64 / 1e6,
            );
        };
        row("native (file log)", &r.native);
        if let Some(w) = &r.web {
            row("Chromium (IndexedDB)", w);
        }
        println!(
            "| {} | SQLite load (anchor) | | {:.0} | 1.0 | | | | |",
            r.records, r.sqlite_load_ms
        );
    }
    for r in results {
        println!(
            "organization of {} records: generated in {:.1} s, seeded into sled in {:.1} s",
            r.records,
            r.generate_ms as f64 / 1e3,
            r.seed_ms as f64 / 1e3
        );
    }
}
