//! "Follow-ups": what the rep must do today, what is overdue, what is coming; the pipeline;
//! and one lead with its timeline.

use crate::model::Pick;
use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::format::Ctx;
use super::pipeline::{PipelineStats, StageCount, stage_counts, stats};
use crate::model::{Lang, Model};
use domain::followups::rules::Rule;
use domain::followups::{FollowUp, FollowUpStatus, Reason, Subject};
use domain::ids::{CustomerId, FollowUpId, JobId, LeadId};
use domain::leads::{Lead, LeadSource, Stage};
use domain::ops::records::Link;
use domain::ops::{Record, RecordKey};

super::words::label_set! {
    /// The sales screens: follow-ups, the pipeline, one lead.
    SalesLabels {
        follow_ups: FollowUps,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum SalesScreen {
    FollowUps(FollowUpsView),
    Lead(LeadDetailView),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FollowUpsView {
    /// Overdue and today: most urgent rule first, then earliest due, then most valuable.
    pub overdue: Vec<FollowUpCard>,
    pub today: Vec<FollowUpCard>,
    /// Later days: earliest due first.
    pub upcoming: Vec<FollowUpCard>,
    pub pipeline: Vec<StageCount>,
    pub stats: PipelineStats,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FollowUpCard {
    pub id: FollowUpId,
    pub title: String,
    pub lead: Option<LeadId>,
    pub customer: Option<CustomerId>,
    pub job: Option<JobId>,
    pub due: String,
    pub due_ms: i64,
    pub snoozed: bool,
    /// The rule that raised it, or "manual".
    pub reason: String,
    /// What to do, in words ("Satisfaction call"); "Follow-up" for manual ones.
    pub label: String,
    /// 0 (escalations) is the most urgent; manual follow-ups rank with the ordinary rules.
    pub urgency: u8,
    /// A maintenance reminder: the shell offers "book the visit"
    /// (`FollowUpEvent::BookMaintenanceVisit`).
    pub can_book_visit: bool,
    pub note: String,
    /// Minor units: what is at stake, to sort equal urgency by value.
    pub value: i64,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LeadDetailView {
    pub id: LeadId,
    pub name: String,
    pub phone: Option<String>,
    pub stage: Stage,
    /// The stages the lead may move to now.
    pub next_stages: Vec<Stage>,
    pub source: LeadSource,
    pub interest: String,
    pub expected_value: i64,
    pub next_follow_up: Option<String>,
    pub lost_reason: Option<String>,
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub at: String,
    pub kind: String,
    pub text: String,
    pub author: String,
}

pub(super) fn screen(model: &Model, ctx: &Ctx) -> SalesScreen {
    let Some(me) = model.user().map(|u| u.id) else {
        return SalesScreen::FollowUps(FollowUpsView {
            overdue: vec![],
            today: vec![],
            upcoming: vec![],
            pipeline: vec![],
            stats: PipelineStats {
                conversion_days: None,
                win_rate_by_source: vec![],
                on_time_pct: None,
                done_follow_ups: 0,
                done_on_time: 0,
            },
        });
    };
    if let Some(id) = model.ui.lead
        && let Some(Record::Lead(lead)) = model.replica.record(&RecordKey::Lead(id))
    {
        return SalesScreen::Lead(lead_detail(model, ctx, lead));
    }
    let (overdue, today, upcoming) = my_follow_ups(model, ctx, me);
    SalesScreen::FollowUps(FollowUpsView {
        overdue,
        today,
        upcoming,
        pipeline: stage_counts(model, ctx, me),
        stats: stats(model, ctx, me),
    })
}

/// The person's open follow-ups as overdue, today and upcoming cards, each sorted.
pub(super) fn my_follow_ups(
    model: &Model,
    ctx: &Ctx,
    me: domain::ids::UserId,
) -> (Vec<FollowUpCard>, Vec<FollowUpCard>, Vec<FollowUpCard>) {
    let today = ctx.today();
    let (mut overdue, mut now, mut later) = (Vec::new(), Vec::new(), Vec::new());
    for f in model
        .replica
        .follow_ups()
        .filter(|f| f.owner == me && f.is_open())
    {
        let due = f.effective_due();
        let card = (due, follow_up_card(model, ctx, f));
        if due < ctx.now && ctx.local_date(due) < today {
            overdue.push(card);
        } else if ctx.local_date(due) <= today {
            now.push(card);
        } else {
            later.push(card);
        }
    }
    // What must be done now: the most urgent kind first (an unhappy customer before a
    // birthday), then the longest waiting, then the most valuable.
    let by_urgency = |a: &(DateTime<Utc>, FollowUpCard), b: &(DateTime<Utc>, FollowUpCard)| {
        (a.1.urgency, a.0, std::cmp::Reverse(a.1.value), a.1.id).cmp(&(
            b.1.urgency,
            b.0,
            std::cmp::Reverse(b.1.value),
            b.1.id,
        ))
    };
    overdue.sort_by(by_urgency);
    now.sort_by(by_urgency);
    // What comes later is a calendar: in time order; equal times by urgency and value.
    later.sort_by(|a, b| {
        (a.0, a.1.urgency, std::cmp::Reverse(a.1.value), a.1.id).cmp(&(
            b.0,
            b.1.urgency,
            std::cmp::Reverse(b.1.value),
            b.1.id,
        ))
    });
    let strip = |v: Vec<(DateTime<Utc>, FollowUpCard)>| v.into_iter().map(|(_, c)| c).collect();
    (strip(overdue), strip(now), strip(later))
}

/// What the customer bought in the last 365 days (minor units): a customer's weight.
fn annual_spend(model: &Model, ctx: &Ctx, customer: domain::ids::CustomerId) -> i64 {
    let today = ctx.today();
    let year_ago = today - chrono::Days::new(365);
    model
        .replica
        .linked(Link::Customer(customer))
        .filter_map(|r| match r {
            Record::Asset(a) if a.purchase_date > year_ago && a.purchase_date <= today => {
                Some(a.price.max(0))
            }
            _ => None,
        })
        .fold(0i64, i64::saturating_add)
}

pub(super) fn follow_up_card(model: &Model, ctx: &Ctx, f: &FollowUp) -> FollowUpCard {
    let (title, lead, customer, job, value) = match f.subject {
        Subject::Lead(id) => match model.replica.record(&RecordKey::Lead(id)) {
            Some(Record::Lead(l)) => (l.name.clone(), Some(id), l.customer, None, l.expected_value),
            _ => ("—".to_owned(), Some(id), None, None, 0),
        },
        Subject::Customer(id) => match model.replica.record(&RecordKey::Customer(id)) {
            Some(Record::Customer(c)) => (
                c.name.clone(),
                None,
                Some(id),
                None,
                annual_spend(model, ctx, id),
            ),
            _ => ("—".to_owned(), None, Some(id), None, 0),
        },
        Subject::Job(id) => match model.replica.record(&RecordKey::Job(id)) {
            Some(Record::Job(j)) => {
                let name = match model.replica.record(&RecordKey::Customer(j.customer)) {
                    Some(Record::Customer(c)) => c.name.clone(),
                    _ => j.number(),
                };
                (
                    name,
                    None,
                    Some(j.customer),
                    Some(id),
                    annual_spend(model, ctx, j.customer),
                )
            }
            _ => ("—".to_owned(), None, None, Some(id), 0),
        },
    };
    let due = f.effective_due();
    let rule = Rule::of(&f.reason);
    FollowUpCard {
        id: f.id,
        title,
        lead,
        customer,
        job,
        due: ctx.when(due),
        due_ms: due.timestamp_millis(),
        snoozed: matches!(f.status, FollowUpStatus::Snoozed { .. }),
        reason: match &f.reason {
            Reason::Rule(r) => r.clone(),
            Reason::Manual => "manual".to_owned(),
        },
        note: f.note.clone(),
        value,
        label: match (rule, ctx.lang) {
            (Some(r), Lang::English) => r.label(),
            (Some(r), Lang::SimplifiedChinese) => r.label_zh(),
            (None, lang) => lang.pick("Follow-up", "跟进"),
        }
        .to_owned(),
        urgency: rule.map_or(2, |r| r.urgency()),
        can_book_visit: matches!(rule, Some(Rule::Maintenance(_))),
    }
}

fn interaction_kind(ctx: &Ctx, kind: domain::leads::InteractionKind) -> &'static str {
    use domain::leads::InteractionKind as K;
    match kind {
        K::Call => ctx.w("Call", "电话"),
        K::Visit => ctx.w("Visit", "拜访"),
        K::Message => ctx.w("Message", "消息"),
        K::Note => ctx.w("Note", "备注"),
    }
}

fn lead_detail(model: &Model, ctx: &Ctx, lead: &Lead) -> LeadDetailView {
    let name_of = |id| match model.replica.record(&RecordKey::User(id)) {
        Some(Record::User(u)) => u.name.clone(),
        _ => "—".to_owned(),
    };
    let mut timeline: Vec<(DateTime<Utc>, TimelineEntry)> = Vec::new();
    for r in model.replica.linked(Link::Subject(Subject::Lead(lead.id))) {
        if let Record::Interaction(i) = r {
            timeline.push((
                i.at,
                TimelineEntry {
                    at: ctx.when(i.at),
                    kind: interaction_kind(ctx, i.kind).to_owned(),
                    text: i.outcome.clone(),
                    author: name_of(i.author),
                },
            ));
        }
    }
    for h in &lead.history {
        timeline.push((
            h.at,
            TimelineEntry {
                at: ctx.when(h.at),
                kind: ctx.w("Stage", "阶段").into(),
                text: format!("{:?} → {:?}", h.from, h.to),
                author: name_of(h.by),
            },
        ));
    }
    timeline.sort_by_key(|e| std::cmp::Reverse(e.0));
    let next_follow_up = model
        .replica
        .linked(Link::Subject(Subject::Lead(lead.id)))
        .filter_map(|r| match r {
            Record::FollowUp(f) if f.is_open() => Some(f.effective_due()),
            _ => None,
        })
        .min()
        .or(lead.next_follow_up_at);
    LeadDetailView {
        id: lead.id,
        name: lead.name.clone(),
        phone: lead.phone.as_ref().map(|p| p.raw.clone()),
        stage: lead.stage,
        next_stages: Stage::ALL
            .into_iter()
            .filter(|s| lead.stage.can_move_to(*s))
            .collect(),
        source: lead.source,
        interest: [
            Some(lead.interest.category.clone()),
            lead.interest.model.clone(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · "),
        expected_value: lead.expected_value,
        next_follow_up: next_follow_up.map(|t| ctx.when(t)),
        lost_reason: lead.lost_reason.clone(),
        timeline: timeline.into_iter().map(|(_, e)| e).collect(),
    }
}
