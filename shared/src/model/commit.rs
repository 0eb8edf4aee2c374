//! The one path every change takes, readable top to bottom:
//! a role event names an [`OpKind`] -> [`request`] stamps it with the time and place ->
//! [`Model::commit`] makes the [`Op`], applies it locally with [`domain::ops::apply`] (through
//! the outbox, which keeps it for the server), persists the outbox, and starts a sync.

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};

use super::{Event, Internal, Model, storage};
use crate::effects::{Effect, location};
use domain::ids::OpId;
use domain::ops::{Op, OpKind};
use domain::places::LatLng;

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
        let from_form = matches!(
            kind,
            OpKind::CreateCustomer(_) | OpKind::UpdateCustomer { .. }
        );
        let sales_form = self.sales.awaiting(&kind);
        let Some(actor) = self.user().map(|u| u.id) else {
            let why = super::Notice::Said(domain::words::Label::SignInToChange);
            if from_form {
                self.customer_saved(Err(why));
            } else if let Some(form) = sales_form {
                self.sales.settled(form, Err(why));
            } else {
                self.notice = Some(why);
            }
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
                if from_form {
                    self.customer_saved(Ok(()));
                }
                if let Some(form) = sales_form {
                    self.sales.settled(form, Ok(()));
                }
                self.replica_changed(&applied.changed);
                Command::all([render(), storage::save_outbox(&self.outbox), self.sync()])
            }
            Err(e) => {
                if from_form {
                    // Said on the form, beside what was typed.
                    self.customer_saved(Err(super::Notice::Refused(e)));
                } else if let Some(form) = sales_form {
                    self.sales.settled(form, Err(super::Notice::Refused(e)));
                } else {
                    self.notice = Some(super::Notice::Refused(e));
                }
                render()
            }
        }
    }
}
