//! `POST /v1/sync`: push ops, pull changes. What each half does is in [`crate::sync`]; this
//! handler checks the request, calls it and answers.

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use domain::sync::{MAX_OPS, OpStatus, SyncRequest, SyncResponse};

use super::AppState;
use super::error::{
    BodyTooLarge, Error, InvalidField, MalformedBody, NotJson, Result, Unauthenticated,
};
use super::extractor::{AuthUser, Json, Wording};
use super::listing::audit_reads;
use crate::access::Scope;
use crate::sync;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/sync", post(sync))
}

/// Pushes a batch of ops and pulls what changed since `cursor`.
///
/// Each op is applied with the shared `apply` (the same function the device runs) and answered
/// in order. An op already applied answers with its first outcome, so resending a batch whose
/// response was lost is safe. Changes are the records the caller may see, masked as their
/// role requires; `more` means another page is waiting. A refusal's `message` is in the
/// language `Accept-Language` asks for (English or Simplified Chinese; English by default).
#[utoipa::path(post, path = "/v1/sync", tag = "sync", request_body = SyncRequest,
    security(("bearer" = [])),
    params(("Accept-Language" = Option<String>, Header,
        description = "The language of refusals' `message`: `zh` words them in Simplified Chinese; anything else in English")),
    responses(
        (status = 200, description = "Per-op results and changes", body = SyncResponse),
        MalformedBody, Unauthenticated, BodyTooLarge, NotJson, InvalidField,
    ))]
pub(crate) async fn sync(
    State(state): State<AppState>,
    auth: AuthUser,
    wording: Wording,
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
    let store = state.store.as_ref();
    let results = sync::push(
        store,
        &auth.user,
        &req.device_id,
        &req.ops,
        wording.words(),
        &state.erasures,
    )
    .await?;
    // Replays answer Applied too; a needless "changed" costs a listener one small sync.
    if results
        .iter()
        .any(|r| matches!(&r.status, OpStatus::Applied { changed } if !changed.is_empty()))
    {
        state.live.changed(auth.user.org, &req.device_id);
        // And every other instance's channels: told in the background, the answer does not
        // wait for it (a channel that misses it syncs at its next quiet minute anyway).
        let told = state.store.announce(auth.user.org, &req.device_id);
        tokio::spawn(async move {
            if let Err(e) = told.await {
                tracing::warn!(error = %e, "could not announce a change to the other instances");
            }
        });
    }
    // The session's own device decides too: a token taken off a lost phone gets nothing by
    // naming another device in the body.
    let session_device = auth.signed_out_device.as_deref();
    if sync::remote_wipe(store, &auth.user, session_device.unwrap_or(&req.device_id)).await? {
        return Ok(axum::Json(sync::wiped(results, req.cursor)));
    }
    let store = state.store.clone();
    let (cursor, user) = (req.cursor, auth.user);
    let (mut feed, user) = tokio::task::spawn_blocking(move || -> Result<_> {
        let scope = Scope::load(store.as_ref(), user)?;
        let feed = sync::pull(store.as_ref(), &scope, cursor)?;
        Ok((feed, scope.user))
    })
    .await??;
    let unmasked = std::mem::take(&mut feed.unmasked);
    audit_reads(&state, &user, &req.device_id, unmasked).await?;
    Ok(axum::Json(feed.answer(results)))
}
