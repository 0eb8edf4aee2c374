//! A start in two steps at a chain's size: what the first screen shows, then the rest.
//!
//! A dispatcher's device can hold a quarter of a million records, and reading them all back
//! (the JSON of each into a `Record`, into the replica's maps) is most of a restart. The board
//! needs a small part of them: the organization, its stores, people and technician profiles,
//! the jobs, and the customers of the open jobs. Those are read first and the board is shown;
//! the rest (customers, assets, leads, interactions, follow-ups) is read once the first frame
//! is on screen, when the core hears [`Internal::LoadRest`](super::super::Internal::LoadRest)
//! (a zero-length timer, which the shells fire after the next frame).
//!
//! Until then the replica is partial, so nothing may act on it: every event but those that
//! only keep time or answer the device database waits, in order, and runs once the rest is
//! read ([`Model::update`](super::super::Model::update)). The start-up sync, the follow-up
//! rules and the search index wait too. A person who taps in that second loses nothing; the
//! tap takes effect when the data is whole.
//!
//! Only when it pays and is safe: above [`TWO_STEP_ABOVE`] records, for a person whose first
//! screen is the board, and with no pending ops but follow-ups the rules raised (which no
//! board record depends on; they are replayed over the whole replica, in the second step).

use std::collections::BTreeSet;

use crux_core::Command;
use crux_core::render::render;

use super::{Entry, Model, Record, RecordKey, record_key};
use crate::effects::Effect;
use crate::model::{Event, Internal};
use domain::ops::MemoryRecords;
use domain::org::{Role, User};

type Time = crux_time::command::Time<Effect, Event>;

/// Below this many stored records a start reads everything at once: it takes a fraction of
/// a second.
pub const TWO_STEP_ABOVE: usize = 50_000;

/// The kinds the board shows directly, by the start of their keys in the `replica` table.
const BOARD_KINDS: [&str; 5] = [
    "{\"Org\":",
    "{\"Store\":",
    "{\"User\":",
    "{\"Technician\":",
    "{\"Job\":",
];

/// Stored records not read yet, in key order. An entry whose value is empty was read in the
/// first step.
#[derive(Debug, Default)]
pub struct Rest {
    entries: Vec<Entry>,
    /// Pending ops (only rule follow-ups), replayed once the replica is whole.
    pub(super) ops: Vec<(u64, domain::ops::Op)>,
}

impl Rest {
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.iter().filter(|e| !e.value.is_empty()).count()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether a start for this person reads the board's records first.
#[must_use]
pub fn board_first(user: &User) -> bool {
    !user.has(Role::Technician)
        && !user.has(Role::Sales)
        && (user.has(Role::Dispatcher) || user.has(Role::Admin))
}

/// Splits the stored replica into the board's entries and the rest.
pub(super) fn split(entries: Vec<Entry>) -> (Vec<Entry>, Rest) {
    let (first, rest) = entries
        .into_iter()
        .partition(|e| BOARD_KINDS.iter().any(|k| e.key.starts_with(k)));
    (
        first,
        Rest {
            entries: rest,
            ops: Vec::new(),
        },
    )
}

/// Takes the entries of the customers the board names (those of open jobs, and of jobs
/// worked in the latest two days, which the technicians' rows show as done) out of `rest`.
pub(super) fn customers_for_board(records: &MemoryRecords, rest: &mut Rest) -> Vec<Entry> {
    let latest = records
        .jobs()
        .filter_map(|j| j.history.last().map(|h| h.at))
        .max();
    let recent = |j: &domain::jobs::Job| {
        latest.is_some_and(|l| {
            j.history
                .last()
                .is_some_and(|h| h.at >= l - chrono::Duration::days(2))
        })
    };
    let wanted: BTreeSet<String> = records
        .jobs()
        .filter(|j| j.is_open() || recent(j))
        .map(|j| record_key(&RecordKey::Customer(j.customer)))
        .collect();
    let mut out = Vec::with_capacity(wanted.len());
    for key in wanted {
        if let Ok(i) = rest
            .entries
            .binary_search_by(|e| e.key.as_str().cmp(key.as_str()))
        {
            // The key stays: later searches depend on the order.
            let e = &mut rest.entries[i];
            out.push(Entry {
                key: e.key.clone(),
                value: std::mem::take(&mut e.value),
            });
        }
    }
    out
}

/// Reads entries into `records`; `false` if any could not be read.
pub(super) fn read_into(records: &mut MemoryRecords, entries: Vec<Entry>) -> bool {
    let mut whole = true;
    // Each entry's bytes go as soon as its record is read: at a chain's size the two
    // together would be twice the replica's memory. (Sorting the records first and building
    // the maps in bulk was measured: no faster, and a third more memory.)
    for e in entries {
        if e.value.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Record>(&e.value) {
            Ok(r) => records.insert(r),
            Err(_) => whole = false,
        }
    }
    whole
}

/// The second step, asked for once the first screen is on its way: a zero-length timer,
/// which the shells fire after the next frame (see [`crate::effects`]).
pub(super) fn after_first_frame() -> Command<Effect, Event> {
    let (timer, _handle) = Time::notify_after(std::time::Duration::ZERO);
    timer.then_send(|_| Event::internal(Internal::LoadRest))
}

impl Model {
    /// Whether part of the stored replica is still to be read.
    #[must_use]
    pub fn loading_rest(&self) -> bool {
        self.store.rest.is_some()
    }

    /// Events that may run on a partial replica: they only keep time or answer the device
    /// database. Everything else waits for the rest.
    pub(crate) fn runs_while_loading(event: &Event) -> bool {
        matches!(event, Event::Internal(i) if matches!(
            **i,
            Internal::LoadRest
                | Internal::Clock(_)
                | Internal::Tick
                | Internal::ServerClock { .. }
                | Internal::Stored(_)
                | Internal::Usage(_)
        ))
    }

    /// Reads the rest of the stored replica, then starts the sync the start-up held back.
    pub(crate) fn load_rest(&mut self) -> Command<Effect, Event> {
        let Some(rest) = self.store.rest.take() else {
            return Command::done();
        };
        let mut cmds = vec![render()];
        let whole = read_into(&mut self.replica, rest.entries);
        self.outbox = domain::sync::Outbox::replayed(rest.ops, &mut self.replica);
        if !whole {
            // As at a one-step start: what cannot be read is fetched again, from the start.
            self.replica = MemoryRecords::new();
            self.cursor = 0;
            self.notice = Some(super::Notice::Unreadable(vec![
                super::Table::Replica.name().to_owned(),
            ]));
            cmds.push(self.forget_stored_replica());
        }
        if self.is_active() {
            cmds.push(self.sync());
        }
        Command::all(cmds)
    }
}
