//! The admin's audit browser: filters (who, what, how far back), a page of entries worded by
//! the core, and the next page on demand.

use leptos::prelude::*;
use shared::model::audit::AuditEvent;
use shared::model::{DispatcherEvent, Event};
use shared::view::audit::AuditView;
use shared::view::back_office::BackOfficeView;

use crate::{Dispatch, use_dispatch};

fn send(dispatch: Dispatch, e: AuditEvent) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::Audit(e)));
}

#[component]
pub fn Audit(v: Memo<Option<BackOfficeView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let a = Memo::new(move |_| v.with(|b| b.as_ref().and_then(|b| b.audit.clone())));
    move || {
        let a: AuditView = a.get()?;
        let people = a
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| view! { <option value=(i + 1).to_string() selected=p.chosen>{p.name.clone()}</option> })
            .collect_view();
        // Index 0 is anyone.
        let who: Vec<_> = std::iter::once(None)
            .chain(a.people.iter().map(|p| Some(p.user)))
            .collect();
        let kinds = a
            .kinds
            .iter()
            .enumerate()
            .map(|(i, k)| view! { <option value=i.to_string() selected=k.chosen>{k.label.text.clone()}</option> })
            .collect_view();
        let what: Vec<_> = a.kinds.iter().map(|k| k.kind).collect();
        let days = a
            .days
            .iter()
            .map(|d| {
                let n = d.days;
                view! {
                    <button class="chip" class:chosen=d.chosen data-testid="audit-days"
                        on:click=move |_| send(dispatch, AuditEvent::Days(n))>{d.label.text.clone()}</button>
                }
            })
            .collect_view();
        let lines = a.lines.clone().unwrap_or_default().into_iter().map(|l| view! {
            <tr data-testid="audit-line">
                <td class="muted">{l.at}</td><td>{l.who}</td><td>{l.what.text}</td><td class="muted small">{l.device}</td>
            </tr>
        }).collect_view();
        Some(view! {
            <div class="card" data-testid="audit">
                <h3>{a.title.text.clone()}</h3>
                <div class="row wrap">
                    <select data-testid="audit-person" on:change=move |ev| {
                        if let Some(u) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| who.get(i).copied()) {
                            send(dispatch, AuditEvent::Person(u));
                        }
                    }>
                        <option value="0" selected=a.anyone_chosen>{a.anyone.text.clone()}</option>
                        {people}
                    </select>
                    <select data-testid="audit-kind" on:change=move |ev| {
                        if let Some(k) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| what.get(i).copied()) {
                            send(dispatch, AuditEvent::Kind(k));
                        }
                    }>{kinds}</select>
                    {days}
                    <button class="chip" data-testid="audit-show" prop:disabled=a.loading
                        on:click=move |_| send(dispatch, AuditEvent::Show)>{a.show.text.clone()}</button>
                </div>
                {a.empty.map(|e| view! { <p class="muted" data-testid="audit-empty">{e.text}</p> })}
                <table class="small audit"><tbody>{lines}</tbody></table>
                {a.more.map(|m| view! {
                    <button class="chip" data-testid="audit-more" prop:disabled=a.loading
                        on:click=move |_| send(dispatch, AuditEvent::More)>{m.text}</button>
                })}
            </div>
        })
    }
}
