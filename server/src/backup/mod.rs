//! Backups of the embedded (sled) store: a consistent snapshot taken by the running server,
//! kept in a folder under a retention setting, and restored into a fresh data folder
//! (`restore`). The running server takes them on a schedule (`schedule`) and when the
//! operator asks through its control socket (`control`, `server admin backup`), since sled
//! locks its files. PostgreSQL's backups are `pg_dump`'s (`docs/ARCHITECTURE.md`).
//!
//! Consistency: every write goes through the store's one writer thread, so a walk of the tree
//! made on that thread between two groups sees exactly what was acknowledged, and nothing
//! changes under it. Writes wait only for that walk (the values are shared, not copied); the
//! file is compressed and written afterwards, beside them.

pub mod control;
mod file;
pub mod restore;
pub mod schedule;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use self::file::Header;
use crate::store::{self, SledStore};

const PREFIX: &str = "rounds-";
const SUFFIX: &str = ".rounds-backup";
const PARTIAL: &str = ".partial";
const STAMP: &str = "%Y%m%dT%H%M%S%.3fZ";

/// A backup that was written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Taken {
    pub path: PathBuf,
    pub taken_at: DateTime<Utc>,
    pub bytes: u64,
    pub entries: u64,
    /// How long writes waited while the store was walked.
    pub writes_waited_ms: u64,
    /// From the request to the file on disk.
    pub took_ms: u64,
    /// Older backups removed under the retention setting.
    pub removed: Vec<PathBuf>,
}

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("no backup folder: give --to, or start the server with --backup-dir")]
    NoFolder,
    #[error(
        "the backup folder {} has no space left ({written} bytes written of this backup, which \
         was removed); the backups already there are kept",
        dir.display()
    )]
    NoSpace { dir: PathBuf, written: u64 },
    #[error("cannot write a backup in {}: {source}", dir.display())]
    Folder { dir: PathBuf, source: io::Error },
    #[error("reading the store for a backup failed: {0}")]
    Store(#[from] store::Error),
}

/// Takes backups of one sled store.
pub struct Backups {
    store: Arc<SledStore>,
    /// Where scheduled backups go, and on-demand ones that name no folder.
    dir: Option<PathBuf>,
    /// How many backups to keep in `dir`.
    keep: usize,
    /// One backup at a time: two at once would each pause writes and race on retention.
    one: tokio::sync::Mutex<()>,
}

impl Backups {
    pub fn new(store: Arc<SledStore>, dir: Option<PathBuf>, keep: usize) -> Self {
        Self {
            store,
            dir,
            keep: keep.max(1),
            one: tokio::sync::Mutex::new(()),
        }
    }

    /// The folder scheduled backups go to.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Takes a backup into `to` (else the configured folder). Backups beyond `keep` (else,
    /// in the configured folder, the configured number) are removed, oldest first, but only
    /// after this one is safely on disk: a failure leaves the folder as it was.
    pub async fn take(&self, to: Option<&Path>, keep: Option<usize>) -> Result<Taken, BackupError> {
        let _one = self.one.lock().await;
        let started = Instant::now();
        let (dir, keep) = match to {
            Some(d) => (d.to_path_buf(), keep),
            None => (
                self.dir.clone().ok_or(BackupError::NoFolder)?,
                Some(keep.unwrap_or(self.keep)),
            ),
        };
        let folder = |source| BackupError::Folder {
            dir: dir.clone(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(folder)?;
        remove_partials(&dir);

        // The walk, on the store's writer thread.
        let (tx, rx) = tokio::sync::oneshot::channel();
        let walked = Instant::now();
        self.store
            .quiet_read(Box::new(move |tree: &::sled::Tree| {
                let at = Instant::now();
                let entries: Result<Vec<_>, _> = tree.iter().collect();
                let _ = tx.send((entries, at.elapsed()));
            }))
            .await?;
        let (entries, waited) = rx.await.map_err(|_| store::Error::closed())?;
        let entries = entries.map_err(store::Error::from)?;
        tracing::debug!(
            walk_ms = walked.elapsed().as_millis(),
            "store walked for a backup"
        );

        let taken_at = Utc::now();
        let name = format!("{PREFIX}{}{SUFFIX}", taken_at.format(STAMP));
        let path = dir.join(&name);
        let partial = dir.join(format!("{name}{PARTIAL}"));
        let header = Header {
            taken_at,
            server: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let count = entries.len() as u64;
        let written = {
            let partial = partial.clone();
            tokio::task::spawn_blocking(move || {
                file::write(
                    &partial,
                    &header,
                    entries.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
                )
            })
            .await
            .map_err(|e| folder(io::Error::other(e)))?
        };
        let bytes = match written.and_then(|bytes| {
            std::fs::rename(&partial, &path)?;
            sync_dir(&dir)?;
            Ok(bytes)
        }) {
            Ok(b) => b,
            Err(e) => {
                let written = std::fs::metadata(&partial).map_or(0, |m| m.len());
                let _ = std::fs::remove_file(&partial);
                return Err(if is_full(&e) {
                    BackupError::NoSpace { dir, written }
                } else {
                    folder(e)
                });
            }
        };
        let removed = match keep {
            Some(keep) => prune(&dir, keep.max(1)),
            None => Vec::new(),
        };
        let taken = Taken {
            path,
            taken_at,
            bytes,
            entries: count,
            writes_waited_ms: millis(waited),
            took_ms: millis(started.elapsed()),
            removed,
        };
        tracing::info!(
            path = %taken.path.display(),
            bytes = taken.bytes,
            entries = taken.entries,
            writes_waited_ms = taken.writes_waited_ms,
            "backup written"
        );
        Ok(taken)
    }
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn is_full(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

/// The backups in `dir`, oldest first, with the time each was taken (from its name).
pub fn list(dir: &Path) -> io::Result<Vec<(DateTime<Utc>, PathBuf)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if let Some(at) = path.file_name().and_then(|n| n.to_str()).and_then(stamp_of) {
            found.push((at, path));
        }
    }
    found.sort();
    Ok(found)
}

fn stamp_of(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|t| t.and_utc())
}

/// Removes all but the newest `keep` backups in `dir`; what it removed.
fn prune(dir: &Path, keep: usize) -> Vec<PathBuf> {
    let Ok(all) = list(dir) else {
        return Vec::new();
    };
    let surplus = all.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for (_, path) in all.into_iter().take(surplus) {
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "an old backup could not be removed")
            }
        }
    }
    removed
}

/// Backups cut short by a crash or a kill (never renamed into place) are rubbish.
fn remove_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(PREFIX) && name.ends_with(PARTIAL) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}
