//! The customer search box, on every role's screen: results as you type, with the matched
//! parts highlighted as the core marked them.

use domain::ids::CustomerId;
use leptos::callback::{Callable, UnsyncCallback};
use leptos::prelude::*;
use shared::model::lookup::FormField;
use shared::model::{Event, LookupEvent};

use crate::w;
use crate::{use_dispatch, use_view};

#[component]
pub fn LookupBox(
    /// Offered on each result when given ("new job for this customer").
    #[prop(optional)]
    pick: Option<UnsyncCallback<(CustomerId, String)>>,
) -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let query = RwSignal::new(view.with_untracked(|v| v.lookup.query.clone()));
    let results =
        Memo::new(move |_| view.with(|v| (v.lookup.results.clone(), v.lookup.nothing_found)));
    let list = move || {
        let labels = view.with(|v| v.labels.lookup.clone());
        let (results, _) = results.get();
        results
            .into_iter()
            .map(|r| {
                let (id, name) = (r.customer, r.name.clone());
                view! {
                    <li data-testid="search-result">
                        <div><b>{r.name}</b>" "<span class="muted small">{r.number}</span>" "{super::sync_badge(&r.sync)}</div>
                        <div class="muted small">{r.place}</div>
                        {r.matched.into_iter().map(|m| view! {
                            <div class="small">
                                <span class="muted">{m.field.text}": "</span>
                                {m.parts.into_iter().map(|p| if p.highlight {
                                    view! { <mark>{p.text}</mark> }.into_any()
                                } else {
                                    view! { <span>{p.text}</span> }.into_any()
                                }).collect_view()}
                            </div>
                        }).collect_view()}
                        {r.editable.then(|| view! {
                            <button class="chip" data-testid="edit-customer" on:click=move |_| dispatch.run(Event::Lookup(LookupEvent::EditCustomer(id)))>
                                {labels.edit.text.clone()}
                            </button>
                        })}
                        {pick.map(|pick| {
                            let name = name.clone();
                            view! {
                                <button class="chip" data-testid="pick-customer"
                                    on:click=move |_| pick.run((id, name.clone()))>
                                    {labels.new_job_for_customer.text.clone()}
                                </button>
                            }
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="search card">
            <input type="search" data-testid="search" placeholder=w!(lookup.placeholder)
                prop:value=move || query.get()
                on:input=move |ev| {
                    let q = event_target_value(&ev);
                    query.set(q.clone());
                    dispatch.run(Event::Lookup(LookupEvent::Query(q)));
                }/>
            <Show when=move || results.with(|r| r.1)>
                <p class="muted">{w!(lookup.nothing_found)}</p>
            </Show>
            <ul class="results">{list}</ul>
            <button class="chip" data-testid="new-customer"
                on:click=move |_| dispatch.run(Event::Lookup(LookupEvent::NewCustomer))>
                {w!(lookup.new_customer)}
            </button>
            <Show when=move || view.with(|v| v.lookup.form.is_some())>
                <CustomerForm/>
            </Show>
            <Duplicates/>
        </div>
    }
}

/// The customer form: every keystroke goes to the core as the field's text, which answers
/// with likely duplicates before anything is saved. The inputs keep their own text between
/// repaints (each is mounted once per field), so neither a repaint nor a refused save loses
/// what was typed; the core keeps the draft as well.
#[component]
fn CustomerForm() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let form = Memo::new(move |_| view.with(|v| v.lookup.form.clone()));
    // The field list is fixed for the life of the form; only values and words change.
    let fields = view.with_untracked(|v| {
        v.lookup
            .form
            .as_ref()
            .map(|f| {
                f.fields
                    .iter()
                    .map(|x| (x.field, x.phone))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let field_view = move |(field, phone): (FormField, bool)| {
        let pick = move |f: &shared::view::lookup::CustomerFormView| {
            f.fields.iter().find(|x| x.field == field).cloned()
        };
        let label = move || {
            form.with(|f| {
                f.as_ref()
                    .and_then(pick)
                    .map(|x| x.label.text)
                    .unwrap_or_default()
            })
        };
        let start = form.with_untracked(|f| {
            f.as_ref()
                .and_then(pick)
                .map(|x| x.value)
                .unwrap_or_default()
        });
        let text = RwSignal::new(start);
        view! {
            <label>{label}
                <input name=format!("{field:?}").to_lowercase() inputmode=if phone { "tel" } else { "text" }
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        text.set(v.clone());
                        dispatch.run(Event::Lookup(LookupEvent::Type { field, text: v }));
                    }/>
            </label>
        }
    };
    let duplicates = move || {
        let Some(f) = form.get() else {
            return ().into_any();
        };
        let merge_label = view.with(|v| v.labels.lookup.merge_into_this.text.clone());
        let editing = f.editing;
        f.duplicates.into_iter().map(|d| {
            let keep = d.customer;
            let merge_label = merge_label.clone();
            view! {
                <li class="small">
                    <b>{d.name}</b>" "{d.number}" · "{d.place}" — "<span class="error">{d.reason.text}</span>
                    {(f.can_merge && editing.is_some()).then(|| view! {
                        <button class="chip" on:click=move |_| if let Some(remove) = editing {
                            dispatch.run(Event::Lookup(LookupEvent::Merge { keep, remove }));
                        }>{merge_label}</button>
                    })}
                </li>
            }
        }).collect_view().into_any()
    };
    let error = move || form.with(|f| f.as_ref().and_then(|f| f.error.clone()));
    view! {
        <form class="card" data-testid="customer-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            dispatch.run(Event::Lookup(LookupEvent::SaveCustomer));
        }>
            <h3>{w!(lookup.form_title)}</h3>
            {fields.into_iter().map(field_view).collect_view()}
            {move || error().map(|e| view! { <p class="error" data-testid="customer-error">{e.text}</p> })}
            <Show when=move || form.with(|f| f.as_ref().is_some_and(|f| !f.duplicates.is_empty()))>
                <h4>{w!(lookup.possible_duplicates)}</h4>
            </Show>
            <ul class="results">{duplicates}</ul>
            <div class="actions">
                <button type="submit" class="primary" data-testid="save-customer"
                    prop:disabled=move || form.with(|f| f.as_ref().is_some_and(|f| f.saving))>
                    {move || view.with(|v| {
                        let saving = v.lookup.form.as_ref().is_some_and(|f| f.saving);
                        if saving { v.labels.lookup.saving.text.clone() } else { v.labels.frame.save.text.clone() }
                    })}
                </button>
                <button type="button" class="link" on:click=move |_| dispatch.run(Event::Lookup(LookupEvent::CloseCustomer))>{w!(frame.close)}</button>
            </div>
        </form>
    }
}

/// Customers that are probably one person, for those who may merge them.
#[component]
fn Duplicates() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let pairs = Memo::new(move |_| view.with(|v| v.lookup.possible_duplicates.clone()));
    let list = move || {
        let labels = view.with(|v| v.labels.lookup.clone());
        pairs.get().into_iter().map(|p| {
            let (a, b) = (p.a.customer, p.b.customer);
            view! {
                <li class="small">
                    <b>{p.a.name}</b>" "{p.a.number}" ⇄ "<b>{p.b.name}</b>" "{p.b.number}" — "{p.a.reason.text.clone()}
                    <button class="chip" on:click=move |_| dispatch.run(Event::Lookup(LookupEvent::Merge { keep: a, remove: b }))>{labels.merge.text.clone()}</button>
                    <button class="chip" on:click=move |_| dispatch.run(Event::Lookup(LookupEvent::NotDuplicates { a, b }))>{labels.not_the_same.text.clone()}</button>
                </li>
            }
        }).collect_view()
    };
    view! {
        <Show when=move || pairs.with(|p| !p.is_empty())>
            <details class="small">
                <summary>{w!(lookup.possible_duplicates)}" ("{move || pairs.with(Vec::len)}")"</summary>
                <ul class="results">{list}</ul>
            </details>
        </Show>
    }
}
