//! `GET /v1/customers/{id}/export`: one customer's data on their request, as JSON or CSV
//! (`crate::privacy::export`). The erasure itself is an op (`EraseCustomer`) sent through
//! `/v1/sync` like any change.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use domain::ids::CustomerId;
use domain::ops::RecordKey;
use serde::Deserialize;

use super::AppState;
use super::error::{Error, Result};
use super::extractor::{AuthUser, IdPath, Query};
use crate::access::{Scope, Visibility};
use crate::store::{AuditEntry, AuditWhat};

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/customers/{id}/export", get(export))
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Csv,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `json` (the default) or `csv`.
    pub format: Option<Format>,
}

/// Everything kept about one customer: their record, what is filed under them, and who read
/// or changed it. For an admin, or a dispatcher of the customer's store; anyone else is told
/// the customer is unknown, and the attempt is audited.
// Not in the OpenAPI document (like `/v1/imports`): its CSV answer is no JSON schema; the
// loopback tests cover its bad input.
pub(crate) async fn export(
    State(state): State<AppState>,
    auth: AuthUser,
    IdPath(id): IdPath,
    Query(q): Query<ExportQuery>,
) -> Result<Response> {
    let customer = CustomerId(id);
    let format = q.format.unwrap_or_default();
    let st = state.store.clone();
    let user = auth.user.clone();
    let found = tokio::task::spawn_blocking(move || -> Result<_> {
        let store = st.as_ref();
        let scope = Scope::load(store, user)?;
        let Some(record) = store.get(RecordKey::Customer(customer))? else {
            return Ok(None);
        };
        let may = match &record {
            domain::ops::Record::Customer(c) => {
                scope.visibility(store, &record)? == Visibility::Full
                    && scope.user.manages_store(c.store)
            }
            _ => false,
        };
        if !may {
            return Ok(None);
        }
        Ok(crate::privacy::export(store, scope.user.org, customer)?)
    })
    .await??;
    let audit = |what| AuditEntry {
        seq: 0,
        at: Utc::now(),
        actor: auth.user.id,
        device: auth.device.clone(),
        what,
    };
    let Some(export) = found else {
        state
            .store
            .audit(
                auth.user.org,
                vec![audit(AuditWhat::ExportRefused { customer })],
            )
            .await?;
        return Err(Error::NotFound("no such customer".into()));
    };
    let name = format!("customer-{}", customer.0);
    state
        .store
        .audit(
            auth.user.org,
            vec![audit(AuditWhat::Export {
                customer,
                format: format!("{format:?}").to_lowercase(),
            })],
        )
        .await?;
    Ok(match format {
        Format::Json => (
            [(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.json\""),
            )],
            axum::Json(export),
        )
            .into_response(),
        Format::Csv => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            crate::privacy::export_csv(&export),
        )
            .into_response(),
    })
}
