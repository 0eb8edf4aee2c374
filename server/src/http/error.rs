//! The one error type of the HTTP layer, answered as `application/problem+json` (RFC 9457).
//! Internal failures are logged with their cause and answered without it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thiserror::Error;

use crate::store;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The problem type of a sign-in that needs a second-factor code.
pub const SECOND_FACTOR_REQUIRED: &str = "urn:rounds:problem:second_factor_required";

#[derive(Debug, Error)]
pub enum Error {
    /// Syntax errors and malformed parameters.
    #[error("{detail}")]
    BadRequest {
        field: Option<String>,
        detail: String,
    },
    /// Well-formed JSON with a wrong type, an unknown field or a value out of range.
    #[error("{detail}")]
    Invalid {
        field: Option<String>,
        detail: String,
    },
    #[error("{0}")]
    Unauthorized(String),
    /// The password was right; a second-factor code is missing or wrong. A problem of type
    /// [`SECOND_FACTOR_REQUIRED`], so that clients can ask for the code.
    #[error("{0}")]
    SecondFactorRequired(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("{0}")]
    Internal(String),
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The offending field as a path into the request (`ops[2].kind.CreateCustomer.name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

// The problem answers many operations share, each declared once for the OpenAPI document:
// list them by name in an operation's `responses(...)` beside its own answers. An answer whose
// meaning differs per operation (which record is not found, who is forbidden) stays written
// out at the operation.

/// 401 from the bearer-token check every signed-in operation makes.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 401,
    description = "Missing, invalid or expired token",
    content_type = "application/problem+json"
)]
pub struct Unauthenticated(pub Problem);

/// 400 from the JSON body extractor.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 400,
    description = "Malformed body",
    content_type = "application/problem+json"
)]
pub struct MalformedBody(pub Problem);

/// 413 from the body size limit.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 413,
    description = "Body too large",
    content_type = "application/problem+json"
)]
pub struct BodyTooLarge(pub Problem);

/// 415 from the JSON body extractor.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 415,
    description = "Not JSON",
    content_type = "application/problem+json"
)]
pub struct NotJson(pub Problem);

/// 422 for a body field of a wrong type, unknown, or out of range.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 422,
    description = "Invalid field",
    content_type = "application/problem+json"
)]
pub struct InvalidField(pub Problem);

/// 400 for a malformed query parameter.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 400,
    description = "Bad parameter",
    content_type = "application/problem+json"
)]
pub struct BadParameter(pub Problem);

/// 400 for a malformed id in the path.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 400,
    description = "Bad id",
    content_type = "application/problem+json"
)]
pub struct BadId(pub Problem);

impl Error {
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::Invalid {
            field: Some(field.into()),
            detail: detail.into(),
        }
    }

    pub fn bad(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::BadRequest {
            field: Some(field.into()),
            detail: detail.into(),
        }
    }

    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unauthorized(_) | Error::SecondFactorRequired(_) => StatusCode::UNAUTHORIZED,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            // The store shutting down, or its storage failing (a disk, a database that cannot
            // be reached): nothing was done, and the same request may work in a moment.
            Error::Store(e)
                if matches!(e.kind, store::ErrorKind::Closed | store::ErrorKind::Io(_)) =>
            {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Error::Store(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

pub fn problem(status: StatusCode, detail: String, field: Option<String>) -> Response {
    typed_problem("about:blank", status, detail, field)
}

fn typed_problem(
    kind: &str,
    status: StatusCode,
    detail: String,
    field: Option<String>,
) -> Response {
    let body = Problem {
        kind: kind.into(),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail,
        field,
    };
    let mut res = (status, axum::Json(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let (detail, field) = match &self {
            Error::Store(e) => {
                tracing::error!(error = %e, "storage failed");
                ("the server could not complete the request".to_owned(), None)
            }
            Error::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                ("the server could not complete the request".to_owned(), None)
            }
            Error::BadRequest { field, detail } | Error::Invalid { field, detail } => {
                (detail.clone(), field.clone())
            }
            other => (other.to_string(), None),
        };
        let kind = match &self {
            Error::SecondFactorRequired(_) => SECOND_FACTOR_REQUIRED,
            _ => "about:blank",
        };
        let mut res = typed_problem(kind, status, detail, field);
        match self {
            Error::Unauthorized(_) | Error::SecondFactorRequired(_) => {
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Error::TooManyRequests { retry_after } => {
                if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            Error::Store(_) if status == StatusCode::SERVICE_UNAVAILABLE => {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        res
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(e: tokio::task::JoinError) -> Self {
        Error::Internal(e.to_string())
    }
}
