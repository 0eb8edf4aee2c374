//! What an erasure needs beyond `apply` (`domain/src/ops/erasure.rs` clears the records):
//!
//! - **The audit.** Its before-and-after copies of the erased records' fields, and the
//!   summaries of the ops that changed them, are replaced by [`ERASED`] (`redact`). Who did
//!   what and when stays. It runs after the erasure is durable, and again for a job of an
//!   erased customer when it closes (its address and notes leave the record then).
//! - **Backups.** Each erasure is appended, before it is applied, to a log beside the data and
//!   in the backup folder ([`ErasureLog`]); `server admin restore` applies the log again to
//!   what it restored (`replay`), so a backup taken before an erasure does not bring the
//!   person back. The log holds the op (ids, who, when), nothing personal.
//! - **Devices** need nothing here: the erasure is an op, and the cleared records reach them
//!   at their next sync like any change.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use domain::ids::{CustomerId, OrgId};
use domain::ops::records::Link;
use domain::ops::{Op, OpKind, OpOutcome, Record, RecordKey};
use serde::{Deserialize, Serialize};

use crate::store::{AuditWhat, Error, Store, Submission};

/// What an erased value reads as in the audit.
pub const ERASED: &str = "(erased on request)";

/// Audit entries read per page while redacting.
const PAGE: usize = 5_000;

/// One line of the erasure log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Logged {
    pub org: OrgId,
    pub op: Op,
}

/// Where erasures are logged: every file given (the data folder's, the backup folder's).
#[derive(Debug, Default)]
pub struct ErasureLog {
    paths: Vec<PathBuf>,
}

impl ErasureLog {
    #[must_use]
    pub fn new(paths: Vec<PathBuf>) -> Self {
        Self { paths }
    }

    /// Appends the erasures among `ops` to every log, synced to disk, before they are applied:
    /// an erasure that was applied is always in the log.
    pub fn append(&self, org: OrgId, ops: &[Op]) -> std::io::Result<()> {
        let lines: Vec<u8> = ops
            .iter()
            .filter(|op| matches!(op.kind, OpKind::EraseCustomer { .. }))
            .map(|op| {
                let mut line = serde_json::to_vec(&Logged {
                    org,
                    op: op.clone(),
                })
                .map_err(std::io::Error::other)?;
                line.push(b'\n');
                Ok(line)
            })
            .collect::<std::io::Result<Vec<Vec<u8>>>>()?
            .concat();
        if lines.is_empty() {
            return Ok(());
        }
        for path in &self.paths {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            f.write_all(&lines)?;
            f.sync_all()?;
        }
        Ok(())
    }
}

/// The erasures in the log at `path`, oldest first; a line cut short by a crash is skipped.
pub fn read_log(path: &Path) -> std::io::Result<Vec<Logged>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// The records an erasure of `customer` concerns: theirs and everything filed under them.
pub fn erased_keys(store: &dyn Store, customer: CustomerId) -> Result<BTreeSet<RecordKey>, Error> {
    let mut keys: BTreeSet<RecordKey> = store
        .linked(Link::Customer(customer))?
        .into_iter()
        .collect();
    keys.insert(RecordKey::Customer(customer));
    Ok(keys)
}

/// Replaces, in the organization's audit, the values of `keys`' fields and the summaries of
/// the ops that changed them; how many entries changed. Idempotent.
pub async fn redact(
    store: &dyn Store,
    org: OrgId,
    keys: &BTreeSet<RecordKey>,
) -> Result<usize, Error> {
    let erased = serde_json::Value::String(ERASED.to_owned());
    let mut after = 0;
    let mut rewritten = 0;
    loop {
        let page = store.audit_log(org, after, PAGE)?;
        let Some(last) = page.last().map(|e| e.seq) else {
            break;
        };
        let mut changed = Vec::new();
        for mut e in page {
            let AuditWhat::Op {
                changed: touched,
                changes,
                detail,
                ..
            } = &mut e.what
            else {
                continue;
            };
            if !touched.iter().any(|k| keys.contains(k)) {
                continue;
            }
            let mut dirty = false;
            for c in changes.iter_mut().filter(|c| keys.contains(&c.record)) {
                for v in [&mut c.before, &mut c.after] {
                    if !v.is_null() && *v != erased {
                        *v = erased.clone();
                        dirty = true;
                    }
                }
            }
            if detail != ERASED && !detail.is_empty() {
                ERASED.clone_into(detail);
                dirty = true;
            }
            if dirty {
                changed.push(e);
            }
        }
        rewritten += changed.len();
        if !changed.is_empty() {
            store.rewrite_audit(org, changed).await?;
        }
        after = last;
    }
    Ok(rewritten)
}

/// After ops were applied: the audit of each erasure's records is redacted, and so is that of
/// each job of an erased customer the ops closed.
pub async fn after_applied(
    store: &dyn Store,
    org: OrgId,
    ops: &[Op],
    outcomes: &[OpOutcome],
) -> Result<(), Error> {
    let mut keys = BTreeSet::new();
    for (op, outcome) in ops.iter().zip(outcomes) {
        let Ok(applied) = outcome else { continue };
        if let OpKind::EraseCustomer { customer } = op.kind {
            keys.extend(erased_keys(store, customer)?);
            continue;
        }
        for key in &applied.changed {
            if let RecordKey::Job(_) = key
                && let Some(Record::Job(j)) = store.get(*key)?
                && !j.is_open()
                && let Some(Record::Customer(c)) = store.get(RecordKey::Customer(j.customer))?
                && c.erased.is_some()
            {
                keys.insert(*key);
            }
        }
    }
    if !keys.is_empty() {
        let n = redact(store, org, &keys).await?;
        tracing::info!(entries = n, "audit redacted after an erasure");
    }
    Ok(())
}

/// Applies the erasures of the log at `path` to `store` again (after a restore): each op as it
/// was made, so one the restored data already holds is a no-op, then the audit is redacted.
/// How many erasures were in the log.
pub async fn replay(store: &dyn Store, path: &Path) -> Result<usize, ReplayError> {
    let logged = read_log(path).map_err(ReplayError::Log)?;
    for l in &logged {
        let outcomes = store
            .apply(Submission {
                org: l.org,
                device: "restore".into(),
                ops: vec![l.op.clone()],
            })
            .await?;
        after_applied(store, l.org, std::slice::from_ref(&l.op), &outcomes).await?;
    }
    Ok(logged.len())
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("the erasure log cannot be read: {0}")]
    Log(std::io::Error),
    #[error(transparent)]
    Store(#[from] Error),
}

/// Everything Rounds keeps about one customer, for their request to see it: their record,
/// every record filed under them, and the audit entries that read or changed any of these.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    pub customer: Record,
    /// Assets, purchases, jobs, leads, interactions, follow-ups, conflicts.
    pub records: Vec<Record>,
    pub audit: Vec<crate::store::AuditEntry>,
}

/// Gathers the export of `customer` (the caller's right to it is checked by the handler).
pub fn export(
    store: &dyn Store,
    org: OrgId,
    customer: CustomerId,
) -> Result<Option<Export>, Error> {
    let Some(c @ Record::Customer(_)) = store.get(RecordKey::Customer(customer))? else {
        return Ok(None);
    };
    if c.org() != org {
        return Ok(None);
    }
    let keys = erased_keys(store, customer)?;
    let linked: Vec<RecordKey> = keys
        .iter()
        .copied()
        .filter(|k| *k != RecordKey::Customer(customer))
        .collect();
    let records = store.get_many(&linked)?.into_iter().flatten().collect();
    let mut audit = Vec::new();
    let mut after = 0;
    loop {
        let page = store.audit_log(org, after, PAGE)?;
        let Some(last) = page.last().map(|e| e.seq) else {
            break;
        };
        audit.extend(page.into_iter().filter(|e| match &e.what {
            AuditWhat::Op { changed, .. } => changed.iter().any(|k| keys.contains(k)),
            AuditWhat::UnmaskedRead { keys: read } => read.iter().any(|k| keys.contains(k)),
            AuditWhat::Export { customer: x, .. } | AuditWhat::ExportRefused { customer: x } => {
                *x == customer
            }
            _ => false,
        }));
        after = last;
    }
    Ok(Some(Export {
        customer: c,
        records,
        audit,
    }))
}

/// The export as CSV, one line per field of every record (`record,id,field,value`), the
/// field a dotted path: a spreadsheet opens it, and nothing is lost in flattening.
#[must_use]
pub fn export_csv(e: &Export) -> String {
    let mut out = String::from("record,id,field,value\n");
    let mut row = |kind: &str, id: &str, field: &str, value: &str| {
        for (i, cell) in [kind, id, field, value].into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        }
        out.push('\n');
    };
    let mut records: Vec<&Record> = vec![&e.customer];
    records.extend(&e.records);
    for r in records {
        let key = r.key();
        let kind = format!("{:?}", key.kind()).to_lowercase();
        let body = serde_json::to_value(r).unwrap_or_default();
        let inner = match body {
            serde_json::Value::Object(m) if m.len() == 1 => {
                m.into_iter().next().map(|(_, v)| v).unwrap_or_default()
            }
            other => other,
        };
        let mut fields = Vec::new();
        flatten("", &inner, &mut fields);
        for (path, value) in fields {
            row(&kind, &key.uuid().to_string(), &path, &value);
        }
    }
    for a in &e.audit {
        let body = serde_json::to_value(a).unwrap_or_default();
        let mut fields = Vec::new();
        flatten("", &body, &mut fields);
        for (path, value) in fields {
            row("audit", &a.seq.to_string(), &path, &value);
        }
    }
    out
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                flatten(&join(k), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&join(&i.to_string()), v, out);
            }
        }
        serde_json::Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        serde_json::Value::Null => out.push((prefix.to_owned(), String::new())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// Removes, in every organization, the audit entries older than its retention setting
/// (`OrgSettings::retention`); how many went. Entries are in time order, so it stops at the
/// first one young enough.
pub async fn enforce_retention(
    store: &dyn Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, Error> {
    let mut removed = 0;
    for org in store.orgs()? {
        let Some(Record::Org(o)) = store.get(RecordKey::Org(org))? else {
            continue;
        };
        let cutoff = now - chrono::Duration::days(i64::from(o.settings.retention.audit_days));
        let mut after = 0;
        let mut through = None;
        'pages: loop {
            let page = store.audit_log(org, after, PAGE)?;
            let Some(last) = page.last().map(|e| e.seq) else {
                break;
            };
            for e in &page {
                if e.at >= cutoff {
                    break 'pages;
                }
                through = Some(e.seq);
                removed += 1;
            }
            after = last;
        }
        if let Some(seq) = through {
            store.delete_audit_through(org, seq).await?;
            tracing::info!(%org, through = seq, "audit entries past their retention removed");
        }
    }
    Ok(removed)
}

/// Enforces the retention settings every `every`, from a minute after start, for as long as
/// the store is open (it holds no reference that would keep the store's files locked).
pub fn retention_schedule(
    store: std::sync::Weak<dyn Store>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(
            tokio::time::Instant::now() + every.min(std::time::Duration::from_secs(60)),
            every,
        );
        loop {
            tick.tick().await;
            let Some(store) = store.upgrade() else { return };
            if let Err(e) = enforce_retention(store.as_ref(), chrono::Utc::now()).await {
                tracing::error!(error = %e, "enforcing the retention settings failed");
            }
        }
    })
}
