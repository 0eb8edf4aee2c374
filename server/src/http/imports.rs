//! `/v1/imports`: an admin, or a store's dispatcher, gives a CSV or .xlsx file
//! (`POST /v1/imports?name=...`, the file as the body), checks it with a column mapping
//! (`POST /v1/imports/{id}/check`, the dry run), runs it (`POST /v1/imports/{id}/run`) and
//! follows it (`GET /v1/imports/{id}`). What each does is in [`crate::imports`].
//!
//! Refusals are problem documents with the typed reason beside the English words
//! (`file_error`, `mapping_error`, or the dry run's `report`), so that the app words them in
//! the person's language.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::import::columns::MappingError;
use domain::import::{FileError, MAX_FILE_BYTES, Preview, Report, Setup, Status};
use domain::words::{Lang, table};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{Error, Problem};
use super::extractor::{AuthUser, Json};
use crate::imports::ImportError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/imports", post(take))
        .route("/v1/imports/{id}", get(status))
        .route("/v1/imports/{id}/check", post(check))
        .route("/v1/imports/{id}/run", post(run))
}

#[derive(Deserialize)]
struct Named {
    name: Option<String>,
}

/// A problem document with the typed reason an app words.
#[derive(Serialize)]
struct ImportProblem {
    #[serde(flatten)]
    problem: Problem,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_error: Option<FileError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mapping_error: Option<MappingError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<Report>,
}

struct Refused(ImportError);

impl From<ImportError> for Refused {
    fn from(e: ImportError) -> Self {
        Refused(e)
    }
}

impl From<Error> for Refused {
    fn from(e: Error) -> Self {
        Refused(ImportError::Io(e.to_string()))
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let words = table(Lang::English);
        let (status, detail, file_error, mapping_error, report) = match self.0 {
            ImportError::File(e) => (
                if matches!(e, FileError::TooLarge { .. }) {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
                words.import_file_error(&e),
                Some(e),
                None,
                None,
            ),
            ImportError::Mapping(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                words.import_mapping_error(e),
                None,
                Some(e),
                None,
            ),
            ImportError::Problems(report) => (
                StatusCode::CONFLICT,
                words.import_summary(&report),
                None,
                None,
                Some(*report),
            ),
            ImportError::NotFound => {
                return Error::NotFound("no such import".into()).into_response();
            }
            ImportError::Forbidden => {
                return Error::Forbidden(ImportError::Forbidden.to_string()).into_response();
            }
            ImportError::Running => {
                return Error::Conflict(ImportError::Running.to_string()).into_response();
            }
            ImportError::NotSetUp => {
                return super::error::problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ImportError::NotSetUp.to_string(),
                    None,
                );
            }
            ImportError::Store(e) => return Error::Store(e).into_response(),
            ImportError::Io(e) => return Error::Internal(e).into_response(),
        };
        let body = ImportProblem {
            problem: Problem {
                kind: "about:blank".into(),
                title: status.canonical_reason().unwrap_or("Error").into(),
                status: status.as_u16(),
                detail,
                field: None,
            },
            file_error,
            mapping_error,
            report,
        };
        let mut res = (status, axum::Json(body)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        res
    }
}

type Answer<T> = Result<T, Refused>;

/// Takes a file (the body, up to [`MAX_FILE_BYTES`]) and answers with its preview.
async fn take(
    State(state): State<AppState>,
    AuthUser { user, .. }: AuthUser,
    Query(named): Query<Named>,
    headers: HeaderMap,
    body: Body,
) -> Answer<axum::Json<Preview>> {
    let too_large = |bytes: u64| {
        Refused(ImportError::File(FileError::TooLarge {
            bytes,
            limit: MAX_FILE_BYTES as u64,
        }))
    };
    // Refused before a byte of it is read when the client says how large it is.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = declared
        && n > MAX_FILE_BYTES as u64
    {
        return Err(too_large(n));
    }
    let bytes = axum::body::to_bytes(body, MAX_FILE_BYTES)
        .await
        .map_err(|_| too_large(declared.unwrap_or(MAX_FILE_BYTES as u64 + 1)))?;
    let name = named.name.unwrap_or_default();
    let imports = state.imports.clone();
    let preview = tokio::task::spawn_blocking(move || imports.take(&user, &name, &bytes))
        .await
        .map_err(|e| Refused(ImportError::Io(e.to_string())))??;
    Ok(axum::Json(preview))
}

async fn status(
    State(state): State<AppState>,
    AuthUser { user, .. }: AuthUser,
    Path(id): Path<String>,
) -> Answer<axum::Json<Preview>> {
    let imports = state.imports.clone();
    let preview = tokio::task::spawn_blocking(move || imports.preview(&user, &id))
        .await
        .map_err(|e| Refused(ImportError::Io(e.to_string())))??;
    Ok(axum::Json(preview))
}

/// The dry run.
async fn check(
    State(state): State<AppState>,
    AuthUser { user, .. }: AuthUser,
    Path(id): Path<String>,
    Json(setup): Json<Setup>,
) -> Answer<axum::Json<Report>> {
    let st = state.clone();
    let plan = tokio::task::spawn_blocking(move || {
        st.imports
            .check(st.store.as_ref(), &st.lookups, &user, &id, &setup)
    })
    .await
    .map_err(|e| Refused(ImportError::Io(e.to_string())))??;
    Ok(axum::Json(plan.report))
}

/// Starts the import; `202` with where it stands.
async fn run(
    State(state): State<AppState>,
    AuthUser { user, .. }: AuthUser,
    Path(id): Path<String>,
    Json(setup): Json<Setup>,
) -> Answer<(StatusCode, axum::Json<Status>)> {
    let st = state.clone();
    let status = tokio::task::spawn_blocking(move || st.imports.start(&st, &user, &id, setup))
        .await
        .map_err(|e| Refused(ImportError::Io(e.to_string())))??;
    Ok((StatusCode::ACCEPTED, axum::Json(status)))
}
