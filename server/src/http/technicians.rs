//! `GET /v1/technicians`, `GET /v1/technicians/{id}`: people and their working profiles.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::ids::{StoreId, UserId};
use domain::ops::{Record, RecordKey, RecordKind};
use domain::org::{SkillCode, TechnicianProfile, User};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::error::{BadId, BadParameter, Error, Problem, Result, Unauthenticated};
use super::extractor::{AuthUser, IdPath, Query};
use super::listing;
use crate::access::Scope;
use crate::store::{self, Store};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/technicians", get(list))
        .route("/v1/technicians/{id}", get(detail))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TechnicianQuery {
    pub store: Option<StoreId>,
    /// Only technicians with this skill code.
    pub skill: Option<String>,
    pub cursor: Option<Uuid>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A technician: the person and their working profile.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Technician {
    pub user: User,
    pub profile: TechnicianProfile,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TechnicianPage {
    pub items: Vec<Technician>,
    pub next_cursor: Option<Uuid>,
}

fn with_user(
    store: &dyn Store,
    scope: &Scope,
    r: Record,
) -> Result<Option<Technician>, store::Error> {
    let Record::Technician(profile) = r else {
        return Ok(None);
    };
    let Some(u) = store.get(RecordKey::User(profile.user))? else {
        return Ok(None);
    };
    Ok(scope.view(store, u)?.and_then(|v| match v.record {
        Record::User(user) => Some(Technician { user, profile }),
        _ => None,
    }))
}

/// Technicians the caller may see: dispatchers their stores', admins all, a technician
/// themself.
#[utoipa::path(get, path = "/v1/technicians", tag = "console", params(TechnicianQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of technicians", body = TechnicianPage),
        BadParameter, Unauthenticated,
    ))]
pub(crate) async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<TechnicianQuery>,
) -> Result<axum::Json<TechnicianPage>> {
    let limit = listing::limit(q.limit)?;
    let skill = q.skill.map(SkillCode);
    let (items, next_cursor) = listing::list(
        &state,
        auth,
        RecordKind::Technician,
        q.cursor,
        limit,
        move |_, r| {
            Ok(matches!(r, Record::Technician(t)
                if q.store.is_none_or(|s| t.store == s)
                && skill.as_ref().is_none_or(|k| t.skills.contains(k))))
        },
        with_user,
    )
    .await?;
    Ok(axum::Json(TechnicianPage { items, next_cursor }))
}

/// One technician, if the caller may see them.
#[utoipa::path(get, path = "/v1/technicians/{id}", tag = "console",
    params(("id" = Uuid, Path, description = "The technician's user id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The technician", body = Technician),
        BadId, Unauthenticated,
        (status = 404, description = "No such technician, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    auth: AuthUser,
    IdPath(id): IdPath,
) -> Result<axum::Json<Technician>> {
    let user = auth.user.clone();
    let profile = listing::detail(&state, auth, RecordKey::Technician(UserId(id))).await?;
    let st = state.store.clone();
    let t = tokio::task::spawn_blocking(move || -> Result<_> {
        let scope = Scope::load(st.as_ref(), user)?;
        Ok(with_user(st.as_ref(), &scope, profile)?)
    })
    .await??;
    t.map(axum::Json)
        .ok_or_else(|| Error::NotFound("no such technician".into()))
}
