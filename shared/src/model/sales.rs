//! What a sales rep does between visits: log a call, plan the next follow-up, move a lead.

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, commit};
use crate::effects::Effect;
use domain::followups::{Reason, Subject};
use domain::ids::{CustomerId, FollowUpId, InteractionId, LeadId};
use domain::leads::{InteractionKind, Stage};
use domain::ops::{NewFollowUp, NewInteraction, OpKind};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum SalesEvent {
    OpenLead(LeadId),
    CloseLead,
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
        won_value: Option<i64>,
    },
    CompleteFollowUp(FollowUpId),
    SnoozeFollowUp {
        id: FollowUpId,
        until_ms: i64,
    },
}

pub fn update(model: &mut Model, event: SalesEvent) -> Command<Effect, Event> {
    match event {
        SalesEvent::OpenLead(lead) => {
            model.ui.lead = Some(lead);
            render()
        }
        SalesEvent::CloseLead => {
            model.ui.lead = None;
            render()
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
            // One open manual follow-up per lead: move it rather than stacking another.
            let open = model.replica.follow_ups().find(|f| {
                f.subject == Subject::Lead(lead) && f.reason == Reason::Manual && f.is_open()
            });
            match open {
                Some(f) => commit::request(OpKind::RescheduleFollowUp {
                    follow_up: f.id,
                    due_at,
                }),
                None => commit::request(OpKind::CreateFollowUp(NewFollowUp {
                    id: FollowUpId::new(),
                    subject: Subject::Lead(lead),
                    due_at,
                    reason: Reason::Manual,
                    owner: None,
                    note,
                })),
            }
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

pub(super) fn from_ms(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(ms)
}

pub(super) fn invalid_time(model: &mut Model) -> Command<Effect, Event> {
    model.notice = Some(domain::words::Label::BadDateTime.into());
    render()
}
