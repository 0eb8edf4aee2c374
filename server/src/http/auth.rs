//! `POST /v1/auth/login`, `/v1/auth/refresh`, `/v1/auth/logout`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::Utc;
use shared::ops::{Record, RecordKey};
use shared::org::User;
use shared::sync::{LoginRequest, RefreshRequest, Session};

use super::AppState;
use super::error::{Error, Problem, Result};
use super::extractor::{ClientAddr, Json};
use crate::auth::{new_refresh_token, refresh_hash, verify_password};
use crate::store::RefreshSession;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/auth/logout", post(logout))
}

const WRONG: &str = "wrong login or password";

/// Signs in with a login and password.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong login or password", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<LoginRequest>,
) -> Result<axum::Json<Session>> {
    if req.login.len() > 200 || req.password.len() > 200 {
        return Err(Error::Unauthorized(WRONG.into()));
    }
    state
        .limiter
        .attempt(&req.login, addr)
        .map_err(|retry_after| Error::TooManyRequests { retry_after })?;
    let store = state.store.clone();
    let dummy = state.dummy_hash.clone();
    let login = req.login.clone();
    let user = tokio::task::spawn_blocking(move || -> Result<Option<User>> {
        let creds = store.credentials(&login)?;
        // Verify even when the login is unknown, so the answer takes as long either way.
        let hash = creds
            .as_ref()
            .and_then(|c| c.password_hash.clone())
            .unwrap_or_else(|| dummy.as_str().to_owned());
        let ok = verify_password(&req.password, &hash);
        Ok(creds
            .filter(|c| ok && c.password_hash.is_some() && c.user.active)
            .map(|c| c.user))
    })
    .await??;
    let Some(user) = user else {
        state.limiter.failed(&req.login);
        return Err(Error::Unauthorized(WRONG.into()));
    };
    state.limiter.succeeded(&req.login);
    Ok(axum::Json(session(&state, user).await?))
}

async fn session(state: &AppState, user: User) -> Result<Session> {
    let now = Utc::now();
    let (refresh_token, hash) = new_refresh_token().map_err(|e| Error::Internal(e.to_string()))?;
    let expires_at = now
        + chrono::Duration::from_std(state.tokens.refresh_ttl)
            .unwrap_or_else(|_| chrono::Duration::days(30));
    state
        .store
        .put_refresh(
            hash,
            RefreshSession {
                user: user.id,
                org: user.org,
                expires_at,
            },
        )
        .await?;
    Ok(Session {
        access_token: state.tokens.issue(user.id, user.org, now),
        refresh_token,
        expires_in: state.tokens.access_ttl.as_secs(),
        user,
    })
}

/// Trades a refresh token (once) for a new session.
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new session; the old refresh token no longer works", body = Session),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, used or expired refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<axum::Json<Session>> {
    let taken = state
        .store
        .take_refresh(refresh_hash(&req.refresh_token))
        .await?;
    let Some(s) = taken.filter(|s| s.expires_at > Utc::now()) else {
        return Err(Error::Unauthorized(
            "the refresh token is unknown, used or expired; sign in again".into(),
        ));
    };
    let user = match state.store.get(RecordKey::User(s.user))? {
        Some(Record::User(u)) if u.active && u.org == s.org => u,
        _ => return Err(Error::Unauthorized("this account cannot sign in".into())),
    };
    Ok(axum::Json(session(&state, user).await?))
}

/// Ends a session: its refresh token stops working (the access token expires by itself).
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<StatusCode> {
    state
        .store
        .take_refresh(refresh_hash(&req.refresh_token))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
