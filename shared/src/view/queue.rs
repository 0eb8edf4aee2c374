//! The queue's filter as the board shows it: the choices with their words, and the queue
//! filtered and sorted by it (`model::queue`).

use std::cmp::Reverse;

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use super::job_form::{PriorityChoice, ServiceChoice};
use crate::model::Model;
use crate::model::queue::{QueueFilter, QueueSort};
use domain::ids::StoreId;
use domain::jobs::{Job, JobStatus, Priority, ServiceType};
use domain::ops::Record;
use domain::org::User;
use domain::words::Label;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct QueueView {
    /// As set; the shell sends it back changed (`DispatcherEvent::Queue`).
    pub filter: QueueFilter,
    /// "12 of 40 waiting".
    pub count: Word,
    pub stores: Vec<StoreChoice>,
    pub services: Vec<ServiceChoice>,
    pub priorities: Vec<PriorityChoice>,
    /// The catalogue's skills (code and name).
    pub skills: Vec<SkillOption>,
    pub sorts: Vec<SortChoice>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StoreChoice {
    pub store: StoreId,
    pub name: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SkillOption {
    pub code: String,
    pub name: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SortChoice {
    pub sort: QueueSort,
    pub label: Word,
}

const SERVICES: [ServiceType; 6] = [
    ServiceType::Repair,
    ServiceType::EmergencyRepair,
    ServiceType::Tuning,
    ServiceType::Maintenance,
    ServiceType::Installation,
    ServiceType::Inspection,
];
const PRIORITIES: [Priority; 4] = [
    Priority::Urgent,
    Priority::High,
    Priority::Normal,
    Priority::Low,
];

/// The jobs waiting for a technician in the dispatcher's stores, filtered and sorted as they
/// asked, and how many wait in all.
pub(crate) fn waiting<'a>(model: &'a Model, ctx: &Ctx, me: &User) -> (Vec<&'a Job>, usize) {
    let f = &model.queue;
    let all: Vec<&Job> = model
        .replica
        .jobs()
        .filter(|j| me.manages_store(j.store) && j.technician.is_none() && j.is_open())
        .collect();
    let total = all.len();
    let at_risk = |j: &Job| {
        (j.sla_deadline - ctx.now).num_minutes() < ctx.sla_risk_minutes()
            && j.status != JobStatus::OnSite
    };
    let mut shown: Vec<&Job> = all
        .into_iter()
        .filter(|j| f.store.is_none_or(|s| j.store == s))
        .filter(|j| f.service.is_none_or(|s| j.service_type == s))
        .filter(|j| f.priority.is_none_or(|p| j.priority == p))
        .filter(|j| !f.at_risk || at_risk(j))
        .filter(|j| {
            f.skill
                .as_ref()
                .is_none_or(|k| j.required_skills.iter().any(|s| &s.0 == k))
        })
        .collect();
    let store_name = |id: StoreId| match model.replica.record(&domain::ops::RecordKey::Store(id)) {
        Some(Record::Store(s)) => s.name.clone(),
        _ => String::new(),
    };
    match f.sort {
        QueueSort::Sla => shown.sort_by_key(|j| (j.sla_deadline, Reverse(j.priority), j.id)),
        QueueSort::Priority => shown.sort_by_key(|j| (Reverse(j.priority), j.sla_deadline, j.id)),
        QueueSort::Service => shown.sort_by_key(|j| (j.service_type, j.sla_deadline, j.id)),
        QueueSort::Store => {
            shown.sort_by_cached_key(|j| (store_name(j.store), j.sla_deadline, j.id));
        }
        QueueSort::Waiting => shown.sort_by_key(|j| (j.created_at, j.id)),
    }
    (shown, total)
}

pub(super) fn view(model: &Model, ctx: &Ctx, me: &User, shown: usize, total: usize) -> QueueView {
    let t = ctx.t;
    let stores = me
        .stores
        .iter()
        .filter_map(
            |s| match model.replica.record(&domain::ops::RecordKey::Store(*s)) {
                Some(Record::Store(st)) => Some(StoreChoice {
                    store: st.id,
                    name: st.name.clone(),
                }),
                _ => None,
            },
        )
        .collect();
    let skills = ctx.org.map_or_else(Vec::new, |o| {
        o.skills
            .iter()
            .map(|s| SkillOption {
                code: s.code.0.clone(),
                name: Word::new(t.skill(s)),
            })
            .collect()
    });
    QueueView {
        filter: model.queue.clone(),
        count: Word::new(t.waiting_shown(shown, total)),
        stores,
        services: SERVICES
            .iter()
            .map(|s| ServiceChoice {
                service: *s,
                label: Word::new(t.service(*s)),
            })
            .collect(),
        priorities: PRIORITIES
            .iter()
            .map(|p| PriorityChoice {
                priority: *p,
                label: Word::new(t.priority(*p)),
            })
            .collect(),
        skills,
        sorts: QueueSort::ALL
            .iter()
            .map(|s| SortChoice {
                sort: *s,
                label: Word::label(
                    t,
                    match s {
                        QueueSort::Sla => Label::SortBySla,
                        QueueSort::Priority => Label::SortByPriority,
                        QueueSort::Service => Label::SortByService,
                        QueueSort::Store => Label::SortByStore,
                        QueueSort::Waiting => Label::SortByWaiting,
                    },
                ),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fake_shell::drive;
    use crate::model::tests::{signed_in, t0};
    use crate::model::{DispatcherEvent, Event};
    use crate::view::{BoardView, DispatcherScreen, Screen, ViewModel};

    fn board(model: &Model) -> BoardView {
        match ViewModel::from(model).screen {
            Screen::Dispatcher(DispatcherScreen::Board(b)) => b,
            other => panic!("not the board: {other:?}"),
        }
    }

    fn set(model: &mut Model, filter: QueueFilter) -> BoardView {
        drive(
            model,
            Event::Dispatcher(DispatcherEvent::Queue(filter)),
            t0(),
        );
        board(model)
    }

    /// Issue 14: "the queue has no filter and no sort". Each filter keeps exactly the jobs
    /// that match it, each sort orders by its key, and the count says how many are hidden.
    #[test]
    fn the_queue_filters_and_sorts_as_the_dispatcher_asks() {
        let mut model = signed_in(|m| {
            m.users()
                .find(|u| u.has(domain::org::Role::Dispatcher) && !u.has(domain::org::Role::Admin))
                .unwrap()
                .id
        });
        let all = board(&model);
        let total = all.unassigned.len();
        assert!(total >= 3, "the demo has a queue: {total}");
        assert_eq!(all.queue.count.text, format!("{total} waiting"));
        // The default order: SLA deadline.
        let deadline = |c: &crate::view::JobCard| {
            model
                .replica
                .jobs()
                .find(|j| j.id == c.id)
                .map(|j| j.sla_deadline)
                .unwrap()
        };
        assert!(
            all.unassigned
                .windows(2)
                .all(|w| deadline(&w[0]) <= deadline(&w[1]))
        );

        let service = all.unassigned[0].service;
        let only = set(
            &mut model,
            QueueFilter {
                service: Some(service),
                ..QueueFilter::default()
            },
        );
        let expected = all
            .unassigned
            .iter()
            .filter(|c| c.service == service)
            .count();
        assert_eq!(only.unassigned.len(), expected);
        assert!(only.unassigned.iter().all(|c| c.service == service));
        if expected < total {
            assert_eq!(
                only.queue.count.text,
                format!("{expected} of {total} waiting")
            );
        }

        let risky = set(
            &mut model,
            QueueFilter {
                at_risk: true,
                ..QueueFilter::default()
            },
        );
        assert!(
            risky
                .unassigned
                .iter()
                .all(|c| c.sla_at_risk || c.sla_breached)
        );
        assert_eq!(
            risky.unassigned.len(),
            all.unassigned
                .iter()
                .filter(|c| c.sla_at_risk || c.sla_breached)
                .count()
        );

        let by_priority = set(
            &mut model,
            QueueFilter {
                sort: QueueSort::Priority,
                ..QueueFilter::default()
            },
        );
        assert_eq!(by_priority.unassigned.len(), total);
        assert!(
            by_priority
                .unassigned
                .windows(2)
                .all(|w| w[0].priority >= w[1].priority)
        );
        let waiting_longest = set(
            &mut model,
            QueueFilter {
                sort: QueueSort::Waiting,
                ..QueueFilter::default()
            },
        );
        let created = |c: &crate::view::JobCard| {
            model
                .replica
                .jobs()
                .find(|j| j.id == c.id)
                .map(|j| j.created_at)
                .unwrap()
        };
        assert!(
            waiting_longest
                .unassigned
                .windows(2)
                .all(|w| created(&w[0]) <= created(&w[1]))
        );
        // A skill nobody's job needs empties the queue, and says so.
        let none = set(
            &mut model,
            QueueFilter {
                skill: Some("no-such-skill".into()),
                ..QueueFilter::default()
            },
        );
        assert!(none.unassigned.is_empty());
        assert_eq!(none.queue.count.text, format!("0 of {total} waiting"));
    }
}
