//! The web shell's files (`web-shell/dist`, built by `scripts/build-web.sh`), served at `/`
//! for every path the API does not answer. `index.html` is revalidated on every load
//! (`no-cache`), so a new build is picked up at once; the wasm and JavaScript live in a
//! directory named after their content hash (`/pkg-<hash>/`) and are cached for a year.
//! Paths under `/v1` never reach the files: an unknown API path stays a JSON problem.

use std::convert::Infallible;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::{Service, ServiceExt};
use tower_http::services::ServeDir;

/// Content-hashed build output: safe to cache forever.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[derive(Clone)]
pub struct ShellFiles {
    files: ServeDir,
}

impl ShellFiles {
    pub fn new(dir: PathBuf) -> Self {
        Self {
            files: ServeDir::new(dir).precompressed_gzip(),
        }
    }
}

impl Service<Request> for ShellFiles {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let files = self.files.clone();
        Box::pin(async move {
            let path = req.uri().path().to_owned();
            let api = path == "/v1" || path.starts_with("/v1/");
            if api || !matches!(*req.method(), Method::GET | Method::HEAD) {
                return Ok(super::not_found().await);
            }
            let Ok(res) = files.oneshot(req).await;
            if res.status() == StatusCode::NOT_FOUND {
                return Ok(super::not_found().await);
            }
            let mut res = res.map(Body::new).into_response();
            let cache = if path.starts_with("/pkg-") && res.status().is_success() {
                IMMUTABLE
            } else {
                "no-cache"
            };
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            Ok(res)
        })
    }
}
