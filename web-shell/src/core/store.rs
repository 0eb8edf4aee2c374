//! `Store`: the device database on IndexedDB, as a log of batches
//! (`shared::effects::store::log`). Each batch of writes is one entry of the `log` object
//! store (auto-incremented keys keep them in order), put in one read-write transaction and
//! answered once it has committed (durable as far as the browser promises): a tab closed
//! mid-batch leaves all or nothing. A load reads the log and folds it into the three tables.
//!
//! Why not one entry per record: at a chain's size (a quarter of a million records) reading
//! them back costs IndexedDB several seconds, entry by entry; the same bytes in a few hundred
//! batches come back in well under one. A batch costs what changed (a sync page is one), and
//! a load that finds the log mostly old values rewrites it with the live ones.

use std::cell::RefCell;
use std::rc::Rc;

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use js_sys::Uint8Array;
use leptos::prelude::*;
use shared::effects::store::log::{self, Folded};
use shared::effects::store::{StoreError, StoreRequest, StoreResponse, Table, Write};
use shared::view::ViewModel;
use wasm_bindgen::{JsCast, JsValue};

const DATABASE: &str = "rounds";
/// Bump with every change of the object stores (and say how to move the data on).
/// 1: one object store per table, an entry per key. 2: the `log` (1's stores are moved into
/// it at the first load, then left empty).
const VERSION: u32 = 2;
const LOG: &str = "log";
/// Below this a log is never worth rewriting.
const REWRITE_ABOVE: u64 = 8 << 20;
/// The size of the batches a rewritten log is made of: large enough that a load reads few
/// entries, small enough that none is a burden to the browser.
const REWRITTEN_BATCH: usize = 2 << 20;

thread_local! {
    /// Opened once per page; IndexedDB connections are meant to be kept.
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
    /// The log as last folded, while nothing was written since: start-up loads the three
    /// tables one after the other (the replica last) and reads the log once.
    static FOLDED: RefCell<Option<Folded>> = const { RefCell::new(None) };
}

pub(super) fn resolve(
    core: &super::Core,
    mut request: crux_core::Request<StoreRequest>,
    render: WriteSignal<ViewModel>,
) {
    let core = core.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let response = match handle(&request.operation).await {
            Ok(r) => r,
            Err(e) => StoreResponse::Failed(e),
        };
        let replica = matches!(
            request.operation,
            StoreRequest::Load {
                table: Table::Replica
            }
        );
        super::resolve_effect(&core, &mut request, response, render);
        if replica {
            super::bench::mark("replica in the core");
        }
    });
}

async fn handle(op: &StoreRequest) -> Result<StoreResponse, StoreError> {
    match op {
        StoreRequest::Load { table } => load(*table).await,
        StoreRequest::Write { writes } => {
            let timing = super::bench::write_started(writes.len());
            let result = write(writes).await;
            super::bench::write_done(timing, result.is_ok());
            result
        }
        StoreRequest::Estimate => estimate().await,
    }
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// A failed write is most often the quota; IndexedDB says so by name.
fn write_error(e: idb::Error) -> StoreError {
    let text = e.to_string();
    if text.contains("QuotaExceeded") || text.to_lowercase().contains("quota") {
        StoreError::Full
    } else {
        StoreError::Unavailable(text)
    }
}

async fn database() -> Result<Rc<Database>, StoreError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let factory = Factory::new().map_err(unavailable)?;
    let mut open = factory.open(DATABASE, Some(VERSION)).map_err(unavailable)?;
    open.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else { return };
        if !db.store_names().iter().any(|n| n == LOG) {
            let mut params = ObjectStoreParams::new();
            params.auto_increment(true);
            let _ = db.create_object_store(LOG, params);
        }
    });
    let db = Rc::new(open.await.map_err(unavailable)?);
    DB.with(|d| *d.borrow_mut() = Some(Rc::clone(&db)));
    Ok(db)
}

async fn load(table: Table) -> Result<StoreResponse, StoreError> {
    let cached = FOLDED.with(|f| f.borrow_mut().take());
    let mut folded = match cached {
        Some(f) => f,
        None => read_log().await?,
    };
    let answer = folded.answer(table);
    if table != Table::Replica {
        FOLDED.with(|f| *f.borrow_mut() = Some(folded));
    }
    Ok(answer)
}

/// Reads the whole log and folds it; moves version 1's tables in first, and rewrites the log
/// when it is mostly old values.
async fn read_log() -> Result<Folded, StoreError> {
    super::bench::mark("log asked");
    let db = database().await?;
    move_version_1(&db).await?;
    let tx = db
        .transaction(&[LOG], TransactionMode::ReadOnly)
        .map_err(unavailable)?;
    let batches = tx
        .object_store(LOG)
        .map_err(unavailable)?
        .get_all(None, None)
        .map_err(unavailable)?
        .await
        .map_err(unavailable)?;
    super::bench::mark("log read");
    let mut folded = Folded::default();
    for b in batches {
        if let Ok(bytes) = b.dyn_into::<Uint8Array>() {
            folded.add(&bytes.to_vec());
        }
    }
    super::bench::mark("log folded");
    if folded.needs_rewriting(REWRITE_ABOVE) {
        rewrite(&db, &folded)?;
    }
    Ok(folded)
}

/// Replaces the log with the live entries. The transaction is only started here: IndexedDB
/// runs read-write transactions on the same store in the order they were made, so every write
/// the core asks for after this load lands after the rewrite.
fn rewrite(db: &Database, folded: &Folded) -> Result<(), StoreError> {
    let tx = db
        .transaction(&[LOG], TransactionMode::ReadWrite)
        .map_err(unavailable)?;
    let store = tx.object_store(LOG).map_err(unavailable)?;
    store.clear().map_err(write_error)?;
    for batch in folded.batches(REWRITTEN_BATCH) {
        store
            .put(&Uint8Array::from(batch.as_slice()).into(), None)
            .map_err(write_error)?;
    }
    let committed = tx.commit().map_err(write_error)?;
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = committed.await {
            web_sys::console::warn_1(&format!("could not rewrite the device log: {e}").into());
        }
    });
    Ok(())
}

/// Version 1 kept an entry per key in one object store per table. Whatever is still there
/// goes into the log as one batch, and the old stores are emptied, in one transaction.
async fn move_version_1(db: &Database) -> Result<(), StoreError> {
    let names = db.store_names();
    let old: Vec<Table> = Table::ALL
        .into_iter()
        .filter(|t| names.iter().any(|n| n == t.name()))
        .collect();
    if old.is_empty() {
        return Ok(());
    }
    let mut scope: Vec<&str> = old.iter().map(|t| t.name()).collect();
    scope.push(LOG);
    let tx = db
        .transaction(&scope, TransactionMode::ReadWrite)
        .map_err(unavailable)?;
    let mut writes = Vec::new();
    for table in &old {
        let store = tx.object_store(table.name()).map_err(unavailable)?;
        // Both lists come in key order, so they pair up.
        let keys = store
            .get_all_keys(None, None)
            .map_err(unavailable)?
            .await
            .map_err(unavailable)?;
        let values = store
            .get_all(None, None)
            .map_err(unavailable)?
            .await
            .map_err(unavailable)?;
        writes.extend(keys.into_iter().zip(values).filter_map(|(k, v)| {
            Some(Write::Put {
                table: *table,
                key: k.as_string()?,
                value: v.dyn_into::<Uint8Array>().ok()?.to_vec(),
            })
        }));
        store.clear().map_err(write_error)?;
    }
    if !writes.is_empty() {
        let log = tx.object_store(LOG).map_err(unavailable)?;
        let batch: JsValue = Uint8Array::from(log::encode(&writes).as_slice()).into();
        log.put(&batch, None).map_err(write_error)?;
    }
    tx.commit()
        .map_err(write_error)?
        .await
        .map_err(write_error)?;
    Ok(())
}

async fn write(writes: &[Write]) -> Result<StoreResponse, StoreError> {
    FOLDED.with(|f| f.borrow_mut().take());
    let db = database().await?;
    let tx = db
        .transaction(&[LOG], TransactionMode::ReadWrite)
        .map_err(unavailable)?;
    let batch: JsValue = Uint8Array::from(log::encode(writes).as_slice()).into();
    tx.object_store(LOG)
        .map_err(unavailable)?
        .put(&batch, None)
        .map_err(write_error)?;
    // A handle kept aside: once the transaction is awaited, only it can tell why an aborted
    // one was aborted (a full quota aborts at commit with a `QuotaExceededError`).
    let raw: web_sys::IdbTransaction = tx.into();
    let result = idb::Transaction::from(raw.clone())
        .commit()
        .map_err(write_error)?
        .await
        .map_err(write_error)?;
    if result.is_committed() {
        return Ok(StoreResponse::Written);
    }
    Err(match raw.error() {
        Some(e) if e.name() == "QuotaExceededError" => StoreError::Full,
        Some(e) => StoreError::Unavailable(format!("{}: {}", e.name(), e.message())),
        None => StoreError::Unavailable("the write was aborted".into()),
    })
}

/// `navigator.storage`: asks once for persistent storage (granted to installed apps and to
/// sites the person uses), then reports usage and quota.
async fn estimate() -> Result<StoreResponse, StoreError> {
    let storage = web_sys::window()
        .ok_or_else(|| unavailable("no window"))?
        .navigator()
        .storage();
    let persisted = match storage.persist() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    };
    let estimate = wasm_bindgen_futures::JsFuture::from(
        storage
            .estimate()
            .map_err(|e| unavailable(format!("{e:?}")))?,
    )
    .await
    .map_err(|e| unavailable(format!("{e:?}")))?;
    let number = |name: &str| {
        js_sys::Reflect::get(&estimate, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_f64())
            .map_or(0, |v| v as u64)
    };
    Ok(StoreResponse::Estimate {
        used: number("usage"),
        quota: number("quota"),
        persisted,
    })
}
