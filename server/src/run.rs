//! Starting the server on a listener, seeding the demo organization, and the operator
//! commands (organizations, stores, users, passwords, export).

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use demo::{Demo, DemoLogin};
use domain::ids::{OrgId, UserId};
use domain::ops::{Record, RecordKind};
use domain::org::{OrgSettings, Organization, Role, User};
use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::{PasswordCost, PasswordError, hash_password};
use crate::http::{ApiConfig, AppState, app};
use crate::store::{self, Store};

#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
}

/// A server running in this process (tests and the bench use it; `serve` waits on it).
pub struct Running {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Waits until the server stops by itself (its `stop` future resolved).
    pub async fn stop_when_done(self) -> std::io::Result<()> {
        let Running { shutdown, task, .. } = self;
        let result = task.await.map_err(std::io::Error::other)?;
        drop(shutdown);
        result
    }

    /// Stops accepting, finishes in-flight requests, and returns.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Serves the API on `listener` until `stop` (or the returned handle's `stop`).
pub fn start(
    listener: TcpListener,
    store: Arc<dyn Store>,
    config: ApiConfig,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let state = AppState::new(store, config);
    // The lookup indexes are built in the background: the server answers at once, and a
    // search that comes first waits for its organization's index.
    let (lookups, st) = (state.lookups.clone(), state.store.clone());
    tokio::task::spawn_blocking(move || {
        if let Err(e) = lookups.warm(st.as_ref()) {
            tracing::warn!(error = %e, "building the lookup indexes failed; searches build them");
        }
    });
    // Imports that were running when the server stopped continue.
    state.imports.resume(&state);
    // What is past its retention goes, hourly (every instance may: it is idempotent).
    crate::privacy::retention_schedule(Arc::downgrade(&state.store), state.config.retention_every);
    let live = state.live.clone();
    // Changes made through the other instances on the same database reach this one's live
    // channels too (PostgreSQL: LISTEN/NOTIFY).
    if let Some(mut heard) = state.store.announcements() {
        let live = live.clone();
        tokio::spawn(async move {
            while let Some(a) = heard.recv().await {
                live.changed(a.org, &a.device);
            }
        });
    }
    let router = app(state);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            tokio::select! {
                () = stop => {}
                _ = rx => {}
            }
            live.close();
        })
        .await
    });
    Ok(Running {
        addr,
        shutdown: Some(tx),
        task,
    })
}

/// Writes the demo organization into an empty store and sets every demo password.
pub async fn seed_demo(
    store: &Arc<dyn Store>,
    demo: Demo,
    cost: PasswordCost,
) -> Result<Vec<DemoLogin>, RunError> {
    if !store.orgs()?.is_empty() {
        return Err(RunError::Invalid(
            "--demo only seeds an empty database; this one already has an organization".into(),
        ));
    }
    let logins = demo.logins;
    // Hashing is the slow part (seconds at the real cost): done before anything is written,
    // so that a start interrupted while seeding does not leave an organization nobody can
    // sign in to (a second `--demo` start leaves existing data alone).
    let hashed = {
        let logins = logins.clone();
        tokio::task::spawn_blocking(move || {
            logins
                .iter()
                .map(|l| hash_password(&l.password, cost).map(|h| (l.user, h)))
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(|e| RunError::Invalid(e.to_string()))??
    };
    store.import(demo.records).await?;
    for (user, hash) in hashed {
        store.set_password(user, hash).await?;
    }
    Ok(logins)
}

/// `admin create-org`: an organization and its first admin, the CLI's only bootstrap; stores,
/// people, profiles and the catalogues are made on the admin console, as ops.
pub async fn create_org(
    store: &Arc<dyn Store>,
    name: &str,
    admin_login: &str,
    admin_name: &str,
    password: &str,
    cost: PasswordCost,
) -> Result<(OrgId, UserId), RunError> {
    let org = Organization {
        id: OrgId::new(),
        name: non_empty("name", name)?,
        skills: Vec::new(),
        settings: OrgSettings::default(),
    };
    let user = User {
        id: UserId::new(),
        org: org.id,
        name: non_empty("admin name", admin_name)?,
        login: non_empty("login", &domain::org::normalize_login(admin_login))?,
        phone: None,
        roles: vec![Role::Admin],
        stores: Vec::new(),
        active: true,
        follow_up_capacity: None,
    };
    let hash = hash_password(password, cost)?;
    let (org_id, user_id) = (org.id, user.id);
    store
        .import(vec![Record::Org(org), Record::User(user)])
        .await?;
    store.set_password(user_id, hash).await?;
    Ok((org_id, user_id))
}

/// `admin reset-password`: also ends the user's sessions (the store bumps their epoch).
pub async fn reset_password(
    store: &Arc<dyn Store>,
    login: &str,
    password: &str,
    cost: PasswordCost,
) -> Result<UserId, RunError> {
    let creds = store
        .credentials(login)?
        .ok_or_else(|| RunError::Invalid(format!("no user with login '{login}'")))?;
    let hash = hash_password(password, cost)?;
    store.set_password(creds.user.id, hash).await?;
    Ok(creds.user.id)
}

/// `admin end-sessions`.
pub async fn end_sessions(store: &Arc<dyn Store>, login: &str) -> Result<UserId, RunError> {
    let creds = store
        .credentials(login)?
        .ok_or_else(|| RunError::Invalid(format!("no user with login '{login}'")))?;
    store.end_sessions(creds.user.id).await?;
    Ok(creds.user.id)
}

/// `admin remove-second-factor`: also ends the user's sessions.
pub async fn remove_second_factor(store: &Arc<dyn Store>, login: &str) -> Result<UserId, RunError> {
    let creds = store
        .credentials(login)?
        .ok_or_else(|| RunError::Invalid(format!("no user with login '{login}'")))?;
    store.put_second_factor(creds.user.id, None).await?;
    store.end_sessions(creds.user.id).await?;
    Ok(creds.user.id)
}

/// `admin export`: every record of the organization, then its audit log, as JSON lines.
pub fn export(store: &dyn Store, org: OrgId, out: &mut dyn Write) -> Result<usize, RunError> {
    let mut n = 0;
    let line = |out: &mut dyn Write, v: serde_json::Value| -> Result<(), RunError> {
        serde_json::to_writer(&mut *out, &v).map_err(|e| RunError::Invalid(e.to_string()))?;
        out.write_all(b"\n")?;
        Ok(())
    };
    for kind in [
        RecordKind::Organization,
        RecordKind::Store,
        RecordKind::User,
        RecordKind::Technician,
        RecordKind::Customer,
        RecordKind::Asset,
        RecordKind::Job,
        RecordKind::Lead,
        RecordKind::Interaction,
        RecordKind::FollowUp,
        RecordKind::Conflict,
        RecordKind::Purchase,
    ] {
        let mut after = None;
        loop {
            let page = store.list(org, kind, after, 1_000)?;
            for r in page.records {
                line(out, serde_json::json!({ "record": r }))?;
                n += 1;
            }
            if page.next.is_none() {
                break;
            }
            after = page.next;
        }
    }
    let mut after = 0;
    loop {
        let entries = store.audit_log(org, after, 1_000)?;
        let Some(last) = entries.last() else { break };
        after = last.seq;
        for e in entries {
            line(out, serde_json::json!({ "audit": e }))?;
            n += 1;
        }
    }
    Ok(n)
}

fn non_empty(what: &str, v: &str) -> Result<String, RunError> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 200 {
        return Err(RunError::Invalid(format!(
            "{what} must be 1 to 200 characters"
        )));
    }
    Ok(v.to_owned())
}
