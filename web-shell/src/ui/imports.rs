//! Importing customers from a file, in the admin console: the file input (the shell reads the
//! file; the core sends it), each column with its first values and a choice of field, the
//! store and what to do with customers already in Rounds, the dry run's summary with a page of
//! problems, and the progress of the run. Every word and every decision is the core's.

use domain::import::{OnDuplicate, Target};
use leptos::prelude::*;
use shared::model::back_office::BackOfficeEvent;
use shared::model::imports::ImportEvent;
use shared::model::{DispatcherEvent, Event};
use shared::view::back_office::BackOfficeView;
use shared::view::imports::ImportView;
use wasm_bindgen::JsCast;

use crate::w;
use crate::{Dispatch, use_dispatch};

fn send(dispatch: Dispatch, e: ImportEvent) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::BackOffice(
        BackOfficeEvent::Import(e),
    )));
}

/// Reads the chosen file and hands its bytes to the core.
fn picked(dispatch: Dispatch, ev: leptos::ev::Event) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    // The same file chosen again after a change to it is a new choice.
    input.set_value("");
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
            return;
        };
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        send(dispatch, ImportEvent::Picked { name, bytes });
    });
}

#[component]
pub fn Import(v: Memo<Option<BackOfficeView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let im = Memo::new(move |_| v.with(|b| b.as_ref().map(|b| b.import.clone())));
    let get =
        move |f: fn(&ImportView) -> Option<String>| move || im.with(|i| i.as_ref().and_then(f));
    view! {
        <div class="card import" data-testid="import">
            <h3>{w!(imports.title)}</h3>
            <p class="muted">{w!(imports.hint)}</p>
            <label class="chip file-pick">{w!(imports.choose_file)}
                <input type="file" data-testid="import-file"
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    on:change=move |ev| picked(dispatch, ev)/>
            </label>
            <p data-testid="import-busy" class="muted">{get(|i| i.busy.as_ref().map(|w| w.text.clone()))}</p>
            <Show when=move || im.with(|i| i.as_ref().is_some_and(|i| i.progress.is_some()))>
                <progress data-testid="import-progress"
                    prop:max=move || im.with(|i| i.as_ref().and_then(|i| i.progress).map_or(1, |p| p.total.max(1)))
                    prop:value=move || im.with(|i| i.as_ref().and_then(|i| i.progress).map_or(0, |p| p.done))/>
            </Show>
            <p data-testid="import-refusal" class="warn">{get(|i| i.refusal.as_ref().map(|w| w.text.clone()))}</p>
            <p data-testid="import-done" class="ok">{get(|i| i.done.as_ref().map(|w| w.text.clone()))}</p>
            <p data-testid="import-file-read">{get(|i| i.file.as_ref().map(|w| w.text.clone()))}</p>
            <Show when=move || im.with(|i| i.as_ref().is_some_and(|i| !i.columns.is_empty()))>
                <Columns im=im/>
                <Choices im=im/>
                <Outcome im=im/>
            </Show>
        </div>
    }
}

#[component]
fn Columns(im: Memo<Option<ImportView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let targets = move || im.with(|i| i.as_ref().map(|i| i.targets.clone()).unwrap_or_default());
    view! {
        <table class="import-columns" data-testid="import-columns">
            <thead><tr>
                <th>{w!(imports.column)}</th>
                <th>{w!(imports.first_rows)}</th>
                <th>{w!(imports.imports_as)}</th>
            </tr></thead>
            <tbody>
                <For each=move || im.with(|i| i.as_ref().map(|i| i.columns.clone()).unwrap_or_default())
                    key=|c| (c.index, c.target)
                    let:column>
                    {
                        let index = column.index;
                        let chosen = column.target;
                        view! {
                            <tr data-testid="import-column" data-header=column.header.clone()>
                                <td>{column.letter.clone()}" · "{column.header.clone()}</td>
                                <td class="muted">{column.samples.join(" / ")}</td>
                                <td>
                                    <select data-testid="import-target"
                                        on:change=move |ev| {
                                            let value = event_target_value(&ev);
                                            let target = Target::ALL.iter().copied().find(|t| format!("{t:?}") == value);
                                            send(dispatch, ImportEvent::Map { column: index, target });
                                        }>
                                        <option value="" prop:selected=chosen.is_none()>{w!(imports.not_imported)}</option>
                                        // Reactive, so that the fields' names follow the language.
                                        {move || targets().into_iter().map(|t| {
                                            let value = format!("{:?}", t.target);
                                            view! {
                                                <option value=value prop:selected=chosen == Some(t.target)>{t.label.text.clone()}</option>
                                            }
                                        }).collect_view()}
                                    </select>
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn Choices(im: Memo<Option<ImportView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let stores = move || im.with(|i| i.as_ref().map(|i| i.stores.clone()).unwrap_or_default());
    let duplicates = move || {
        im.with(|i| {
            i.as_ref()
                .map(|i| i.duplicate_choices.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="import-choices">
            <label>{w!(imports.store)}
                <select data-testid="import-store" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(s) = stores().into_iter().find(|s| s.id.to_string() == value) {
                        send(dispatch, ImportEvent::Store(s.id));
                    }
                }>
                    {move || stores().into_iter().map(|s| view! {
                        <option value=s.id.to_string() selected=s.chosen>{s.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <fieldset>
                <legend>{w!(imports.when_there)}</legend>
                {move || duplicates().into_iter().map(|d| {
                    let choice: OnDuplicate = d.choice;
                    view! {
                        <label class="chip-box">
                            <input type="radio" name="on-duplicate" data-testid="import-on-duplicate"
                                prop:checked=d.chosen
                                on:change=move |_| send(dispatch, ImportEvent::OnDuplicate(choice))/>
                            {d.label.text.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button class="chip" data-testid="import-check"
                prop:disabled=move || !im.with(|i| i.as_ref().is_some_and(|i| i.may_check))
                on:click=move |_| send(dispatch, ImportEvent::Check)>
                {w!(imports.check)}
            </button>
        </div>
    }
}

#[component]
fn Outcome(im: Memo<Option<ImportView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let has_problems = move || im.with(|i| i.as_ref().is_some_and(|i| !i.problems.is_empty()));
    view! {
        <Show when=move || im.with(|i| i.as_ref().is_some_and(|i| i.summary.is_some()))>
            <p data-testid="import-summary">
                {move || im.with(|i| i.as_ref().and_then(|i| i.summary.clone()).map(|w| w.text).unwrap_or_default())}
            </p>
            <Show when=has_problems fallback=move || view! { <p class="ok">{w!(imports.no_problems)}</p> }>
                <h4>{w!(imports.problems)}</h4>
                <ul class="import-problems" data-testid="import-problems">
                    {move || im.with(|i| i.as_ref().map(|i| i.problems.clone()).unwrap_or_default())
                        .into_iter()
                        .map(|p| view! {
                            <li data-testid="import-problem"><b>{p.place.text.clone()}</b>" — "{p.text.text.clone()}</li>
                        })
                        .collect_view()}
                </ul>
                <div class="row">
                    <Show when=move || im.with(|i| i.as_ref().is_some_and(|i| i.previous_page.is_some()))>
                        <button class="chip" data-testid="import-previous" on:click=move |_| {
                            if let Some(p) = im.with_untracked(|i| i.as_ref().and_then(|i| i.previous_page)) {
                                send(dispatch, ImportEvent::Page(p));
                            }
                        }>"‹"</button>
                    </Show>
                    <span class="muted">{move || im.with(|i| i.as_ref().and_then(|i| i.problems_page.clone()).map(|w| w.text).unwrap_or_default())}</span>
                    <Show when=move || im.with(|i| i.as_ref().is_some_and(|i| i.next_page.is_some()))>
                        <button class="chip" data-testid="import-next" on:click=move |_| {
                            if let Some(p) = im.with_untracked(|i| i.as_ref().and_then(|i| i.next_page)) {
                                send(dispatch, ImportEvent::Page(p));
                            }
                        }>"›"</button>
                    </Show>
                </div>
                <label class="chip-box">
                    <input type="checkbox" data-testid="import-skip"
                        prop:checked=move || im.with(|i| i.as_ref().is_some_and(|i| i.skip_problem_rows))
                        on:change=move |ev| send(dispatch, ImportEvent::SkipProblemRows(event_target_checked(&ev)))/>
                    {w!(imports.skip_problem_rows)}
                </label>
            </Show>
            <Show when=move || im.with(|i| i.as_ref().is_some_and(|i| !i.duplicates.is_empty()))>
                <h4>{w!(imports.duplicates)}</h4>
                <ul data-testid="import-duplicates">
                    {move || im.with(|i| i.as_ref().map(|i| i.duplicates.clone()).unwrap_or_default())
                        .into_iter()
                        .map(|d| view! { <li>{d.text}</li> })
                        .collect_view()}
                </ul>
            </Show>
            <button class="primary" data-testid="import-run"
                prop:disabled=move || !im.with(|i| i.as_ref().is_some_and(|i| i.may_run))
                on:click=move |_| send(dispatch, ImportEvent::Run)>
                {w!(imports.run)}
            </button>
        </Show>
        <Show when=move || im.with(|i| i.as_ref().is_some_and(|i| i.done.is_some()))>
            <button class="chip" data-testid="import-another"
                on:click=move |_| send(dispatch, ImportEvent::Reset)>
                {w!(imports.another)}
            </button>
        </Show>
    }
}
