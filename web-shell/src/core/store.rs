//! `Store`: the device database on IndexedDB. One object store per table, string keys, values
//! as bytes. A batch of writes is one read-write transaction, answered once it has committed
//! (durable as far as the browser promises), so a tab closed mid-batch leaves all or nothing.

use std::cell::RefCell;
use std::rc::Rc;

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use js_sys::Uint8Array;
use leptos::prelude::*;
use shared::effects::store::{Entry, StoreError, StoreRequest, StoreResponse, Table, Write};
use shared::view::ViewModel;
use wasm_bindgen::{JsCast, JsValue};

const DATABASE: &str = "rounds";
/// Bump with every change of the object stores (and say how to move the data on).
const VERSION: u32 = 1;

thread_local! {
    /// Opened once per page; IndexedDB connections are meant to be kept.
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
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
        super::resolve_effect(&core, &mut request, response, render);
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
        let existing = db.store_names();
        for table in Table::ALL {
            if !existing.iter().any(|n| n == table.name()) {
                // Out-of-line string keys: the core chooses them.
                let _ = db.create_object_store(table.name(), ObjectStoreParams::new());
            }
        }
    });
    let db = Rc::new(open.await.map_err(unavailable)?);
    DB.with(|d| *d.borrow_mut() = Some(Rc::clone(&db)));
    Ok(db)
}

async fn load(table: Table) -> Result<StoreResponse, StoreError> {
    let db = database().await?;
    let tx = db
        .transaction(&[table.name()], TransactionMode::ReadOnly)
        .map_err(unavailable)?;
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
    let entries = keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| {
            Some(Entry {
                key: k.as_string()?,
                value: v.dyn_into::<Uint8Array>().ok()?.to_vec(),
            })
        })
        .collect();
    Ok(StoreResponse::Loaded { entries })
}

async fn write(writes: &[Write]) -> Result<StoreResponse, StoreError> {
    let db = database().await?;
    let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
    let tx = db
        .transaction(&names, TransactionMode::ReadWrite)
        .map_err(unavailable)?;
    for w in writes {
        match w {
            Write::Put { table, key, value } => {
                let store = tx.object_store(table.name()).map_err(unavailable)?;
                let bytes: JsValue = Uint8Array::from(value.as_slice()).into();
                store
                    .put(&bytes, Some(&JsValue::from_str(key)))
                    .map_err(write_error)?;
            }
            Write::Delete { table, key } => {
                let store = tx.object_store(table.name()).map_err(unavailable)?;
                store.delete(JsValue::from_str(key)).map_err(write_error)?;
            }
            Write::Clear { table } => {
                let store = tx.object_store(table.name()).map_err(unavailable)?;
                store.clear().map_err(write_error)?;
            }
        }
    }
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
