use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ids::{OpId, UserId};
use crate::ops::{
    Applied, Decided, MemoryRecords, Op, OpError, Query, Record, RecordKey, Records, StorageError,
    apply,
};

use super::{Change, OpResult, OpStatus};

/// Ops applied on the device but not yet acknowledged by the server, oldest first, each with
/// the records as they were before it, so that local effects can be rolled back and replayed
/// on top of the server's newer state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pending: Vec<Pending>,
    /// The place the next op takes: ops keep their place for good, so that a device stores
    /// each under its own key and removes it alone once it is settled.
    #[serde(default)]
    next_place: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Pending {
    op: Op,
    before: Vec<(RecordKey, Option<Record>)>,
    #[serde(default)]
    place: u64,
}

/// An op the server refused, kept so the person who made it can see why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    pub op: Op,
    /// Why, as a value: the device words it in the person's language.
    pub error: OpError,
}

impl Outbox {
    /// Applies an op on the device (optimistically) and queues it for the server.
    /// An op the device itself rejects is not queued: the person sees the reason at once.
    pub fn apply_local(&mut self, replica: &mut MemoryRecords, op: Op) -> Result<Applied, OpError> {
        let mut rec = Recording::new(replica);
        let applied = apply(&mut rec, &op)?;
        let before = rec.before;
        let place = self.next_place;
        self.next_place += 1;
        self.pending.push(Pending { op, before, place });
        Ok(applied)
    }

    /// After a restart: the stored ops, each with its place, applied again on top of the
    /// stored replica (which holds only what the server sent). An op that no longer fits stays
    /// queued without a local effect, as after a sync: the server has the last word.
    #[must_use]
    pub fn replayed(mut ops: Vec<(u64, Op)>, replica: &mut MemoryRecords) -> Self {
        ops.sort_by_key(|(place, _)| *place);
        let next_place = ops.last().map_or(0, |(place, _)| place + 1);
        let pending = ops
            .into_iter()
            .map(|(place, op)| {
                let mut rec = Recording::new(replica);
                let _ = apply(&mut rec, &op);
                Pending {
                    before: rec.before,
                    op,
                    place,
                }
            })
            .collect();
        Self {
            pending,
            next_place,
        }
    }

    /// The pending ops with their places, oldest first.
    pub fn placed(&self) -> impl Iterator<Item = (u64, &Op)> {
        self.pending.iter().map(|p| (p.place, &p.op))
    }

    /// The op last queued, with its place.
    #[must_use]
    pub fn newest(&self) -> Option<(u64, &Op)> {
        self.pending.last().map(|p| (p.place, &p.op))
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        self.pending.iter().map(|p| &p.op)
    }

    /// The ops to send, oldest first, at most `max`.
    #[must_use]
    pub fn batch(&self, max: usize) -> Vec<Op> {
        self.ops().take(max).cloned().collect()
    }

    /// Takes in a sync response: rolls back local effects, brings in the server's records,
    /// drops acknowledged and rejected ops, and replays the ops still pending on top. Local
    /// edits are never lost, never applied twice, and a rejected op leaves no trace but its
    /// [`Rejection`].
    pub fn settle(
        &mut self,
        replica: &mut MemoryRecords,
        results: &[OpResult],
        changes: Vec<Change>,
    ) -> Vec<Rejection> {
        self.settle_tracked(replica, results, changes).0
    }

    /// [`Outbox::settle`], also saying which records it may have changed (rolled back, brought
    /// in, replayed), so that what is derived from the replica (the lookup index) can follow.
    pub fn settle_tracked(
        &mut self,
        replica: &mut MemoryRecords,
        results: &[OpResult],
        changes: Vec<Change>,
    ) -> (Vec<Rejection>, Vec<RecordKey>) {
        // What each record was before, so that only what really changed is reported: a sync
        // that echoes this device's own changes leaves everything derived alone.
        let mut was: HashMap<RecordKey, Option<Record>> = HashMap::new();
        let candidates = self
            .pending
            .iter()
            .flat_map(|p| p.before.iter().map(|(k, _)| *k))
            .chain(changes.iter().map(|c| match c {
                Change::Put { record } => record.key(),
                Change::Gone { key } => *key,
            }));
        for k in candidates {
            was.entry(k).or_insert_with(|| replica.record(&k).cloned());
        }
        let mut touched: Vec<RecordKey> = Vec::new();
        for p in self.pending.iter().rev() {
            touched.extend(p.before.iter().map(|(k, _)| *k));
            for (key, record) in p.before.iter().rev() {
                match record {
                    Some(r) => replica.insert(r.clone()),
                    None => replica.remove(key),
                }
            }
            replica.forget_outcome(p.op.id);
        }
        let arrived: std::collections::HashSet<RecordKey> = changes
            .iter()
            .map(|c| match c {
                Change::Put { record } => record.key(),
                Change::Gone { key } => *key,
            })
            .collect();
        for change in changes {
            touched.push(match &change {
                Change::Put { record } => record.key(),
                Change::Gone { key } => *key,
            });
            match change {
                Change::Put { record } => replica.insert(*record),
                Change::Gone { key } => replica.remove(&key),
            }
        }
        let answered: HashMap<OpId, &OpStatus> =
            results.iter().map(|r| (r.op, &r.status)).collect();
        let mut rejected = Vec::new();
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            match answered.get(&p.op.id) {
                Some(OpStatus::Applied { changed }) => {
                    // A first sync comes in pages: the records an acknowledged op changed may
                    // come with a later one. Until they do, the op's own effect stands, so the
                    // change does not vanish from the screen in between.
                    if changed.iter().any(|k| !arrived.contains(k)) {
                        let mut rec = Recording::new(replica);
                        let _ = apply(&mut rec, &p.op);
                        touched.extend(rec.before.iter().map(|(k, _)| *k));
                    }
                    // Remember the server's outcome, so a replay of this op stays a no-op.
                    replica.remember_outcome(
                        &p.op,
                        Ok(Applied {
                            changed: changed.clone(),
                        }),
                    );
                }
                // The server could not store it just now: not a decision, so it stays queued
                // and goes again with the next sync.
                Some(OpStatus::Rejected {
                    error: OpError::Unavailable(_),
                    ..
                })
                | None => {
                    let mut rec = Recording::new(replica);
                    // If the op no longer fits the newer state, it stays queued without a
                    // local effect: the server has the last word.
                    let _ = apply(&mut rec, &p.op);
                    let before = rec.before;
                    touched.extend(before.iter().map(|(k, _)| *k));
                    self.pending.push(Pending {
                        op: p.op,
                        before,
                        place: p.place,
                    });
                }
                Some(OpStatus::Rejected { error, .. }) => {
                    replica.remember_outcome(&p.op, Err(error.clone()));
                    rejected.push(Rejection {
                        op: p.op,
                        error: error.clone(),
                    });
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        // A key first met while replaying has no "before": report it, to be safe.
        touched.retain(|k| was.get(k).is_none_or(|w| replica.record(k) != w.as_ref()));
        (rejected, touched)
    }
}

/// Wraps the replica and keeps the first previous value of every record an op writes.
struct Recording<'a> {
    inner: &'a mut MemoryRecords,
    before: Vec<(RecordKey, Option<Record>)>,
}

impl<'a> Recording<'a> {
    fn new(inner: &'a mut MemoryRecords) -> Self {
        Self {
            inner,
            before: Vec::new(),
        }
    }
}

impl Records for Recording<'_> {
    fn get(&self, key: RecordKey) -> Result<Option<Record>, StorageError> {
        self.inner.get(key)
    }

    fn put(&mut self, record: Record) -> Result<(), StorageError> {
        let key = record.key();
        if !self.before.iter().any(|(k, _)| *k == key) {
            let old = self.inner.get(key)?;
            self.before.push((key, old));
        }
        self.inner.put(record)
    }

    fn find(&self, query: Query) -> Result<Vec<RecordKey>, StorageError> {
        self.inner.find(query)
    }

    fn outcome(&self, op: OpId) -> Result<Option<Decided>, StorageError> {
        self.inner.outcome(op)
    }

    fn set_outcome(&mut self, op: OpId, decided: Decided) -> Result<(), StorageError> {
        self.inner.set_outcome(op, decided)
    }

    fn exists(&self, key: RecordKey) -> Result<bool, StorageError> {
        self.inner.exists(key)
    }

    fn login_holder(&self, login: &str) -> Result<Option<UserId>, StorageError> {
        self.inner.login_holder(login)
    }

    fn clock(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.inner.clock()
    }
}
