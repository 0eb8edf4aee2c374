//! What the console's list and detail endpoints share: cursor pagination over a kind's
//! records in id (creation) order, scope checks, masking, and auditing unmasked reads.

use chrono::Utc;
use domain::ops::{Record, RecordKey, RecordKind};
use domain::org::User;
use uuid::Uuid;

use super::AppState;
use super::error::{Error, Result};
use super::extractor::AuthUser;
use crate::access::Scope;
use crate::store::{self, AuditEntry, AuditWhat, Store};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;
/// Records one request may look at before it answers with what it found and a cursor.
const SCAN_BUDGET: usize = 20_000;
const SCAN_STEP: usize = 500;

pub fn limit(l: Option<u32>) -> Result<usize> {
    match l {
        None => Ok(DEFAULT_LIMIT as usize),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n as usize),
        Some(_) => Err(Error::bad(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// One page of records of `kind` that pass `filter` and that the caller may see, mapped by
/// `map`; the second value is the cursor of the next page.
pub async fn list<T, F, M>(
    state: &AppState,
    auth: AuthUser,
    kind: RecordKind,
    cursor: Option<Uuid>,
    limit: usize,
    mut filter: F,
    map: M,
) -> Result<(Vec<T>, Option<Uuid>)>
where
    T: Send + 'static,
    F: FnMut(&dyn Store, &Record) -> Result<bool, store::Error> + Send + 'static,
    M: Fn(&dyn Store, &Scope, Record) -> Result<Option<T>, store::Error> + Send + 'static,
{
    let st = state.store.clone();
    let AuthUser { user, device, .. } = auth;
    let (items, next, reads, user) = tokio::task::spawn_blocking(move || -> Result<_> {
        let store = st.as_ref();
        let scope = Scope::load(store, user)?;
        let mut after = cursor;
        let mut items = Vec::new();
        let mut reads = Vec::new();
        let mut scanned = 0;
        let next = 'pages: loop {
            let page = store.list(scope.user.org, kind, after, SCAN_STEP)?;
            for r in page.records {
                let key = r.key();
                after = Some(key.uuid());
                if !filter(store, &r)? {
                    continue;
                }
                if let Some(v) = scope.view(store, r)? {
                    if v.unmasked_personal {
                        reads.push(key);
                    }
                    if let Some(t) = map(store, &scope, v.record)? {
                        items.push(t);
                        if items.len() == limit {
                            break 'pages after;
                        }
                    }
                }
            }
            if page.next.is_none() {
                break None;
            }
            after = page.next;
            scanned += SCAN_STEP;
            if scanned >= SCAN_BUDGET {
                break after;
            }
        };
        Ok((items, next, reads, scope.user))
    })
    .await??;
    audit_reads(state, &user, &device, reads).await?;
    Ok((items, next))
}

/// One record the caller may see, or 404 (whether it exists elsewhere is not revealed).
pub async fn detail(state: &AppState, auth: AuthUser, key: RecordKey) -> Result<Record> {
    let st = state.store.clone();
    let AuthUser { user, device, .. } = auth;
    let (viewed, user) = tokio::task::spawn_blocking(move || -> Result<_> {
        let store = st.as_ref();
        let scope = Scope::load(store, user)?;
        let viewed = match store.get(key)? {
            Some(r) => scope.view(store, r)?,
            None => None,
        };
        Ok((viewed, scope.user))
    })
    .await??;
    let Some(v) = viewed else {
        return Err(Error::NotFound(format!("no such {}", key.kind())));
    };
    if v.unmasked_personal {
        audit_reads(state, &user, &device, vec![key]).await?;
    }
    Ok(v.record)
}

/// Records that personal data went out unmasked, durably, before it goes out.
pub async fn audit_reads(
    state: &AppState,
    user: &User,
    device: &str,
    keys: Vec<RecordKey>,
) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    state
        .store
        .audit(
            user.org,
            vec![AuditEntry {
                seq: 0,
                at: Utc::now(),
                actor: user.id,
                device: device.to_owned(),
                what: AuditWhat::UnmaskedRead { keys },
            }],
        )
        .await?;
    Ok(())
}
