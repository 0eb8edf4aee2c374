//! A custom capability: the device's own database, in tables of keyed values, written in
//! batches.
//!
//! Why not `crux_kv`: a replica is hundreds of thousands of records, and the core must write
//! what a sync page or an op changed (a few to a few thousand records) as one durable step,
//! and read everything back at start-up in one go. With one key-value effect per record, a
//! first sync would be a quarter of a million effect round trips and a crash in the middle
//! would leave half a page written. Here a [`StoreRequest::Write`] is atomic (one IndexedDB
//! transaction on the web, one SQLite transaction or one appended and synced file on phones)
//! and a [`StoreRequest::Load`] returns a whole table.
//!
//! The core owns the layout (which table, which key, what bytes); shells only carry it out.

pub mod command;
pub mod log;
pub mod memory;

use crux_core::capability::Operation;
use facet::Facet;
use facet_generate_attrs as typegen;
use serde::{Deserialize, Serialize};

/// The tables of the device database. Each is a map from key to bytes.
#[derive(
    Facet, Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[repr(C)]
pub enum Table {
    /// One entry per record of the replica, keyed by the record's key.
    Replica,
    /// One entry per pending op, keyed so that keys sort in the order the ops were made.
    Outbox,
    /// Small values: the session, the sync cursor, the device's proof of its last sign-in.
    Meta,
}

impl Table {
    pub const ALL: [Table; 3] = [Table::Replica, Table::Outbox, Table::Meta];

    /// The name shells give the table (an IndexedDB object store, a SQLite table).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Table::Replica => "replica",
            Table::Outbox => "outbox",
            Table::Meta => "meta",
        }
    }
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[repr(C)]
pub enum Write {
    Put {
        table: Table,
        key: String,
        #[serde(with = "serde_bytes")]
        #[facet(typegen::bytes)]
        value: Vec<u8>,
    },
    Delete {
        table: Table,
        key: String,
    },
    /// Removes every entry of the table (before the rest of the batch).
    Clear {
        table: Table,
    },
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[repr(C)]
pub enum StoreRequest {
    /// Every entry of a table, in key order.
    Load { table: Table },
    /// All of these, or none of them: durable when answered.
    Write { writes: Vec<Write> },
    /// How much the device lets this app store, and how much it uses (bytes), and ask that
    /// what is stored is kept under storage pressure (the web's persistent storage).
    Estimate,
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    #[serde(with = "serde_bytes")]
    #[facet(typegen::bytes)]
    pub value: Vec<u8>,
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[repr(C)]
pub enum StoreResponse {
    Loaded {
        entries: Vec<Entry>,
    },
    Written,
    Estimate {
        used: u64,
        quota: u64,
        /// The device promised to keep the data under storage pressure.
        persisted: bool,
    },
    Failed(StoreError),
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq, thiserror::Error)]
#[repr(C)]
pub enum StoreError {
    /// The device's storage for this app is full; nothing of the batch was written.
    #[error("the storage on this device is full")]
    Full,
    /// The storage could not be opened or used at all (private browsing, disk error).
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    /// Part of what was saved could not be read back (this many batches of the device's
    /// log); the rest was.
    #[error("{0} saved batches could not be read")]
    Damaged(u32),
}

impl Operation for StoreRequest {
    type Output = StoreResponse;
}
