//! A small world for fault injection: the server's store (sled, on disk) and several devices
//! (the real Crux core, each over its own device database), in one process. Messages between
//! them are carried by hand, so that a test can lose, repeat or hold them back, restart a
//! device in the middle of a sync (losing the writes its storage had not finished), and crash
//! the server's store (reopening a copy of its files taken while it ran, as a kill leaves them).
//!
//! The shell side here is what a phone's shell does, minus the screen: one handler per effect.
//! Sign-in is skipped (each device starts with a stored session; the server side trusts the
//! device's user), since authentication is not what is under test.

pub mod conflicts;
pub mod steps;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
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
}

/// Where the server runs: its store in this process, or a real server process over loopback
/// (killed with SIGKILL to crash it).
enum Server {
    InProcess(Arc<dyn Store>),
    Process {
        child: std::process::Child,
        base: String,
        data: PathBuf,
        http: reqwest::Client,
    },
}

impl Drop for World {
    fn drop(&mut self) {
        if let Server::Process { child, .. } = &mut self.server {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

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
        Self::build(seed, pick, None)
    }

    /// The same over loopback: a real server process (the `server` binary at `bin`) on the
    /// store, each device signed in through its login.
    pub fn over_loopback(
        seed: u64,
        bin: &Path,
        pick: impl Fn(&[Record]) -> Vec<User>,
    ) -> Result<Self, Broken> {
        Self::build(seed, pick, Some(bin))
    }

    fn build(
        seed: u64,
        pick: impl Fn(&[Record]) -> Vec<User>,
        bin: Option<&Path>,
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
        let data = dir.path().join("g0");
        let store = open(&data)?;
        let server = match bin {
            None => {
                rt.block_on(store.import(demo.records)).map_err(broken)?;
                Server::InProcess(store)
            }
            Some(bin) => {
                // Cheap password hashing: sign-in is not what is measured.
                let cost = server::auth::PasswordCost {
                    memory_kib: 1024,
                    passes: 1,
                };
                rt.block_on(server::run::seed_demo(&store, demo, cost))
                    .map_err(broken)?;
                drop(store);
                let (child, base) = spawn(bin, &data)?;
                Server::Process {
                    child,
                    base,
                    data,
                    http: reqwest::Client::new(),
                }
            }
        };
        let mut world = Self {
            rt,
            dir,
            generation: 0,
            server,
            devices: Vec::new(),
            clock,
            acknowledged: BTreeSet::new(),
            made: BTreeSet::new(),
            sent: BTreeMap::new(),
            customers_at_start,
            edits_applied: 0,
            crossings: 0,
            orphans: Vec::new(),
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
        let Some(mut req) = self.devices[d].http.pop_front() else {
            return Ok(());
        };
        if fault != Fault::DropRequest {
            self.note_sent(&req.operation);
        }
        let answer = match fault {
            Fault::DropRequest => None,
            Fault::None | Fault::DropResponse => self.serve(d, &req.operation)?,
            Fault::Duplicate => {
                self.serve(d, &req.operation)?;
                self.serve(d, &req.operation)?
            }
        };
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
        Ok(())
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
    pub fn crash_server(&mut self) -> Result<(), Broken> {
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
                let (c, b) = spawn(&server_bin()?, data)?;
                *child = c;
                *base = b;
            }
        }
        Ok(())
    }

    /// The store, read in this process (a server process is stopped first: only one may
    /// have the files open).
    fn store(&mut self) -> Result<Arc<dyn Store>, Broken> {
        if let Server::Process { child, data, .. } = &mut self.server {
            child.kill().map_err(broken)?;
            child.wait().map_err(broken)?;
            let store = open(data)?;
            self.server = Server::InProcess(store);
        }
        match &self.server {
            Server::InProcess(store) => Ok(store.clone()),
            Server::Process { .. } => Err(Broken("the server process is still running".into())),
        }
    }

    /// A session for `user`: through the real login over loopback, or made up in process
    /// (where the server side trusts the device's user).
    fn sign_in(&self, user: &User) -> Result<Session, Broken> {
        match &self.server {
            Server::InProcess(_) => Ok(Session {
                access_token: "simulated".into(),
                refresh_token: "simulated".into(),
                expires_in: 900,
                second_factor_setup: false,
                device_token: None,
                user: user.clone(),
            }),
            Server::Process { base, http, .. } => self.rt.block_on(async {
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
            }),
        }
    }

    /// The network and storage work normally until everyone has sent everything and has
    /// everything.
    pub fn settle(&mut self) -> Result<(), Broken> {
        self.deliver_orphans()?;
        for _ in 0..50 {
            let before: Vec<MemoryStore> = self.devices.iter().map(|d| d.tables.clone()).collect();
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

    /// After [`World::settle`]: every acknowledged op applied exactly once, no op that was
    /// saved on a device lost, every device's stored replica what the server shows its user,
    /// every outbox empty, and every concurrent edit of a customer field one conflict
    /// ([`conflicts::check`]).
    pub fn check(&mut self) -> Result<(), Broken> {
        let store = self.store()?;
        let store = store.as_ref();
        let (decided, applied) = Self::decisions(store)?;
        for (op, (applied, _)) in &decided {
            if *applied > 1 {
                return Err(Broken(format!("{op:?} applied {applied} times")));
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
    fn serve(&self, d: usize, req: &HttpRequest) -> Result<Option<(u16, Vec<u8>)>, Broken> {
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
                    ))
                    .map_err(broken)?;
                let scope = Scope::load(store, user.clone()).map_err(broken)?;
                let feed = server::sync::pull(store, &scope, body.cursor).map_err(broken)?;
                let body = serde_json::to_vec(&feed.answer(results)).map_err(broken)?;
                Ok(Some((200, body)))
            }
            Server::Process { base, http, .. } => {
                // The device's own request, sent to wherever the server listens now.
                let path = req.url.find("/v1/").map_or("/", |i| &req.url[i..]);
                let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(broken)?;
                let mut builder = http
                    .request(method, format!("{base}{path}"))
                    .body(req.body.clone());
                for h in &req.headers {
                    builder = builder.header(&h.name, &h.value);
                }
                self.rt.block_on(async {
                    match builder.send().await {
                        Ok(res) => {
                            let status = res.status().as_u16();
                            Ok(res.bytes().await.ok().map(|b| (status, b.to_vec())))
                        }
                        Err(_) => Ok(None),
                    }
                })
            }
        }
    }
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

/// Starts the server on `data`, on a free loopback port; its process and address.
fn spawn(bin: &Path, data: &Path) -> Result<(std::process::Child, String), Broken> {
    use std::io::BufRead;
    let mut child = std::process::Command::new(bin)
        .arg("--data")
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
