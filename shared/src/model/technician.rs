//! What a technician does on a house call: open a job, set off, arrive, finish.

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, commit};
use crate::effects::Effect;
use domain::ids::JobId;
use domain::jobs::{Completion, FollowUpKind, FollowUpNeed};
use domain::ops::OpKind;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum TechnicianEvent {
    OpenJob(JobId),
    CloseJob,
    StartTravel(JobId),
    Arrive(JobId),
    Complete {
        job: JobId,
        completion: Completion,
    },
    NeedFollowUp {
        job: JobId,
        kind: FollowUpKind,
        reason: String,
    },
}

pub fn update(model: &mut Model, event: TechnicianEvent) -> Command<Effect, Event> {
    match event {
        TechnicianEvent::OpenJob(job) => {
            model.ui.job = Some(job);
            render()
        }
        TechnicianEvent::CloseJob => {
            model.ui.job = None;
            render()
        }
        TechnicianEvent::StartTravel(job) => commit::request(OpKind::StartTravel { job }),
        TechnicianEvent::Arrive(job) => commit::request(OpKind::Arrive { job }),
        TechnicianEvent::Complete { job, completion } => {
            commit::request(OpKind::CompleteJob { job, completion })
        }
        TechnicianEvent::NeedFollowUp { job, kind, reason } => {
            commit::request(OpKind::NeedFollowUp {
                job,
                need: FollowUpNeed { kind, reason },
            })
        }
    }
}
