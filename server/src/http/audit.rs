//! `GET /v1/audit`: the organization's audit of reads and writes, for its admins, newest
//! last, filtered by who, what kind of event, which customer and when.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::{DateTime, Utc};
use domain::audit::AuditPage;
use domain::ids::{CustomerId, UserId};
use domain::org::Role;
use serde::Deserialize;

use super::AppState;
use super::error::{Error, Result};
use super::extractor::{AuthUser, Query};
use crate::store::AuditWhat;

/// Entries read per request at most, matched or not: a filter that matches little answers
/// with a cursor to continue from rather than scanning the whole audit at once.
const SCAN: usize = 20_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/audit", get(browse))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Continue after this entry (the `next` of the previous answer).
    pub after: Option<u64>,
    pub limit: Option<u32>,
    pub actor: Option<UserId>,
    /// The event's kind as the entries name it: `op`, `unmasked_read`, `search`,
    /// `login_failed`, `export`, ...
    pub event: Option<String>,
    /// Entries about this customer's records (their own, and everything filed under them).
    pub customer: Option<CustomerId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

fn event_name(w: &AuditWhat) -> String {
    serde_json::to_value(w)
        .ok()
        .and_then(|v| v.get("event").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) async fn browse(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<AuditQuery>,
) -> Result<axum::Json<AuditPage>> {
    if !auth.user.has(Role::Admin) {
        return Err(Error::Forbidden("the audit is for admins".into()));
    }
    let limit = super::listing::limit(q.limit)?;
    if let (Some(f), Some(t)) = (q.from, q.to)
        && f > t
    {
        return Err(Error::bad("from", "must not be after to"));
    }
    let st = state.store.clone();
    let org = auth.user.org;
    let page = tokio::task::spawn_blocking(move || -> Result<AuditPage> {
        let store = st.as_ref();
        let keys = match q.customer {
            Some(c) => Some(crate::privacy::erased_keys(store, c)?),
            None => None,
        };
        let mut items = Vec::new();
        let mut after = q.after.unwrap_or(0);
        let mut scanned = 0;
        loop {
            let batch = store.audit_log(org, after, 1_000)?;
            let Some(last) = batch.last().map(|e| e.seq) else {
                return Ok(AuditPage { items, next: None });
            };
            for e in batch {
                scanned += 1;
                after = e.seq;
                let about =
                    |k: &domain::ops::RecordKey| keys.as_ref().is_some_and(|ks| ks.contains(k));
                let matches = q.actor.is_none_or(|a| e.actor == a)
                    && q.event.as_ref().is_none_or(|ev| event_name(&e.what) == *ev)
                    && q.from.is_none_or(|f| e.at >= f)
                    && q.to.is_none_or(|t| e.at <= t)
                    && (keys.is_none()
                        || match &e.what {
                            AuditWhat::Op { changed, .. } => changed.iter().any(about),
                            AuditWhat::UnmaskedRead { keys } => keys.iter().any(about),
                            AuditWhat::Export { customer, .. }
                            | AuditWhat::ExportRefused { customer } => {
                                Some(*customer) == q.customer
                            }
                            _ => false,
                        });
                if matches {
                    items.push(e);
                    if items.len() == limit {
                        return Ok(AuditPage {
                            items,
                            next: Some(after),
                        });
                    }
                }
                if scanned >= SCAN {
                    return Ok(AuditPage {
                        items,
                        next: Some(after),
                    });
                }
            }
            after = last;
        }
    })
    .await??;
    Ok(axum::Json(page))
}
