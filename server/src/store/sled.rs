//! The sled store: one tree, one writer thread, group commit.
//!
//! Every write goes to the writer thread. It takes everything that queued up while the
//! previous flush ran, applies it all into an in-memory overlay (each op in its own layer so
//! that a rejected op leaves nothing but its outcome), writes the overlay with one atomic
//! `apply_batch`, flushes once, and only then answers every waiting request. Readers never see
//! change-log entries past the durable head, so no cursor handed to a device can point at
//! something a crash could take back.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ::sled::{Batch, Db, Tree};
use chrono::Utc;
use domain::ids::{JobId, OpId, OrgId, UserId};
use domain::ops::records::Link;
use domain::ops::{
    Decided, OpOutcome, Query, Record, RecordKey, RecordKind, Records, StorageError, apply,
};
use domain::org::User;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::keys::{self, cat};
use super::{
    AuditEntry, ChangePage, Credentials, DeviceSignOut, Error, FieldChange, Hint, ListPage,
    RefreshSession, SecondFactor, SecondFactorUse, Seq, Store, StoreStats, Submission, Waiting,
};

/// Most messages one group commit takes, so that one group's latency stays bounded.
const MAX_GROUP: usize = 2_048;

pub struct SledStore {
    db: Db,
    tree: Tree,
    tx: Mutex<Option<mpsc::Sender<Message>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    shared: Arc<Shared>,
    key: [u8; 32],
}

/// What the writer publishes to readers.
#[derive(Default)]
struct Shared {
    durable_heads: RwLock<HashMap<OrgId, Seq>>,
    flushes: AtomicU64,
    ops: AtomicU64,
}

enum Write {
    Ops(Submission),
    Audit(OrgId, Vec<AuditEntry>),
    RewriteAudit(OrgId, Vec<AuditEntry>),
    DeleteAuditThrough(OrgId, u64),
    Import(Vec<Record>),
    RaiseHead(OrgId, Seq),
    Password(UserId, String),
    PutRefresh([u8; 32], RefreshSession),
    Put(Vec<u8>, Vec<u8>),
    TakeRefresh([u8; 32]),
    EndSessions(UserId),
    PutSecondFactor(UserId, Option<SecondFactor>),
    UseSecondFactor(UserId, SecondFactorUse),
    /// Runs on the writer thread once the group before it is durable, before any later write:
    /// the tree holds exactly what was acknowledged, and nothing changes while it runs.
    Quiet(QuietRead),
}

/// A read of the whole tree at a moment when no write is under way (a backup).
pub type QuietRead = Box<dyn FnOnce(&Tree) + Send>;

enum Reply {
    Outcomes(Vec<OpOutcome>),
    Done,
    Refresh(Option<RefreshSession>),
    Epoch(u64),
    Used(bool),
}

type Message = (Write, oneshot::Sender<Result<Reply, Error>>);

impl SledStore {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Self, Error> {
        let db = open_when_free(dir)?;
        let tree = db.open_tree("rounds")?;
        let key = match tree.get(keys::meta("signing-key"))? {
            Some(k) if k.len() == 32 => {
                let mut a = [0u8; 32];
                a.copy_from_slice(&k);
                a
            }
            _ => {
                let mut a = [0u8; 32];
                getrandom::fill(&mut a).map_err(Error::io)?;
                tree.insert(keys::meta("signing-key"), &a[..])?;
                db.flush()?;
                a
            }
        };
        backfill_holder_links(&db, &tree)?;
        let shared = Arc::new(Shared::default());
        {
            let mut heads = shared
                .durable_heads
                .write()
                .map_err(|_| Error::corrupt("lock"))?;
            for kv in tree.scan_prefix([keys::HEAD]) {
                let (k, v) = kv?;
                if let (Some(org), Some(seq)) = (keys::uuid_of(&k[1..]), keys::u64_of(&v)) {
                    heads.insert(OrgId(org), seq);
                }
            }
        }
        let (tx, rx) = mpsc::channel::<Message>();
        let writer = {
            let db = db.clone();
            let tree = tree.clone();
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("store-writer".into())
                .spawn(move || writer_loop(&db, &tree, &shared, &rx))
                .map_err(Error::io)?
        };
        Ok(Self {
            db,
            tree,
            tx: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            shared,
            key,
        })
    }

    fn send(&self, w: Write) -> oneshot::Receiver<Result<Reply, Error>> {
        let (tx, rx) = oneshot::channel();
        if let Ok(guard) = self.tx.lock()
            && let Some(s) = guard.as_ref()
        {
            // A failed send drops `tx`, and the receiver reports the store closed.
            let _ = s.send((w, tx));
        }
        rx
    }

    fn wait(&self, w: Write) -> Waiting<Reply> {
        let rx = self.send(w);
        Box::pin(async move { rx.await.map_err(|_| Error::closed())? })
    }

    fn done(&self, w: Write) -> Waiting<()> {
        let f = self.wait(w);
        Box::pin(async move { f.await.map(|_| ()) })
    }

    /// Stops the writer after it has finished what is queued, and flushes.
    pub fn close(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Ok(mut w) = self.writer.lock()
            && let Some(handle) = w.take()
        {
            let _ = handle.join();
        }
        let _ = self.db.flush();
    }

    /// Runs `read` on the writer thread after everything queued before it is durable and
    /// before anything queued after it is written (`backup` takes its snapshots this way:
    /// sled has no snapshot of its own, and every write goes through this thread). Writes
    /// wait meanwhile; they are queued, not refused.
    pub fn quiet_read(&self, read: QuietRead) -> Waiting<()> {
        self.done(Write::Quiet(read))
    }

    /// The organization's change-log head: the newest durable sequence number.
    pub fn durable_head(&self, org: OrgId) -> Result<Seq, Error> {
        Ok(self
            .shared
            .durable_heads
            .read()
            .map_err(|_| Error::corrupt("lock"))?
            .get(&org)
            .copied()
            .unwrap_or(0))
    }

    fn read_record(&self, key: &RecordKey) -> Result<Option<Record>, Error> {
        match self.tree.get(keys::record(key))? {
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(Error::corrupt),
            None => Ok(None),
        }
    }
}

impl Drop for SledStore {
    fn drop(&mut self) {
        self.close();
    }
}

impl Store for SledStore {
    fn apply(&self, submission: Submission) -> Waiting<Vec<OpOutcome>> {
        let f = self.wait(Write::Ops(submission));
        Box::pin(async move {
            match f.await? {
                Reply::Outcomes(o) => Ok(o),
                _ => Err(Error::corrupt("unexpected reply")),
            }
        })
    }

    fn audit(&self, org: OrgId, entries: Vec<AuditEntry>) -> Waiting<()> {
        self.done(Write::Audit(org, entries))
    }

    fn rewrite_audit(&self, org: OrgId, entries: Vec<AuditEntry>) -> Waiting<()> {
        self.done(Write::RewriteAudit(org, entries))
    }

    fn delete_audit_through(&self, org: OrgId, seq: u64) -> Waiting<()> {
        self.done(Write::DeleteAuditThrough(org, seq))
    }

    fn import(&self, records: Vec<Record>) -> Waiting<()> {
        self.done(Write::Import(records))
    }

    fn raise_head(&self, org: OrgId, at_least: Seq) -> Waiting<()> {
        self.done(Write::RaiseHead(org, at_least))
    }

    fn set_password(&self, user: UserId, hash: String) -> Waiting<()> {
        self.done(Write::Password(user, hash))
    }

    fn put_refresh(&self, token_hash: [u8; 32], session: RefreshSession) -> Waiting<()> {
        self.done(Write::PutRefresh(token_hash, session))
    }

    fn sign_out_device(&self, org: OrgId, device: String, mark: DeviceSignOut) -> Waiting<()> {
        match serde_json::to_vec(&mark) {
            Ok(v) => self.done(Write::Put(keys::wipe(org, &device), v)),
            Err(e) => Box::pin(async move { Err(Error::corrupt(e)) }),
        }
    }

    fn device_sign_out(&self, org: OrgId, device: &str) -> Result<Option<DeviceSignOut>, Error> {
        match self.tree.get(keys::wipe(org, device))? {
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(Error::corrupt),
            None => Ok(None),
        }
    }

    fn device_sign_outs(&self, org: OrgId) -> Result<Vec<(String, DeviceSignOut)>, Error> {
        let prefix = keys::wipe(org, "");
        let mut out = Vec::new();
        for entry in self.tree.scan_prefix(&prefix) {
            let (k, v) = entry?;
            let device = String::from_utf8(k[prefix.len()..].to_vec()).map_err(Error::corrupt)?;
            out.push((device, serde_json::from_slice(&v).map_err(Error::corrupt)?));
        }
        Ok(out)
    }

    fn take_refresh(&self, token_hash: [u8; 32]) -> Waiting<Option<RefreshSession>> {
        let f = self.wait(Write::TakeRefresh(token_hash));
        Box::pin(async move {
            match f.await? {
                Reply::Refresh(s) => Ok(s),
                _ => Err(Error::corrupt("unexpected reply")),
            }
        })
    }

    fn end_sessions(&self, user: UserId) -> Waiting<u64> {
        let f = self.wait(Write::EndSessions(user));
        Box::pin(async move {
            match f.await? {
                Reply::Epoch(e) => Ok(e),
                _ => Err(Error::corrupt("unexpected reply")),
            }
        })
    }

    fn session_epoch(&self, user: UserId) -> Result<u64, Error> {
        Ok(self
            .tree
            .get(keys::epoch(user))?
            .and_then(|v| keys::u64_of(&v))
            .unwrap_or(0))
    }

    fn second_factor(&self, user: UserId) -> Result<Option<SecondFactor>, Error> {
        match self.tree.get(keys::second_factor(user))? {
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(Error::corrupt),
            None => Ok(None),
        }
    }

    fn put_second_factor(&self, user: UserId, factor: Option<SecondFactor>) -> Waiting<()> {
        self.done(Write::PutSecondFactor(user, factor))
    }

    fn use_second_factor(&self, user: UserId, code: SecondFactorUse) -> Waiting<bool> {
        let f = self.wait(Write::UseSecondFactor(user, code));
        Box::pin(async move {
            match f.await? {
                Reply::Used(u) => Ok(u),
                _ => Err(Error::corrupt("unexpected reply")),
            }
        })
    }

    fn signing_key(&self) -> [u8; 32] {
        self.key
    }

    fn get(&self, key: RecordKey) -> Result<Option<Record>, Error> {
        self.read_record(&key)
    }

    fn credentials(&self, login: &str) -> Result<Option<Credentials>, Error> {
        let Some(id) = self.tree.get(keys::login(login))? else {
            return Ok(None);
        };
        let id = UserId(keys::uuid_of(&id).ok_or_else(|| Error::corrupt("login index"))?);
        let Some(Record::User(user)) = self.read_record(&RecordKey::User(id))? else {
            return Ok(None);
        };
        let password_hash = self
            .tree
            .get(keys::password(id))?
            .map(|h| String::from_utf8_lossy(&h).into_owned());
        Ok(Some(Credentials {
            user,
            password_hash,
        }))
    }

    fn feed(
        &self,
        org: OrgId,
        parties: &[Uuid],
        after: Seq,
        limit: usize,
    ) -> Result<ChangePage, Error> {
        let head = self.durable_head(org)?;
        let after = if after > head { 0 } else { after };
        let mut page = ChangePage {
            entries: Vec::new(),
            last: head,
            head,
        };
        if after >= head {
            return Ok(page);
        }
        let mut found: BTreeMap<Seq, RecordKey> = BTreeMap::new();
        for party in parties {
            let from = keys::feed(org, *party, after + 1);
            let to = keys::feed(org, *party, head);
            for kv in self.tree.range(from..=to) {
                let (k, v) = kv?;
                let seq = keys::u64_of(&k[33..]).ok_or_else(|| Error::corrupt("feed key"))?;
                let key = keys::parse_record_key(&v).ok_or_else(|| Error::corrupt("feed entry"))?;
                found.insert(seq, key);
            }
        }
        if found.len() > limit
            && let Some((&cut, _)) = found.iter().nth(limit)
        {
            page.last = cut - 1;
            found.split_off(&cut);
        }
        for (seq, key) in found {
            if let Some(r) = self.read_record(&key)? {
                page.entries.push((seq, r));
            }
        }
        Ok(page)
    }

    fn changes(
        &self,
        org: OrgId,
        after: Seq,
        max_scan: usize,
        wanted: &dyn Fn(RecordKind, &Hint) -> bool,
    ) -> Result<ChangePage, Error> {
        let head = self.durable_head(org)?;
        // A cursor from the future (a restored backup, a confused device) starts over.
        let after = if after > head { 0 } else { after };
        let mut page = ChangePage {
            entries: Vec::new(),
            last: head,
            head,
        };
        if after >= head {
            return Ok(page);
        }
        let from = keys::change(org, after + 1);
        let to = keys::change(org, head);
        for (n, kv) in self.tree.range(from..=to).enumerate() {
            let (k, v) = kv?;
            let seq = keys::u64_of(&k[17..]).ok_or_else(|| Error::corrupt("change key"))?;
            if n >= max_scan {
                page.last = seq - 1;
                break;
            }
            let (key, hint) =
                keys::parse_change_entry(&v).ok_or_else(|| Error::corrupt("change entry"))?;
            if !wanted(key.kind(), &hint) {
                continue;
            }
            if let Some(r) = self.read_record(&key)? {
                page.entries.push((seq, r));
            }
        }
        Ok(page)
    }

    fn list(
        &self,
        org: OrgId,
        kind: RecordKind,
        after: Option<Uuid>,
        max_scan: usize,
    ) -> Result<ListPage, Error> {
        let prefix = keys::kind_prefix(org, kind);
        let start = match after {
            Some(id) => cat(&[&prefix, id.as_bytes(), &[0]]),
            None => prefix.clone(),
        };
        let end = keys::prefix_end(&prefix);
        let mut page = ListPage::default();
        let mut last = None;
        for (n, kv) in self.tree.range(start..end).enumerate() {
            let (k, _) = kv?;
            if n >= max_scan {
                page.next = last;
                break;
            }
            let id = keys::uuid_of(&k[prefix.len()..]).ok_or_else(|| Error::corrupt("kind"))?;
            last = Some(id);
            let key = keys::parse_record_key(&cat(&[&prefix[17..], id.as_bytes()]))
                .ok_or_else(|| Error::corrupt("kind key"))?;
            if let Some(r) = self.read_record(&key)? {
                page.records.push(r);
            }
        }
        Ok(page)
    }

    fn linked(&self, link: Link) -> Result<Vec<RecordKey>, Error> {
        let prefix = keys::link_prefix(&link);
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(&prefix) {
            let (k, _) = kv?;
            out.extend(keys::parse_record_key(&k[prefix.len()..]));
        }
        Ok(out)
    }

    fn jobs_of(&self, technician: UserId) -> Result<Vec<JobId>, Error> {
        let prefix = keys::tech_prefix(technician);
        self.tree
            .scan_prefix(&prefix)
            .map(|kv| {
                let (k, _) = kv?;
                keys::uuid_of(&k[prefix.len()..])
                    .map(JobId)
                    .ok_or_else(|| Error::corrupt("tech index"))
            })
            .collect()
    }

    fn audit_log(&self, org: OrgId, after: u64, limit: usize) -> Result<Vec<AuditEntry>, Error> {
        let from = keys::audit(org, after.saturating_add(1));
        let end = keys::prefix_end(&cat(&[&[keys::AUDIT], org.0.as_bytes()]));
        self.tree
            .range(from..end)
            .take(limit)
            .map(|kv| {
                let (_, v) = kv?;
                serde_json::from_slice(&v).map_err(Error::corrupt)
            })
            .collect()
    }

    fn orgs(&self) -> Result<Vec<OrgId>, Error> {
        let prefix = [keys::RECORD, keys::kind_tag(RecordKind::Organization)];
        self.tree
            .scan_prefix(prefix)
            .map(|kv| {
                let (k, _) = kv?;
                keys::uuid_of(&k[2..])
                    .map(OrgId)
                    .ok_or_else(|| Error::corrupt("org key"))
            })
            .collect()
    }

    fn stats(&self) -> StoreStats {
        StoreStats {
            flushes: self.shared.flushes.load(Ordering::Relaxed),
            ops: self.shared.ops.load(Ordering::Relaxed),
        }
    }
}

/// The shortest time between the starts of two group commits while the writer is busy: a
/// flush costs about the same for one op or a hundred, so under load spacing them this far
/// apart buys many ops per fsync (the goal is at least 20 at 200 devices). Time the previous
/// group spent being applied and written counts towards it, so a slow group is followed at
/// once. Like PostgreSQL's `commit_delay`, the wait applies only when other writers are active:
/// an idle server flushes a lone write after [`GATHER_IDLE`] without company.
const GROUP_SPACING: Duration = Duration::from_millis(8);
/// How long an idle writer waits for a second write before flushing the first alone.
const GATHER_IDLE: Duration = Duration::from_millis(1);

fn writer_loop(db: &Db, tree: &Tree, shared: &Shared, rx: &mpsc::Receiver<Message>) {
    let mut busy = false;
    let mut last_start = Instant::now();
    while let Ok(first) = rx.recv() {
        let now = Instant::now();
        let gather_until = if busy {
            (last_start + GROUP_SPACING).max(now)
        } else {
            now + GATHER_IDLE
        };
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            let left = gather_until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                // Whatever queued while the last group was written joins without waiting.
                match rx.try_recv() {
                    Ok(m) => group.push(m),
                    Err(_) => break,
                }
                continue;
            }
            match rx.recv_timeout(left) {
                Ok(m) => group.push(m),
                Err(_) => break,
            }
        }
        // Several writers in this group means more are likely during the next one.
        busy = group.len() > 1;
        last_start = Instant::now();
        commit_group(db, tree, shared, group);
    }
}

fn commit_group(db: &Db, tree: &Tree, shared: &Shared, group: Vec<Message>) {
    let mut layer = Layer::default();
    let mut replies = Vec::with_capacity(group.len());
    let mut quiet = Vec::new();
    let mut new_ops = 0u64;
    for (write, reply) in group {
        if let Write::Quiet(read) = write {
            quiet.push((read, reply));
            continue;
        }
        let result = process(tree, &mut layer, write, &mut new_ops);
        replies.push((reply, result));
    }
    let durable = write_layer(db, tree, &layer);
    // Reads that wanted a quiet moment run after this group is written: they see everything
    // acknowledged before they were asked for, whatever order the group gathered in.
    let durable = match durable {
        Ok(()) => {
            for (read, reply) in quiet {
                read(tree);
                let _ = reply.send(Ok(Reply::Done));
            }
            Ok(())
        }
        Err(e) => {
            for (_, reply) in quiet {
                let _ = reply.send(Err(Error::io(&e)));
            }
            Err(e)
        }
    };
    match durable {
        Ok(()) => {
            shared.flushes.fetch_add(1, Ordering::Relaxed);
            shared.ops.fetch_add(new_ops, Ordering::Relaxed);
            if let Ok(mut heads) = shared.durable_heads.write() {
                heads.extend(layer.heads.iter().map(|(o, s)| (*o, *s)));
            }
            for (reply, result) in replies {
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            // Nothing of this group is acknowledged. sled may hold part of it in memory;
            // the next successful flush makes it durable, and replays find the outcomes.
            tracing::error!(error = %e, "group commit failed");
            for (reply, _) in replies {
                let _ = reply.send(Err(Error::io(&e)));
            }
        }
    }
}

fn write_layer(db: &Db, tree: &Tree, layer: &Layer) -> Result<(), Error> {
    if layer.writes.is_empty() && layer.heads.is_empty() && layer.audit_heads.is_empty() {
        return Ok(());
    }
    let mut batch = Batch::default();
    for (k, v) in &layer.writes {
        match v {
            Some(v) => batch.insert(k.as_slice(), v.as_slice()),
            None => batch.remove(k.as_slice()),
        }
    }
    for (org, seq) in &layer.heads {
        batch.insert(keys::head(*org), &seq.to_be_bytes()[..]);
    }
    for (org, seq) in &layer.audit_heads {
        batch.insert(keys::audit_head(*org), &seq.to_be_bytes()[..]);
    }
    tree.apply_batch(batch)?;
    db.flush()?;
    Ok(())
}

fn process(
    tree: &Tree,
    layer: &mut Layer,
    write: Write,
    new_ops: &mut u64,
) -> Result<Reply, Error> {
    match write {
        Write::Ops(sub) => {
            let mut outcomes = Vec::with_capacity(sub.ops.len());
            for op in &sub.ops {
                let mut txn = Txn::new(tree, layer, sub.org);
                let result = apply(&mut txn, op);
                let decided = txn.decided.take();
                let Txn { own, .. } = txn;
                let what = match decided {
                    Some((_, decided)) => {
                        let outcome = decided.outcome.clone();
                        // A rejected op may have written part of its effect before failing:
                        // drop it.
                        let own = if outcome.is_ok() {
                            own
                        } else {
                            Layer::default()
                        };
                        let mut txn = Txn::over(tree, layer, sub.org, own);
                        let changes = match &outcome {
                            Ok(a) => field_changes(tree, layer, &txn, &a.changed)?,
                            Err(_) => Vec::new(),
                        };
                        txn.write_json(&keys::outcome(sub.org, op.id), &decided)?;
                        let what = super::op_audit(op, &outcome, changes);
                        layer.absorb(txn.own);
                        if let Some(user) = super::deactivated(op, &outcome) {
                            bump_epoch(tree, layer, user)?;
                        }
                        *new_ops += 1;
                        Some(what)
                    }
                    None => super::undecided_audit(op, &result),
                };
                if let Some(what) = what {
                    let mut txn = Txn::new(tree, layer, sub.org);
                    txn.append_audit(
                        sub.org,
                        AuditEntry {
                            seq: 0,
                            at: Utc::now(),
                            actor: op.actor,
                            device: sub.device.clone(),
                            what,
                        },
                    )?;
                    let own = txn.own;
                    layer.absorb(own);
                }
                outcomes.push(result);
            }
            Ok(Reply::Outcomes(outcomes))
        }
        Write::Audit(org, entries) => {
            let mut txn = Txn::new(tree, layer, org);
            for e in entries {
                txn.append_audit(org, e)?;
            }
            let own = txn.own;
            layer.absorb(own);
            Ok(Reply::Done)
        }
        Write::RewriteAudit(org, entries) => {
            for e in entries {
                let k = keys::audit(org, e.seq);
                if layer.writes.contains_key(&k) || tree.contains_key(&k)? {
                    let v = serde_json::to_vec(&e).map_err(Error::corrupt)?;
                    layer.writes.insert(k, Some(v));
                }
            }
            Ok(Reply::Done)
        }
        Write::DeleteAuditThrough(org, seq) => {
            let from = keys::audit(org, 0);
            let to = keys::audit(org, seq);
            for kv in tree.range(from..=to) {
                let (k, _) = kv?;
                layer.writes.insert(k.to_vec(), None);
            }
            Ok(Reply::Done)
        }
        Write::RaiseHead(org, at_least) => {
            let mut txn = Txn::new(tree, layer, org);
            if txn.head(org)? < at_least {
                txn.own.heads.insert(org, at_least);
            }
            let own = txn.own;
            layer.absorb(own);
            Ok(Reply::Done)
        }
        Write::Import(records) => {
            let mut own = Layer::default();
            for r in records {
                let mut txn = Txn::over(tree, layer, r.org(), std::mem::take(&mut own));
                if let Record::User(u) = &r {
                    txn.index_login(u)?;
                }
                txn.put_record(r)?;
                own = txn.own;
            }
            layer.absorb(own);
            Ok(Reply::Done)
        }
        Write::Password(user, hash) => {
            let k = keys::password(user);
            // A first password has no sessions to end; a reset ends them all.
            let reset = Txn::new(tree, layer, OrgId(Uuid::nil()))
                .read(&k)?
                .is_some();
            layer.writes.insert(k, Some(hash.into_bytes()));
            if reset {
                bump_epoch(tree, layer, user)?;
            }
            Ok(Reply::Done)
        }
        Write::Put(k, v) => {
            layer.writes.insert(k, Some(v));
            Ok(Reply::Done)
        }
        Write::EndSessions(user) => bump_epoch(tree, layer, user).map(Reply::Epoch),
        Write::PutSecondFactor(user, factor) => {
            let v = match factor {
                Some(f) => Some(serde_json::to_vec(&f).map_err(Error::corrupt)?),
                None => None,
            };
            layer.writes.insert(keys::second_factor(user), v);
            Ok(Reply::Done)
        }
        Write::UseSecondFactor(user, code) => {
            let k = keys::second_factor(user);
            let found = Txn::new(tree, layer, OrgId(Uuid::nil())).read(&k)?;
            let Some(mut factor) = found
                .map(|v| serde_json::from_slice::<SecondFactor>(&v))
                .transpose()
                .map_err(Error::corrupt)?
                .filter(|f| f.confirmed)
            else {
                return Ok(Reply::Used(false));
            };
            let used = match code {
                SecondFactorUse::Step(step) if step > factor.last_step => {
                    factor.last_step = step;
                    true
                }
                SecondFactorUse::Step(_) => false,
                SecondFactorUse::Recovery(hash) => {
                    let before = factor.recovery.len();
                    factor.recovery.retain(|h| *h != hash);
                    factor.recovery.len() < before
                }
            };
            if used {
                let v = serde_json::to_vec(&factor).map_err(Error::corrupt)?;
                layer.writes.insert(k, Some(v));
            }
            Ok(Reply::Used(used))
        }
        Write::PutRefresh(hash, session) => {
            let v = serde_json::to_vec(&session).map_err(Error::corrupt)?;
            layer.writes.insert(keys::refresh(&hash), Some(v));
            Ok(Reply::Done)
        }
        Write::TakeRefresh(hash) => {
            let k = keys::refresh(&hash);
            let txn = Txn::new(tree, layer, OrgId(Uuid::nil()));
            let found = txn.read(&k)?;
            drop(txn);
            layer.writes.insert(k, None);
            let session = match found {
                Some(v) => Some(serde_json::from_slice(&v).map_err(Error::corrupt)?),
                None => None,
            };
            Ok(Reply::Refresh(session))
        }
        // Taken aside by `commit_group` before the group is processed.
        Write::Quiet(_) => Ok(Reply::Done),
    }
}

/// Moves a user's session epoch on by one (in the group's layer, so that the bump is durable
/// with the rest of the group) and returns the new epoch.
fn bump_epoch(tree: &Tree, layer: &mut Layer, user: UserId) -> Result<u64, Error> {
    let k = keys::epoch(user);
    let current = Txn::new(tree, layer, OrgId(Uuid::nil()))
        .read(&k)?
        .and_then(|v| keys::u64_of(&v))
        .unwrap_or(0);
    let next = current + 1;
    layer.writes.insert(k, Some(next.to_be_bytes().to_vec()));
    Ok(next)
}

/// Before and after of every field an applied op changed: "before" from the group as it was
/// before the op, "after" from the op's own writes.
fn field_changes(
    tree: &Tree,
    group: &Layer,
    after: &Txn<'_>,
    changed: &[RecordKey],
) -> Result<Vec<FieldChange>, Error> {
    let before = Txn::new(tree, group, after.org);
    let mut out = Vec::new();
    for key in changed {
        let (b, a) = (before.get_record(key)?, after.get_record(key)?);
        out.extend(FieldChange::between(*key, b.as_ref(), a.as_ref()));
    }
    Ok(out)
}

/// Pending writes: `None` removes the key.
#[derive(Default)]
struct Layer {
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    heads: HashMap<OrgId, Seq>,
    audit_heads: HashMap<OrgId, u64>,
}

impl Layer {
    fn absorb(&mut self, other: Layer) {
        self.writes.extend(other.writes);
        self.heads.extend(other.heads);
        self.audit_heads.extend(other.audit_heads);
    }
}

/// One op's view: the tree, the group's pending writes, and its own.
struct Txn<'a> {
    tree: &'a Tree,
    group: &'a Layer,
    own: Layer,
    org: OrgId,
    decided: Option<(OpId, Decided)>,
    /// When the op is decided: the clock `apply` holds op times against.
    now: chrono::DateTime<Utc>,
}

fn storage(e: impl std::fmt::Display) -> StorageError {
    StorageError(e.to_string())
}

impl<'a> Txn<'a> {
    fn new(tree: &'a Tree, group: &'a Layer, org: OrgId) -> Self {
        Self::over(tree, group, org, Layer::default())
    }

    fn over(tree: &'a Tree, group: &'a Layer, org: OrgId, own: Layer) -> Self {
        Self {
            tree,
            group,
            own,
            org,
            decided: None,
            now: Utc::now(),
        }
    }

    fn read(&self, k: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        if let Some(v) = self.own.writes.get(k) {
            return Ok(v.clone());
        }
        if let Some(v) = self.group.writes.get(k) {
            return Ok(v.clone());
        }
        Ok(self.tree.get(k)?.map(|v| v.to_vec()))
    }

    fn write(&mut self, k: Vec<u8>, v: Vec<u8>) {
        self.own.writes.insert(k, Some(v));
    }

    fn remove(&mut self, k: Vec<u8>) {
        self.own.writes.insert(k, None);
    }

    fn write_json<T: serde::Serialize>(&mut self, k: &[u8], v: &T) -> Result<(), Error> {
        let v = serde_json::to_vec(v).map_err(Error::corrupt)?;
        self.write(k.to_vec(), v);
        Ok(())
    }

    /// Keys with a prefix, as the tree and the pending layers together have them.
    fn scan_keys(&self, prefix: &[u8]) -> Result<BTreeSet<Vec<u8>>, Error> {
        let mut out = BTreeSet::new();
        for kv in self.tree.scan_prefix(prefix) {
            let (k, _) = kv?;
            out.insert(k.to_vec());
        }
        for layer in [self.group, &self.own] {
            for (k, v) in layer.writes.range(prefix.to_vec()..) {
                if !k.starts_with(prefix) {
                    break;
                }
                if v.is_some() {
                    out.insert(k.clone());
                } else {
                    out.remove(k);
                }
            }
        }
        Ok(out)
    }

    fn head(&self, org: OrgId) -> Result<Seq, Error> {
        if let Some(s) = self
            .own
            .heads
            .get(&org)
            .or_else(|| self.group.heads.get(&org))
        {
            return Ok(*s);
        }
        Ok(self
            .tree
            .get(keys::head(org))?
            .and_then(|v| keys::u64_of(&v))
            .unwrap_or(0))
    }

    fn audit_head(&self, org: OrgId) -> Result<u64, Error> {
        if let Some(s) = self
            .own
            .audit_heads
            .get(&org)
            .or_else(|| self.group.audit_heads.get(&org))
        {
            return Ok(*s);
        }
        Ok(self
            .tree
            .get(keys::audit_head(org))?
            .and_then(|v| keys::u64_of(&v))
            .unwrap_or(0))
    }

    fn append_audit(&mut self, org: OrgId, mut entry: AuditEntry) -> Result<(), Error> {
        let seq = self.audit_head(org)? + 1;
        entry.seq = seq;
        self.write_json(&keys::audit(org, seq), &entry)?;
        self.own.audit_heads.insert(org, seq);
        Ok(())
    }

    fn index_login(&mut self, user: &User) -> Result<(), Error> {
        let k = keys::login(&user.login);
        if let Some(existing) = self.read(&k)?
            && existing.as_slice() != user.id.0.as_bytes()
        {
            return Err(Error::conflict(format!(
                "the login '{}' is taken",
                user.login
            )));
        }
        self.write(k, user.id.0.as_bytes().to_vec());
        Ok(())
    }

    fn get_record(&self, key: &RecordKey) -> Result<Option<Record>, Error> {
        match self.read(&keys::record(key))? {
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(Error::corrupt),
            None => Ok(None),
        }
    }

    /// Writes a record with its indexes and a new change-log entry.
    fn put_record(&mut self, record: Record) -> Result<(), Error> {
        let key = record.key();
        let org = record.org();
        let old = self.get_record(&key)?;
        // A person added or renamed by an op signs in by their login at once.
        if let Record::User(u) = &record
            && !matches!(&old, Some(Record::User(o)) if o.login == u.login)
        {
            if let Some(Record::User(o)) = &old {
                self.remove(keys::login(&o.login));
            }
            self.index_login(u)?;
        }
        // Index entries are touched only where they change: most updates (a job's status, a
        // note) keep every link, and each key in a group commit costs writer time.
        let technician = |r: &Record| match r {
            Record::Job(j) => j.workers().map(|t| (t, j.id)).collect(),
            _ => Vec::new(),
        };
        let (new_links, new_tech) = (record.links(), technician(&record));
        let (old_links, old_tech) = match &old {
            Some(old) => {
                if old.org() != org {
                    return Err(Error::conflict(
                        "a record cannot move between organizations",
                    ));
                }
                (old.links(), technician(old))
            }
            None => (Vec::new(), Vec::new()),
        };
        for l in old_links.iter().filter(|l| !new_links.contains(l)) {
            self.remove(keys::link_entry(l, &key));
        }
        for l in new_links.iter().filter(|l| !old_links.contains(l)) {
            self.write(keys::link_entry(l, &key), Vec::new());
        }
        for &(t, job) in old_tech.iter().filter(|w| !new_tech.contains(w)) {
            self.remove(keys::tech_job(t, job));
        }
        for &(t, job) in new_tech.iter().filter(|w| !old_tech.contains(w)) {
            self.write(keys::tech_job(t, job), Vec::new());
        }
        if old.is_none() {
            self.write(keys::kind_index(org, &key), Vec::new());
        }
        // The change log keeps one entry per record, at its latest change.
        if let Some(prev) = self.read(&keys::latest(&key))?
            && let Some(prev) = keys::u64_of(&prev)
        {
            if let Some(entry) = self.read(&keys::change(org, prev))?
                && let Some((k, h)) = keys::parse_change_entry(&entry)
            {
                for p in h.parties(k.kind(), org) {
                    self.remove(keys::feed(org, p, prev));
                }
            }
            self.remove(keys::change(org, prev));
        }
        let seq = self.head(org)? + 1;
        self.own.heads.insert(org, seq);
        let hint = Hint::of(&record);
        for p in hint.parties(key.kind(), org) {
            self.write(keys::feed(org, p, seq), keys::record_key(&key).to_vec());
        }
        self.write(keys::change(org, seq), keys::change_entry(&key, &hint));
        self.write(keys::latest(&key), seq.to_be_bytes().to_vec());
        self.write_json(&keys::record(&key), &record)?;
        Ok(())
    }
}

impl Records for Txn<'_> {
    fn get(&self, key: RecordKey) -> Result<Option<Record>, StorageError> {
        self.get_record(&key).map_err(storage)
    }

    fn put(&mut self, record: Record) -> Result<(), StorageError> {
        if record.org() != self.org {
            return Err(StorageError(
                "an op may only write records of its own organization".into(),
            ));
        }
        self.put_record(record).map_err(storage)
    }

    fn find(&self, query: Query) -> Result<Vec<RecordKey>, StorageError> {
        let Query::LinkedTo(link) = query;
        let prefix = keys::link_prefix(&link);
        let found = self.scan_keys(&prefix).map_err(storage)?;
        Ok(found
            .iter()
            .filter_map(|k| keys::parse_record_key(&k[prefix.len()..]))
            .collect())
    }

    fn outcome(&self, op: OpId) -> Result<Option<Decided>, StorageError> {
        match self.read(&keys::outcome(self.org, op)).map_err(storage)? {
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(storage),
            None => Ok(None),
        }
    }

    fn clock(&self) -> Option<chrono::DateTime<Utc>> {
        Some(self.now)
    }

    fn login_holder(&self, login: &str) -> Result<Option<UserId>, StorageError> {
        Ok(self
            .read(&keys::login(login))
            .map_err(storage)?
            .and_then(|v| keys::uuid_of(&v))
            .map(UserId))
    }

    fn set_outcome(&mut self, op: OpId, outcome: Decided) -> Result<(), StorageError> {
        // Written by the group commit together with the op's effects (or without them, when
        // the op was rejected).
        self.decided = Some((op, outcome));
        Ok(())
    }
}

/// Writes the holder links ([`domain::ops::records::Link::Holder`]) of the records stored
/// before the index existed, once: a leaver's open work is found through them.
/// Opens the database, waiting up to five seconds for its file lock: sled lets go of it a
/// moment after the last handle in this process is dropped (its threads finish first), so a
/// store closed just before (a restore, a test) may still hold it. Another process's lock is
/// reported after the wait.
fn open_when_free(dir: &Path) -> Result<Db, Error> {
    let mut tries = 0;
    loop {
        let opened = ::sled::Config::new()
            .path(dir)
            // Durability comes from our explicit flush per group; the background flusher
            // would only add fsyncs.
            .flush_every_ms(None)
            .open();
        match opened {
            Err(e) if tries < 100 && e.to_string().contains("could not acquire lock") => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            other => return Ok(other?),
        }
    }
}

fn backfill_holder_links(db: &Db, tree: &Tree) -> Result<(), Error> {
    let done = keys::meta("index:holder-links");
    if tree.contains_key(&done)? {
        return Ok(());
    }
    let mut batch = Batch::default();
    let mut written = 0usize;
    for kind in [
        RecordKind::Customer,
        RecordKind::Job,
        RecordKind::Lead,
        RecordKind::FollowUp,
    ] {
        for kv in tree.scan_prefix([keys::RECORD, keys::kind_tag(kind)]) {
            let (_, v) = kv?;
            let record: Record = serde_json::from_slice(&v).map_err(Error::corrupt)?;
            for l in record.links() {
                if let Link::Holder(_) = l {
                    batch.insert(keys::link_entry(&l, &record.key()), &[][..]);
                    written += 1;
                }
            }
        }
    }
    batch.insert(done, &[1u8][..]);
    tree.apply_batch(batch)?;
    db.flush()?;
    if written > 0 {
        tracing::info!(
            written,
            "holder index filled in for records stored before it"
        );
    }
    Ok(())
}
