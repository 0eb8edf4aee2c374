//! "My day": the technician's jobs in order, and the detail of one job.

use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::{Lang, Model};
use domain::customers::{CustomerKind, Tier, WarrantyStatus};
use domain::ids::{CustomerId, JobId};
use domain::jobs::Job;
use domain::jobs::{Completion, JobAction, JobStatus, Priority, ServiceType, day};
use domain::ops::records::Link;
use domain::ops::{Record, RecordKey};
use domain::places::LatLng;

super::words::label_set! {
    /// The technician's screens: my day, one job, the completion form.
    TechnicianLabels {
        my_day: MyDay,
        eta: Eta,
        window: Window,
        sla_by: SlaBy,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per render and moved to the shell whole; boxes would buy nothing"
)]
#[repr(C)]
pub enum TechnicianScreen {
    MyDay(MyDayView),
    Job(JobDetailView),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MyDayView {
    pub date: String,
    pub jobs: Vec<JobCard>,
    /// Jobs waiting for parts or a return visit, kept in view so they are not forgotten.
    pub waiting: Vec<JobCard>,
}

/// One job as a row: enough to recognise it and act on it.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct JobCard {
    pub id: JobId,
    pub number: String,
    pub status: JobStatus,
    pub status_word: Word,
    pub service: ServiceType,
    pub service_word: Word,
    pub priority: Priority,
    pub priority_word: Word,
    pub customer: CustomerId,
    pub customer_name: String,
    pub tier: Tier,
    pub tier_word: Word,
    pub address: String,
    pub window: Option<String>,
    pub eta: Option<String>,
    pub eta_ms: Option<i64>,
    /// When the visit is meant to start, for placing it on a timeline: the ETA when known,
    /// else the planned start, else the start of the customer's window (Unix ms).
    pub start_ms: Option<i64>,
    /// How long the visit is expected to take.
    pub minutes: u32,
    pub sla_deadline: String,
    pub sla_at_risk: bool,
    pub sla_breached: bool,
    pub technician: Option<String>,
    pub description: String,
    /// Where the job is, for the map; `None` when the address was never located.
    pub position: Option<LatLng>,
    /// What the state machine allows now, for the person looking.
    pub actions: Vec<ActionButton>,
}

/// A step a person may take on a job, with its button's words.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ActionButton {
    pub action: JobAction,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct JobDetailView {
    pub card: JobCard,
    pub customer: CustomerSummary,
    pub history: Vec<HistoryLine>,
    pub completion: Option<Completion>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub name: String,
    pub number: String,
    pub kind: CustomerKind,
    pub tier: Tier,
    pub phones: Vec<String>,
    pub address: String,
    pub assets: Vec<AssetLine>,
    pub last_visits: Vec<VisitLine>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AssetLine {
    pub product: String,
    pub serial_number: String,
    pub warranty: String,
    pub under_warranty: bool,
    pub maintenance_due: Option<String>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct VisitLine {
    pub date: String,
    pub service: ServiceType,
    pub status: JobStatus,
    pub satisfaction: Option<u8>,
    pub notes: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct HistoryLine {
    pub at: String,
    pub from: JobStatus,
    pub to: JobStatus,
    pub by: String,
    pub note: Option<String>,
}

pub(super) fn screen(model: &Model, ctx: &Ctx) -> TechnicianScreen {
    let Some(me) = model.user().map(|u| u.id) else {
        return TechnicianScreen::MyDay(MyDayView {
            date: String::new(),
            jobs: vec![],
            waiting: vec![],
        });
    };
    let mine: Vec<&Job> = model
        .replica
        .jobs()
        .filter(|j| j.technician == Some(me))
        .collect();
    if let Some(id) = model.ui.job
        && let Some(job) = mine.iter().find(|j| j.id == id)
    {
        return TechnicianScreen::Job(detail(model, ctx, job));
    }
    let today = ctx.today();
    let mut day: Vec<&Job> = mine
        .iter()
        .copied()
        .filter(|j| match j.status {
            JobStatus::EnRoute | JobStatus::OnSite => true,
            JobStatus::Assigned => j
                .planned_start
                .or(j.windows.first().map(|w| w.start))
                .is_none_or(|t| ctx.local_date(t) <= today),
            _ => false,
        })
        .collect();
    // Under way first, then by plan.
    day.sort_by_key(|j| {
        (
            progress_rank(j.status),
            j.planned_start.or(j.windows.first().map(|w| w.start)),
            j.id,
        )
    });
    let etas = day::etas(ctx.now, model.location, &day);
    let jobs = day
        .iter()
        .zip(etas)
        .map(|(j, eta)| card(model, ctx, j, Some(eta)))
        .collect();
    let waiting = mine
        .iter()
        .filter(|j| j.status == JobStatus::NeedsFollowUp)
        .map(|j| card(model, ctx, j, None))
        .collect();
    TechnicianScreen::MyDay(MyDayView {
        date: ctx.date(today),
        jobs,
        waiting,
    })
}

fn progress_rank(s: JobStatus) -> u8 {
    match s {
        JobStatus::OnSite => 0,
        JobStatus::EnRoute => 1,
        _ => 2,
    }
}

/// A job as a card; the actions shown are those the viewer's role may take.
pub(crate) fn card(model: &Model, ctx: &Ctx, job: &Job, eta: Option<DateTime<Utc>>) -> JobCard {
    let customer = match model.replica.record(&RecordKey::Customer(job.customer)) {
        Some(Record::Customer(c)) => Some(c),
        _ => None,
    };
    let user = model.user();
    let is_tech = user.is_some_and(|u| Some(u.id) == job.technician);
    let office = user.is_some_and(|u| u.manages_store(job.store));
    let actions = job
        .status
        .allowed()
        .into_iter()
        .filter(|a| {
            if a.is_field_action() {
                is_tech || office
            } else {
                office
            }
        })
        .map(|action| ActionButton {
            action,
            label: Word::new(ctx.t.action(action)),
        })
        .collect();
    let minutes_left = (job.sla_deadline - ctx.now).num_minutes();
    let tier = customer.map_or(Tier::Standard, |c| c.tier);
    JobCard {
        id: job.id,
        number: job.number(),
        status: job.status,
        status_word: Word::new(ctx.t.status(job.status)),
        service: job.service_type,
        service_word: Word::new(ctx.t.service(job.service_type)),
        priority: job.priority,
        priority_word: Word::new(ctx.t.priority(job.priority)),
        customer: job.customer,
        customer_name: customer.map_or_else(|| "—".to_owned(), |c| c.name.clone()),
        tier,
        tier_word: Word::new(ctx.t.tier(tier)),
        address: job.service_address.one_line(),
        window: job
            .windows
            .first()
            .map(|w| format!("{} – {}", ctx.when(w.start), ctx.when(w.end))),
        eta: eta.map(|t| ctx.when(t)),
        eta_ms: eta.map(|t| t.timestamp_millis()),
        start_ms: eta
            .or(job.planned_start)
            .or(job.windows.first().map(|w| w.start))
            .map(|t| t.timestamp_millis()),
        minutes: job.estimated_minutes,
        sla_deadline: ctx.when(job.sla_deadline),
        sla_at_risk: job.is_open() && minutes_left < ctx.sla_risk_minutes(),
        sla_breached: job.is_open() && minutes_left < 0,
        technician: job
            .technician
            .and_then(|t| match model.replica.record(&RecordKey::User(t)) {
                Some(Record::User(u)) => Some(u.name.clone()),
                _ => None,
            }),
        description: job.description.clone(),
        position: job.service_address.location,
        actions,
    }
}

fn detail(model: &Model, ctx: &Ctx, job: &Job) -> JobDetailView {
    let card = card(model, ctx, job, None);
    let customer = match model.replica.record(&RecordKey::Customer(job.customer)) {
        Some(Record::Customer(c)) => Some(c),
        _ => None,
    };
    let today = ctx.today();
    let mut assets = Vec::new();
    let mut visits: Vec<(DateTime<Utc>, VisitLine)> = Vec::new();
    for r in model.replica.linked(Link::Customer(job.customer)) {
        match r {
            Record::Asset(a) => {
                let (warranty, under_warranty) = match a.warranty(today) {
                    WarrantyStatus::None => (ctx.w("No warranty", "无保修").to_owned(), false),
                    WarrantyStatus::Active { days_left } => (
                        match ctx.lang {
                            Lang::English => {
                                format!("Under warranty, {days_left} days left")
                            }
                            Lang::SimplifiedChinese => format!("保修期内，剩余 {days_left} 天"),
                        },
                        true,
                    ),
                    WarrantyStatus::Expired => {
                        (ctx.w("Warranty expired", "已过保修期").to_owned(), false)
                    }
                };
                assets.push(AssetLine {
                    product: a.product.clone(),
                    serial_number: a.serial_number.clone(),
                    warranty,
                    under_warranty,
                    maintenance_due: a.maintenance_due().map(|d| ctx.date(d)),
                });
            }
            Record::Job(j) if j.id != job.id && !j.is_open() => {
                let at = j.history.last().map_or(j.created_at, |h| h.at);
                visits.push((
                    at,
                    VisitLine {
                        date: ctx.date(ctx.local_date(at)),
                        service: j.service_type,
                        status: j.status,
                        satisfaction: j.completion.as_ref().and_then(|c| c.satisfaction),
                        notes: j
                            .completion
                            .as_ref()
                            .map(|c| c.notes.clone())
                            .unwrap_or_default(),
                    },
                ));
            }
            _ => {}
        }
    }
    visits.sort_by_key(|v| std::cmp::Reverse(v.0));
    let user_name = |id| match model.replica.record(&RecordKey::User(id)) {
        Some(Record::User(u)) => u.name.clone(),
        _ => "—".to_owned(),
    };
    JobDetailView {
        card,
        customer: CustomerSummary {
            id: job.customer,
            name: customer.map_or_else(|| "—".into(), |c| c.name.clone()),
            number: customer.map(|c| c.number()).unwrap_or_default(),
            kind: customer.map_or(CustomerKind::Individual, |c| c.kind),
            tier: customer.map_or(Tier::Standard, |c| c.tier),
            phones: customer
                .map(|c| c.phones.iter().map(|p| p.raw.clone()).collect())
                .unwrap_or_default(),
            address: job.service_address.one_line(),
            assets,
            last_visits: visits.into_iter().take(5).map(|(_, v)| v).collect(),
        },
        history: job
            .history
            .iter()
            .map(|h| HistoryLine {
                at: ctx.when(h.at),
                from: h.from,
                to: h.to,
                by: user_name(h.by),
                note: h.note.clone(),
            })
            .collect(),
        completion: job.completion.clone(),
    }
}
