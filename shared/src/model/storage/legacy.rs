//! What versions before the device database kept, in the shell's key-value store (one JSON
//! value per key: on the web, localStorage). Read once, when the tables are empty, moved into
//! the tables, then removed; nobody's queued work is left behind by an update.

use crux_core::Command;
use crux_core::command::CommandContext;
use serde::Deserialize;

use super::{Loaded, StoredReplica};
use crate::effects::Effect;
use crate::model::Event;
use domain::ids::UserId;
use domain::ops::MemoryRecords;
use domain::sync::Outbox;

type KeyValue = crux_kv::KeyValue<Effect, Event>;

const SESSION: &str = "rounds/session";
const OUTBOX: &str = "rounds/outbox";
const REPLICA: &str = "rounds/replica";
const DEVICE_TRUST: &str = "rounds/device-trust";
const CLOCK_OFFSET: &str = "rounds/clock-offset";
const ALL: [&str; 5] = [SESSION, OUTBOX, REPLICA, DEVICE_TRUST, CLOCK_OFFSET];

/// The replica as those versions stored it: the records with local changes applied.
#[derive(Deserialize)]
struct OldReplica {
    cursor: u64,
    records: MemoryRecords,
    #[serde(default)]
    owner: Option<UserId>,
}

/// Fills `loaded` from the old keys, if there are any.
pub(super) async fn read(ctx: &CommandContext<Effect, Event>, loaded: &mut Loaded) {
    let session = get(ctx, SESSION).await;
    let outbox = get(ctx, OUTBOX).await;
    let replica = get(ctx, REPLICA).await;
    let trust = get(ctx, DEVICE_TRUST).await;
    let offset = get(ctx, CLOCK_OFFSET).await;
    if [&session, &outbox, &replica, &trust, &offset]
        .iter()
        .all(|v| v.is_none())
    {
        return;
    }
    loaded.legacy = true;
    let problems = &mut loaded.problems;
    loaded.session = decode(SESSION, session, problems);
    loaded.device_trust = decode(DEVICE_TRUST, trust, problems);
    loaded.clock_offset_ms = decode(CLOCK_OFFSET, offset, problems);
    if let Some(outbox) = decode::<Outbox>(OUTBOX, outbox, problems) {
        loaded.ops = (0..).zip(outbox.ops().cloned()).collect();
    }
    if let Some(old) = decode::<OldReplica>(REPLICA, replica, problems) {
        loaded.replica = Some(StoredReplica {
            cursor: old.cursor,
            records: old.records,
            owner: old.owner,
        });
    }
}

async fn get(ctx: &CommandContext<Effect, Event>, key: &'static str) -> Option<Vec<u8>> {
    match KeyValue::get(key).into_future(ctx.clone()).await {
        Ok(Some(bytes)) if !bytes.is_empty() => Some(bytes),
        _ => None,
    }
}

fn decode<T: for<'de> Deserialize<'de>>(
    key: &str,
    value: Option<Vec<u8>>,
    problems: &mut Vec<String>,
) -> Option<T> {
    let bytes = value?;
    match serde_json::from_slice(&bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{key} ({e})"));
            None
        }
    }
}

/// Removes the old keys, once their contents are in the tables.
pub(super) fn remove() -> Command<Effect, Event> {
    Command::all(ALL.map(|key| KeyValue::delete(key).build()))
}
