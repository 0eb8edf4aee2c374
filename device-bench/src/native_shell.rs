//! The core run natively, as a phone's shell runs it: one handler per effect, carried out in
//! order until the core asks for nothing more. HTTP goes to the server over loopback
//! (blocking reqwest), `Store` to a [`FileStore`], time comes from the system clock; the
//! location is unknown, notifications are not shown, the key-value store of older versions
//! is empty, and timers never fire (the bench drives every sync itself) but for zero-length
//! ones, the core yielding to the screen, which fire in turn.
//!
//! The shell notes when things happened ([`Mark`]), which is all the bench reads.

use std::collections::VecDeque;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use crux_core::Core;
use crux_http::HttpError;
use crux_http::protocol::{HttpRequest, HttpResponse, HttpResult};
use crux_kv::value::Value;
use crux_kv::{KeyValueOperation, KeyValueResponse, KeyValueResult};
use crux_time::{TimeRequest, TimeResponse};
use shared::app::Rounds;
use shared::effects::Effect;
use shared::effects::location::LocationResponse;
use shared::effects::store::StoreRequest;
use shared::model::Event;
use shared::view::{DispatcherScreen, Screen, ViewModel};

use crate::file_store::FileStore;

/// Something the shell saw, with when.
#[derive(Clone, Debug)]
pub enum Mark {
    /// A `/v1/sync` answer was handed to the core.
    SyncAnswered { at: Instant },
    /// A batch was written: from the request to the durable answer.
    Written {
        start: Instant,
        end: Instant,
        puts: usize,
    },
    /// A view model with the dispatcher's queue and technicians in it was rendered.
    UsableBoard { at: Instant },
    /// A `/v1/sync` request was asked for (at a start: once the whole replica is read).
    SyncAsked { at: Instant },
}

/// Where the shell's time went, in seconds.
#[derive(Clone, Debug, Default)]
pub struct Spent {
    /// In the core: updates (with their follow-up work) and effect resolutions.
    pub core: f64,
    /// Building view models (`Core::view`) at renders.
    pub view: f64,
    /// Waiting for the server.
    pub http: f64,
    /// In the file store.
    pub store: f64,
}

pub struct NativeShell {
    pub core: Core<Rounds>,
    pub store: FileStore,
    http: reqwest::blocking::Client,
    pub marks: Vec<Mark>,
    pub spent: Spent,
    /// Whether a usable board was rendered yet (noted once).
    usable: bool,
}

impl NativeShell {
    /// A fresh core over the device database in `dir` (a restart when it holds data).
    ///
    /// # Errors
    /// When the database cannot be opened.
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        Ok(Self {
            core: Core::new(),
            store: FileStore::open(dir)?,
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(120))
                .build()?,
            marks: Vec::new(),
            spent: Spent::default(),
            usable: false,
        })
    }

    /// Sends the event and carries out every effect that follows, until the core is quiet.
    pub fn send(&mut self, event: Event) {
        let t = Instant::now();
        let effects = self.core.process_event(event);
        self.spent.core += t.elapsed().as_secs_f64();
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            queue.extend(self.carry_out(effect));
        }
    }

    pub fn view(&self) -> ViewModel {
        self.core.view()
    }

    fn carry_out(&mut self, effect: Effect) -> Vec<Effect> {
        let resolved = match effect {
            Effect::Render(_) => {
                let t = Instant::now();
                let view = self.core.view();
                self.spent.view += t.elapsed().as_secs_f64();
                if !self.usable && usable_board(&view) {
                    self.usable = true;
                    self.marks.push(Mark::UsableBoard { at: Instant::now() });
                }
                return Vec::new();
            }
            Effect::Http(mut request) => {
                let sync = request.operation.url.ends_with("/v1/sync");
                if sync {
                    self.marks.push(Mark::SyncAsked { at: Instant::now() });
                }
                let t = Instant::now();
                let result = self.fetch(&request.operation);
                self.spent.http += t.elapsed().as_secs_f64();
                if sync {
                    self.marks.push(Mark::SyncAnswered { at: Instant::now() });
                }
                self.timed(|core| core.resolve(&mut request, result))
            }
            Effect::Store(mut request) => {
                let start = Instant::now();
                let response = self.store.answer(&request.operation);
                self.spent.store += start.elapsed().as_secs_f64();
                if let StoreRequest::Write { writes } = &request.operation {
                    self.marks.push(Mark::Written {
                        start,
                        end: Instant::now(),
                        puts: writes.len(),
                    });
                }
                self.timed(|core| core.resolve(&mut request, response))
            }
            Effect::Time(mut request) => match request.operation {
                TimeRequest::Now => {
                    let instant = SystemTime::now().into();
                    self.core
                        .resolve(&mut request, TimeResponse::Now { instant })
                }
                TimeRequest::Clear { id } => self
                    .core
                    .resolve(&mut request, TimeResponse::Cleared { id }),
                // A zero-length timer is the core yielding to the screen (the second step of
                // a start): the render asked for before it has been handled, in order.
                TimeRequest::NotifyAfter { id, duration } if Duration::from(duration).is_zero() => {
                    self.timed(|core| {
                        core.resolve(&mut request, TimeResponse::DurationElapsed { id })
                    })
                }
                // Ticks and retries: the bench syncs when it wants to.
                TimeRequest::NotifyAt { .. } | TimeRequest::NotifyAfter { .. } => {
                    return Vec::new();
                }
            },
            Effect::Location(mut request) => {
                self.core.resolve(&mut request, LocationResponse::Unknown)
            }
            Effect::KeyValue(mut request) => {
                let response = match &request.operation {
                    KeyValueOperation::Get { .. } => KeyValueResponse::Get { value: Value::None },
                    KeyValueOperation::Set { .. } => KeyValueResponse::Set {
                        previous: Value::None,
                    },
                    KeyValueOperation::Delete { .. } => KeyValueResponse::Delete {
                        previous: Value::None,
                    },
                    KeyValueOperation::Exists { .. } => {
                        KeyValueResponse::Exists { is_present: false }
                    }
                    KeyValueOperation::ListKeys { .. } => KeyValueResponse::ListKeys {
                        keys: Vec::new(),
                        next_cursor: 0,
                    },
                };
                self.core
                    .resolve(&mut request, KeyValueResult::Ok { response })
            }
            // No live channel: the bench times loads and syncs it starts itself.
            Effect::Notify(_) | Effect::Live(_) => return Vec::new(),
        };
        resolved.unwrap_or_else(|e| panic!("the core refused an answer: {e:?}"))
    }

    fn timed<T>(&mut self, f: impl FnOnce(&Core<Rounds>) -> T) -> T {
        let t = Instant::now();
        let out = f(&self.core);
        self.spent.core += t.elapsed().as_secs_f64();
        out
    }

    fn fetch(&self, op: &HttpRequest) -> HttpResult {
        let method = match reqwest::Method::from_bytes(op.method.as_bytes()) {
            Ok(m) => m,
            Err(e) => return HttpResult::Err(HttpError::Io(e.to_string())),
        };
        let mut builder = self.http.request(method, &op.url);
        for h in &op.headers {
            builder = builder.header(&h.name, &h.value);
        }
        if !op.body.is_empty() {
            builder = builder.body(op.body.clone());
        }
        let answer = builder.send().and_then(|r| {
            let status = r.status().as_u16();
            r.bytes().map(|b| (status, b))
        });
        match answer {
            Ok((status, body)) => {
                HttpResult::Ok(HttpResponse::status(status).body(body.to_vec()).build())
            }
            Err(e) => HttpResult::Err(HttpError::Io(e.to_string())),
        }
    }
}

/// The first view model worth showing a dispatcher: their queue and technicians are in it.
#[must_use]
pub fn usable_board(view: &ViewModel) -> bool {
    matches!(&view.screen,
        Screen::Dispatcher(DispatcherScreen::Board(b))
            if !b.unassigned.is_empty() && !b.technicians.is_empty())
}
