//! `GET /v1/search/customers`: customer lookup across everything the caller may see (the
//! whole organization for admins, their stores for dispatchers and reps, their jobs'
//! customers for technicians), through the organization's in-memory index.
//!
//! Masking follows `access.rs`. A masked customer is found only through what the caller sees
//! of it (name, district and street, customer and serial numbers), never through its phones
//! or house number: its hit is computed again over the masked record (`rematch_masked`), so
//! whether it is returned, its score and its matched fields all come from visible data. Every
//! search is audited with its query.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::Utc;
use domain::customers::Customer;
use domain::lookup::{FieldMatch, Hit, Index, MatchedField, SearchContext};
use domain::ops::records::Link;
use domain::ops::{Record, RecordKey};
use domain::places::LatLng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::error::{BadParameter, Error, Result, Unauthenticated};
use super::extractor::{AuthUser, Query};
use super::listing;
use crate::access::{Scope, Visibility};
use crate::store::{AuditEntry, AuditWhat, Store};

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 50;
/// Nobody types more to find one customer; the index cuts longer queries anyway.
const MAX_QUERY_CHARS: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/search/customers", get(search))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What was typed: name (Chinese, pinyin, initials, Latin, with typos), a run of 4 or more
    /// phone digits, address words, or a customer, job or serial number.
    #[param(min_length = 1, max_length = 100)]
    pub q: String,
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
    /// Where the caller is, to rank nearby customers first (both or neither).
    #[param(minimum = -90.0, maximum = 90.0)]
    pub lat: Option<f64>,
    #[param(minimum = -180.0, maximum = 180.0)]
    pub lng: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// Best first.
    pub items: Vec<SearchItem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchItem {
    /// As the caller may see it (masked where their role needs no personal data).
    pub customer: Customer,
    /// Higher is better; the thousands are the match class (identifier, whole name, exact,
    /// prefix, typo).
    pub score: f32,
    pub matched: Vec<SearchMatch>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchMatch {
    pub field: SearchField,
    /// For `phone`: which of the customer's phones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<u8>,
    /// For `lead`, `serial_number` and `job_number`: the lead, asset or job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<Uuid>,
    /// Byte ranges `[start, end)` into the field's text (`name`, `phones[i].raw`, the address
    /// as "district street detail", the lead's name). Empty: the whole value matched, or the
    /// matched text is masked.
    pub ranges: Vec<[u32; 2]>,
}

#[derive(Clone, Copy, Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchField {
    Name,
    Phone,
    Address,
    Lead,
    CustomerNumber,
    SerialNumber,
    JobNumber,
}

fn context(q: &SearchQuery) -> Result<SearchContext> {
    let location = match (q.lat, q.lng) {
        (None, None) => None,
        (Some(lat), Some(lng)) => {
            let p = LatLng { lat, lng };
            if !p.is_valid() {
                return Err(Error::bad("lat", "lat/lng is not a valid position"));
            }
            Some(p)
        }
        _ => return Err(Error::bad("lat", "give both lat and lng, or neither")),
    };
    Ok(SearchContext {
        now: Utc::now(),
        location,
    })
}

/// A masked customer's hit, found again over what the caller sees of it: the masked record
/// with no phones (a masked number is no field to match on) and its assets (serial
/// numbers are visible with the customer). `None` when only hidden data matched; otherwise
/// the score and matches come from visible data alone, so neither whether nor how well a
/// result matched can tell anything about hidden digits or house numbers.
fn rematch_masked(
    store: &dyn Store,
    query: &str,
    ctx: &SearchContext,
    masked: &Customer,
) -> Result<Option<Hit>> {
    let mut visible = masked.clone();
    visible.phones.clear();
    let mut records = vec![Record::Customer(visible)];
    for key in store.linked(Link::Customer(masked.id))? {
        if let RecordKey::Asset(_) = key
            && let Some(r @ Record::Asset(_)) = store.get(key)?
        {
            records.push(r);
        }
    }
    let index = Index::build(records.iter());
    Ok(index
        .search(query, ctx, 1)
        .into_iter()
        .find(|h| h.customer == masked.id))
}

fn api_match(m: FieldMatch) -> SearchMatch {
    let (field, phone, record) = match m.field {
        MatchedField::Name => (SearchField::Name, None, None),
        MatchedField::Phone { index } => (SearchField::Phone, Some(index), None),
        MatchedField::Address => (SearchField::Address, None, None),
        MatchedField::Lead { lead } => (SearchField::Lead, None, Some(lead.0)),
        MatchedField::CustomerNumber => (SearchField::CustomerNumber, None, None),
        MatchedField::SerialNumber { asset } => (SearchField::SerialNumber, None, Some(asset.0)),
        MatchedField::JobNumber { job } => (SearchField::JobNumber, None, Some(job.0)),
    };
    SearchMatch {
        field,
        phone,
        record,
        ranges: m
            .ranges
            .into_iter()
            .map(|r| [r.start as u32, r.end as u32])
            .collect(),
    }
}

/// Customers matching `q`, best first, among those the caller may see.
#[utoipa::path(get, path = "/v1/search/customers", tag = "console", params(SearchQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Matching customers, best first", body = SearchResults),
        BadParameter, Unauthenticated,
    ))]
pub(crate) async fn search(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<SearchQuery>,
) -> Result<axum::Json<SearchResults>> {
    if q.q.trim().is_empty() {
        return Err(Error::bad("q", "type something to search for"));
    }
    if q.q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::bad(
            "q",
            format!("at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = match q.limit {
        None => DEFAULT_LIMIT as usize,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n as usize,
        Some(_) => {
            return Err(Error::bad(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
    };
    let ctx = context(&q)?;
    let st = state.store.clone();
    let lookups = state.lookups.clone();
    let AuthUser { user, device, .. } = auth;
    let q_text = q.q.clone();
    let (items, reads, masked_results, user) = tokio::task::spawn_blocking(move || -> Result<_> {
        let store = st.as_ref();
        let scope = Scope::load(store, user)?;
        let org = scope.user.org;
        // Masked candidates may drop out when found again over what the caller sees, so ask
        // for more than are shown.
        let hits = lookups.search(store, org, &q.q, &ctx, limit * 3, |id, s, owner| {
            scope.customer_visibility(id, s, owner) != Visibility::Hidden
        })?;
        let mut items = Vec::with_capacity(hits.len());
        let mut reads = Vec::new();
        let mut masked_results = 0;
        for hit in hits {
            let key = RecordKey::Customer(hit.customer);
            // The record itself decides, as in every other endpoint; the index only narrowed.
            let Some(record) = store.get(key)? else {
                continue;
            };
            let Some(viewed) = scope.view(store, record)? else {
                continue;
            };
            let Record::Customer(customer) = viewed.record else {
                continue;
            };
            let masked = !viewed.unmasked_personal;
            let hit = if masked {
                match rematch_masked(store, &q.q, &ctx, &customer)? {
                    Some(h) => h,
                    None => continue,
                }
            } else {
                hit
            };
            if masked {
                masked_results += 1;
            } else {
                reads.push(key);
            }
            items.push(SearchItem {
                score: hit.score,
                matched: hit.matched.into_iter().map(api_match).collect(),
                customer,
            });
        }
        items.sort_by(|a, b| b.score.total_cmp(&a.score));
        items.truncate(limit);
        let masked_results = items.len().min(masked_results);
        Ok((items, reads, masked_results, scope.user))
    })
    .await??;
    // Every search is on record with what was typed: a run of searches probing for one
    // person shows up, whatever came back.
    let entry = AuditEntry {
        seq: 0,
        at: Utc::now(),
        actor: user.id,
        device: device.clone(),
        what: AuditWhat::Search {
            query: q_text,
            results: items.len(),
            masked: masked_results,
        },
    };
    state.store.audit(user.org, vec![entry]).await?;
    listing::audit_reads(&state, &user, &device, reads).await?;
    Ok(axum::Json(SearchResults { items }))
}
