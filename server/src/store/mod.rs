//! Storage behind one narrow trait: sled (`sled.rs`, embedded, the default) and PostgreSQL
//! (`postgres.rs`, for a database several instances share). Both pass one contract test suite
//! (`server/tests/it/store_contract.rs`).
//!
//! **Invariant:** every data change goes through [`domain::ops::apply`] inside
//! [`Store::apply`]; the only other writes are bootstrap imports (organizations and users,
//! for which no op exists), credentials, session epochs, second factors, refresh sessions
//! and the audit log.
//!
//! **Invariant:** a future returned by a write method resolves only once the write is durable.

mod keys;
pub mod postgres;
pub mod sled;

use std::future::Future;
use std::pin::Pin;

use crate::auth::{Counted, LoginLimits};
use chrono::{DateTime, Utc};
use domain::ids::{JobId, OrgId, StoreId, UserId};
use domain::ops::{Op, OpOutcome, Record, RecordKey, RecordKind};
use domain::org::User;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

pub use self::postgres::PgStore;
pub use self::sled::SledStore;

/// The index key of a login, for the test that the limiter and the lookup normalise alike.
#[cfg(test)]
pub(crate) fn login_key(login: &str) -> Vec<u8> {
    keys::login(login)
}

/// A position in an organization's change log. Strictly increasing per organization.
pub type Seq = u64;

/// A write that resolves once it is durable.
pub type Waiting<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

/// Ops from one device, applied in order, each atomically.
#[derive(Clone, Debug)]
pub struct Submission {
    pub org: OrgId,
    pub device: String,
    pub ops: Vec<Op>,
}

/// Who a record concerns, kept beside each change-log entry so that a sync can skip the
/// changes its caller cannot see without reading the records. Derived from the record alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hint {
    /// The stores the record belongs to.
    pub stores: Vec<StoreId>,
    /// People it is about or assigned to (owner, author, technicians past and present).
    pub people: Vec<UserId>,
    /// Ids of records it hangs off (customer, job, lead), and its own.
    pub refs: Vec<Uuid>,
}

impl Hint {
    #[must_use]
    pub fn of(record: &Record) -> Self {
        let mut h = Hint::default();
        match record {
            Record::Org(_) => {}
            Record::Store(s) => h.stores.push(s.id),
            Record::User(u) => {
                h.stores.clone_from(&u.stores);
                h.people.push(u.id);
            }
            Record::Technician(t) => {
                h.stores.push(t.store);
                h.people.push(t.user);
            }
            Record::Customer(c) => {
                h.stores.push(c.store);
                h.people.extend(c.owner);
                h.people.extend(c.previous_owners.iter().copied());
                h.refs.push(c.id.0);
            }
            Record::Asset(a) => h.refs.push(a.customer.0),
            // Filed under the customer (not the selling store, which may not be theirs): whoever
            // sees the customer sees what they bought.
            Record::Purchase(p) => h.refs.push(p.customer.0),
            Record::Job(j) => {
                h.stores.push(j.store);
                h.people.extend(j.workers());
                for c in &j.history {
                    for t in c.technician.iter().chain(&c.crew) {
                        if !h.people.contains(t) {
                            h.people.push(*t);
                        }
                    }
                }
                h.refs.extend([j.id.0, j.customer.0]);
            }
            Record::Lead(l) => {
                h.stores.push(l.store);
                h.people.push(l.owner);
                h.refs.push(l.id.0);
            }
            Record::Interaction(i) => {
                h.people.push(i.author);
                h.refs.extend(i.job.map(|j| j.0));
                h.refs.extend(i.lead.map(|l| l.0));
                h.refs.extend(i.customer.map(|c| c.0));
            }
            Record::FollowUp(f) => {
                h.stores.push(f.store);
                h.people.push(f.owner);
                h.people
                    .extend(f.previous_owners.iter().filter(|p| **p != f.owner));
                h.refs.push(f.id.0);
            }
            Record::Conflict(c) => {
                h.stores.push(c.store);
                for p in c.authors() {
                    if !h.people.contains(&p) {
                        h.people.push(p);
                    }
                }
                h.refs.push(c.record.uuid());
            }
        }
        h
    }
}

impl Hint {
    /// The feeds a change is also filed under: the people and records it concerns, and the
    /// organization itself for what everyone may see (the organization and its stores).
    #[must_use]
    pub fn parties(&self, kind: RecordKind, org: OrgId) -> Vec<Uuid> {
        let mut out: Vec<Uuid> = self.people.iter().map(|p| p.0).collect();
        out.extend(self.refs.iter().copied());
        if matches!(kind, RecordKind::Organization | RecordKind::Store) {
            out.push(org.0);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Changes after a cursor, as far as one scan went.
#[derive(Clone, Debug, Default)]
pub struct ChangePage {
    /// Each changed record at its latest version, oldest change first.
    pub entries: Vec<(Seq, Record)>,
    /// The cursor to continue from: the last sequence number this page covers.
    pub last: Seq,
    /// The newest durable sequence number of the organization.
    pub head: Seq,
}

/// One page of a kind's records in id (creation) order.
#[derive(Clone, Debug, Default)]
pub struct ListPage {
    pub records: Vec<Record>,
    /// The id to continue after, when the scan stopped before the end.
    pub next: Option<Uuid>,
}

pub use domain::audit::{AuditEntry, AuditWhat, FieldChange};

/// What login needs: the user and their password hash.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

/// A refresh token's session, stored under the token's hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefreshSession {
    pub user: UserId,
    pub org: OrgId,
    pub expires_at: DateTime<Utc>,
    /// The user's session epoch at sign-in ([`Store::session_epoch`]); refused once older.
    #[serde(default)]
    pub epoch: u64,
    /// Signed in with a second factor: an admin's session from before their organization
    /// required one does not refresh once it does.
    #[serde(default)]
    pub second_factor: bool,
    /// The device it was opened on, if the sign-in named one (remote sign-out ends it).
    #[serde(default)]
    pub device: Option<String>,
}

/// A user's second factor: a TOTP secret (pending until the first code confirms it) and the
/// hashes of the unused recovery codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecondFactor {
    pub secret: Vec<u8>,
    pub confirmed: bool,
    /// The last TOTP step accepted: a code is accepted once (RFC 6238 section 5.2).
    pub last_step: u64,
    pub recovery: Vec<[u8; 32]>,
}

/// Spending one second-factor code, atomically with every other write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactorUse {
    /// A TOTP step: accepted when later than the last one accepted.
    Step(u64),
    /// A recovery code's hash: accepted (and removed) when it is one of the unused ones.
    Recovery([u8; 32]),
}

/// A device signed out remotely: at its next contact it sends what it has queued, then is
/// told to remove everything (`SyncResponse::wipe`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceSignOut {
    /// Whose device it is.
    pub user: UserId,
    /// Who signed it out, and when.
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// Counters for the benchmark and the logs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Durable flushes (one per group commit).
    pub flushes: u64,
    /// Ops decided for the first time.
    pub ops: u64,
}

pub trait Store: Send + Sync {
    /// Applies each op with [`domain::ops::apply`], atomically per op, and resolves with one
    /// outcome per op once all of them are durable. A replayed op returns its first outcome.
    fn apply(&self, submission: Submission) -> Waiting<Vec<OpOutcome>>;
    /// Appends audit entries (their `seq` is assigned here).
    fn audit(&self, org: OrgId, entries: Vec<AuditEntry>) -> Waiting<()>;
    /// Replaces audit entries that exist, by their `seq`, with the given copies: an erased
    /// customer's personal data leaves the before-and-after values (`crate::privacy`).
    fn rewrite_audit(&self, org: OrgId, entries: Vec<AuditEntry>) -> Waiting<()>;
    /// Removes the organization's audit entries up to `seq`, inclusive (retention).
    fn delete_audit_through(&self, org: OrgId, seq: u64) -> Waiting<()>;
    /// Writes records as they are, with change-log entries: bootstrap of organizations and
    /// users (no op creates them) and the demo data.
    fn import(&self, records: Vec<Record>) -> Waiting<()>;
    /// Moves the organization's change-log head up to `at_least` (nothing when it is there
    /// already): a copy of another store's data (`crate::migrate`) logs its records after
    /// every cursor the devices hold from that store, so none of them skips a record.
    fn raise_head(&self, org: OrgId, at_least: Seq) -> Waiting<()>;
    /// Sets a password and, when it replaces one, ends every session of the user in the
    /// same write (bumps the session epoch).
    fn set_password(&self, user: UserId, hash: String) -> Waiting<()>;
    /// Ends every session of a user on every server instance: bumps the user's session
    /// epoch, so that access tokens and refresh sessions issued before are refused at their
    /// next use. Resolves with the new epoch. For password resets (done by
    /// [`Store::set_password`]), "sign out everywhere", and deactivation: a deactivated
    /// user is refused anyway (`active: false` is checked on every request and refresh),
    /// and bumping the epoch as well keeps old tokens dead if the user is reactivated, so
    /// the op path that deactivates a user should call this once the op is applied.
    fn end_sessions(&self, user: UserId) -> Waiting<u64>;
    /// The user's current session epoch (0 until sessions were first ended).
    fn session_epoch(&self, user: UserId) -> Result<u64, Error>;
    fn second_factor(&self, user: UserId) -> Result<Option<SecondFactor>, Error>;
    /// Writes (or with `None` removes) a user's second factor.
    fn put_second_factor(&self, user: UserId, factor: Option<SecondFactor>) -> Waiting<()>;
    /// Spends a code of a confirmed second factor; `false` when it was already spent or
    /// is not one of the user's. Atomic, so that a code works once even when raced.
    fn use_second_factor(&self, user: UserId, code: SecondFactorUse) -> Waiting<bool>;
    fn put_refresh(&self, token_hash: [u8; 32], session: RefreshSession) -> Waiting<()>;
    /// Marks a device as signed out remotely (see [`DeviceSignOut`]); it stays so.
    fn sign_out_device(&self, org: OrgId, device: String, mark: DeviceSignOut) -> Waiting<()>;
    fn device_sign_out(&self, org: OrgId, device: &str) -> Result<Option<DeviceSignOut>, Error>;
    /// Every device of the organization signed out remotely (for a copy to another store).
    fn device_sign_outs(&self, org: OrgId) -> Result<Vec<(String, DeviceSignOut)>, Error>;
    /// Removes and returns a refresh session, so that each refresh token works once.
    fn take_refresh(&self, token_hash: [u8; 32]) -> Waiting<Option<RefreshSession>>;

    /// The key access tokens are signed with, made on first start.
    fn signing_key(&self) -> [u8; 32];
    fn get(&self, key: RecordKey) -> Result<Option<Record>, Error>;
    /// The records at `keys`, in their order (`None` where there is none): one round trip on a
    /// database a network away, where a `get` each would cost one round trip each.
    fn get_many(&self, keys: &[RecordKey]) -> Result<Vec<Option<Record>>, Error> {
        keys.iter().map(|k| self.get(*k)).collect()
    }
    fn credentials(&self, login: &str) -> Result<Option<Credentials>, Error>;
    /// Changes with sequence numbers in `(after, head]`, looking at most at `max_scan` entries
    /// and reading only the records for which `wanted` says yes.
    fn changes(
        &self,
        org: OrgId,
        after: Seq,
        max_scan: usize,
        wanted: &dyn Fn(RecordKind, &Hint) -> bool,
    ) -> Result<ChangePage, Error>;
    /// Like [`Store::changes`], but only the entries filed under one of `parties` (see
    /// [`Hint::parties`]): what a caller whose scope is a handful of people and records reads,
    /// without scanning everyone else's changes.
    fn feed(
        &self,
        org: OrgId,
        parties: &[Uuid],
        after: Seq,
        limit: usize,
    ) -> Result<ChangePage, Error>;
    /// Records of one kind after `after`, looking at most at `max_scan` of them.
    fn list(
        &self,
        org: OrgId,
        kind: RecordKind,
        after: Option<Uuid>,
        max_scan: usize,
    ) -> Result<ListPage, Error>;
    /// Records linked to `link` (a customer's assets, jobs, leads...), as `apply` finds them.
    fn linked(&self, link: domain::ops::records::Link) -> Result<Vec<RecordKey>, Error>;
    /// Jobs the technician works now, as their technician or in their crew (any status).
    fn jobs_of(&self, technician: UserId) -> Result<Vec<JobId>, Error>;
    fn audit_log(&self, org: OrgId, after: u64, limit: usize) -> Result<Vec<AuditEntry>, Error>;
    fn orgs(&self) -> Result<Vec<OrgId>, Error>;
    fn stats(&self) -> StoreStats;

    /// Whether sign-in failures are counted here, shared by every instance on this database
    /// ([`crate::auth::RateLimiter`]); a store one process owns (sled) leaves them to that
    /// process's memory.
    fn shares_login_counts(&self) -> bool {
        false
    }

    /// Counts a sign-in attempt on the shared counters: the account's and the pair's counters
    /// are locked, [`LoginLimits::count`] runs on them, and what it leaves is stored.
    fn count_login(
        &self,
        _limits: LoginLimits,
        _account: Vec<u8>,
        _pair: Vec<u8>,
    ) -> Waiting<Counted> {
        Box::pin(std::future::ready(Err(Error::unusable(
            "this store does not share sign-in counters",
        ))))
    }

    /// Takes back one failure of the account and the pair ([`Store::count_login`]).
    fn refund_login(&self, _account: Vec<u8>, _pair: Vec<u8>) -> Waiting<()> {
        Box::pin(std::future::ready(Ok(())))
    }

    /// Tells the other server instances on this database that `org` changed through
    /// `device`, so that their live channels sync (`crate::live`). Nothing to tell for a
    /// store that one process alone writes (sled).
    fn announce(&self, _org: OrgId, _device: &str) -> Waiting<()> {
        Box::pin(std::future::ready(Ok(())))
    }

    /// What the other instances announce, as it arrives (this instance's own announcements
    /// are left out: it told its own channels already). `None` when there are no others.
    fn announcements(&self) -> Option<tokio::sync::mpsc::UnboundedReceiver<Announced>> {
        None
    }
}

/// A change another instance announced ([`Store::announce`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announced {
    pub org: OrgId,
    pub device: String,
}

#[derive(Debug, Error)]
#[error("{kind}")]
pub struct Error {
    pub kind: ErrorKind,
}

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ErrorKind {
    #[error("storage I/O failed: {0}")]
    Io(String),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("the store is shut down")]
    Closed,
    #[error("conflict: {0}")]
    Conflict(String),
    /// The store cannot start as configured (a wrong connection string, a database that cannot
    /// be reached, a schema from a newer version); the sentence says what to do.
    #[error("{0}")]
    Unusable(String),
}

impl Error {
    pub(crate) fn io(e: impl std::fmt::Display) -> Self {
        Self {
            kind: ErrorKind::Io(e.to_string()),
        }
    }
    pub(crate) fn corrupt(e: impl std::fmt::Display) -> Self {
        Self {
            kind: ErrorKind::Corrupt(e.to_string()),
        }
    }
    pub(crate) fn closed() -> Self {
        Self {
            kind: ErrorKind::Closed,
        }
    }
    pub(crate) fn conflict(e: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Conflict(e.into()),
        }
    }
    pub(crate) fn unusable(e: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Unusable(e.into()),
        }
    }
}

impl From<::sled::Error> for Error {
    fn from(e: ::sled::Error) -> Self {
        Self::io(e)
    }
}

/// The audit of an op decided for the first time: what it did, or why it was refused, with
/// the field changes it made. Both stores write this, so it is made once here.
pub(crate) fn op_audit(op: &Op, outcome: &OpOutcome, changes: Vec<FieldChange>) -> AuditWhat {
    AuditWhat::Op {
        op: op.id,
        kind: kind_name(op),
        made_at: op.at,
        applied: outcome.is_ok(),
        detail: match outcome {
            Ok(_) => "applied".into(),
            Err(e) => e.to_string(),
        },
        changed: outcome
            .as_ref()
            .map(|a| a.changed.clone())
            .unwrap_or_default(),
        changes,
    }
}

/// The audit of an op refused without a decision (an op id used before for something
/// else): nothing is remembered, but the attempt is on record.
pub(crate) fn undecided_audit(op: &Op, result: &OpOutcome) -> Option<AuditWhat> {
    match result {
        Err(e @ domain::ops::OpError::OpIdUsed) => Some(AuditWhat::Op {
            op: op.id,
            kind: kind_name(op),
            made_at: op.at,
            applied: false,
            detail: e.to_string(),
            changed: Vec::new(),
            changes: Vec::new(),
        }),
        _ => None,
    }
}

/// The person an applied op deactivates: their sessions end for good, so that reactivating
/// them later does not bring back tokens issued before.
pub(crate) fn deactivated(op: &Op, outcome: &OpOutcome) -> Option<UserId> {
    match op.kind {
        domain::ops::OpKind::SetUserActive {
            user,
            active: false,
        } if outcome.is_ok() => Some(user),
        _ => None,
    }
}

/// The op kind's name, as the audit lists it ("AssignJob").
pub(crate) fn kind_name(op: &Op) -> String {
    match serde_json::to_value(&op.kind) {
        Ok(serde_json::Value::Object(m)) => m.keys().next().cloned().unwrap_or_default(),
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
