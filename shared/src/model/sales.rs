//! What a sales rep does between visits: log a call, plan the next follow-up, move a lead.
//!
//! The lead's form and each follow-up card's fields are kept here as typed ([`forms`]): the
//! core reads the amounts and times in them, says on the form what is wrong, and clears a
//! field only once its change is applied, so a refusal never loses what the rep typed.

pub mod forms;
pub mod typed;

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, Notice, commit};
use crate::effects::Effect;
use domain::followups::{Reason, Subject};
use domain::ids::{CustomerId, FollowUpId, InteractionId, LeadId, UserId};
use domain::leads::{InteractionKind, Stage};
use domain::ops::{NewFollowUp, NewInteraction, OpError, OpKind, Record, RecordKey};
use domain::words::Label;

pub use forms::{BacklogSort, CardDraft, CardField, LeadDraft, LeadField, SalesState};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum SalesEvent {
    OpenLead(LeadId),
    CloseLead,
    /// A field of the open lead's form as it is now, sent as the rep types.
    TypeOnLead {
        field: LeadField,
        value: String,
    },
    /// Log the form's "what happened" as a call or a visit on the open lead.
    LogOnLead(InteractionKind),
    /// Move the open lead to a stage the view offers (`LeadDetailView::next_stages`): to Won
    /// with the form's won value, to Lost with its lost reason.
    MoveOpenLead(Stage),
    /// Plan the open lead's next follow-up at the form's due time, with its note.
    ScheduleOnLead,
    /// A field of a follow-up card as it is now.
    TypeOnCard {
        id: FollowUpId,
        field: CardField,
        value: String,
    },
    /// Log the card's "what happened" as a call or a visit, about its lead or customer.
    LogOnCard {
        id: FollowUpId,
        kind: InteractionKind,
    },
    /// Move the card's follow-up to the due time typed on it.
    RescheduleCard(FollowUpId),
    // The same changes with their values given, for shells without forms.
    LogInteraction {
        lead: Option<LeadId>,
        customer: Option<CustomerId>,
        kind: InteractionKind,
        outcome: String,
    },
    /// Plan (or move) the next follow-up on a lead; times are Unix milliseconds.
    ScheduleFollowUp {
        lead: LeadId,
        due_ms: i64,
        note: String,
    },
    MoveLead {
        lead: LeadId,
        to: Stage,
        lost_reason: Option<String>,
        /// Minor units.
        won_value: Option<i64>,
    },
    CompleteFollowUp(FollowUpId),
    SnoozeFollowUp {
        id: FollowUpId,
        until_ms: i64,
    },
    /// A page of the backlog (what the day cannot hold), from 0.
    BacklogPage(u32),
    BacklogSort(BacklogSort),
    /// Hands a follow-up on to a colleague of the store (`FollowUpsView::backlog`'s
    /// `hand_to`), from the rep's day or backlog.
    HandOut {
        id: FollowUpId,
        to: UserId,
    },
}

pub fn update(model: &mut Model, event: SalesEvent) -> Command<Effect, Event> {
    match event {
        SalesEvent::BacklogPage(page) => {
            model.sales.backlog_page = page;
            render()
        }
        SalesEvent::BacklogSort(sort) => {
            model.sales.backlog_sort = sort;
            model.sales.backlog_page = 0;
            render()
        }
        SalesEvent::HandOut { id, to } => model.sales.card(id).wait(OpKind::ReassignFollowUp {
            follow_up: id,
            owner: to,
        }),
        SalesEvent::OpenLead(lead) => {
            if let Some(ui) = model.ui_mut() {
                ui.lead = Some(lead);
            }
            model.sales.open(lead);
            render()
        }
        SalesEvent::CloseLead => {
            if let Some(ui) = model.ui_mut() {
                ui.lead = None;
            }
            render()
        }
        SalesEvent::TypeOnLead { field, value } => {
            if let Some(form) = model.sales.lead_form(model.open_lead()) {
                form.draft.set(field, value);
            }
            render()
        }
        SalesEvent::LogOnLead(kind) => {
            let Some(form) = model.sales.lead_form(model.open_lead()) else {
                return Command::done();
            };
            let op = OpKind::LogInteraction(NewInteraction {
                id: InteractionId::new(),
                kind,
                outcome: form.draft.outcome.clone(),
                customer: None,
                lead: Some(form.lead),
                job: None,
            });
            form.wait(op)
        }
        SalesEvent::MoveOpenLead(to) => move_open_lead(model, to),
        SalesEvent::ScheduleOnLead => schedule_on_lead(model),
        SalesEvent::TypeOnCard { id, field, value } => {
            model.sales.card(id).draft.set(field, value);
            let open: Vec<FollowUpId> = model
                .replica
                .follow_ups()
                .filter(|f| f.is_open())
                .map(|f| f.id)
                .collect();
            model.sales.forget_cards_but(&open);
            render()
        }
        SalesEvent::LogOnCard { id, kind } => log_on_card(model, id, kind),
        SalesEvent::RescheduleCard(id) => {
            let Some(Record::FollowUp(f)) = model.replica.record(&RecordKey::FollowUp(id)) else {
                return Command::done();
            };
            let tz = model.zone_of(f.store);
            let card = model.sales.card(id);
            match typed::local_time(&card.draft.due, tz) {
                Ok(due_at) => card.wait(OpKind::RescheduleFollowUp {
                    follow_up: id,
                    due_at,
                }),
                Err(why) => card.refuse(why.into()),
            }
        }
        SalesEvent::LogInteraction {
            lead,
            customer,
            kind,
            outcome,
        } => commit::request(OpKind::LogInteraction(NewInteraction {
            id: InteractionId::new(),
            kind,
            outcome,
            customer,
            lead,
            job: None,
        })),
        SalesEvent::ScheduleFollowUp { lead, due_ms, note } => {
            let Some(due_at) = from_ms(due_ms) else {
                return invalid_time(model);
            };
            commit::request(model.plan_follow_up(lead, due_at, note))
        }
        SalesEvent::MoveLead {
            lead,
            to,
            lost_reason,
            won_value,
        } => commit::request(OpKind::MoveLead {
            lead,
            to,
            lost_reason,
            won_value,
        }),
        SalesEvent::CompleteFollowUp(follow_up) => {
            commit::request(OpKind::CompleteFollowUp { follow_up })
        }
        SalesEvent::SnoozeFollowUp { id, until_ms } => match from_ms(until_ms) {
            Some(until) => commit::request(OpKind::SnoozeFollowUp {
                follow_up: id,
                until,
            }),
            None => invalid_time(model),
        },
    }
}

/// Checks what the pipeline and the form allow before asking for the move, so that what is
/// wrong is said beside the field that needs it.
fn move_open_lead(model: &mut Model, to: Stage) -> Command<Effect, Event> {
    let currency = model.org_settings().currency;
    let lead = model
        .open_lead()
        .and_then(|id| match model.replica.record(&RecordKey::Lead(id)) {
            Some(Record::Lead(l)) => Some(l.clone()),
            _ => None,
        });
    let (Some(lead), Some(form)) = (lead, model.sales.lead_form(model.open_lead())) else {
        return Command::done();
    };
    if !lead.stage.can_move_to(to) {
        return form.refuse(Notice::Refused(OpError::Stage {
            from: lead.stage,
            to,
        }));
    }
    let lost_reason = form.draft.lost_reason.trim().to_owned();
    let (lost_reason, won_value) = match to {
        Stage::Lost if lost_reason.is_empty() => return form.refuse(Label::SayWhyLost.into()),
        Stage::Lost => (Some(lost_reason), None),
        Stage::Won => match typed::amount(&form.draft.won_value, &currency) {
            Ok(v) => (None, Some(v)),
            Err(why) => return form.refuse(why.into()),
        },
        _ => (None, None),
    };
    form.wait(OpKind::MoveLead {
        lead: lead.id,
        to,
        lost_reason,
        won_value,
    })
}

fn schedule_on_lead(model: &mut Model) -> Command<Effect, Event> {
    let store = model
        .open_lead()
        .and_then(|id| match model.replica.record(&RecordKey::Lead(id)) {
            Some(Record::Lead(l)) => Some(l.store),
            _ => None,
        });
    let (Some(store), Some(lead)) = (store, model.open_lead()) else {
        return Command::done();
    };
    let tz = model.zone_of(store);
    let Some(draft) = model.sales.lead_form(Some(lead)).map(|f| f.draft.clone()) else {
        return Command::done();
    };
    match typed::local_time(&draft.due, tz) {
        Ok(due_at) => {
            let op = model.plan_follow_up(lead, due_at, draft.note);
            match model.sales.lead_form(Some(lead)) {
                Some(form) => form.wait(op),
                None => Command::done(),
            }
        }
        Err(why) => match model.sales.lead_form(Some(lead)) {
            Some(form) => form.refuse(why.into()),
            None => Command::done(),
        },
    }
}

fn log_on_card(model: &mut Model, id: FollowUpId, kind: InteractionKind) -> Command<Effect, Event> {
    let Some(Record::FollowUp(f)) = model.replica.record(&RecordKey::FollowUp(id)) else {
        return Command::done();
    };
    // What the follow-up is about decides what the call is filed under.
    let (lead, customer) = match f.subject {
        Subject::Lead(l) => (Some(l), None),
        Subject::Customer(c) => (None, Some(c)),
        Subject::Job(j) => match model.replica.record(&RecordKey::Job(j)) {
            Some(Record::Job(j)) => (None, Some(j.customer)),
            _ => (None, None),
        },
    };
    let card = model.sales.card(id);
    let op = OpKind::LogInteraction(NewInteraction {
        id: InteractionId::new(),
        kind,
        outcome: card.draft.outcome.clone(),
        customer,
        lead,
        job: None,
    });
    card.wait(op)
}

impl Model {
    /// One open manual follow-up per lead: a new plan moves it rather than stacking another.
    fn plan_follow_up(&self, lead: LeadId, due_at: DateTime<Utc>, note: String) -> OpKind {
        let open = self.replica.follow_ups().find(|f| {
            f.subject == Subject::Lead(lead) && f.reason == Reason::Manual && f.is_open()
        });
        match open {
            Some(f) => OpKind::RescheduleFollowUp {
                follow_up: f.id,
                due_at,
            },
            None => OpKind::CreateFollowUp(NewFollowUp {
                id: FollowUpId::new(),
                subject: Subject::Lead(lead),
                due_at,
                reason: Reason::Manual,
                owner: None,
                note,
                why: None,
            }),
        }
    }

    /// The settings of the person's organization (the defaults before it has synced).
    pub(crate) fn org_settings(&self) -> domain::org::OrgSettings {
        self.user()
            .and_then(|u| match self.replica.record(&RecordKey::Org(u.org)) {
                Some(Record::Org(o)) => Some(o.settings.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// A store's time zone; UTC for a store not on the device.
    pub(crate) fn zone_of(&self, store: domain::ids::StoreId) -> chrono_tz::Tz {
        match self.replica.record(&RecordKey::Store(store)) {
            Some(Record::Store(s)) => s.time_zone,
            _ => chrono_tz::Tz::UTC,
        }
    }
}

pub(super) fn from_ms(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(ms)
}

pub(super) fn invalid_time(model: &mut Model) -> Command<Effect, Event> {
    model.notice = Some(Label::BadDateTime.into());
    render()
}

#[cfg(test)]
mod tests;
