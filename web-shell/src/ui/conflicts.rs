//! The conflict inbox: its count in the top bar, and the open conflicts with both values, who
//! made each and when; one tap keeps one of them, or the value typed here. Everything shown,
//! and which button sends which choice, comes from the view model (`view/conflicts.rs`).

use leptos::callback::Callable;
use leptos::prelude::*;
use shared::model::{ConflictEvent, Event};
use shared::view::conflicts::ConflictCard;

use crate::w;
use crate::{use_dispatch, use_view};

/// The top bar's button: the count of open conflicts, opening the inbox.
#[component]
pub fn InboxButton(open: RwSignal<bool>) -> impl IntoView {
    let view = use_view();
    let count = move || view.with(|v| v.conflicts.count);
    let any = move || count() != 0;
    view! {
        <Show when=any>
            <button class="chip conflicts" class:on=move || open.get() data-testid="conflicts-count"
                title=move || view.with(|v| v.conflicts.count_words.as_ref().map(|w| w.text.clone()))
                on:click=move |_| {
                    open.update(|o| *o = !*o);
                    // The inbox opens under the top bar: bring it into view on a long page.
                    request_animation_frame(|| {
                        if let Ok(Some(inbox)) = document().query_selector("[data-testid=conflicts]") {
                            inbox.scroll_into_view();
                        }
                    });
                }>
                {w!(conflicts.title)}" "<b>{count}</b>
            </button>
        </Show>
    }
}

#[component]
pub fn Inbox(open: RwSignal<bool>) -> impl IntoView {
    let view = use_view();
    let items = move || view.with(|v| v.conflicts.items.clone());
    let none = move || view.with(|v| v.conflicts.items.is_empty());
    view! {
        <Show when=move || open.get()>
            <section class="card conflicts" data-testid="conflicts">
                <h2>{w!(conflicts.title)}</h2>
                <p class="small muted">{w!(conflicts.explained)}</p>
                <Show when=none>
                    <p class="muted">{w!(conflicts.none)}</p>
                </Show>
                // Keyed by all the card shows, so that typing in one never rebuilds it.
                <For each=items key=|c| format!("{c:?}") children=card/>
                <button class="link" on:click=move |_| open.set(false)>{w!(frame.close)}</button>
            </section>
        </Show>
    }
}

fn card(c: ConflictCard) -> impl IntoView {
    let dispatch = use_dispatch();
    let id = c.id;
    let typed = RwSignal::new(c.typed.clone());
    let sides = c
        .sides
        .into_iter()
        .map(|s| {
            let on_record = s.on_record;
            let keep = move |_| {
                dispatch.run(Event::Conflicts(if on_record {
                    ConflictEvent::KeepKept(id)
                } else {
                    ConflictEvent::KeepSetAside(id)
                }));
            };
            let value = s.value_word.map_or(s.value, |w| w.text);
            let who = match s.who_name {
                Some(name) => format!("{} · {name}", s.who.text),
                None => s.who.text,
            };
            view! {
                <div class="side" class:on-record=on_record data-testid="conflict-side">
                    <div class="small muted">{s.state.text}</div>
                    <div class="value" data-testid="conflict-value">{value}</div>
                    <div class="small" data-testid="conflict-who">{who}" · "{s.at}</div>
                    <button class="chip" data-testid="conflict-keep" on:click=keep>{s.keep.text}</button>
                </div>
            }
        })
        .collect_view();
    let use_typed = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        dispatch.run(Event::Conflicts(ConflictEvent::UseTyped {
            id,
            text: typed.get_untracked(),
        }));
    };
    view! {
        <article class="conflict" data-testid="conflict">
            <div><b>{c.customer_name}</b>" "<span class="small muted">{c.number}</span></div>
            <div class="small">{c.field_name.text}</div>
            <div class="sides">{sides}</div>
            {c.editable.then(|| view! {
                <form class="row" on:submit=use_typed>
                    <input data-testid="conflict-typed" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                    <button type="submit" class="chip">{w!(conflicts.use_typed)}</button>
                </form>
            })}
        </article>
    }
}
