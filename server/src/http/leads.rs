//! `GET /v1/leads`, `GET /v1/leads/{id}`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::ids::{LeadId, StoreId, UserId};
use domain::leads::{Lead, Stage};
use domain::ops::{Record, RecordKey, RecordKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::error::{BadId, BadParameter, Problem, Result, Unauthenticated};
use super::extractor::{AuthUser, IdPath, Query};
use super::listing;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/leads", get(list))
        .route("/v1/leads/{id}", get(detail))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeadQuery {
    pub store: Option<StoreId>,
    pub stage: Option<Stage>,
    pub owner: Option<UserId>,
    pub cursor: Option<Uuid>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LeadPage {
    pub items: Vec<Lead>,
    pub next_cursor: Option<Uuid>,
}

/// Leads the caller may see: reps their own, dispatchers their stores', admins all.
#[utoipa::path(get, path = "/v1/leads", tag = "console", params(LeadQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of leads", body = LeadPage),
        BadParameter, Unauthenticated,
    ))]
pub(crate) async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<LeadQuery>,
) -> Result<axum::Json<LeadPage>> {
    let limit = listing::limit(q.limit)?;
    let (items, next_cursor) = listing::list(
        &state,
        auth,
        RecordKind::Lead,
        q.cursor,
        limit,
        move |_, r| {
            Ok(matches!(r, Record::Lead(l)
                if q.store.is_none_or(|s| l.store == s)
                && q.stage.is_none_or(|s| l.stage == s)
                && q.owner.is_none_or(|o| l.owner == o)))
        },
        |_, _, r| {
            Ok(if let Record::Lead(l) = r {
                Some(l)
            } else {
                None
            })
        },
    )
    .await?;
    Ok(axum::Json(LeadPage { items, next_cursor }))
}

/// One lead, if the caller may see it.
#[utoipa::path(get, path = "/v1/leads/{id}", tag = "console",
    params(("id" = Uuid, Path, description = "Lead id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The lead", body = Lead),
        BadId, Unauthenticated,
        (status = 404, description = "No such lead, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    auth: AuthUser,
    IdPath(id): IdPath,
) -> Result<axum::Json<Lead>> {
    match listing::detail(&state, auth, RecordKey::Lead(LeadId(id))).await? {
        Record::Lead(l) => Ok(axum::Json(l)),
        _ => Err(super::error::Error::NotFound("no such lead".into())),
    }
}
