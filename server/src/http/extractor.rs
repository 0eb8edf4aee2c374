//! Extractors that turn every kind of bad input into a problem document naming the field:
//! the signed-in user, JSON bodies, query strings and ids in paths.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use chrono::Utc;
use domain::ops::{Record, RecordKey};
use domain::org::User;
use domain::words::{Lang, Table};
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use super::AppState;
use super::error::Error;
use crate::auth::{Claims, TokenError};

/// The longest string any field takes (longer texts are rejected by `apply` with a per-field
/// limit; this bound keeps absurd input out of the op log entirely).
pub const MAX_STRING: usize = 4_000;
pub const MAX_ARRAY: usize = 1_000;
pub const MAX_DEPTH: usize = 32;

/// The signed-in user of a request, and the device it came from (for the audit log).
pub struct AuthUser {
    pub user: User,
    pub device: String,
    /// The device the session was opened on, when the sign-in named one. Signed out
    /// remotely, it reaches only `POST /v1/sync`, which answers with the order to wipe.
    pub signed_out_device: Option<String>,
    /// The token's end (Unix seconds) and session epoch, for a response that outlives the
    /// request (the live channel) to stop when the session does.
    pub expires: i64,
    pub epoch: u64,
    /// The device the session was opened on, when the sign-in named one.
    pub session_device: Option<String>,
}

impl AuthUser {
    /// Whether the session still holds: not expired, the user active, not ended since.
    pub fn still_signed_in(&self, state: &AppState) -> bool {
        Utc::now().timestamp() < self.expires
            && matches!(
                state.store.get(RecordKey::User(self.user.id)),
                Ok(Some(Record::User(u))) if u.active && u.org == self.user.org
            )
            && state.store.session_epoch(self.user.id).ok() == Some(self.epoch)
            && self
                .session_device
                .as_ref()
                .is_none_or(|d| matches!(state.store.device_sign_out(self.user.org, d), Ok(None)))
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let (user, claims) = authenticate(parts, state)?;
        if claims.enrol_only {
            return Err(Error::Forbidden(
                "your organization requires a second factor: enrol one \
                 (POST /v1/auth/second-factor), then sign in again with a code"
                    .into(),
            ));
        }
        let device = parts
            .headers
            .get("x-device-id")
            .and_then(|v| v.to_str().ok())
            .filter(|d| !d.is_empty() && d.len() <= 128)
            .unwrap_or("console")
            .to_owned();
        let signed_out_device = match &claims.device {
            Some(d) if state.store.device_sign_out(user.org, d)?.is_some() => Some(d.clone()),
            _ => None,
        };
        if signed_out_device.is_some() && parts.uri.path() != "/v1/sync" {
            return Err(Error::Unauthorized("this device was signed out".into()));
        }
        Ok(AuthUser {
            user,
            device,
            signed_out_device,
            expires: claims.exp,
            epoch: claims.epoch,
            session_device: claims.device,
        })
    }
}

/// The signed-in user of the second-factor enrolment endpoints: a full session, or one that
/// only lets an admin who must use a second factor enrol it.
pub struct Enrolling(pub User);

impl FromRequestParts<AppState> for Enrolling {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        authenticate(parts, state).map(|(user, _)| Enrolling(user))
    }
}

/// Checks the bearer token: signature, expiry, the user (active, same organization) and the
/// session epoch, read from the store on every request so that a password reset or "end
/// sessions" on any instance refuses older tokens at once.
fn authenticate(parts: &Parts, state: &AppState) -> Result<(User, Claims), Error> {
    let header = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| Error::Unauthorized("sign in first (missing bearer token)".into()))?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .ok_or_else(|| Error::Unauthorized("expected 'Authorization: Bearer <token>'".into()))?;
    let claims = state
        .tokens
        .check(token.trim(), Utc::now())
        .map_err(|e| match e {
            TokenError::Expired => Error::Unauthorized("the access token has expired".into()),
            TokenError::Invalid => Error::Unauthorized("the access token is not valid".into()),
        })?;
    let user = match state.store.get(RecordKey::User(claims.user))? {
        Some(Record::User(u)) if u.active && u.org == claims.org => u,
        _ => return Err(Error::Unauthorized("this account cannot sign in".into())),
    };
    if claims.epoch != state.store.session_epoch(user.id)? {
        return Err(Error::Unauthorized(
            "this session was ended (password set or signed out everywhere); sign in again".into(),
        ));
    }
    Ok((user, claims))
}

/// A JSON body: syntax errors are 400; wrong types, unknown fields, bad enum values,
/// overlong strings and impossible coordinates are 422, each naming the field.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json")
                    || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !is_json {
            return Err(Error::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge
            } else {
                Error::bad("body", e.body_text())
            }
        })?;
        parse(&bytes).map(Json)
    }
}

/// Parses and checks a JSON body.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::bad("body", format!("the body is not valid JSON: {e}")))?;
    check_value(&value, &mut String::new(), 0)?;
    let mut unknown: Option<String> = None;
    let mut note = |path: serde_ignored::Path<'_>| {
        if unknown.is_none() {
            unknown = Some(path.to_string());
        }
    };
    let de = serde_ignored::Deserializer::new(value, &mut note);
    let parsed: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".into() } else { path };
        Error::invalid(field, e.into_inner().to_string())
    })?;
    if let Some(field) = unknown {
        return Err(Error::Invalid {
            detail: format!("unknown field '{field}'"),
            field: Some(field),
        });
    }
    Ok(parsed)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Bounds that hold for every body, whatever its type: string and array sizes, nesting, and
/// coordinates (the only objects with `lat` and `lng`).
fn check_value(v: &Value, path: &mut String, depth: usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid(path.clone(), "is nested too deeply"));
    }
    match v {
        Value::String(s) if s.chars().count() > MAX_STRING => Err(Error::invalid(
            path.clone(),
            format!("is longer than {MAX_STRING} characters"),
        )),
        Value::Array(items) => {
            if items.len() > MAX_ARRAY {
                return Err(Error::invalid(
                    path.clone(),
                    format!("has more than {MAX_ARRAY} entries"),
                ));
            }
            for (i, item) in items.iter().enumerate() {
                let mut p = format!("{path}[{i}]");
                check_value(item, &mut p, depth + 1)?;
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, bound) in [("lat", 90.0), ("lng", 180.0)] {
                if let Some(n) = map.get(key).and_then(Value::as_f64)
                    && !(-bound..=bound).contains(&n)
                {
                    return Err(Error::invalid(
                        join(path, key),
                        format!("must be between -{bound} and {bound}"),
                    ));
                }
            }
            for (k, item) in map {
                let mut p = join(path, k);
                check_value(item, &mut p, depth + 1)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A query string: unknown parameters and bad values are 400, naming the parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                // Unknown parameters are reported at the top level; name them from the message.
                let field = if path == "." {
                    inner
                        .split('`')
                        .nth(1)
                        .map_or_else(|| "query".to_owned(), str::to_owned)
                } else {
                    path
                };
                Error::bad(field, inner)
            })
    }
}

/// A record id in the path.
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| Error::bad("id", "expected one id in the path"))?;
        Uuid::parse_str(&raw)
            .map(IdPath)
            .map_err(|_| Error::bad("id", "is not a valid id (a UUID)"))
    }
}

/// The client's address, when the server was started with connection info (rate limits).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// The language a request asks for (`Accept-Language`), for the words of its answer: of the
/// languages Rounds speaks, the one the header weighs highest (the first, on a tie); English
/// when it names none of them.
pub struct Wording(pub Lang);

impl Wording {
    #[must_use]
    pub fn words(&self) -> &'static dyn Table {
        domain::words::table(self.0)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Wording {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(Wording(accepted(header)))
    }
}

fn accepted(header: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for range in header.split(',') {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let weight = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let spoken = tag == "*" || tag == "en" || tag.starts_with("en-") || tag.starts_with("zh");
        if !spoken || weight <= 0.0 || best.is_some_and(|(w, _)| w >= weight) {
            continue;
        }
        best = Some((weight, Lang::from_code(&tag)));
    }
    best.map_or(Lang::English, |(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::sync::SyncRequest;

    #[test]
    fn the_answer_speaks_the_language_the_request_weighs_highest() {
        for (header, lang) in [
            ("", Lang::English),
            ("zh-CN,zh;q=0.9,en;q=0.8", Lang::SimplifiedChinese),
            ("zh-Hans-SG", Lang::SimplifiedChinese),
            ("en-GB,zh;q=0.5", Lang::English),
            ("fr-FR, zh;q=0.4, en;q=0.3", Lang::SimplifiedChinese),
            ("en;q=0.2, zh;q=0.7", Lang::SimplifiedChinese),
            ("zh;q=0, en", Lang::English),
            ("de", Lang::English),
            ("zh;q=bogus", Lang::SimplifiedChinese),
        ] {
            assert_eq!(accepted(header), lang, "{header:?}");
        }
    }

    fn field_of(body: &str) -> (u16, Option<String>) {
        match parse::<SyncRequest>(body.as_bytes()) {
            Ok(_) => (200, None),
            Err(e) => {
                let status = e.status().as_u16();
                match e {
                    Error::Invalid { field, .. } | Error::BadRequest { field, .. } => {
                        (status, field)
                    }
                    _ => (status, None),
                }
            }
        }
    }

    #[test]
    fn each_kind_of_bad_body_names_its_field() {
        assert_eq!(field_of(r#"{"device_id":"d"}"#), (200, None));
        assert_eq!(field_of("{"), (400, Some("body".into())));
        assert_eq!(
            field_of(r#"{"device_id":5}"#),
            (422, Some("device_id".into()))
        );
        assert_eq!(
            field_of(r#"{"device_id":"d","extra":1}"#),
            (422, Some("extra".into()))
        );
        let long = "x".repeat(MAX_STRING + 1);
        assert_eq!(
            field_of(&format!(r#"{{"device_id":"{long}"}}"#)),
            (422, Some("device_id".into()))
        );
        let op = r#"{"id":"0190a0c0-0000-7000-8000-000000000001","actor":"0190a0c0-0000-7000-8000-000000000002","at":"2026-11-23T00:00:00Z","location":{"lat":95.0,"lng":0},"kind":{"Arrive":{"job":"0190a0c0-0000-7000-8000-000000000003"}}}"#;
        assert_eq!(
            field_of(&format!(r#"{{"device_id":"d","ops":[{op}]}}"#)),
            (422, Some("ops[0].location.lat".into()))
        );
        let bad_enum = op.replace("Arrive", "Teleport").replace("95.0", "1.0");
        let (status, field) = field_of(&format!(r#"{{"device_id":"d","ops":[{bad_enum}]}}"#));
        assert_eq!(status, 422);
        assert_eq!(field.as_deref(), Some("ops[0].kind"));
    }
}
