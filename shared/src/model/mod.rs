//! The app's state and how events change it. Role-specific events live in `technician`,
//! `sales` and `dispatcher`; every data change goes through [`commit`]; talking to the server
//! is in [`sync`]; keeping state across restarts is in [`storage`].

pub mod absences;
#[cfg(test)]
mod any_input;
pub mod audit;
pub mod back_office;
pub mod commit;
pub mod conflicts;
pub mod dispatch_board;
pub mod dispatcher;
#[cfg(test)]
pub(crate) mod fake_shell;
pub mod followups;
pub mod imports;
pub mod job_form;
pub mod live;
pub mod lookup;
pub mod map;
pub mod notice;
pub mod numbers;
pub mod privacy;
pub mod purchase_form;
pub mod queue;
pub mod sales;
pub mod settings;
pub mod storage;
pub mod sync;
pub mod technician;
#[cfg(test)]
pub(crate) mod tests;

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::effects::Effect;
use domain::ids::{JobId, LeadId, UserId};
use domain::ops::{MemoryRecords, OpKind, Record, RecordKey};
use domain::org::{Role, User};
use domain::places::LatLng;
use domain::sync::{Outbox, Rejection, Session};
use domain::words::Label;
pub use domain::words::Lang;

pub use conflicts::ConflictEvent;
pub use dispatcher::DispatcherEvent;
pub use followups::FollowUpEvent;
pub use lookup::{CustomerDraft, LookupEvent};
pub use notice::Notice;
pub use sales::SalesEvent;
pub use technician::TechnicianEvent;

/// What shells send to the core.
#[derive(Facet, Serialize, Deserialize, Debug)]
#[repr(C)]
pub enum Event {
    /// Sent once at launch.
    Start {
        server_url: String,
        device_id: String,
    },
    SignIn {
        login: String,
        password: String,
        /// The second-factor code, when the sign-in screen asks for one
        /// (`SignInView::code`); empty otherwise.
        code: String,
    },
    SignOut,
    /// Show the screens of one of the user's roles.
    ShowRole(Role),
    /// The person asked to sync now (pull to refresh).
    SyncNow,
    /// The shell learned it is online again; worth retrying at once.
    Online,
    DismissNotice,
    /// The language the person chose; the view model's own words follow it.
    SetLanguage(Lang),
    Technician(TechnicianEvent),
    Sales(SalesEvent),
    Dispatcher(DispatcherEvent),
    /// Working follow-ups, for every role that has them.
    FollowUps(FollowUpEvent),
    /// Customer search and the customer form, the same for every role.
    Lookup(LookupEvent),
    /// The conflict inbox, the same for every role.
    Conflicts(ConflictEvent),
    /// Results of effects; never sent by shells.
    #[serde(skip)]
    #[facet(skip)]
    Internal(#[facet(opaque)] Box<Internal>),
}

/// Events the core sends itself when an effect completes.
#[derive(Debug)]
pub enum Internal {
    Loaded(Box<storage::Loaded>),
    Clock(DateTime<Utc>),
    Tick,
    /// Time for the next unasked pull (`sync::poll`).
    Poll,
    /// The live channel said something (`live`).
    Live {
        generation: u64,
        event: crate::effects::live::LiveEvent,
    },
    Commit {
        kind: OpKind,
        at: DateTime<Utc>,
        location: Option<LatLng>,
    },
    SignedIn(Result<Session, sync::Failure>),
    /// The admin endpoint answered a password being set.
    PasswordSet(Result<(), sync::Failure>),
    /// Where the phone is, for putting a customer on the map there.
    PlaceHere {
        customer: domain::ids::CustomerId,
        location: Option<LatLng>,
    },
    Synced(Result<domain::sync::SyncResponse, sync::Failure>),
    /// The server's clock at its last answer, beside this device's clock just after it.
    ServerClock {
        server: DateTime<Utc>,
        local: DateTime<Utc>,
    },
    Refreshed(Result<Session, sync::Failure>),
    RetrySync,
    /// A write to the device database was answered.
    Stored(Box<storage::Stored>),
    /// The storage's usage and quota, when the shell could tell.
    Usage(Option<(u64, u64, bool)>),
    /// The first screen is out: read the rest of the stored replica
    /// (`storage::first_screen`).
    LoadRest,
    /// The server answered about an import, or it is time to ask (`imports`).
    Import(imports::Answer),
    /// A page of the audit, for the admin's browser.
    Audit(audit::Answer),
    /// A customer's export, fetched.
    Exported(privacy::Exported),
}

impl Event {
    pub(crate) fn internal(i: Internal) -> Self {
        Event::Internal(Box::new(i))
    }
}

#[derive(Debug, Default)]
pub struct Model {
    /// Where the app is in its life: starting, signed out (with the sign-in form) or active
    /// (with the session and what the person is looking at).
    pub lifecycle: Lifecycle,
    pub server_url: String,
    pub device_id: String,
    /// Every record this user may see, with local changes applied.
    pub replica: MemoryRecords,
    pub outbox: Outbox,
    /// The server's change sequence we have seen up to.
    pub cursor: u64,
    /// Whose view the replica is: another person signing in on this device starts afresh.
    pub replica_owner: Option<UserId>,
    pub now: DateTime<Utc>,
    /// What to add to this device's clock to get the server's, learned at each sync; ops are
    /// stamped with the corrected time.
    pub clock_offset: chrono::Duration,
    /// The offset has been learned (at a sync, or stored from an earlier run). Until then
    /// the device raises no rule follow-ups: stamped with a clock that may be hours off, the
    /// server would refuse them.
    pub clock_known: bool,
    /// This device's proof of its last sign-in (`Session::device_token`), sent with the next.
    pub device_trust: Option<DeviceTrust>,
    pub location: Option<LatLng>,
    pub sync: SyncState,
    /// The server's live channel, which says when to sync.
    pub live: live::LiveState,
    /// The last thing to tell the person.
    pub notice: Option<Notice>,
    /// Changes the server refused, with its reasons.
    pub rejections: Vec<Rejection>,
    /// Rule follow-ups raised on this device and the notifications scheduled for them.
    pub reminders: followups::Reminders,
    /// Customer lookup: the index over the replica, the query, the customer form.
    pub lookup: lookup::LookupState,
    pub dispatch: dispatch_board::DispatchBoard,
    /// How the dispatcher filters and sorts the queue.
    pub queue: queue::QueueFilter,
    /// The queued job the dispatcher's keyboard is on.
    pub queue_cursor: Option<JobId>,
    /// The board's map: where it looks, and the selection it shares with the lists.
    pub map: map::MapState,
    /// The last assignment made at the board, for its confirmation and undo.
    pub assigned: Option<dispatch_board::Assigned>,
    /// The day the dispatcher's board shows and plans, when not today.
    pub board_day: Option<chrono::NaiveDate>,
    /// A technician's days away, as typed on the board.
    pub absence: Option<absences::AbsenceForm>,
    /// The page of the board's follow-up card (`view::dispatcher::PageView`).
    pub follow_ups_page: u32,
    /// The rep whose backlog the dispatcher opened on the board.
    pub rep_backlog: Option<UserId>,
    /// Which page of the console is open (the admin's first is the back office).
    pub console: back_office::ConsolePage,
    /// The console's numbers, as last worked out (`numbers`).
    pub numbers: numbers::Numbers,
    /// The admin's audit browser (`audit`).
    pub audit: audit::Browsing,
    /// A customer's export or erasure under way (`privacy`).
    pub privacy: privacy::Privacy,
    /// A purchase being typed on a customer's card (`purchase_form`).
    pub purchase_form: purchase_form::PurchaseForm,
    /// Whose follow-up rules the settings panel shows: a store's, or the organization's.
    pub settings_store: Option<domain::ids::StoreId>,
    /// An import from a file, in the admin console (`imports`).
    pub import: imports::Importing,
    /// The dispatcher's new-job form, kept as typed across refusals and repaints.
    pub job_form: job_form::JobForm,
    /// The rep's forms as typed (the open lead's, the follow-up cards').
    pub sales: sales::SalesState,
    /// Reasons typed for cancelling jobs, per job.
    pub cancels: std::collections::BTreeMap<JobId, dispatcher::CancelDraft>,
    /// Kept across sign-out: it is the device's, not the session's.
    pub language: Lang,
    /// What is saved on the device, what is being saved, and how much room is left.
    pub store: storage::DeviceStore,
}

/// How far the device's clock may be from the server's before the person is told.
const CLOCK_OFF_MINUTES: i64 = 10;

/// A clock can be off by days; anything beyond a year is a broken answer.
pub(crate) fn plausible_offset(offset: chrono::Duration) -> Option<chrono::Duration> {
    (offset.num_days().abs() <= 366).then_some(offset)
}

/// A device token and the account it vouches for.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceTrust {
    /// As typed at sign-in, trimmed and lower-cased.
    pub login: String,
    pub token: String,
}

/// Each state holds what only it has, so that "active without a session" or "a sign-in
/// error over the board" cannot be written. What the device keeps whoever is signed in (the
/// replica, the outbox, the clock, the language) lives beside it in [`Model`].
#[derive(Debug, Default, Clone, PartialEq)]
pub enum Lifecycle {
    /// Reading what the device stored; nothing to show yet.
    #[default]
    Starting,
    SignedOut(SignInForm),
    Active(Box<Active>),
}

/// The sign-in screen's state.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SignInForm {
    pub error: Option<Notice>,
    pub busy: bool,
    /// The server wants a second-factor code with this login's password.
    pub code_needed: bool,
    /// The sign-in in flight carried a code (so a refusal means the code was wrong).
    pub code_sent: bool,
}

/// Signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    pub session: Session,
    pub ui: Ui,
}

impl Active {
    #[must_use]
    pub fn new(session: Session) -> Self {
        Self {
            session,
            ui: Ui::default(),
        }
    }
}

/// What the signed-in person is looking at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ui {
    pub role: Option<Role>,
    pub job: Option<JobId>,
    pub lead: Option<LeadId>,
    /// The technician's forms on the open job, with what was typed.
    pub field: technician::FieldForms,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub in_flight: bool,
    /// The server said it has more pages for this pull: the replica is partial until the
    /// last one, so the follow-up rules wait for it (they would otherwise run over the whole
    /// replica once per page, and on a replica that lacks what later pages bring).
    pub paging: bool,
    /// A sync was asked for while one was running.
    pub again: bool,
    pub online: bool,
    pub last_synced: Option<DateTime<Utc>>,
    pub problem: Option<Notice>,
}

impl Model {
    /// The zone of the person's first store: the one their screens tell time in (UTC until
    /// the store's record has arrived).
    pub(crate) fn home_zone(&self) -> chrono_tz::Tz {
        self.user()
            .and_then(|u| u.stores.first())
            .and_then(|s| match self.replica.record(&RecordKey::Store(*s)) {
                Some(Record::Store(s)) => Some(s.time_zone),
                _ => None,
            })
            .unwrap_or(chrono_tz::Tz::UTC)
    }

    pub fn update(&mut self, event: Event) -> Command<Effect, Event> {
        // While the start's second step is still to come, the replica is partial: what would
        // read or change it waits, in order (see `storage::first_screen`).
        if self.loading_rest() && !Self::runs_while_loading(&event) {
            self.store.deferred.push(event);
            return Command::done();
        }
        let rest_read = matches!(&event, Event::Internal(i) if matches!(**i, Internal::LoadRest));
        let starting = matches!(&event, Event::Internal(i) if matches!(**i, Internal::Loaded(_)))
            || (self.loading_rest() && !rest_read);
        let mut cmd = self.handle(event);
        // Follow-up rules and reminders depend on the data and the clock, whichever event
        // changed them; checking once here keeps every handler free of it. Not at start-up:
        // the first screen comes first, and the next event (the storage estimate or the
        // start-up sync's answer, which always come back through the shell, after the first
        // render) runs them.
        if starting {
            return cmd;
        }
        // The lookup index, left out of start-up for the same reason, is built at the next
        // event, so that the first keystroke in the search box finds everything at once.
        if self.lookup.index.is_none() && self.is_active() {
            self.rebuild_index();
        }
        cmd = cmd
            .and(self.follow_up_housekeeping())
            .and(self.live_follows());
        if rest_read {
            for event in std::mem::take(&mut self.store.deferred) {
                cmd = cmd.and(self.update(event));
            }
        }
        cmd
    }

    fn handle(&mut self, event: Event) -> Command<Effect, Event> {
        match event {
            Event::Start {
                server_url,
                device_id,
            } => {
                self.server_url = server_url.trim_end_matches('/').to_owned();
                self.device_id = device_id;
                self.lifecycle = Lifecycle::Starting;
                Command::all([
                    render(),
                    storage::load(self.store.two_step_above),
                    sync::clock(),
                    sync::poll(),
                ])
            }
            Event::SignIn {
                login,
                password,
                code,
            } => self.sign_in(login, password, code),
            Event::SignOut => self.sign_out(),
            Event::ShowRole(role) => {
                if self.user().is_some_and(|u| u.roles.contains(&role))
                    && let Some(ui) = self.ui_mut()
                {
                    ui.role = Some(role);
                    ui.job = None;
                    ui.lead = None;
                }
                render()
            }
            Event::SyncNow | Event::Online => self.sync(),
            Event::SetLanguage(language) => {
                self.language = language;
                render()
            }
            Event::DismissNotice => {
                self.notice = None;
                self.rejections.clear();
                render()
            }
            Event::Technician(e) => technician::update(self, e),
            Event::Sales(e) => sales::update(self, e),
            Event::Dispatcher(e) => dispatcher::update(self, e),
            Event::FollowUps(e) => followups::update(self, e),
            Event::Lookup(e) => lookup::update(self, e),
            Event::Conflicts(e) => conflicts::update(self, e),
            Event::Internal(i) => self.internal(*i),
        }
    }

    fn internal(&mut self, event: Internal) -> Command<Effect, Event> {
        match event {
            Internal::Loaded(loaded) => self.restore(*loaded),
            Internal::Clock(now) => {
                self.now = now;
                render()
            }
            Internal::Tick => sync::clock(),
            Internal::Poll => {
                let (needed, closed) = self.pull_needed();
                let pull = if needed && self.is_active() {
                    self.sync()
                } else {
                    Command::done()
                };
                Command::all([closed, pull, sync::poll()])
            }
            Internal::Live { generation, event } => self.heard(generation, event),
            Internal::Commit { kind, at, location } => self.commit(kind, at, location),
            Internal::SignedIn(result) => self.signed_in(result),
            Internal::PasswordSet(result) => self.password_set(result),
            Internal::Import(answer) => self.import_answered(answer),
            Internal::Audit(answer) => self.audit_answered(answer),
            Internal::Exported(e) => self.exported(e),
            Internal::PlaceHere { customer, location } => self.place_here(customer, location),
            Internal::Synced(result) => self.synced(result),
            Internal::ServerClock { server, local } => {
                let Some(offset) = plausible_offset(server.signed_duration_since(local)) else {
                    return Command::done();
                };
                // Kept for a restart with no signal; rewritten only when it moved, not at
                // every sync.
                let moved = (offset - self.clock_offset).num_seconds().abs() >= 1;
                self.clock_offset = offset;
                self.clock_known = true;
                if !moved {
                    return Command::done();
                }
                // Ops are stamped with the server's time whatever the device says, but the
                // person should know their phone shows the wrong time (and fix it).
                if offset.num_minutes().abs() >= CLOCK_OFF_MINUTES {
                    self.notice = Some(Notice::ClockOff {
                        minutes: offset.num_minutes(),
                    });
                }
                Command::all([render(), self.save_clock_offset()])
            }
            Internal::Refreshed(result) => self.refreshed(result),
            Internal::RetrySync => self.sync(),
            Internal::Stored(s) => self.stored(*s),
            Internal::Usage(u) => self.usage(u),
            Internal::LoadRest => self.load_rest(),
        }
    }

    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        match &self.lifecycle {
            Lifecycle::Active(a) => Some(&a.session),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_active(&self) -> bool {
        matches!(self.lifecycle, Lifecycle::Active(_))
    }

    /// What the signed-in person is looking at; `None` when no one is signed in.
    #[must_use]
    pub fn ui(&self) -> Option<&Ui> {
        match &self.lifecycle {
            Lifecycle::Active(a) => Some(&a.ui),
            _ => None,
        }
    }

    pub fn ui_mut(&mut self) -> Option<&mut Ui> {
        match &mut self.lifecycle {
            Lifecycle::Active(a) => Some(&mut a.ui),
            _ => None,
        }
    }

    /// The lead the person has open.
    #[must_use]
    pub fn open_lead(&self) -> Option<LeadId> {
        self.ui().and_then(|u| u.lead)
    }

    /// The job the person has open.
    #[must_use]
    pub fn open_job(&self) -> Option<JobId> {
        self.ui().and_then(|u| u.job)
    }

    /// The sign-in form, when signed out.
    pub fn sign_in_form_mut(&mut self) -> Option<&mut SignInForm> {
        match &mut self.lifecycle {
            Lifecycle::SignedOut(f) => Some(f),
            _ => None,
        }
    }

    /// The signed-in user, as the replica knows them (fresher than the session's copy).
    #[must_use]
    pub fn user(&self) -> Option<&User> {
        let session = self.session()?;
        match self.replica.record(&RecordKey::User(session.user.id)) {
            Some(Record::User(u)) => Some(u),
            _ => Some(&session.user),
        }
    }

    /// The role whose screens are shown: the chosen one, else the most field-facing one held.
    #[must_use]
    pub fn role(&self) -> Option<Role> {
        let user = self.user()?;
        self.ui()
            .and_then(|ui| ui.role)
            .filter(|r| user.roles.contains(r))
            .or_else(|| {
                [Role::Technician, Role::Sales, Role::Dispatcher, Role::Admin]
                    .into_iter()
                    .find(|r| user.roles.contains(r))
            })
    }

    /// The one place that hears which records changed (a local op, a settled sync) and tells
    /// everything derived from the replica: the lookup index and the search screen, and the
    /// dispatch board. The follow-up housekeeping asks the replica's version instead.
    pub(super) fn replica_changed(&mut self, touched: &[RecordKey]) {
        self.index_changed(touched);
        self.dispatch_changed(touched);
    }

    /// Removes everything this device holds of the organization: the replica, the outbox,
    /// the session, what the person was looking at. Only a remote sign-out does this (a lost
    /// phone); signing out by hand keeps unsynced work.
    pub(super) fn wipe(&mut self) -> Command<Effect, Event> {
        let language = self.language;
        let server_url = std::mem::take(&mut self.server_url);
        let device_id = std::mem::take(&mut self.device_id);
        let now = self.now;
        *self = Model {
            server_url,
            device_id,
            now,
            language,
            lifecycle: Lifecycle::SignedOut(SignInForm::default()),
            ..Model::default()
        };
        self.notice = Some(Label::RemoteWipe.into());
        Command::all([render(), self.forget_everything_stored()])
    }

    fn sign_out(&mut self) -> Command<Effect, Event> {
        // Unsynced changes stay on the device: signing out must never lose work. What the
        // person had open or half-typed goes: the next person at this device must not see it.
        self.lifecycle = Lifecycle::SignedOut(SignInForm::default());
        self.forget_desk();
        Command::all([render(), self.save_session()])
    }

    /// Drops the person's open forms, drafts, search and dispatch panel. They live beside
    /// the lifecycle rather than in [`Active`] so that a session that merely expires (signed
    /// in again with the same account) loses nothing typed; signing out, or another person
    /// signing in, clears them.
    pub(super) fn forget_desk(&mut self) {
        self.lookup = lookup::LookupState::default();
        self.dispatch = dispatch_board::DispatchBoard::default();
        self.assigned = None;
        self.board_day = None;
        self.follow_ups_page = 0;
        self.rep_backlog = None;
        self.absence = None;
        self.queue = queue::QueueFilter::default();
        self.queue_cursor = None;
        self.map = map::MapState::default();
        self.job_form = job_form::JobForm::default();
        self.sales = sales::SalesState::default();
        self.cancels.clear();
        // What the last person was shown of the organization goes with them.
        self.numbers = numbers::Numbers::default();
        self.audit = audit::Browsing::default();
        self.privacy = privacy::Privacy::default();
        self.purchase_form = purchase_form::PurchaseForm::default();
    }
}
