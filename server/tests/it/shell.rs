//! The security headers of the web shell and the API, and the tile server as a server
//! setting, against a real server on 127.0.0.1 (sled in a temp dir, a small fake build).

use std::collections::BTreeMap;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use server::http::{ApiConfig, TileUrl};

use crate::common::{BIN, Env, start};

const PKG: &str = "/pkg-0123abcd";
const INDEX: &str = "<!doctype html><html><head><title>Rounds</title>\
    <script type=\"module\" src=\"/pkg-0123abcd/boot.js\"></script></head><body></body></html>";

const SW: &str = "const BUILD = { version: \"1\", files: [] };";
const MANIFEST: &str = r#"{"name": "Rounds", "start_url": "/"}"#;

/// A server over an empty store, serving a small fake build of the web shell.
struct Shell {
    env: Env,
    _web: tempfile::TempDir,
}

async fn serve(tiles: Option<&str>) -> Shell {
    let web = tempfile::tempdir().unwrap();
    let w = web.path();
    std::fs::write(w.join("index.html"), INDEX).unwrap();
    std::fs::create_dir(w.join(&PKG[1..])).unwrap();
    // What build-web.sh makes: wasm and JavaScript with a gzip copy, CSS without.
    for (file, body) in [
        ("web_shell_bg.wasm", "\0asm identity"),
        ("web_shell_bg.wasm.gz", "gzip of the wasm"),
        ("web_shell.js", "export {} // identity"),
        ("web_shell.js.gz", "gzip of the js"),
        ("boot.js", "import './web_shell.js';"),
        ("style.css", "body {}"),
    ] {
        std::fs::write(w.join(&PKG[1..]).join(file), body).unwrap();
    }
    // And at the root, what makes the app installable and open offline.
    std::fs::write(w.join("sw.js"), SW).unwrap();
    std::fs::write(w.join("manifest.webmanifest"), MANIFEST).unwrap();
    std::fs::create_dir(w.join("icons")).unwrap();
    std::fs::write(w.join("icons/icon-192.png"), b"\x89PNG icon").unwrap();
    let config = ApiConfig {
        web_dir: Some(w.to_owned()),
        tile_url: tiles.map(|t| TileUrl::parse(t).unwrap()),
        ..ApiConfig::default()
    };
    Shell {
        env: start(None, config).await,
        _web: web,
    }
}

impl Shell {
    /// reqwest is built without decompression here, so the body is what was sent.
    async fn get(&self, path: &str, gzip: bool) -> (StatusCode, HeaderMap, String) {
        let mut req = self.env.http.get(format!("{}{path}", self.env.base));
        if gzip {
            req = req.header("accept-encoding", "gzip");
        }
        let res = req.send().await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, res.text().await.unwrap())
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name)
        .unwrap_or_else(|| panic!("no {name} header in {h:?}"))
        .to_str()
        .unwrap()
}

/// The policy's directives, by name.
fn csp(h: &HeaderMap) -> BTreeMap<String, String> {
    let policy = header(h, "content-security-policy");
    assert_eq!(
        h.get_all("content-security-policy").iter().count(),
        1,
        "one policy"
    );
    policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let (name, value) = d.split_once(' ').unwrap_or((d, ""));
            (name.to_owned(), value.trim().to_owned())
        })
        .collect()
}

fn assert_common(h: &HeaderMap, what: &str) {
    assert_eq!(header(h, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(h, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header(h, "x-frame-options"), "DENY", "{what}");
}

/// The shell's policy: nothing inline, nothing from elsewhere, no framing.
fn assert_shell_policy(h: &HeaderMap, img_src: &str, what: &str) {
    assert_common(h, what);
    let d = csp(h);
    let want = [
        ("default-src", "'self'"),
        ("script-src", "'self' 'wasm-unsafe-eval'"),
        ("style-src", "'self'"),
        ("img-src", img_src),
        ("connect-src", "'self'"),
        ("font-src", "'self'"),
        ("worker-src", "'self'"),
        ("manifest-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("form-action", "'self'"),
        ("frame-ancestors", "'none'"),
    ];
    let want: BTreeMap<String, String> = want
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(d, want, "{what}");
    let policy = header(h, "content-security-policy");
    assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
    assert!(!policy.contains("'unsafe-eval'"), "{what}: {policy}");
}

#[tokio::test]
async fn every_shell_answer_carries_the_security_headers() {
    let e = serve(None).await;

    for path in ["/", "/index.html"] {
        for gzip in [false, true] {
            let (status, h, body) = e.get(path, gzip).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(body, INDEX, "{path}: no tile setting, nothing written in");
            assert!(header(&h, "content-type").starts_with("text/html"));
            assert_eq!(header(&h, "cache-control"), "no-cache");
            assert_shell_policy(&h, "'self' data:", path);
        }
    }

    // Files with a gzip copy: the right body for each client, and `Vary` on both answers so
    // that a shared cache never hands the gzip body to a client that cannot read it.
    for (file, identity, gzipped) in [
        ("web_shell_bg.wasm", "\0asm identity", "gzip of the wasm"),
        ("web_shell.js", "export {} // identity", "gzip of the js"),
    ] {
        let path = format!("{PKG}/{file}");
        let (status, h, body) = e.get(&path, false).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, identity, "{path}");
        assert!(h.get("content-encoding").is_none(), "{path}");
        assert!(
            header(&h, "vary")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{path}"
        );
        assert_eq!(
            header(&h, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_shell_policy(&h, "'self' data:", &path);

        let (status, h, body) = e.get(&path, true).await;
        assert_eq!(status, StatusCode::OK, "{path} gzip");
        assert_eq!(body, gzipped, "{path} gzip");
        assert_eq!(header(&h, "content-encoding"), "gzip", "{path}");
        assert!(
            header(&h, "vary")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{path} gzip"
        );
        assert_shell_policy(&h, "'self' data:", &format!("{path} gzip"));
    }
    for file in ["boot.js", "style.css"] {
        let path = format!("{PKG}/{file}");
        let (status, h, _) = e.get(&path, true).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(h.get("content-encoding").is_none(), "{path}");
        assert_shell_policy(&h, "'self' data:", &path);
    }

    // A missing file is a JSON problem, still under the shell's policy.
    let (status, h, _) = e.get("/nothing-here.js", false).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_shell_policy(&h, "'self' data:", "missing file");

    // The JSON API: nosniff, no referrer, no framing, and a policy under which an answer
    // opened as a document can run nothing.
    for (path, want) in [
        ("/healthz", StatusCode::OK),
        ("/v1/openapi.json", StatusCode::OK),
        ("/v1/no-such-thing", StatusCode::NOT_FOUND),
        ("/v1/jobs", StatusCode::UNAUTHORIZED),
    ] {
        let (status, h, _) = e.get(path, false).await;
        assert_eq!(status, want, "{path}");
        assert_common(&h, path);
        let d = csp(&h);
        assert_eq!(d["default-src"], "'none'", "{path}");
        assert_eq!(d["frame-ancestors"], "'none'", "{path}");
    }
    let res = e
        .env
        .http
        .post(format!("{}/v1/auth/login", e.env.base))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_common(res.headers(), "bad login body");
}

/// The service worker, the manifest and the icons: the types a browser insists on (a worker
/// script must be JavaScript), revalidated on every load so that a new build's worker is
/// found at the next online start, under the shell's policy. The worker's own requests run
/// under the policy its script is served with.
#[tokio::test]
async fn the_service_worker_and_the_manifest_are_served_from_the_root() {
    let e = serve(None).await;
    for (path, mime, body) in [
        ("/sw.js", "text/javascript", Some(SW)),
        (
            "/manifest.webmanifest",
            "application/manifest+json",
            Some(MANIFEST),
        ),
        ("/icons/icon-192.png", "image/png", None),
    ] {
        for gzip in [false, true] {
            let (status, h, got) = e.get(path, gzip).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            if let Some(body) = body {
                assert_eq!(got, body, "{path}");
            }
            assert_eq!(header(&h, "content-type"), mime, "{path}");
            assert_eq!(header(&h, "cache-control"), "no-cache", "{path}");
            assert!(h.get("service-worker-allowed").is_none(), "{path}");
            assert_shell_policy(&h, "'self' data:", path);
        }
    }
    // The worker is no way into the API: /v1 stays the API's, even for a worker's name.
    let (status, h, _) = e.get("/v1/sw.js", false).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(csp(&h)["default-src"], "'none'");
}

#[tokio::test]
async fn the_tile_server_is_a_setting_that_only_its_origin_reaches() {
    let plain = serve(None).await;
    let (_, h, body) = plain.get("/", false).await;
    assert!(!body.contains("rounds-tiles"), "{body}");
    assert_eq!(csp(&h)["img-src"], "'self' data:");

    let template = "https://tiles.example.net:8443/osm/{z}/{x}/{y}.png?key=a&style=\"x\"";
    let e = serve(Some(template)).await;
    for path in ["/", "/index.html", &format!("{PKG}/web_shell.js")] {
        let (status, h, _) = e.get(path, false).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_shell_policy(&h, "'self' data: https://tiles.example.net:8443", path);
    }
    let (_, _, body) = e.get("/", false).await;
    let meta = "<meta name=\"rounds-tiles\" content=\"https://tiles.example.net:8443/osm/\
                {z}/{x}/{y}.png?key=a&amp;style=&quot;x&quot;\">";
    assert_eq!(body.matches("rounds-tiles").count(), 1, "{body}");
    let head = &body[..body.find("</head>").unwrap()];
    assert!(
        head.contains(meta),
        "the template, escaped, in <head>: {body}"
    );

    // The default port is not spelled out, as the browser's origin has none.
    let e = serve(Some("https://tile.openstreetmap.org/{z}/{x}/{y}.png")).await;
    let (_, h, _) = e.get("/", false).await;
    assert_eq!(
        csp(&h)["img-src"],
        "'self' data: https://tile.openstreetmap.org"
    );
}

#[test]
fn tile_urls_are_checked() {
    let ok = TileUrl::parse("http://127.0.0.1:8081/{z}/{x}/{y}.png").unwrap();
    assert_eq!(ok.origin(), "http://127.0.0.1:8081");
    assert_eq!(ok.template(), "http://127.0.0.1:8081/{z}/{x}/{y}.png");
    for bad in [
        "",
        "tiles/{z}/{x}/{y}.png",
        "javascript:alert(1)//{z}{x}{y}",
        "data:image/png,{z}{x}{y}",
        "ftp://tiles.example.net/{z}/{x}/{y}.png",
        "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://user:secret@tiles.example.net/{z}/{x}/{y}.png",
        "https://tiles.example.net/{z}/{x}.png",
        "https://tiles.example.net/tile.png",
    ] {
        assert!(TileUrl::parse(bad).is_err(), "{bad:?} accepted");
    }
}

/// A bad setting stops `serve` before it listens, with the reason.
#[test]
fn serve_refuses_a_bad_tile_url_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(BIN)
        .arg("--data")
        .arg(dir.path().join("db"))
        .args(["serve", "--bind", "127.0.0.1:0", "--web-dir"])
        .arg(dir.path())
        .env("ROUNDS_TILE_URL", "ftp://tiles.example.net/{z}/{x}/{y}.png")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A server that accepted the setting would serve forever.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("serve started with a bad tile URL");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("http or https"), "{err}");
}
