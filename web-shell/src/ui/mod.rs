//! The screens. `Root` shows the frame (who, sync state, language, notices) and mounts the
//! screen of the view model's kind.

mod audit;
mod back_office;
mod conflicts;
mod dispatcher;
mod imports;
mod lookup;
mod map;
mod numbers;
mod sales;
mod technician;

use leptos::callback::Callable;
use leptos::prelude::*;
use shared::model::Event;
use shared::view::{DispatcherScreen, SalesScreen, Screen, TechnicianScreen};

use crate::w;
use crate::{use_dispatch, use_view};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Loading,
    SignIn,
    MyDay,
    Job,
    FollowUps,
    Lead,
    Board,
    BackOffice,
}

fn kind(s: &Screen) -> Kind {
    match s {
        Screen::Loading => Kind::Loading,
        Screen::SignIn(_) => Kind::SignIn,
        Screen::Technician(TechnicianScreen::MyDay(_)) => Kind::MyDay,
        Screen::Technician(TechnicianScreen::Job(_)) => Kind::Job,
        Screen::Sales(SalesScreen::FollowUps(_)) => Kind::FollowUps,
        Screen::Sales(SalesScreen::Lead(_)) => Kind::Lead,
        Screen::Dispatcher(DispatcherScreen::Board(_)) => Kind::Board,
        Screen::Dispatcher(DispatcherScreen::BackOffice(_)) => Kind::BackOffice,
    }
}

#[component]
pub fn Root() -> impl IntoView {
    let view = use_view();
    let k = Memo::new(move |_| view.with(|v| kind(&v.screen)));
    let wide = move || matches!(k.get(), Kind::Board | Kind::BackOffice);
    let inbox = RwSignal::new(false);
    view! {
        <div class="app" class:wide=wide>
            <Header inbox=inbox/>
            <Notices/>
            <conflicts::Inbox open=inbox/>
            <Reminders/>
            <main>
                <Show when=move || k.get() == Kind::Loading>
                    <p class="muted">{w!(frame.loading)}</p>
                </Show>
                <Show when=move || k.get() == Kind::SignIn>
                    <SignIn/>
                </Show>
                <Show when=move || k.get() == Kind::MyDay>
                    <technician::MyDay/>
                </Show>
                <Show when=move || k.get() == Kind::Job>
                    <technician::JobDetail/>
                </Show>
                <Show when=move || k.get() == Kind::FollowUps>
                    <sales::FollowUps/>
                </Show>
                <Show when=move || k.get() == Kind::Lead>
                    <sales::LeadDetail/>
                </Show>
                <Show when=move || k.get() == Kind::Board>
                    <dispatcher::Board/>
                </Show>
                <Show when=move || k.get() == Kind::BackOffice>
                    <back_office::BackOffice/>
                </Show>
            </main>
        </div>
    }
}

#[component]
fn Header(inbox: RwSignal<bool>) -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let signed_in = move || view.with(|v| v.user_name.is_some());
    let switch_lang = move |_| {
        let next = view.with_untracked(|v| {
            v.languages
                .iter()
                .map(|l| l.lang)
                .find(|l| *l != v.language)
        });
        if let Some(next) = next {
            crate::language::remember(next);
            dispatch.run(Event::SetLanguage(next));
        }
    };
    let roles = move || {
        view.with(|v| {
            if v.roles.len() < 2 {
                return Vec::new();
            }
            v.roles
                .iter()
                .map(|choice| {
                    let r = choice.role;
                    let current = v.role == Some(r);
                    view! {
                        <button class="chip" class:on=current
                            on:click=move |_| dispatch.run(Event::ShowRole(r))>
                            {choice.name.text.clone()}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let sync = move || {
        view.with(|v| {
            let f = &v.labels.frame;
            let state = if v.sync.syncing {
                &f.syncing
            } else if v.sync.online {
                &f.online
            } else {
                &f.offline
            };
            match &v.pending_words {
                Some(p) => format!("{state} · {p}"),
                None => state.text.clone(),
            }
        })
    };
    let online = move || view.with(|v| v.sync.online);
    view! {
        <header>
            <span class="brand">{w!(frame.app_name)}</span>
            <Show when=signed_in>
                <span class="who" data-testid="user">{move || view.with(|v| v.user_name.clone())}</span>
                {roles}
                <span class="sync" class:offline=move || !online() && !view.with(|v| v.sync.syncing) data-testid="sync">{sync}</span>
                // Changes arrive as they happen (the server's live channel is open).
                <Show when=move || view.with(|v| v.sync.live)>
                    <span class="live" data-testid="live" title=w!(frame.live)>"● "{w!(frame.live)}</span>
                </Show>
                <button class="link" on:click=move |_| dispatch.run(Event::SyncNow)>{w!(frame.sync_now)}</button>
                <conflicts::InboxButton open=inbox/>
            </Show>
            <span class="grow"></span>
            <button class="chip" data-testid="lang" on:click=switch_lang>
                {move || view.with(|v| {
                    v.languages.iter().find(|l| l.lang != v.language).map(|l| l.endonym.clone())
                })}
            </button>
            <Show when=signed_in>
                <button class="link" data-testid="sign-out" on:click=move |_| dispatch.run(Event::SignOut)>{w!(frame.sign_out)}</button>
            </Show>
        </header>
    }
}

/// The core's notice, rejected changes and the sync problem, in words.
#[component]
fn Notices() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let problem = move || view.with(|v| v.sync.problem.clone());
    let notice = move || view.with(|v| (v.notice.clone(), v.rejected.clone()));
    view! {
        {move || problem().map(|p| view! { <div class="banner warn" data-testid="sync-problem">{p.text}</div> })}
        {move || view.with(|v| v.sync.storage.clone()).map(|s| view! { <div class="banner warn" data-testid="storage">{s.text}</div> })}
        {move || {
            let (notice, rejected) = notice();
            (notice.is_some() || !rejected.is_empty()).then(|| view! {
                <div class="banner error" data-testid="notice">
                    <div>{notice.map(|n| n.text)}</div>
                    <ul>
                        {rejected.into_iter().map(|r| view! {
                            <li><b>{r.what.text}</b>": "{r.reason.text}</li>
                        }).collect_view()}
                    </ul>
                    <button class="link" on:click=move |_| dispatch.run(Event::DismissNotice)>{w!(frame.dismiss)}</button>
                </div>
            })
        }}
    }
}

/// Follow-up reminders that fired while system notifications are not allowed.
#[component]
fn Reminders() -> impl IntoView {
    let banner = crate::core::notify_banner();
    let permission =
        move || web_sys::Notification::permission() == web_sys::NotificationPermission::Default;
    view! {
        <Show when=move || !banner.with(Vec::is_empty)>
            <div class="banner reminder" data-testid="reminders">
                <b>{w!(frame.reminders)}</b>
                <ul>
                    {move || banner.get().into_iter().map(|s| {
                        let id = s.id.clone();
                        view! {
                            <li>
                                <b>{s.title}</b>" — "{s.body}" "
                                <button class="link" on:click=move |_| {
                                    let id = id.clone();
                                    banner.update(|b| b.retain(|x| x.id != id));
                                }>{w!(frame.dismiss)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {move || permission().then(|| view! {
                    <button class="chip" on:click=|_| crate::core::ask_notification_permission()>
                        {w!(frame.allow_notifications)}
                    </button>
                })}
            </div>
        </Show>
    }
}

#[component]
fn SignIn() -> impl IntoView {
    let view = use_view();
    let dispatch = use_dispatch();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let state = move || {
        view.with(|v| match &v.screen {
            Screen::SignIn(s) => (s.busy, s.error.clone()),
            _ => (false, None),
        })
    };
    // The core says when a second-factor code is needed, and words the field.
    let code_field = move || {
        view.with(|v| match &v.screen {
            Screen::SignIn(s) => s.code.clone(),
            _ => None,
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        dispatch.run(Event::SignIn {
            login: login.get_untracked(),
            password: password.get_untracked(),
            code: code.get_untracked(),
        });
    };
    view! {
        <form class="card signin" on:submit=submit>
            <h1>{w!(frame.app_name)}</h1>
            <p class="muted">{w!(frame.tagline)}</p>
            <label>{w!(frame.login)}
                <input name="login" autocomplete="username" prop:value=move || login.get()
                    on:input=move |ev| login.set(event_target_value(&ev))/>
            </label>
            <label>{w!(frame.password)}
                <input name="password" type="password" autocomplete="current-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            // Mounted while the core asks for a code; repaints only change its words, so the
            // field keeps focus and what was typed.
            <Show when=move || code_field().is_some()>
                <label>{move || code_field().map(|f| f.label.text).unwrap_or_default()}
                    <input name="code" autocomplete="one-time-code"
                        data-testid="signin-code"
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))/>
                    <small class="muted">{move || code_field().map(|f| f.hint.text).unwrap_or_default()}</small>
                </label>
            </Show>
            {move || state().1.map(|e| view! { <p class="error" data-testid="signin-error">{e.text}</p> })}
            <button type="submit" class="primary" prop:disabled=move || state().0>
                {move || view.with(|v| if state().0 { v.labels.frame.signing_in.text.clone() } else { v.labels.frame.sign_in.text.clone() })}
            </button>
        </form>
    }
}

/// Beside a record: a change to it waits to sync, or the server refused one (with why);
/// nothing when it is synced.
pub fn sync_badge(s: &shared::view::record_sync::RecordSync) -> impl IntoView + use<> {
    s.words.clone().map(|w| {
        view! {
            <span class=format!("record-sync rs-{:?}", s.state) data-testid="record-sync"
                data-state=format!("{:?}", s.state)>{w.text}</span>
        }
    })
}
