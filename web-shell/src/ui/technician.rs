//! The technician's phone screens: my day in order with ETAs, and one job with exactly the
//! steps its state allows, the completion form, the customer's assets and history.

use domain::jobs::{Completion, FollowUpKind, JobAction, PartUsed};
use leptos::callback::Callable;
use leptos::prelude::*;
use shared::model::{Event, TechnicianEvent};
use shared::view::technician::JobDetailView;
use shared::view::technician::TechnicianLabels;
use shared::view::{JobCard, Screen, TechnicianScreen};

use super::search::SearchBox;
use crate::i18n::{self, Lang, use_lang};
use crate::t;
use crate::{use_dispatch, use_view};

/// A job as a row, for the technician's day and the dispatcher's lists.
pub fn job_summary(labels: &TechnicianLabels, c: &JobCard) -> impl IntoView + use<> {
    let risk = if c.sla_breached {
        "risk-breached"
    } else if c.sla_at_risk {
        "risk-at-risk"
    } else {
        "risk-ok"
    };
    view! {
        <div class=format!("job {risk}") data-testid="job" data-number=c.number.clone()>
            <div class="row">
                <b>{c.number.clone()}</b>
                <span class=format!("status s-{:?}", c.status)>{c.status_word.text.clone()}</span>
                <span class=format!("prio p-{:?}", c.priority)>{c.priority_word.text.clone()}</span>
            </div>
            <div class="row">
                <span>{c.customer_name.clone()}</span>
                <span class=format!("tier t-{:?}", c.tier)>{c.tier_word.text.clone()}</span>
                <span class="muted">{c.service_word.text.clone()}</span>
            </div>
            <div class="muted small">{c.address.clone()}</div>
            <div class="muted small">{c.description.clone()}</div>
            <div class="row small">
                {c.eta.clone().map(|e| view! { <span>{labels.eta.text.clone()}" "<b data-testid="eta">{e}</b></span> })}
                {c.window.clone().map(|w| view! { <span>{labels.window.text.clone()}" "{w}</span> })}
                <span>{labels.sla_by.text.clone()}" "{c.sla_deadline.clone()}</span>
                {c.technician.clone().map(|t| view! { <span class="muted">"· "{t}</span> })}
            </div>
        </div>
    }
}

#[component]
pub fn MyDay() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let lang = use_lang();
    let day = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Technician(TechnicianScreen::MyDay(d)) => Some(d.clone()),
            _ => None,
        })
    });
    let list = move |waiting: bool| {
        move || {
            let labels = view.with(|v| v.labels.technician.clone());
            let jobs = day.with(|d| {
                d.as_ref()
                    .map(|d| {
                        if waiting {
                            d.waiting.clone()
                        } else {
                            d.jobs.clone()
                        }
                    })
                    .unwrap_or_default()
            });
            jobs.into_iter()
                .map(|c| {
                    let id = c.id;
                    view! {
                        <li class="tap" on:click=move |_| dispatch.run(Event::Technician(TechnicianEvent::OpenJob(id)))>
                            {job_summary(&labels, &c)}
                        </li>
                    }
                })
                .collect_view()
        }
    };
    let empty = move || day.with(|d| d.as_ref().is_none_or(|d| d.jobs.is_empty()));
    view! {
        <section class="phone" data-testid="my-day">
            <h2>{t!(lang, "My day")}" "<span class="muted">{move || day.with(|d| d.as_ref().map(|d| d.date.clone()))}</span></h2>
            <Show when=empty><p class="muted">{t!(lang, "No jobs today.")}</p></Show>
            <ol class="jobs">{list(false)}</ol>
            <Show when=move || day.with(|d| d.as_ref().is_some_and(|d| !d.waiting.is_empty()))>
                <h3>{t!(lang, "Waiting for parts or a return visit")}</h3>
                <ul class="jobs">{list(true)}</ul>
            </Show>
            <SearchBox/>
        </section>
    }
}

#[component]
pub fn JobDetail() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let lang = use_lang();
    let detail = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Technician(TechnicianScreen::Job(d)) => Some(d.clone()),
            _ => None,
        })
    });
    // The forms live here, outside the repainted parts, so nothing typed is lost.
    let completing = RwSignal::new(false);
    let following_up = RwSignal::new(false);
    let notes = RwSignal::new(String::new());
    let parts = RwSignal::new(String::new());
    let score = RwSignal::new(String::from("5"));
    let first_fix = RwSignal::new(true);
    let reason = RwSignal::new(String::new());
    let kind = RwSignal::new(FollowUpKind::Parts);
    let job = move || detail.with(|d| d.as_ref().map(|d| d.card.id));

    let act = move |a: JobAction| {
        let Some(job) = job() else { return };
        match a {
            JobAction::StartTravel => {
                dispatch.run(Event::Technician(TechnicianEvent::StartTravel(job)))
            }
            JobAction::Arrive => dispatch.run(Event::Technician(TechnicianEvent::Arrive(job))),
            JobAction::Complete => completing.set(true),
            JobAction::NeedFollowUp => following_up.set(true),
            _ => {}
        }
    };
    let complete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(job) = job() else { return };
        let completion = Completion {
            notes: notes.get_untracked(),
            parts: parse_parts(&parts.get_untracked()),
            satisfaction: score.get_untracked().trim().parse().ok(),
            first_visit_fix: first_fix.get_untracked(),
            ..Completion::default()
        };
        dispatch.run(Event::Technician(TechnicianEvent::Complete {
            job,
            completion,
        }));
        completing.set(false);
    };
    let follow_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(job) = job() else { return };
        dispatch.run(Event::Technician(TechnicianEvent::NeedFollowUp {
            job,
            kind: kind.get_untracked(),
            reason: reason.get_untracked(),
        }));
        following_up.set(false);
    };
    let actions = move || {
        detail
            .with(|d| d.as_ref().map(|d| d.card.actions.clone()).unwrap_or_default())
            .into_iter()
            .filter(|a| a.action.is_field_action())
            .map(|b| {
                let a = b.action;
                view! {
                    <button class="primary" data-testid=format!("action-{a:?}") on:click=move |_| act(a)>
                        {b.label.text}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <section class="phone" data-testid="job-detail">
            <button class="link" on:click=move |_| dispatch.run(Event::Technician(TechnicianEvent::CloseJob))>"← "{t!(lang, "Back")}</button>
            {move || detail.get().map(|d| super::technician::job_summary(&view.with(|v| v.labels.technician.clone()), &d.card))}
            <div class="actions">{actions}</div>
            <Show when=move || completing.get() && job().is_some()>
                <form class="card" on:submit=complete data-testid="completion-form">
                    <h3>{t!(lang, "Completion")}</h3>
                    <label>{t!(lang, "Notes")}
                        <textarea name="notes" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                    </label>
                    <label>{t!(lang, "Parts used (one per line, e.g. felt x2)")}
                        <textarea name="parts" prop:value=move || parts.get() on:input=move |ev| parts.set(event_target_value(&ev))></textarea>
                    </label>
                    <label>{t!(lang, "Customer satisfaction (1–5)")}
                        <select name="score" prop:value=move || score.get() on:change=move |ev| score.set(event_target_value(&ev))>
                            {["5", "4", "3", "2", "1"].map(|s| view! { <option value=s>{s}</option> })}
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || first_fix.get() on:change=move |ev| first_fix.set(event_target_checked(&ev))/>
                        {t!(lang, "Fixed on the first visit")}
                    </label>
                    <button type="submit" class="primary" data-testid="complete-submit">{t!(lang, "Complete job")}</button>
                    <button type="button" class="link" on:click=move |_| completing.set(false)>{t!(lang, "Close")}</button>
                </form>
            </Show>
            <Show when=move || following_up.get() && job().is_some()>
                <form class="card" on:submit=follow_up>
                    <label class="check">
                        <input type="radio" name="kind" prop:checked=move || kind.get() == FollowUpKind::Parts on:change=move |_| kind.set(FollowUpKind::Parts)/>
                        {t!(lang, "Needs parts")}
                    </label>
                    <label class="check">
                        <input type="radio" name="kind" prop:checked=move || kind.get() == FollowUpKind::ReturnVisit on:change=move |_| kind.set(FollowUpKind::ReturnVisit)/>
                        {t!(lang, "Return visit")}
                    </label>
                    <label>{t!(lang, "Reason")}
                        <input prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="primary">{t!(lang, "Save")}</button>
                    <button type="button" class="link" on:click=move |_| following_up.set(false)>{t!(lang, "Close")}</button>
                </form>
            </Show>
            {move || detail.get().map(|d| customer_and_history(lang.get(), d))}
        </section>
    }
}

fn customer_and_history(l: Lang, d: JobDetailView) -> impl IntoView {
    let c = d.customer;
    view! {
        <div class="card">
            <h3>{c.name.clone()}" "<span class="muted small">{c.number.clone()}</span>" "
                <span class=format!("tier t-{:?}", c.tier)>{i18n::tier(l, c.tier)}</span></h3>
            <div class="small">{c.phones.join(" · ")}</div>
            <div class="small muted">{c.address.clone()}</div>
            <h4>{i18n::tr(l, "Assets")}</h4>
            <ul class="small" data-testid="assets">
                {c.assets.into_iter().map(|a| view! {
                    <li>
                        <b>{a.product}</b>" "<span class="muted">{a.serial_number}</span><br/>
                        <span class:ok=a.under_warranty>{i18n::tr(l, "Warranty")}": "{a.warranty}</span>
                        {a.maintenance_due.map(|m| view! { <span>" · "{i18n::tr(l, "Maintenance due")}" "{m}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            <h4>{i18n::tr(l, "Last visits")}</h4>
            <ul class="small">
                {c.last_visits.into_iter().map(|v| view! {
                    <li>{v.date}" · "{i18n::service(l, v.service)}" · "{i18n::status(l, v.status)}
                        {v.satisfaction.map(|s| format!(" · ★{s}"))}" "<span class="muted">{v.notes}</span></li>
                }).collect_view()}
            </ul>
            <h4>{i18n::tr(l, "History")}</h4>
            <ul class="small" data-testid="history">
                {d.history.into_iter().map(|h| view! {
                    <li>{h.at}" · "{i18n::status(l, h.from)}" → "{i18n::status(l, h.to)}" · "{h.by}
                        {h.note.map(|n| format!(" · {n}"))}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// "felt x2" per line; a line without a count is one part.
fn parse_parts(text: &str) -> Vec<PartUsed> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.rsplit_once(['x', '×']) {
            Some((item, n)) if n.trim().parse::<u32>().is_ok() && !item.trim().is_empty() => {
                PartUsed {
                    item: item.trim().to_owned(),
                    quantity: n.trim().parse().unwrap_or(1),
                }
            }
            _ => PartUsed {
                item: l.to_owned(),
                quantity: 1,
            },
        })
        .collect()
}
