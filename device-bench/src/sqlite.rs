//! The anchor: the same replica rows in SQLite, read back and deserialised into the same
//! structs. No index is built: this is the floor a device database's load could reach.

use std::path::Path;
use std::time::Instant;

use domain::ops::Record;
use shared::effects::store::Entry;

/// A SQLite file holding the replica's rows.
pub struct Anchor {
    db: rusqlite::Connection,
}

impl Anchor {
    /// Writes every entry (key and the record's JSON) into a fresh database at `path`.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn create(path: &Path, entries: &[Entry]) -> anyhow::Result<Self> {
        let mut db = rusqlite::Connection::open(path)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE replica (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;",
        )?;
        let tx = db.transaction()?;
        {
            let mut insert = tx.prepare("INSERT INTO replica (key, value) VALUES (?1, ?2)")?;
            for e in entries {
                insert.execute(rusqlite::params![e.key, e.value])?;
            }
        }
        tx.commit()?;
        Ok(Self { db })
    }

    /// Reads every row and deserialises it: how many records, in how long (ms).
    ///
    /// # Errors
    /// When SQLite fails or a row is not a record.
    pub fn load(&self) -> anyhow::Result<(usize, f64)> {
        let t = Instant::now();
        let mut select = self.db.prepare_cached("SELECT key, value FROM replica")?;
        let mut rows = select.query([])?;
        let mut records: Vec<(String, Record)> = Vec::new();
        while let Some(row) = rows.next()? {
            let key: String = row.get(0)?;
            let value = row.get_ref(1)?.as_blob()?;
            records.push((key, serde_json::from_slice(value)?));
        }
        let ms = t.elapsed().as_secs_f64() * 1e3;
        Ok((records.len(), ms))
    }
}
