//! `GET /v1/follow-ups`, `GET /v1/follow-ups/{id}`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::{DateTime, Utc};
use domain::followups::{FollowUp, FollowUpStatus};
use domain::ids::{FollowUpId, StoreId, UserId};
use domain::ops::{Record, RecordKey, RecordKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::error::{BadId, BadParameter, Problem, Result, Unauthenticated};
use super::extractor::{AuthUser, IdPath, Query};
use super::listing;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/follow-ups", get(list))
        .route("/v1/follow-ups/{id}", get(detail))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    Open,
    Snoozed,
    Done,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FollowUpQuery {
    pub store: Option<StoreId>,
    pub owner: Option<UserId>,
    pub status: Option<FollowUpState>,
    /// Only follow-ups that demand attention before this instant.
    pub due_before: Option<DateTime<Utc>>,
    pub cursor: Option<Uuid>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowUpPage {
    pub items: Vec<FollowUp>,
    pub next_cursor: Option<Uuid>,
}

fn state_of(f: &FollowUp) -> FollowUpState {
    match f.status {
        FollowUpStatus::Open => FollowUpState::Open,
        FollowUpStatus::Snoozed { .. } => FollowUpState::Snoozed,
        FollowUpStatus::Done { .. } => FollowUpState::Done,
    }
}

/// Follow-up tasks the caller may see.
#[utoipa::path(get, path = "/v1/follow-ups", tag = "console", params(FollowUpQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of follow-ups", body = FollowUpPage),
        BadParameter, Unauthenticated,
    ))]
pub(crate) async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<FollowUpQuery>,
) -> Result<axum::Json<FollowUpPage>> {
    let limit = listing::limit(q.limit)?;
    let (items, next_cursor) = listing::list(
        &state,
        auth,
        RecordKind::FollowUp,
        q.cursor,
        limit,
        move |_, r| {
            Ok(matches!(r, Record::FollowUp(f)
                if q.store.is_none_or(|s| f.store == s)
                && q.owner.is_none_or(|o| f.owner == o)
                && q.status.is_none_or(|s| state_of(f) == s)
                && q.due_before.is_none_or(|t| f.effective_due() < t)))
        },
        |_, _, r| {
            Ok(if let Record::FollowUp(f) = r {
                Some(f)
            } else {
                None
            })
        },
    )
    .await?;
    Ok(axum::Json(FollowUpPage { items, next_cursor }))
}

/// One follow-up, if the caller may see it.
#[utoipa::path(get, path = "/v1/follow-ups/{id}", tag = "console",
    params(("id" = Uuid, Path, description = "Follow-up id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The follow-up", body = FollowUp),
        BadId, Unauthenticated,
        (status = 404, description = "No such follow-up, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    auth: AuthUser,
    IdPath(id): IdPath,
) -> Result<axum::Json<FollowUp>> {
    match listing::detail(&state, auth, RecordKey::FollowUp(FollowUpId(id))).await? {
        Record::FollowUp(f) => Ok(axum::Json(f)),
        _ => Err(super::error::Error::NotFound("no such follow-up".into())),
    }
}
