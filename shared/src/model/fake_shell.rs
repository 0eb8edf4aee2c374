//! The one fake shell of the core's tests: it sends an event, then plays the phone's side
//! until the core asks for nothing more. Time and location are answered on the spot; storage
//! and HTTP are answered only when the test says how, and are always recorded, as are
//! renders, notifications and live channel requests.

use chrono::{DateTime, Utc};
use crux_http::protocol::{HttpRequest, HttpResponse, HttpResult};
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult, value::Value};
use crux_time::{TimeRequest, TimeResponse};

use std::collections::BTreeMap;

use super::{Event, Model};
use crate::effects::Effect;
use crate::effects::live::LiveRequest;
use crate::effects::location::LocationResponse;
use crate::effects::notify::NotifyRequest;
use crate::effects::store::memory::MemoryStore;
use crate::effects::store::{StoreRequest, StoreResponse, Table, Write};

/// The phone's own database, kept across the cores that "restart" on it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Device(std::sync::Arc<std::sync::Mutex<MemoryStore>>);

impl Device {
    pub fn tables(&self) -> std::sync::MutexGuard<'_, MemoryStore> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The entries of one table.
    pub fn table(&self, table: Table) -> BTreeMap<String, Vec<u8>> {
        self.tables().table(table)
    }

    fn answer(&self, request: &StoreRequest) -> StoreResponse {
        self.tables().answer(request)
    }
}

/// How the fake network answers every HTTP request.
#[derive(Clone, Debug)]
pub(crate) enum Reply {
    /// This status and body, as `application/json`.
    Http(u16, Vec<u8>),
    /// The network is down.
    Offline,
}

/// The phone's side of one test.
#[derive(Clone, Debug)]
pub(crate) struct FakeShell {
    /// What the clock reads.
    pub clock: DateTime<Utc>,
    /// Where the phone is.
    pub location: LocationResponse,
    /// `None`: requests are recorded and left unanswered, like a request still in flight.
    pub http: Option<Reply>,
    /// What every read of the old key-value store gives back (empty: nothing stored), every
    /// write answered as done. `None`: recorded and left unanswered.
    pub stored: Option<Vec<u8>>,
    /// The old key-value store, key by key (it takes precedence over `stored`); deletes are
    /// recorded in [`Outcome::kv_deleted`].
    pub kv: Option<BTreeMap<String, Vec<u8>>>,
    /// The device database. `None`: its requests are recorded and left unanswered.
    pub device: Option<Device>,
    /// The most rounds of effects one event may take; then the shell stops answering, so
    /// that a core that keeps asking (a retry answered at once) cannot hang a test. `None`:
    /// unbounded.
    pub budget: Option<usize>,
    /// Fires zero-length timers (the core yielding to the screen) in turn, as the shells do.
    /// `false`: they are left unanswered, so a test can look between the two steps of a start.
    pub yields: bool,
}

/// What reached the shell, beside the time and location requests it answered.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub http: Vec<HttpRequest>,
    /// Keys written to the old key-value store.
    pub kv_writes: Vec<String>,
    /// Keys deleted from it.
    pub kv_deleted: Vec<String>,
    pub renders: usize,
    pub notes: Vec<NotifyRequest>,
    /// Device database requests (answered only when the shell has a [`Device`]).
    pub store: Vec<StoreRequest>,
    /// Live channel requests, left unanswered (a test sends the channel's events itself).
    pub live: Vec<LiveRequest>,
}

impl FakeShell {
    /// A phone in Shanghai whose clock reads `clock`, online but not answering yet.
    pub fn at(clock: DateTime<Utc>) -> Self {
        Self {
            clock,
            location: LocationResponse::Known {
                lat: 31.2,
                lng: 121.45,
            },
            http: None,
            stored: None,
            kv: None,
            device: None,
            budget: None,
            yields: true,
        }
    }

    /// Sends `event` and answers until the core is quiet. Events the core sends itself are
    /// handled oldest first, as a shell sees them.
    pub fn run(&self, model: &mut Model, event: Event) -> Outcome {
        let mut out = Outcome::default();
        let mut queue = std::collections::VecDeque::from([event]);
        let mut budget = self.budget;
        while let Some(ev) = queue.pop_front() {
            let mut cmd = model.update(ev);
            loop {
                if let Some(b) = &mut budget {
                    *b -= 1;
                    if *b == 0 {
                        return out;
                    }
                }
                let effects: Vec<Effect> = cmd.effects().collect();
                let events: Vec<Event> = cmd.events().collect();
                if effects.is_empty() && events.is_empty() {
                    break;
                }
                queue.extend(events);
                for effect in effects {
                    self.answer(effect, &mut out);
                }
            }
        }
        out
    }

    fn answer(&self, effect: Effect, out: &mut Outcome) {
        match effect {
            Effect::Time(mut req) => match req.operation {
                TimeRequest::Now => {
                    let instant = std::time::SystemTime::from(self.clock).into();
                    req.resolve(TimeResponse::Now { instant }).unwrap();
                }
                TimeRequest::NotifyAfter { id, duration }
                    if self.yields && std::time::Duration::from(duration).is_zero() =>
                {
                    req.resolve(TimeResponse::DurationElapsed { id }).unwrap();
                }
                _ => {}
            },
            Effect::Location(mut req) => req.resolve(self.location.clone()).unwrap(),
            Effect::KeyValue(mut req) => {
                match &req.operation {
                    KeyValueOperation::Set { key, .. } => out.kv_writes.push(key.clone()),
                    KeyValueOperation::Delete { key } => out.kv_deleted.push(key.clone()),
                    _ => {}
                }
                if let Some(kv) = &self.kv {
                    let response = match &req.operation {
                        KeyValueOperation::Get { key } => KeyValueResponse::Get {
                            value: kv.get(key).cloned().map_or(Value::None, Value::Bytes),
                        },
                        KeyValueOperation::Delete { .. } => KeyValueResponse::Delete {
                            previous: Value::None,
                        },
                        _ => return,
                    };
                    let _ = req.resolve(KeyValueResult::Ok { response });
                    return;
                }
                let Some(stored) = &self.stored else { return };
                let response = match &req.operation {
                    KeyValueOperation::Get { .. } => KeyValueResponse::Get {
                        value: if stored.is_empty() {
                            Value::None
                        } else {
                            Value::Bytes(stored.clone())
                        },
                    },
                    KeyValueOperation::Set { .. } => KeyValueResponse::Set {
                        previous: Value::None,
                    },
                    _ => return,
                };
                let _ = req.resolve(KeyValueResult::Ok { response });
            }
            Effect::Http(mut req) => {
                out.http.push(req.operation.clone());
                let result = match &self.http {
                    None => return,
                    Some(Reply::Http(status, body)) => HttpResult::Ok(
                        HttpResponse::status(*status)
                            .header("content-type", "application/json")
                            .body(body.clone())
                            .build(),
                    ),
                    Some(Reply::Offline) => {
                        HttpResult::Err(crux_http::HttpError::Io("connection refused".into()))
                    }
                };
                let _ = req.resolve(result);
            }
            Effect::Render(_) => out.renders += 1,
            Effect::Notify(req) => out.notes.push(req.operation.clone()),
            Effect::Live(req) => out.live.push(req.operation.clone()),
            Effect::Store(mut req) => {
                out.store.push(req.operation.clone());
                if let Some(device) = &self.device {
                    let response = device.answer(&req.operation);
                    let _ = req.resolve(response);
                }
            }
        }
    }
}

/// Sends `event` to `model` through a phone in Shanghai whose clock reads `clock`.
pub(crate) fn drive(model: &mut Model, event: Event, clock: DateTime<Utc>) -> Outcome {
    FakeShell::at(clock).run(model, event)
}

impl Outcome {
    /// The keys the core wrote (put or deleted) in `table`.
    pub fn written(&self, table: Table) -> Vec<String> {
        self.store
            .iter()
            .filter_map(|r| match r {
                StoreRequest::Write { writes } => Some(writes),
                _ => None,
            })
            .flatten()
            .filter_map(|w| match w {
                Write::Put { table: t, key, .. } | Write::Delete { table: t, key }
                    if *t == table =>
                {
                    Some(key.clone())
                }
                _ => None,
            })
            .collect()
    }
}
