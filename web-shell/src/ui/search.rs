//! The customer search box, on every role's screen: results as you type, with the matched
//! parts highlighted as the core marked them.

use leptos::callback::{Callable, UnsyncCallback};
use leptos::prelude::*;
use shared::ids::CustomerId;
use shared::model::{Event, SearchEvent};

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
        </div>
    }
}
