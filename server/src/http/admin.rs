//! `POST /v1/admin/users/{id}/password` and `POST /v1/admin/users/{id}/sessions/end`: the
//! operator's account actions that are not ops. A password is never set inside an op, since
//! ops are queued on devices, synced and kept in the log.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::Utc;
use domain::ids::UserId;
use domain::ops::{Record, RecordKey};
use domain::org::User;
use serde::Deserialize;

use super::AppState;
use super::error::{BadId, BodyTooLarge, Error, NotJson, Problem, Result, Unauthenticated};
use super::extractor::{AuthUser, IdPath, Json};
use crate::auth::{PasswordError, hash_password};
use crate::store::{AuditEntry, AuditWhat};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/admin/users/{id}/password", post(set_password))
        .route("/v1/admin/users/{id}/sessions/end", post(end_sessions))
}

/// The target user, as the caller may act on them: other organizations' ids are not found,
/// like unknown ids.
pub(super) fn target(state: &AppState, caller: &User, id: uuid::Uuid) -> Result<User> {
    let not_found = || Error::NotFound("no such user".into());
    let target = match state.store.get(RecordKey::User(UserId(id)))? {
        Some(Record::User(u)) if u.org == caller.org => u,
        _ => return Err(not_found()),
    };
    // The same rule as deactivating (`User::manages_person`): a password reset hands over
    // the account in every store it works in, so a dispatcher needs all of them.
    if !caller.manages_person(&target) {
        return Err(Error::Forbidden(
            "only an admin, or the dispatcher of all of this person's stores, may do this".into(),
        ));
    }
    Ok(target)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    /// 8 to 200 characters.
    #[schema(min_length = 8, max_length = 200)]
    pub password: String,
}

/// Sets a user's password and ends all of their sessions (access and refresh tokens) at
/// once.
#[utoipa::path(post, path = "/v1/admin/users/{id}/password", tag = "admin",
    params(("id" = uuid::Uuid, Path, description = "The user's id")),
    security(("bearer" = [])), request_body = PasswordRequest,
    responses(
        (status = 204, description = "Password set; the user's sessions ended"),
        (status = 400, description = "Malformed body or id", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
        (status = 403, description = "Not an admin or the user's dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge, NotJson,
        (status = 422, description = "Password too short or too long, or invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn set_password(
    State(state): State<AppState>,
    AuthUser {
        user: caller,
        device,
        ..
    }: AuthUser,
    IdPath(id): IdPath,
    Json(req): Json<PasswordRequest>,
) -> Result<StatusCode> {
    let target = target(&state, &caller, id)?;
    let cost = state.config.password_cost;
    let hash = tokio::task::spawn_blocking(move || hash_password(&req.password, cost))
        .await?
        .map_err(|e| match e {
            PasswordError::Weak => Error::invalid("password", e.to_string()),
            PasswordError::Hash(e) => Error::Internal(e),
        })?;
    state.store.set_password(target.id, hash).await?;
    tracing::info!(user = %target.id, by = %caller.id, "password set; sessions ended");
    audit(
        &state,
        &caller,
        device,
        AuditWhat::PasswordSet { user: target.id },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of a user (a lost phone) without changing the password: access and
/// refresh tokens issued before stop working at once, on every server instance. Anyone may
/// end their own sessions.
#[utoipa::path(post, path = "/v1/admin/users/{id}/sessions/end", tag = "admin",
    params(("id" = uuid::Uuid, Path, description = "The user's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Sessions ended"),
        BadId, Unauthenticated,
        (status = 403, description = "Not an admin or the user's dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn end_sessions(
    State(state): State<AppState>,
    AuthUser {
        user: caller,
        device,
        ..
    }: AuthUser,
    IdPath(id): IdPath,
) -> Result<StatusCode> {
    let target = if caller.id.0 == id {
        caller.clone()
    } else {
        target(&state, &caller, id)?
    };
    state.store.end_sessions(target.id).await?;
    tracing::info!(user = %target.id, by = %caller.id, "sessions ended");
    audit(
        &state,
        &caller,
        device,
        AuditWhat::SessionsEnded { user: target.id },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn audit(
    state: &AppState,
    caller: &User,
    device: String,
    what: AuditWhat,
) -> Result<()> {
    state
        .store
        .audit(
            caller.org,
            vec![AuditEntry {
                seq: 0,
                at: Utc::now(),
                actor: caller.id,
                device,
                what,
            }],
        )
        .await?;
    Ok(())
}
