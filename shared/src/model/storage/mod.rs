//! Keeping state across restarts in the device database ([`crate::effects::store`]).
//!
//! The layout:
//! - `replica`: one entry per record, as the server last sent it. Local changes are not in
//!   it: they are the pending ops, applied again at start-up, so that a crash between saving
//!   an op and saving a page can never apply a change twice or lose one.
//! - `outbox`: one entry per pending op, under its place in the queue (hex, so that keys sort
//!   in the order the ops were made). An op is written the moment it is made, and the screen
//!   says "saving" until the write is durable.
//! - `meta`: the session, the sync cursor with the replica's owner, the device's proof of its
//!   last sign-in, the clock offset.
//!
//! A sync page is one batch: its records, the cursor and the removal of the ops it settled,
//! all or nothing. So a write costs what the page or op changed, never the whole replica.

pub mod first_screen;
mod legacy;

use std::collections::BTreeSet;

use crux_core::{Command, render::render};
use serde::{Deserialize, Serialize};

use super::{Active, Event, Internal, Lifecycle, Model, Notice, SignInForm};
use crate::effects::Effect;
use crate::effects::store::{self, Entry, StoreError, Table, Write};
use domain::ids::UserId;
use domain::ops::{MemoryRecords, Op, Record, RecordKey};
use domain::sync::{Change, Outbox, Session};

pub const SESSION: &str = "session";
/// The sync cursor and whose view the replica is: written in the same batch as each page.
pub const REPLICA: &str = "replica";
/// Kept across sign-outs: the proof that this device signed in to an account before.
pub const DEVICE_TRUST: &str = "device-trust";
/// How far this device's clock is behind the server's (milliseconds), learned at the last
/// sync: a restart with no signal still stamps ops with the server's time.
pub const CLOCK_OFFSET: &str = "clock-offset";

/// The key of a record in the `replica` table.
#[must_use]
pub fn record_key(key: &RecordKey) -> String {
    // serde's form of the key ({"Customer":"0190…"}): unique and stable, and readable in a
    // browser's storage inspector.
    serde_json::to_string(key).unwrap_or_default()
}

/// The key of a pending op in the `outbox` table.
#[must_use]
pub fn op_key(place: u64) -> String {
    format!("{place:016x}")
}

/// What was found on the device at start-up. A value that cannot be read is reported, not
/// silently dropped.
#[derive(Debug, Default)]
pub struct Loaded {
    pub session: Option<Session>,
    /// The pending ops with their places in the queue.
    pub ops: Vec<(u64, Op)>,
    pub replica: Option<StoredReplica>,
    pub device_trust: Option<super::DeviceTrust>,
    pub clock_offset_ms: Option<i64>,
    pub problems: Vec<String>,
    /// Part of the stored replica could not be read: it is dropped and fetched again from the
    /// server (the pending ops are kept).
    pub replica_unreadable: bool,
    /// Found in the key-value store of the versions before the device database: moved over
    /// once the new tables are written.
    pub legacy: bool,
    /// Stored records left for after the first screen ([`first_screen`]).
    pub rest: Option<first_screen::Rest>,
}

/// The replica as stored: what the server sent, up to `cursor`.
#[derive(Debug, Default)]
pub struct StoredReplica {
    pub cursor: u64,
    pub records: MemoryRecords,
    /// Whose view of the organization it is; `None` from versions that did not say, which
    /// the next sign-in treats as someone else's.
    pub owner: Option<UserId>,
}

/// The `replica` entry of `meta`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ReplicaMeta {
    cursor: u64,
    owner: Option<UserId>,
}

/// How the device database is doing, as far as the core knows.
#[derive(Debug)]
pub struct DeviceStore {
    /// Places of the pending ops written (or being written) to the device: what the next
    /// save adds or removes is the difference with the queue.
    stored_ops: BTreeSet<u64>,
    /// Ops in writes sent and not answered yet: until then they are not saved, and the
    /// screen says so.
    writing: BTreeSet<u64>,
    /// A write of the replica failed. Later pages are then not written on their own (the
    /// stored cursor would pass the page that is missing); the next start fetches again from
    /// the last cursor written.
    pub replica_stopped: bool,
    /// The storage refused a write for lack of room.
    pub full: bool,
    /// Bytes used and allowed when last asked, and whether the device keeps them under
    /// storage pressure.
    pub usage: Option<Usage>,
    /// Stored records not read yet: the second step of a start ([`first_screen`]).
    pub rest: Option<first_screen::Rest>,
    /// Events that came while the rest was being read, to run once it is.
    pub deferred: Vec<Event>,
    /// Above this many stored records a start is in two steps
    /// ([`first_screen::TWO_STEP_ABOVE`]; tests lower it).
    pub two_step_above: usize,
}

impl Default for DeviceStore {
    fn default() -> Self {
        Self {
            stored_ops: BTreeSet::new(),
            writing: BTreeSet::new(),
            replica_stopped: false,
            full: false,
            usage: None,
            rest: None,
            deferred: Vec::new(),
            two_step_above: first_screen::TWO_STEP_ABOVE,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub used: u64,
    pub quota: u64,
    pub persisted: bool,
}

impl Usage {
    /// Worth telling the person: 80 % or more of what the device allows.
    #[must_use]
    pub fn short(&self) -> bool {
        self.quota > 0 && self.used.saturating_mul(5) >= self.quota.saturating_mul(4)
    }
}

pub fn load(two_step_above: usize) -> Command<Effect, Event> {
    Command::new(|ctx| async move {
        let meta = store::command::load(Table::Meta)
            .into_future(ctx.clone())
            .await;
        let outbox = store::command::load(Table::Outbox)
            .into_future(ctx.clone())
            .await;
        let replica = store::command::load(Table::Replica)
            .into_future(ctx.clone())
            .await;
        let fresh = [&meta, &outbox, &replica]
            .iter()
            .all(|t| t.as_ref().is_ok_and(Vec::is_empty));
        let mut loaded = decode(meta, outbox, replica, two_step_above);
        if fresh {
            legacy::read(&ctx, &mut loaded).await;
        }
        ctx.send_event(Event::internal(Internal::Loaded(Box::new(loaded))));
    })
}

/// Reads the three tables into what the model needs, noting whatever cannot be read.
fn decode(
    meta: Result<Vec<Entry>, StoreError>,
    outbox: Result<Vec<Entry>, StoreError>,
    replica: Result<Vec<Entry>, StoreError>,
    two_step_above: usize,
) -> Loaded {
    let mut loaded = Loaded::default();
    let mut replica_meta: Option<ReplicaMeta> = None;
    match meta {
        Ok(entries) => {
            for e in entries {
                let problems = &mut loaded.problems;
                match e.key.as_str() {
                    SESSION => loaded.session = parse(&e, problems),
                    DEVICE_TRUST => loaded.device_trust = parse(&e, problems),
                    CLOCK_OFFSET => loaded.clock_offset_ms = parse(&e, problems),
                    REPLICA => replica_meta = parse(&e, problems),
                    // Written by a newer version; not this one's business.
                    _ => {}
                }
            }
        }
        Err(e) => loaded
            .problems
            .push(format!("{} ({e})", Table::Meta.name())),
    }
    match outbox {
        Ok(entries) => {
            for e in entries {
                let place = u64::from_str_radix(&e.key, 16);
                let op: Option<Op> = parse(&e, &mut loaded.problems);
                // An op that cannot be read stays where it is, untouched: it is the person's
                // work, and a later version may read it.
                if let (Ok(place), Some(op)) = (place, op) {
                    loaded.ops.push((place, op));
                }
            }
        }
        Err(e) => loaded
            .problems
            .push(format!("{} ({e})", Table::Outbox.name())),
    }
    match replica {
        Ok(entries) => {
            let stored = entries.len();
            let mut records = MemoryRecords::new();
            // Pending ops are replayed over the whole replica, in the second step: only
            // follow-ups the rules raised may wait (no board record depends on them).
            let two_steps = stored > two_step_above
                && loaded
                    .ops
                    .iter()
                    .all(|(_, op)| super::followups::is_rule_made(op))
                && replica_meta.is_some()
                && loaded
                    .session
                    .as_ref()
                    .is_some_and(|s| first_screen::board_first(&s.user));
            let whole = if two_steps {
                let (first, mut rest) = first_screen::split(entries);
                let mut whole = first_screen::read_into(&mut records, first);
                let customers = first_screen::customers_for_board(&records, &mut rest);
                whole &= first_screen::read_into(&mut records, customers);
                loaded.rest = Some(rest);
                whole
            } else {
                first_screen::read_into(&mut records, entries)
            };
            if !whole {
                loaded.rest = None;
                loaded
                    .problems
                    .push(format!("{} ({stored})", Table::Replica.name()));
                loaded.replica_unreadable = true;
            } else if let Some(m) = replica_meta {
                loaded.replica = Some(StoredReplica {
                    cursor: m.cursor,
                    records,
                    owner: m.owner,
                });
            } else if !records.is_empty() {
                // Records without a cursor: cannot tell what they are up to.
                loaded.replica_unreadable = true;
            }
        }
        Err(e) => {
            loaded
                .problems
                .push(format!("{} ({e})", Table::Replica.name()));
            loaded.replica_unreadable = true;
        }
    }
    loaded
}

fn parse<T: for<'de> Deserialize<'de>>(entry: &Entry, problems: &mut Vec<String>) -> Option<T> {
    match serde_json::from_slice(&entry.value) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{} ({e})", entry.key));
            None
        }
    }
}

fn put<T: Serialize>(table: Table, key: String, value: &T) -> Option<Write> {
    // Every stored type serialises; a failure would be a bug, and a missing write is what
    // it would cost, not a crash.
    serde_json::to_vec(value)
        .ok()
        .map(|value| Write::Put { table, key, value })
}

fn meta<T: Serialize>(key: &str, value: &T) -> Option<Write> {
    put(Table::Meta, key.to_owned(), value)
}

/// The writes that bring a sync page's records into the stored replica.
#[must_use]
pub fn page(changes: &[Change]) -> Vec<Write> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Put { record } => put(Table::Replica, record_key(&record.key()), record),
            Change::Gone { key } => Some(Write::Delete {
                table: Table::Replica,
                key: record_key(key),
            }),
        })
        .collect()
}

/// Whether the write is part of the replica (its records or its cursor).
fn of_replica(w: &Write) -> bool {
    match w {
        Write::Put { table, key, .. } | Write::Delete { table, key } => {
            *table == Table::Replica || (*table == Table::Meta && key == REPLICA)
        }
        Write::Clear { table } => *table == Table::Replica,
    }
}

impl Model {
    /// Sends the writes, with whatever the outbox gained or lost since the last save, as one
    /// batch.
    pub(super) fn save(&mut self, writes: Vec<Write>) -> Command<Effect, Event> {
        self.save_batch(writes, false)
    }

    fn save_batch(&mut self, mut writes: Vec<Write>, moves_legacy: bool) -> Command<Effect, Event> {
        if self.store.replica_stopped {
            writes.retain(|w| !of_replica(w));
        }
        let queued: BTreeSet<u64> = self.outbox.placed().map(|(p, _)| p).collect();
        let added: Vec<u64> = queued.difference(&self.store.stored_ops).copied().collect();
        let removed: Vec<u64> = self.store.stored_ops.difference(&queued).copied().collect();
        for (place, op) in self.outbox.placed() {
            if added.contains(&place) {
                writes.extend(put(Table::Outbox, op_key(place), op));
            }
        }
        writes.extend(removed.iter().map(|&p| Write::Delete {
            table: Table::Outbox,
            key: op_key(p),
        }));
        if writes.is_empty() {
            return Command::done();
        }
        self.store.stored_ops = queued;
        let replica = writes.iter().any(of_replica);
        self.store.writing.extend(added.iter().copied());
        store::command::write(writes).then_send(move |result| {
            Event::internal(Internal::Stored(Box::new(Stored {
                result,
                added,
                removed,
                replica,
                moves_legacy,
            })))
        })
    }

    /// Saves what the outbox gained or lost.
    pub(super) fn save_outbox(&mut self) -> Command<Effect, Event> {
        self.save(Vec::new())
    }

    pub(super) fn save_session(&mut self) -> Command<Effect, Event> {
        let write = match self.session() {
            Some(s) => meta(SESSION, s),
            None => Some(Write::Delete {
                table: Table::Meta,
                key: SESSION.into(),
            }),
        };
        self.save(write.into_iter().collect())
    }

    pub(super) fn save_clock_offset(&mut self) -> Command<Effect, Event> {
        let ms = self.clock_offset.num_milliseconds();
        self.save(meta(CLOCK_OFFSET, &ms).into_iter().collect())
    }

    pub(super) fn save_device_trust(&mut self) -> Command<Effect, Event> {
        let write = self
            .device_trust
            .as_ref()
            .and_then(|t| meta(DEVICE_TRUST, t));
        self.save(write.into_iter().collect())
    }

    /// The writes that record the replica's cursor and owner.
    pub(super) fn replica_meta(&self) -> Option<Write> {
        meta(
            REPLICA,
            &ReplicaMeta {
                cursor: self.cursor,
                owner: self.replica_owner,
            },
        )
    }

    /// Empties the stored replica (another person's data, or data that could not be read):
    /// the next sync fetches it all again.
    pub(super) fn forget_stored_replica(&mut self) -> Command<Effect, Event> {
        // A replica written over from scratch is whole again: its pages may be written.
        self.store.replica_stopped = false;
        let mut writes = vec![Write::Clear {
            table: Table::Replica,
        }];
        writes.extend(self.replica_meta());
        self.save(writes)
    }

    /// Removes everything of the organization from the device (a remote sign-out).
    pub(super) fn forget_everything_stored(&mut self) -> Command<Effect, Event> {
        self.store = DeviceStore::default();
        let writes = vec![
            Write::Clear {
                table: Table::Replica,
            },
            Write::Clear {
                table: Table::Outbox,
            },
            Write::Delete {
                table: Table::Meta,
                key: SESSION.into(),
            },
            Write::Delete {
                table: Table::Meta,
                key: REPLICA.into(),
            },
            Write::Delete {
                table: Table::Meta,
                key: DEVICE_TRUST.into(),
            },
        ];
        self.save(writes)
    }

    /// Asks how much room the device gives and uses (and for persistent storage).
    pub(super) fn ask_usage() -> Command<Effect, Event> {
        store::command::estimate().then_send(|r| Event::internal(Internal::Usage(r.ok())))
    }

    pub(super) fn usage(&mut self, usage: Option<(u64, u64, bool)>) -> Command<Effect, Event> {
        self.store.usage = usage.map(|(used, quota, persisted)| Usage {
            used,
            quota,
            persisted,
        });
        render()
    }

    /// A write was answered.
    pub(super) fn stored(&mut self, s: Stored) -> Command<Effect, Event> {
        for p in &s.added {
            self.store.writing.remove(p);
        }
        match s.result {
            Ok(()) if s.moves_legacy => Command::all([render(), legacy::remove()]),
            // A page written in the middle of a pull: nothing on screen changes.
            Ok(()) if s.added.is_empty() && self.sync.paging => Command::done(),
            Ok(()) => render(),
            Err(e) => {
                // Not on the device after all: the next save writes the ops again (if still
                // queued) and forgets the removals it could not make.
                for p in &s.added {
                    self.store.stored_ops.remove(p);
                }
                self.store.stored_ops.extend(s.removed.iter().copied());
                if s.replica {
                    self.store.replica_stopped = true;
                }
                match e {
                    StoreError::Full => {
                        self.store.full = true;
                        self.notice = Some(Notice::StorageFull);
                        Command::all([render(), Self::ask_usage()])
                    }
                    StoreError::Unavailable(why) => {
                        self.notice = Some(Notice::NotSaved(why));
                        render()
                    }
                    // Only a load can meet damage; a shell answering a write with it is
                    // still a write that did not happen.
                    damaged @ StoreError::Damaged(_) => {
                        self.notice = Some(Notice::NotSaved(damaged.to_string()));
                        render()
                    }
                }
            }
        }
    }

    /// The person's ops queued on this device that are not yet durable on it (rule
    /// follow-ups the device raised itself are housekeeping, not counted).
    #[must_use]
    pub fn unsaved_ops(&self) -> usize {
        self.outbox
            .placed()
            .filter(|(p, op)| {
                (self.store.writing.contains(p) || !self.store.stored_ops.contains(p))
                    && !super::followups::is_rule_made(op)
            })
            .count()
    }

    pub(super) fn restore(&mut self, mut loaded: Loaded) -> Command<Effect, Event> {
        let mut cmds = Vec::new();
        if let Some(stored) = loaded.replica {
            self.cursor = stored.cursor;
            self.replica = stored.records;
            self.replica_owner = stored.owner;
        }
        let legacy_replica = loaded.legacy && !self.replica.is_empty();
        self.store.stored_ops = if loaded.legacy {
            BTreeSet::new()
        } else {
            loaded.ops.iter().map(|(p, _)| *p).collect()
        };
        // The stored replica holds only what the server sent; local changes are replayed
        // (after the rest of it, when it comes in two steps).
        self.outbox = match loaded.rest.as_mut() {
            Some(rest) => {
                rest.ops = loaded.ops;
                Outbox::default()
            }
            None => Outbox::replayed(loaded.ops, &mut self.replica),
        };
        if loaded.replica_unreadable {
            cmds.push(self.forget_stored_replica());
        }
        // Built right after the first screen (see `Model::update`), not before it: at a
        // chain's size it takes longer than everything else a restart does.
        self.lookup.index = None;
        if !loaded.problems.is_empty() {
            self.notice = Some(Notice::Unreadable(loaded.problems));
        }
        self.device_trust = loaded.device_trust;
        self.store.rest = loaded.rest.take();
        if let Some(offset) = loaded
            .clock_offset_ms
            .and_then(|ms| super::plausible_offset(chrono::Duration::milliseconds(ms)))
        {
            self.clock_offset = offset;
            self.clock_known = true;
        }
        match loaded.session {
            Some(session) => {
                // Versions that did not record the owner kept only the signed-in person's data.
                self.replica_owner.get_or_insert(session.user.id);
                self.lifecycle = Lifecycle::Active(Box::new(Active::new(session)));
            }
            None => self.lifecycle = Lifecycle::SignedOut(SignInForm::default()),
        }
        if loaded.legacy {
            // Before the first sync starts, so that the tables are whole when its page comes.
            cmds.push(self.move_legacy(legacy_replica));
        }
        cmds.push(render());
        cmds.push(Self::ask_usage());
        if self.loading_rest() {
            // The sync waits for the whole replica (`Model::load_rest` starts it).
            cmds.push(first_screen::after_first_frame());
        } else if self.is_active() {
            cmds.push(self.sync());
        }
        Command::all(cmds)
    }

    /// Writes what an older version kept in the key-value store into the tables, then
    /// removes the old keys (only once the tables hold it all).
    fn move_legacy(&mut self, with_replica: bool) -> Command<Effect, Event> {
        let mut writes = Vec::new();
        if with_replica {
            // The old replica had local changes in it and cannot tell which: it serves until
            // the first sync, which fetches everything again from the start.
            self.cursor = 0;
            writes.extend(
                self.replica
                    .iter()
                    .filter_map(|r| put(Table::Replica, record_key(&r.key()), r)),
            );
            writes.extend(self.replica_meta());
        }
        writes.extend(self.session().and_then(|s| meta(SESSION, s)));
        writes.extend(
            self.device_trust
                .as_ref()
                .and_then(|t| meta(DEVICE_TRUST, t)),
        );
        if self.clock_known {
            writes.extend(meta(CLOCK_OFFSET, &self.clock_offset.num_milliseconds()));
        }
        self.save_batch(writes, true)
    }
}

/// The answer to a write, with what it carried.
#[derive(Debug)]
pub struct Stored {
    pub result: Result<(), StoreError>,
    added: Vec<u64>,
    removed: Vec<u64>,
    replica: bool,
    /// The batch holds what an older version kept in the key-value store: once it is
    /// durable, the old keys go.
    moves_legacy: bool,
}

#[cfg(test)]
mod tests;
