//! `POST /v1/devices/sign-out`: a lost phone. The device is marked; at its next sync it sends
//! what it still has queued (those ops are applied as usual), is answered `wipe: true`, and
//! removes everything it holds. Every other request carrying its device id is refused.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::Utc;
use domain::ids::UserId;
use serde::Deserialize;

use super::AppState;
use super::error::{
    BodyTooLarge, Error, InvalidField, MalformedBody, NotJson, Problem, Result, Unauthenticated,
};
use super::extractor::{AuthUser, Json};
use crate::store::{AuditWhat, DeviceSignOut};

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/devices/sign-out", post(sign_out))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOutDevice {
    /// Whose device it is.
    pub user: UserId,
    /// The device's id, as the audit log records it.
    #[schema(min_length = 1, max_length = 128)]
    pub device_id: String,
}

/// Signs one of a person's devices out remotely and has it wipe its data at its next contact.
///
/// Allowed for admins, and for the dispatcher of all of the person's stores. Another
/// organization's user is answered as unknown.
#[utoipa::path(post, path = "/v1/devices/sign-out", tag = "admin", request_body = SignOutDevice,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The device will wipe itself at its next contact"),
        MalformedBody, Unauthenticated,
        (status = 403, description = "Not allowed to manage this person", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge, NotJson, InvalidField,
    ))]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<SignOutDevice>,
) -> Result<StatusCode> {
    let device = req.device_id.trim().to_owned();
    if device.is_empty() || device.chars().count() > 128 {
        return Err(Error::invalid("device_id", "must be 1 to 128 characters"));
    }
    // The same rule and the same words as setting a password (`User::manages_person`).
    let target = super::admin::target(&state, &auth.user, req.user.0)?;
    state
        .store
        .sign_out_device(
            target.org,
            device.clone(),
            DeviceSignOut {
                user: target.id,
                by: auth.user.id,
                at: Utc::now(),
            },
        )
        .await?;
    tracing::info!(user = %target.id, by = %auth.user.id, "device signed out remotely");
    let what = AuditWhat::DeviceSignOut {
        user: target.id,
        device_id: device,
        wiped: false,
    };
    super::admin::audit(&state, &auth.user, auth.device, what).await?;
    Ok(StatusCode::NO_CONTENT)
}
