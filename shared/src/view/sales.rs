//! "Follow-ups": what the rep must do today, what is overdue, what is coming; the pipeline;
//! and one lead with its timeline and its form.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use super::pipeline::{Money, PipelineStats, StageCount, interest, stage_counts, stats};
use crate::model::Model;
use crate::model::sales::forms::Form;
use crate::model::sales::{BacklogSort, CardDraft, LeadDraft};
use domain::customers::Tier;
use domain::followups::rules::{Rule, Snooze};
use domain::followups::{FollowUp, FollowUpStatus, Reason, Subject};
use domain::ids::{CustomerId, FollowUpId, JobId, LeadId, UserId};
use domain::leads::{Lead, LeadSource, Stage};
use domain::ops::records::Link;
use domain::ops::{Record, RecordKey};
use domain::org::OrgSettings;
use domain::words::Label;

super::words::label_set! {
    /// The sales screens: follow-ups, the pipeline, one lead.
    SalesLabels {
        follow_ups: FollowUps,
        overdue: Overdue,
        today: Today,
        upcoming: Upcoming,
        backlog: Backlog,
        hand_to: HandTo,
        nothing_to_follow_up: NothingToFollowUp,
        show_all: ShowAll,
        done: Done,
        log_call: LogCall,
        log_visit: LogVisit,
        open_lead: OpenLead,
        book_visit: BookVisit,
        pipeline: Pipeline,
        what_happened: WhatHappened,
        timeline: Timeline,
        lost_reason: LostReason,
        won_value: WonValue,
        next_follow_up: NextFollowUp,
        schedule: Schedule,
        reschedule: Reschedule,
        due: Due,
        notes: FollowUpNote,
        phone: Phone,
        interest: Interest,
        expected_value: ExpectedValue,
        budget: Budget,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per render and moved to the shell whole; boxes would buy nothing"
)]
#[repr(C)]
pub enum SalesScreen {
    FollowUps(FollowUpsView),
    Lead(LeadDetailView),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FollowUpsView {
    /// The day: overdue and today, as many as the person's day holds
    /// (`User::day_capacity`), ranked as `docs/followups.md` says; the rest is `backlog`.
    pub overdue: Vec<FollowUpCard>,
    pub today: Vec<FollowUpCard>,
    /// Later days: earliest due first, the next [`UPCOMING_SHOWN`].
    pub upcoming: Vec<FollowUpCard>,
    /// "and 40 more later", when there are more.
    pub upcoming_more: Option<Word>,
    /// What the day cannot hold, a page at a time; `None` when it holds everything due.
    pub backlog: Option<BacklogView>,
    pub pipeline: Vec<StageCount>,
    pub stats: PipelineStats,
}

/// Later follow-ups listed; the rest is counted.
pub const UPCOMING_SHOWN: usize = 10;

/// Follow-ups due that the person's day cannot hold: summed up by kind, one page of cards in
/// the order chosen, and the colleagues they can be handed to.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BacklogView {
    /// "312 more follow-ups than your day holds (25 a day): …".
    pub summary: Word,
    /// How many of each kind ("Satisfaction call: 40"), most first.
    pub by_kind: Vec<KindCount>,
    pub cards: Vec<FollowUpCard>,
    pub page: super::dispatcher::PageView,
    pub sort: BacklogSort,
    pub sorts: Vec<BacklogSortChoice>,
    /// Colleagues of the store a follow-up can be handed to (`SalesEvent::HandOut`).
    pub hand_to: Vec<Colleague>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct KindCount {
    pub label: Word,
    pub count: u32,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BacklogSortChoice {
    pub sort: BacklogSort,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Colleague {
    pub id: UserId,
    pub name: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FollowUpCard {
    pub id: FollowUpId,
    /// Whom it is about: the lead's or the customer's name.
    pub title: String,
    pub lead: Option<LeadId>,
    pub customer: Option<CustomerId>,
    pub job: Option<JobId>,
    pub due: String,
    pub due_ms: i64,
    pub snoozed: bool,
    /// The rule that raised it (its key), or "manual": a code for the shell, not words.
    pub reason: String,
    /// What to do ("Satisfaction call"); "Follow-up" for manual ones.
    pub label: Word,
    /// Why the rule raised it, with what it saw ("Cadence step 3 of 4"); `None` for manual
    /// ones and for rule ones stored before rules said why (their `note` tells it).
    pub why: Option<Word>,
    /// 0 (escalations) is the most urgent; manual follow-ups rank with the ordinary rules.
    pub urgency: u8,
    /// A maintenance reminder: the shell offers "book the visit"
    /// (`FollowUpEvent::BookMaintenanceVisit`).
    pub can_book_visit: bool,
    /// What a person wrote on it.
    pub note: String,
    /// Minor units: what is at stake, to sort equal urgency by value.
    pub value: i64,
    /// The customer's tier, after value in the ranking; `None` for a lead without one.
    pub tier: Option<Tier>,
    /// The snoozes to offer (`FollowUpEvent::Snooze`).
    pub snooze: Vec<SnoozeChoice>,
    /// The card's fields as typed (`SalesEvent::CardDraft`).
    pub draft: CardDraft,
    /// Why the last change asked from the card was refused.
    pub error: Option<Word>,
    /// A change asked from the card is on its way.
    pub busy: bool,
    /// Whether a change to the follow-up waits to sync or was refused.
    pub sync: super::record_sync::RecordSync,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SnoozeChoice {
    pub choice: Snooze,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LeadDetailView {
    pub id: LeadId,
    pub name: String,
    pub phone: Option<String>,
    pub stage: Stage,
    pub stage_word: Word,
    /// The moves the pipeline allows now, as buttons.
    pub next_stages: Vec<StageMove>,
    pub source: LeadSource,
    pub source_word: Word,
    /// The interest category's name in the person's language.
    pub interest: Word,
    /// The model the lead asked about, as typed.
    pub model: Option<String>,
    pub budget: Option<Money>,
    pub expected_value: Money,
    pub won_value: Option<Money>,
    pub next_follow_up: Option<String>,
    pub lost_reason: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    pub form: LeadFormView,
}

/// A stage the lead may move to, and what the move needs from the form.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StageMove {
    pub stage: Stage,
    /// "Move to Won".
    pub label: Word,
    pub needs_lost_reason: bool,
    pub needs_won_value: bool,
}

/// The lead's form: its fields as typed (`SalesEvent::LeadDraft`) and why the last change
/// was refused.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LeadFormView {
    pub draft: LeadDraft,
    pub error: Option<Word>,
    pub busy: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub at: String,
    /// "Call", "Visit", "Stage"...
    pub kind: Word,
    /// What the person logged; empty for a stage move.
    pub text: String,
    /// A stage move: "New → Contacted".
    pub change: Option<Word>,
    pub author: String,
}

pub(super) fn screen(model: &Model, ctx: &Ctx) -> SalesScreen {
    let Some(me) = model.user().map(|u| u.id) else {
        return SalesScreen::FollowUps(FollowUpsView {
            overdue: vec![],
            today: vec![],
            upcoming: vec![],
            upcoming_more: None,
            backlog: None,
            pipeline: vec![],
            stats: PipelineStats {
                summary: Word::new(ctx.t.pipeline_summary(None, None)),
                conversion_days: None,
                win_rate_by_source: vec![],
                on_time_pct: None,
                done_follow_ups: 0,
                done_on_time: 0,
            },
        });
    };
    if let Some(id) = model.open_lead()
        && let Some(Record::Lead(lead)) = model.replica.record(&RecordKey::Lead(id))
    {
        return SalesScreen::Lead(lead_detail(model, ctx, lead));
    }
    let (overdue, today, mut upcoming) = my_follow_ups(model, ctx, me);
    let capacity = model
        .user()
        .map_or(usize::from(domain::org::DEFAULT_FOLLOW_UP_CAPACITY), |u| {
            u.day_capacity(&settings(ctx))
        });
    let (overdue, today, backlog) = the_day(overdue, today, capacity);
    let backlog = match model.user() {
        Some(me) if !backlog.is_empty() => {
            let summary = ctx.t.backlog_summary(backlog.len(), capacity);
            Some(backlog_view(model, ctx, backlog, me, summary))
        }
        _ => None,
    };
    let later = upcoming.len().saturating_sub(UPCOMING_SHOWN);
    upcoming.truncate(UPCOMING_SHOWN);
    SalesScreen::FollowUps(FollowUpsView {
        overdue,
        today,
        upcoming,
        upcoming_more: (later > 0).then(|| Word::new(ctx.t.upcoming_more(later))),
        backlog,
        pipeline: stage_counts(model, ctx, me),
        stats: stats(model, ctx, me),
    })
}

/// The order of the day (`docs/followups.md`): the most urgent kind first (an unhappy
/// customer before a birthday), then the longest waiting, then the customer's value (spend
/// over the last year, then tier).
fn rank(c: &FollowUpCard) -> impl Ord + use<> {
    (
        c.urgency,
        c.due_ms,
        std::cmp::Reverse(c.value),
        std::cmp::Reverse(c.tier),
        c.id,
    )
}

/// Overdue and today's follow-ups split into what the day holds (at most `capacity`, in
/// rank order, still told apart as overdue and today) and the backlog (the rest, ranked).
fn the_day(
    overdue: Vec<FollowUpCard>,
    today: Vec<FollowUpCard>,
    capacity: usize,
) -> (Vec<FollowUpCard>, Vec<FollowUpCard>, Vec<FollowUpCard>) {
    let mut due: Vec<(bool, FollowUpCard)> = overdue
        .into_iter()
        .map(|c| (true, c))
        .chain(today.into_iter().map(|c| (false, c)))
        .collect();
    due.sort_by_key(|(_, c)| rank(c));
    let backlog = due.split_off(capacity.min(due.len()));
    let (overdue, today): (Vec<_>, Vec<_>) = due.into_iter().partition(|(late, _)| *late);
    let strip = |v: Vec<(bool, FollowUpCard)>| v.into_iter().map(|(_, c)| c).collect();
    (
        strip(overdue),
        strip(today),
        backlog.into_iter().map(|(_, c)| c).collect(),
    )
}

/// `owner`'s backlog: summed up by kind, a page of cards in the order chosen, and the
/// colleagues of their stores it can be handed to.
fn backlog_view(
    model: &Model,
    ctx: &Ctx,
    mut cards: Vec<FollowUpCard>,
    owner: &domain::org::User,
    summary: String,
) -> BacklogView {
    let sort = model.sales.backlog_sort;
    match sort {
        BacklogSort::Urgency => {}
        BacklogSort::Oldest => cards.sort_by_key(|c| (c.due_ms, c.id)),
        BacklogSort::Value => {
            cards.sort_by_key(|c| (std::cmp::Reverse(c.value), std::cmp::Reverse(c.tier), c.id));
        }
    }
    let mut kinds: Vec<(String, u32)> = Vec::new();
    for c in &cards {
        match kinds.iter_mut().find(|(k, _)| *k == c.label.text) {
            Some((_, n)) => *n += 1,
            None => kinds.push((c.label.text.clone(), 1)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (cards, page) = super::dispatcher::page(ctx, cards, model.sales.backlog_page);
    let hand_to = model
        .replica
        .users()
        .filter(|u| {
            u.has(domain::org::Role::Sales)
                && u.active
                && owner.id != u.id
                && owner.stores.iter().any(|s| u.in_store(*s))
        })
        .map(|u| Colleague {
            id: u.id,
            name: u.name.clone(),
        })
        .collect();
    BacklogView {
        summary: Word::new(summary),
        by_kind: kinds
            .into_iter()
            .map(|(label, count)| KindCount {
                label: Word::new(label),
                count,
            })
            .collect(),
        cards,
        page,
        sort,
        sorts: [
            (BacklogSort::Urgency, Label::BacklogByUrgency),
            (BacklogSort::Oldest, Label::BacklogOldest),
            (BacklogSort::Value, Label::BacklogMostValuable),
        ]
        .into_iter()
        .map(|(sort, label)| BacklogSortChoice {
            sort,
            label: Word::label(ctx.t, label),
        })
        .collect(),
        hand_to,
    }
}

/// A rep's load, on their store's dispatcher's board.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RepLoad {
    pub id: UserId,
    pub name: String,
    /// "18 of 25 today, 40 waiting beyond".
    pub load: Word,
    /// Follow-ups due by today beyond what the rep's day holds.
    pub backlog: u32,
    /// The rep's own daily follow-ups, as a field shows it: blank for the organization's
    /// default (`SettingsEvent::Capacity`).
    pub capacity: String,
    /// "a day", after the field.
    pub per_day: Word,
}

/// One rep's backlog, opened by their store's dispatcher (`DispatcherEvent::RepBacklog`).
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RepBacklogView {
    pub rep: Colleague,
    pub backlog: BacklogView,
}

/// The reps of the stores `me` manages, those with the most waiting beyond their day first,
/// and the backlog of the one opened. Counting costs one pass over the follow-ups; only the
/// opened rep's cards are made.
pub(super) fn reps(
    model: &Model,
    ctx: &Ctx,
    me: &domain::org::User,
) -> (Vec<RepLoad>, Option<RepBacklogView>) {
    let settings = settings(ctx);
    let reps: Vec<&domain::org::User> = model
        .replica
        .users()
        .filter(|u| {
            u.active
                && u.has(domain::org::Role::Sales)
                && u.stores.iter().any(|s| me.manages_store(*s))
        })
        .collect();
    let today = ctx.today();
    let mut due: std::collections::HashMap<UserId, usize> = std::collections::HashMap::new();
    for f in model.replica.follow_ups().filter(|f| f.is_open()) {
        if ctx.local_date(f.effective_due()) <= today {
            *due.entry(f.owner).or_default() += 1;
        }
    }
    let mut loads: Vec<RepLoad> = reps
        .iter()
        .map(|rep| {
            let capacity = rep.day_capacity(&settings);
            let n = due.get(&rep.id).copied().unwrap_or(0);
            let beyond = n.saturating_sub(capacity);
            RepLoad {
                id: rep.id,
                name: rep.name.clone(),
                load: Word::new(ctx.t.rep_load(n, capacity, beyond)),
                backlog: u32::try_from(beyond).unwrap_or(u32::MAX),
                capacity: rep
                    .follow_up_capacity
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
                per_day: Word::label(ctx.t, Label::PerDay),
            }
        })
        .collect();
    loads.sort_by(|a, b| b.backlog.cmp(&a.backlog).then_with(|| a.name.cmp(&b.name)));
    let opened = model
        .rep_backlog
        .and_then(|id| reps.iter().find(|r| r.id == id))
        .and_then(|rep| {
            let (overdue, now, _) = my_follow_ups(model, ctx, rep.id);
            let capacity = rep.day_capacity(&settings);
            let (_, _, backlog) = the_day(overdue, now, capacity);
            (!backlog.is_empty()).then(|| {
                let summary = ctx
                    .t
                    .rep_backlog_summary(&rep.name, backlog.len(), capacity);
                RepBacklogView {
                    rep: Colleague {
                        id: rep.id,
                        name: rep.name.clone(),
                    },
                    backlog: backlog_view(model, ctx, backlog, rep, summary),
                }
            })
        });
    (loads, opened)
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

/// The organization's settings, for the words that name its categories and its currency.
fn settings<'a>(ctx: &Ctx<'a>) -> Cow<'a, OrgSettings> {
    match ctx.org {
        Some(o) => Cow::Borrowed(&o.settings),
        None => Cow::Owned(OrgSettings::default()),
    }
}

/// The error of a form, worded.
fn error_of<D>(ctx: &Ctx, form: Option<&Form<D>>) -> Option<Word> {
    form.and_then(|f| f.error.as_ref())
        .map(|n| super::notice(ctx.t, n))
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
    let tier = customer.and_then(|c| match model.replica.record(&RecordKey::Customer(c)) {
        Some(Record::Customer(c)) => Some(c.tier),
        _ => None,
    });
    let due = f.effective_due();
    let rule = Rule::of(&f.reason);
    let form = model.sales.cards.get(&f.id);
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
        tier,
        label: Word::new(ctx.t.follow_up_task(rule)),
        why: f
            .why
            .as_ref()
            .map(|w| Word::new(ctx.t.follow_up_why(w, &settings(ctx)))),
        urgency: rule.map_or(2, |r| r.urgency()),
        can_book_visit: matches!(rule, Some(Rule::Maintenance(_))),
        snooze: [
            (Snooze::TomorrowMorning, Label::TomorrowMorning),
            (Snooze::Days(3), Label::InThreeDays),
        ]
        .into_iter()
        .map(|(choice, label)| SnoozeChoice {
            choice,
            label: Word::label(ctx.t, label),
        })
        .collect(),
        draft: form.map(|f| f.draft.clone()).unwrap_or_default(),
        error: error_of(ctx, form),
        busy: form.is_some_and(|f| f.waiting.is_some()),
        sync: ctx.sync(RecordKey::FollowUp(f.id)),
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
                    kind: Word::new(ctx.t.interaction(i.kind)),
                    text: i.outcome.clone(),
                    change: None,
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
                kind: Word::label(ctx.t, Label::StageMoved),
                text: String::new(),
                change: Some(Word::new(ctx.t.stage_change(h.from, h.to))),
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
    let form = model.sales.lead.as_ref().filter(|f| f.lead == lead.id);
    LeadDetailView {
        id: lead.id,
        name: lead.name.clone(),
        phone: lead.phone.as_ref().map(|p| p.raw.clone()),
        stage: lead.stage,
        stage_word: Word::new(ctx.t.stage(lead.stage)),
        next_stages: Stage::ALL
            .into_iter()
            .filter(|s| lead.stage.can_move_to(*s))
            .map(|stage| StageMove {
                stage,
                label: Word::new(ctx.t.move_to(stage)),
                needs_lost_reason: stage == Stage::Lost,
                needs_won_value: stage == Stage::Won,
            })
            .collect(),
        source: lead.source,
        source_word: Word::new(ctx.t.lead_source(lead.source)),
        interest: interest(ctx, &lead.interest.category),
        model: lead.interest.model.clone().filter(|m| !m.trim().is_empty()),
        budget: lead.interest.budget.map(|b| Money::of(ctx, b)),
        expected_value: Money::of(ctx, lead.expected_value),
        won_value: lead.won_value.map(|v| Money::of(ctx, v)),
        next_follow_up: next_follow_up.map(|t| ctx.when(t)),
        lost_reason: lead.lost_reason.clone(),
        timeline: timeline.into_iter().map(|(_, e)| e).collect(),
        form: LeadFormView {
            draft: form.map(|f| f.draft.clone()).unwrap_or_default(),
            error: error_of(ctx, form.map(|f| &f.form)),
            busy: form.is_some_and(|f| f.waiting.is_some()),
        },
    }
}
