//! The `Store` effect over plain files: what a native shell (Android, iOS, a desktop test
//! harness) needs, with nothing but the file system.
//!
//! One append-only log holds every table. A batch of writes is one frame, appended and
//! synced (`fsync`) before it is answered, so it is durable when the core hears `Written`.
//! A frame is `[length: u32 LE][crc32 of the payload: u32 LE][payload]`; a load reads frames
//! from the start and stops at the last one if it is cut short or fails its checksum (a crash
//! in the middle of an append), so a batch is all or nothing. One log for all the tables,
//! because a sync page writes the replica and the cursor in `meta` together.
//!
//! A frame that fails its checksum with more frames after it is not a crash but damage (a bad
//! sector, a bug): it is skipped and counted, a copy of the log is kept beside it
//! (`device.log.damaged`) for whoever looks into it, and the load says the replica cannot be
//! trusted ([`Folded::answer`]), so the core fetches it again and keeps the pending ops it could
//! read.
//!
//! A load folds the log into the table's entries, in key order. When the log holds much more
//! than the live entries (records written over many times), a load rewrites it with the live
//! entries only (to a new file, synced, then renamed over the old one).
//!
//! The payload of a frame is one batch as `shared::effects::store::log` encodes it, and the
//! fold is that module's too (the web shell keeps the same batches in IndexedDB).

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use shared::effects::store::log::{self, Folded};
use shared::effects::store::{StoreError, StoreRequest, StoreResponse, Table, Write};

const LOG: &str = "device.log";
/// Below this, a log is never worth rewriting.
const COMPACT_ABOVE: u64 = 8 << 20;

/// The device database of one app installation, in a directory of its own.
pub struct FileStore {
    dir: PathBuf,
    log: File,
    /// Bytes in the log: where the next frame goes. A frame that failed half-way is cut
    /// off again, so that the next one does not follow garbage.
    len: u64,
    /// The log as last read, while nothing was written since: a start-up loads the three
    /// tables one after the other, and reads the file once. Dropped with the load of the
    /// replica (the largest table, loaded last) and by every write.
    read: Option<Vec<u8>>,
}

impl FileStore {
    /// Opens (or creates) the database in `dir`.
    ///
    /// # Errors
    /// When the directory or the log cannot be created or opened.
    pub fn open(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(LOG);
        let log = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)?;
        let mut store = Self {
            dir: dir.to_owned(),
            len: 0,
            log,
            read: None,
        };
        // A frame cut short by a crash is dropped here, before anything follows it.
        let bytes = std::fs::read(&path)?;
        let damaged = dir.join(format!("{LOG}.damaged"));
        if frames(&bytes).any(|f| !f.intact) && !damaged.exists() {
            std::fs::write(&damaged, &bytes)?;
        }
        let whole = frames(&bytes).map(|f| f.end).last().unwrap_or(0);
        if whole as u64 != bytes.len() as u64 {
            store.log.set_len(whole as u64)?;
            store.log.sync_all()?;
        }
        store.len = whole as u64;
        Ok(store)
    }

    /// Carries out one request of the core.
    pub fn answer(&mut self, request: &StoreRequest) -> StoreResponse {
        let result = match request {
            StoreRequest::Load { table } => self.load(*table),
            StoreRequest::Write { writes } => self.write(writes).map(|()| StoreResponse::Written),
            StoreRequest::Estimate => Ok(StoreResponse::Estimate {
                used: self.len,
                quota: available(&self.dir).unwrap_or(u64::MAX),
                persisted: true,
            }),
        };
        result.unwrap_or_else(|e| StoreResponse::Failed(store_error(&e)))
    }

    /// Every entry of `table`, in key order (or, for the replica after a damaged batch, that
    /// it cannot be trusted: see [`Folded::answer`]).
    ///
    /// # Errors
    /// When the log cannot be read (or rewritten, when it is worth it).
    pub fn load(&mut self, table: Table) -> io::Result<StoreResponse> {
        let bytes = match self.read.take() {
            Some(bytes) => bytes,
            None => std::fs::read(self.dir.join(LOG))?,
        };
        let mut folded = Folded::default();
        for frame in frames(&bytes) {
            if frame.intact {
                folded.add(frame.payload);
            } else {
                folded.damaged += 1;
            }
        }
        if table != Table::Replica {
            self.read = Some(bytes);
        } else if folded.needs_rewriting(COMPACT_ABOVE) {
            drop(bytes);
            self.compact(&folded)?;
        }
        Ok(folded.answer(table))
    }

    /// Appends the batch as one frame and syncs it.
    ///
    /// # Errors
    /// When the frame cannot be written or synced; the log is then cut back to where it was.
    pub fn write(&mut self, writes: &[Write]) -> io::Result<()> {
        self.read = None;
        let result = self.append(&log::encode(writes));
        if result.is_err() {
            // Nothing of the batch may stay behind.
            let _ = self.log.set_len(self.len);
        }
        result
    }

    fn append(&mut self, payload: &[u8]) -> io::Result<()> {
        let frame = frame(payload)?;
        self.log.write_all(&frame)?;
        self.log.sync_data()?;
        self.len += frame.len() as u64;
        Ok(())
    }

    /// Rewrites the log with the live entries of every table (to a new file, synced, then
    /// renamed over the old one).
    fn compact(&mut self, folded: &Folded) -> io::Result<()> {
        self.read = None;
        let fresh = self.dir.join(format!("{LOG}.new"));
        let mut len = 0u64;
        {
            let mut f = File::create(&fresh)?;
            for batch in folded.batches(4 << 20) {
                let frame = frame(&batch)?;
                f.write_all(&frame)?;
                len += frame.len() as u64;
            }
            f.sync_all()?;
        }
        std::fs::rename(&fresh, self.dir.join(LOG))?;
        File::open(&self.dir)?.sync_all()?;
        self.log = OpenOptions::new()
            .read(true)
            .append(true)
            .open(self.dir.join(LOG))?;
        self.len = len;
        Ok(())
    }

    /// Bytes in the log.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.len
    }
}

fn store_error(e: &io::Error) -> StoreError {
    if e.kind() == io::ErrorKind::StorageFull || e.kind() == io::ErrorKind::QuotaExceeded {
        StoreError::Full
    } else {
        StoreError::Unavailable(e.to_string())
    }
}

/// Room left on the file system, as far as `df` tells (unknown elsewhere).
fn available(dir: &Path) -> Option<u64> {
    let out = std::process::Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(dir)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)?
        .trim()
        .parse()
        .ok()
}

/// `[length: u32 LE][crc32 of the payload: u32 LE][payload]`.
fn frame(payload: &[u8]) -> io::Result<Vec<u8>> {
    let length = u32::try_from(payload.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "batch over 4 GB"))?;
    let mut frame = Vec::with_capacity(payload.len() + 8);
    frame.extend_from_slice(&length.to_le_bytes());
    frame.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    frame.extend_from_slice(payload);
    Ok(frame)
}

struct Frame<'a> {
    payload: &'a [u8],
    /// Where the frame ends in the log.
    end: usize,
    /// The payload matches its checksum.
    intact: bool,
}

/// The frames of a log, up to the last whole one: a frame cut short, or failing its checksum
/// with nothing after it, is the crash of an append and ends the log; one failing its
/// checksum with more after it is damage, reported as not intact.
fn frames(bytes: &[u8]) -> impl Iterator<Item = Frame<'_>> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let header = bytes.get(at..at.checked_add(8)?)?;
        let len = u32::from_le_bytes(header[..4].try_into().ok()?) as usize;
        let crc = u32::from_le_bytes(header[4..].try_into().ok()?);
        let end = at.checked_add(8)?.checked_add(len)?;
        let payload = bytes.get(at + 8..end)?;
        let intact = crc32fast::hash(payload) == crc;
        if !intact && end == bytes.len() {
            return None;
        }
        at = end;
        Some(Frame {
            payload,
            end,
            intact,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::effects::store::Entry;

    fn put(table: Table, key: &str, value: &str) -> Write {
        Write::Put {
            table,
            key: key.into(),
            value: value.as_bytes().to_vec(),
        }
    }

    fn loaded(s: &mut FileStore, table: Table) -> Vec<Entry> {
        match s.load(table).unwrap() {
            StoreResponse::Loaded { entries } => entries,
            other => panic!("{table:?}: {other:?}"),
        }
    }

    #[test]
    fn a_damaged_batch_is_kept_aside_and_reported_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = FileStore::open(dir.path()).unwrap();
        s.write(&[put(Table::Outbox, "01", "first op")]).unwrap();
        let first = s.size();
        s.write(&[
            put(Table::Replica, "a", "1"),
            put(Table::Meta, "cursor", "5"),
        ])
        .unwrap();
        s.write(&[
            put(Table::Outbox, "02", "second op"),
            put(Table::Meta, "cursor", "6"),
        ])
        .unwrap();
        drop(s);
        // A bad sector in the middle frame's payload: the last frame is whole.
        let path = dir.path().join(LOG);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[first as usize + 12] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();

        let mut s = FileStore::open(dir.path()).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join(format!("{LOG}.damaged"))).unwrap(),
            bytes,
            "the log as found is kept for whoever looks into it"
        );
        assert_eq!(
            keys(&loaded(&mut s, Table::Outbox)),
            [("01", &b"first op"[..]), ("02", &b"second op"[..])],
            "the work after the damage is read"
        );
        assert_eq!(keys(&loaded(&mut s, Table::Meta)), [("cursor", &b"6"[..])]);
        assert_eq!(
            s.load(Table::Replica).unwrap(),
            StoreResponse::Failed(StoreError::Damaged(1)),
            "the cursor moved past records that are lost: the replica cannot be trusted"
        );
        // The load rewrote the log without the damage: the next start is clean.
        let mut s = FileStore::open(dir.path()).unwrap();
        assert_eq!(
            keys(&loaded(&mut s, Table::Replica)),
            [] as [(&str, &[u8]); 0]
        );
        assert_eq!(loaded(&mut s, Table::Outbox).len(), 2);
    }

    fn keys(entries: &[Entry]) -> Vec<(&str, &[u8])> {
        entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_slice()))
            .collect()
    }

    #[test]
    fn batches_fold_into_tables_in_key_order_across_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = FileStore::open(dir.path()).unwrap();
        s.write(&[
            put(Table::Replica, "b", "1"),
            put(Table::Meta, "cursor", "7"),
        ])
        .unwrap();
        s.write(&[
            put(Table::Replica, "a", "2"),
            put(Table::Replica, "b", "3"),
            put(Table::Outbox, "01", "op"),
        ])
        .unwrap();
        s.write(&[Write::Delete {
            table: Table::Outbox,
            key: "01".into(),
        }])
        .unwrap();
        drop(s);
        let mut s = FileStore::open(dir.path()).unwrap();
        assert_eq!(
            keys(&loaded(&mut s, Table::Replica)),
            [("a", &b"2"[..]), ("b", &b"3"[..])]
        );
        assert_eq!(keys(&loaded(&mut s, Table::Meta)), [("cursor", &b"7"[..])]);
        assert!(loaded(&mut s, Table::Outbox).is_empty());
        s.write(&[Write::Clear {
            table: Table::Replica,
        }])
        .unwrap();
        assert!(loaded(&mut s, Table::Replica).is_empty());
    }

    #[test]
    fn a_batch_cut_short_by_a_crash_is_not_there_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = FileStore::open(dir.path()).unwrap();
        s.write(&[put(Table::Replica, "a", "1")]).unwrap();
        s.write(&[
            put(Table::Replica, "b", "2"),
            put(Table::Meta, "cursor", "2"),
        ])
        .unwrap();
        let whole = std::fs::metadata(dir.path().join(LOG)).unwrap().len();
        drop(s);
        // The crash: the second frame lost its last byte.
        let f = OpenOptions::new()
            .write(true)
            .open(dir.path().join(LOG))
            .unwrap();
        f.set_len(whole - 1).unwrap();
        let mut s = FileStore::open(dir.path()).unwrap();
        assert_eq!(keys(&loaded(&mut s, Table::Replica)), [("a", &b"1"[..])]);
        assert!(loaded(&mut s, Table::Meta).is_empty());
        // What comes next follows the last whole batch.
        s.write(&[put(Table::Replica, "c", "3")]).unwrap();
        let mut s = FileStore::open(dir.path()).unwrap();
        assert_eq!(
            keys(&loaded(&mut s, Table::Replica)),
            [("a", &b"1"[..]), ("c", &b"3"[..])]
        );
    }

    #[test]
    fn a_log_mostly_of_old_values_is_rewritten_with_the_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = FileStore::open(dir.path()).unwrap();
        let big = "x".repeat(64 << 10);
        for _ in 0..200 {
            s.write(&[put(Table::Replica, "a", &big), put(Table::Meta, "m", "1")])
                .unwrap();
        }
        assert!(s.size() > COMPACT_ABOVE);
        assert_eq!(loaded(&mut s, Table::Replica).len(), 1);
        assert!(s.size() < 2 * big.len() as u64);
        let mut s = FileStore::open(dir.path()).unwrap();
        assert_eq!(loaded(&mut s, Table::Replica)[0].value.len(), big.len());
        assert_eq!(keys(&loaded(&mut s, Table::Meta)), [("m", &b"1"[..])]);
    }
}
