//! `POST /v1/dispatch/suggest` and `POST /v1/dispatch/plan`: dispatch for dispatchers and
//! admins. Both read the store's day from the records (`vrptw::records`) and answer
//! with reasons. A plan is only a proposal: it changes nothing until the dispatcher accepts it
//! and the client sends its `AssignJob` ops through `/v1/sync`, where `apply` checks them again.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use chrono::{DateTime, NaiveDate, Utc};
use dispatch::{Day, DayError, JobSuggestion, PlanProposal};
use domain::ids::{JobId, OrgId, StoreId};
use domain::ops::{Record, RecordKey, RecordKind};
use domain::org::{Role, Store as ShopStore, User};
use serde::Deserialize;
use vrptw::PlanOptions;
use vrptw::solve::TimeBudget;

use super::AppState;
use super::error::{Error, MalformedBody, NotJson, Problem, Result, Unauthenticated};
use super::extractor::{AuthUser, Json};
use crate::store::{self, Store};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/dispatch/suggest", post(suggest))
        .route("/v1/dispatch/plan", post(plan))
}

/// Longest planning budget: well inside the request timeout.
const MAX_SECONDS: f64 = 20.0;
const MIN_SECONDS: f64 = 0.05;
const DEFAULT_SECONDS: f64 = 2.0;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    pub job: JobId,
    /// Local day to fit the job into; by default the day of its planned start, else of its
    /// first window, else today.
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    pub store: StoreId,
    /// Local day in the store's time zone; today by default.
    pub date: Option<NaiveDate>,
    /// Time budget of the search in seconds (default 2).
    #[schema(minimum = 0.05, maximum = 20)]
    pub seconds: Option<f64>,
    /// Keep assigned jobs with their technicians (only order and times change).
    pub keep_assignments: Option<bool>,
    /// Seed of the search; the same seed and budget usually give the same plan.
    pub seed: Option<u64>,
}

fn may_dispatch(user: &User) -> Result<()> {
    if user.has(Role::Dispatcher) || user.has(Role::Admin) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only dispatchers and admins can use dispatch".into(),
        ))
    }
}

/// Everything a day is built from: the organization's people, profiles and jobs.
fn org_records(store: &dyn Store, org: OrgId) -> Result<Vec<Record>, store::Error> {
    let mut out = Vec::new();
    for kind in [RecordKind::User, RecordKind::Technician, RecordKind::Job] {
        let mut after = None;
        loop {
            let page = store.list(org, kind, after, 1_000)?;
            out.extend(page.records);
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
    }
    Ok(out)
}

fn load_store(store: &dyn Store, user: &User, id: StoreId) -> Result<ShopStore> {
    match store.get(RecordKey::Store(id))? {
        Some(Record::Store(s)) if s.org == user.org => Ok(s),
        _ => Err(Error::NotFound("no such store".into())),
    }
}

fn day_error(e: DayError) -> Error {
    match e {
        DayError::UnknownJob => Error::NotFound("no such job".into()),
        DayError::DayOver => Error::invalid("date", e.to_string()),
        DayError::Problem(p) => Error::Internal(format!("dispatch problem from records: {p}")),
        other => Error::invalid("job", other.to_string()),
    }
}

fn first_day(job: &domain::jobs::Job) -> Option<DateTime<Utc>> {
    job.planned_start
        .or_else(|| job.windows.iter().map(|w| w.start).min())
}

/// Ranks the technicians who work that day for one job: cheapest insertion first, each with
/// ETA, added travel, SLA slack, the visits it would move and the reasons as typed values (the
/// client words them in its person's language); every other technician with why they cannot
/// take it.
#[utoipa::path(post, path = "/v1/dispatch/suggest", tag = "dispatch", request_body = SuggestRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Technicians ranked for the job", body = JobSuggestion),
        MalformedBody, Unauthenticated,
        (status = 403, description = "Not a dispatcher or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job, or not one of the caller's stores", body = Problem, content_type = "application/problem+json"),
        NotJson,
        (status = 422, description = "Invalid field, or a job that cannot be planned (closed, under way, no map position, over)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn suggest(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<SuggestRequest>,
) -> Result<axum::Json<JobSuggestion>> {
    may_dispatch(&auth.user)?;
    let st = state.store.clone();
    let user = auth.user;
    let now = Utc::now();
    let day = tokio::task::spawn_blocking(move || -> Result<Day> {
        let store = st.as_ref();
        let job = match store.get(RecordKey::Job(req.job))? {
            Some(Record::Job(j)) if j.org == user.org && user.manages_store(j.store) => j,
            _ => return Err(Error::NotFound("no such job".into())),
        };
        let shop = load_store(store, &user, job.store)?;
        let date = req.date.unwrap_or_else(|| {
            first_day(&job)
                .filter(|t| *t > now)
                .unwrap_or(now)
                .with_timezone(&shop.time_zone)
                .date_naive()
        });
        let records = org_records(store, user.org)?;
        Day::from_records(&shop, date, &records, now).map_err(day_error)
    })
    .await??;
    let travel = state.travel.for_places(&day.places(), 0).await;
    let answer = tokio::task::spawn_blocking(move || -> Result<JobSuggestion> {
        let board = day.board(&travel, false).map_err(day_error)?;
        day.suggest(&board, req.job, &travel).map_err(day_error)
    })
    .await??;
    Ok(axum::Json(answer))
}

/// Plans the store's day within the time budget: routes per technician, what would change
/// against today's assignments, and every job left out with the reason. Nothing is saved: the
/// dispatcher accepts a proposal by sending its changes as `AssignJob` ops through sync.
#[utoipa::path(post, path = "/v1/dispatch/plan", tag = "dispatch", request_body = PlanRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A proposed plan", body = PlanProposal),
        MalformedBody, Unauthenticated,
        (status = 403, description = "Not a dispatcher or admin of the store", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such store", body = Problem, content_type = "application/problem+json"),
        NotJson,
        (status = 422, description = "Invalid field (budget out of range, a day that is over)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn plan(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<PlanRequest>,
) -> Result<axum::Json<PlanProposal>> {
    may_dispatch(&auth.user)?;
    let seconds = req.seconds.unwrap_or(DEFAULT_SECONDS);
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(Error::invalid(
            "seconds",
            format!("must be between {MIN_SECONDS} and {MAX_SECONDS}"),
        ));
    }
    let st = state.store.clone();
    let user = auth.user;
    let now = Utc::now();
    let day = tokio::task::spawn_blocking(move || -> Result<Day> {
        let store = st.as_ref();
        let shop = load_store(store, &user, req.store)?;
        if !user.manages_store(shop.id) {
            return Err(Error::Forbidden(
                "you do not dispatch for this store".into(),
            ));
        }
        let date = req
            .date
            .unwrap_or_else(|| now.with_timezone(&shop.time_zone).date_naive());
        let records = org_records(store, user.org)?;
        Day::from_records(&shop, date, &records, now).map_err(day_error)
    })
    .await??;
    let travel = state.travel.for_places(&day.places(), 0).await;
    let options = PlanOptions {
        seed: req.seed.unwrap_or(1),
        ..PlanOptions::default()
    };
    let keep = req.keep_assignments.unwrap_or(false);
    let proposal = tokio::task::spawn_blocking(move || -> Result<PlanProposal> {
        let board = day.board(&travel, keep).map_err(day_error)?;
        let mut stop = TimeBudget::new(Duration::from_secs_f64(seconds));
        Ok(day.plan(&board, &travel, &options, &mut stop))
    })
    .await??;
    Ok(axum::Json(proposal))
}
