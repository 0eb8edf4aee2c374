//! The one harness of the server's tests: a real server on 127.0.0.1 over a real sled store
//! in a temp dir, seeded with a small demo organization (or left empty), and a client for it;
//! and the real binary as a child process, for what only a process can show (a SIGKILL, a
//! refused start).

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use demo::{DemoLogin, DemoSize, generate_at};
use domain::ids::{OpId, UserId};
use domain::jobs::Job;
use domain::ops::{Op, OpKind, Record};
use domain::sync::SyncResponse;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::auth::PasswordCost;
use server::http::ApiConfig;
use server::run::{self, Running};
use server::store::{SledStore, Store};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Password hashing cheap enough for tests (the real cost takes most of a second a hash).
pub const CHEAP: PasswordCost = PasswordCost {
    memory_kib: 64,
    passes: 1,
};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "rounds-demo";

/// The demo organization a test server is seeded with.
pub struct Demo {
    pub seed: u64,
    /// When the demo is generated: what its "today" and its jobs' times hang on.
    pub now: DateTime<Utc>,
    pub size: DemoSize,
}

impl Default for Demo {
    fn default() -> Self {
        Self {
            seed: 7,
            now: Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
            size: DemoSize {
                technicians_per_store: 3,
                reps_per_store: 2,
                customers: 120,
                open_jobs: 40,
                past_jobs: 40,
                leads: 40,
            },
        }
    }
}

pub struct Env {
    pub _dir: tempfile::TempDir,
    pub store: Arc<SledStore>,
    pub running: Option<Running>,
    pub base: String,
    /// The demo's records as seeded (empty when the store was left empty).
    pub records: Vec<Record>,
    pub logins: Vec<DemoLogin>,
    pub http: reqwest::Client,
}

/// A server with `config` (passwords hashed at [`CHEAP`] cost) over a new store, seeded with
/// `demo` unless it is `None`.
pub async fn start(demo: Option<Demo>, config: ApiConfig) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SledStore::open(dir.path()).unwrap());
    let dyn_store: Arc<dyn Store> = store.clone();
    let (records, logins) = match demo {
        Some(d) => {
            let demo = generate_at(d.seed, d.now, &d.size);
            let records = demo.records.clone();
            let logins = run::seed_demo(&dyn_store, demo, CHEAP).await.unwrap();
            (records, logins)
        }
        None => (Vec::new(), Vec::new()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let running = run::start(
        listener,
        dyn_store,
        ApiConfig {
            password_cost: CHEAP,
            ..config
        },
        std::future::pending(),
    )
    .unwrap();
    Env {
        base: format!("http://{}", running.addr),
        _dir: dir,
        store,
        running: Some(running),
        records,
        logins,
        http: reqwest::Client::new(),
    }
}

/// A server with `config` over the default demo.
pub async fn env_with(config: ApiConfig) -> Env {
    start(Some(Demo::default()), config).await
}

/// A server with the default settings over the default demo.
pub async fn env() -> Env {
    env_with(ApiConfig::default()).await
}

impl Env {
    pub fn login_of(&self, user: UserId) -> &str {
        &self.logins.iter().find(|l| l.user == user).unwrap().login
    }

    /// Signs a demo login in; its access token.
    pub async fn token(&self, login: &str) -> String {
        let (s, v) = self
            .post(
                None,
                "/v1/auth/login",
                json!({"login": login, "password": DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> (StatusCode, Value) {
        let mut r = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let res = r.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, token: Option<&str>, path: &str, body: Value) -> (StatusCode, Value) {
        self.post_raw(token, path, body.to_string(), "application/json")
            .await
    }

    pub async fn post_raw(
        &self,
        token: Option<&str>,
        path: &str,
        body: String,
        content_type: &str,
    ) -> (StatusCode, Value) {
        let mut r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let res = r.send().await.unwrap();
        let status = res.status();
        if status.is_client_error() || status.is_server_error() {
            assert_eq!(
                res.headers()["content-type"],
                "application/problem+json",
                "{path}"
            );
        }
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn sync(&self, token: &str, device: &str, cursor: u64, ops: &[Op]) -> SyncResponse {
        let (s, v) = self
            .post(
                Some(token),
                "/v1/sync",
                json!({"device_id": device, "cursor": cursor, "ops": ops}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        serde_json::from_value(v).unwrap()
    }

    /// Syncs from scratch until nothing more is waiting; the cursor reached.
    pub async fn catch_up(&self, token: &str) -> u64 {
        let mut cursor = 0;
        loop {
            let r = self.sync(token, "phone", cursor, &[]).await;
            cursor = r.cursor;
            if !r.more {
                return cursor;
            }
        }
    }

    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.records.iter().filter_map(|r| match r {
            Record::Job(j) => Some(j),
            _ => None,
        })
    }

    pub fn customers(&self) -> impl Iterator<Item = &domain::customers::Customer> {
        self.records.iter().filter_map(|r| match r {
            Record::Customer(c) => Some(c),
            _ => None,
        })
    }

    pub fn user(&self, login: &str) -> domain::org::User {
        let id = self.logins.iter().find(|l| l.login == login).unwrap().user;
        self.records
            .iter()
            .find_map(|r| match r {
                Record::User(u) if u.id == id => Some(u.clone()),
                _ => None,
            })
            .unwrap()
    }
}

pub fn masked(customer: &Value) -> bool {
    let detail = customer["address"]["detail"].as_str().unwrap();
    if let Some(phone) = customer["phones"][0]["raw"].as_str() {
        assert_eq!(detail == "***", phone.contains("****"), "{customer}");
    }
    detail == "***"
}

pub fn op(actor: UserId, kind: OpKind) -> Op {
    Op {
        id: OpId::new(),
        actor,
        at: Utc::now(),
        location: None,
        kind,
    }
}

/// The server binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_server");

/// Password hashing of the binary (`ROUNDS_ARGON2_MEMORY_KIB`), cheap as in [`CHEAP`].
const BIN_ARGON2_MEMORY_KIB: &str = "256";

/// Where the binary keeps its data: a sled directory, or a PostgreSQL database.
#[derive(Clone, Copy)]
pub enum Data<'a> {
    Dir(&'a Path),
    Database(&'a str),
}

impl Data<'_> {
    fn args(self) -> Vec<std::ffi::OsString> {
        match self {
            Data::Dir(d) => vec!["--data".into(), d.into()],
            Data::Database(url) => vec!["--database".into(), url.into()],
        }
    }
}

/// Runs `server --data DIR admin ARGS...` (or `--database URL`) with `password` as
/// `ROUNDS_PASSWORD`; its output.
pub fn admin_command(data: Data<'_>, password: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(BIN)
        .args(data.args())
        .arg("admin")
        .args(args)
        .env("ROUNDS_ARGON2_MEMORY_KIB", BIN_ARGON2_MEMORY_KIB)
        .env("ROUNDS_PASSWORD", password)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Starts `server --data DIR serve` (or `--database URL`) on a free port as a child process
/// (killed when dropped); the child and its base URL, once it listens.
pub async fn serve_process(data: Data<'_>) -> (Child, String) {
    serve_process_args(data, &[]).await
}

/// [`serve_process`] with more arguments to `serve`.
pub async fn serve_process_args(data: Data<'_>, more: &[&std::ffi::OsStr]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(data.args())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(more)
        .env("ROUNDS_ARGON2_MEMORY_KIB", BIN_ARGON2_MEMORY_KIB)
        .env("ROUNDS_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(addr) = line.strip_prefix("listening on ") {
                return addr.to_owned();
            }
        }
        panic!("the server exited before listening");
    })
    .await
    .expect("the server did not start in time");
    (child, base)
}

/// Pushes `ops` to `base` as `device` and requires every one applied; the answer.
pub async fn push_applied(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    device: &str,
    ops: &[Op],
) -> SyncResponse {
    let res: SyncResponse = http
        .post(format!("{base}/v1/sync"))
        .bearer_auth(token)
        .json(&json!({"device_id": device, "cursor": 0, "ops": ops}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for r in &res.results {
        assert!(
            matches!(r.status, domain::sync::OpStatus::Applied { .. }),
            "{r:?}"
        );
    }
    res
}

/// Signs `login` in at `base`; the access token.
pub async fn sign_in(http: &reqwest::Client, base: &str, login: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// One `POST /v1/sync` with nothing to push, answered 200: what `device` gets after `cursor`.
pub async fn pull_from(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    device: &str,
    cursor: u64,
) -> SyncResponse {
    let res = http
        .post(format!("{base}/v1/sync"))
        .bearer_auth(token)
        .json(&json!({"device_id": device, "cursor": cursor, "ops": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Serves `store` on a free loopback port with cheap passwords; the server and its base URL.
pub async fn serve_store(store: Arc<dyn Store>) -> (Running, String) {
    serve_store_with(store, ApiConfig::default()).await
}

/// [`serve_store`] with `config` (its password cost made cheap).
pub async fn serve_store_with(store: Arc<dyn Store>, config: ApiConfig) -> (Running, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let running = run::start(
        listener,
        store,
        ApiConfig {
            password_cost: CHEAP,
            ..config
        },
        std::future::pending(),
    )
    .unwrap();
    let base = format!("http://{}", running.addr);
    (running, base)
}

/// `actor` creates a plain customer of `store` in Shanghai, named and with a phone.
pub fn new_customer(actor: UserId, store: domain::ids::StoreId, name: &str, phone: &str) -> Op {
    op(
        actor,
        OpKind::CreateCustomer(domain::ops::NewCustomer {
            id: domain::ids::CustomerId::new(),
            store,
            name: name.into(),
            phones: vec![phone.into()],
            address: domain::places::Address {
                city: "Shanghai".into(),
                ..domain::places::Address::default()
            },
            kind: domain::customers::CustomerKind::Individual,
            tags: Vec::new(),
            tier: domain::customers::Tier::Standard,
            marketing_consent: false,
            birthday: None,
            owner: None,
        }),
    )
}
