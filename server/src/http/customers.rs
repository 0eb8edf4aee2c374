//! `GET /v1/customers`, `GET /v1/customers/{id}`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::customers::{Customer, Tier};
use domain::ids::{CustomerId, StoreId, UserId};
use domain::ops::{Record, RecordKey, RecordKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::error::{BadId, BadParameter, Problem, Result, Unauthenticated};
use super::extractor::{AuthUser, IdPath, Query};
use super::listing;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/customers", get(list))
        .route("/v1/customers/{id}", get(detail))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    pub store: Option<StoreId>,
    /// The owning sales rep.
    pub owner: Option<UserId>,
    pub tier: Option<Tier>,
    pub cursor: Option<Uuid>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CustomerPage {
    pub items: Vec<Customer>,
    pub next_cursor: Option<Uuid>,
}

/// Customers the caller may see (masked where their role needs no personal data).
#[utoipa::path(get, path = "/v1/customers", tag = "console", params(CustomerQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of customers", body = CustomerPage),
        BadParameter, Unauthenticated,
    ))]
pub(crate) async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<CustomerQuery>,
) -> Result<axum::Json<CustomerPage>> {
    let limit = listing::limit(q.limit)?;
    let (items, next_cursor) = listing::list(
        &state,
        auth,
        RecordKind::Customer,
        q.cursor,
        limit,
        move |_, r| {
            Ok(matches!(r, Record::Customer(c)
                if q.store.is_none_or(|s| c.store == s)
                && q.owner.is_none_or(|o| c.owner == Some(o))
                && q.tier.is_none_or(|t| c.tier == t)))
        },
        |_, _, r| {
            Ok(if let Record::Customer(c) = r {
                Some(c)
            } else {
                None
            })
        },
    )
    .await?;
    Ok(axum::Json(CustomerPage { items, next_cursor }))
}

/// One customer, if the caller may see them.
#[utoipa::path(get, path = "/v1/customers/{id}", tag = "console",
    params(("id" = Uuid, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer", body = Customer),
        BadId, Unauthenticated,
        (status = 404, description = "No such customer, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    auth: AuthUser,
    IdPath(id): IdPath,
) -> Result<axum::Json<Customer>> {
    match listing::detail(&state, auth, RecordKey::Customer(CustomerId(id))).await? {
        Record::Customer(c) => Ok(axum::Json(c)),
        _ => Err(super::error::Error::NotFound("no such customer".into())),
    }
}
