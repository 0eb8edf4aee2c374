//! The new-job form on the dispatcher's board: the draft as the core holds it, the choices
//! with their words, and why the last Create was refused.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use crate::model::job_form::{JobDraft, JobField};
use domain::jobs::{Priority, ServiceType};
use domain::ops::{Record, RecordKey};

/// Services in the order a dispatcher picks them most.
const SERVICES: [ServiceType; 6] = [
    ServiceType::Repair,
    ServiceType::EmergencyRepair,
    ServiceType::Tuning,
    ServiceType::Maintenance,
    ServiceType::Installation,
    ServiceType::Inspection,
];
const PRIORITIES: [Priority; 4] = [
    Priority::Normal,
    Priority::High,
    Priority::Urgent,
    Priority::Low,
];

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct NewJobView {
    /// As typed; the shell sends it back changed (`JobFormEvent::Edit`).
    pub draft: JobDraft,
    pub customer_name: Option<String>,
    pub services: Vec<ServiceChoice>,
    pub priorities: Vec<PriorityChoice>,
    /// The organization's skill catalogue, the draft's marked.
    pub skills: Vec<SkillChoice>,
    /// How many technicians at once: one, or a crew.
    pub crew_sizes: Vec<CrewChoice>,
    /// Why the last Create was refused; the draft above is still what was typed.
    pub error: Option<Word>,
    /// The field the error is about, when it is one.
    pub error_field: Option<JobField>,
    /// Sent, waiting to be applied on this device.
    pub saving: bool,
    /// Create may be pressed: a customer is chosen and nothing is being saved.
    pub can_create: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ServiceChoice {
    pub service: ServiceType,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PriorityChoice {
    pub priority: Priority,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CrewChoice {
    pub size: u8,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SkillChoice {
    pub code: String,
    pub name: Word,
    pub chosen: bool,
}

pub(super) fn view(model: &Model, ctx: &Ctx) -> NewJobView {
    let form = &model.job_form;
    let draft = &form.draft;
    let customer_name =
        draft
            .customer
            .map(|c| match model.replica.record(&RecordKey::Customer(c)) {
                Some(Record::Customer(c)) => c.name.clone(),
                _ => "—".to_owned(),
            });
    let skills = ctx
        .org
        .map(|o| {
            o.skills
                .iter()
                .map(|s| SkillChoice {
                    code: s.code.0.clone(),
                    name: Word::new(ctx.t.skill(s)),
                    chosen: draft.skills.contains(&s.code.0),
                })
                .collect()
        })
        .unwrap_or_default();
    NewJobView {
        draft: draft.clone(),
        customer_name,
        services: SERVICES
            .iter()
            .map(|&service| ServiceChoice {
                service,
                label: Word::new(ctx.t.service(service)),
            })
            .collect(),
        priorities: PRIORITIES
            .iter()
            .map(|&priority| PriorityChoice {
                priority,
                label: Word::new(ctx.t.priority(priority)),
            })
            .collect(),
        skills,
        crew_sizes: (1..=domain::jobs::MAX_CREW)
            .map(|size| CrewChoice {
                size,
                label: Word::new(ctx.t.crew_size(size)),
            })
            .collect(),
        error: form.error.as_ref().map(|e| super::notice(ctx.t, &e.notice)),
        error_field: form.error.as_ref().and_then(|e| e.field),
        saving: form.saving.is_some(),
        can_create: draft.customer.is_some() && form.saving.is_none(),
    }
}
