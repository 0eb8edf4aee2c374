//! The Crux core in process: events go in, effects come out and are carried out here, one
//! handler file per effect (as in the Crux weather example's web-leptos shell). Nothing in
//! this module decides anything; it only performs what the core asks.

mod bench;
mod http;
mod kv;
mod live;
mod location;
mod notify;
mod store;
mod time;

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use shared::app::Rounds;
use shared::effects::Effect;
use shared::model::Event;
use shared::view::ViewModel;

pub use notify::{ask_permission as ask_notification_permission, banner as notify_banner};

pub type Core = Rc<crux_core::Core<Rounds>>;

pub fn new() -> Core {
    let core = Rc::new(crux_core::Core::new());
    bench::started();
    core
}

/// Push an event into the core and carry out every effect it asks for.
pub fn update(core: &Core, event: Event, render: WriteSignal<ViewModel>) {
    process_effects(core, core.process_event(event), render);
}

fn process_effects(core: &Core, effects: Vec<Effect>, render: WriteSignal<ViewModel>) {
    for effect in effects {
        process_effect(core, effect, render);
    }
}

/// Hand an effect's output back to the core and carry out what follows from it.
fn resolve_effect<Output>(
    core: &Core,
    request: &mut impl crux_core::Resolvable<Output>,
    output: Output,
    render: WriteSignal<ViewModel>,
) {
    match core.resolve(request, output) {
        Ok(effects) => process_effects(core, effects, render),
        Err(e) => web_sys::console::warn_1(&format!("could not resolve an effect: {e:?}").into()),
    }
}

fn process_effect(core: &Core, effect: Effect, render: WriteSignal<ViewModel>) {
    match effect {
        Effect::Render(_) => schedule_render(core, render),
        Effect::Http(request) => http::resolve(core, request, render),
        Effect::KeyValue(request) => kv::resolve(core, request, render),
        Effect::Time(request) => time::resolve(core, request, render),
        Effect::Location(request) => location::resolve(core, request, render),
        Effect::Notify(request) => notify::perform(&request.operation),
        Effect::Store(request) => store::resolve(core, request, render),
        Effect::Live(request) => live::resolve(core, request, render),
    }
}

thread_local! {
    /// A render is asked for and not yet done.
    static RENDER_ASKED: Cell<bool> = const { Cell::new(false) };
}

/// Renders at the next frame, once however many renders were asked for by then: a sync
/// answer and the follow-up work after it each ask, and at a chain's size a view model is not
/// free. The effects asked for alongside (a device database write, a request) start first.
fn schedule_render(core: &Core, render: WriteSignal<ViewModel>) {
    if RENDER_ASKED.with(|r| r.replace(true)) {
        return;
    }
    let core = Rc::clone(core);
    leptos::leptos_dom::helpers::request_animation_frame(move || {
        RENDER_ASKED.with(|r| r.set(false));
        let view = core.view();
        bench::mark("view built");
        render.set(view);
        bench::mark("rendered");
    });
}
