//! The dispatcher's console (a desktop screen): the unassigned queue by SLA deadline with
//! risk colours, alerts, each technician's day as a timeline, the map, the suggestion and
//! plan panel, manual (re)assignment, a new job from the search box.

use domain::ids::{CustomerId, JobId, UserId};
use domain::jobs::{JobAction, Priority, ServiceType};
use leptos::callback::{Callable, UnsyncCallback};
use leptos::prelude::*;
use shared::model::dispatch_board::PlanEvent;
use shared::model::{DispatcherEvent, Event, FollowUpEvent};
use shared::view::dispatcher::{AlertKind, TechnicianDay};
use shared::view::{BoardView, DispatcherScreen, JobCard, Screen};

use super::search::SearchBox;
use super::technician::job_summary;
use crate::i18n::{self, use_lang};
use crate::t;
use crate::{use_dispatch, use_view};

const SERVICES: [ServiceType; 6] = [
    ServiceType::Repair,
    ServiceType::EmergencyRepair,
    ServiceType::Tuning,
    ServiceType::Maintenance,
    ServiceType::Installation,
    ServiceType::Inspection,
];
/// The board shows the most urgent of the dispatcher's own follow-ups; the count says how many.
const FOLLOW_UPS_SHOWN: usize = 10;
const PRIORITIES: [Priority; 4] = [
    Priority::Normal,
    Priority::High,
    Priority::Urgent,
    Priority::Low,
];

#[component]
pub fn Board() -> impl IntoView {
    let view = use_view();
    let board = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Dispatcher(DispatcherScreen::Board(b)) => Some(b.clone()),
            _ => None,
        })
    });
    view! {
        <div class="board" data-testid="board">
            <div class="col">
                <NewJob/>
                <Alerts board=board/>
                <Queue board=board/>
            </div>
            <div class="col wide-col">
                <Timelines board=board/>
                <super::map::Map board=board/>
            </div>
            <div class="col">
                <Panel board=board/>
                <FollowUps board=board/>
            </div>
        </div>
    }
}

#[component]
fn NewJob() -> impl IntoView {
    let dispatch = use_dispatch();
    let lang = use_lang();
    let customer = RwSignal::new(None::<(CustomerId, String)>);
    let service = RwSignal::new(ServiceType::Repair);
    let priority = RwSignal::new(Priority::Normal);
    let description = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::from("60"));
    let pick = UnsyncCallback::new(move |c: (CustomerId, String)| customer.set(Some(c)));
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((customer_id, _)) = customer.get_untracked() else {
            return;
        };
        dispatch.run(Event::Dispatcher(DispatcherEvent::CreateJob {
            customer: customer_id,
            service_type: service.get_untracked(),
            priority: priority.get_untracked(),
            description: description.get_untracked(),
            estimated_minutes: minutes.get_untracked().trim().parse().unwrap_or(60),
            required_skills: Vec::new(),
            window_start_ms: None,
            window_end_ms: None,
        }));
        description.set(String::new());
        customer.set(None);
    };
    view! {
        <SearchBox pick=pick/>
        <form class="card" on:submit=create data-testid="new-job">
            <h3>{t!(lang, "New job")}</h3>
            <div class="small">{t!(lang, "Customer")}": "
                <b data-testid="new-job-customer">{move || customer.get().map(|c| c.1)}</b>
                <Show when=move || customer.with(Option::is_none)>
                    <span class="muted">{t!(lang, "Pick a customer from the search results.")}</span>
                </Show>
            </div>
            <label>{t!(lang, "Service")}
                <select name="service" on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                    service.set(SERVICES[i.min(SERVICES.len() - 1)]);
                }>
                    {move || { let l = lang.get(); SERVICES.iter().enumerate().map(|(i, s)| view! {
                        <option value=i.to_string() selected=service.get_untracked() == *s>{i18n::service(l, *s)}</option>
                    }).collect_view() }}
                </select>
            </label>
            <label>{t!(lang, "Priority")}
                <select name="priority" on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                    priority.set(PRIORITIES[i.min(PRIORITIES.len() - 1)]);
                }>
                    {move || { let l = lang.get(); PRIORITIES.iter().enumerate().map(|(i, p)| view! {
                        <option value=i.to_string() selected=priority.get_untracked() == *p>{i18n::priority(l, *p)}</option>
                    }).collect_view() }}
                </select>
            </label>
            <label>{t!(lang, "Description")}
                <input name="description" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
            </label>
            <label>{t!(lang, "Minutes")}
                <input name="minutes" inputmode="numeric" prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="primary" prop:disabled=move || customer.with(Option::is_none)>{t!(lang, "Create job")}</button>
        </form>
    }
}

#[component]
fn Alerts(board: Memo<Option<BoardView>>) -> impl IntoView {
    let lang = use_lang();
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
                view! { <li class=class>{a.message}</li> }
            })
            .collect_view()
    };
    view! {
        <div class="card">
            <h3>{t!(lang, "Alerts")}" "<span class="muted small">{move || board.with(|b| b.as_ref().map_or(0, |b| b.alerts.len()))}</span></h3>
            <ul class="alerts" data-testid="alerts">{alerts}</ul>
        </div>
    }
}

#[component]
fn Queue(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let lang = use_lang();
    // The job whose manual controls are open, and cancel reasons typed so far: kept here so
    // that repaints (every sync) do not lose them.
    let open = RwSignal::new(None::<JobId>);
    let reasons = RwSignal::new(std::collections::HashMap::<JobId, String>::new());
    let list = move || {
        let l = lang.get();
        let jobs = board.with(|b| b.as_ref().map(|b| b.unassigned.clone()).unwrap_or_default());
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
        if jobs.is_empty() {
            return view! { <li class="muted">{i18n::tr(l, "No jobs waiting.")}</li> }.into_any();
        }
        jobs.into_iter()
            .map(|c| {
                let id = c.id;
                let techs = techs.clone();
                view! {
                    <li>
                        {job_summary(&crate::use_view().with_untracked(|v| v.labels.technician.clone()), &c)}
                        <button class="chip" data-testid="suggest"
                            on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Suggest(id)))>
                            {i18n::tr(l, "Suggest")}
                        </button>
                        <button class="chip" on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>
                            "…"
                        </button>
                        <Show when=move || open.get() == Some(id)>
                            <div class="block-detail small">
                                {manual_assign(l, id, techs.clone())}
                                <div class="reassign">
                                    <input placeholder=i18n::tr(l, "Reason")
                                        prop:value=move || reasons.with(|r| r.get(&id).cloned().unwrap_or_default())
                                        on:input=move |ev| { let v = event_target_value(&ev); reasons.update(|r| { r.insert(id, v); }); }/>
                                    <button class="chip" on:click=move |_| {
                                        let reason = reasons.with_untracked(|r| r.get(&id).cloned().unwrap_or_default());
                                        dispatch.run(Event::Dispatcher(DispatcherEvent::Cancel { job: id, reason }));
                                    }>{i18n::tr(l, "Cancel job")}</button>
                                </div>
                            </div>
                        </Show>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="card">
            <h3>{t!(lang, "Unassigned")}" "<span class="muted small">{move || board.with(|b| b.as_ref().map_or(0, |b| b.unassigned.len()))}</span></h3>
            <ol class="jobs queue" data-testid="queue">{list}</ol>
        </div>
    }
}

#[component]
fn Timelines(board: Memo<Option<BoardView>>) -> impl IntoView {
    let lang = use_lang();
    // The job whose reassign controls are open, kept across repaints.
    let selected = RwSignal::new(None::<JobId>);
    let rows = move || {
        let l = lang.get();
        let Some((techs, span)) = board.with(|b| {
            b.as_ref()
                .map(|b| (b.technicians.clone(), (b.day_start_ms, b.day_end_ms)))
        }) else {
            return ().into_any();
        };
        let all: Vec<(UserId, String)> = techs.iter().map(|t| (t.id, t.name.clone())).collect();
        techs
            .into_iter()
            .map(|t| timeline(l, t, span, all.clone(), selected))
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
            <h3>{t!(lang, "Technicians")}</h3>
            <div class="tech-row axis"><span></span><div class="hours">{axis}</div></div>
            <div class="timelines" data-testid="timelines">{rows}</div>
        </div>
    }
}

/// Percent of the span, clamped to the track.
fn pct(ms: i64, (start, end): (i64, i64)) -> f64 {
    ((ms - start) as f64 / (end - start).max(1) as f64 * 100.0).clamp(0.0, 100.0)
}

fn timeline(
    l: crate::i18n::Lang,
    t: TechnicianDay,
    span: (i64, i64),
    all: Vec<(UserId, String)>,
    selected: RwSignal<Option<JobId>>,
) -> impl IntoView {
    let me = t.id;
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
                data-testid="block" data-number=c.number.clone() style:left=left style:width=width
                title=format!("{} · {} · {} · {} · {}", c.number, i18n::status(l, c.status), c.customer_name, c.address, c.description)
                on:click=move |_| selected.update(|s| *s = if *s == Some(id) { None } else { Some(id) })>
                <b>{c.number.clone()}</b>" "<span class="small">{c.customer_name.clone()}</span>
            </button>
        }
    };
    let (timed, untimed): (Vec<&JobCard>, Vec<&JobCard>) =
        t.jobs.iter().partition(|c| c.start_ms.is_some());
    let done_timed: Vec<&JobCard> = t.done.iter().filter(|c| c.start_ms.is_some()).collect();
    let done_untimed: Vec<&JobCard> = t.done.iter().filter(|c| c.start_ms.is_none()).collect();
    let details: Vec<(JobCard, bool)> = t
        .jobs
        .iter()
        .map(|c| {
            (
                c.clone(),
                c.actions.iter().any(|a| a.action == JobAction::Unassign),
            )
        })
        .collect();
    let others: Vec<(UserId, String)> = all.into_iter().filter(|(u, _)| *u != me).collect();
    view! {
        <div class="tech-row" data-testid="tech" data-name=t.name.clone()>
            <div class="tech-head">
                <b>{t.name.clone()}</b>
                <span class="muted small">{t.skills.join(", ")}</span>
                <span class="small">{i18n::tr(l, "planned")}" "{t.planned_minutes}" "{i18n::tr(l, "min")}</span>
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
                {details.into_iter().map(|(c, can_move)| {
                    let id = c.id;
                    let others = others.clone();
                    view! {
                        <Show when=move || selected.get() == Some(id)>
                            <div class="block-detail small">
                                <b>{c.number.clone()}</b>" · "{i18n::status(l, c.status)}" · "{c.customer_name.clone()}" · "
                                {c.eta.clone().or(c.window.clone())}" · "{c.address.clone()}
                                {can_move.then(|| reassign(l, id, others.clone()))}
                            </div>
                        </Show>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

/// Assign a waiting job to a technician picked by hand.
fn manual_assign(l: crate::i18n::Lang, job: JobId, techs: Vec<(UserId, String)>) -> impl IntoView {
    technician_picker(l, job, techs, "Assign", false)
}

/// Move a planned job to another technician, or back to the queue.
fn reassign(l: crate::i18n::Lang, job: JobId, others: Vec<(UserId, String)>) -> impl IntoView {
    technician_picker(l, job, others, "Reassign", true)
}

/// A technician list and a button that assigns the job to the one chosen.
fn technician_picker(
    l: crate::i18n::Lang,
    job: JobId,
    techs: Vec<(UserId, String)>,
    label: &'static str,
    can_unassign: bool,
) -> impl IntoView {
    let dispatch = use_dispatch();
    let choice = RwSignal::new(None::<UserId>);
    let ids: Vec<UserId> = techs.iter().map(|o| o.0).collect();
    view! {
        <div class="reassign">
            <select on:change=move |ev| {
                let i: Option<usize> = event_target_value(&ev).parse().ok();
                choice.set(i.and_then(|i| ids.get(i).copied()));
            }>
                <option value="">"…"</option>
                {techs.into_iter().enumerate().map(|(i, (_, name))| view! { <option value=i.to_string()>{name}</option> }).collect_view()}
            </select>
            <button class="chip" on:click=move |_| {
                if let Some(technician) = choice.get_untracked() {
                    dispatch.run(Event::Dispatcher(DispatcherEvent::Assign { job, technician }));
                }
            }>{i18n::tr(l, label)}</button>
            {can_unassign.then(|| view! {
                <button class="chip" on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Unassign(job)))>{i18n::tr(l, "Unassign")}</button>
            })}
        </div>
    }
}

/// Suggestion for one job, or the day's plan with its changes, before anything is changed.
#[component]
fn Panel(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let lang = use_lang();
    let panel = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.dispatch.clone())));
    let body = move || {
        let l = lang.get();
        let Some(p) = panel.get() else {
            return ().into_any();
        };
        let problem = p
            .problem
            .map(|e| view! { <p class="error" data-testid="dispatch-problem">{e}</p> });
        let suggestion = p.suggestion.map(|s| {
            let job = s.job;
            view! {
                <div data-testid="suggestion">
                    <h4>{s.title}</h4>
                    <ol class="candidates">
                        {s.candidates.into_iter().map(|c| {
                            let technician = c.technician;
                            view! {
                                <li data-testid="candidate">
                                    <div class="row"><b>"#"{c.rank}" "{c.name}</b>
                                        <span class="small">{i18n::tr(l, "ETA")}" "{c.eta}</span>
                                        <span class="small muted">{c.added}</span></div>
                                    <ul class="reasons small" data-testid="reasons">
                                        {c.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                    </ul>
                                    <button class="primary" data-testid="assign"
                                        on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Assign { job, technician }))>
                                        {i18n::tr(l, "Assign")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    {(!s.excluded.is_empty()).then(|| view! {
                        <h4>{i18n::tr(l, "Not possible")}</h4>
                        <ul class="small muted">
                            {s.excluded.into_iter().map(|e| view! { <li>{e.name}": "{e.reason}</li> }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        });
        let plan = p.plan.map(|p| {
            view! {
                <div data-testid="plan">
                    <h4>{p.title}</h4>
                    <p class="small">{p.summary}</p>
                    <h4>{i18n::tr(l, "Changes")}</h4>
                    <ul class="small" data-testid="plan-changes">
                        {p.changes.into_iter().map(|c| view! { <li class:muted=c.informational>{c.text}</li> }).collect_view()}
                    </ul>
                    <h4>{i18n::tr(l, "Routes")}</h4>
                    {p.routes.into_iter().map(|r| view! {
                        <div class="small"><b>{r.name}</b>" · "{r.driving}
                            <ol>{r.stops.into_iter().map(|s| view! {
                                <li class:changed=s.changed>{s.time}" "{s.label}</li>
                            }).collect_view()}</ol>
                        </div>
                    }).collect_view()}
                    {(!p.unassigned.is_empty()).then(|| view! {
                        <h4>{i18n::tr(l, "Left unplaced")}</h4>
                        <ul class="small">{p.unassigned.into_iter().map(|u| view! { <li>{u.number}": "{u.reason}</li> }).collect_view()}</ul>
                    })}
                    <button class="primary" data-testid="accept-plan" prop:disabled=p.changes_to_make == 0
                        on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Plan(PlanEvent::Accept)))>
                        {i18n::tr(l, "Accept plan")}" ("{p.changes_to_make}")"
                    </button>
                </div>
            }
        });
        view! { {problem}{suggestion}{plan} }.into_any()
    };
    let open = move || {
        panel.with(|p| {
            p.as_ref()
                .is_some_and(|p| p.suggestion.is_some() || p.plan.is_some() || p.problem.is_some())
        })
    };
    view! {
        <div class="card panel">
            <div class="actions">
                <button class="primary" data-testid="plan-day"
                    on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Plan(PlanEvent::Propose)))>
                    {t!(lang, "Plan the day")}
                </button>
                <Show when=open>
                    <button class="link" on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Plan(PlanEvent::Dismiss)))>{t!(lang, "Close")}</button>
                </Show>
            </div>
            {body}
        </div>
    }
}

#[component]
fn FollowUps(board: Memo<Option<BoardView>>) -> impl IntoView {
    let lang = use_lang();
    let dispatch = use_dispatch();
    let list = move || {
        let l = lang.get();
        board
            .with(|b| b.as_ref().map(|b| b.follow_ups.clone()).unwrap_or_default())
            .into_iter()
            .take(FOLLOW_UPS_SHOWN)
            .map(|f| {
                let id = f.id;
                view! {
                    <li data-testid="follow-up" data-reason=f.reason.clone()>
                        <b>{f.title}</b>" · "{f.label.text}" · "<span class="muted">{f.due}</span>" "
                        <button class="chip" on:click=move |_| dispatch.run(Event::FollowUps(FollowUpEvent::Complete(id)))>
                            {i18n::tr(l, "Done")}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="card">
            <h3>{t!(lang, "Follow-ups")}" "<span class="muted small">{move || board.with(|b| b.as_ref().map_or(0, |b| b.follow_ups.len()))}</span></h3>
            <ul class="small">{list}</ul>
        </div>
    }
}
