//! The web shell's files (`web-shell/dist`, built by `scripts/build-web.sh`), served at `/`
//! for every path the API does not answer. `index.html` is revalidated on every load
//! (`no-cache`), so a new build is picked up at once; the wasm and JavaScript live in a
//! directory named after their content hash (`/pkg-<hash>/`) and are cached for a year.
//! Paths under `/v1` never reach the files: an unknown API path stays a JSON problem.
//!
//! Next to `index.html` are the service worker (`/sw.js`: at the root, so that its scope is
//! the whole site), the web app manifest (`/manifest.webmanifest`) and its icons; they are
//! revalidated on every load too (`no-cache`), so a new build's worker is found at the next
//! online start. `ServeDir` gives them their types (`text/javascript`,
//! `application/manifest+json`, `image/png`).
//!
//! Every answer carries the shell's Content-Security-Policy. The page loads nothing inline
//! (the bootstrap script is a file in `pkg-<hash>/`), so scripts and styles are `'self'` only;
//! `'wasm-unsafe-eval'` is what compiling the wasm module needs; `worker-src` and `manifest-src`
//! name the service worker and the manifest's one origin. The map's tile server is a
//! server setting (`--tile-url`): its origin is the only one added to `img-src`, and the
//! server writes the template into `index.html` as `<meta name="rounds-tiles">`, so that a
//! page script cannot point the map (or leak positions) elsewhere.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::{Service, ServiceExt};
use tower_http::services::ServeDir;

/// Content-hashed build output: safe to cache forever.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A map-tile URL template such as `https://tile.openstreetmap.org/{z}/{x}/{y}.png`, checked
/// once at start-up so that what reaches the CSP and the page is a plain http(s) origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileUrl {
    template: String,
    origin: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TileUrlError {
    #[error("not a URL: {0}")]
    Parse(String),
    #[error("the tile URL must be http or https")]
    Scheme,
    #[error("the tile URL needs a plain host name (no user, no placeholders in the host)")]
    Host,
    #[error("the tile URL must contain {{z}}, {{x}} and {{y}}")]
    Placeholders,
}

impl TileUrl {
    pub fn parse(template: &str) -> Result<Self, TileUrlError> {
        let url = reqwest::Url::parse(template).map_err(|e| TileUrlError::Parse(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(TileUrlError::Scheme);
        }
        // The origin becomes a CSP source: a `{s}` subdomain template or odd characters would
        // make the browser drop it (or, worse, widen it), so only plain host names pass.
        let host = url.host_str().ok_or(TileUrlError::Host)?;
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
        if !url.username().is_empty() || url.password().is_some() || !host.chars().all(plain) {
            return Err(TileUrlError::Host);
        }
        if !["{z}", "{x}", "{y}"].iter().all(|p| template.contains(p)) {
            return Err(TileUrlError::Placeholders);
        }
        Ok(Self {
            template: template.to_owned(),
            origin: url.origin().ascii_serialization(),
        })
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    /// `scheme://host[:port]`, as `img-src` wants it.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

impl std::str::FromStr for TileUrl {
    type Err = TileUrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for TileUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.template)
    }
}

/// The policy the web shell runs under.
pub fn content_security_policy(tiles: Option<&TileUrl>) -> String {
    let img = match tiles {
        Some(t) => format!("'self' data: {}", t.origin()),
        None => "'self' data:".to_owned(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src {img}; connect-src 'self'; font-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

#[derive(Clone)]
pub struct ShellFiles {
    dir: Arc<PathBuf>,
    files: ServeDir,
    csp: HeaderValue,
    /// The `<meta>` written into `index.html`, when a tile server is configured.
    tiles_meta: Option<Arc<str>>,
}

impl ShellFiles {
    pub fn new(dir: PathBuf, tiles: Option<&TileUrl>) -> Self {
        let csp = content_security_policy(tiles);
        Self {
            files: ServeDir::new(&dir).precompressed_gzip(),
            dir: Arc::new(dir),
            // Built from a checked origin: no control characters can be in it.
            csp: HeaderValue::try_from(csp).expect("a valid header value"),
            tiles_meta: tiles.map(|t| {
                format!(
                    r#"<meta name="rounds-tiles" content="{}">"#,
                    html_attribute(t.template())
                )
                .into()
            }),
        }
    }

    /// `index.html` is read on every request (it is small and `no-cache`), so a rebuild is
    /// served at once, with the tile setting written in.
    async fn index(&self) -> Response {
        let Ok(mut html) = tokio::fs::read_to_string(self.dir.join("index.html")).await else {
            return super::not_found().await;
        };
        if let Some(meta) = &self.tiles_meta {
            match html.find("</head>") {
                Some(at) => html.insert_str(at, meta),
                None => tracing::warn!("index.html has no </head>; the map gets no tiles"),
            }
        }
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            html,
        )
            .into_response()
    }
}

fn html_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

impl Service<Request> for ShellFiles {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let path = req.uri().path();
            // An unknown API path is an API answer, under the API's policy.
            if path == "/v1" || path.starts_with("/v1/") {
                return Ok(super::not_found().await);
            }
            let mut res = this.respond(req).await;
            res.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, this.csp.clone());
            Ok(res)
        })
    }
}

impl ShellFiles {
    async fn respond(&self, req: Request) -> Response {
        let path = req.uri().path().to_owned();
        if !matches!(*req.method(), Method::GET | Method::HEAD) {
            return super::not_found().await;
        }
        if path == "/" || path == "/index.html" {
            return self.index().await;
        }
        let Ok(res) = self.files.clone().oneshot(req).await;
        if res.status() == StatusCode::NOT_FOUND {
            return super::not_found().await;
        }
        let mut res = res.map(Body::new).into_response();
        let cache = if path.starts_with("/pkg-") && res.status().is_success() {
            IMMUTABLE
        } else {
            "no-cache"
        };
        let headers = res.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        // ServeDir answers with `<file>.gz` whenever one exists and the client takes gzip,
        // so every file answer depends on Accept-Encoding; a shared cache must not hand the
        // gzip body to a client that did not ask for it.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        res
    }
}
