//! Imports on the server: a file kept under the data folder by its SHA-256 (so the same file
//! given twice is one import), its dry run against the store, and its run in the background,
//! in batches through the same path as a device's ops ([`crate::sync::push`]), with how far
//! it got written after each batch. A server that stops halfway continues the import when it
//! starts again; planning from the file anew finds what was already written (ids are derived,
//! [`domain::import::plan`]) and sends only the rest.
//!
//! The import's ops carry the time it first started, so that two runs of one import (a
//! restart, or two instances on one database) send the very same ops and the second is a
//! replay, never a second customer.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use domain::customers::{Asset, Customer};
use domain::ids::{AssetId, CustomerId, OpId, OrgId, UserId};
use domain::import::columns::{self, MappingError};
use domain::import::plan::{self, Existing, Plan};
use domain::import::{
    Encoding, FileError, Format, Preview, Problem, Report, RowProblem, Setup, Sheet, Status,
};
use domain::lookup::{Duplicate, Probe};
use domain::ops::{MemoryRecords, Record, RecordKey, RecordKind};
use domain::org::User;
use domain::sync::OpStatus;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access::{Scope, Visibility, customer_history};
use crate::http::AppState;
use crate::lookup::Lookups;
use crate::store::{self, Store};

/// Customers sent per batch: each batch is one group commit, and progress is kept after it.
const BATCH: usize = 250;
/// Rows shown in the preview.
const SAMPLE_ROWS: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("this server keeps no import files (no data folder)")]
    NotSetUp,
    #[error("no such import")]
    NotFound,
    #[error("{0}")]
    File(FileError),
    #[error("the column mapping cannot be used: {0:?}")]
    Mapping(MappingError),
    #[error("only an admin, or the store's dispatcher, imports customers into it")]
    Forbidden,
    #[error("the import has problems; allow leaving those rows out to run it")]
    Problems(Box<Report>),
    #[error("the import is running")]
    Running,
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("import files: {0}")]
    Io(String),
}

/// What is kept of one import beside its file.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Kept {
    id: String,
    org: OrgId,
    file_name: String,
    /// When the file was first given (Unix milliseconds): the time part of every id it makes.
    born: u64,
    format: Format,
    encoding: Encoding,
    rows: u32,
    /// The person who started it, and with what setup, and when (the ops' time).
    started: Option<(UserId, Setup, DateTime<Utc>)>,
    /// Who gave the file: the rows are theirs to see (and any admin's), nobody else's, even
    /// knowing the id.
    #[serde(default)]
    givers: Vec<UserId>,
    status: Status,
}

/// The imports of this server.
pub struct Imports {
    dir: Option<PathBuf>,
    running: Mutex<HashSet<String>>,
}

impl Imports {
    #[must_use]
    pub fn new(dir: Option<PathBuf>) -> Self {
        Imports {
            dir,
            running: Mutex::new(HashSet::new()),
        }
    }

    fn paths(&self, org: OrgId, id: &str) -> Result<(PathBuf, PathBuf), ImportError> {
        let dir = self.dir.as_ref().ok_or(ImportError::NotSetUp)?;
        // Ids are hex digests: anything else is no import (and never a path).
        if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ImportError::NotFound);
        }
        let stem = format!("{}-{}", org.0.simple(), id.to_ascii_lowercase());
        Ok((
            dir.join(format!("{stem}.file")),
            dir.join(format!("{stem}.json")),
        ))
    }

    fn load(&self, org: OrgId, id: &str) -> Result<Kept, ImportError> {
        let (_, json) = self.paths(org, id)?;
        let bytes = match std::fs::read(&json) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ImportError::NotFound);
            }
            Err(e) => return Err(ImportError::Io(e.to_string())),
        };
        let kept: Kept =
            serde_json::from_slice(&bytes).map_err(|e| ImportError::Io(e.to_string()))?;
        if kept.org != org {
            return Err(ImportError::NotFound);
        }
        Ok(kept)
    }

    /// The import, when `caller` gave its file or is an admin; unknown otherwise.
    fn load_for(&self, caller: &User, id: &str) -> Result<Kept, ImportError> {
        let kept = self.load(caller.org, id)?;
        if kept.givers.contains(&caller.id) || caller.has(domain::org::Role::Admin) {
            Ok(kept)
        } else {
            Err(ImportError::NotFound)
        }
    }

    fn save(&self, kept: &Kept) -> Result<(), ImportError> {
        let (_, json) = self.paths(kept.org, &kept.id)?;
        let bytes = serde_json::to_vec(kept).map_err(|e| ImportError::Io(e.to_string()))?;
        write_durably(&json, &bytes)
    }

    fn sheet(&self, kept: &Kept) -> Result<Sheet, ImportError> {
        let (file, _) = self.paths(kept.org, &kept.id)?;
        let bytes = std::fs::read(file).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ImportError::NotFound,
            _ => ImportError::Io(e.to_string()),
        })?;
        let (sheet, ..) = domain::import::read::read(&bytes).map_err(ImportError::File)?;
        Ok(sheet)
    }

    /// Takes a file: reads it whole (refusing what cannot be imported), keeps it, and answers
    /// with its first rows and the columns' likely fields. The same file given again is the
    /// same import, with its status.
    pub fn take(
        &self,
        caller: &User,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Preview, ImportError> {
        may_import(caller)?;
        let dir = self.dir.as_ref().ok_or(ImportError::NotSetUp)?;
        let (sheet, format, encoding) =
            domain::import::read::read(bytes).map_err(ImportError::File)?;
        let id = hex(&Sha256::digest(bytes));
        let (file, _) = self.paths(caller.org, &id)?;
        let kept = match self.load(caller.org, &id) {
            Ok(k) => k,
            Err(ImportError::NotFound) => {
                std::fs::create_dir_all(dir).map_err(|e| ImportError::Io(e.to_string()))?;
                write_durably(&file, bytes)?;
                let kept = Kept {
                    id: id.clone(),
                    org: caller.org,
                    file_name: file_name.chars().take(200).collect(),
                    born: u64::try_from(Utc::now().timestamp_millis()).unwrap_or_default(),
                    format,
                    encoding,
                    rows: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
                    started: None,
                    givers: vec![caller.id],
                    status: Status::Ready,
                };
                self.save(&kept)?;
                kept
            }
            Err(e) => return Err(e),
        };
        let mut kept = kept;
        if !kept.givers.contains(&caller.id) {
            kept.givers.push(caller.id);
            self.save(&kept)?;
        }
        if !file.exists() {
            // Kept on another instance's disk before: keep it here too.
            write_durably(&file, bytes)?;
        }
        Ok(preview(&kept, &sheet))
    }

    /// The import as it stands.
    pub fn preview(&self, caller: &User, id: &str) -> Result<Preview, ImportError> {
        may_import(caller)?;
        let kept = self.load_for(caller, id)?;
        let sheet = self.sheet(&kept)?;
        Ok(preview(&kept, &sheet))
    }

    /// The dry run: what the import would do, every problem by row and column.
    pub fn check(
        &self,
        store: &dyn Store,
        lookups: &Lookups,
        caller: &User,
        id: &str,
        setup: &Setup,
    ) -> Result<Plan, ImportError> {
        may_import_into(caller, setup)?;
        let kept = self.load_for(caller, id)?;
        let sheet = self.sheet(&kept)?;
        let at = kept
            .started
            .as_ref()
            .map_or_else(Utc::now, |(_, _, at)| *at);
        plan_of(store, lookups, caller, &kept, &sheet, setup, at)
    }

    /// Starts the import in the background once its dry run allows it; a running import is
    /// left to run.
    pub fn start(
        self: &Arc<Self>,
        state: &AppState,
        caller: &User,
        id: &str,
        setup: Setup,
    ) -> Result<Status, ImportError> {
        may_import_into(caller, &setup)?;
        let mut kept = self.load_for(caller, id)?;
        if matches!(kept.status, Status::Running { .. }) && self.is_running(id) {
            return Err(ImportError::Running);
        }
        let sheet = self.sheet(&kept)?;
        // A run again carries the first run's time: the same ops, whoever starts it.
        let at = kept
            .started
            .as_ref()
            .map_or_else(Utc::now, |(_, _, at)| *at);
        let plan = plan_of(
            state.store.as_ref(),
            &state.lookups,
            caller,
            &kept,
            &sheet,
            &setup,
            at,
        )?;
        if !plan.report.may_run(&setup) {
            return Err(ImportError::Problems(Box::new(plan.report)));
        }
        kept.started = Some((caller.id, setup, at));
        kept.status = Status::Running {
            done: 0,
            total: u32::try_from(plan.groups.len()).unwrap_or(u32::MAX),
        };
        self.save(&kept)?;
        // The plan just made is the run's: planning 100,000 rows again would double the wait.
        self.spawn(state.clone(), kept.org, kept.id.clone(), Some(plan));
        Ok(kept.status)
    }

    fn is_running(&self, id: &str) -> bool {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(id)
    }

    fn spawn(self: &Arc<Self>, state: AppState, org: OrgId, id: String, plan: Option<Plan>) {
        if !self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.clone())
        {
            return;
        }
        let me = self.clone();
        tokio::spawn(async move {
            let outcome = me.run(&state, org, &id, plan).await;
            if let Err(e) = &outcome {
                tracing::error!(import = %id, error = %e, "import stopped");
                if let Ok(mut kept) = me.load(org, &id) {
                    kept.status = Status::Failed(e.to_string());
                    let _ = me.save(&kept);
                }
            }
            me.running
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
        });
    }

    async fn run(
        self: &Arc<Self>,
        state: &AppState,
        org: OrgId,
        id: &str,
        planned: Option<Plan>,
    ) -> Result<(), ImportError> {
        let mut kept = self.load(org, id)?;
        let Some((actor, setup, at)) = kept.started.clone() else {
            return Ok(());
        };
        let store = state.store.clone();
        let user = match store.get(RecordKey::User(actor))? {
            Some(Record::User(u)) if u.active => u,
            _ => return Err(ImportError::Forbidden),
        };
        let plan = if let Some(plan) = planned {
            plan
        } else {
            let (me, store, lookups) = (self.clone(), store.clone(), state.lookups.clone());
            let (user, kept) = (user.clone(), kept.clone());
            tokio::task::spawn_blocking(move || -> Result<Plan, ImportError> {
                let sheet = me.sheet(&kept)?;
                plan_of(store.as_ref(), &lookups, &user, &kept, &sheet, &setup, at)
            })
            .await
            .map_err(|e| ImportError::Io(e.to_string()))??
        };
        let mut report = plan.report;
        let rows_of: HashMap<OpId, u32> = plan
            .groups
            .iter()
            .flat_map(|g| g.ops.iter().map(|op| (op.id, g.rows[0])))
            .collect();
        let total = u32::try_from(plan.groups.len()).unwrap_or(u32::MAX);
        let device = format!("import:{}", &id[..16]);
        let words = domain::words::table(domain::words::Lang::English);
        let mut done = 0u32;
        for batch in plan.groups.chunks(BATCH) {
            let mut ops: Vec<_> = batch.iter().flat_map(|g| g.ops.iter().cloned()).collect();
            if let Some(geocoder) = &state.geocoder {
                geocoder.place(&mut ops).await;
            }
            if !ops.is_empty() {
                let results =
                    crate::sync::push(store.as_ref(), &user, &device, &ops, words, &state.erasures)
                        .await?;
                for r in results {
                    if let OpStatus::Rejected { error, .. } = r.status {
                        report.problems.push(RowProblem {
                            row: rows_of.get(&r.op).copied().unwrap_or(0),
                            column: None,
                            problem: Problem::Refused(error),
                        });
                    }
                }
                state.live.changed(org, &device);
                let _ = store.announce(org, &device).await;
            }
            done += u32::try_from(batch.len()).unwrap_or(u32::MAX);
            kept.status = Status::Running { done, total };
            self.save(&kept)?;
        }
        report.problems.sort_by_key(|p| (p.row, p.column));
        tracing::info!(import = %id, customers = report.new_customers, assets = report.new_assets, "import done");
        kept.status = Status::Done(report);
        self.save(&kept)
    }

    /// Continues every import that was running when the server stopped.
    pub fn resume(self: &Arc<Self>, state: &AppState) {
        let Some(dir) = &self.dir else { return };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(kept) = serde_json::from_slice::<Kept>(&bytes) else {
                continue;
            };
            if matches!(kept.status, Status::Running { .. }) {
                tracing::info!(import = %kept.id, "continuing an import");
                self.spawn(state.clone(), kept.org, kept.id, None);
            }
        }
    }
}

fn may_import(caller: &User) -> Result<(), ImportError> {
    if caller.stores.iter().any(|s| caller.manages_store(*s))
        || caller.has(domain::org::Role::Admin)
    {
        Ok(())
    } else {
        Err(ImportError::Forbidden)
    }
}

fn may_import_into(caller: &User, setup: &Setup) -> Result<(), ImportError> {
    may_import(caller)?;
    if caller.manages_store(setup.store) {
        Ok(())
    } else {
        Err(ImportError::Forbidden)
    }
}

fn preview(kept: &Kept, sheet: &Sheet) -> Preview {
    let sample: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .take(SAMPLE_ROWS)
        .map(|r| r.iter().map(domain::import::Cell::shown).collect())
        .collect();
    Preview {
        id: kept.id.clone(),
        file_name: kept.file_name.clone(),
        format: kept.format,
        encoding: kept.encoding,
        rows: kept.rows,
        headers: sheet.headers.clone(),
        mapping: kept
            .started
            .as_ref()
            .map(|(_, s, _)| s.mapping.clone())
            .unwrap_or_else(|| {
                columns::guess(&sheet.headers, &sheet.rows[..sheet.rows.len().min(50)])
            }),
        sample,
        status: kept.status.clone(),
    }
}

fn plan_of(
    store: &dyn Store,
    lookups: &Lookups,
    caller: &User,
    kept: &Kept,
    sheet: &Sheet,
    setup: &Setup,
    at: DateTime<Utc>,
) -> Result<Plan, ImportError> {
    let base = base_records(store, caller.org)?;
    lookups.catch_up(store, caller.org)?;
    let scope = Scope::load(store, caller.clone())?;
    let known = Known {
        store,
        lookups,
        scope: &scope,
        org: caller.org,
    };
    let ctx = plan::Context {
        org: caller.org,
        actor: caller.id,
        at,
        today: at.date_naive(),
        born: kept.born,
        base: &base,
    };
    plan::check(sheet, setup, &ctx, &known).map_err(ImportError::Mapping)
}

/// The organization, its stores, people and technician profiles: what every op of an import
/// reads besides the customer it makes.
fn base_records(store: &dyn Store, org: OrgId) -> Result<MemoryRecords, store::Error> {
    let mut base = MemoryRecords::new();
    if let Some(r) = store.get(RecordKey::Org(org))? {
        base.insert(r);
    }
    for kind in [RecordKind::Store, RecordKind::User, RecordKind::Technician] {
        let mut after = None;
        loop {
            let page = store.list(org, kind, after, 10_000)?;
            for r in page.records {
                base.insert(r);
            }
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
    }
    Ok(base)
}

/// The customers already in Rounds, as far as the person importing may see them: a
/// duplicate they may not see is not named to them (the import then makes a customer of its
/// own, and the duplicate check of those who see both suggests the merge).
struct Known<'a> {
    store: &'a dyn Store,
    lookups: &'a Lookups,
    scope: &'a Scope,
    org: OrgId,
}

impl Known<'_> {
    fn visible(&self, c: &Customer) -> bool {
        c.org == self.org
            && self.scope.customer_visibility(c.id, c.store, c.owner) == Visibility::Full
    }
}

impl Existing for Known<'_> {
    fn customer(&self, id: CustomerId) -> Option<Customer> {
        let mut id = id;
        for _ in 0..16 {
            let Ok(Some(Record::Customer(c))) = self.store.get(RecordKey::Customer(id)) else {
                return None;
            };
            match c.merged_into {
                Some(next) => id = next,
                None => return self.visible(&c).then_some(c),
            }
        }
        None
    }

    fn asset_exists(&self, id: AssetId) -> bool {
        matches!(self.store.get(RecordKey::Asset(id)), Ok(Some(_)))
    }

    fn assets_of(&self, customer: CustomerId) -> Vec<Asset> {
        let keys = customer_history(self.store, customer).unwrap_or_default();
        self.store
            .get_many(&keys)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| match r {
                Some(Record::Asset(a)) => Some(a),
                _ => None,
            })
            .collect()
    }

    fn similar(&self, probe: &Probe<'_>) -> Vec<Duplicate> {
        self.lookups
            .duplicates(self.org, probe)
            .into_iter()
            .filter(|d| self.customer(d.customer).is_some())
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a file so that it is whole on disk when this returns: a temporary file, synced,
/// renamed over the old one.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    use std::io::Write;
    let io = |e: std::io::Error| ImportError::Io(e.to_string());
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}
