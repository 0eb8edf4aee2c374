//! The dispatcher's console (a desktop screen): the unassigned queue by SLA deadline with
//! risk colours, alerts, each technician's day as a timeline, the map, the suggestion and
//! plan panel, manual (re)assignment, a new job from the search box. Everything shown, and
//! which actions are offered, comes from the view model; the new-job form is the core's draft.

use domain::ids::{CustomerId, JobId, UserId};
use domain::jobs::JobAction;
use leptos::callback::{Callable, UnsyncCallback};
use leptos::prelude::*;
use shared::model::absences::AbsenceEvent;
use shared::model::dispatch_board::PlanEvent;
use shared::model::dispatcher::{BoardDay, Shortcut};
use shared::model::job_form::{JobDraft, JobEdit, JobField, JobFormEvent};
use shared::model::map::{MapEvent, MapItem, MapPick};
use shared::model::queue::QueueFilter;
use shared::model::sales::SalesEvent;
use shared::model::settings::SettingsEvent;
use shared::model::{DispatcherEvent, Event, FollowUpEvent};
use shared::view::dispatcher::{AlertKind, TechnicianDay};
use shared::view::technician::ActionButton;
use shared::view::{BoardView, DispatcherScreen, JobCard, Screen, Word};

use super::lookup::LookupBox;
use super::technician::job_summary;
use crate::w;
use crate::{Dispatch, use_dispatch, use_view};

#[component]
pub fn Board() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    // The board's shortcuts; not while typing in a field, nor with a modifier held.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = match ev.key().as_str() {
            "j" | "ArrowDown" => Shortcut::NextJob,
            "k" | "ArrowUp" => Shortcut::PreviousJob,
            "s" => Shortcut::Suggest,
            "a" => Shortcut::AssignTop,
            "u" => Shortcut::Undo,
            _ => return,
        };
        ev.prevent_default();
        dispatch.run(Event::Dispatcher(DispatcherEvent::Shortcut(key)));
    });
    on_cleanup(move || keys.remove());
    let board = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Dispatcher(DispatcherScreen::Board(b)) => Some(b.clone()),
            _ => None,
        })
    });
    // The queued job being dragged onto a technician's timeline.
    provide_context(Dragging(RwSignal::new(None)));
    view! {
        <div class="board" data-testid="board">
            <div class="col">
                <super::back_office::ConsoleLink page=shared::model::back_office::ConsolePage::BackOffice/>
                <NewJob board=board/>
                <Alerts board=board/>
                <Queue board=board/>
            </div>
            <div class="col wide-col">
                <Timelines board=board/>
                <super::map::Map board=board/>
            </div>
            <div class="col">
                <OpenJob board=board/>
                <Panel board=board/>
                <FollowUps board=board/>
                <Reps board=board/>
                <Settings settings=Memo::new(move |_| board.with(|b| b.as_ref().and_then(|b| b.settings.clone())))/>
            </div>
        </div>
    }
}

/// The job a drag from the queue carries. Dropping it on a technician's row assigns it, with
/// the same checks and words as a suggestion's Assign (`DispatcherEvent::Assign`).
#[derive(Clone, Copy)]
struct Dragging(RwSignal<Option<JobId>>);

/// Sends one change of the new-job form: the field changed, never the whole form, which
/// rebuilt from a view a frame old would undo another field typed since.
fn edit(dispatch: Dispatch, change: JobEdit) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::JobForm(
        JobFormEvent::Set(change),
    )));
}

/// The choice whose place in the list the `<select>` reports (option values are indices).
fn chosen<T: Clone>(choices: &[T], value: &str) -> Option<T> {
    choices
        .iter()
        .enumerate()
        .find(|(i, _)| i.to_string() == value)
        .map(|(_, c)| c.clone())
}

#[component]
fn NewJob(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let form = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.job_form.clone())));
    let draft = move |read: fn(&JobDraft) -> String| {
        move || form.with(|f| f.as_ref().map(|f| read(&f.draft)).unwrap_or_default())
    };
    let wrong = move |field: JobField| {
        move || form.with(|f| f.as_ref().and_then(|f| f.error_field) == Some(field))
    };
    let pick = UnsyncCallback::new(move |(id, _): (CustomerId, String)| {
        edit(dispatch, JobEdit::Customer(Some(id)));
    });
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        dispatch.run(Event::Dispatcher(DispatcherEvent::JobForm(
            JobFormEvent::Create,
        )));
    };
    let services = move || {
        form.with(|f| f.as_ref().map(|f| (f.services.clone(), f.draft.service)))
            .map(|(choices, now)| {
                choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| view! {
                        <option value=i.to_string() selected=c.service == now>{c.label.text}</option>
                    })
                    .collect_view()
            })
    };
    let priorities = move || {
        form.with(|f| f.as_ref().map(|f| (f.priorities.clone(), f.draft.priority)))
            .map(|(choices, now)| {
                choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| view! {
                        <option value=i.to_string() selected=c.priority == now>{c.label.text}</option>
                    })
                    .collect_view()
            })
    };
    let crews =
        move || {
            form.with(|f| {
                f.as_ref()
                    .map(|f| (f.crew_sizes.clone(), f.draft.crew_size))
            })
            .map(|(choices, now)| {
                choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| view! {
                        <option value=i.to_string() selected=c.size == now>{c.label.text}</option>
                    })
                    .collect_view()
            })
        };
    let skills = move || {
        form.with(|f| f.as_ref().map(|f| f.skills.clone()).unwrap_or_default())
            .into_iter()
            .map(|s| {
                let code = s.code.clone();
                view! {
                    <label class="check small">
                        <input type="checkbox" prop:checked=s.chosen on:change=move |ev| {
                            let required = event_target_checked(&ev);
                            edit(dispatch, JobEdit::Skill { code: code.clone(), required });
                        }/>
                        {s.name.text}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <LookupBox pick=pick/>
        <form class="card" on:submit=create data-testid="new-job">
            <h3>{w!(dispatcher.new_job)}</h3>
            <div class="small" class:invalid=wrong(JobField::Customer)>{w!(dispatcher.customer)}": "
                <b data-testid="new-job-customer">{move || form.with(|f| f.as_ref().and_then(|f| f.customer_name.clone()))}</b>
                <Show when=move || form.with(|f| f.as_ref().is_some_and(|f| f.draft.customer.is_none()))>
                    <span class="muted">{w!(dispatcher.pick_customer)}</span>
                </Show>
            </div>
            <label>{w!(dispatcher.service)}
                <select name="service" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let choices = form.with_untracked(|f| f.as_ref().map(|f| f.services.clone()).unwrap_or_default());
                    if let Some(c) = chosen(&choices, &v) {
                        edit(dispatch, JobEdit::Service(c.service));
                    }
                }>{services}</select>
            </label>
            <label>{w!(dispatcher.priority)}
                <select name="priority" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let choices = form.with_untracked(|f| f.as_ref().map(|f| f.priorities.clone()).unwrap_or_default());
                    if let Some(c) = chosen(&choices, &v) {
                        edit(dispatch, JobEdit::Priority(c.priority));
                    }
                }>{priorities}</select>
            </label>
            <label class:invalid=wrong(JobField::Description)>{w!(dispatcher.description)}
                <input name="description" prop:value=draft(|d| d.description.clone())
                    on:input=move |ev| edit(dispatch, JobEdit::Description(event_target_value(&ev)))/>
            </label>
            <label class:invalid=wrong(JobField::Minutes)>{w!(dispatcher.minutes)}
                <input name="minutes" inputmode="numeric" prop:value=draft(|d| d.minutes.clone())
                    on:input=move |ev| edit(dispatch, JobEdit::Minutes(event_target_value(&ev)))/>
            </label>
            <label>{w!(dispatcher.crew)}
                <select name="crew" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let choices = form.with_untracked(|f| f.as_ref().map(|f| f.crew_sizes.clone()).unwrap_or_default());
                    if let Some(c) = chosen(&choices, &v) {
                        edit(dispatch, JobEdit::CrewSize(c.size));
                    }
                }>{crews}</select>
            </label>
            <fieldset class:invalid=wrong(JobField::Skills)>
                <legend class="small">{w!(dispatcher.skills)}</legend>
                {skills}
            </fieldset>
            <fieldset>
                <legend class="small">{w!(dispatcher.window)}</legend>
                <label class:invalid=wrong(JobField::WindowDay)>{w!(dispatcher.window_day)}
                    <input name="window-day" type="date" prop:value=draft(|d| d.window_day.clone())
                        on:input=move |ev| edit(dispatch, JobEdit::WindowDay(event_target_value(&ev)))/>
                </label>
                <label class:invalid=wrong(JobField::WindowFrom)>{w!(dispatcher.window_from)}
                    <input name="window-from" type="time" prop:value=draft(|d| d.window_from.clone())
                        on:input=move |ev| edit(dispatch, JobEdit::WindowFrom(event_target_value(&ev)))/>
                </label>
                <label class:invalid=wrong(JobField::WindowTo)>{w!(dispatcher.window_to)}
                    <input name="window-to" type="time" prop:value=draft(|d| d.window_to.clone())
                        on:input=move |ev| edit(dispatch, JobEdit::WindowTo(event_target_value(&ev)))/>
                </label>
            </fieldset>
            {move || form.with(|f| f.as_ref().and_then(|f| f.error.clone())).map(|e| view! {
                <p class="error" data-testid="new-job-error">{e.text}</p>
            })}
            <button type="submit" class="primary"
                prop:disabled=move || !form.with(|f| f.as_ref().is_some_and(|f| f.can_create))>
                {w!(dispatcher.create_job)}
            </button>
        </form>
    }
}

#[component]
fn Alerts(board: Memo<Option<BoardView>>) -> impl IntoView {
    let alerts = move || {
        board
            .with(|b| b.as_ref().map(|b| b.alerts.clone()).unwrap_or_default())
            .into_iter()
            .take(8)
            .map(|a| {
                let class = match a.kind {
                    AlertKind::SlaBreached => "alert breached",
                    AlertKind::SlaAtRisk => "alert at-risk",
                    AlertKind::Backlog => "alert backlog",
                };
                view! { <li class=class>{a.message.text}</li> }
            })
            .collect_view()
    };
    view! {
        <div class="card">
            <h3>{w!(dispatcher.alerts)}" "<span class="muted small">{move || board.with(|b| b.as_ref().map_or(0, |b| b.alerts.len()))}</span></h3>
            <ul class="alerts" data-testid="alerts">{alerts}</ul>
        </div>
    }
}

/// The button the view model offers for `action` on a card, if it offers it.
fn offered(c: &JobCard, action: JobAction) -> Option<Word> {
    c.actions
        .iter()
        .find(|a: &&ActionButton| a.action == action)
        .map(|a| a.label.clone())
}

#[component]
fn Queue(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let view = use_view();
    // The job whose manual controls are open, and the cancel reasons being typed: the input
    // keeps its text here between repaints, and hands it to the core (which keeps the draft
    // and says why a cancellation was refused, `JobCard::cancel`) when it is left or sent.
    let open = RwSignal::new(None::<JobId>);
    let reasons = RwSignal::new(std::collections::HashMap::<JobId, String>::new());
    let dragging = use_context::<Dragging>().expect("inside the board");
    let list = move || {
        let (labels, jobs, techs) = view.with(|v| {
            let techs: Vec<(UserId, String)> = board.with(|b| {
                b.as_ref()
                    .map(|b| {
                        b.technicians
                            .iter()
                            .map(|t| (t.id, t.name.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            });
            let jobs = board.with(|b| b.as_ref().map(|b| b.unassigned.clone()).unwrap_or_default());
            (v.labels.clone(), jobs, techs)
        });
        if jobs.is_empty() {
            return view! { <li class="muted">{labels.dispatcher.no_jobs_waiting.text.clone()}</li> }.into_any();
        }
        // The suggestion asked for, shown under its job.
        let asked = board.with(|b| b.as_ref().and_then(|b| b.dispatch.suggestion.clone()));
        let cursor = board.with(|b| b.as_ref().and_then(|b| b.cursor));
        jobs.into_iter()
            .map(|c| {
                let id = c.id;
                let here = asked.clone().filter(|s| s.job == id);
                let techs = techs.clone();
                let assign = offered(&c, JobAction::Assign);
                let cancel = offered(&c, JobAction::Cancel);
                let reason_word = labels.dispatcher.cancel_reason.text.clone();
                let (typed, refused) = c
                    .cancel
                    .clone()
                    .map_or((String::new(), None), |d| (d.reason, d.error));
                let on_it = cursor == Some(id);
                view! {
                    <li class:cursor=on_it data-cursor=on_it.then_some("true") draggable="true"
                        data-id=id.0.to_string()
                        on:click=move |ev: leptos::ev::MouseEvent| {
                            // The card's own controls do what they say; the card itself selects.
                            if !within_control(&ev) {
                                pick(dispatch, MapItem::Job(id));
                            }
                        }
                        on:dragstart=move |ev: leptos::ev::DragEvent| {
                            if let Some(dt) = ev.data_transfer() {
                                let _ = dt.set_data("text/plain", &id.to_string());
                            }
                            dragging.0.set(Some(id));
                        }
                        on:dragend=move |_| dragging.0.set(None)>
                        {job_summary(&labels.technician, &c)}
                        {c.place_customer.clone().map(|p| super::technician::place_customer(dispatch, p))}
                        <button class="chip" data-testid="suggest"
                            on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Suggest(id)))>
                            {labels.dispatcher.suggest.text.clone()}
                        </button>
                        <button class="chip" on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>
                            "…"
                        </button>
                        {here.clone().map(|sv| view! {
                            <div class="inline-suggestion">
                                {suggestion_view(sv, &labels, dispatch)}
                                <button class="link small" on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Plan(PlanEvent::Dismiss)))>
                                    {labels.frame.close.text.clone()}
                                </button>
                            </div>
                        })}
                        <Show when=move || open.get() == Some(id)>
                            <div class="block-detail small">
                                {assign.clone().map(|label| technician_picker(id, techs.clone(), label, None))}
                                {cancel.clone().map(|label| {
                                    let reason_word = reason_word.clone();
                                    let typed = typed.clone();
                                    let refused = refused.clone();
                                    view! {
                                        <div class="reassign">
                                            <input placeholder=reason_word
                                                prop:value=move || reasons.with(|r| r.get(&id).cloned().unwrap_or_else(|| typed.clone()))
                                                on:input=move |ev| { let v = event_target_value(&ev); reasons.update(|r| { r.insert(id, v); }); }
                                                on:change=move |ev| {
                                                    let reason = event_target_value(&ev);
                                                    dispatch.run(Event::Dispatcher(DispatcherEvent::CancelReason { job: id, reason }));
                                                }/>
                                            <button class="chip" on:click=move |_| {
                                                if let Some(reason) = reasons.with_untracked(|r| r.get(&id).cloned()) {
                                                    dispatch.run(Event::Dispatcher(DispatcherEvent::CancelReason { job: id, reason }));
                                                }
                                                dispatch.run(Event::Dispatcher(DispatcherEvent::Cancel(id)));
                                            }>{label.text}</button>
                                            {refused.map(|e| view! { <p class="error small">{e.text}</p> })}
                                        </div>
                                    }
                                })}
                            </div>
                        </Show>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    // The job the keyboard moved to is brought into view.
    Effect::new(move |_| {
        if board.with(|b| b.as_ref().and_then(|b| b.cursor)).is_some() {
            leptos::leptos_dom::helpers::request_animation_frame(|| {
                if let Some(li) = document().query_selector("li.cursor").ok().flatten() {
                    li.scroll_into_view_with_bool(false);
                }
            });
        }
    });
    // The last assignment, confirmed in words where the job was, with its undo.
    let assigned = move || {
        board.with(|b| b.as_ref().and_then(|b| b.assigned.clone())).map(|a| {
            view! {
                <p class="notice ok small" data-testid="assigned">
                    <span>{a.message.text}</span>" "
                    <button class="link" data-testid="undo-assign"
                        on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::UndoAssign))>
                        {w!(dispatcher.undo)}
                    </button>
                </p>
            }
        })
    };
    view! {
        <div class="card">
            <h3>{w!(dispatcher.unassigned)}" "<span class="muted small" data-testid="queue-count">
                {move || board.with(|b| b.as_ref().map(|b| b.queue.count.text.clone()).unwrap_or_default())}</span></h3>
            <QueueFilters board=board/>
            <p class="muted small" data-testid="shortcuts">{w!(dispatcher.shortcuts)}</p>
            {assigned}
            <ol class="jobs queue" data-testid="queue">{list}</ol>
        </div>
    }
}

#[component]
fn Timelines(board: Memo<Option<BoardView>>) -> impl IntoView {
    let view = use_view();
    // The job whose reassign controls are open, kept across repaints.
    let selected = RwSignal::new(None::<JobId>);
    let rows = move || {
        let Some((techs, span)) = board.with(|b| {
            b.as_ref()
                .map(|b| (b.technicians.clone(), (b.day_start_ms, b.day_end_ms)))
        }) else {
            return ().into_any();
        };
        let reassign = view.with(|v| v.labels.dispatcher.reassign.clone());
        let chosen = board.with(|b| b.as_ref().and_then(|b| b.map.selected));
        let all: Vec<(UserId, String)> = techs.iter().map(|t| (t.id, t.name.clone())).collect();
        techs
            .into_iter()
            .map(|t| timeline(t, span, all.clone(), selected, chosen, reassign.clone()))
            .collect_view()
            .into_any()
    };
    let axis = move || {
        let hours = board.with(|b| b.as_ref().map(|b| b.hours.clone()).unwrap_or_default());
        let width = 100.0 / hours.len().max(1) as f64;
        hours
            .into_iter()
            .map(|h| view! { <span class="hour" style:width=format!("{width:.3}%")>{h}</span> })
            .collect_view()
    };
    view! {
        <div class="card">
            <h3>{w!(dispatcher.technicians)}</h3>
            <DayBar board=board/>
            <div class="tech-row axis"><span></span><div class="hours">{axis}</div></div>
            <div class="timelines" data-testid="timelines">{rows}</div>
        </div>
        <AbsenceForm board=board/>
    }
}

/// The queue's filters (store, service, priority, skill, SLA risk) and its order. The core
/// keeps them; each change sends the filter back whole.
#[component]
fn QueueFilters(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let queue = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.queue.clone())));
    let change = move |edit: &dyn Fn(&mut QueueFilter)| {
        if let Some(mut f) = queue.with_untracked(|q| q.as_ref().map(|q| q.filter.clone())) {
            edit(&mut f);
            dispatch.run(Event::Dispatcher(DispatcherEvent::Queue(f)));
        }
    };
    move || {
        let q = queue.get()?;
        let f = q.filter.clone();
        let stores: Vec<_> = q.stores.iter().map(|s| s.store).collect();
        let services: Vec<_> = q.services.iter().map(|s| s.service).collect();
        let priorities: Vec<_> = q.priorities.iter().map(|p| p.priority).collect();
        let skills: Vec<String> = q.skills.iter().map(|s| s.code.clone()).collect();
        let sorts: Vec<_> = q.sorts.iter().map(|s| s.sort).collect();
        let index = |i: Option<usize>| i.map_or_else(String::new, |i| i.to_string());
        Some(view! {
            <div class="filters small" data-testid="queue-filters">
                {(q.stores.len() > 1).then(|| view! {
                    <select data-testid="filter-store" prop:value=index(f.store.and_then(|s| stores.iter().position(|x| *x == s)))
                        on:change=move |ev| { let v = event_target_value(&ev); let c = chosen(&stores, &v); change(&|f| f.store = c); }>
                        <option value="">{w!(dispatcher.any_store)}</option>
                        {q.stores.iter().enumerate().map(|(i, s)| view! { <option value=i.to_string()>{s.name.clone()}</option> }).collect_view()}
                    </select>
                })}
                <select data-testid="filter-service" prop:value=index(f.service.and_then(|s| services.iter().position(|x| *x == s)))
                    on:change=move |ev| { let v = event_target_value(&ev); let c = chosen(&services, &v); change(&|f| f.service = c); }>
                    <option value="">{w!(dispatcher.any_service)}</option>
                    {q.services.iter().enumerate().map(|(i, s)| view! { <option value=i.to_string()>{s.label.text.clone()}</option> }).collect_view()}
                </select>
                <select data-testid="filter-priority" prop:value=index(f.priority.and_then(|p| priorities.iter().position(|x| *x == p)))
                    on:change=move |ev| { let v = event_target_value(&ev); let c = chosen(&priorities, &v); change(&|f| f.priority = c); }>
                    <option value="">{w!(dispatcher.any_priority)}</option>
                    {q.priorities.iter().enumerate().map(|(i, p)| view! { <option value=i.to_string()>{p.label.text.clone()}</option> }).collect_view()}
                </select>
                <select data-testid="filter-skill" prop:value=index(f.skill.as_ref().and_then(|k| skills.iter().position(|x| x == k)))
                    on:change=move |ev| { let v = event_target_value(&ev); let c = chosen(&skills, &v); change(&|f| f.skill = c.clone()); }>
                    <option value="">{w!(dispatcher.any_skill)}</option>
                    {q.skills.iter().enumerate().map(|(i, s)| view! { <option value=i.to_string()>{s.name.text.clone()}</option> }).collect_view()}
                </select>
                <label><input type="checkbox" data-testid="filter-at-risk" prop:checked=f.at_risk
                    on:change=move |ev| { let on = event_target_checked(&ev); change(&|f| f.at_risk = on); }/>
                    " "{w!(dispatcher.at_risk_only)}</label>
                <label>{w!(dispatcher.sort_by)}" "
                    <select data-testid="queue-sort" prop:value=index(sorts.iter().position(|s| *s == f.sort))
                        on:change=move |ev| { let v = event_target_value(&ev); if let Some(s) = chosen(&sorts, &v) { change(&|f| f.sort = s); } }>
                        {q.sorts.iter().enumerate().map(|(i, s)| view! { <option value=i.to_string()>{s.label.text.clone()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
        })
    }
}

/// Which day the board shows and plans: back, forward, a date, or today again.
#[component]
fn DayBar(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let go = move |d: BoardDay| dispatch.run(Event::Dispatcher(DispatcherEvent::Day(d)));
    let day = move || board.with(|b| b.as_ref().map(|b| b.day.clone()).unwrap_or_default());
    let title = move || {
        board.with(|b| {
            b.as_ref()
                .map(|b| b.day_title.text.clone())
                .unwrap_or_default()
        })
    };
    let away = move || board.with(|b| b.as_ref().is_some_and(|b| !b.is_today));
    view! {
        <div class="actions day-bar">
            <button class="link" data-testid="day-prev" on:click=move |_| go(BoardDay::Previous)>
                "‹ "{w!(dispatcher.previous_day)}
            </button>
            <strong data-testid="day-title">{title}</strong>
            <label class="small">
                {w!(dispatcher.board_date)}" "
                <input type="date" data-testid="day-input" prop:value=day
                    on:change=move |ev| go(BoardDay::On(event_target_value(&ev)))/>
            </label>
            <button class="link" data-testid="day-next" on:click=move |_| go(BoardDay::Next)>
                {w!(dispatcher.next_day)}" ›"
            </button>
            <Show when=away>
                <button class="link" data-testid="day-today" on:click=move |_| go(BoardDay::Today)>
                    {w!(dispatcher.today)}
                </button>
            </Show>
        </div>
    }
}

/// Selects a job or technician on the board: the map and the lists show it.
fn pick(dispatch: Dispatch, item: MapItem) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::Map(MapEvent::Pick(
        MapPick::Item(item),
    ))));
}

/// The click was on a control inside a card (a button, a field, an open panel).
fn within_control(ev: &leptos::ev::MouseEvent) -> bool {
    ev.target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .and_then(|e| {
            e.closest(
                "button, input, select, textarea, label, a, .block-detail, .inline-suggestion",
            )
            .ok()
            .flatten()
        })
        .is_some()
}

fn absence(dispatch: Dispatch, e: AbsenceEvent) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::Absence(e)));
}

/// A technician's days away: the kind and the first and last day; recording it opens the
/// re-plan of the day shown (the core's rule).
#[component]
fn AbsenceForm(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let form = Memo::new(move |_| board.with(|b| b.as_ref().and_then(|b| b.absence.clone())));
    move || {
        form.get().map(|f| {
            let kinds = f.kinds.clone();
            let options = f
                .kinds
                .iter()
                .enumerate()
                .map(|(i, c)| view! { <option value=i.to_string() selected=c.kind == f.kind>{c.label.text.clone()}</option> })
                .collect_view();
            view! {
                <div class="card" data-testid="absence-form">
                    <h3>{f.name.clone()}</h3>
                    <label>{w!(dispatcher.away)}
                        <select name="absence-kind" on:change=move |ev| {
                            if let Some(c) = chosen(&kinds, &event_target_value(&ev)) {
                                absence(dispatch, AbsenceEvent::Kind(c.kind));
                            }
                        }>{options}</select>
                    </label>
                    <label>{w!(dispatcher.absence_first_day)}
                        <input type="date" name="absence-from" prop:value=f.from.clone()
                            on:input=move |ev| absence(dispatch, AbsenceEvent::From(event_target_value(&ev)))/>
                    </label>
                    <label>{w!(dispatcher.absence_last_day)}
                        <input type="date" name="absence-to" prop:value=f.to.clone()
                            on:input=move |ev| absence(dispatch, AbsenceEvent::To(event_target_value(&ev)))/>
                    </label>
                    {f.error.clone().map(|e| view! { <p class="error" data-testid="absence-error">{e.text}</p> })}
                    <div class="actions">
                        <button class="primary" data-testid="absence-save" disabled=f.saving
                            on:click=move |_| absence(dispatch, AbsenceEvent::Save)>{w!(dispatcher.record_absence)}</button>
                        <button class="link" on:click=move |_| absence(dispatch, AbsenceEvent::Close)>{w!(frame.close)}</button>
                    </div>
                </div>
            }
        })
    }
}

/// Percent of the span, clamped to the track.
fn pct(ms: i64, (start, end): (i64, i64)) -> f64 {
    ((ms - start) as f64 / (end - start).max(1) as f64 * 100.0).clamp(0.0, 100.0)
}

fn timeline(
    t: TechnicianDay,
    span: (i64, i64),
    all: Vec<(UserId, String)>,
    selected: RwSignal<Option<JobId>>,
    chosen: Option<MapItem>,
    reassign: Word,
) -> impl IntoView {
    let me = t.id;
    let dispatch = use_dispatch();
    let dragging = use_context::<Dragging>().expect("inside the board");
    let block = move |c: &JobCard, done: bool| {
        let id = c.id;
        // Set through the CSSOM (`style:`), not a `style` attribute, which the page's
        // Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline') would block.
        let place = c.start_ms.map(|s| {
            let left = pct(s, span);
            let right = pct(s + i64::from(c.minutes.max(15)) * 60_000, span);
            (
                format!("{left:.2}%"),
                format!("{:.2}%", (right - left).max(1.5)),
            )
        });
        let timed = place.is_some();
        let (left, width) = place.unzip();
        view! {
            <button class=format!("block s-{:?}", c.status) class:timed=timed class:risk=c.sla_at_risk && !done
                class:crew=c.crew.is_some()
                class:selected=chosen == Some(MapItem::Job(id)) data-id=id.0.to_string()
                data-testid="block" data-number=c.number.clone() style:left=left style:width=width
                title=format!("{} · {} · {} · {} · {}{}", c.number, c.status_word.text, c.customer_name, c.address, c.description,
                    c.crew.as_ref().map(|w| format!(" · {}", w.text)).unwrap_or_default())
                on:click=move |_| {
                    selected.update(|s| *s = if *s == Some(id) { None } else { Some(id) });
                    // Opens the job beside the board, and marks it on the map.
                    pick(dispatch, MapItem::Job(id));
                }>
                <b>{c.number.clone()}</b>" "<span class="small">{c.customer_name.clone()}</span>
            </button>
        }
    };
    let (timed, untimed): (Vec<&JobCard>, Vec<&JobCard>) =
        t.jobs.iter().partition(|c| c.start_ms.is_some());
    let done_timed: Vec<&JobCard> = t.done.iter().filter(|c| c.start_ms.is_some()).collect();
    let done_untimed: Vec<&JobCard> = t.done.iter().filter(|c| c.start_ms.is_none()).collect();
    let others: Vec<(UserId, String)> = all.into_iter().filter(|(u, _)| *u != me).collect();
    view! {
        <div class="tech-row" data-testid="tech" data-name=t.name.clone() data-id=me.0.to_string()
            class:selected=chosen == Some(MapItem::Technician(me))
            class:drop=move || dragging.0.get().is_some()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                if dragging.0.get_untracked().is_some() {
                    ev.prevent_default();
                }
            }
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                if let Some(job) = dragging.0.get_untracked() {
                    dragging.0.set(None);
                    dispatch.run(Event::Dispatcher(DispatcherEvent::Assign { job, technician: me }));
                }
            }>
            <div class="tech-head" on:click=move |_| pick(dispatch, MapItem::Technician(me))>
                <b>{t.name.clone()}</b>
                {t.skills.iter().map(|s| view! { <span class="muted small skill">{s.text.clone()}</span> }).collect_view()}
                <span class="small">{t.planned.text.clone()}</span>
                {match t.away.clone() {
                    Some(away) => view! {
                        <span class="chip away" data-testid="away">{away.text}</span>
                        <button class="link small" data-testid="back-at-work"
                            on:click=move |ev| { ev.stop_propagation(); absence(dispatch, AbsenceEvent::Back(me)); }>
                            {w!(dispatcher.back_at_work)}
                        </button>
                    }.into_any(),
                    None => view! {
                        <button class="link small" data-testid="away-open"
                            on:click=move |ev| { ev.stop_propagation(); absence(dispatch, AbsenceEvent::Open(me)); }>
                            {w!(dispatcher.away)}
                        </button>
                    }.into_any(),
                }}
            </div>
            <div class="lane">
                <div class="track">
                    {timed.into_iter().map(|c| block(c, false)).collect_view()}
                    {done_timed.into_iter().map(|c| block(c, true)).collect_view()}
                </div>
                <div class="untimed">
                    {untimed.into_iter().map(|c| block(c, false)).collect_view()}
                    {done_untimed.into_iter().map(|c| block(c, true)).collect_view()}
                </div>
                {t.jobs.iter().cloned().map(|c| {
                    let id = c.id;
                    // Moving a job is offered where taking it back is.
                    let unassign = offered(&c, JobAction::Unassign);
                    let (others, reassign) = (others.clone(), reassign.clone());
                    view! {
                        <Show when=move || selected.get() == Some(id)>
                            <div class="block-detail small">
                                <b>{c.number.clone()}</b>" · "{c.status_word.text.clone()}" · "{c.customer_name.clone()}" · "
                                {c.eta.clone().or(c.window.clone())}" · "{c.address.clone()}
                                {unassign.clone().map(|u| technician_picker(id, others.clone(), reassign.clone(), Some(u)))}
                            </div>
                        </Show>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

/// A technician list and a button that assigns the job to the one chosen; with `unassign`,
/// also the button that puts the job back in the queue.
fn technician_picker(
    job: JobId,
    techs: Vec<(UserId, String)>,
    label: Word,
    unassign: Option<Word>,
) -> impl IntoView {
    let dispatch = use_dispatch();
    let choice = RwSignal::new(None::<UserId>);
    let ids: Vec<UserId> = techs.iter().map(|o| o.0).collect();
    view! {
        <div class="reassign">
            <select on:change=move |ev| choice.set(chosen(&ids, &event_target_value(&ev)))>
                <option value="">"…"</option>
                {techs.into_iter().enumerate().map(|(i, (_, name))| view! { <option value=i.to_string()>{name}</option> }).collect_view()}
            </select>
            <button class="chip" on:click=move |_| {
                if let Some(technician) = choice.get_untracked() {
                    dispatch.run(Event::Dispatcher(DispatcherEvent::Assign { job, technician }));
                }
            }>{label.text}</button>
            {unassign.map(|u| view! {
                <button class="chip" on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Unassign(job)))>{u.text}</button>
            })}
        </div>
    }
}

/// Technicians ranked for one job with their reasons, each with an Assign, and those who
/// cannot take it with why.
fn suggestion_view(
    s: shared::view::suggest::SuggestView,
    labels: &shared::view::Labels,
    dispatch: Dispatch,
) -> impl IntoView + use<> {
    let d = &labels.dispatcher;
    let job = s.job;
    let (eta, assign) = (labels.technician.eta.text.clone(), d.assign.text.clone());
    let not_possible = d.not_possible.text.clone();
    view! {
        <div data-testid="suggestion" class="suggestion">
            <h4>{s.title.text}</h4>
            <ol class="candidates">
                {s.candidates.into_iter().map(|c| {
                    let technician = c.technician;
                    view! {
                        <li data-testid="candidate">
                            <div class="row"><b>"#"{c.rank}" "{c.name}</b>
                                <span class="small">{eta.clone()}" "{c.eta}</span>
                                <span class="small muted">{c.added.text}</span></div>
                            <ul class="reasons small" data-testid="reasons">
                                {c.reasons.into_iter().map(|r| view! { <li>{r.text}</li> }).collect_view()}
                            </ul>
                            <button class="primary" data-testid="assign"
                                on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Assign { job, technician }))>
                                {assign.clone()}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!s.excluded.is_empty()).then(|| view! {
                <h4>{not_possible}</h4>
                <ul class="small muted">
                    {s.excluded.into_iter().map(|e| view! { <li>{e.name}": "{e.reason.text}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// The job the dispatcher opened from a timeline: what the technician recorded (notes, parts,
/// score), the customer, and who did what, when and where.
#[component]
fn OpenJob(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let view = use_view();
    move || {
        let job = board.with(|b| b.as_ref().and_then(|b| b.job.clone()))?;
        let t = view.with(|v| v.labels.technician.clone());
        let close = view.with(|v| v.labels.frame.close.text.clone());
        let card = job.card.clone();
        let completion = job.completion.clone().map(|c| {
            view! {
                <div data-testid="job-completion" class="small">
                    <h4>{t.completion.text.clone()}</h4>
                    <p><b>{t.notes.text.clone()}": "</b>{c.notes}</p>
                    <p><b>{t.parts_used.text.clone()}": "</b>
                        {c.parts.into_iter().map(|p| format!("{} × {}", p.item, p.quantity)).collect::<Vec<_>>().join(", ")}</p>
                    <p><b>{t.satisfaction.text.clone()}": "</b>
                        <span data-testid="job-score">{c.satisfaction.map_or_else(|| "—".to_owned(), |s| s.to_string())}</span></p>
                </div>
            }
        });
        Some(view! {
            <div class="card" data-testid="open-job">
                <div class="row">
                    <b>{card.number.clone()}</b>
                    <span class=format!("status s-{:?}", card.status)>{card.status_word.text.clone()}</span>
                    <button class="link" on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::CloseJob))>{close}</button>
                </div>
                <div class="muted small">{card.description.clone()}</div>
                {job.card.place_customer.clone().map(|p| super::technician::place_customer(dispatch, p))}
                {completion}
                {super::technician::customer_and_history(&t, job)}
            </div>
        })
    }
}

/// Suggestion for one job, or the day's plan with its changes, before anything is changed.
#[component]
fn Panel(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let view = use_view();
    let panel = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.dispatch.clone())));
    let body = move || {
        let Some(p) = panel.get() else {
            return ().into_any();
        };
        let labels = view.with(|v| v.labels.clone());
        let d = labels.dispatcher.clone();
        let problem = p
            .problem
            .map(|e| view! { <p class="error" data-testid="dispatch-problem">{e.text}</p> });
        // A suggestion for a waiting job opens under it in the queue; this one is for a job
        // that is not there (one on a technician's timeline).
        let queued = board.with(|b| {
            b.as_ref().is_some_and(|b| {
                p.suggestion
                    .as_ref()
                    .is_some_and(|s| b.unassigned.iter().any(|c| c.id == s.job))
            })
        });
        let suggestion = p
            .suggestion
            .filter(|_| !queued)
            .map(|s| suggestion_view(s, &labels, dispatch));
        let plan = p.plan.map(|p| {
            view! {
                <div data-testid="plan">
                    <h4>{p.title.text}</h4>
                    <p class="small">{p.summary.text}</p>
                    <h4>{d.changes.text.clone()}</h4>
                    <ul class="small" data-testid="plan-changes">
                        {p.changes.into_iter().map(|c| view! { <li class:muted=c.informational>{c.text.text}</li> }).collect_view()}
                    </ul>
                    <h4>{d.routes.text.clone()}</h4>
                    {p.routes.into_iter().map(|r| view! {
                        <div class="small" data-testid="plan-route" data-name=r.name.clone()><b>{r.name.clone()}</b>" · "{r.driving.text}
                            <ol>{r.stops.into_iter().map(|s| view! {
                                <li class:changed=s.changed>{s.time}" "{s.number.or(s.rest.map(|w| w.text))}</li>
                            }).collect_view()}</ol>
                        </div>
                    }).collect_view()}
                    {(!p.unassigned.is_empty()).then(|| view! {
                        <h4>{d.left_unplaced.text.clone()}</h4>
                        <ul class="small">{p.unassigned.into_iter().map(|u| view! { <li>{u.number}": "{u.reason.text}</li> }).collect_view()}</ul>
                    })}
                    <button class="primary" data-testid="accept-plan" prop:disabled=p.changes_to_make == 0
                        on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Plan(PlanEvent::Accept)))>
                        {p.accept.text}
                    </button>
                </div>
            }
        });
        let confirm = p.confirm.map(|c| {
            let send = move |e| dispatch.run(Event::Dispatcher(e));
            view! {
                <div data-testid="confirm-assign" class="confirm">
                    <h4>{c.title.text}</h4>
                    <ul class="small warnings" data-testid="assign-warnings">
                        {c.warnings.into_iter().map(|w| view! { <li>{w.text}</li> }).collect_view()}
                    </ul>
                    <label class="small">{d.why_assign.text.clone()}" "
                        <input data-testid="assign-reason" prop:value=c.reason
                            on:input=move |ev| send(DispatcherEvent::AssignReason(event_target_value(&ev)))/>
                    </label>
                    {c.error.map(|e| view! { <p class="error">{e.text}</p> })}
                    <div class="actions">
                        <button class="primary" data-testid="assign-anyway"
                            on:click=move |_| send(DispatcherEvent::ConfirmAssign)>{d.assign_anyway.text.clone()}</button>
                        <button class="link" on:click=move |_| send(DispatcherEvent::DropAssign)>{d.keep_as_it_was.text.clone()}</button>
                    </div>
                </div>
            }
        });
        view! { {problem}{confirm}{suggestion}{plan} }.into_any()
    };
    let open = move || {
        panel.with(|p| {
            p.as_ref().is_some_and(|p| {
                p.suggestion.is_some()
                    || p.plan.is_some()
                    || p.problem.is_some()
                    || p.confirm.is_some()
            })
        })
    };
    view! {
        <div class="card panel">
            <div class="actions">
                <button class="primary" data-testid="plan-day"
                    on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Plan(PlanEvent::Propose)))>
                    {w!(dispatcher.plan_the_day)}
                </button>
                <Show when=open>
                    <button class="link" on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Plan(PlanEvent::Dismiss)))>{w!(frame.close)}</button>
                </Show>
            </div>
            {body}
        </div>
    }
}

#[component]
fn FollowUps(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let view = use_view();
    let list = move || {
        let done = view.with(|v| v.labels.dispatcher.done.text.clone());
        board
            .with(|b| b.as_ref().map(|b| b.follow_ups.clone()).unwrap_or_default())
            .into_iter()
            .map(|f| {
                let id = f.id;
                view! {
                    <li data-testid="follow-up" data-reason=f.reason.clone()>
                        <b>{f.title}</b>" · "{f.label.text}" · "<span class="muted">{f.due}</span>" "
                        <button class="chip" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::Complete(id)))>
                            {done.clone()}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    // The core pages the card (ten at a time); the shell only moves between pages.
    let page = move || {
        board.with(|b| {
            b.as_ref()
                .map(|b| b.follow_ups_page.clone())
                .unwrap_or_default()
        })
    };
    let go = move |to: u32| dispatch.run(Event::Dispatcher(DispatcherEvent::FollowUpsPage(to)));
    view! {
        <div class="card" data-testid="board-follow-ups">
            <h3>{w!(sales.follow_ups)}" "<span class="muted small" data-testid="follow-ups-total">{move || page().total}</span></h3>
            <ul class="small">{list}</ul>
            <Show when=move || { page().pages > 1 }>
                <div class="row small">
                    <button class="chip" data-testid="follow-ups-previous" disabled=move || page().index == 0
                        on:click=move |_| go(page().index.saturating_sub(1))>"‹ "{w!(dispatcher.previous_page)}</button>
                    <span class="muted" data-testid="follow-ups-shown">{move || page().shown.map(|w| w.text)}</span>
                    <button class="chip" data-testid="follow-ups-next" disabled=move || { page().index + 1 >= page().pages }
                        on:click=move |_| go(page().index + 1)>{w!(dispatcher.next_page)}" ›"</button>
                </div>
            </Show>
        </div>
    }
}

/// The store's reps by how much waits beyond their day; one opened shows its backlog, which
/// the core sorts and pages, each card with the colleagues it can be handed to.
#[component]
fn Reps(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let reps = move || board.with(|b| b.as_ref().map(|b| b.reps.clone()).unwrap_or_default());
    let opened = Memo::new(move |_| board.with(|b| b.as_ref().and_then(|b| b.rep_backlog.clone())));
    let list = move || {
        let open = opened.with(|o| o.as_ref().map(|o| o.rep.id));
        reps()
            .into_iter()
            .map(|r| {
                let id = r.id;
                let chosen = open == Some(id);
                let capacity = r.capacity.clone();
                view! {
                    <li data-testid="rep-load" data-backlog=r.backlog.to_string()>
                        <b>{r.name}</b>" · "<span class="muted">{r.load.text}</span>" "
                        <input class="small number" type="number" min="1" max="200" data-testid="rep-capacity"
                            prop:value=capacity.clone() placeholder="—"
                            on:change=move |ev| {
                                dispatch.run(Event::Dispatcher(DispatcherEvent::Settings(
                                    SettingsEvent::Capacity { user: id, value: event_target_value(&ev) })));
                                holds(&ev, &capacity);
                            }/>
                        <span class="muted">" "{r.per_day.text}" "</span>
                        <Show when=move || { r.backlog > 0 && !chosen }>
                            <button class="chip" data-testid="open-rep-backlog"
                                on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::RepBacklog(Some(id))))>
                                {w!(sales.backlog)}
                            </button>
                        </Show>
                    </li>
                }
            })
            .collect_view()
    };
    let backlog = move || opened.with(|o| o.as_ref().map(|o| o.backlog.clone()));
    let page = move || backlog().map(|b| b.page).unwrap_or_default();
    let go = move |to: u32| dispatch.run(Event::Sales(SalesEvent::BacklogPage(to)));
    let sorts = move || {
        backlog().map(|b| {
            b.sorts
                .iter()
                .enumerate()
                .map(|(i, s)| view! { <option value=i.to_string() selected=s.sort == b.sort>{s.label.text.clone()}</option> })
                .collect_view()
        })
    };
    let cards = move || {
        let Some(b) = backlog() else {
            return Vec::new();
        };
        b.cards
            .into_iter()
            .map(|c| {
                view! {
                    <li data-testid="rep-backlog-card">
                        <b>{c.title}</b>" · "{c.label.text}" · "<span class="muted">{c.due}</span>" "
                        {super::sales::hand_to(c.id, b.hand_to.clone(), "rep-hand-to")}
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || !reps().is_empty()>
            <div class="card" data-testid="board-reps">
                <h3>{w!(dispatcher.reps_follow_ups)}</h3>
                <ul class="small">{list}</ul>
                <Show when=move || opened.with(Option::is_some)>
                    <div data-testid="rep-backlog">
                        <div class="row">
                            <b>{move || opened.with(|o| o.as_ref().map(|o| o.rep.name.clone()))}</b>
                            <button class="link" data-testid="close-rep-backlog"
                                on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::RepBacklog(None)))>{w!(frame.close)}</button>
                        </div>
                        <p class="small" data-testid="rep-backlog-summary">{move || backlog().map(|b| b.summary.text)}</p>
                        <select data-testid="rep-backlog-sort" on:change=move |ev| {
                            let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                            if let Some(sort) = backlog().and_then(|b| b.sorts.get(i).map(|s| s.sort)) {
                                dispatch.run(Event::Sales(SalesEvent::BacklogSort(sort)));
                            }
                        }>{sorts}</select>
                        <ul class="small">{cards}</ul>
                        <div class="row small">
                            <button class="chip" data-testid="rep-backlog-previous" disabled=move || page().index == 0
                                on:click=move |_| go(page().index.saturating_sub(1))>"‹ "{w!(dispatcher.previous_page)}</button>
                            <span class="muted" data-testid="rep-backlog-shown">{move || page().shown.map(|w| w.text)}</span>
                            <button class="chip" data-testid="rep-backlog-next" disabled=move || { page().index + 1 >= page().pages }
                                on:click=move |_| go(page().index + 1)>{w!(dispatcher.next_page)}" ›"</button>
                        </div>
                    </div>
                </Show>
            </div>
        </Show>
    }
}

/// The organization's settings, for an admin: each switch or number is sent when changed
/// (a number when its field is left), and the core makes one op of it.
#[component]
pub(super) fn Settings(
    settings: Memo<Option<shared::view::settings::SettingsView>>,
) -> impl IntoView {
    let dispatch = use_dispatch();
    let rows = move || {
        settings
            .with(|s| s.as_ref().map(|s| s.rows.clone()).unwrap_or_default())
            .into_iter()
            .map(|r| {
                let key = r.key;
                let switch = r.on.map(|on| {
                    view! {
                        <input type="checkbox" data-testid="setting-switch" prop:checked=on
                            on:change=move |ev| dispatch.run(Event::Dispatcher(DispatcherEvent::Settings(
                                SettingsEvent::Switch { key, on: event_target_checked(&ev) })))/>
                    }
                });
                let list = r.list;
                let number = r.number.clone().map(|n| {
                    // A list of four thresholds is typed as text ("30, 90, 180, 365").
                    let (kind, class) = if list { ("text", "tiers") } else { ("number", "small number") };
                    view! {
                        <input class=class type=kind data-testid="setting-number" prop:value=n.clone()
                            on:change=move |ev| {
                                dispatch.run(Event::Dispatcher(DispatcherEvent::Settings(
                                    SettingsEvent::Number { key, value: event_target_value(&ev) })));
                                holds(&ev, &n);
                            }/>
                    }
                });
                view! {
                    <li data-testid="setting" data-key=format!("{key:?}")>
                        <label>{switch}" "{r.label.text}" "{number}</label>
                    </li>
                }
            })
            .collect_view()
    };
    // Whose rules the rows show: the organization's or one store's.
    let whose = move || {
        settings
            .with(|s| s.as_ref().map(|s| (s.stores.clone(), s.store)))
            .map(|(stores, shown)| {
                let options = stores
                    .iter()
                    .enumerate()
                    .map(|(i, r)| view! { <option value=i.to_string() selected=r.store == shown>{r.name.text.clone()}</option> })
                    .collect_view();
                view! {
                    <select class="small" data-testid="settings-store" on:change=move |ev| {
                        if let Some(r) = chosen(&stores, &event_target_value(&ev)) {
                            dispatch.run(Event::Dispatcher(DispatcherEvent::Settings(SettingsEvent::Store(r.store))));
                        }
                    }>{options}</select>
                }
            })
    };
    let own = move || {
        settings.with(|s| s.as_ref().and_then(|s| s.own_rules.map(|on| (on, s.own_rules_label.text.clone())))).map(|(on, words)| {
            view! {
                <label class="small"><input type="checkbox" data-testid="settings-own-rules" prop:checked=on
                    on:change=move |ev| dispatch.run(Event::Dispatcher(DispatcherEvent::Settings(
                        SettingsEvent::OwnRules(event_target_checked(&ev)))))/>" "{words}</label>
            }
        })
    };
    let sla = move || {
        settings.with(|s| s.as_ref().map(|s| (s.sla_title.text.clone(), s.tiers.clone(), s.sla.clone()))).map(|(title, tiers, rows)| {
            let head = tiers.into_iter().map(|t| view! { <th>{t.text}</th> }).collect_view();
            let body = rows
                .into_iter()
                .map(|row| {
                    let service = row.service;
                    let cells = row
                        .cells
                        .into_iter()
                        .map(|c| {
                            let tier = c.tier;
                            let hours = c.hours.clone();
                            view! {
                                <td><input class="small number" type="number" data-testid="sla-hours"
                                    data-tier=format!("{tier:?}") data-service=format!("{service:?}")
                                    placeholder=c.standard prop:value=c.hours
                                    on:change=move |ev| {
                                        dispatch.run(Event::Dispatcher(DispatcherEvent::Settings(
                                            SettingsEvent::Sla { tier, service, value: event_target_value(&ev) })));
                                        holds(&ev, &hours);
                                    }/></td>
                            }
                        })
                        .collect_view();
                    view! { <tr><th class="small">{row.label.text}</th>{cells}</tr> }
                })
                .collect_view();
            view! {
                <h4>{title}</h4>
                <table class="small sla" data-testid="sla"><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>
            }
        })
    };
    view! {
        <Show when=move || settings.with(Option::is_some)>
            <div class="card" data-testid="settings">
                <h3>{move || settings.with(|s| s.as_ref().map(|s| s.title.text.clone()))}</h3>
                <div class="row">{whose}{own}</div>
                <ul class="small settings">{rows}</ul>
                {sla}
            </div>
        </Show>
    }
}

/// Puts back in the field the value the core holds. A value the core takes comes back with the
/// next view and repaints the field; one it refuses (said in the notice) must not stay typed
/// there, as if it held.
fn holds(ev: &leptos::ev::Event, value: &str) {
    event_target::<leptos::web_sys::HtmlInputElement>(ev).set_value(value);
}
