//! What a dispatcher does at the board: take in a job, assign it, take it back, cancel it.

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, commit};
use crate::effects::Effect;
use domain::ids::{JobId, UserId};
use domain::ops::OpKind;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one event per action, moved into `update` and spent there; a box would buy nothing"
)]
#[repr(C)]
pub enum DispatcherEvent {
    /// The new-job form (see `job_form`).
    JobForm(super::job_form::JobFormEvent),
    Assign {
        job: JobId,
        technician: UserId,
    },
    /// The reason for an assignment the panel warned about, as typed so far.
    AssignReason(String),
    /// Go ahead with it, for the reason typed.
    ConfirmAssign,
    /// Leave the job as it was.
    DropAssign,
    /// Take the last assignment back.
    UndoAssign,
    /// A keyboard shortcut of the board.
    Shortcut(Shortcut),
    /// The queue's filter and order, as the dispatcher set them.
    Queue(super::queue::QueueFilter),
    /// Open a job's detail beside the board (its completion and its history).
    OpenJob(JobId),
    CloseJob,
    Unassign(JobId),
    /// The reason for cancelling a job, as typed so far (kept in the core, so a refusal or
    /// a repaint loses nothing).
    CancelReason {
        job: JobId,
        reason: String,
    },
    /// Cancel the job with the reason typed for it.
    Cancel(JobId),
    /// Rank technicians for a job, with reasons (see `dispatch_board`).
    Suggest(JobId),
    Plan(super::dispatch_board::PlanEvent),
    /// Which day the board shows and plans.
    Day(BoardDay),
    /// The map: pan, zoom, and picking what the lists select too.
    Map(super::map::MapEvent),
    /// Show this page of the board's follow-up card (from 0; kept within the list when shown).
    FollowUpsPage(u32),
    /// A technician's days away (see `absences`).
    Absence(super::absences::AbsenceEvent),
    /// Open a rep's backlog (what their day cannot hold) beside the board, or close it
    /// (`None`). It pages, sorts and hands out with the sales events (`SalesEvent::BacklogPage`,
    /// `BacklogSort`, `HandOut`): one backlog is open at a time.
    RepBacklog(Option<UserId>),
    /// The organization's settings and a person's daily follow-ups (see `settings`).
    Settings(super::settings::SettingsEvent),
    /// Which page of the console: the board, or the people and stores.
    Console(super::back_office::ConsolePage),
    /// The console's numbers: weeks, store, refresh.
    Numbers(super::numbers::NumbersEvent),
    /// The admin's audit browser.
    Audit(super::audit::AuditEvent),
    /// A customer's export or erasure, from their card.
    Privacy(super::privacy::PrivacyEvent),
    /// A purchase typed on a customer's card.
    Purchase(super::purchase_form::PurchaseEvent),
    /// The admin console's forms (see `back_office`).
    BackOffice(super::back_office::BackOfficeEvent),
}

/// The board's keyboard shortcuts (issue 14): the frequent actions without the mouse. The
/// shell maps keys to them; the core keeps which job the keyboard is on.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum Shortcut {
    /// The next job of the queue as shown (the first, when none is chosen).
    NextJob,
    PreviousJob,
    /// Who should take the chosen job?
    Suggest,
    /// Give the chosen job to the suggestion's first choice.
    AssignTop,
    /// Take the last assignment back.
    Undo,
}

/// A move of the board to another day. The board shows today until the dispatcher moves it.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum BoardDay {
    Today,
    Previous,
    Next,
    /// A date as a date input gives it (`2026-12-08`); anything else is ignored.
    On(String),
}

pub fn update(model: &mut Model, event: DispatcherEvent) -> Command<Effect, Event> {
    match event {
        DispatcherEvent::Absence(e) => super::absences::update(model, e),
        DispatcherEvent::FollowUpsPage(page) => {
            model.follow_ups_page = page;
            render()
        }
        DispatcherEvent::Settings(e) => super::settings::update(model, e),
        DispatcherEvent::Console(page) => {
            model.console = page;
            if page != super::back_office::ConsolePage::Board {
                super::numbers::work_out(model);
            }
            render()
        }
        DispatcherEvent::Audit(e) => super::audit::update(model, e),
        DispatcherEvent::Privacy(e) => super::privacy::update(model, e),
        DispatcherEvent::Purchase(e) => super::purchase_form::update(model, e),
        DispatcherEvent::Numbers(e) => {
            super::numbers::update(model, e);
            render()
        }
        DispatcherEvent::BackOffice(e) => super::back_office::update(model, e),
        DispatcherEvent::RepBacklog(rep) => {
            model.rep_backlog = rep;
            model.sales.backlog_page = 0;
            render()
        }
        DispatcherEvent::JobForm(e) => super::job_form::update(model, e),
        DispatcherEvent::Assign { job, technician } => {
            super::dispatch_board::assign(model, job, technician)
        }
        DispatcherEvent::AssignReason(reason) => {
            super::dispatch_board::assign_reason(model, reason)
        }
        DispatcherEvent::ConfirmAssign => super::dispatch_board::confirm_assign(model),
        DispatcherEvent::UndoAssign => super::dispatch_board::undo_assign(model),
        DispatcherEvent::Shortcut(key) => shortcut(model, key),
        DispatcherEvent::Queue(filter) => {
            model.queue = filter;
            render()
        }
        DispatcherEvent::OpenJob(job) => {
            if let Some(ui) = model.ui_mut() {
                ui.job = Some(job);
            }
            model.map.selected = Some(super::map::MapItem::Job(job));
            render()
        }
        DispatcherEvent::CloseJob => {
            if let Some(ui) = model.ui_mut() {
                ui.job = None;
            }
            render()
        }
        DispatcherEvent::DropAssign => {
            model.dispatch.confirm = None;
            render()
        }
        DispatcherEvent::Unassign(job) => commit::request(OpKind::UnassignJob { job }),
        DispatcherEvent::CancelReason { job, reason } => {
            let draft = model.cancels.entry(job).or_default();
            draft.reason = reason;
            draft.error = None;
            render()
        }
        DispatcherEvent::Cancel(job) => {
            let reason = model
                .cancels
                .get(&job)
                .map(|d| d.reason.clone())
                .unwrap_or_default();
            commit::request(OpKind::CancelJob { job, reason })
        }
        DispatcherEvent::Suggest(job) => super::dispatch_board::suggest(model, job),
        DispatcherEvent::Plan(e) => super::dispatch_board::update(model, e),
        DispatcherEvent::Map(e) => super::map::update(model, e),
        DispatcherEvent::Day(d) => {
            let today = model.board_today();
            let shown = model.board_day.unwrap_or(today);
            let day = match d {
                BoardDay::Today => Some(today),
                BoardDay::Previous => shown.pred_opt(),
                BoardDay::Next => shown.succ_opt(),
                BoardDay::On(text) => {
                    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
                }
            };
            if let Some(day) = day
                && Some(day) != model.board_day
            {
                // Today is not a fixed date: a board left open overnight moves on with it.
                model.board_day = (day != today).then_some(day);
                // A suggestion or plan answered for the other day.
                model.dispatch = super::dispatch_board::DispatchBoard::default();
            }
            render()
        }
    }
}

fn shortcut(model: &mut Model, key: Shortcut) -> Command<Effect, Event> {
    match key {
        Shortcut::NextJob | Shortcut::PreviousJob => {
            let Some(me) = model.user().cloned() else {
                return render();
            };
            let ctx = crate::view::Ctx::new(model);
            let shown: Vec<JobId> = crate::view::queue::waiting(model, &ctx, &me)
                .0
                .iter()
                .map(|j| j.id)
                .collect();
            let at = model
                .queue_cursor
                .and_then(|c| shown.iter().position(|j| *j == c));
            let next = match (key, at) {
                (_, None) => shown.first(),
                (Shortcut::NextJob, Some(i)) => shown.get(i + 1).or(shown.get(i)),
                (_, Some(i)) => shown.get(i.saturating_sub(1)),
            };
            model.queue_cursor = next.copied();
            // The map shows the job the keyboard is on, as one picked there.
            match model.queue_cursor {
                Some(job) => super::map::update(
                    model,
                    super::map::MapEvent::Pick(super::map::MapPick::Item(
                        super::map::MapItem::Job(job),
                    )),
                ),
                None => render(),
            }
        }
        Shortcut::Suggest => match model.queue_cursor {
            Some(job) => super::dispatch_board::suggest(model, job),
            None => render(),
        },
        Shortcut::AssignTop => {
            let top = model
                .dispatch
                .suggestion
                .as_ref()
                .and_then(|s| s.candidates.first().map(|c| (s.job, c.technician)));
            match top {
                Some((job, technician)) => super::dispatch_board::assign(model, job, technician),
                None => render(),
            }
        }
        Shortcut::Undo => super::dispatch_board::undo_assign(model),
    }
}

/// A reason typed for cancelling a job, and why the last try was refused.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CancelDraft {
    pub reason: String,
    pub error: Option<super::Notice>,
}

impl Model {
    /// Today in the zone of the dispatcher's first store (the board's zone).
    pub(crate) fn board_today(&self) -> chrono::NaiveDate {
        self.now.with_timezone(&self.home_zone()).date_naive()
    }

    /// The day the board shows and plans.
    pub(crate) fn board_date(&self) -> chrono::NaiveDate {
        self.board_day.unwrap_or_else(|| self.board_today())
    }

    /// How a cancellation went: done forgets the reason, refused keeps it and says why.
    /// `false`: nothing was typed for that job.
    pub(super) fn cancel_settled(
        &mut self,
        job: JobId,
        outcome: Result<(), super::Notice>,
    ) -> bool {
        match outcome {
            Ok(()) => self.cancels.remove(&job).is_some(),
            Err(why) => {
                self.cancels.entry(job).or_default().error = Some(why);
                true
            }
        }
    }
}
