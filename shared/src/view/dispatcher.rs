//! The dispatcher's board: the unassigned queue by SLA deadline, each technician's day,
//! and the alerts that need a decision.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::format::Ctx;
use super::sales::{FollowUpCard, my_follow_ups};
use super::technician::{JobCard, card};
use crate::ids::{JobId, UserId};
use crate::jobs::{Job, JobStatus};
use crate::model::Model;
use crate::ops::Record;
use crate::org::{Role, User};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum DispatcherScreen {
    Board(BoardView),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BoardView {
    /// Most urgent (earliest SLA deadline) first.
    pub unassigned: Vec<JobCard>,
    pub technicians: Vec<TechnicianDay>,
    pub alerts: Vec<Alert>,
    pub dispatch: super::suggest::DispatchPanel,
    /// The manager's own follow-ups due by the end of today (escalations first).
    pub follow_ups: Vec<FollowUpCard>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TechnicianDay {
    pub id: UserId,
    pub name: String,
    pub skills: Vec<String>,
    pub jobs: Vec<JobCard>,
    pub planned_minutes: u32,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    pub message: String,
    pub job: Option<JobId>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum AlertKind {
    SlaBreached,
    SlaAtRisk,
    Backlog,
}

pub(super) fn screen(model: &Model, ctx: &Ctx) -> DispatcherScreen {
    let Some(me) = model.user() else {
        return DispatcherScreen::Board(BoardView {
            unassigned: vec![],
            technicians: vec![],
            alerts: vec![],
            dispatch: Default::default(),
            follow_ups: vec![],
        });
    };
    let visible = |j: &&Job| me.manages_store(j.store);
    let mut queue: Vec<&Job> = model
        .replica
        .jobs()
        .filter(visible)
        .filter(|j| j.technician.is_none() && j.is_open())
        .collect();
    queue.sort_by_key(|j| (j.sla_deadline, std::cmp::Reverse(j.priority), j.id));
    let unassigned: Vec<JobCard> = queue.iter().map(|j| card(model, ctx, j, None)).collect();

    let today = ctx.today();
    let techs: Vec<&User> = model
        .replica
        .users()
        .filter(|u| u.has(Role::Technician) && u.stores.iter().any(|s| me.manages_store(*s)))
        .collect();
    let technicians = techs
        .iter()
        .map(|t| {
            let mut jobs: Vec<&Job> = model
                .replica
                .jobs()
                .filter(|j| {
                    j.technician == Some(t.id)
                        && j.is_open()
                        && j.status != JobStatus::NeedsFollowUp
                })
                .filter(|j| {
                    j.planned_start
                        .or(j.windows.first().map(|w| w.start))
                        .is_none_or(|s| ctx.local_date(s) <= today)
                })
                .collect();
            jobs.sort_by_key(|j| (j.planned_start.or(j.windows.first().map(|w| w.start)), j.id));
            let skills = match model
                .replica
                .record(&crate::ops::RecordKey::Technician(t.id))
            {
                Some(Record::Technician(p)) => p.skills.iter().map(|s| s.0.clone()).collect(),
                _ => Vec::new(),
            };
            TechnicianDay {
                id: t.id,
                name: t.name.clone(),
                skills,
                planned_minutes: jobs.iter().map(|j| j.estimated_minutes).sum(),
                jobs: jobs.iter().map(|j| card(model, ctx, j, None)).collect(),
            }
        })
        .collect();

    let mut alerts = Vec::new();
    for j in model.replica.jobs().filter(visible).filter(|j| j.is_open()) {
        let left = (j.sla_deadline - ctx.now).num_minutes();
        if left < 0 {
            alerts.push(Alert {
                kind: AlertKind::SlaBreached,
                message: format!("{} is past its SLA deadline", j.number()),
                job: Some(j.id),
            });
        } else if left < ctx.sla_risk_minutes() && j.status != JobStatus::OnSite {
            alerts.push(Alert {
                kind: AlertKind::SlaAtRisk,
                message: format!("{} must be done within {} min", j.number(), left),
                job: Some(j.id),
            });
        }
    }
    let threshold = ctx.org.map_or(25, |o| o.settings.backlog_alert_threshold) as usize;
    if unassigned.len() > threshold {
        alerts.insert(
            0,
            Alert {
                kind: AlertKind::Backlog,
                message: format!(
                    "{} jobs are waiting to be assigned (alert above {threshold})",
                    unassigned.len()
                ),
                job: None,
            },
        );
    }
    let (mut follow_ups, today, _) = my_follow_ups(model, ctx, me.id);
    follow_ups.extend(today);
    DispatcherScreen::Board(BoardView {
        unassigned,
        technicians,
        alerts,
        dispatch: super::suggest::panel(model, ctx),
        follow_ups,
    })
}
