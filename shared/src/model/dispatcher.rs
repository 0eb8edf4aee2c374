//! What a dispatcher does at the board: take in a job, assign it, take it back, cancel it.

use crux_core::Command;
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, commit};
use crate::effects::Effect;
use domain::ids::{JobId, UserId};
use domain::ops::OpKind;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum DispatcherEvent {
    /// The new-job form (see `job_form`).
    JobForm(super::job_form::JobFormEvent),
    Assign {
        job: JobId,
        technician: UserId,
    },
    Unassign(JobId),
    Cancel {
        job: JobId,
        reason: String,
    },
    /// Rank technicians for a job, with reasons (see `dispatch_board`).
    Suggest(JobId),
    Plan(super::dispatch_board::PlanEvent),
}

pub fn update(model: &mut Model, event: DispatcherEvent) -> Command<Effect, Event> {
    match event {
        DispatcherEvent::JobForm(e) => super::job_form::update(model, e),
        DispatcherEvent::Assign { job, technician } => {
            // Assigning the job the panel was about answers its question: close it.
            if model
                .dispatch
                .suggestion
                .as_ref()
                .is_some_and(|s| s.job == job)
            {
                model.dispatch = super::dispatch_board::DispatchBoard::default();
            }
            commit::request(OpKind::AssignJob {
                job,
                technician,
                planned_start: None,
            })
        }
        DispatcherEvent::Unassign(job) => commit::request(OpKind::UnassignJob { job }),
        DispatcherEvent::Cancel { job, reason } => {
            commit::request(OpKind::CancelJob { job, reason })
        }
        DispatcherEvent::Suggest(job) => super::dispatch_board::suggest(model, job),
        DispatcherEvent::Plan(e) => super::dispatch_board::update(model, e),
    }
}
