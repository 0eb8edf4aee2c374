//! TLS to the database. A connection string that asks for it (`sslmode=require`, or libpq's
//! `verify-ca` / `verify-full`) gets TLS with the server's certificate always verified: against
//! the CA in `sslrootcert` when given (a managed database's own CA), else Mozilla's roots. One
//! that does not ask stays plain, as before TLS was supported (tokio-postgres's default,
//! `prefer`, would otherwise try TLS and fail on a certificate it cannot verify).

use std::sync::Arc;

use tokio_postgres::Config;
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::describe;
use crate::store::Error;

/// The connector every connection of the store uses.
pub(super) type Tls = MakeRustlsConnect;

/// Parses `url` (URL or key=value form) into a configuration and its TLS connector.
pub(super) fn configure(url: &str) -> Result<(Config, Tls), Error> {
    let mut root_cert = None;
    let mut names_mode = false;
    let mut kept = Vec::new();
    let keyword_form = !url.contains("://");
    let (head, options) = if keyword_form {
        ("", url)
    } else {
        url.split_once('?').unwrap_or((url, ""))
    };
    let separator = if keyword_form { ' ' } else { '&' };
    for option in options.split(separator).filter(|o| !o.is_empty()) {
        match option.split_once('=') {
            Some(("sslrootcert", path)) => root_cert = Some(decode(path)),
            Some(("sslmode", mode)) => {
                names_mode = true;
                // Certificates are always verified here, so libpq's verifying modes are
                // `require` to tokio-postgres.
                let mode = if matches!(mode, "verify-ca" | "verify-full") {
                    "require"
                } else {
                    mode
                };
                kept.push(format!("sslmode={mode}"));
            }
            _ => kept.push(option.to_owned()),
        }
    }
    let rebuilt = if keyword_form {
        kept.join(" ")
    } else if kept.is_empty() {
        head.to_owned()
    } else {
        format!("{head}?{}", kept.join("&"))
    };
    let mut cfg: Config = rebuilt.parse().map_err(|e| {
        Error::unusable(format!(
            "the database address is not a PostgreSQL connection string ({}); \
             give --database (or ROUNDS_DATABASE) as postgres://user:password@host:port/database",
            describe(&e)
        ))
    })?;
    if !names_mode {
        cfg.ssl_mode(SslMode::Disable);
    }
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = root_cert {
        use rustls::pki_types::pem::PemObject;
        let certs: Vec<_> = rustls::pki_types::CertificateDer::pem_file_iter(&path)
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|e| {
                Error::unusable(format!(
                    "cannot read the database's CA certificate at {path} (sslrootcert): {e}"
                ))
            })?;
        if certs.is_empty() {
            return Err(Error::unusable(format!(
                "{path} (sslrootcert) holds no PEM certificate"
            )));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| {
                Error::unusable(format!(
                    "{path} (sslrootcert) is not a usable CA certificate: {e}"
                ))
            })?;
        }
    }
    #[expect(
        deprecated,
        reason = "ring lacks post-quantum key exchange, which PostgreSQL servers do not offer \
                  yet; aws-lc-rs would add a C build of its own for nothing here"
    )]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::unusable(format!("TLS cannot be set up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok((cfg, MakeRustlsConnect::new(client)))
}

/// A connection string's value, percent-decoded (a path with spaces).
fn decode(v: &str) -> String {
    form_urlencoded::parse(format!("v={v}").as_bytes())
        .next()
        .map_or_else(|| v.to_owned(), |(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_that_asks_for_no_tls_stays_plain_and_one_that_does_gets_it() {
        let (cfg, _) = configure("postgres://u@h:5433/db?application_name=x").unwrap();
        assert_eq!(cfg.get_ssl_mode(), SslMode::Disable);
        assert_eq!(cfg.get_dbname(), Some("db"));
        let (cfg, _) = configure("postgres://u@h/db?sslmode=require").unwrap();
        assert_eq!(cfg.get_ssl_mode(), SslMode::Require);
        let (cfg, _) = configure("postgres://u@h/db?sslmode=verify-full").unwrap();
        assert_eq!(cfg.get_ssl_mode(), SslMode::Require);
        let (cfg, _) = configure("host=h user=u dbname=db sslmode=require").unwrap();
        assert_eq!(cfg.get_ssl_mode(), SslMode::Require);
        assert_eq!(cfg.get_user(), Some("u"));
    }

    #[test]
    fn a_missing_or_empty_root_certificate_is_refused_in_words() {
        let e = configure("postgres://u@h/db?sslmode=require&sslrootcert=/nonexistent/ca.pem")
            .err()
            .unwrap();
        assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate").unwrap();
        let e = configure(&format!(
            "postgres://u@h/db?sslmode=require&sslrootcert={}",
            empty.display()
        ))
        .err()
        .unwrap();
        assert!(e.to_string().contains("no PEM certificate"), "{e}");
    }
}
