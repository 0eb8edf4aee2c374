//! `server admin restore`: a backup brought back into a fresh data folder.
//!
//! The entries are written into a folder beside the target and moved into place only once the
//! whole file has been read and checked, so a damaged backup, or a restore that is killed,
//! never leaves a data folder a server could start on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use domain::ids::OrgId;
use thiserror::Error;

use super::Header;
use super::file::{self, ReadError};
use crate::store::{self, SledStore, Store};

/// What a restore brought back.
#[derive(Debug)]
pub struct Restored {
    pub header: Header,
    pub entries: u64,
    /// Each organization's change-log head: devices that synced past it are told to fetch
    /// everything again (`sync::pull`).
    pub heads: BTreeMap<OrgId, u64>,
}

#[derive(Debug, Error)]
pub enum RestoreError {
    #[error(
        "{} already holds data; a backup is restored into a new or empty folder (move the old \
         one aside first)",
        .0.display()
    )]
    NotEmpty(PathBuf),
    #[error("{} cannot be read: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} was not restored: {why}; nothing was written", path.display())]
    Bad { path: PathBuf, why: ReadError },
    #[error("writing the restored data failed: {0}; nothing was left behind")]
    Write(String),
    #[error("the restored data does not open: {0}")]
    Open(#[from] store::Error),
}

/// Restores the backup `from` into `data`, which must not exist or be empty.
pub fn restore(from: &Path, data: &Path) -> Result<Restored, RestoreError> {
    if let Ok(mut entries) = std::fs::read_dir(data)
        && entries.next().is_some()
    {
        return Err(RestoreError::NotEmpty(data.to_path_buf()));
    }
    std::fs::metadata(from).map_err(|source| RestoreError::Unreadable {
        path: from.to_path_buf(),
        source,
    })?;
    let name = data
        .file_name()
        .map_or_else(|| "data".into(), |n| n.to_string_lossy().into_owned());
    let aside = data.with_file_name(format!(".{name}.restoring-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&aside);
    let written = write_aside(from, &aside);
    let (header, entries) = match written {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&aside);
            return Err(e);
        }
    };
    // An empty target folder is replaced by the restored one.
    if data.exists() {
        let _ = std::fs::remove_dir(data);
    }
    std::fs::rename(&aside, data).map_err(|e| {
        let _ = std::fs::remove_dir_all(&aside);
        RestoreError::Write(e.to_string())
    })?;
    // Opening it checks what a server would check at start (the signing key, the indexes).
    let store = SledStore::open(data)?;
    let mut heads = BTreeMap::new();
    for org in store.orgs()? {
        heads.insert(org, store.durable_head(org)?);
    }
    store.close();
    Ok(Restored {
        header,
        entries,
        heads,
    })
}

fn write_aside(from: &Path, aside: &Path) -> Result<(Header, u64), RestoreError> {
    let write = |e: ::sled::Error| RestoreError::Write(e.to_string());
    let db = ::sled::Config::new()
        .path(aside)
        .flush_every_ms(None)
        .open()
        .map_err(write)?;
    let tree = db.open_tree("rounds").map_err(write)?;
    let mut batch = ::sled::Batch::default();
    let mut in_batch = 0usize;
    let read = file::read(from, |k, v| {
        batch.insert(k, v);
        in_batch += 1;
        if in_batch == 10_000 {
            tree.apply_batch(std::mem::take(&mut batch))
                .map_err(std::io::Error::other)?;
            in_batch = 0;
        }
        Ok(())
    });
    let (header, entries) = read.map_err(|why| RestoreError::Bad {
        path: from.to_path_buf(),
        why,
    })?;
    tree.apply_batch(batch).map_err(write)?;
    db.flush().map_err(write)?;
    drop(tree);
    drop(db);
    Ok((header, entries))
}
