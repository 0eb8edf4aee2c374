//! What every server test needs: a real server on 127.0.0.1 with a real sled store in a temp
//! dir, seeded with a small demo organization, and a client for it.
#![allow(dead_code, reason = "each test binary uses a part of the harness")]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::auth::PasswordCost;
use server::http::ApiConfig;
use server::run::{self, Running};
use server::store::{SledStore, Store};
use shared::demo::{DemoLogin, DemoSize, generate_at};
use shared::ids::{OpId, UserId};
use shared::jobs::Job;
use shared::ops::{Op, OpKind, Record};
use shared::sync::SyncResponse;

pub const CHEAP: PasswordCost = PasswordCost {
    memory_kib: 64,
    passes: 1,
};

pub struct Env {
    pub _dir: tempfile::TempDir,
    pub store: Arc<SledStore>,
    pub running: Option<Running>,
    pub base: String,
    pub records: Vec<Record>,
    pub logins: Vec<DemoLogin>,
    pub http: reqwest::Client,
}

pub async fn env_with(config: ApiConfig) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SledStore::open(dir.path()).unwrap());
    let dyn_store: Arc<dyn Store> = store.clone();
    let size = DemoSize {
        technicians_per_store: 3,
        reps_per_store: 2,
        customers: 120,
        open_jobs: 40,
        past_jobs: 40,
        leads: 40,
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
    let demo = generate_at(7, now, &size);
    let records = demo.records.clone();
    let logins = run::seed_demo(&dyn_store, demo, CHEAP).await.unwrap();
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

pub async fn env() -> Env {
    env_with(ApiConfig::default()).await
}

impl Env {
    pub fn login_of(&self, user: UserId) -> &str {
        &self.logins.iter().find(|l| l.user == user).unwrap().login
    }

    pub async fn token(&self, login: &str) -> String {
        let (s, v) = self
            .post(
                None,
                "/v1/auth/login",
                json!({"login": login, "password": "rounds-demo"}),
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

    pub fn customers(&self) -> impl Iterator<Item = &shared::customers::Customer> {
        self.records.iter().filter_map(|r| match r {
            Record::Customer(c) => Some(c),
            _ => None,
        })
    }

    pub fn user(&self, login: &str) -> shared::org::User {
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
