//! The HTTP API: `/v1/auth`, `/v1/admin`, `/v1/sync`, the console's read API, `/healthz` and the OpenAPI
//! document. Each resource module has a `router()`; this module merges them and adds the
//! layers every request goes through (body limit, timeout, panic guard, security headers,
//! request log).

pub mod error;
pub mod extractor;

mod admin;
mod audit;
mod auth;
mod customers;
mod devices;
mod dispatch;
mod followups;
mod health;
mod imports;
mod jobs;
mod leads;
mod listing;
mod live;
mod openapi;
mod privacy;
mod search;
mod shell;
mod sync;
mod technicians;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{LoginLimits, PasswordCost, RateLimiter, Tokens};
use crate::lookup::Lookups;
use crate::store::Store;
use crate::travel::Travel;

pub use openapi::ApiDoc;
pub use shell::{TileUrl, TileUrlError};

/// Limits and lifetimes of the API.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    pub body_limit: usize,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub password_cost: PasswordCost,
    pub login_limits: LoginLimits,
    pub request_timeout: Duration,
    /// Base URL of an OSRM-compatible router for dispatch travel times; great-circle
    /// estimates when `None` (or when the router does not answer).
    pub osrm_url: Option<String>,
    pub osrm_timeout: Duration,
    /// The built web shell (`web-shell/dist`), served at `/`; `None` serves the API only.
    pub web_dir: Option<PathBuf>,
    /// Map tiles under the dispatcher's map; the map is a plain plot when `None`.
    pub tile_url: Option<TileUrl>,
    /// Where import files and their progress are kept (`<data>/imports`); imports are
    /// refused when `None`.
    pub import_dir: Option<PathBuf>,
    /// The geocoding service imports ask for customers' positions; district centres only
    /// when `None`.
    pub geocoder: Option<domain::places::geocode::Service>,
    /// Where erasures are logged before they are applied (`crate::privacy`): beside the data
    /// and in the backup folder, for a restore to apply them again.
    pub erasure_logs: Vec<PathBuf>,
    /// How often the retention settings are enforced (`crate::privacy`).
    pub retention_every: Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            password_cost: PasswordCost::default(),
            login_limits: LoginLimits::default(),
            request_timeout: Duration::from_secs(30),
            osrm_url: None,
            osrm_timeout: Duration::from_secs(5),
            web_dir: None,
            tile_url: None,
            import_dir: None,
            geocoder: None,
            erasure_logs: Vec::new(),
            retention_every: Duration::from_secs(3600),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub tokens: Tokens,
    pub limiter: Arc<RateLimiter>,
    pub config: Arc<ApiConfig>,
    /// Verified against when a login does not exist, so that timing does not reveal logins.
    pub dummy_hash: Arc<String>,
    /// Customer lookup indexes, one per organization, kept current from the change log.
    pub lookups: Arc<Lookups>,
    /// Where dispatch gets travel times.
    pub travel: Arc<Travel>,
    /// Who should sync now (`GET /v1/live`).
    pub live: Arc<crate::live::Live>,
    /// Customer imports from files (`/v1/imports`).
    pub imports: Arc<crate::imports::Imports>,
    /// The geocoding service, when one is configured.
    pub geocoder: Option<Arc<crate::geocode::Geocoder>>,
    pub erasures: Arc<crate::privacy::ErasureLog>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: ApiConfig) -> Self {
        let tokens = Tokens::new(store.signing_key(), config.access_ttl, config.refresh_ttl);
        let travel = Travel::new(config.osrm_url.as_deref(), config.osrm_timeout)
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "OSRM client unavailable; using great-circle travel times");
                Travel::Haversine(Default::default())
            });
        Self {
            travel: Arc::new(travel),
            limiter: Arc::new(RateLimiter::over(config.login_limits, store.clone())),
            dummy_hash: Arc::new(crate::auth::dummy_hash(config.password_cost)),
            tokens,
            store,
            lookups: Arc::new(Lookups::default()),
            live: Arc::new(crate::live::Live::default()),
            imports: Arc::new(crate::imports::Imports::new(config.import_dir.clone())),
            erasures: Arc::new(crate::privacy::ErasureLog::new(config.erasure_logs.clone())),
            geocoder: config.geocoder.clone().map(|service| {
                Arc::new(crate::geocode::Geocoder::new(
                    service,
                    Duration::from_secs(10),
                ))
            }),
            config: Arc::new(config),
        }
    }
}

/// The whole API with its layers.
pub fn app(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    let timeout = state.config.request_timeout;
    let web_dir = state.config.web_dir.clone();
    let router = Router::new()
        .merge(health::router())
        .merge(openapi::router())
        .merge(auth::router())
        .merge(admin::router())
        .merge(sync::router())
        .merge(live::router())
        .merge(jobs::router())
        .merge(customers::router())
        .merge(privacy::router())
        .merge(audit::router())
        .merge(leads::router())
        .merge(followups::router())
        .merge(technicians::router())
        .merge(search::router())
        .merge(dispatch::router())
        .merge(devices::router())
        .merge(imports::router());
    let router = match web_dir {
        Some(dir) => {
            router.fallback_service(shell::ShellFiles::new(dir, state.config.tile_url.as_ref()))
        }
        None => router.fallback(not_found),
    };
    router
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(middleware::map_response(security_headers))
        .layer(TraceLayer::new_for_http())
}

/// Outside the timeout and the panic guard, so that their answers carry them too. An answer
/// that names no policy (the JSON API) gets one under which nothing may run or frame it:
/// opened as a document, it stays inert.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ));
    res
}

pub(crate) async fn not_found() -> Response {
    error::problem(StatusCode::NOT_FOUND, "no such endpoint".into(), None)
}

async fn method_not_allowed() -> Response {
    error::problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not take that method".into(),
        None,
    )
}

/// A panic is a bug: log it, answer 500 without details, keep serving.
fn on_panic(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error::Error::Internal("panic".into()).into_response()
}
