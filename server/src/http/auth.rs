//! `POST /v1/auth/login`, `/v1/auth/refresh`, `/v1/auth/logout`, and enrolling a second
//! factor (`/v1/auth/second-factor`, `/v1/auth/second-factor/confirm`).
//!
//! Sign-in, in order: count the attempt ([`crate::auth::RateLimiter::begin`]), wait for the
//! pair's turn and the account's delay, check the password, then the second factor when the
//! organization requires one of admins. Failures are logged and audited under the account.

use std::net::IpAddr;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::Utc;
use domain::ops::{Record, RecordKey};
use domain::org::{Role, User};
use domain::sync::{LoginRequest, RefreshRequest, Session};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{
    BodyTooLarge, Error, InvalidField, MalformedBody, NotJson, Problem, Result, Unauthenticated,
};
use super::extractor::{ClientAddr, Enrolling, Json};
use crate::auth::{
    Attempt, Claims, Origin, new_recovery_codes, new_refresh_token, normalize_login, recovery_hash,
    refresh_hash, totp, verify_password,
};
use crate::store::{AuditEntry, AuditWhat, RefreshSession, SecondFactor, SecondFactorUse};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/auth/logout", post(logout))
        .route("/v1/auth/second-factor", post(enrol))
        .route("/v1/auth/second-factor/confirm", post(confirm))
}

const WRONG: &str = "wrong login or password";

/// Signs in with a login and password (and, for admins of organizations that require it, a
/// second-factor code).
///
/// Attempts are slowed, never locked: after a few failures of an account each attempt waits
/// up to a few seconds; after more failures from one address on one account, that address's
/// attempts on it go one at a time.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Session),
        MalformedBody,
        (status = 401, description = "Wrong login or password; or, with the problem type `urn:rounds:problem:second_factor_required`, a second-factor code is missing or wrong", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge, NotJson, InvalidField,
        (status = 429, description = "Too many attempts from this address on this account at once; retry after the Retry-After seconds (at most a few)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<LoginRequest>,
) -> Result<axum::Json<Session>> {
    if req.login.chars().count() > 200
        || req.password.chars().count() > 200
        || req.otp.as_ref().is_some_and(|o| o.chars().count() > 64)
    {
        return Err(Error::Unauthorized(WRONG.into()));
    }
    if req
        .device_id
        .as_ref()
        .is_some_and(|d| d.trim().is_empty() || d.chars().count() > 128)
    {
        return Err(Error::invalid("device_id", "must be 1 to 128 characters"));
    }
    if req
        .device_token
        .as_ref()
        .is_some_and(|t| t.chars().count() > 200)
    {
        return Err(Error::invalid("device_token", "is not a device token"));
    }
    let key = normalize_login(&req.login);
    // A device that signed in to this account before queues on its own: whoever fails from
    // the same address (a shop behind one NAT, an attacker on its wifi) cannot hold it up.
    let known_device = match (&req.device_id, &req.device_token) {
        (Some(d), Some(t)) if state.tokens.is_device_token(&key, d, t) => Some(d.clone()),
        _ => None,
    };
    let origin = match &known_device {
        Some(d) => Origin::KnownDevice(d.clone()),
        None => Origin::Address(addr),
    };
    let attempt = state.limiter.begin_from(&key, origin).await?;
    if attempt.refused {
        tracing::info!(login = %key, address = ?addr, "sign-in refused: throttled");
        let retry_after = state.limiter.limits().max_delay.as_secs().max(1);
        return Err(Error::TooManyRequests { retry_after });
    }
    let creds = state.store.credentials(&key)?;
    let account = creds.as_ref().map(|c| c.user.clone());
    if attempt.newly_throttled {
        tracing::warn!(login = %key, address = ?addr, failures = attempt.pair_failures,
            "sign-ins to this account from this address are throttled");
        audit_login(
            &state,
            account.as_ref(),
            AuditWhat::LoginThrottled {
                login: key.clone(),
                address: addr.map(|a| a.to_string()),
                failures: attempt.pair_failures,
            },
        )
        .await;
    }
    // A throttled pair's turn was booked in arrival order; `delay` waits for it too.
    if !attempt.delay.is_zero() {
        tokio::time::sleep(attempt.delay).await;
    }
    let dummy = state.dummy_hash.clone();
    let password = req.password.clone();
    let user = tokio::task::spawn_blocking(move || -> Option<User> {
        // Verify even when the login is unknown, so the answer takes as long either way.
        let hash = creds
            .as_ref()
            .and_then(|c| c.password_hash.clone())
            .unwrap_or_else(|| dummy.as_str().to_owned());
        let ok = verify_password(&password, &hash);
        creds
            .filter(|c| ok && c.password_hash.is_some() && c.user.active)
            .map(|c| c.user)
    })
    .await?;
    let Some(user) = user else {
        failed(&state, &key, addr, &attempt, account.as_ref(), false).await;
        return Err(Error::Unauthorized(WRONG.into()));
    };
    let (mut setup, mut with_factor) = (false, false);
    if requires_second_factor(&state, &user)? {
        match state.store.second_factor(user.id)?.filter(|f| f.confirmed) {
            None => setup = true,
            Some(factor) => {
                let Some(code) = req.otp.as_deref().filter(|c| !c.trim().is_empty()) else {
                    // The password was right: not a guess, so not counted.
                    state.limiter.refund(&attempt).await;
                    return Err(Error::SecondFactorRequired(
                        "enter the code of your authenticator app (or a recovery code)".into(),
                    ));
                };
                if !spend_code(&state, &user, &factor, code).await? {
                    failed(&state, &key, addr, &attempt, Some(&user), true).await;
                    return Err(Error::SecondFactorRequired(
                        "the code is wrong or was used already".into(),
                    ));
                }
                with_factor = true;
            }
        }
    }
    state.limiter.refund(&attempt).await;
    Ok(axum::Json(
        session(&state, user, setup, with_factor, req.device_id).await?,
    ))
}

/// Whether this user must sign in with a second factor: admins of organizations that turned
/// it on.
fn requires_second_factor(state: &AppState, user: &User) -> Result<bool> {
    if !user.has(Role::Admin) {
        return Ok(false);
    }
    Ok(matches!(
        state.store.get(RecordKey::Org(user.org))?,
        Some(Record::Org(o)) if o.settings.admin_second_factor
    ))
}

/// Checks a TOTP code (6 digits) or a recovery code and spends it.
async fn spend_code(
    state: &AppState,
    user: &User,
    factor: &SecondFactor,
    code: &str,
) -> Result<bool> {
    let now = u64::try_from(Utc::now().timestamp()).unwrap_or(0);
    let spend = match totp::check(&factor.secret, code, now) {
        Some(step) => SecondFactorUse::Step(step),
        None => SecondFactorUse::Recovery(recovery_hash(code)),
    };
    let used = state.store.use_second_factor(user.id, spend).await?;
    if used && let SecondFactorUse::Recovery(_) = spend {
        let left = factor.recovery.len().saturating_sub(1);
        tracing::info!(user = %user.id, left, "signed in with a recovery code");
        audit(state, user, "login", AuditWhat::RecoveryCodeUsed { left }).await?;
    }
    Ok(used)
}

/// Logs and (for known accounts) audits a failed sign-in. The attempt stays counted.
async fn failed(
    state: &AppState,
    key: &str,
    addr: Option<IpAddr>,
    attempt: &Attempt,
    account: Option<&User>,
    second_factor: bool,
) {
    tracing::warn!(login = %key, address = ?addr, failures = attempt.account_failures,
        pair_failures = attempt.pair_failures, second_factor, known = account.is_some(),
        "sign-in failed");
    audit_login(
        state,
        account,
        AuditWhat::LoginFailed {
            login: key.to_owned(),
            address: addr.map(|a| a.to_string()),
            second_factor,
            failures: attempt.account_failures,
        },
    )
    .await;
}

/// Audits a sign-in event under the account it names; unknown logins are only logged (they
/// belong to no organization).
async fn audit_login(state: &AppState, account: Option<&User>, what: AuditWhat) {
    if let Some(user) = account
        && let Err(e) = audit(state, user, "login", what).await
    {
        tracing::error!(error = %e, "auditing a sign-in failed");
    }
}

async fn audit(state: &AppState, actor: &User, device: &str, what: AuditWhat) -> Result<()> {
    state
        .store
        .audit(
            actor.org,
            vec![AuditEntry {
                seq: 0,
                at: Utc::now(),
                actor: actor.id,
                device: device.to_owned(),
                what,
            }],
        )
        .await?;
    Ok(())
}

/// A new session at the user's current epoch. `setup`: an admin who must enrol a second
/// factor first gets an access token that only enrols, and a refresh token that is not
/// stored (so it does not work). `with_factor`: signed in with a second factor.
async fn session(
    state: &AppState,
    user: User,
    setup: bool,
    with_factor: bool,
    device: Option<String>,
) -> Result<Session> {
    let now = Utc::now();
    let epoch = state.store.session_epoch(user.id)?;
    let (refresh_token, hash) = new_refresh_token().map_err(|e| Error::Internal(e.to_string()))?;
    let expires_at = now
        + chrono::Duration::from_std(state.tokens.refresh_ttl)
            .unwrap_or_else(|_| chrono::Duration::days(30));
    if !setup {
        state
            .store
            .put_refresh(
                hash,
                RefreshSession {
                    user: user.id,
                    org: user.org,
                    expires_at,
                    epoch,
                    second_factor: with_factor,
                    device: device.clone(),
                },
            )
            .await?;
    }
    let access_token = state.tokens.issue_claims(&Claims {
        user: user.id,
        org: user.org,
        exp: state.tokens.expiry(now),
        epoch,
        enrol_only: setup,
        device: device.clone(),
    });
    let device_token = device.map(|d| state.tokens.device_token(&normalize_login(&user.login), &d));
    Ok(Session {
        access_token,
        refresh_token,
        expires_in: state.tokens.access_ttl.as_secs(),
        user,
        second_factor_setup: setup,
        device_token,
    })
}

/// Trades a refresh token (once) for a new session.
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new session; the old refresh token no longer works", body = Session),
        MalformedBody,
        (status = 401, description = "Unknown, used, expired or ended refresh token", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge, NotJson, InvalidField,
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
    if s.epoch != state.store.session_epoch(s.user)? {
        return Err(Error::Unauthorized(
            "this session was ended (password set or signed out everywhere); sign in again".into(),
        ));
    }
    if let Some(device) = &s.device
        && state.store.device_sign_out(s.org, device)?.is_some()
    {
        return Err(Error::Unauthorized("this device was signed out".into()));
    }
    let user = match state.store.get(RecordKey::User(s.user))? {
        Some(Record::User(u)) if u.active && u.org == s.org => u,
        _ => return Err(Error::Unauthorized("this account cannot sign in".into())),
    };
    if !s.second_factor && requires_second_factor(&state, &user)? {
        return Err(Error::Unauthorized(
            "your organization now requires a second factor; sign in again".into(),
        ));
    }
    Ok(axum::Json(
        session(&state, user, false, s.second_factor, s.device).await?,
    ))
}

/// Ends a session: its refresh token stops working (the access token expires by itself).
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        MalformedBody, BodyTooLarge, NotJson, InvalidField,
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

/// A new TOTP secret, shown once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// The secret in base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/...`, for a QR code.
    pub otpauth_uri: String,
}

/// Starts enrolling a second factor: makes a TOTP secret, pending until a first code
/// confirms it. Starting again before confirming replaces the pending secret; a confirmed
/// second factor is not replaced here (409).
#[utoipa::path(post, path = "/v1/auth/second-factor", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new secret (shown once)", body = Enrolment),
        Unauthenticated,
        (status = 409, description = "A second factor is already enrolled", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn enrol(
    State(state): State<AppState>,
    Enrolling(user): Enrolling,
) -> Result<axum::Json<Enrolment>> {
    if state
        .store
        .second_factor(user.id)?
        .is_some_and(|f| f.confirmed)
    {
        return Err(Error::Conflict(
            "a second factor is already enrolled; an operator can remove it".into(),
        ));
    }
    let secret = totp::new_secret().map_err(|e| Error::Internal(e.to_string()))?;
    let otpauth_uri = totp::uri(&secret, &user.login)
        .ok_or_else(|| Error::Internal("making the otpauth URI failed".into()))?;
    let enrolment = Enrolment {
        secret: totp::base32(&secret),
        otpauth_uri,
    };
    state
        .store
        .put_second_factor(
            user.id,
            Some(SecondFactor {
                secret,
                confirmed: false,
                last_step: 0,
                recovery: Vec::new(),
            }),
        )
        .await?;
    Ok(axum::Json(enrolment))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// The 6-digit code the authenticator app shows now.
    #[schema(max_length = 16)]
    pub code: String,
}

/// The recovery codes, shown once: each signs in once instead of a TOTP code.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Confirms the pending second factor with its first code, and answers the recovery codes.
/// An admin who signed in only to enrol signs in again, with a code, afterwards.
#[utoipa::path(post, path = "/v1/auth/second-factor/confirm", tag = "auth",
    security(("bearer" = [])), request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Enrolled; the recovery codes (shown once)", body = RecoveryCodes),
        MalformedBody, Unauthenticated,
        (status = 409, description = "Nothing to confirm, or already enrolled", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge, NotJson,
        (status = 422, description = "Wrong code or invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Enrolling(user): Enrolling,
    Json(req): Json<ConfirmRequest>,
) -> Result<axum::Json<RecoveryCodes>> {
    let Some(pending) = state.store.second_factor(user.id)?.filter(|f| !f.confirmed) else {
        return Err(Error::Conflict(
            "there is no pending second factor: start with POST /v1/auth/second-factor".into(),
        ));
    };
    let now = u64::try_from(Utc::now().timestamp()).unwrap_or(0);
    let Some(step) = totp::check(&pending.secret, &req.code, now) else {
        return Err(Error::invalid(
            "code",
            "the code is wrong; check the device's clock",
        ));
    };
    let codes = new_recovery_codes().map_err(|e| Error::Internal(e.to_string()))?;
    let (recovery_codes, recovery) = codes.into_iter().unzip();
    state
        .store
        .put_second_factor(
            user.id,
            Some(SecondFactor {
                secret: pending.secret,
                confirmed: true,
                last_step: step,
                recovery,
            }),
        )
        .await?;
    audit(&state, &user, "console", AuditWhat::SecondFactorEnrolled).await?;
    tracing::info!(user = %user.id, "second factor enrolled");
    Ok(axum::Json(RecoveryCodes { recovery_codes }))
}
