//! `Time`: the wall clock and timers (`setTimeout` through gloo-timers).

use std::time::Duration;

use crux_time::{Instant, TimeRequest, TimeResponse};
use leptos::prelude::*;
use shared::view::ViewModel;

pub(super) fn resolve(
    core: &super::Core,
    mut request: crux_core::Request<TimeRequest>,
    render: WriteSignal<ViewModel>,
) {
    let wait = match &request.operation {
        TimeRequest::Now => {
            let response = TimeResponse::Now { instant: now() };
            return super::resolve_effect(core, &mut request, response, render);
        }
        TimeRequest::Clear { id } => {
            // Timers are not tracked: a cleared timer's later answer is ignored by the core.
            let response = TimeResponse::Cleared { id: *id };
            return super::resolve_effect(core, &mut request, response, render);
        }
        TimeRequest::NotifyAfter { id, duration } => (*id, Duration::from(*duration), false),
        TimeRequest::NotifyAt { id, instant } => {
            let at = epoch_ms(instant);
            (
                *id,
                Duration::from_millis(at.saturating_sub(now_ms())),
                true,
            )
        }
    };
    let core = core.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let (id, duration, at) = wait;
        if duration.is_zero() && !at {
            after_next_frame().await;
        } else {
            gloo_timers::future::sleep(duration).await;
        }
        let response = if at {
            TimeResponse::InstantArrived { id }
        } else {
            TimeResponse::DurationElapsed { id }
        };
        super::resolve_effect(&core, &mut request, response, render);
    });
}

/// A zero-length timer is the core yielding to the screen (the second step of a start, see
/// `shared::model::storage::first_screen`): it fires once the next frame is painted and the
/// frame after it has begun, not before, as a `setTimeout(0)` could (ahead of the frame the
/// render waits for). The second frame lets whatever waits for the first paint (a frame
/// callback of the page's own) see it before the core is busy again.
async fn after_next_frame() {
    let painted = js_sys::Promise::new(&mut |resolve, _reject| {
        leptos::leptos_dom::helpers::request_animation_frame(move || {
            leptos::leptos_dom::helpers::request_animation_frame(move || {
                // A task queued from a frame callback runs after that frame's paint.
                gloo_timers::callback::Timeout::new(0, move || {
                    let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
                })
                .forget();
            });
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(painted).await;
}

pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

fn now() -> Instant {
    let ms = now_ms();
    Instant::new(
        ms / 1000,
        u32::try_from((ms % 1000) * 1_000_000).unwrap_or(0),
    )
}

fn epoch_ms(instant: &Instant) -> u64 {
    let t: std::time::SystemTime = (*instant).into();
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
