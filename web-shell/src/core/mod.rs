//! The Crux core in process: events go in, effects come out and are carried out here, one
//! handler file per effect (as in the Crux weather example's web-leptos shell). Nothing in
//! this module decides anything; it only performs what the core asks.

mod bench;
mod http;
mod kv;
mod location;
mod notify;
mod store;
mod time;

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
        Effect::Render(_) => render.set(core.view()),
        Effect::Http(request) => http::resolve(core, request, render),
        Effect::KeyValue(request) => kv::resolve(core, request, render),
        Effect::Time(request) => time::resolve(core, request, render),
        Effect::Location(request) => location::resolve(core, request, render),
        Effect::Notify(request) => notify::perform(&request.operation),
        Effect::Store(request) => store::resolve(core, request, render),
    }
}
