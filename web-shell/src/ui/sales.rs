//! The rep's phone screens: follow-ups (overdue, today, upcoming), the pipeline as columns,
//! and one lead with its timeline; a call or a visit is logged in two taps.

use std::collections::HashMap;

use domain::followups::rules::Snooze;
use domain::ids::FollowUpId;
use domain::leads::{InteractionKind, Stage};
use leptos::callback::Callable;
use leptos::prelude::*;
use shared::model::{Event, FollowUpEvent, SalesEvent};
use shared::view::sales::{FollowUpCard, LeadDetailView};
use shared::view::{SalesScreen, Screen};

use super::search::SearchBox;
use crate::i18n::{self, use_lang};
use crate::t;
use crate::{use_dispatch, use_view};

const SHOWN: usize = 10;
const COLUMN_SHOWN: usize = 8;

/// Minor units as yuan, without cents.
fn money(minor: i64) -> String {
    format!("¥{}", minor / 100)
}

#[component]
pub fn FollowUps() -> impl IntoView {
    let view = use_view();
    let lang = use_lang();
    let data = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Sales(SalesScreen::FollowUps(f)) => Some(f.clone()),
            _ => None,
        })
    });
    // What the rep typed per follow-up, kept across repaints.
    let outcomes = RwSignal::new(HashMap::<FollowUpId, String>::new());
    let section = move |title: &'static str,
                        testid: &'static str,
                        pick: fn(&shared::view::FollowUpsView) -> Vec<FollowUpCard>,
                        cap: bool| {
        // Lists can run to hundreds; the first few are shown until asked for all.
        let show_all = RwSignal::new(false);
        let total = move || data.with(|d| d.as_ref().map_or(0, |d| pick(d).len()));
        let more = move || cap && !show_all.get() && total() > SHOWN;
        view! {
            <h3>{t!(lang, title)}" "<span class="muted small">{total}</span></h3>
            <ul class="followups" data-testid=testid>
                {move || {
                    let cards = data.with(|d| d.as_ref().map(pick).unwrap_or_default());
                    if cards.is_empty() {
                        return view! { <li class="muted">{i18n::tr(lang.get(), "Nothing to follow up.")}</li> }.into_any();
                    }
                    let shown = if cap && !show_all.get() { SHOWN } else { usize::MAX };
                    cards.into_iter().take(shown).map(|c| follow_up(c, outcomes)).collect_view().into_any()
                }}
            </ul>
            <Show when=more>
                <button class="link" on:click=move |_| show_all.set(true)>{t!(lang, "Show all")}" ("{total}")"</button>
            </Show>
        }
    };
    let dispatch = use_dispatch();
    let pipeline = move || {
        let l = lang.get();
        data.with(|d| {
            d.as_ref()
                .map(|d| d.pipeline.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|s| {
                    let more = s.leads.len().saturating_sub(COLUMN_SHOWN);
                    view! {
                        <div class="column" data-testid="stage">
                            <div class="muted small">{i18n::stage(l, s.stage)}</div>
                            <div class="big">{s.count}</div>
                            <div class="small">{money(s.value)}</div>
                            {s.leads.into_iter().take(COLUMN_SHOWN).map(|c| {
                                let id = c.id;
                                view! {
                                    <button class="lead-card" class:overdue=c.overdue data-testid="lead-card"
                                        on:click=move |_| dispatch.run(Event::Sales(SalesEvent::OpenLead(id)))>
                                        <b>{c.name}</b>
                                        <span class="small muted">{c.interest}</span>
                                        <span class="small">{money(c.expected_value)}</span>
                                        {c.next_follow_up.map(|n| view! { <span class="small">"⏰ "{n}</span> })}
                                    </button>
                                }
                            }).collect_view()}
                            {(more > 0).then(|| view! { <div class="small muted">"+"{more}</div> })}
                        </div>
                    }
                })
                .collect_view()
        })
    };
    let stats = move || {
        let l = lang.get();
        data.with(|d| {
            d.as_ref().map(|d| {
                let s = &d.stats;
                format!(
                    "{}: {} {} · {}: {}%",
                    i18n::tr(l, "Conversion"),
                    s.conversion_days.map_or("—".into(), |n| n.to_string()),
                    i18n::tr(l, "days"),
                    i18n::tr(l, "On time"),
                    s.on_time_pct.map_or("—".into(), |n| n.to_string()),
                )
            })
        })
    };
    view! {
        <section class="phone" data-testid="follow-ups">
            <h2>{t!(lang, "Follow-ups")}</h2>
            {section("Overdue", "overdue", |d| d.overdue.clone(), true)}
            {section("Today", "today", |d| d.today.clone(), true)}
            {section("Upcoming", "upcoming", |d| d.upcoming.clone(), true)}
            <h3>{t!(lang, "Pipeline")}</h3>
            <div class="pipeline">{pipeline}</div>
            <p class="small muted">{stats}</p>
            <SearchBox/>
        </section>
    }
}

fn follow_up(c: FollowUpCard, outcomes: RwSignal<HashMap<FollowUpId, String>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let lang = use_lang();
    let id = c.id;
    let (lead, customer) = (c.lead, c.customer);
    let log = move |kind: InteractionKind| {
        let outcome = outcomes
            .with_untracked(|o| o.get(&id).cloned())
            .unwrap_or_default();
        dispatch.run(Event::Sales(SalesEvent::LogInteraction {
            lead,
            customer,
            kind,
            outcome,
        }));
        outcomes.update(|o| {
            o.remove(&id);
        });
    };
    let l = lang.get_untracked();
    view! {
        <li class=format!("followup u{}", c.urgency) data-testid="follow-up" data-reason=c.reason.clone()>
            <div class="row">
                <b>{c.title.clone()}</b>
                <span class="chip">{c.label.clone()}</span>
                <span class="muted small">{c.due.clone()}</span>
                {c.snoozed.then_some("💤")}
            </div>
            {(!c.note.is_empty()).then(|| view! { <div class="small">{c.note.clone()}</div> })}
            <input class="small" placeholder=i18n::tr(l, "What happened?")
                prop:value=move || outcomes.with(|o| o.get(&id).cloned().unwrap_or_default())
                on:input=move |ev| { let v = event_target_value(&ev); outcomes.update(|o| { o.insert(id, v); }); }/>
            <div class="actions">
                <button class="chip" on:click=move |_| log(InteractionKind::Call)>{i18n::tr(l, "Log call")}</button>
                <button class="chip" on:click=move |_| log(InteractionKind::Visit)>{i18n::tr(l, "Log visit")}</button>
                <button class="chip" data-testid="done" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::Complete(id)))>{i18n::tr(l, "Done")}</button>
                <button class="chip" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::Snooze { id, choice: Snooze::TomorrowMorning }))>{i18n::tr(l, "Tomorrow morning")}</button>
                <button class="chip" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::Snooze { id, choice: Snooze::Days(3) }))>{i18n::tr(l, "In 3 days")}</button>
                {c.can_book_visit.then(|| view! {
                    <button class="chip" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::BookMaintenanceVisit(id)))>{i18n::tr(l, "Book a visit")}</button>
                })}
                {lead.map(|lead| view! {
                    <button class="chip" on:click=move |_| dispatch.run(Event::Sales(SalesEvent::OpenLead(lead)))>{i18n::tr(l, "Open lead")}</button>
                })}
            </div>
        </li>
    }
}

#[component]
pub fn LeadDetail() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let lang = use_lang();
    let lead = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Sales(SalesScreen::Lead(l)) => Some(l.clone()),
            _ => None,
        })
    });
    let outcome = RwSignal::new(String::new());
    let lost_reason = RwSignal::new(String::new());
    let won_value = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let id = move || lead.with(|l| l.as_ref().map(|l| l.id));
    let log = move |kind: InteractionKind| {
        dispatch.run(Event::Sales(SalesEvent::LogInteraction {
            lead: id(),
            customer: None,
            kind,
            outcome: outcome.get_untracked(),
        }));
        outcome.set(String::new());
    };
    let move_to = move |to: Stage| {
        let Some(lead) = id() else { return };
        dispatch.run(Event::Sales(SalesEvent::MoveLead {
            lead,
            to,
            lost_reason: (to == Stage::Lost).then(|| lost_reason.get_untracked()),
            won_value: (to == Stage::Won)
                .then(|| won_value.get_untracked().trim().parse().unwrap_or(0)),
        }));
    };
    let schedule = move |_| {
        let Some(lead) = id() else { return };
        let due_ms = js_sys::Date::new(&due.get_untracked().into()).get_time() as i64;
        dispatch.run(Event::Sales(SalesEvent::ScheduleFollowUp {
            lead,
            due_ms,
            note: note.get_untracked(),
        }));
    };
    let info = move || lead.get().map(|d| info(lang.get(), d));
    let stages = move || {
        let l = lang.get();
        lead.with(|d| d.as_ref().map(|d| d.next_stages.clone()).unwrap_or_default())
            .into_iter()
            .map(|s| view! { <button class="chip" on:click=move |_| move_to(s)>{i18n::tr(l, "Move to")}" "{i18n::stage(l, s)}</button> })
            .collect_view()
    };
    view! {
        <section class="phone" data-testid="lead">
            <button class="link" on:click=move |_| dispatch.run(Event::Sales(SalesEvent::CloseLead))>"← "{t!(lang, "Back")}</button>
            {info}
            <div class="card">
                <input placeholder=t!(lang, "What happened?") prop:value=move || outcome.get()
                    on:input=move |ev| outcome.set(event_target_value(&ev))/>
                <div class="actions">
                    <button class="primary" on:click=move |_| log(InteractionKind::Call)>{t!(lang, "Log call")}</button>
                    <button class="primary" on:click=move |_| log(InteractionKind::Visit)>{t!(lang, "Log visit")}</button>
                </div>
            </div>
            <div class="card">
                <div class="actions">{stages}</div>
                <label>{t!(lang, "Lost reason")}<input prop:value=move || lost_reason.get() on:input=move |ev| lost_reason.set(event_target_value(&ev))/></label>
                <label>{t!(lang, "Won value")}<input inputmode="numeric" prop:value=move || won_value.get() on:input=move |ev| won_value.set(event_target_value(&ev))/></label>
            </div>
            <div class="card">
                <label>{t!(lang, "Next follow-up")}<input type="datetime-local" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/></label>
                <label>{t!(lang, "Notes")}<input name="follow-up-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/></label>
                <button class="chip" on:click=schedule>{t!(lang, "Schedule")}</button>
            </div>
            {move || lead.get().map(|d| timeline(lang.get(), d))}
        </section>
    }
}

fn info(l: crate::i18n::Lang, d: LeadDetailView) -> impl IntoView {
    view! {
        <div class="card">
            <h2>{d.name}" "<span class="chip">{i18n::stage(l, d.stage)}</span></h2>
            <div class="small">{i18n::tr(l, "Phone")}": "{d.phone}</div>
            <div class="small">{i18n::tr(l, "Interest")}": "{d.interest}</div>
            <div class="small">{i18n::tr(l, "Expected value")}": "{money(d.expected_value)}</div>
            <div class="small">{i18n::tr(l, "Next follow-up")}": "{d.next_follow_up}</div>
            {d.lost_reason.map(|r| view! { <div class="small">{i18n::tr(l, "Lost reason")}": "{r}</div> })}
        </div>
    }
}

fn timeline(l: crate::i18n::Lang, d: LeadDetailView) -> impl IntoView {
    view! {
        <div class="card">
            <h3>{i18n::tr(l, "Timeline")}</h3>
            <ul class="small" data-testid="timeline">
                {d.timeline.into_iter().map(|e| view! {
                    <li><span class="muted">{e.at}</span>" · "{e.kind}" · "{e.text}" · "{e.author}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}
