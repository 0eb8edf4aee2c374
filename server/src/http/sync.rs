//! `POST /v1/sync`: push ops, pull changes.

use std::collections::HashSet;

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use chrono::Utc;
use shared::ops::{OpError, Record, RecordKey};
use shared::sync::{Change, MAX_OPS, OpResult, OpStatus, SyncRequest, SyncResponse};

use super::AppState;
use super::error::{Error, Problem, Result};
use super::extractor::{AuthUser, Json};
use super::listing::audit_reads;
use crate::access::{Scope, Visibility};
use crate::store::{AuditEntry, AuditWhat, Submission};

/// Most changes one response carries; first syncs are paged.
pub const PAGE: usize = 500;
/// Most change-log entries one response looks at, so that a request's work stays bounded
/// even when little of the log is visible to the caller.
pub const SCAN: usize = 5_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/sync", post(sync))
}

/// Pushes a batch of ops and pulls what changed since `cursor`.
///
/// Each op is applied with the shared `apply` (the same function the device runs) and answered
/// in order. An op already applied answers with its first outcome, so resending a batch whose
/// response was lost is safe. Changes are the records the caller may see, masked as their
/// role requires; `more` means another page is waiting.
#[utoipa::path(post, path = "/v1/sync", tag = "sync", request_body = SyncRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Per-op results and changes", body = SyncResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid or expired token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn sync(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<SyncRequest>,
) -> Result<axum::Json<SyncResponse>> {
    if req.device_id.trim().is_empty() || req.device_id.chars().count() > 128 {
        return Err(Error::invalid("device_id", "must be 1 to 128 characters"));
    }
    if req.ops.len() > MAX_OPS {
        return Err(Error::invalid(
            "ops",
            format!("at most {MAX_OPS} ops per request; send the rest next"),
        ));
    }
    let user = auth.user;
    // An op speaks for its actor: nobody may send ops in someone else's name. Such ops are
    // answered but not applied, and not remembered (they are not that person's ops).
    let own: Vec<_> = req.ops.iter().filter(|op| op.actor == user.id).collect();
    let outcomes = if own.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .apply(Submission {
                org: user.org,
                device: req.device_id.clone(),
                ops: own.into_iter().cloned().collect(),
            })
            .await?
    };
    // Ops in someone else's name are refused; an attempt is worth keeping on record.
    let forged: Vec<AuditEntry> = req
        .ops
        .iter()
        .filter(|op| op.actor != user.id)
        .map(|op| AuditEntry {
            seq: 0,
            at: Utc::now(),
            actor: user.id,
            device: req.device_id.clone(),
            what: AuditWhat::Op {
                op: op.id,
                kind: crate::store::sled::kind_name(op),
                made_at: op.at,
                applied: false,
                detail: format!("refused: sent in the name of another user ({})", op.actor),
                changed: Vec::new(),
                changes: Vec::new(),
            },
        })
        .collect();
    if !forged.is_empty() {
        tracing::warn!(user = %user.id, ops = forged.len(), "ops sent in another user's name");
        state.store.audit(user.org, forged).await?;
    }
    let mut outcomes = outcomes.into_iter();
    let results =
        req.ops
            .iter()
            .map(|op| OpResult {
                op: op.id,
                status: if op.actor != user.id {
                    OpStatus::from(Err(OpError::Forbidden(
                        "an op can only be sent by the person who made it".into(),
                    )))
                } else {
                    OpStatus::from(outcomes.next().unwrap_or_else(|| {
                        Err(OpError::Unavailable("no outcome was recorded".into()))
                    }))
                },
            })
            .collect();

    // A device signed out remotely: its pushes above were applied, nothing more goes to it.
    if state
        .store
        .device_sign_out(user.org, &req.device_id)?
        .is_some()
    {
        {
            let entry = AuditEntry {
                seq: 0,
                at: Utc::now(),
                actor: user.id,
                device: req.device_id.clone(),
                what: AuditWhat::DeviceSignOut {
                    user: user.id,
                    device_id: req.device_id.clone(),
                    wiped: true,
                },
            };
            state.store.audit(user.org, vec![entry]).await?;
        }
        return Ok(axum::Json(SyncResponse {
            results,
            changes: Vec::new(),
            cursor: req.cursor,
            more: false,
            server_time: Some(Utc::now()),
            wipe: true,
        }));
    }
    let store = state.store.clone();
    let cursor = req.cursor;
    let (changes, last, head, reads, user) = tokio::task::spawn_blocking(move || -> Result<_> {
        let scope = Scope::load(store.as_ref(), user)?;
        // Technicians (most devices) read only their feeds; office roles scan the log.
        let page = match scope.feed_parties() {
            Some(parties) => store.feed(scope.user.org, &parties, cursor, SCAN)?,
            None => store.changes(scope.user.org, cursor, SCAN, &|kind, hint| {
                scope.might_see(kind, hint)
            })?,
        };
        let mut changes = Vec::new();
        let mut reads = Vec::new();
        let mut sent = HashSet::new();
        let mut last = page.last;
        for (seq, record) in page.entries {
            if changes.len() >= PAGE {
                last = seq - 1;
                break;
            }
            let key = record.key();
            if !sent.insert(key) {
                continue;
            }
            if let Some(v) = scope.view(store.as_ref(), record.clone())? {
                if v.unmasked_personal {
                    reads.push(key);
                }
                // A job that just became a technician's brings its customer and asset, whose
                // own changes may be older than the device's cursor.
                let companions: Vec<RecordKey> = match &v.record {
                    Record::Job(j) if j.technician == Some(scope.user.id) => {
                        std::iter::once(RecordKey::Customer(j.customer))
                            .chain(j.asset.map(RecordKey::Asset))
                            .collect()
                    }
                    _ => Vec::new(),
                };
                changes.push(Change::Put {
                    record: Box::new(v.record),
                });
                for dep in companions {
                    if sent.insert(dep)
                        && let Some(r) = store.get(dep)?
                        && let Some(dv) = scope.view(store.as_ref(), r)?
                    {
                        if dv.unmasked_personal {
                            reads.push(dep);
                        }
                        changes.push(Change::Put {
                            record: Box::new(dv.record),
                        });
                    }
                }
            } else if scope.may_have_seen(&record) {
                changes.push(Change::Gone { key });
                for dep in scope.dependents_to_drop(&record) {
                    let hidden = match store.get(dep)? {
                        Some(r) => scope.visibility(store.as_ref(), &r)? == Visibility::Hidden,
                        None => true,
                    };
                    if hidden {
                        changes.push(Change::Gone { key: dep });
                    }
                }
            }
        }
        Ok((changes, last, page.head, reads, scope.user))
    })
    .await??;
    audit_reads(&state, &user, &req.device_id, reads).await?;
    Ok(axum::Json(SyncResponse {
        results,
        changes,
        cursor: last,
        more: last < head,
        server_time: Some(Utc::now()),
        wipe: false,
    }))
}
