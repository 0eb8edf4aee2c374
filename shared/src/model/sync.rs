//! Talking to the server: signing in, and syncing the outbox and the replica.
//! The server's answers are turned into [`Failure`]s people can act on before they reach
//! the model, so no HTTP detail leaks into the rest of the core.

use std::time::Duration;

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};
use crux_http::HttpError;
use serde::Serialize;

use super::{Active, Event, Internal, Lifecycle, Model, Notice, SignInForm, storage};
use crate::effects::Effect;
use domain::sync::{LoginRequest, MAX_OPS, RefreshRequest, Session, SyncRequest, SyncResponse};
use domain::words::Label;

type Http = crux_http::Http<Effect, Event>;
type Time = crux_time::command::Time<Effect, Event>;

/// How long to wait before retrying after the server could not be reached.
pub const RETRY_AFTER: Duration = Duration::from_secs(20);
/// How often the clock (and with it "overdue" and "at risk") is refreshed.
pub const TICK: Duration = Duration::from_secs(60);
/// How often a signed-in device pulls changes unasked, so that a dispatcher's board shows a
/// technician's step within seconds without a reload. A pull with nothing new is one small
/// request (the cursor is unchanged and no ops are sent).
pub const POLL: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No network, or the server is down: keep working, retry later.
    Offline(String),
    /// The token is no longer valid (or, signing in, the login or password is wrong).
    Unauthorized,
    /// Signing in: the password was right, and a second-factor code is missing or wrong.
    SecondFactor,
    /// The server refused the request itself (not one op): shown in words.
    Refused(String),
}

impl Failure {
    pub(crate) fn notice(&self) -> Notice {
        match self {
            Failure::Offline(_) => Label::OfflineKept.into(),
            Failure::Unauthorized => Label::SessionExpired.into(),
            Failure::SecondFactor => Label::CodeNeeded.into(),
            Failure::Refused(m) => Notice::ServerRefused(m.clone()),
        }
    }
}

/// Reads the time now and schedules the next tick.
pub fn clock() -> Command<Effect, Event> {
    let now = Time::now().then_send(|t| Event::internal(Internal::Clock(DateTime::<Utc>::from(t))));
    let (timer, _handle) = Time::notify_after(TICK);
    now.and(timer.then_send(|_| Event::internal(Internal::Tick)))
}

/// Schedules the next unasked pull ([`POLL`]); started once at launch, it runs for the life
/// of the app and pulls only while someone is signed in.
pub fn poll() -> Command<Effect, Event> {
    let (timer, _handle) = Time::notify_after(POLL);
    timer.then_send(|_| Event::internal(Internal::Poll))
}

fn post_sync(url: String, token: &str, body: &SyncRequest) -> Command<Effect, Event> {
    let synced = |r| Event::internal(Internal::Synced(r));
    match Http::post(url)
        .header("Authorization", format!("Bearer {token}"))
        .body_json(body)
    {
        Ok(req) => req
            .expect_json::<SyncResponse>()
            .build()
            .then_send(move |r| {
                synced(match r {
                    Ok(mut resp) => resp
                        .take_body()
                        .ok_or_else(|| Failure::Refused("The server sent an empty answer.".into())),
                    Err(e) => Err(failure(&e)),
                })
            }),
        Err(e) => Command::event(synced(Err(Failure::Refused(e.to_string())))),
    }
}

/// A request answered with no body (204): an admin action such as setting a password.
pub(super) fn post_empty<B: Serialize>(
    url: String,
    token: &str,
    body: &B,
    done: impl FnOnce(Result<(), Failure>) -> Event + Send + 'static,
) -> Command<Effect, Event> {
    match Http::post(url)
        .header("Authorization", format!("Bearer {token}"))
        .body_json(body)
    {
        Ok(req) => req
            .build()
            .then_send(move |r| done(r.map(|_| ()).map_err(|e| failure(&e)))),
        Err(e) => Command::event(done(Err(Failure::Refused(e.to_string())))),
    }
}

/// The problem type of a sign-in that needs a second-factor code (the server's
/// `SECOND_FACTOR_REQUIRED`).
const SECOND_FACTOR_REQUIRED: &str = "urn:rounds:problem:second_factor_required";

pub(super) fn failure(e: &HttpError) -> Failure {
    match e.code() {
        Some(401) => {
            let second = e.body_json::<serde_json::Value>().ok().is_some_and(|v| {
                v.get("type").and_then(|t| t.as_str()) == Some(SECOND_FACTOR_REQUIRED)
            });
            if second {
                Failure::SecondFactor
            } else {
                Failure::Unauthorized
            }
        }
        Some(code) if code >= 500 => Failure::Offline(format!("server error {code}")),
        Some(code) => {
            // Problem documents (RFC 7807) carry the explanation in `detail` or `title`.
            let detail = e
                .body_json::<serde_json::Value>()
                .ok()
                .and_then(|v| {
                    v.get("detail")
                        .or_else(|| v.get("title"))
                        .and_then(|d| d.as_str().map(str::to_owned))
                })
                .unwrap_or_else(|| format!("The server refused the request ({code})."));
            Failure::Refused(detail)
        }
        None => Failure::Offline(e.to_string()),
    }
}

fn session_request<B: Serialize>(
    url: String,
    body: &B,
    wrap: impl FnOnce(Result<Session, Failure>) -> Event + Send + 'static,
) -> Command<Effect, Event> {
    match Http::post(url).body_json(body) {
        Ok(req) => req.expect_json::<Session>().build().then_send(move |r| {
            wrap(match r {
                Ok(mut resp) => resp
                    .take_body()
                    .ok_or_else(|| Failure::Refused("The server sent an empty answer.".into())),
                Err(e) => Err(failure(&e)),
            })
        }),
        Err(e) => Command::event(wrap(Err(Failure::Refused(e.to_string())))),
    }
}

impl Model {
    /// The absolute URL of a server endpoint; `None` when the configured server address is
    /// not a usable http(s) URL (the HTTP effect would have nothing to call).
    pub(super) fn endpoint(&self, path: &str) -> Option<String> {
        let url = url::Url::parse(&format!("{}{path}", self.server_url)).ok()?;
        matches!(url.scheme(), "http" | "https").then(|| url.to_string())
    }

    pub(super) fn sign_in(
        &mut self,
        login: String,
        password: String,
        code: String,
    ) -> Command<Effect, Event> {
        let url = self.endpoint("/v1/auth/login");
        let device_token = {
            let login = login.trim().to_lowercase();
            self.device_trust
                .as_ref()
                .filter(|t| t.login == login)
                .map(|t| t.token.clone())
        };
        let device_id = (!self.device_id.is_empty()).then(|| self.device_id.clone());
        // Only the sign-in screen signs in.
        let Some(form) = self.sign_in_form_mut() else {
            return Command::done();
        };
        if login.trim().is_empty() || password.is_empty() {
            form.error = Some(Label::EnterLoginAndPassword.into());
            return render();
        }
        let code = code.trim().to_owned();
        if form.code_needed && code.is_empty() {
            form.error = Some(Failure::SecondFactor.notice());
            return render();
        }
        form.error = None;
        let Some(url) = url else {
            form.error = Some(Label::BadServerAddress.into());
            return render();
        };
        form.busy = true;
        form.code_sent = !code.is_empty();
        let body = LoginRequest {
            otp: (!code.is_empty()).then_some(code),
            device_id,
            device_token,
            login: login.trim().to_owned(),
            password,
        };
        Command::all([
            render(),
            session_request(url, &body, |r| Event::internal(Internal::SignedIn(r))),
        ])
    }

    pub(super) fn signed_in(&mut self, result: Result<Session, Failure>) -> Command<Effect, Event> {
        let others = self.outbox.len();
        let foreign_work =
            |session: &Session| self.outbox.ops().any(|op| op.actor != session.user.id);
        let foreign = result.as_ref().is_ok_and(foreign_work);
        let Some(form) = self.sign_in_form_mut() else {
            // Signed out meanwhile, or signed in twice: the first answer counts.
            return Command::done();
        };
        form.busy = false;
        match result {
            Ok(session) if session.second_factor_setup => {
                // That session can only enrol a second factor, which is done in the console.
                form.error = Some(Label::SecondFactorSetup.into());
                render()
            }
            Ok(_) if foreign => {
                form.error = Some(Notice::OthersChanges(others));
                render()
            }
            Ok(session) => self.start_session(session),
            Err(Failure::SecondFactor) => {
                let wrong = form.code_sent;
                form.code_needed = true;
                form.error = Some(if wrong {
                    Label::CodeWrong.into()
                } else {
                    Failure::SecondFactor.notice()
                });
                render()
            }
            Err(Failure::Unauthorized) => {
                // A wrong password starts over: the code is asked for again once the
                // password is right.
                form.code_needed = false;
                form.error = Some(Label::WrongLoginOrPassword.into());
                render()
            }
            Err(other) => {
                form.error = Some(other.notice());
                render()
            }
        }
    }

    /// A sign-in succeeded: the device becomes this person's.
    fn start_session(&mut self, session: Session) -> Command<Effect, Event> {
        // Whose data the device holds is recorded with it: a colleague's replica also holds
        // this person's user record, so that cannot tell.
        let same_user = self.replica_owner == Some(session.user.id);
        self.replica_owner = Some(session.user.id);
        let mut cmds = Vec::new();
        if !same_user {
            // Another person's data must not stay visible on a shared device.
            self.replica = Default::default();
            self.cursor = 0;
            self.forget_desk();
            self.rebuild_index();
            cmds.push(self.forget_stored_replica());
        }
        if let Some(token) = session.device_token.clone() {
            let trust = super::DeviceTrust {
                login: session.user.login.trim().to_lowercase(),
                token,
            };
            self.device_trust = Some(trust);
            cmds.push(self.save_device_trust());
        }
        self.lifecycle = Lifecycle::Active(Box::new(Active::new(session)));
        cmds.extend([render(), self.save_session(), self.sync()]);
        Command::all(cmds)
    }

    /// Pushes pending ops and pulls changes. At most one sync runs at a time; a request
    /// made meanwhile runs right after.
    pub fn sync(&mut self) -> Command<Effect, Event> {
        let Some(token) = self.session().map(|s| s.access_token.clone()) else {
            return Command::done();
        };
        if self.sync.in_flight {
            self.sync.again = true;
            return Command::done();
        }
        self.sync.in_flight = true;
        self.sync.again = false;
        let body = SyncRequest {
            device_id: self.device_id.clone(),
            cursor: self.cursor,
            ops: self.outbox.batch(MAX_OPS),
        };
        let Some(url) = self.endpoint("/v1/sync") else {
            self.sync.in_flight = false;
            self.sync.problem = Some(Label::BadServerAddress.into());
            return render();
        };
        post_sync(url, &token, &body)
    }

    /// The jobs this technician is driving to, and where they were going.
    fn on_the_road(&self) -> Vec<(domain::ids::JobId, domain::places::Address)> {
        let Some(me) = self.user().map(|u| u.id) else {
            return Vec::new();
        };
        self.replica
            .jobs()
            .filter(|j| j.works_on(me) && j.status == domain::jobs::JobStatus::EnRoute)
            .map(|j| (j.id, j.service_address.clone()))
            .collect()
    }

    /// A job the technician is driving to whose address changed meanwhile (the customer's
    /// address was corrected in the office): they must hear of it at once.
    fn moved_while_on_the_road(
        &self,
        before: Vec<(domain::ids::JobId, domain::places::Address)>,
    ) -> Option<Notice> {
        before.into_iter().find_map(|(id, was)| {
            match self.replica.record(&domain::ops::RecordKey::Job(id)) {
                Some(domain::ops::Record::Job(j)) if j.service_address != was => {
                    Some(Notice::JobMoved {
                        job: j.number(),
                        address: j.service_address.one_line(),
                    })
                }
                _ => None,
            }
        })
    }

    pub(super) fn synced(
        &mut self,
        result: Result<SyncResponse, Failure>,
    ) -> Command<Effect, Event> {
        self.sync.in_flight = false;
        let was_paging = std::mem::take(&mut self.sync.paging);
        match result {
            Ok(resp) => {
                self.sync.paging = resp.more;
                let on_the_road = self.on_the_road();
                // Taken before the page is merged: the device stores what the server sent,
                // not the page with local changes replayed on it.
                let page = storage::page(&resp.changes);
                let cursor_before = self.cursor;
                let (mut rejected, touched) =
                    self.outbox
                        .settle_tracked(&mut self.replica, &resp.results, resp.changes);
                self.replica_changed(&touched);
                if let Some(moved) = self.moved_while_on_the_road(on_the_road) {
                    self.notice = Some(moved);
                }
                rejected.retain(|r| !super::followups::is_rule_made(&r.op));
                self.cursor = resp.cursor;
                self.sync.online = true;
                self.sync.problem = None;
                self.sync.last_synced = Some(self.now);
                if !rejected.is_empty() {
                    self.notice = Some(Notice::ServerRefusedChanges(rejected.len()));
                    self.rejections.extend(rejected);
                }
                if resp.reset {
                    return self.fetch_everything_again();
                }
                if resp.wipe {
                    // Signed out remotely: whatever is still queued goes first (the server
                    // keeps applying this device's pushes), then nothing stays behind.
                    if !self.outbox.is_empty() && !resp.results.is_empty() {
                        return Command::all([self.save_outbox(), self.sync()]);
                    }
                    return self.wipe();
                }
                let progressed = !resp.results.is_empty();
                let again = resp.more || self.sync.again || (progressed && !self.outbox.is_empty());
                // Room is looked at again once a sync that brought records is over.
                let grew = !page.is_empty();
                let mut writes = page;
                if grew || resp.cursor != cursor_before {
                    writes.extend(self.replica_meta());
                }
                // The middle pages of a pull change nothing a screen should wait for (the
                // header says "syncing" throughout): a view model per page of a first sync
                // would cost as much as the sync itself at a chain's size.
                let mut cmds = vec![self.save(writes)];
                if !(self.sync.paging && was_paging) {
                    cmds.push(render());
                }
                if grew && !resp.more {
                    cmds.push(Self::ask_usage());
                }
                if let Some(server) = resp.server_time {
                    // A first estimate at once, from the clock's last reading, so that what
                    // this very answer sets off is stamped right; the exact one follows.
                    if !self.clock_known
                        && let Some(offset) =
                            super::plausible_offset(server.signed_duration_since(self.now))
                    {
                        self.clock_offset = offset;
                        self.clock_known = true;
                    }
                    cmds.push(Time::now().then_send(move |t| {
                        Event::internal(Internal::ServerClock {
                            server,
                            local: DateTime::<Utc>::from(t),
                        })
                    }));
                }
                if again {
                    cmds.push(self.sync());
                }
                Command::all(cmds)
            }
            Err(Failure::Unauthorized | Failure::SecondFactor) => self.refresh(),
            Err(f @ Failure::Offline(_)) => {
                self.sync.online = false;
                self.sync.problem = Some(f.notice());
                let (timer, _handle) = Time::notify_after(RETRY_AFTER);
                Command::all([
                    render(),
                    timer.then_send(|_| Event::internal(Internal::RetrySync)),
                ])
            }
            Err(f @ Failure::Refused(_)) => {
                self.sync.problem = Some(f.notice());
                render()
            }
        }
    }

    /// The server's log ends before this device's cursor: it was restored from a backup, and
    /// what the device holds may include changes it no longer has. The replica is dropped and
    /// fetched again from the start; the ops not sent yet stay queued (stored as they are)
    /// and are replayed on what arrives, so nothing the person did is lost.
    fn fetch_everything_again(&mut self) -> Command<Effect, Event> {
        let ops: Vec<(u64, domain::ops::Op)> = self
            .outbox
            .placed()
            .map(|(place, op)| (place, op.clone()))
            .collect();
        self.replica = Default::default();
        self.outbox = domain::sync::Outbox::replayed(ops, &mut self.replica);
        self.cursor = 0;
        self.forget_standing_rules();
        self.rebuild_index();
        self.notice = Some(Label::ServerRestored.into());
        Command::all([self.forget_stored_replica(), render(), self.sync()])
    }

    fn refresh(&mut self) -> Command<Effect, Event> {
        let Some(session) = self.session() else {
            return Command::done();
        };
        let Some(url) = self.endpoint("/v1/auth/refresh") else {
            self.sync.problem = Some(Label::BadServerAddress.into());
            return render();
        };
        let body = RefreshRequest {
            refresh_token: session.refresh_token.clone(),
        };
        session_request(url, &body, |r| Event::internal(Internal::Refreshed(r)))
    }

    pub(super) fn refreshed(&mut self, result: Result<Session, Failure>) -> Command<Effect, Event> {
        match result {
            Ok(session) => {
                if let Lifecycle::Active(a) = &mut self.lifecycle {
                    a.session = session;
                }
                Command::all([self.save_session(), self.sync()])
            }
            Err(f @ Failure::Offline(_)) => self.synced(Err(f)),
            Err(_) => {
                self.lifecycle = Lifecycle::SignedOut(SignInForm {
                    error: Some(Failure::Unauthorized.notice()),
                    ..SignInForm::default()
                });
                Command::all([render(), self.save_session()])
            }
        }
    }
}
