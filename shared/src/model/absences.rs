//! A technician's days away, recorded from the board, and the re-plan that follows: the
//! dispatcher marks someone sick for the day shown, and the plan panel opens with that
//! person's jobs given to others, ready to accept. One step, and nothing changes before the
//! dispatcher accepts.

use chrono::NaiveDate;
use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, Notice, commit};
use crate::effects::Effect;
use domain::ids::UserId;
use domain::ops::OpKind;
use domain::org::AbsenceKind;
use domain::words::Label;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum AbsenceEvent {
    /// Open the form for this technician, for the board's day.
    Open(UserId),
    Kind(AbsenceKind),
    /// The first and last day away, as a date input gives them (`2026-12-08`).
    From(String),
    To(String),
    /// Record it; once applied, the day shown is planned again without them.
    Save,
    Close,
    /// Back at work after all: takes back the absence covering the board's day.
    Back(UserId),
}

/// The absence being typed.
#[derive(Clone, Debug, PartialEq)]
pub struct AbsenceForm {
    pub technician: UserId,
    pub kind: AbsenceKind,
    pub from: String,
    pub to: String,
    pub error: Option<Notice>,
    /// Asked for and not yet applied.
    pub saving: bool,
}

pub fn update(model: &mut Model, event: AbsenceEvent) -> Command<Effect, Event> {
    let day = model.board_date().format("%Y-%m-%d").to_string();
    match event {
        AbsenceEvent::Open(technician) => {
            model.absence = Some(AbsenceForm {
                technician,
                kind: AbsenceKind::Sick,
                from: day.clone(),
                to: day,
                error: None,
                saving: false,
            });
            render()
        }
        AbsenceEvent::Kind(kind) => edit(model, |f| f.kind = kind),
        AbsenceEvent::From(from) => edit(model, |f| f.from = from),
        AbsenceEvent::To(to) => edit(model, |f| f.to = to),
        AbsenceEvent::Close => {
            model.absence = None;
            render()
        }
        AbsenceEvent::Save => {
            let Some(form) = model.absence.as_mut().filter(|f| !f.saving) else {
                return render();
            };
            let read = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
            let (Some(from), Some(to)) = (read(&form.from), read(&form.to)) else {
                form.error = Some(Label::AbsenceDaysUnread.into());
                return render();
            };
            form.saving = true;
            form.error = None;
            commit::request(OpKind::RecordAbsence {
                technician: form.technician,
                kind: form.kind,
                from,
                to,
            })
        }
        AbsenceEvent::Back(technician) => commit::request(OpKind::CancelAbsence {
            technician,
            day: model.board_date(),
        }),
    }
}

fn edit(model: &mut Model, change: impl FnOnce(&mut AbsenceForm)) -> Command<Effect, Event> {
    if let Some(f) = model.absence.as_mut() {
        change(f);
        f.error = None;
    }
    render()
}

impl Model {
    /// How recording the absence went: refused, the form says why and keeps what was typed;
    /// applied, it closes, and when the board's day is among the days away, the day is
    /// planned again without the technician (a proposal, for the dispatcher to accept).
    pub(super) fn absence_saved(&mut self, outcome: Result<(), Notice>) -> bool {
        let day = self.board_date();
        let Some(form) = self.absence.as_mut() else {
            return false;
        };
        form.saving = false;
        if let Err(why) = outcome {
            form.error = Some(why);
            return true;
        }
        let read = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let covers = matches!((read(&form.from), read(&form.to)), (Some(a), Some(b)) if a <= day && day <= b);
        self.absence = None;
        if covers {
            super::dispatch_board::replan(self);
        }
        true
    }
}

#[cfg(test)]
mod tests;
