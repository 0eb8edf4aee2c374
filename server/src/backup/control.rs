//! The running server's control socket, `<data>/admin.sock`: how `server admin backup` asks
//! the server that holds the sled database (its files are locked) for a backup. A Unix socket
//! that only the server's own user may open (mode 0600, in the data folder): whoever can open
//! it could read the data folder anyway, so it needs no sign-in of its own.
//!
//! One JSON line asked, one JSON line answered.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use super::{Backups, Taken};

/// Where the control socket of the server on `data` is.
pub fn socket_path(data: &Path) -> PathBuf {
    data.join("admin.sock")
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// A backup into `to` (else the server's `--backup-dir`), keeping the newest `keep`.
    Backup {
        to: Option<PathBuf>,
        keep: Option<usize>,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Taken(Taken),
    Failed(String),
}

/// Listens on `path` until the server stops. A socket file left by a server that was killed
/// is replaced; one a live server still answers on is not.
pub async fn listen(path: PathBuf, backups: Arc<Backups>) -> std::io::Result<()> {
    if UnixStream::connect(&path).await.is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AddrInUse,
            format!("another server answers on {}", path.display()),
        ));
    }
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((conn, _)) => {
                    let backups = backups.clone();
                    tokio::spawn(async move {
                        if let Err(e) = serve(conn, &backups).await {
                            tracing::warn!(error = %e, "a control-socket request failed");
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the control socket stopped accepting");
                    return;
                }
            }
        }
    });
    Ok(())
}

async fn serve(conn: UnixStream, backups: &Backups) -> std::io::Result<()> {
    let (read, mut write) = conn.into_split();
    let mut line = String::new();
    BufReader::new(read.take(64 * 1024))
        .read_line(&mut line)
        .await?;
    let answer = match serde_json::from_str::<Request>(&line) {
        Ok(Request::Backup { to, keep }) => match backups.take(to.as_deref(), keep).await {
            Ok(taken) => Answer::Taken(taken),
            Err(e) => Answer::Failed(e.to_string()),
        },
        Err(e) => Answer::Failed(format!("not a request this server knows: {e}")),
    };
    let mut out = serde_json::to_vec(&answer).map_err(std::io::Error::other)?;
    out.push(b'\n');
    write.write_all(&out).await?;
    write.shutdown().await
}

/// Asks the server listening on `path`. `Ok(None)` when no server listens there.
pub async fn ask(path: &Path, request: &Request) -> std::io::Result<Option<Answer>> {
    let conn = match UnixStream::connect(path).await {
        Ok(c) => c,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let (read, mut write) = conn.into_split();
    let mut out = serde_json::to_vec(request).map_err(std::io::Error::other)?;
    out.push(b'\n');
    write.write_all(&out).await?;
    let mut line = String::new();
    BufReader::new(read).read_line(&mut line).await?;
    serde_json::from_str(&line)
        .map(Some)
        .map_err(|e| std::io::Error::other(format!("the server's answer: {e}")))
}
