//! `Location`: the last position the browser reported. Answered at once from the last fix
//! (the core must never wait for GPS to stamp a job step); the first request starts
//! watching the position, so later requests have one if the person allowed it.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use shared::effects::location::{LocationRequest, LocationResponse};
use shared::view::ViewModel;
use wasm_bindgen::prelude::*;

/// Kept alive for as long as the browser reports positions.
type OnFix = Closure<dyn FnMut(JsValue)>;

thread_local! {
    static LAST: Cell<Option<(f64, f64)>> = const { Cell::new(None) };
    static WATCHING: RefCell<Option<OnFix>> = const { RefCell::new(None) };
}

pub(super) fn resolve(
    core: &super::Core,
    mut request: crux_core::Request<LocationRequest>,
    render: WriteSignal<ViewModel>,
) {
    watch();
    let response = match LAST.get() {
        Some((lat, lng)) => LocationResponse::Known { lat, lng },
        None => LocationResponse::Unknown,
    };
    super::resolve_effect(core, &mut request, response, render);
}

fn watch() {
    WATCHING.with_borrow_mut(|w| {
        if w.is_some() {
            return;
        }
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            return;
        };
        let on_fix = OnFix::new(|position: JsValue| {
            let Ok(position) = position.dyn_into::<web_sys::Position>() else {
                return;
            };
            let c = position.coords();
            LAST.set(Some((c.latitude(), c.longitude())));
        });
        let _ = geo.watch_position(on_fix.as_ref().unchecked_ref());
        *w = Some(on_fix);
    });
}
