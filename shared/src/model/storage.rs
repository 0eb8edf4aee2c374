//! Keeping state across restarts through the shell's key-value store. The outbox is written
//! on every change (it is the work that must not be lost); the replica after each sync.

use crux_core::{Command, render::render};
use serde::{Deserialize, Serialize};

use super::{Active, Event, Internal, Lifecycle, Model, SignInForm};
use crate::effects::Effect;
use domain::ids::UserId;
use domain::ops::MemoryRecords;
use domain::sync::{Outbox, Session};

type KeyValue = crux_kv::KeyValue<Effect, Event>;

pub const SESSION_KEY: &str = "rounds/session";
pub const OUTBOX_KEY: &str = "rounds/outbox";
pub const REPLICA_KEY: &str = "rounds/replica";
/// Kept across sign-outs: the proof that this device signed in to an account before.
pub const DEVICE_TRUST_KEY: &str = "rounds/device-trust";
/// How far this device's clock is behind the server's (milliseconds), learned at the last
/// sync: a restart with no signal still stamps ops with the server's time.
pub const CLOCK_OFFSET_KEY: &str = "rounds/clock-offset";

/// What was found on the device at start-up. A value that cannot be read is reported, not
/// silently dropped.
#[derive(Debug, Default)]
pub struct Loaded {
    pub session: Option<Session>,
    pub outbox: Option<Outbox>,
    pub replica: Option<StoredReplica>,
    pub device_trust: Option<super::DeviceTrust>,
    pub clock_offset_ms: Option<i64>,
    pub problems: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct StoredReplica {
    pub cursor: u64,
    pub records: MemoryRecords,
    /// Whose view of the organization it is; `None` from versions that did not say, which
    /// the next sign-in treats as someone else's.
    #[serde(default)]
    pub owner: Option<UserId>,
}

pub fn load() -> Command<Effect, Event> {
    Command::new(|ctx| async move {
        let session = KeyValue::get(SESSION_KEY).into_future(ctx.clone()).await;
        let outbox = KeyValue::get(OUTBOX_KEY).into_future(ctx.clone()).await;
        let replica = KeyValue::get(REPLICA_KEY).into_future(ctx.clone()).await;
        let trust = KeyValue::get(DEVICE_TRUST_KEY)
            .into_future(ctx.clone())
            .await;
        let offset = KeyValue::get(CLOCK_OFFSET_KEY)
            .into_future(ctx.clone())
            .await;
        let mut loaded = Loaded::default();
        loaded.clock_offset_ms = decode(CLOCK_OFFSET_KEY, offset, &mut loaded.problems);
        loaded.session = decode(SESSION_KEY, session, &mut loaded.problems);
        loaded.outbox = decode(OUTBOX_KEY, outbox, &mut loaded.problems);
        loaded.replica = decode(REPLICA_KEY, replica, &mut loaded.problems);
        loaded.device_trust = decode(DEVICE_TRUST_KEY, trust, &mut loaded.problems);
        ctx.send_event(Event::internal(Internal::Loaded(loaded)));
    })
}

fn decode<T: for<'de> Deserialize<'de>>(
    key: &str,
    value: crux_kv::DataResult,
    problems: &mut Vec<String>,
) -> Option<T> {
    match value {
        Ok(Some(bytes)) => match serde_json::from_slice(&bytes) {
            Ok(v) => Some(v),
            Err(e) => {
                problems.push(format!("{key} could not be read ({e})"));
                None
            }
        },
        Ok(None) => None,
        Err(e) => {
            problems.push(format!("{key} could not be loaded ({e})"));
            None
        }
    }
}

fn save<T: Serialize>(key: &'static str, value: &T) -> Command<Effect, Event> {
    match serde_json::to_vec(value) {
        Ok(bytes) => KeyValue::set(key, bytes).then_send(|r| {
            Event::internal(Internal::Saved(r.map(|_| ()).map_err(|e| e.to_string())))
        }),
        Err(e) => Command::event(Event::internal(Internal::Saved(Err(e.to_string())))),
    }
}

pub fn save_outbox(outbox: &Outbox) -> Command<Effect, Event> {
    save(OUTBOX_KEY, outbox)
}

pub fn save_session(session: Option<&Session>) -> Command<Effect, Event> {
    match session {
        Some(s) => save(SESSION_KEY, s),
        None => KeyValue::delete(SESSION_KEY).then_send(|r| {
            Event::internal(Internal::Saved(r.map(|_| ()).map_err(|e| e.to_string())))
        }),
    }
}

pub fn save_clock_offset(offset: chrono::Duration) -> Command<Effect, Event> {
    save(CLOCK_OFFSET_KEY, &offset.num_milliseconds())
}

pub fn save_device_trust(trust: &super::DeviceTrust) -> Command<Effect, Event> {
    save(DEVICE_TRUST_KEY, trust)
}

/// Deletes one stored value.
pub fn forget(key: &'static str) -> Command<Effect, Event> {
    KeyValue::delete(key)
        .then_send(|r| Event::internal(Internal::Saved(r.map(|_| ()).map_err(|e| e.to_string()))))
}

pub fn save_replica(model: &Model) -> Command<Effect, Event> {
    #[derive(Serialize)]
    struct Borrowed<'a> {
        cursor: u64,
        records: &'a MemoryRecords,
        owner: Option<UserId>,
    }
    save(
        REPLICA_KEY,
        &Borrowed {
            cursor: model.cursor,
            records: &model.replica,
            owner: model.replica_owner,
        },
    )
}

impl Model {
    pub(super) fn restore(&mut self, loaded: Loaded) -> Command<Effect, Event> {
        if let Some(stored) = loaded.replica {
            self.cursor = stored.cursor;
            self.replica = stored.records;
            self.replica_owner = stored.owner;
        }
        if let Some(mut outbox) = loaded.outbox {
            // The replica may have been saved before the latest changes; replay them.
            outbox.restore(&mut self.replica);
            self.outbox = outbox;
        }
        // Built once here, so that the first keystroke in the search box finds everything.
        self.rebuild_index();
        if !loaded.problems.is_empty() {
            self.notice = Some(super::Notice::Unreadable(loaded.problems));
        }
        self.device_trust = loaded.device_trust;
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
                Command::all([render(), self.sync()])
            }
            None => {
                self.lifecycle = Lifecycle::SignedOut(SignInForm::default());
                render()
            }
        }
    }
}
