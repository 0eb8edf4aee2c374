//! The benchmark's organization, seeded into a sled store, and the real server binary over it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use demo::{DemoSize, generate_in_stores};
use domain::ids::{CustomerId, UserId};
use domain::ops::Record;
use server::auth::PasswordCost;
use server::store::{SledStore, Store};

/// One customer per this many records asked for: 50,000 customers for 250,000 records, the
/// issue's organization. With their assets, jobs, leads, interactions and follow-ups the
/// dispatcher's scope comes out about 10 % above the records asked for (276,538 for 250,000).
pub const RECORDS_PER_CUSTOMER: f64 = 5.0;

/// The sizes that give about `records` records in the one dispatcher's scope.
#[must_use]
pub fn size_for(records: usize) -> DemoSize {
    let customers = ((records as f64 / RECORDS_PER_CUSTOMER) as usize).max(200);
    DemoSize {
        technicians_per_store: 12,
        reps_per_store: 6,
        customers,
        // Jobs and leads grow with the customers, as a chain's do.
        open_jobs: (customers / 50).clamp(80, 1_500),
        past_jobs: customers / 2,
        leads: customers / 8,
    }
}

/// What the bench needs to know of the seeded organization.
pub struct Seeded {
    pub dispatcher: String,
    pub dispatcher_id: UserId,
    /// Customers of the dispatcher's store, to change some of them.
    pub customers: Vec<CustomerId>,
    pub records: usize,
    pub generate_ms: u128,
    pub seed_ms: u128,
}

/// Generates the organization (one store, so that its dispatcher sees all of it) and writes
/// it into a fresh sled database in `db`, as `serve --demo` would.
///
/// # Errors
/// When the database cannot be written.
pub fn seed(db: &Path, records: usize) -> anyhow::Result<Seeded> {
    let t = Instant::now();
    let demo = generate_in_stores(7, chrono::Utc::now(), &size_for(records), 1);
    let generate_ms = t.elapsed().as_millis();
    let customers = demo
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Customer(c) => Some(c.id),
            _ => None,
        })
        .collect();
    let n = demo.records.len();
    let dispatcher = demo
        .logins
        .iter()
        .find(|l| l.login == "dispatch1")
        .context("the demo has no dispatch1")?
        .clone();
    let t = Instant::now();
    let sled = Arc::new(SledStore::open(db)?);
    let store: Arc<dyn Store> = sled.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread().build()?;
    let cost = PasswordCost {
        memory_kib: 1024,
        ..PasswordCost::default()
    };
    runtime.block_on(server::run::seed_demo(&store, demo, cost))?;
    drop(store);
    sled.close();
    Ok(Seeded {
        dispatcher: dispatcher.login,
        dispatcher_id: dispatcher.user,
        customers,
        records: n,
        generate_ms,
        seed_ms: t.elapsed().as_millis(),
    })
}

/// The real server binary, serving `db` and the built web shell on a free loopback port.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// # Errors
    /// When the binary does not start or does not say where it listens.
    pub fn start(bin: &Path, db: &Path, web_dir: &Path) -> anyhow::Result<Self> {
        let mut child = Command::new(bin)
            .arg("--data")
            .arg(db)
            .args(["serve", "--bind", "127.0.0.1:0", "--web-dir"])
            .arg(web_dir)
            .args([
                "--login-limit-pair",
                "100000",
                "--login-free-failures",
                "100000",
            ])
            // Long enough for a first sync at the largest size without a token refresh.
            .args(["--access-ttl", "3600"])
            .env("ROUNDS_ARGON2_MEMORY_KIB", "1024")
            .env("ROUNDS_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let Some(line) = lines.next() else {
                let _ = child.kill();
                bail!("the server ended before it listened");
            };
            if let Some(url) = line?.strip_prefix("listening on ") {
                break url.trim().to_owned();
            }
        };
        // Keep draining what it prints, so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(Self { child, base })
    }
}

/// Stops it (SIGKILL: the bench's data is thrown away anyway).
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the workspace is (the server binary and the web shell are found from it).
#[must_use]
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
