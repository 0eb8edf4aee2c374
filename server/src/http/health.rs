//! `GET /healthz`: the process is up and its store answers.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Serialize;

use super::AppState;
use super::error::{Problem, Result};

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
}

/// Liveness and readiness.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses(
        (status = 200, description = "Serving", body = Health),
        (status = 500, description = "The store does not answer", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn healthz(State(state): State<AppState>) -> Result<axum::Json<Health>> {
    state.store.orgs()?;
    Ok(axum::Json(Health {
        status: "ok".into(),
    }))
}
