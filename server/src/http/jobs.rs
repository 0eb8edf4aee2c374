//! `GET /v1/jobs`, `GET /v1/jobs/{id}`: the dispatcher board and job sheets.

use std::collections::HashMap;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::NaiveDate;
use chrono_tz::Tz;
use domain::ids::{CustomerId, JobId, StoreId, UserId};
use domain::jobs::{Job, JobStatus};
use domain::ops::{Record, RecordKey, RecordKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::error::{BadId, BadParameter, Problem, Result, Unauthenticated};
use super::extractor::{AuthUser, IdPath, Query};
use super::listing;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/jobs", get(list))
        .route("/v1/jobs/{id}", get(detail))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    pub store: Option<StoreId>,
    pub status: Option<JobStatus>,
    pub technician: Option<UserId>,
    pub customer: Option<CustomerId>,
    /// Jobs planned to start on this day, in their store's time zone.
    pub date: Option<NaiveDate>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobPage {
    pub items: Vec<Job>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// Jobs the caller may see, oldest first, filtered.
#[utoipa::path(get, path = "/v1/jobs", tag = "console", params(JobQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of jobs", body = JobPage),
        BadParameter, Unauthenticated,
    ))]
pub(crate) async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<JobQuery>,
) -> Result<axum::Json<JobPage>> {
    let limit = listing::limit(q.limit)?;
    let mut zones: HashMap<StoreId, Tz> = HashMap::new();
    let (items, next_cursor) = listing::list(
        &state,
        auth,
        RecordKind::Job,
        q.cursor,
        limit,
        move |store, r| {
            let Record::Job(j) = r else { return Ok(false) };
            let mut keep = q.store.is_none_or(|s| j.store == s)
                && q.status.is_none_or(|s| j.status == s)
                && q.technician.is_none_or(|t| j.works_on(t))
                && q.customer.is_none_or(|c| j.customer == c);
            if keep && let Some(day) = q.date {
                let tz = match zones.get(&j.store) {
                    Some(tz) => *tz,
                    None => {
                        let tz = match store.get(RecordKey::Store(j.store))? {
                            Some(Record::Store(s)) => s.time_zone,
                            _ => Tz::UTC,
                        };
                        zones.insert(j.store, tz);
                        tz
                    }
                };
                keep = j
                    .planned_start
                    .is_some_and(|t| t.with_timezone(&tz).date_naive() == day);
            }
            Ok(keep)
        },
        |_, _, r| {
            Ok(if let Record::Job(j) = r {
                Some(j)
            } else {
                None
            })
        },
    )
    .await?;
    Ok(axum::Json(JobPage { items, next_cursor }))
}

/// One job, if the caller may see it.
#[utoipa::path(get, path = "/v1/jobs/{id}", tag = "console",
    params(("id" = Uuid, Path, description = "Job id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job", body = Job),
        BadId, Unauthenticated,
        (status = 404, description = "No such job, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    auth: AuthUser,
    IdPath(id): IdPath,
) -> Result<axum::Json<Job>> {
    match listing::detail(&state, auth, RecordKey::Job(JobId(id))).await? {
        Record::Job(j) => Ok(axum::Json(j)),
        _ => Err(super::error::Error::NotFound("no such job".into())),
    }
}
