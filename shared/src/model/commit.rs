//! The one path every change takes, readable top to bottom:
//! a role event names an [`OpKind`] -> [`request`] stamps it with the time and place ->
//! [`Model::commit`] makes the [`Op`], applies it locally with [`domain::ops::apply`] (through
//! the outbox, which keeps it for the server), persists the outbox, and starts a sync.

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};

use super::{Event, Internal, Model, Notice};
use crate::effects::{Effect, location};
use domain::ids::OpId;
use domain::ops::{Op, OpKind};
use domain::places::LatLng;
use domain::words::Label;

type Time = crux_time::command::Time<Effect, Event>;

/// Asks the shell for the time and the position, then commits the op.
pub fn request(kind: OpKind) -> Command<Effect, Event> {
    Command::new(|ctx| async move {
        let now = Time::now().into_future(ctx.clone()).await;
        let location = location::command::current().into_future(ctx.clone()).await;
        ctx.send_event(Event::internal(Internal::Commit {
            kind,
            at: DateTime::<Utc>::from(now),
            location,
        }));
    })
}

impl Model {
    pub(super) fn commit(
        &mut self,
        kind: OpKind,
        at: DateTime<Utc>,
        location: Option<LatLng>,
    ) -> Command<Effect, Event> {
        self.now = self.now.max(at);
        // The op carries the server's idea of now, so a phone whose clock runs fast does not
        // make ops "from the future" that the server would refuse.
        let at = at.checked_add_signed(self.clock_offset).unwrap_or(at);
        if location.is_some() {
            self.location = location;
        }
        let form = self.form_awaiting(&kind);
        let Some(actor) = self.user().map(|u| u.id) else {
            self.settle_form(form, Err(Label::SignInToChange.into()));
            return render();
        };
        let op = Op {
            id: OpId::new(),
            actor,
            at,
            location,
            kind,
        };
        match self.outbox.apply_local(&mut self.replica, op) {
            Ok(applied) => {
                self.notice = None;
                self.settle_form(form, Ok(()));
                self.replica_changed(&applied.changed);
                Command::all([render(), self.save_outbox(), self.sync()])
            }
            Err(e) => {
                self.settle_form(form, Err(Notice::Refused(e)));
                render()
            }
        }
    }

    /// The form an op comes from, if one is waiting for it: how it went is said there, beside
    /// what was typed, rather than in the notice banner.
    fn form_awaiting(&self, kind: &OpKind) -> Option<FormOf> {
        match kind {
            OpKind::CreateCustomer(_) | OpKind::UpdateCustomer { .. } => Some(FormOf::Customer),
            OpKind::CreateJob(new) => Some(FormOf::Job(new.id)),
            OpKind::CancelJob { job, .. } => Some(FormOf::Cancel(*job)),
            OpKind::RecordAbsence { .. } if self.absence.is_some() => Some(FormOf::Absence),
            k if Self::is_field_form_step(k) => Some(FormOf::Field),
            k => self.sales.awaiting(k).map(FormOf::Sales),
        }
    }

    /// Tells the form how its op went; a refusal no form is waiting for goes to the notice.
    fn settle_form(&mut self, form: Option<FormOf>, outcome: Result<(), Notice>) {
        let taken = match form {
            Some(FormOf::Customer) => self.customer_saved(outcome.clone()),
            Some(FormOf::Job(job)) => self.job_saved(job, outcome.clone()),
            Some(FormOf::Cancel(job)) => self.cancel_settled(job, outcome.clone()),
            Some(FormOf::Field) => self.field_form_saved(outcome.clone()),
            Some(FormOf::Absence) => self.absence_saved(outcome.clone()),
            Some(FormOf::Sales(f)) => self.sales.settled(f, outcome.clone()),
            None => false,
        };
        if let (false, Err(why)) = (taken, outcome) {
            self.notice = Some(why);
        }
    }
}

/// The forms that keep their draft until their op is applied.
#[derive(Clone, Copy, Debug)]
enum FormOf {
    Customer,
    Job(domain::ids::JobId),
    /// The reason typed for cancelling this job.
    Cancel(domain::ids::JobId),
    /// The technician's completion or follow-up form.
    Field,
    Sales(super::sales::forms::FormRef),
    /// A technician's days away, typed on the board.
    Absence,
}
