//! The technician's phone screens: my day in order with ETAs, and one job with exactly the
//! steps its state allows, the completion and follow-up forms, the customer's assets and
//! history. Everything shown, and every form's draft and refusal, comes from the core.

use leptos::callback::Callable;
use leptos::prelude::*;
use shared::model::map::MapEvent;
use shared::model::technician::{CompletionDraft, FollowUpDraft};
use shared::model::{DispatcherEvent, Event, TechnicianEvent};
use shared::view::technician::{
    JobDetailView, JobFormView, PlaceCustomerView, PlaceFrom, TechnicianLabels,
};
use shared::view::{JobCard, Screen, TechnicianScreen};

use super::lookup::LookupBox;
use crate::w;
use crate::{Dispatch, use_dispatch, use_view};

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
                {super::sync_badge(&c.sync)}
            </div>
            <div class="row">
                <span>{c.customer_name.clone()}</span>
                <span class=format!("tier t-{:?}", c.tier)>{c.tier_word.text.clone()}</span>
                <span class="muted">{c.service_word.text.clone()}</span>
            </div>
            <div class="muted small">{c.address.clone()}</div>
            <div class="muted small">{c.description.clone()}</div>
            {c.crew.clone().map(|w| view! { <div class="small crew" data-testid="crew">{w.text}</div> })}
            <div class="row small">
                {c.eta.clone().map(|e| view! { <span>{labels.eta.text.clone()}" "<b data-testid="eta">{e}</b></span> })}
                {c.window.clone().map(|w| view! { <span>{labels.window.text.clone()}" "{w}</span> })}
                <span>{labels.sla_by.text.clone()}" "{c.sla_deadline.clone()}</span>
                {c.technician.clone().map(|t| view! { <span class="muted">"· "{t}</span> })}
            </div>
        </div>
    }
}

fn send(dispatch: crate::Dispatch, event: TechnicianEvent) {
    dispatch.run(Event::Technician(event));
}

#[component]
pub fn MyDay() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
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
                        <li class="tap" on:click=move |_| send(dispatch, TechnicianEvent::OpenJob(id))>
                            {job_summary(&labels, &c)}
                        </li>
                    }
                })
                .collect_view()
        }
    };
    let empty = move || day.with(|d| d.as_ref().and_then(|d| d.empty.clone()));
    view! {
        <section class="phone" data-testid="my-day">
            <h2>{w!(technician.my_day)}" "<span class="muted">{move || day.with(|d| d.as_ref().map(|d| d.date.clone()))}</span></h2>
            {move || empty().map(|e| view! { <p class="muted">{e.text}</p> })}
            <ol class="jobs">{list(false)}</ol>
            <Show when=move || day.with(|d| d.as_ref().is_some_and(|d| !d.waiting.is_empty()))>
                <h3>{w!(technician.waiting)}</h3>
                <ul class="jobs">{list(true)}</ul>
            </Show>
            <LookupBox/>
        </section>
    }
}

/// Which form the core has open on the job.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Completion,
    FollowUp,
}

#[component]
pub fn JobDetail() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let detail = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Technician(TechnicianScreen::Job(d)) => Some(d.clone()),
            _ => None,
        })
    });
    let open = Memo::new(move |_| {
        detail.with(|d| match d.as_ref().and_then(|d| d.form.as_ref()) {
            Some(JobFormView::Completion(_)) => Some(Open::Completion),
            Some(JobFormView::FollowUp(_)) => Some(Open::FollowUp),
            None => None,
        })
    });
    let actions = move || {
        detail
            .with(|d| {
                d.as_ref()
                    .map(|d| d.card.actions.clone())
                    .unwrap_or_default()
            })
            .into_iter()
            .map(|b| {
                let a = b.action;
                view! {
                    <button class="primary" data-testid=format!("action-{a:?}")
                        on:click=move |_| send(dispatch, TechnicianEvent::Act(a))>
                        {b.label.text}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <section class="phone" data-testid="job-detail">
            <button class="link" on:click=move |_| send(dispatch, TechnicianEvent::CloseJob)>"← "{w!(frame.back)}</button>
            {move || detail.get().map(|d| job_summary(&view.with(|v| v.labels.technician.clone()), &d.card))}
            <div class="actions">{actions}</div>
            {move || detail.with(|d| d.as_ref().and_then(|d| d.card.place_customer.clone())).map(|p| place_customer(dispatch, p))}
            <Show when=move || open.get() == Some(Open::Completion)>
                <CompletionForm detail/>
            </Show>
            <Show when=move || open.get() == Some(Open::FollowUp)>
                <FollowUpForm detail/>
            </Show>
            {move || detail.get().map(|d| customer_and_history(&view.with(|v| v.labels.technician.clone()), d))}
        </section>
    }
}

/// The completion form: each change goes to the core as the draft, which checks it on
/// submit and keeps it (with the reason) when it is refused.
#[component]
fn CompletionForm(detail: Memo<Option<JobDetailView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let form = Memo::new(move |_| {
        detail.with(|d| match d.as_ref().and_then(|d| d.form.as_ref()) {
            Some(JobFormView::Completion(f)) => Some(f.clone()),
            _ => None,
        })
    });
    let draft = RwSignal::new(
        form.with_untracked(|f| f.as_ref().map(|f| f.draft.clone()))
            .unwrap_or_default(),
    );
    let change = move |edit: &dyn Fn(&mut CompletionDraft)| {
        draft.update(|d| edit(d));
        send(
            dispatch,
            TechnicianEvent::CompletionDraft(draft.get_untracked()),
        );
    };
    // Apart from the draft, so the options are only redrawn when their words change.
    let choices = Memo::new(move |_| {
        form.with(|f| {
            f.as_ref()
                .map(|f| f.satisfaction.clone())
                .unwrap_or_default()
        })
    });
    let chosen = move || {
        let score = draft.with(|d| d.satisfaction);
        choices
            .get()
            .into_iter()
            .find(|c| c.score == score)
            .map(|c| c.value)
            .unwrap_or_default()
    };
    let error = move || form.with(|f| f.as_ref().and_then(|f| f.error.clone()));
    let saving = move || form.with(|f| f.as_ref().is_some_and(|f| f.saving));
    view! {
        <form class="card" data-testid="completion-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send(dispatch, TechnicianEvent::SubmitCompletion);
        }>
            <h3>{w!(technician.completion)}</h3>
            <label>{w!(technician.notes)}
                <textarea name="notes" prop:value=move || draft.with(|d| d.notes.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); change(&|d| d.notes = v.clone()); }></textarea>
            </label>
            <label>{w!(technician.parts_used)}
                <textarea name="parts" prop:value=move || draft.with(|d| d.parts.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); change(&|d| d.parts = v.clone()); }></textarea>
                <span class="muted small">{w!(technician.parts_hint)}</span>
            </label>
            <label>{w!(technician.satisfaction)}
                <select name="score" prop:value=chosen
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(c) = choices.get_untracked().into_iter().find(|c| c.value == v) {
                            change(&|d| d.satisfaction = c.score);
                        }
                    }>
                    {move || {
                        let score = draft.with_untracked(|d| d.satisfaction);
                        choices.get().into_iter().map(|c| view! {
                            <option value=c.value selected=c.score == score>{c.label.text}</option>
                        }).collect_view()
                    }}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || draft.with(|d| d.first_visit_fix)
                    on:change=move |ev| { let on = event_target_checked(&ev); change(&|d| d.first_visit_fix = on); }/>
                {w!(technician.first_visit_fix)}
            </label>
            {move || error().map(|e| view! { <p class="error" data-testid="completion-error">{e.text}</p> })}
            <button type="submit" class="primary" data-testid="complete-submit" prop:disabled=saving>{w!(technician.complete_job)}</button>
            <button type="button" class="link" on:click=move |_| send(dispatch, TechnicianEvent::CloseForm)>{w!(frame.close)}</button>
        </form>
    }
}

/// The "needs follow-up" form, kept by the core like the completion form.
#[component]
fn FollowUpForm(detail: Memo<Option<JobDetailView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let form = Memo::new(move |_| {
        detail.with(|d| match d.as_ref().and_then(|d| d.form.as_ref()) {
            Some(JobFormView::FollowUp(f)) => Some(f.clone()),
            _ => None,
        })
    });
    let draft = RwSignal::new(
        form.with_untracked(|f| f.as_ref().map(|f| f.draft.clone()))
            .unwrap_or_default(),
    );
    let change = move |edit: &dyn Fn(&mut FollowUpDraft)| {
        draft.update(|d| edit(d));
        send(
            dispatch,
            TechnicianEvent::FollowUpDraft(draft.get_untracked()),
        );
    };
    let kinds =
        Memo::new(move |_| form.with(|f| f.as_ref().map(|f| f.kinds.clone()).unwrap_or_default()));
    let kinds = move || {
        kinds
            .get()
            .into_iter()
            .map(|c| {
                let kind = c.kind;
                view! {
                    <label class="check">
                        <input type="radio" name="kind" prop:checked=move || draft.with(|d| d.kind == kind)
                            on:change=move |_| change(&|d| d.kind = kind)/>
                        {c.label.text}
                    </label>
                }
            })
            .collect_view()
    };
    let error = move || form.with(|f| f.as_ref().and_then(|f| f.error.clone()));
    let saving = move || form.with(|f| f.as_ref().is_some_and(|f| f.saving));
    view! {
        <form class="card" data-testid="follow-up-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send(dispatch, TechnicianEvent::SubmitFollowUp);
        }>
            <h3>{w!(technician.follow_up)}</h3>
            {kinds}
            <label>{w!(technician.reason)}
                <input name="reason" prop:value=move || draft.with(|d| d.reason.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); change(&|d| d.reason = v.clone()); }/>
            </label>
            {move || error().map(|e| view! { <p class="error" data-testid="follow-up-error">{e.text}</p> })}
            <button type="submit" class="primary" data-testid="follow-up-submit" prop:disabled=saving>{w!(frame.save)}</button>
            <button type="button" class="link" on:click=move |_| send(dispatch, TechnicianEvent::CloseForm)>{w!(frame.close)}</button>
        </form>
    }
}

pub(crate) fn customer_and_history(
    labels: &TechnicianLabels,
    d: JobDetailView,
) -> impl IntoView + use<> {
    let c = d.customer;
    let l = labels.clone();
    let privacy = c.privacy.clone().map(|p| privacy_actions(c.id, p));
    let purchase = c.purchase.clone().map(|p| purchase_form(c.id, p));
    view! {
        <div class="card">
            <h3>{c.name.clone()}" "<span class="muted small">{c.number.clone()}</span>" "
                <span class=format!("tier t-{:?}", c.tier)>{c.tier_word.text.clone()}</span></h3>
            <div class="small">
                {c.phones.into_iter().enumerate().map(|(i, p)| view! {
                    {(i > 0).then_some(" · ")}<a href=p.dial>{p.shown}</a>
                }).collect_view()}
            </div>
            <div class="small muted">{c.address.clone()}</div>
            <h4>{l.assets.text.clone()}</h4>
            <ul class="small" data-testid="assets">
                {c.assets.into_iter().map(|a| view! {
                    <li>
                        <b>{a.product}</b>" "<span class="muted">{a.serial_number}</span><br/>
                        <span class:ok=a.under_warranty>{l.warranty.text.clone()}": "{a.warranty.text}</span>
                        {a.maintenance_due.map(|m| view! { <span>" · "{l.maintenance_due.text.clone()}" "{m}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            {c.value.map(|v| view! {
                <div class="small value" data-testid="customer-value">
                    <span class=format!("stage s-{:?}", v.lifecycle)>{v.lifecycle_word.text}</span>" · "
                    <span class=format!("risk r-{:?}", v.churn)>{v.churn_word.text}</span>
                    {(!v.rfm_text.is_empty()).then(|| view! { " · "<b>{v.rfm_text.clone()}</b> })}
                    <div class="muted">{v.summary.text}</div>
                </div>
                {(!v.purchases.is_empty()).then(|| view! {
                    <h4>{l.purchases.text.clone()}</h4>
                    <ul class="small" data-testid="purchases">
                        {v.purchases.into_iter().map(|p| view! {
                            <li>{p.date}" · "{p.what}" · "<b>{p.amount}</b></li>
                        }).collect_view()}
                    </ul>
                })}
            })}
            {purchase}
            {privacy}
            <h4>{l.last_visits.text.clone()}</h4>
            <ul class="small">
                {c.last_visits.into_iter().map(|v| view! {
                    <li>{v.date}" · "{v.service_word.text}" · "{v.status_word.text}
                        {v.satisfaction.map(|s| format!(" · ★{s}"))}" "<span class="muted">{v.notes}</span></li>
                }).collect_view()}
            </ul>
            <h4>{l.history.text.clone()}</h4>
            <ul class="small" data-testid="history">
                {d.history.into_iter().map(|h| view! {
                    <li>{h.at}" · "{h.from_word.text}" → "{h.to_word.text}" · "{h.by}
                        {h.place.map(|p| format!(" · {}", p.text))}
                        {h.note.map(|n| format!(" · {n}"))}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// A purchase typed for the customer: a button, then the fields the core holds as typed.
fn purchase_form(
    customer: domain::ids::CustomerId,
    p: shared::view::technician::PurchaseFormView,
) -> impl IntoView {
    use shared::model::purchase_form::PurchaseEvent;
    let dispatch = use_dispatch();
    let send = move |e: PurchaseEvent| {
        dispatch.run(Event::Dispatcher(shared::model::DispatcherEvent::Purchase(
            e,
        )));
    };
    if !p.open {
        return view! {
            <button class="chip" data-testid="purchase-open"
                on:click=move |_| send(PurchaseEvent::Open(customer))>{"+ "}{p.title.text}</button>
        }
        .into_any();
    }
    let fields = p
        .fields
        .into_iter()
        .map(|f| {
            let field = f.field;
            view! {
                <label class="small">{f.label.text}
                    <input data-testid="purchase-field" data-field=format!("{field:?}") prop:value=f.value
                        on:change=move |ev| send(PurchaseEvent::Type { field, value: event_target_value(&ev) })/>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="card" data-testid="purchase-form" on:submit=move |ev| { ev.prevent_default(); send(PurchaseEvent::Save); }>
            <h4>{p.title.text}</h4>
            {fields}
            {p.error.map(|e| view! { <p class="error" data-testid="purchase-error">{e.text}</p> })}
            <button type="submit" class="primary" data-testid="purchase-save">{p.save.text}</button>
            <button type="button" class="link" on:click=move |_| send(PurchaseEvent::Close)>{p.close.text}</button>
        </form>
    }
    .into_any()
}

/// Export and erasure of the customer's data, as the core offers them.
fn privacy_actions(
    customer: domain::ids::CustomerId,
    p: shared::view::technician::PrivacyView,
) -> impl IntoView {
    use shared::model::privacy::PrivacyEvent;
    let dispatch = use_dispatch();
    let send = move |e: PrivacyEvent| {
        dispatch.run(Event::Dispatcher(shared::model::DispatcherEvent::Privacy(
            e,
        )));
    };
    let download = p.download.map(|d| {
        let href = format!(
            "data:text/plain;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(&d.text))
        );
        view! {
            <a class="chip" data-testid="privacy-download" download=d.name href=href
                on:click=move |_| send(PrivacyEvent::Saved)>{d.save.text}</a>
        }
    });
    view! {
        <div class="row wrap small" data-testid="privacy">
            {p.erased.map(|e| view! { <span class="muted" data-testid="privacy-erased">{e.text}</span> })}
            <button class="chip" data-testid="privacy-export-json" prop:disabled=p.exporting
                on:click=move |_| send(PrivacyEvent::Export { customer, csv: false })>{p.export_json.text}</button>
            <button class="chip" data-testid="privacy-export-csv" prop:disabled=p.exporting
                on:click=move |_| send(PrivacyEvent::Export { customer, csv: true })>{p.export_csv.text}</button>
            {download}
            {match (p.erase, p.confirm) {
                (_, Some(confirm)) => view! {
                    <button class="chip danger" data-testid="privacy-confirm"
                        on:click=move |_| send(PrivacyEvent::Confirm(customer))>{confirm.text}</button>
                    <button class="chip" data-testid="privacy-keep"
                        on:click=move |_| send(PrivacyEvent::Cancel)>{p.keep.text}</button>
                }.into_any(),
                (Some(erase), None) => view! {
                    <button class="chip" data-testid="privacy-erase"
                        on:click=move |_| send(PrivacyEvent::Erase(customer))>{erase.text}</button>
                }.into_any(),
                (None, None) => ().into_any(),
            }}
        </div>
    }
}

/// Puts the job's customer on the map: from the phone at the door, or, at the desk, from the
/// next click on the board's map.
pub fn place_customer(dispatch: Dispatch, p: PlaceCustomerView) -> impl IntoView {
    let customer = p.customer;
    let go = move |_| match p.from {
        PlaceFrom::Phone => send(dispatch, TechnicianEvent::PlaceCustomer(customer)),
        PlaceFrom::Map => dispatch.run(Event::Dispatcher(DispatcherEvent::Map(MapEvent::Placing(
            Some(customer),
        )))),
    };
    view! {
        <div class="card notice-card" data-testid="place-customer">
            <p class="small">{p.why.text}</p>
            <button class="chip" data-testid="place-customer-here" on:click=go>{p.action.text}</button>
        </div>
    }
}
