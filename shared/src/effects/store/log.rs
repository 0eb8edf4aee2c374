//! A device database as a log of batches: how shells that have no tables of their own keep
//! the three tables (the native file store; IndexedDB, where one entry per record costs
//! several seconds to read back at a chain's size, and a few hundred batches well under one).
//!
//! A batch is one [`StoreRequest::Write`](super::StoreRequest::Write), encoded as its writes
//! one after the other: `[kind: u8][table: u8]` then, for a put, `[key length: u32 LE][key]
//! [value length: u32 LE][value]`, for a delete `[key length][key]`, for a clear nothing. The
//! shell keeps batches in the order written, each all or nothing (a checksummed frame in a
//! file, an IndexedDB transaction); a load folds them, later writes over earlier ones.
//! Rewriting the log with only the live entries ([`Folded::batches`]) is the shell's call,
//! when the log is mostly old values.

use std::collections::BTreeMap;

use super::{Entry, Table, Write};

const PUT: u8 = 1;
const DELETE: u8 = 2;
const CLEAR: u8 = 3;

/// One batch's bytes.
#[must_use]
pub fn encode(writes: &[Write]) -> Vec<u8> {
    let mut out = Vec::with_capacity(writes.iter().map(encoded_len).sum());
    for w in writes {
        let bytes = |out: &mut Vec<u8>, b: &[u8]| {
            // Keys and values are far below 4 GB; the shell refuses a batch that large.
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        };
        match w {
            Write::Put { table, key, value } => {
                out.extend_from_slice(&[PUT, *table as u8]);
                bytes(&mut out, key.as_bytes());
                bytes(&mut out, value);
            }
            Write::Delete { table, key } => {
                out.extend_from_slice(&[DELETE, *table as u8]);
                bytes(&mut out, key.as_bytes());
            }
            Write::Clear { table } => out.extend_from_slice(&[CLEAR, *table as u8]),
        }
    }
    out
}

fn encoded_len(w: &Write) -> usize {
    match w {
        Write::Put { key, value, .. } => 10 + key.len() + value.len(),
        Write::Delete { key, .. } => 6 + key.len(),
        Write::Clear { .. } => 2,
    }
}

/// The tables a log folds into, with what it takes to tell whether rewriting it pays.
#[derive(Debug, Default)]
pub struct Folded {
    tables: [BTreeMap<String, Vec<u8>>; 3],
    /// Bytes of the batches read.
    pub log_bytes: u64,
    /// Bytes of the live entries (keys and values).
    pub live_bytes: u64,
    /// A batch that could not be decoded to its end (its writes are left out: a batch is all
    /// or nothing). The shell's own framing should make this impossible.
    pub damaged: usize,
}

impl Folded {
    /// Applies one batch over what came before it.
    pub fn add(&mut self, batch: &[u8]) {
        self.log_bytes += batch.len() as u64;
        let Some(writes) = decode(batch) else {
            self.damaged += 1;
            return;
        };
        for (kind, table, key, value) in writes {
            let Some(t) = Table::ALL.iter().position(|t| *t as u8 == table) else {
                continue;
            };
            let map = &mut self.tables[t];
            match kind {
                PUT => {
                    let key_len = key.len() as u64;
                    let key = String::from_utf8_lossy(key).into_owned();
                    if let Some(old) = map.insert(key, value.to_vec()) {
                        self.live_bytes -= key_len + old.len() as u64;
                    }
                    self.live_bytes += key_len + value.len() as u64;
                }
                DELETE => {
                    if let Some(old) = map.remove(&*String::from_utf8_lossy(key)) {
                        self.live_bytes -= (key.len() + old.len()) as u64;
                    }
                }
                _ => {
                    let gone: u64 = map.iter().map(|(k, v)| (k.len() + v.len()) as u64).sum();
                    self.live_bytes -= gone;
                    map.clear();
                }
            }
        }
    }

    /// The answer to a load of `table`; the table is left empty.
    ///
    /// After a damaged batch, the replica is answered as unreadable: the lost batch may have
    /// held records that the sync cursor, saved by a later batch, has moved past, so only a
    /// fresh copy from the server can be trusted. The outbox and meta give what could be read
    /// (ops lost with the batch cannot come back; the core tells the person what was not read).
    pub fn answer(&mut self, table: Table) -> super::StoreResponse {
        if self.damaged > 0 && table == Table::Replica {
            self.take(table);
            let batches = u32::try_from(self.damaged).unwrap_or(u32::MAX);
            return super::StoreResponse::Failed(super::StoreError::Damaged(batches));
        }
        super::StoreResponse::Loaded {
            entries: self.take(table),
        }
    }

    /// Whether the log should be written again with only its live entries: it is large and
    /// mostly values written over since, or it holds a damaged batch (which would be reported
    /// again at every start).
    #[must_use]
    pub fn needs_rewriting(&self, above: u64) -> bool {
        self.damaged > 0 || self.worth_rewriting(above)
    }

    /// A table's entries, in key order; the table is left empty.
    pub fn take(&mut self, table: Table) -> Vec<Entry> {
        let t = Table::ALL.iter().position(|x| *x == table).unwrap_or(0);
        std::mem::take(&mut self.tables[t])
            .into_iter()
            .map(|(key, value)| Entry { key, value })
            .collect()
    }

    /// Whether the log is worth rewriting: large, and mostly values written over since.
    #[must_use]
    pub fn worth_rewriting(&self, above: u64) -> bool {
        self.log_bytes > above && self.log_bytes > 3 * self.live_bytes
    }

    /// The live entries as batches of about `size` bytes each: the log rewritten.
    #[must_use]
    pub fn batches(&self, size: usize) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut writes = Vec::new();
        let mut len = 0;
        for (table, map) in Table::ALL.iter().zip(&self.tables) {
            for (key, value) in map {
                len += 10 + key.len() + value.len();
                writes.push(Write::Put {
                    table: *table,
                    key: key.clone(),
                    value: value.clone(),
                });
                if len >= size {
                    out.push(encode(&std::mem::take(&mut writes)));
                    len = 0;
                }
            }
        }
        if !writes.is_empty() {
            out.push(encode(&writes));
        }
        out
    }
}

type Decoded<'a> = (u8, u8, &'a [u8], &'a [u8]);

/// A batch's writes, or `None` if it does not decode to its end.
fn decode(batch: &[u8]) -> Option<Vec<Decoded<'_>>> {
    let mut at = 0usize;
    let mut take = |n: usize| -> Option<&[u8]> {
        let s = batch.get(at..at.checked_add(n)?)?;
        at += n;
        Some(s)
    };
    let mut out = Vec::new();
    while let Some(head) = take(2) {
        let (kind, table) = (head[0], head[1]);
        let mut bytes = || {
            let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
            take(n)
        };
        let (key, value): (&[u8], &[u8]) = match kind {
            PUT => (bytes()?, bytes()?),
            DELETE => (bytes()?, &[]),
            CLEAR => (&[], &[]),
            _ => return None,
        };
        out.push((kind, table, key, value));
    }
    // A cut-off header (one byte left) is damage too.
    (at == batch.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn put(table: Table, key: &str, value: &[u8]) -> Write {
        Write::Put {
            table,
            key: key.into(),
            value: value.to_vec(),
        }
    }

    fn write() -> impl Strategy<Value = Write> {
        let table = prop_oneof![Just(Table::Replica), Just(Table::Outbox), Just(Table::Meta)];
        let key = "[a-c]{1,2}";
        prop_oneof![
            6 => (table.clone(), key, prop::collection::vec(any::<u8>(), 0..8))
                .prop_map(|(table, key, value)| Write::Put { table, key, value }),
            2 => (table.clone(), key).prop_map(|(table, key)| Write::Delete { table, key }),
            1 => table.prop_map(|table| Write::Clear { table }),
        ]
    }

    /// The same writes applied to plain maps, in order.
    fn model(batches: &[Vec<Write>]) -> [BTreeMap<String, Vec<u8>>; 3] {
        let mut maps: [BTreeMap<String, Vec<u8>>; 3] = Default::default();
        let at = |t: &Table| Table::ALL.iter().position(|x| x == t).unwrap();
        for w in batches.iter().flatten() {
            match w {
                Write::Put { table, key, value } => {
                    maps[at(table)].insert(key.clone(), value.clone());
                }
                Write::Delete { table, key } => {
                    maps[at(table)].remove(key);
                }
                Write::Clear { table } => maps[at(table)].clear(),
            }
        }
        maps
    }

    fn tables(f: &mut Folded) -> [BTreeMap<String, Vec<u8>>; 3] {
        Table::ALL.map(|t| f.take(t).into_iter().map(|e| (e.key, e.value)).collect())
    }

    proptest! {
        /// Folding the batches gives what applying their writes in order gives, and so does
        /// folding the log rewritten from its live entries.
        #[test]
        fn a_log_folds_into_the_tables_its_writes_make(
            batches in prop::collection::vec(prop::collection::vec(write(), 0..6), 0..12),
            size in 1usize..64,
        ) {
            let mut f = Folded::default();
            for b in &batches {
                f.add(&encode(b));
            }
            prop_assert_eq!(f.damaged, 0);
            let expected = model(&batches);
            let live: u64 = expected.iter().flatten().map(|(k, v)| (k.len() + v.len()) as u64).sum();
            prop_assert_eq!(f.live_bytes, live);
            let mut again = Folded::default();
            for b in f.batches(size) {
                again.add(&b);
            }
            prop_assert_eq!(tables(&mut f), expected.clone());
            prop_assert_eq!(tables(&mut again), expected);
        }

        /// A batch that lost its last byte, or has garbage after it, leaves nothing of
        /// itself behind (a cut exactly between two writes is for the shell's framing to
        /// catch).
        #[test]
        fn a_damaged_batch_is_all_or_nothing(writes in prop::collection::vec(write(), 1..6)) {
            let bytes = encode(&writes);
            let mut f = Folded::default();
            f.add(&bytes[..bytes.len() - 1]);
            let mut longer = bytes.clone();
            longer.push(7);
            f.add(&longer);
            prop_assert_eq!(f.damaged, 2);
            prop_assert!(tables(&mut f).iter().all(BTreeMap::is_empty));
        }

        /// After a damaged batch the replica is refused, the other tables give what was read,
        /// and the log rewritten from the fold has the damage gone.
        #[test]
        fn a_damaged_log_refuses_the_replica_and_heals_when_rewritten(
            before in prop::collection::vec(write(), 0..6),
            lost in prop::collection::vec(write(), 1..6),
            after in prop::collection::vec(write(), 0..6),
        ) {
            let mut f = Folded::default();
            f.add(&encode(&before));
            let cut = encode(&lost);
            f.add(&cut[..cut.len() - 1]);
            f.add(&encode(&after));
            prop_assert!(f.needs_rewriting(u64::MAX));
            let expected = model(&[before, after]);
            let mut again = Folded::default();
            for b in f.batches(16) {
                again.add(&b);
            }
            prop_assert!(!again.needs_rewriting(u64::MAX));
            prop_assert_eq!(f.answer(Table::Replica), crate::effects::store::StoreResponse::Failed(
                crate::effects::store::StoreError::Damaged(1)));
            for (i, t) in Table::ALL.iter().enumerate().skip(1) {
                let entries: BTreeMap<String, Vec<u8>> = match f.answer(*t) {
                    crate::effects::store::StoreResponse::Loaded { entries } =>
                        entries.into_iter().map(|e| (e.key, e.value)).collect(),
                    other => return Err(TestCaseError::fail(format!("{other:?}"))),
                };
                prop_assert_eq!(&entries, &expected[i]);
            }
            prop_assert_eq!(tables(&mut again)[0].clone(), expected[0].clone());
        }
    }

    #[test]
    fn a_log_mostly_of_old_values_is_worth_rewriting() {
        let mut f = Folded::default();
        for round in 0..10u8 {
            f.add(&encode(&[put(Table::Replica, "k", &[round; 100])]));
        }
        assert!(f.worth_rewriting(500), "{f:?}");
        assert!(!f.worth_rewriting(2_000), "small logs are left alone");
        f.add(&encode(&[put(Table::Replica, "other", &[0; 2_000])]));
        assert!(!f.worth_rewriting(500), "mostly live now");
    }
}
