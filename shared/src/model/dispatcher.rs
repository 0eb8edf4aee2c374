//! What a dispatcher does at the board: take in a job, assign it, take it back, cancel it.

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::sales::{from_ms, invalid_time};
use super::{Event, Model, commit};
use crate::effects::Effect;
use domain::ids::{CustomerId, JobId, UserId};
use domain::jobs::{Priority, ServiceType, TimeWindow};
use domain::ops::{NewJob, OpKind};
use domain::org::SkillCode;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum DispatcherEvent {
    CreateJob {
        customer: CustomerId,
        service_type: ServiceType,
        priority: Priority,
        description: String,
        estimated_minutes: u32,
        required_skills: Vec<String>,
        /// The customer's window as Unix milliseconds, if they gave one.
        window_start_ms: Option<i64>,
        window_end_ms: Option<i64>,
    },
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
        DispatcherEvent::CreateJob {
            customer,
            service_type,
            priority,
            description,
            estimated_minutes,
            required_skills,
            window_start_ms,
            window_end_ms,
        } => {
            let windows = match (window_start_ms, window_end_ms) {
                (Some(s), Some(e)) => match (from_ms(s), from_ms(e)) {
                    (Some(start), Some(end)) => vec![TimeWindow { start, end }],
                    _ => return invalid_time(model),
                },
                (None, None) => Vec::new(),
                _ => {
                    model.notice = Some(domain::words::Label::WindowBothEnds.into());
                    return render();
                }
            };
            commit::request(OpKind::CreateJob(NewJob {
                id: JobId::new(),
                customer,
                asset: None,
                service_address: None,
                service_type,
                description,
                required_skills: required_skills.into_iter().map(SkillCode).collect(),
                estimated_minutes,
                priority,
                windows,
            }))
        }
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
