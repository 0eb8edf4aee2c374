//! The rep's forms as typed: the open lead's (what happened, lost reason, won value, next
//! follow-up) and each follow-up card's (what happened, a new due time).
//!
//! A form that asked for a change waits for it ([`Form::wait`]); [`Model::commit`] tells
//! [`SalesState::settled`] how it went. Only an applied change clears the fields it used; a
//! refusal is kept beside the fields, which keep what was typed.
//!
//! [`Model::commit`]: crate::model::Model

use std::collections::BTreeMap;

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::super::{Event, Notice, commit};
use crate::effects::Effect;
use domain::ids::{FollowUpId, LeadId};
use domain::ops::OpKind;

/// The lead form's fields, as typed.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct LeadDraft {
    /// What happened on the call or visit to log.
    pub outcome: String,
    pub lost_reason: String,
    /// In major units, as typed ("12,800").
    pub won_value: String,
    /// The next follow-up, local to the lead's store: `YYYY-MM-DDTHH:MM`, as a date-time
    /// field gives it.
    pub due: String,
    pub note: String,
}

/// A follow-up card's fields, as typed.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct CardDraft {
    pub outcome: String,
    /// A new due time, local to the follow-up's store: `YYYY-MM-DDTHH:MM`.
    pub due: String,
}

/// A field of the lead's form. Shells send one field as it is typed, never the whole form:
/// a form rebuilt from a view a frame old would undo what was typed in another field since.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum LeadField {
    Outcome,
    LostReason,
    WonValue,
    Due,
    Note,
}

impl LeadDraft {
    pub fn set(&mut self, field: LeadField, value: String) {
        *match field {
            LeadField::Outcome => &mut self.outcome,
            LeadField::LostReason => &mut self.lost_reason,
            LeadField::WonValue => &mut self.won_value,
            LeadField::Due => &mut self.due,
            LeadField::Note => &mut self.note,
        } = value;
    }
}

/// A field of a follow-up card (see [`LeadField`]).
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum CardField {
    Outcome,
    Due,
}

impl CardDraft {
    pub fn set(&mut self, field: CardField, value: String) {
        *match field {
            CardField::Outcome => &mut self.outcome,
            CardField::Due => &mut self.due,
        } = value;
    }
}

/// Fields, the change they asked for, and why it was refused.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form<D> {
    pub draft: D,
    /// Asked for and not yet applied.
    pub waiting: Option<OpKind>,
    /// Why the last change was refused; cleared by the next attempt.
    pub error: Option<Notice>,
}

impl<D> Form<D> {
    /// Asks for the change; the form learns how it went in [`SalesState::settled`].
    pub fn wait(&mut self, op: OpKind) -> Command<Effect, Event> {
        self.waiting = Some(op.clone());
        self.error = None;
        commit::request(op)
    }

    /// Says on the form why nothing was asked for.
    pub fn refuse(&mut self, why: Notice) -> Command<Effect, Event> {
        self.waiting = None;
        self.error = Some(why);
        render()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeadForm {
    pub lead: LeadId,
    pub form: Form<LeadDraft>,
}

impl std::ops::Deref for LeadForm {
    type Target = Form<LeadDraft>;

    fn deref(&self) -> &Self::Target {
        &self.form
    }
}

impl std::ops::DerefMut for LeadForm {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.form
    }
}

/// Which form asked for a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormRef {
    Lead,
    Card(FollowUpId),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SalesState {
    /// The form of the lead last opened; kept when the lead is closed and opened again.
    pub lead: Option<LeadForm>,
    /// Cards with something typed or refused.
    pub cards: BTreeMap<FollowUpId, Form<CardDraft>>,
    /// The backlog's page and order: what the day cannot hold (`view::sales::BacklogView`).
    pub backlog_page: u32,
    pub backlog_sort: BacklogSort,
}

/// How the backlog is ordered: as the day ranks (urgency, then waiting longest, then value),
/// oldest first, or most valuable first.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub enum BacklogSort {
    #[default]
    Urgency,
    Oldest,
    Value,
}

impl SalesState {
    /// Opening another lead starts a blank form.
    pub fn open(&mut self, lead: LeadId) {
        if self.lead.as_ref().is_none_or(|f| f.lead != lead) {
            self.lead = Some(LeadForm {
                lead,
                form: Form::default(),
            });
        }
    }

    /// The form of the lead on screen.
    pub fn lead_form(&mut self, shown: Option<LeadId>) -> Option<&mut LeadForm> {
        self.lead.as_mut().filter(|f| Some(f.lead) == shown)
    }

    pub fn card(&mut self, id: FollowUpId) -> &mut Form<CardDraft> {
        self.cards.entry(id).or_default()
    }

    /// Drops the cards of follow-ups that are no longer open.
    pub fn forget_cards_but(&mut self, open: &[FollowUpId]) {
        self.cards.retain(|id, _| open.contains(id));
    }

    /// The form waiting for this change, if any.
    #[must_use]
    pub fn awaiting(&self, kind: &OpKind) -> Option<FormRef> {
        if self
            .lead
            .as_ref()
            .is_some_and(|f| f.waiting.as_ref() == Some(kind))
        {
            return Some(FormRef::Lead);
        }
        self.cards
            .iter()
            .find(|(_, f)| f.waiting.as_ref() == Some(kind))
            .map(|(id, _)| FormRef::Card(*id))
    }

    /// How the change a form asked for went: applied, it clears the fields it used;
    /// refused, the form says why and keeps them. `false`: the form is gone.
    pub fn settled(&mut self, form: FormRef, outcome: Result<(), Notice>) -> bool {
        match form {
            FormRef::Lead => {
                let Some(f) = self.lead.as_mut() else {
                    return false;
                };
                {
                    let done = f.waiting.take();
                    match (outcome, done) {
                        (Err(why), _) => f.error = Some(why),
                        (Ok(()), Some(OpKind::LogInteraction(_))) => f.draft.outcome.clear(),
                        (Ok(()), Some(OpKind::MoveLead { .. })) => {
                            f.draft.lost_reason.clear();
                            f.draft.won_value.clear();
                        }
                        (Ok(()), Some(_)) => {
                            f.draft.due.clear();
                            f.draft.note.clear();
                        }
                        (Ok(()), None) => {}
                    }
                }
            }
            FormRef::Card(id) => {
                let Some(f) = self.cards.get_mut(&id) else {
                    return false;
                };
                {
                    let done = f.waiting.take();
                    match (outcome, done) {
                        (Err(why), _) => f.error = Some(why),
                        (Ok(()), Some(OpKind::LogInteraction(_))) => f.draft.outcome.clear(),
                        (Ok(()), _) => f.draft.due.clear(),
                    }
                }
            }
        }
        true
    }
}
