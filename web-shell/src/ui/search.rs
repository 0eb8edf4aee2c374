//! The customer search box, on every role's screen: results as you type, with the matched
//! parts highlighted as the core marked them.

use domain::ids::CustomerId;
use leptos::callback::{Callable, UnsyncCallback};
use leptos::prelude::*;
use shared::model::{CustomerDraft, Event, SearchEvent};

use crate::i18n::{self, use_lang};
use crate::t;
use crate::{use_dispatch, use_view};

#[component]
pub fn SearchBox(
    /// Offered on each result when given ("new job for this customer").
    #[prop(optional)]
    pick: Option<UnsyncCallback<(CustomerId, String)>>,
) -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let lang = use_lang();
    let query = RwSignal::new(view.with_untracked(|v| v.search.query.clone()));
    let results =
        Memo::new(move |_| view.with(|v| (v.search.results.clone(), v.search.nothing_found)));
    let list = move || {
        let l = lang.get();
        let (results, _) = results.get();
        results
            .into_iter()
            .map(|r| {
                let (id, name) = (r.customer, r.name.clone());
                view! {
                    <li data-testid="search-result">
                        <div><b>{r.name}</b>" "<span class="muted small">{r.number}</span></div>
                        <div class="muted small">{r.place}</div>
                        {r.matched.into_iter().map(|m| view! {
                            <div class="small">
                                <span class="muted">{m.field}": "</span>
                                {m.parts.into_iter().map(|p| if p.highlight {
                                    view! { <mark>{p.text}</mark> }.into_any()
                                } else {
                                    view! { <span>{p.text}</span> }.into_any()
                                }).collect_view()}
                            </div>
                        }).collect_view()}
                        {r.editable.then(|| view! {
                            <button class="chip" on:click=move |_| dispatch.run(Event::Search(SearchEvent::EditCustomer(id)))>
                                {i18n::tr(l, "Edit")}
                            </button>
                        })}
                        {pick.map(|pick| {
                            let name = name.clone();
                            view! {
                                <button class="chip" data-testid="pick-customer"
                                    on:click=move |_| pick.run((id, name.clone()))>
                                    {i18n::tr(l, "New job for this customer")}
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
            <input type="search" data-testid="search" placeholder=t!(lang, "Search customers: name, pinyin, phone, address")
                prop:value=move || query.get()
                on:input=move |ev| {
                    let q = event_target_value(&ev);
                    query.set(q.clone());
                    dispatch.run(Event::Search(SearchEvent::Query(q)));
                }/>
            <Show when=move || results.with(|r| r.1)>
                <p class="muted">{t!(lang, "Nothing found.")}</p>
            </Show>
            <ul class="results">{list}</ul>
            <button class="chip" data-testid="new-customer"
                on:click=move |_| dispatch.run(Event::Search(SearchEvent::NewCustomer))>
                {t!(lang, "New customer")}
            </button>
            <Show when=move || view.with(|v| v.search.form.is_some())>
                <CustomerForm/>
            </Show>
            <Duplicates/>
        </div>
    }
}

/// The customer form: every keystroke goes to the core as the draft, which answers with
/// likely duplicates before anything is saved. The fields live here, so a repaint (or a
/// refused save) never loses what was typed.
#[component]
fn CustomerForm() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let lang = use_lang();
    let start = view
        .with_untracked(|v| v.search.form.as_ref().map(|f| f.draft.clone()))
        .unwrap_or_default();
    let draft = RwSignal::new(start);
    let phones = RwSignal::new(draft.with_untracked(|d| d.phones.join(", ")));
    let send = move || dispatch.run(Event::Search(SearchEvent::Draft(draft.get_untracked())));
    let form = Memo::new(move |_| view.with(|v| v.search.form.clone()));
    let field = move |label: &'static str,
                      name: &'static str,
                      get: fn(&CustomerDraft) -> String,
                      set: fn(&mut CustomerDraft, String)| {
        view! {
            <label>{t!(lang, label)}
                <input name=name prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); send(); }/>
            </label>
        }
    };
    let duplicates = move || {
        let l = lang.get();
        let Some(f) = form.get() else {
            return ().into_any();
        };
        let editing = f.editing;
        f.duplicates.into_iter().map(|d| {
            let keep = d.customer;
            view! {
                <li class="small">
                    <b>{d.name}</b>" "{d.number}" · "{d.place}" — "<span class="error">{d.reason}</span>
                    {(f.can_merge && editing.is_some()).then(|| view! {
                        <button class="chip" on:click=move |_| if let Some(remove) = editing {
                            dispatch.run(Event::Search(SearchEvent::Merge { keep, remove }));
                        }>{i18n::tr(l, "Merge into this")}</button>
                    })}
                </li>
            }
        }).collect_view().into_any()
    };
    view! {
        <form class="card" data-testid="customer-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            dispatch.run(Event::Search(SearchEvent::SaveCustomer));
        }>
            <h3>{t!(lang, "Customer form")}</h3>
            {field("Name", "name", |d| d.name.clone(), |d, v| d.name = v)}
            <label>{t!(lang, "Phone")}
                <input name="phones" inputmode="tel" prop:value=move || phones.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| d.phones = v.split([',', '，', ';']).map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect());
                        phones.set(v);
                        send();
                    }/>
            </label>
            {field("District", "district", |d| d.address.district.clone(), |d, v| d.address.district = v)}
            {field("Street", "street", |d| d.address.street.clone(), |d, v| d.address.street = v)}
            {field("Building, floor, room", "detail", |d| d.address.detail.clone(), |d, v| d.address.detail = v)}
            <Show when=move || form.with(|f| f.as_ref().is_some_and(|f| !f.duplicates.is_empty()))>
                <h4>{t!(lang, "Possible duplicates")}</h4>
            </Show>
            <ul class="results">{duplicates}</ul>
            <div class="actions">
                <button type="submit" class="primary" data-testid="save-customer">{t!(lang, "Save")}</button>
                <button type="button" class="link" on:click=move |_| dispatch.run(Event::Search(SearchEvent::CloseCustomer))>{t!(lang, "Close")}</button>
            </div>
        </form>
    }
}

/// Customers that are probably one person, for those who may merge them.
#[component]
fn Duplicates() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let lang = use_lang();
    let pairs = Memo::new(move |_| view.with(|v| v.search.possible_duplicates.clone()));
    let list = move || {
        let l = lang.get();
        pairs.get().into_iter().map(|p| {
            let (a, b) = (p.a.customer, p.b.customer);
            view! {
                <li class="small">
                    <b>{p.a.name}</b>" "{p.a.number}" ⇄ "<b>{p.b.name}</b>" "{p.b.number}" — "{p.a.reason}
                    <button class="chip" on:click=move |_| dispatch.run(Event::Search(SearchEvent::Merge { keep: a, remove: b }))>{i18n::tr(l, "Merge")}</button>
                    <button class="chip" on:click=move |_| dispatch.run(Event::Search(SearchEvent::NotDuplicates { a, b }))>{i18n::tr(l, "Not the same")}</button>
                </li>
            }
        }).collect_view()
    };
    view! {
        <Show when=move || pairs.with(|p| !p.is_empty())>
            <details class="small">
                <summary>{t!(lang, "Possible duplicates")}" ("{move || pairs.with(Vec::len)}")"</summary>
                <ul class="results">{list}</ul>
            </details>
        </Show>
    }
}
