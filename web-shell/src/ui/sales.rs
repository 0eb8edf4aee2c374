//! The rep's phone screens: follow-ups (overdue, today, upcoming), the pipeline as columns,
//! and one lead with its timeline; a call or a visit is logged in two taps.
//!
//! Every word, amount and allowed move comes from the view model; what the rep types goes to
//! the core a field at a time as it is typed (`SalesEvent::TypeOnLead`, `TypeOnCard`), which
//! keeps it across refusals and says on the form what is wrong. Never the whole form: the view
//! it would be rebuilt from can be a frame old, and would undo another field typed since.

use domain::leads::InteractionKind;
use leptos::callback::Callable;
use leptos::prelude::*;
use shared::model::sales::{CardDraft, CardField, LeadDraft, LeadField};
use shared::model::{Event, FollowUpEvent, SalesEvent};
use shared::view::sales::{FollowUpCard, LeadDetailView, SalesLabels};
use shared::view::{FollowUpsView, SalesScreen, Screen};

use super::lookup::LookupBox;
use crate::w;
use crate::{use_dispatch, use_view};

const SHOWN: usize = 10;
const COLUMN_SHOWN: usize = 8;

#[component]
pub fn FollowUps() -> impl IntoView {
    let view = use_view();
    let data = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Sales(SalesScreen::FollowUps(f)) => Some(f.clone()),
            _ => None,
        })
    });
    let section = move |title: fn(&shared::view::Labels) -> String,
                        testid: &'static str,
                        pick: fn(&FollowUpsView) -> &Vec<FollowUpCard>| {
        // Lists can run to hundreds; the first few are shown until asked for all.
        let show_all = RwSignal::new(false);
        let total = move || data.with(|d| d.as_ref().map_or(0, |d| pick(d).len()));
        let more = move || !show_all.get() && total() > SHOWN;
        let shown = move || {
            let cap = if show_all.get() { usize::MAX } else { SHOWN };
            data.with(|d| {
                d.as_ref()
                    .map(|d| pick(d).iter().take(cap).cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
            })
        };
        view! {
            <h3>{move || view.with(|v| title(&v.labels))}" "<span class="muted small">{total}</span></h3>
            <ul class="followups" data-testid=testid>
                <Show when=move || total() == 0>
                    <li class="muted">{w!(sales.nothing_to_follow_up)}</li>
                </Show>
                // Keyed by what the card shows besides its fields, so that typing in a card
                // never rebuilds it (and its input keeps the focus).
                <For each=shown key=card_key children=move |c| follow_up(c, data)/>
            </ul>
            <Show when=more>
                <button class="link" on:click=move |_| show_all.set(true)>{w!(sales.show_all)}" ("{total}")"</button>
            </Show>
        }
    };
    let dispatch = use_dispatch();
    let pipeline = move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| d.pipeline.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|s| {
                    let more = s.leads.len().saturating_sub(COLUMN_SHOWN);
                    view! {
                        <div class="column" data-testid="stage">
                            <div class="muted small">{s.stage_word.text}</div>
                            <div class="big">{s.count}</div>
                            <div class="small">{s.value.shown}</div>
                            {s.leads.into_iter().take(COLUMN_SHOWN).map(|c| {
                                let id = c.id;
                                view! {
                                    <button class="lead-card" class:overdue=c.overdue data-testid="lead-card"
                                        on:click=move |_| dispatch.run(Event::Sales(SalesEvent::OpenLead(id)))>
                                        <b>{c.name}</b>
                                        {super::sync_badge(&c.sync)}
                                        <span class="small muted">{c.interest.text}</span>
                                        <span class="small">{c.expected_value.shown}</span>
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
        data.with(|d| {
            d.as_ref().map(|d| {
                let rates = d
                    .stats
                    .win_rate_by_source
                    .iter()
                    .map(|r| r.words.text.clone());
                std::iter::once(d.stats.summary.text.clone())
                    .chain(rates)
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
        })
    };
    view! {
        <section class="phone" data-testid="follow-ups">
            <h2>{w!(sales.follow_ups)}</h2>
            {section(|l| l.sales.overdue.text.clone(), "overdue", |d| &d.overdue)}
            {section(|l| l.sales.today.text.clone(), "today", |d| &d.today)}
            {section(|l| l.sales.upcoming.text.clone(), "upcoming", |d| &d.upcoming)}
            <p class="muted small" data-testid="upcoming-more">{move || data.with(|d| d.as_ref().and_then(|d| d.upcoming_more.clone()).map(|w| w.text))}</p>
            <Backlog data=data/>
            <h3>{w!(sales.pipeline)}</h3>
            <div class="pipeline">{pipeline}</div>
            <p class="small muted">{stats}</p>
            <LookupBox/>
        </section>
    }
}

/// What the day cannot hold: summed up by kind, a page of cards in the order chosen, each of
/// which can be handed to a colleague. The core pages and sorts; the shell only asks.
#[component]
fn Backlog(data: Memo<Option<FollowUpsView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let backlog = Memo::new(move |_| data.with(|d| d.as_ref().and_then(|d| d.backlog.clone())));
    let page = move || backlog.with(|b| b.as_ref().map(|b| b.page.clone()).unwrap_or_default());
    let go = move |to: u32| dispatch.run(Event::Sales(SalesEvent::BacklogPage(to)));
    let cards = move || backlog.with(|b| b.as_ref().map(|b| b.cards.clone()).unwrap_or_default());
    let kinds = move || {
        backlog.with(|b| {
            b.as_ref()
                .map(|b| b.by_kind.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|k| view! { <li>{k.label.text}": "<b>{k.count}</b></li> })
                .collect_view()
        })
    };
    let sorts = move || {
        backlog.with(|b| {
            b.as_ref().map(|b| {
                b.sorts
                    .iter()
                    .enumerate()
                    .map(|(i, s)| view! { <option value=i.to_string() selected=s.sort == b.sort>{s.label.text.clone()}</option> })
                    .collect_view()
            })
        })
    };
    view! {
        <Show when=move || backlog.with(Option::is_some)>
            <h3>{w!(sales.backlog)}" "<span class="muted small" data-testid="backlog-total">{move || page().total}</span></h3>
            <p class="small" data-testid="backlog-summary">{move || backlog.with(|b| b.as_ref().map(|b| b.summary.text.clone()))}</p>
            <ul class="small kinds" data-testid="backlog-kinds">{kinds}</ul>
            <select data-testid="backlog-sort" on:change=move |ev| {
                let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                if let Some(sort) = backlog.with_untracked(|b| b.as_ref().and_then(|b| b.sorts.get(i).map(|s| s.sort))) {
                    dispatch.run(Event::Sales(SalesEvent::BacklogSort(sort)));
                }
            }>{sorts}</select>
            <ul class="followups" data-testid="backlog">
                <For each=cards key=card_key children=move |c| follow_up(c, data)/>
            </ul>
            <div class="row small">
                <button class="chip" data-testid="backlog-previous" disabled=move || page().index == 0
                    on:click=move |_| go(page().index.saturating_sub(1))>"‹ "{w!(dispatcher.previous_page)}</button>
                <span class="muted" data-testid="backlog-shown">{move || page().shown.map(|w| w.text)}</span>
                <button class="chip" data-testid="backlog-next" disabled=move || { page().index + 1 >= page().pages }
                    on:click=move |_| go(page().index + 1)>{w!(dispatcher.next_page)}" ›"</button>
            </div>
        </Show>
    }
}

/// What a card shows besides what is typed in it.
fn card_key(c: &FollowUpCard) -> String {
    let mut c = c.clone();
    c.draft = CardDraft::default();
    format!("{c:?}")
}

fn follow_up(c: FollowUpCard, data: Memo<Option<FollowUpsView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let id = c.id;
    let lead = c.lead;
    // The card's fields as the core holds them now.
    let draft = move || {
        data.with(|d| {
            d.as_ref()
                .and_then(|d| {
                    d.overdue
                        .iter()
                        .chain(&d.today)
                        .chain(&d.upcoming)
                        .chain(d.backlog.iter().flat_map(|b| &b.cards))
                        .find(|c| c.id == id)
                        .map(|c| c.draft.clone())
                })
                .unwrap_or_default()
        })
    };
    let edit = move |field: CardField, value: String| {
        dispatch.run(Event::Sales(SalesEvent::TypeOnCard { id, field, value }));
    };
    let log =
        move |kind: InteractionKind| dispatch.run(Event::Sales(SalesEvent::LogOnCard { id, kind }));
    let snoozes = c
        .snooze
        .iter()
        .map(|s| {
            let choice = s.choice;
            view! {
                <button class="chip" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::Snooze { id, choice }))>{s.label.text.clone()}</button>
            }
        })
        .collect_view();
    // Colleagues it can be handed to, once the day is full (the backlog lists them).
    let colleagues = data.with_untracked(|d| {
        d.as_ref()
            .and_then(|d| d.backlog.as_ref())
            .map(|b| b.hand_to.clone())
            .unwrap_or_default()
    });
    let hand_out = (!colleagues.is_empty()).then(|| hand_to(id, colleagues, "hand-to"));
    view! {
        <li class=format!("followup u{}", c.urgency) data-testid="follow-up" data-reason=c.reason.clone()>
            <div class="row">
                <b>{c.title.clone()}</b>
                <span class="chip">{c.label.text.clone()}</span>
                <span class="muted small">{c.due.clone()}</span>
                {super::sync_badge(&c.sync)}
                {c.snoozed.then_some("💤")}
            </div>
            {c.why.clone().map(|w| view! { <div class="small" data-testid="why">{w.text}</div> })}
            {(!c.note.is_empty()).then(|| view! { <div class="small">{c.note.clone()}</div> })}
            <input class="small" name="outcome" placeholder=w!(sales.what_happened)
                prop:value=move || draft().outcome
                on:input=move |ev| edit(CardField::Outcome, event_target_value(&ev))/>
            <div class="actions">
                <button class="chip" disabled=c.busy on:click=move |_| log(InteractionKind::Call)>{w!(sales.log_call)}</button>
                <button class="chip" disabled=c.busy on:click=move |_| log(InteractionKind::Visit)>{w!(sales.log_visit)}</button>
                <button class="chip" data-testid="done" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::Complete(id)))>{w!(sales.done)}</button>
                {snoozes}
                {c.can_book_visit.then(|| view! {
                    <button class="chip" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::BookMaintenanceVisit(id)))>{w!(sales.book_visit)}</button>
                })}
                {lead.map(|lead| view! {
                    <button class="chip" on:click=move |_| dispatch.run(Event::Sales(SalesEvent::OpenLead(lead)))>{w!(sales.open_lead)}</button>
                })}
                {hand_out}
            </div>
            <div class="row small">
                <input type="datetime-local" name="due" prop:value=move || draft().due
                    on:input=move |ev| edit(CardField::Due, event_target_value(&ev))/>
                <button class="chip" on:click=move |_| dispatch.run(Event::Sales(SalesEvent::RescheduleCard(id)))>{w!(sales.reschedule)}</button>
            </div>
            {c.error.clone().map(|e| view! { <p class="error" data-testid="card-error">{e.text}</p> })}
        </li>
    }
}

#[component]
pub fn LeadDetail() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let lead = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Sales(SalesScreen::Lead(l)) => Some(l.clone()),
            _ => None,
        })
    });
    // The form's fields as the core holds them: every keystroke goes there, so a refusal,
    // a sync or a language switch loses nothing typed.
    let draft = move || lead.with(|l| l.as_ref().map(|l| l.form.draft.clone()).unwrap_or_default());
    let typed = move |field: LeadField, value: String| {
        dispatch.run(Event::Sales(SalesEvent::TypeOnLead { field, value }));
    };
    let field = move |name: &'static str, get: fn(&LeadDraft) -> String, field: LeadField| {
        view! {
            <input name=name prop:value=move || get(&draft())
                on:input=move |ev| typed(field, event_target_value(&ev))/>
        }
    };
    let log = move |kind: InteractionKind| dispatch.run(Event::Sales(SalesEvent::LogOnLead(kind)));
    let stages = move || {
        lead.with(|d| d.as_ref().map(|d| d.next_stages.clone()).unwrap_or_default())
            .into_iter()
            .map(|m| {
                let to = m.stage;
                view! {
                    <button class="chip" data-testid=format!("move-{to:?}")
                        on:click=move |_| dispatch.run(Event::Sales(SalesEvent::MoveOpenLead(to)))>{m.label.text}</button>
                }
            })
            .collect_view()
    };
    let busy = move || lead.with(|l| l.as_ref().is_some_and(|l| l.form.busy));
    let error = move || {
        lead.with(|l| l.as_ref().and_then(|l| l.form.error.clone()))
            .map(|e| view! { <p class="error" data-testid="lead-error">{e.text}</p> })
    };
    view! {
        <section class="phone" data-testid="lead">
            <button class="link" on:click=move |_| dispatch.run(Event::Sales(SalesEvent::CloseLead))>"← "{w!(frame.back)}</button>
            {move || lead.get().map(|d| info(view.with_untracked(|v| v.labels.sales.clone()), d))}
            {error}
            <div class="card">
                <label>{w!(sales.what_happened)}{field("outcome", |d| d.outcome.clone(), LeadField::Outcome)}</label>
                <div class="actions">
                    <button class="primary" disabled=busy on:click=move |_| log(InteractionKind::Call)>{w!(sales.log_call)}</button>
                    <button class="primary" disabled=busy on:click=move |_| log(InteractionKind::Visit)>{w!(sales.log_visit)}</button>
                </div>
            </div>
            <div class="card">
                <div class="actions">{stages}</div>
                <label>{w!(sales.lost_reason)}{field("lost-reason", |d| d.lost_reason.clone(), LeadField::LostReason)}</label>
                <label>{w!(sales.won_value)}
                    <input name="won-value" inputmode="decimal" prop:value=move || draft().won_value
                        on:input=move |ev| typed(LeadField::WonValue, event_target_value(&ev))/>
                </label>
            </div>
            <div class="card">
                <label>{w!(sales.next_follow_up)}
                    <input type="datetime-local" name="follow-up-due" prop:value=move || draft().due
                        on:input=move |ev| typed(LeadField::Due, event_target_value(&ev))/>
                </label>
                <label>{w!(sales.notes)}{field("follow-up-note", |d| d.note.clone(), LeadField::Note)}</label>
                <button class="chip" disabled=busy on:click=move |_| dispatch.run(Event::Sales(SalesEvent::ScheduleOnLead))>{w!(sales.schedule)}</button>
            </div>
            {move || lead.get().map(timeline)}
        </section>
    }
}

fn info(labels: SalesLabels, d: LeadDetailView) -> impl IntoView {
    view! {
        <div class="card">
            <h2>{d.name}" "<span class="chip">{d.stage_word.text}</span></h2>
            {d.phone.map(|p| view! { <div class="small">{labels.phone.text.clone()}": "{p}</div> })}
            <div class="small">{labels.interest.text.clone()}": "{d.interest.text}{d.model.map(|m| format!(" · {m}"))}</div>
            {d.budget.map(|b| view! { <div class="small">{labels.budget.text.clone()}": "{b.shown}</div> })}
            <div class="small">{labels.expected_value.text.clone()}": "{d.expected_value.shown}</div>
            {d.won_value.map(|v| view! { <div class="small">{labels.won_value.text.clone()}": "{v.shown}</div> })}
            {d.next_follow_up.map(|n| view! { <div class="small">{labels.next_follow_up.text.clone()}": "{n}</div> })}
            {d.lost_reason.map(|r| view! { <div class="small">{labels.lost_reason.text.clone()}": "{r}</div> })}
        </div>
    }
}

fn timeline(d: LeadDetailView) -> impl IntoView {
    view! {
        <div class="card">
            <h3>{w!(sales.timeline)}</h3>
            <ul class="small" data-testid="timeline">
                {d.timeline.into_iter().map(|e| view! {
                    <li>
                        <span class="muted">{e.at}</span>" · "{e.kind.text}" · "
                        {e.change.map(|c| c.text)}{e.text}" · "{e.author}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// "Hand to…" and the colleagues a follow-up can go to: choosing one hands it on
/// (`SalesEvent::HandOut`), from the rep's lists or a rep's backlog on the board.
pub(super) fn hand_to(
    id: domain::ids::FollowUpId,
    colleagues: Vec<shared::view::sales::Colleague>,
    testid: &'static str,
) -> impl IntoView {
    let dispatch = use_dispatch();
    let options = colleagues
        .iter()
        .map(|p| view! { <option value=p.id.0.to_string()>{p.name.clone()}</option> })
        .collect_view();
    view! {
        <select class="small" data-testid=testid on:change=move |ev| {
            let chosen = event_target_value(&ev);
            if let Some(to) = colleagues.iter().find(|p| p.id.0.to_string() == chosen).map(|p| p.id) {
                dispatch.run(Event::Sales(SalesEvent::HandOut { id, to }));
            }
        }>
            <option value="" selected=true>{w!(sales.hand_to)}</option>
            {options}
        </select>
    }
}
