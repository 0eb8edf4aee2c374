//! Rounds in the browser: a Leptos (CSR) shell around the `shared` Crux core, which runs in
//! this page. The shell renders the core's view model and carries out its effects (`core/`,
//! one file per effect); every decision is the core's.
//!
//! Screens are mounted once per kind of screen (`Show` on the screen's kind), and each reads
//! its slice of the view model in its own reactive closures, so a repaint never rebuilds an
//! input: what a person is typing survives every sync, error and language switch.
#![cfg(target_arch = "wasm32")]

mod core;
mod language;
mod ui;

use std::rc::Rc;

use leptos::callback::UnsyncCallback;
use leptos::prelude::*;
use shared::model::Event;
use shared::view::ViewModel;

/// Sends an event to the core.
pub type Dispatch = UnsyncCallback<Event>;

pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let core = core::new();
    let (view, set_view) = signal(core.view());
    let lang = language::initial();
    language::remember(lang);

    let dispatch_core = Rc::clone(&core);
    let dispatch: Dispatch = UnsyncCallback::new(move |event: Event| {
        core::update(&dispatch_core, event, set_view);
    });
    provide_context(dispatch);
    provide_context(view);

    // Launch: the server is the origin that served this page.
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    core::update(
        &core,
        Event::Start {
            server_url: origin,
            device_id: device_id(),
        },
        set_view,
    );
    core::update(&core, Event::SetLanguage(lang), set_view);
    on_online(dispatch);

    view! { <ui::Root/> }
}

/// One id per browser profile, kept in localStorage.
fn device_id() -> String {
    const KEY: &str = "rounds.device";
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(id) = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten())
    {
        return id;
    }
    let id = format!(
        "web-{:x}-{:08x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    );
    if let Some(s) = storage {
        let _ = s.set_item(KEY, &id);
    }
    id
}

/// Tell the core when the browser is back online, so waiting changes go at once.
fn on_online(dispatch: Dispatch) {
    use leptos::callback::Callable;
    use wasm_bindgen::prelude::*;
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn FnMut()>::new(move || dispatch.run(Event::Online));
    let _ = w.add_event_listener_with_callback("online", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// The view model, from context.
pub fn use_view() -> ReadSignal<ViewModel> {
    expect_context::<ReadSignal<ViewModel>>()
}

/// The way to the core, from context.
pub fn use_dispatch() -> Dispatch {
    expect_context::<Dispatch>()
}
