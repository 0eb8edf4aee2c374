//! A small world for fault injection: the server's store (sled, on disk) and several devices
//! (the real Crux core, each over its own device database), in one process. Messages between
//! them are carried by hand, so that a test can lose, repeat or hold them back, restart a
//! device in the middle of a sync (losing the writes its storage had not finished), and crash
//! the server's store (reopening a copy of its files taken while it ran, as a kill leaves them).
//!
//! The shell side here is what a phone's shell does, minus the screen: one handler per effect.
//! Sign-in is skipped (each device starts with a stored session; the server side trusts the
//! device's user), since authentication is not what is under test.
//!
//! The same world runs against real `server` processes too: one on the sled store, over
//! loopback ([`World::over_loopback`]), or three on one PostgreSQL database
//! ([`World::on_cluster`]), each device request going to one of them picked at random.

pub mod conflicts;
pub mod steps;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use crux_core::{Core, Request};
use crux_http::protocol::{HttpRequest, HttpResponse, HttpResult};
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult, value::Value};
use crux_time::{TimeRequest, TimeResponse};

use domain::customers::Customer;
use domain::ids::{CustomerId, OpId};
use domain::ops::{Op, Record, RecordKey};
use domain::org::User;
use domain::sync::{OpStatus, Session, SyncRequest, SyncResponse};
use server::access::Scope;
use server::store::{AuditWhat, Store};
use shared::app::Rounds;
use shared::effects::Effect;
use shared::effects::location::LocationResponse;
use shared::effects::store::memory::MemoryStore;
use shared::effects::store::{StoreRequest, Table, Write};
use shared::model::Event;

/// What happens to one request on its way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Delivered, and answered.
    None,
    /// Lost on the way there: the server never sees it.
    DropRequest,
    /// The server applies it; the answer is lost.
    DropResponse,
    /// Delivered twice (a retrying proxy); the second answer arrives.
    Duplicate,
}

/// One phone: its core, its database, and what its core asked for that has not happened yet.
pub struct Device {
    pub user: User,
    id: String,
    core: Core<Rounds>,
    /// What is durable on the device.
    tables: MemoryStore,
    http: VecDeque<Request<HttpRequest>>,
    /// Writes the storage has not finished: lost if the device restarts first.
    writes: VecDeque<Request<StoreRequest>>,
}

pub struct World {
    rt: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
    generation: u32,
    server: Server,
    /// The world's own choices (which instance a request goes to, which one crashes), from the
    /// run's seed: a run replays from its seed (but for the timing of a kill in mid-request).
    rng: Rng,
    pub devices: Vec<Device>,
    pub clock: DateTime<Utc>,
    /// Ops a device was told the server applied.
    pub acknowledged: BTreeSet<OpId>,
    /// Ops that were durable in a device's outbox at some point: none may be lost.
    pub made: BTreeSet<OpId>,
    /// Every op that reached the server, as its device sent it: the audit names the ops it
    /// applied, and the conflict check needs what each edit saw.
    pub sent: BTreeMap<OpId, Op>,
    /// The customers as the run started, before anyone edited them.
    pub customers_at_start: BTreeMap<CustomerId, Customer>,
    /// What [`World::check`] found: customer edits the server applied, and how many of them
    /// crossed another person's edit of the same field.
    pub edits_applied: usize,
    pub crossings: usize,
    /// Requests a restarted device left in flight: the network may still deliver them.
    orphans: Vec<(usize, HttpRequest)>,
    /// What happened on a cluster, for the report.
    pub cluster: ClusterStats,
}

/// What the instances of a cluster went through in a run.
#[derive(Clone, Debug, Default)]
pub struct ClusterStats {
    /// Requests each instance received (a duplicate counts twice).
    pub served: [usize; INSTANCES],
    /// Requests sent to an instance that was down.
    pub unreachable: usize,
    /// Requests sent twice at once.
    pub twice_at_once: usize,
    /// Requests sent at the same time as other devices' (while settling).
    pub at_once: usize,
    /// Instances killed; of them, in the middle of a request (and how many of those answered
    /// before the kill); left down after the kill.
    pub kills: usize,
    pub kills_in_request: usize,
    pub answered_before_kill: usize,
    /// Kills in the middle of a push that heard no answer, yet the database holds a decision
    /// of some op it carried: killed after the commit, before the answer left.
    pub committed_unanswered: usize,
    pub left_down: usize,
}

/// Where the server runs: its store in this process, a real server process over loopback
/// (killed with SIGKILL to crash it), or several processes on one PostgreSQL database.
enum Server {
    InProcess(Arc<dyn Store>),
    Process {
        child: std::process::Child,
        base: String,
        data: PathBuf,
        http: reqwest::Client,
    },
    Cluster(Cluster),
}

/// Server processes on one PostgreSQL database (made for the run, dropped after it): each
/// request goes to one picked at random; a crash kills one, which starts again at once or
/// stays down until a later crash picks it or the world settles.
struct Cluster {
    bin: PathBuf,
    /// The cluster's address, for dropping the database at the end.
    admin: String,
    /// The database's name on that cluster, and its address.
    name: String,
    url: String,
    /// Each instance's process and base address; `None` while it is down.
    instances: Vec<Option<(std::process::Child, String)>>,
    http: reqwest::Client,
    /// The store read in this process by [`World::check`], once the instances are stopped.
    reader: Option<Arc<dyn Store>>,
}

/// How many server processes a cluster runs.
pub const INSTANCES: usize = 3;

impl Cluster {
    fn start(&mut self, i: usize) -> Result<(), Broken> {
        if self.instances[i].is_none() {
            self.instances[i] = Some(spawn(&self.bin, "--database", OsStr::new(&self.url))?);
        }
        Ok(())
    }

    fn stop(&mut self, i: usize) -> Result<(), Broken> {
        if let Some((mut child, _)) = self.instances[i].take() {
            // SIGKILL: no shutdown, no flush beyond what each answer waited for.
            child.kill().map_err(broken)?;
            child.wait().map_err(broken)?;
        }
        Ok(())
    }
}

impl Drop for World {
    fn drop(&mut self) {
        match &mut self.server {
            Server::Process { child, .. } => {
                let _ = child.kill();
                let _ = child.wait();
            }
            Server::Cluster(cluster) => {
                for i in 0..cluster.instances.len() {
                    let _ = cluster.stop(i);
                }
                cluster.reader = None;
                let (admin, name) = (cluster.admin.clone(), cluster.name.clone());
                let _ = self.rt.block_on(sql(
                    &admin,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ));
            }
            Server::InProcess(_) => {}
        }
    }
}

/// Runs `statement` on the PostgreSQL database at `url`.
async fn sql(url: &str, statement: String) -> Result<(), Broken> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| Broken(format!("connecting to {url}: {e}")))?;
    let driver = tokio::spawn(conn);
    let done = client.batch_execute(&statement).await.map_err(broken);
    drop(client);
    let _ = driver.await;
    done
}

/// The ops a sync request carries.
fn ops_of(req: &HttpRequest) -> Vec<OpId> {
    if !req.url.ends_with("/v1/sync") {
        return Vec::new();
    }
    serde_json::from_slice::<SyncRequest>(&req.body)
        .map(|body| body.ops.iter().map(|op| op.id).collect())
        .unwrap_or_default()
}

/// How many of `ops` the database at `url` holds a decision of.
async fn decided_of(url: &str, ops: Vec<OpId>) -> Result<i64, Broken> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(broken)?;
    let driver = tokio::spawn(conn);
    let ids: Vec<uuid::Uuid> = ops.into_iter().map(|op| op.0).collect();
    let count = client
        .query_one("SELECT count(*) FROM outcomes WHERE op = ANY($1)", &[&ids])
        .await
        .map_err(broken)
        .and_then(|row| row.try_get::<_, i64>(0).map_err(broken));
    drop(client);
    let _ = driver.await;
    count
}

/// `postgres://who@where/db?opts` with another database.
fn with_database(url: &str, db: &str) -> Result<String, Broken> {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, format!("?{q}")),
        None => (url, String::new()),
    };
    let rest = main
        .strip_prefix("postgres://")
        .or_else(|| main.strip_prefix("postgresql://"))
        .ok_or_else(|| Broken(format!("{url} is not a postgres:// URL")))?;
    let authority = rest.split('/').next().unwrap_or_default();
    Ok(format!("postgres://{authority}/{db}{query}"))
}

/// A small seeded generator (SplitMix64) for the world's own choices.
struct Rng(u64);

impl Rng {
    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n as u64) as usize
    }
}

/// Where [`World::build`] puts the server.
enum Backend<'a> {
    InProcess,
    Process(&'a Path),
    /// The `server` binary, and the address of a PostgreSQL cluster to make the database on.
    Cluster(&'a Path, &'a str),
}

/// A server's answer to one request: its status and body; `None` when it could not be
/// reached (a process that is down) or the connection failed.
type Answer = Option<(u16, Vec<u8>)>;

/// Per op, how many times the audit says it was applied and refused.
type Decided = BTreeMap<OpId, (usize, usize)>;

#[derive(Debug)]
pub struct Broken(pub String);

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn broken(e: impl std::fmt::Display) -> Broken {
    Broken(e.to_string())
}

impl World {
    /// The small demo organization on a fresh store in this process, and one device per user
    /// picked.
    pub fn new(seed: u64, pick: impl Fn(&[Record]) -> Vec<User>) -> Result<Self, Broken> {
        Self::build(seed, pick, Backend::InProcess)
    }

    /// The same over loopback: a real server process (the `server` binary at `bin`) on the
    /// store, each device signed in through its login.
    pub fn over_loopback(
        seed: u64,
        bin: &Path,
        pick: impl Fn(&[Record]) -> Vec<User>,
    ) -> Result<Self, Broken> {
        Self::build(seed, pick, Backend::Process(bin))
    }

    /// The same on [`INSTANCES`] server processes (the `server` binary at `bin`) sharing one
    /// fresh PostgreSQL database, made on the cluster at `pg` (a `postgres://` URL) and dropped
    /// when the world is. Every request goes to an instance picked at random; each device
    /// signs in through one of them.
    pub fn on_cluster(
        seed: u64,
        bin: &Path,
        pg: &str,
        pick: impl Fn(&[Record]) -> Vec<User>,
    ) -> Result<Self, Broken> {
        Self::build(seed, pick, Backend::Cluster(bin, pg))
    }

    fn build(
        seed: u64,
        pick: impl Fn(&[Record]) -> Vec<User>,
        backend: Backend<'_>,
    ) -> Result<Self, Broken> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(broken)?;
        let dir = tempfile::tempdir().map_err(broken)?;
        let clock = DateTime::parse_from_rfc3339("2026-11-23T01:00:00Z")
            .map_err(broken)?
            .with_timezone(&Utc);
        let size = demo::DemoSize {
            technicians_per_store: 3,
            reps_per_store: 2,
            customers: 60,
            open_jobs: 40,
            past_jobs: 20,
            leads: 30,
        };
        let demo = demo::generate_at(seed, clock, &size);
        let people = pick(&demo.records);
        let customers_at_start = demo
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Customer(c) => Some((c.id, c.clone())),
                _ => None,
            })
            .collect();
        // Cheap password hashing: sign-in is not what is measured.
        let cost = server::auth::PasswordCost {
            memory_kib: 1024,
            passes: 1,
        };
        let data = dir.path().join("g0");
        let server = match backend {
            Backend::InProcess => {
                let store = open(&data)?;
                rt.block_on(store.import(demo.records)).map_err(broken)?;
                Server::InProcess(store)
            }
            Backend::Process(bin) => {
                let store = open(&data)?;
                rt.block_on(server::run::seed_demo(&store, demo, cost))
                    .map_err(broken)?;
                drop(store);
                let (child, base) = spawn(bin, "--data", data.as_os_str())?;
                Server::Process {
                    child,
                    base,
                    data,
                    http: reqwest::Client::new(),
                }
            }
            Backend::Cluster(bin, pg) => {
                let name = format!("rounds_test_{}", uuid::Uuid::now_v7().simple());
                rt.block_on(sql(pg, format!("CREATE DATABASE {name}")))?;
                let url = with_database(pg, &name)?;
                // From here on the world drops the database, whatever fails.
                let mut cluster = Cluster {
                    bin: bin.to_owned(),
                    admin: pg.to_owned(),
                    name,
                    url,
                    instances: (0..INSTANCES).map(|_| None).collect(),
                    http: reqwest::Client::new(),
                    reader: None,
                };
                let seeded = server::store::postgres::PgStore::open(&cluster.url)
                    .map_err(broken)
                    .map(|s| Arc::new(s) as Arc<dyn Store>)
                    .and_then(|store| {
                        rt.block_on(server::run::seed_demo(&store, demo, cost))
                            .map_err(broken)
                    });
                let started =
                    seeded.and_then(|_| (0..INSTANCES).try_for_each(|i| cluster.start(i)));
                if let Err(e) = started {
                    for i in 0..INSTANCES {
                        let _ = cluster.stop(i);
                    }
                    let _ = rt.block_on(sql(
                        &cluster.admin,
                        format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", cluster.name),
                    ));
                    return Err(e);
                }
                Server::Cluster(cluster)
            }
        };
        let mut world = Self {
            rt,
            dir,
            generation: 0,
            server,
            rng: Rng(seed),
            devices: Vec::new(),
            clock,
            acknowledged: BTreeSet::new(),
            made: BTreeSet::new(),
            sent: BTreeMap::new(),
            customers_at_start,
            edits_applied: 0,
            crossings: 0,
            orphans: Vec::new(),
            cluster: ClusterStats::default(),
        };
        for (i, user) in people.into_iter().enumerate() {
            let session = world.sign_in(&user)?;
            let mut device = Device::new(user, format!("device-{i}"), session);
            device.start(clock);
            world.devices.push(device);
        }
        Ok(world)
    }

    /// The person on device `d` does something (a shell event).
    pub fn act(&mut self, d: usize, event: Event) {
        self.clock += Duration::seconds(7);
        let clock = self.clock;
        self.devices[d].event(event, clock);
    }

    /// Device `d`'s storage finishes its oldest `n` writes.
    pub fn write(&mut self, d: usize, n: usize) {
        let clock = self.clock;
        for _ in 0..n {
            let Some(op_ids) = self.devices[d].finish_write(clock) else {
                break;
            };
            self.made.extend(op_ids);
        }
    }

    /// The network carries device `d`'s oldest request, with `fault`.
    pub fn deliver(&mut self, d: usize, fault: Fault) -> Result<(), Broken> {
        let Some(req) = self.devices[d].http.pop_front() else {
            return Ok(());
        };
        if fault != Fault::DropRequest {
            self.note_sent(&req.operation);
        }
        let answer = match fault {
            Fault::DropRequest => None,
            Fault::None | Fault::DropResponse => self.serve(d, &req.operation)?,
            // On a cluster the two copies go at the same time, each to an instance of its own
            // choosing (a proxy retrying on another instance before the first one answered).
            Fault::Duplicate if matches!(self.server, Server::Cluster(_)) => {
                self.serve_twice_at_once(&req.operation)?
            }
            Fault::Duplicate => {
                self.serve(d, &req.operation)?;
                self.serve(d, &req.operation)?
            }
        };
        self.answer(d, req, fault, answer);
        Ok(())
    }

    /// Device `d`'s request `req` gets `answer` (`None`: the connection failed), unless
    /// `fault` lost it.
    fn answer(&mut self, d: usize, mut req: Request<HttpRequest>, fault: Fault, answer: Answer) {
        let result = match (fault, answer) {
            (Fault::DropRequest | Fault::DropResponse, _) | (_, None) => {
                HttpResult::Err(crux_http::HttpError::Io("connection reset".into()))
            }
            (_, Some((status, body))) => {
                if status == 200
                    && req.operation.url.ends_with("/v1/sync")
                    && let Ok(resp) = serde_json::from_slice::<SyncResponse>(&body)
                {
                    for r in &resp.results {
                        if matches!(r.status, OpStatus::Applied { .. }) {
                            self.acknowledged.insert(r.op);
                        }
                    }
                }
                HttpResult::Ok(
                    HttpResponse::status(status)
                        .header("content-type", "application/json")
                        .body(body)
                        .build(),
                )
            }
        };
        let clock = self.clock;
        let device = &mut self.devices[d];
        if let Ok(effects) = device.core.resolve(&mut req, result) {
            device.absorb(effects, clock);
        }
    }

    /// Device `d` stops (its unfinished writes are lost; its requests may still arrive) and
    /// starts again from what its storage holds.
    pub fn restart(&mut self, d: usize) {
        let clock = self.clock;
        let device = &mut self.devices[d];
        device.writes.clear();
        for req in device.http.drain(..) {
            self.orphans.push((d, req.operation.clone()));
        }
        device.start(clock);
    }

    /// Requests left by restarted devices reach the server now (their answers go nowhere).
    pub fn deliver_orphans(&mut self) -> Result<(), Broken> {
        for (d, req) in std::mem::take(&mut self.orphans) {
            self.note_sent(&req);
            self.serve(d, &req)?;
        }
        Ok(())
    }

    /// Keeps the ops of a sync request that is about to reach the server.
    fn note_sent(&mut self, req: &HttpRequest) {
        if req.url.ends_with("/v1/sync")
            && let Ok(body) = serde_json::from_slice::<SyncRequest>(&req.body)
        {
            for op in body.ops {
                self.sent.entry(op.id).or_insert(op);
            }
        }
    }

    /// The server's process dies: what its files hold at this instant is what the next one
    /// opens. (The files are copied while the store runs; the old store is then dropped and
    /// writes nothing more to the copy.)
    ///
    /// On a cluster: one instance picked at random. A running one is killed with SIGKILL (half
    /// the time in the middle of a device's request sent to it, when one waits), then started
    /// again at once or, half the time, left down until a later crash picks it or the world
    /// settles; one that is down starts again.
    pub fn crash_server(&mut self) -> Result<(), Broken> {
        if let Server::Cluster(cluster) = &mut self.server {
            let i = self.rng.below(cluster.instances.len());
            if cluster.instances[i].is_none() {
                return cluster.start(i);
            }
            // A device that pushes ops if there is one: a kill in the middle of a write.
            let waiting = |pushing: bool| -> Vec<usize> {
                (0..self.devices.len())
                    .filter(|d| {
                        self.devices[*d]
                            .http
                            .front()
                            .is_some_and(|r| !pushing || !ops_of(&r.operation).is_empty())
                    })
                    .collect()
            };
            let waiting = Some(waiting(true))
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| waiting(false));
            if !waiting.is_empty() && self.rng.below(2) == 0 {
                let d = waiting[self.rng.below(waiting.len())];
                let delay = std::time::Duration::from_millis(self.rng.below(40) as u64);
                self.kill_in_request(d, i, delay)?;
            }
            let Server::Cluster(cluster) = &mut self.server else {
                unreachable!("still a cluster")
            };
            cluster.stop(i)?;
            self.cluster.kills += 1;
            if self.rng.below(2) == 0 {
                cluster.start(i)?;
            } else {
                self.cluster.left_down += 1;
            }
            return Ok(());
        }
        match &mut self.server {
            Server::InProcess(_) => {
                let from = self.dir.path().join(format!("g{}", self.generation));
                self.generation += 1;
                let to = self.dir.path().join(format!("g{}", self.generation));
                copy_dir(&from, &to)?;
                self.server = Server::InProcess(open(&to)?);
            }
            Server::Process {
                child, base, data, ..
            } => {
                // SIGKILL: no shutdown, no flush beyond what each answer waited for.
                child.kill().map_err(broken)?;
                child.wait().map_err(broken)?;
                let (c, b) = spawn(&server_bin()?, "--data", data.as_os_str())?;
                *child = c;
                *base = b;
            }
            Server::Cluster(_) => unreachable!("handled above"),
        }
        Ok(())
    }

    /// Device `d`'s oldest request goes to instance `i` of the cluster, which is killed
    /// `delay` after it was sent: the device hears what arrived before that, if anything.
    fn kill_in_request(
        &mut self,
        d: usize,
        i: usize,
        delay: std::time::Duration,
    ) -> Result<(), Broken> {
        let Server::Cluster(cluster) = &mut self.server else {
            return Ok(());
        };
        let Some(req) = self.devices[d].http.pop_front() else {
            return Ok(());
        };
        let Some((child, base)) = &mut cluster.instances[i] else {
            self.devices[d].http.push_front(req);
            return Ok(());
        };
        let send = request(&cluster.http, base, &req.operation)?;
        let answer = self.rt.block_on(async {
            let sent = tokio::spawn(send);
            tokio::time::sleep(delay).await;
            child.kill().map_err(broken)?;
            Ok::<_, Broken>(sent.await.ok().flatten())
        })?;
        child.wait().map_err(broken)?;
        cluster.instances[i] = None;
        self.cluster.served[i] += 1;
        self.cluster.kills_in_request += 1;
        self.cluster.answered_before_kill += usize::from(answer.is_some());
        let ops = ops_of(&req.operation);
        if answer.is_none() && !ops.is_empty() {
            let url = cluster.url.clone();
            let decided = self.rt.block_on(decided_of(&url, ops))?;
            self.cluster.committed_unanswered += usize::from(decided > 0);
        }
        self.note_sent(&req.operation);
        self.answer(d, req, Fault::None, answer);
        Ok(())
    }

    /// The store, read in this process (a server process is stopped first: only one may
    /// have the files open; a cluster's instances too, so that nothing moves while it is
    /// read).
    fn store(&mut self) -> Result<Arc<dyn Store>, Broken> {
        if let Server::Process { child, data, .. } = &mut self.server {
            child.kill().map_err(broken)?;
            child.wait().map_err(broken)?;
            let store = open(data)?;
            self.server = Server::InProcess(store);
        }
        match &mut self.server {
            Server::InProcess(store) => Ok(store.clone()),
            Server::Process { .. } => Err(Broken("the server process is still running".into())),
            Server::Cluster(cluster) => {
                for i in 0..cluster.instances.len() {
                    cluster.stop(i)?;
                }
                if cluster.reader.is_none() {
                    let store =
                        server::store::postgres::PgStore::open(&cluster.url).map_err(broken)?;
                    cluster.reader = Some(Arc::new(store));
                }
                cluster
                    .reader
                    .clone()
                    .ok_or_else(|| Broken("no reader".into()))
            }
        }
    }

    /// A session for `user`: through the real login over loopback, or made up in process
    /// (where the server side trusts the device's user).
    fn sign_in(&mut self, user: &User) -> Result<Session, Broken> {
        let (base, http) = match &self.server {
            Server::InProcess(_) => {
                return Ok(Session {
                    access_token: "simulated".into(),
                    refresh_token: "simulated".into(),
                    expires_in: 900,
                    second_factor_setup: false,
                    device_token: None,
                    user: user.clone(),
                });
            }
            Server::Process { base, http, .. } => (base.clone(), http.clone()),
            // Through one instance: the others must take its tokens (the key is in the
            // database).
            Server::Cluster(cluster) => {
                let up: Vec<&(std::process::Child, String)> =
                    cluster.instances.iter().flatten().collect();
                if up.is_empty() {
                    return Err(Broken("no instance is up to sign in through".into()));
                }
                let (_, base) = up[self.rng.below(up.len())];
                (base.clone(), cluster.http.clone())
            }
        };
        self.rt.block_on(async {
            let res = http
                .post(format!("{base}/v1/auth/login"))
                .json(&domain::sync::LoginRequest {
                    login: user.login.clone(),
                    password: demo::DEMO_PASSWORD.into(),
                    otp: None,
                    device_id: None,
                    device_token: None,
                })
                .send()
                .await
                .map_err(broken)?;
            if !res.status().is_success() {
                return Err(Broken(format!(
                    "sign-in of {}: {}",
                    user.login,
                    res.status()
                )));
            }
            res.json::<Session>().await.map_err(broken)
        })
    }

    /// The network and storage work normally until everyone has sent everything and has
    /// everything.
    pub fn settle(&mut self) -> Result<(), Broken> {
        if let Server::Cluster(cluster) = &mut self.server {
            for i in 0..cluster.instances.len() {
                cluster.start(i)?;
            }
        }
        self.deliver_orphans()?;
        for _ in 0..50 {
            let before: Vec<MemoryStore> = self.devices.iter().map(|d| d.tables.clone()).collect();
            if matches!(self.server, Server::Cluster(_)) {
                self.settle_at_once()?;
            }
            for d in 0..self.devices.len() {
                self.write(d, usize::MAX);
                let clock = self.clock;
                self.devices[d].event(Event::SyncNow, clock);
                while !self.devices[d].http.is_empty() {
                    self.deliver(d, Fault::None)?;
                    self.write(d, usize::MAX);
                }
            }
            let queued = self
                .devices
                .iter()
                .any(|d| !d.tables.table(Table::Outbox).is_empty());
            let moved = self
                .devices
                .iter()
                .zip(&before)
                .any(|(d, b)| d.tables != *b);
            if !moved && !queued {
                return Ok(());
            }
        }
        Err(Broken("the world did not settle in 50 rounds".into()))
    }

    /// What the audit says of each op: how many times it was applied, refused; and the ops
    /// applied, in the order the server applied them (the audit is written in the same
    /// atomic batch as the op, one entry per first decision).
    fn decisions(store: &dyn Store) -> Result<(Decided, Vec<OpId>), Broken> {
        let mut decided = Decided::new();
        let mut applied_in_order = Vec::new();
        for org in store.orgs().map_err(broken)? {
            let mut after = 0;
            loop {
                let page = store.audit_log(org, after, 1000).map_err(broken)?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                for e in &page {
                    if let AuditWhat::Op { op, applied, .. } = &e.what {
                        let d = decided.entry(*op).or_default();
                        if *applied {
                            d.0 += 1;
                            applied_in_order.push(*op);
                        } else {
                            d.1 += 1;
                        }
                    }
                }
            }
        }
        Ok((decided, applied_in_order))
    }

    /// After [`World::settle`]: every acknowledged op applied exactly once, no op decided
    /// twice (applied, or applied then refused on a later delivery), no op that was saved on
    /// a device lost, every device's stored replica what the server shows its user,
    /// every outbox empty, and every concurrent edit of a customer field one conflict
    /// ([`conflicts::check`]).
    pub fn check(&mut self) -> Result<(), Broken> {
        let store = self.store()?;
        let store = store.as_ref();
        let (decided, applied) = Self::decisions(store)?;
        for (op, (applied, refused)) in &decided {
            if *applied > 1 {
                return Err(Broken(format!("{op:?} applied {applied} times")));
            }
            // The audit holds first decisions: a later delivery replays the outcome.
            if applied + refused > 1 {
                return Err(Broken(format!(
                    "{op:?} decided {} times (applied {applied}, refused {refused})",
                    applied + refused
                )));
            }
        }
        for op in &self.acknowledged {
            if decided.get(op).map(|d| d.0) != Some(1) {
                return Err(Broken(format!(
                    "{op:?} was acknowledged but applied {:?} times",
                    decided.get(op)
                )));
            }
        }
        for op in &self.made {
            if !decided.contains_key(op) {
                return Err(Broken(format!("{op:?} was saved on a device and lost")));
            }
        }
        for device in &self.devices {
            if !device.tables.table(Table::Outbox).is_empty() {
                return Err(Broken(format!("{} still has queued ops", device.id)));
            }
            let server = Self::server_view(store, &device.user)?;
            let stored: BTreeMap<String, serde_json::Value> = device
                .tables
                .table(Table::Replica)
                .iter()
                .map(|(k, v)| {
                    serde_json::from_slice(v)
                        .map(|v| (k.clone(), v))
                        .map_err(broken)
                })
                .collect::<Result<_, _>>()?;
            if stored != server {
                let missing: Vec<_> = server
                    .keys()
                    .filter(|k| !stored.contains_key(*k))
                    .take(3)
                    .collect();
                let extra: Vec<_> = stored
                    .keys()
                    .filter(|k| !server.contains_key(*k))
                    .take(3)
                    .collect();
                let differ: Vec<_> = server
                    .iter()
                    .filter(|(k, v)| stored.get(*k).is_some_and(|s| s != *v))
                    .map(|(k, _)| k)
                    .take(3)
                    .collect();
                let first = differ
                    .first()
                    .map(|k| format!("\n device: {}\n server: {}", stored[*k], server[*k]))
                    .unwrap_or_default();
                return Err(Broken(format!(
                    "{}'s replica is not the server's view: {} vs {} records; missing {missing:?}, extra {extra:?}, different {differ:?}{first}",
                    device.id,
                    stored.len(),
                    server.len()
                )));
            }
        }
        let found = conflicts::check(self, store, &applied)?;
        self.edits_applied = found.edits;
        self.crossings = found.crossings.len();
        Ok(())
    }

    /// Every record the server would send `user` from the start, keyed as the device keys
    /// them.
    fn server_view(
        store: &dyn Store,
        user: &User,
    ) -> Result<BTreeMap<String, serde_json::Value>, Broken> {
        let scope = Scope::load(store, user.clone()).map_err(broken)?;
        let mut view = BTreeMap::new();
        let mut cursor = 0;
        loop {
            let feed = server::sync::pull(store, &scope, cursor).map_err(broken)?;
            for change in feed.changes {
                match change {
                    domain::sync::Change::Put { record } => {
                        let key = shared::model::storage::record_key(&record.key());
                        view.insert(key, serde_json::to_value(&*record).map_err(broken)?);
                    }
                    domain::sync::Change::Gone { key } => {
                        view.remove(&shared::model::storage::record_key(&key));
                    }
                }
            }
            cursor = feed.cursor;
            if !feed.more {
                return Ok(view);
            }
        }
    }

    /// The server's side of one request from device `d`: its status and body, or `None` when
    /// the server could not be reached (a process that is down).
    fn serve(&mut self, d: usize, req: &HttpRequest) -> Result<Answer, Broken> {
        match &self.server {
            Server::InProcess(store) => {
                if !req.url.ends_with("/v1/sync") {
                    return Err(Broken(format!("unexpected request {}", req.url)));
                }
                let store = store.as_ref();
                let body: SyncRequest = serde_json::from_slice(&req.body).map_err(broken)?;
                let user = &self.devices[d].user;
                let results = self
                    .rt
                    .block_on(server::sync::push(
                        store,
                        user,
                        &body.device_id,
                        &body.ops,
                        &domain::words::En,
                        &server::privacy::ErasureLog::default(),
                    ))
                    .map_err(broken)?;
                let scope = Scope::load(store, user.clone()).map_err(broken)?;
                let feed = server::sync::pull(store, &scope, body.cursor).map_err(broken)?;
                let body = serde_json::to_vec(&feed.answer(results)).map_err(broken)?;
                Ok(Some((200, body)))
            }
            Server::Process { base, http, .. } => {
                let send = request(http, base, req)?;
                Ok(self.rt.block_on(send))
            }
            // To an instance picked at random: nothing if it is down.
            Server::Cluster(cluster) => {
                let i = self.rng.below(cluster.instances.len());
                let Some((_, base)) = &cluster.instances[i] else {
                    self.cluster.unreachable += 1;
                    return Ok(None);
                };
                self.cluster.served[i] += 1;
                let send = request(&cluster.http, base, req)?;
                Ok(self.rt.block_on(send))
            }
        }
    }

    /// The same request sent twice at once, each copy to an instance picked at random; the
    /// answer that arrives is the second copy's.
    fn serve_twice_at_once(&mut self, req: &HttpRequest) -> Result<Answer, Broken> {
        self.cluster.twice_at_once += 1;
        let answers = self.serve_at_once(&[req, req])?;
        Ok(answers.into_iter().last().flatten())
    }

    /// Requests sent at the same time, each to an instance of the cluster picked at random;
    /// their answers, in order (`None`: that instance is down, or the connection failed).
    fn serve_at_once(&mut self, reqs: &[&HttpRequest]) -> Result<Vec<Answer>, Broken> {
        let Server::Cluster(cluster) = &self.server else {
            return Err(Broken("only a cluster serves requests at once".into()));
        };
        let mut sends = Vec::new();
        for req in reqs {
            let i = self.rng.below(cluster.instances.len());
            sends.push(match &cluster.instances[i] {
                Some((_, base)) => {
                    self.cluster.served[i] += 1;
                    Some(request(&cluster.http, base, req)?)
                }
                None => {
                    self.cluster.unreachable += 1;
                    None
                }
            });
        }
        Ok(self.rt.block_on(async {
            let running: Vec<_> = sends.into_iter().map(|c| c.map(tokio::spawn)).collect();
            let mut answers = Vec::new();
            for r in running {
                answers.push(match r {
                    Some(r) => r.await.ok().flatten(),
                    None => None,
                });
            }
            answers
        }))
    }

    /// One round of settling on a cluster: every device syncs, and their requests travel
    /// together (each device's oldest at once, each to an instance picked at random) until
    /// none is left.
    fn settle_at_once(&mut self) -> Result<(), Broken> {
        let clock = self.clock;
        for d in 0..self.devices.len() {
            self.write(d, usize::MAX);
            self.devices[d].event(Event::SyncNow, clock);
        }
        loop {
            let mut taken = Vec::new();
            for d in 0..self.devices.len() {
                if let Some(req) = self.devices[d].http.pop_front() {
                    taken.push((d, req));
                }
            }
            if taken.is_empty() {
                return Ok(());
            }
            for (_, req) in &taken {
                self.note_sent(&req.operation);
            }
            if taken.len() > 1 {
                self.cluster.at_once += taken.len();
            }
            let reqs: Vec<&HttpRequest> = taken.iter().map(|(_, r)| &r.operation).collect();
            let answers = self.serve_at_once(&reqs)?;
            for ((d, req), answer) in taken.into_iter().zip(answers) {
                self.answer(d, req, Fault::None, answer);
                self.write(d, usize::MAX);
            }
        }
    }
}

/// A device's request as the network sends it to the server at `base`: its status and body
/// once it is answered, `None` when the connection fails.
fn request(
    http: &reqwest::Client,
    base: &str,
    req: &HttpRequest,
) -> Result<impl Future<Output = Answer> + Send + 'static, Broken> {
    // The device's own request, sent to wherever the server listens now.
    let path = req.url.find("/v1/").map_or("/", |i| &req.url[i..]);
    let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(broken)?;
    let mut builder = http
        .request(method, format!("{base}{path}"))
        .body(req.body.clone());
    for h in &req.headers {
        builder = builder.header(&h.name, &h.value);
    }
    Ok(async move {
        match builder.send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                res.bytes().await.ok().map(|b| (status, b.to_vec()))
            }
            Err(_) => None,
        }
    })
}

/// The `server` binary beside this test's: `cargo test` builds it with the workspace.
pub fn server_bin() -> Result<PathBuf, Broken> {
    let exe = std::env::current_exe().map_err(broken)?;
    // target/<profile>/deps/<test> → target/<profile>/server
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("server"))
        .ok_or_else(|| Broken("no target folder".into()))?;
    if bin.exists() {
        Ok(bin)
    } else {
        Err(Broken(format!(
            "{} is missing: `cargo build -p server` first",
            bin.display()
        )))
    }
}

/// Starts the server on its data (`--data DIR` or `--database URL`), on a free loopback
/// port; its process and address.
fn spawn(bin: &Path, flag: &str, data: &OsStr) -> Result<(std::process::Child, String), Broken> {
    use std::io::BufRead;
    let mut child = std::process::Command::new(bin)
        .arg(flag)
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("ROUNDS_LOG", "warn")
        .env("ROUNDS_ARGON2_MEMORY_KIB", "1024")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .map_err(broken)?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Broken("no stdout".into()))?;
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(broken)?;
        if let Some(addr) = line.strip_prefix("listening on ") {
            return Ok((child, addr.to_owned()));
        }
    }
    Err(Broken("the server exited before listening".into()))
}

fn open(dir: &Path) -> Result<Arc<dyn Store>, Broken> {
    Ok(Arc::new(
        server::store::sled::SledStore::open(dir).map_err(broken)?,
    ))
}

fn copy_dir(from: &Path, to: &PathBuf) -> Result<(), Broken> {
    std::fs::create_dir_all(to).map_err(broken)?;
    for entry in std::fs::read_dir(from).map_err(broken)? {
        let entry = entry.map_err(broken)?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(broken)?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(broken)?;
        }
    }
    Ok(())
}

impl Device {
    fn new(user: User, id: String, session: Session) -> Self {
        let mut tables = MemoryStore::default();
        if let Ok(bytes) = serde_json::to_vec(&session) {
            tables
                .tables
                .entry(Table::Meta)
                .or_default()
                .insert(shared::model::storage::SESSION.to_owned(), bytes);
        }
        Self {
            user,
            id,
            core: Core::new(),
            tables,
            http: VecDeque::new(),
            writes: VecDeque::new(),
        }
    }

    fn start(&mut self, clock: DateTime<Utc>) {
        self.core = Core::new();
        self.http.clear();
        self.writes.clear();
        self.event(
            Event::Start {
                server_url: "http://sim".into(),
                device_id: self.id.clone(),
            },
            clock,
        );
    }

    fn event(&mut self, event: Event, clock: DateTime<Utc>) {
        let effects = self.core.process_event(event);
        self.absorb(effects, clock);
    }

    /// Answers at once what a phone answers at once; keeps the rest for the test to decide.
    fn absorb(&mut self, effects: Vec<Effect>, clock: DateTime<Utc>) {
        let mut work: VecDeque<Effect> = effects.into();
        while let Some(effect) = work.pop_front() {
            let more = match effect {
                // The live channel never says anything here: devices sync when the test says.
                Effect::Render(_) | Effect::Notify(_) | Effect::Live(_) => None,
                Effect::Time(mut req) => match req.operation {
                    TimeRequest::Now => {
                        let instant = std::time::SystemTime::from(clock).into();
                        self.core
                            .resolve(&mut req, TimeResponse::Now { instant })
                            .ok()
                    }
                    // Timers never fire here: the test says when devices sync.
                    _ => None,
                },
                Effect::Location(mut req) => {
                    self.core.resolve(&mut req, LocationResponse::Unknown).ok()
                }
                Effect::KeyValue(mut req) => {
                    let response = match req.operation {
                        KeyValueOperation::Get { .. } => {
                            KeyValueResponse::Get { value: Value::None }
                        }
                        _ => KeyValueResponse::Delete {
                            previous: Value::None,
                        },
                    };
                    self.core
                        .resolve(&mut req, KeyValueResult::Ok { response })
                        .ok()
                }
                Effect::Http(req) => {
                    self.http.push_back(req);
                    None
                }
                Effect::Store(mut req) => match &req.operation {
                    StoreRequest::Load { .. } | StoreRequest::Estimate => {
                        let response = self.tables.answer(&req.operation);
                        self.core.resolve(&mut req, response).ok()
                    }
                    StoreRequest::Write { .. } => {
                        self.writes.push_back(req);
                        None
                    }
                },
            };
            work.extend(more.into_iter().flatten());
        }
    }

    /// Finishes the oldest unfinished write; answers the ops it saved.
    fn finish_write(&mut self, clock: DateTime<Utc>) -> Option<Vec<OpId>> {
        let mut req = self.writes.pop_front()?;
        let saved = match &req.operation {
            StoreRequest::Write { writes } => writes
                .iter()
                .filter_map(|w| match w {
                    Write::Put {
                        table: Table::Outbox,
                        value,
                        ..
                    } => serde_json::from_slice::<Op>(value).ok().map(|op| op.id),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let response = self.tables.answer(&req.operation);
        if let Ok(effects) = self.core.resolve(&mut req, response) {
            self.absorb(effects, clock);
        }
        Some(saved)
    }

    /// Whether the device stores the record.
    #[must_use]
    pub fn stores(&self, key: &RecordKey) -> bool {
        self.tables
            .tables
            .get(&Table::Replica)
            .is_some_and(|t| t.contains_key(&shared::model::storage::record_key(key)))
    }

    /// The conflicts the person sees in their inbox now.
    #[must_use]
    pub fn inbox(&self) -> Vec<domain::ids::ConflictId> {
        self.core
            .view()
            .conflicts
            .items
            .iter()
            .map(|c| c.id)
            .collect()
    }

    /// The device's jobs and people, as the core holds them, for picking what to do.
    #[must_use]
    pub fn stored_records(&self) -> Vec<Record> {
        self.tables
            .table(Table::Replica)
            .values()
            .filter_map(|v| serde_json::from_slice(v).ok())
            .collect()
    }
}

/// Keys a test may use to name records.
pub fn key_of(record: &Record) -> RecordKey {
    record.key()
}
