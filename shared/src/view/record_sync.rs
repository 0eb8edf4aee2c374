//! Where each record stands between this device and the server, for the badge on its card:
//! synced, waiting to sync (a change of the person's is queued), or refused (the server said
//! no, and why). Rule follow-ups the device raised by itself are housekeeping, not the
//! person's changes, and mark nothing.

use std::collections::HashMap;

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use crate::model::Model;
use domain::ops::RecordKey;
use domain::words::Table;

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum SyncState {
    Synced,
    /// A change to it waits on this device for the server.
    Waiting,
    /// The server refused a change to it; the words say why.
    Refused,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RecordSync {
    pub state: SyncState,
    /// What to show beside the record; `None` when it is synced (nothing to show).
    pub words: Option<Word>,
}

/// Every record that is not simply synced, worked out once per render.
#[derive(Default)]
pub(crate) struct Marks {
    marks: HashMap<RecordKey, (SyncState, String)>,
}

impl Marks {
    pub(crate) fn of(model: &Model, t: &dyn Table) -> Self {
        let mut marks = HashMap::new();
        for op in model
            .outbox
            .ops()
            .filter(|op| !crate::model::followups::is_rule_made(op))
        {
            for key in op.kind.concerns() {
                marks.insert(key, (SyncState::Waiting, t.waiting_to_sync()));
            }
        }
        // A refusal outranks a queued change: it is what the person must act on.
        for r in &model.rejections {
            for key in r.op.kind.concerns() {
                marks.insert(
                    key,
                    (SyncState::Refused, t.refused_because(&t.op_error(&r.error))),
                );
            }
        }
        Self { marks }
    }

    pub(crate) fn get(&self, key: RecordKey) -> RecordSync {
        match self.marks.get(&key) {
            Some((state, words)) => RecordSync {
                state: *state,
                words: Some(Word::new(words.clone())),
            },
            None => RecordSync {
                state: SyncState::Synced,
                words: None,
            },
        }
    }
}
