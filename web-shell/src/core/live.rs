//! `Live`: the server's live channel as a streamed `fetch` (not `EventSource`, which cannot
//! send the `Authorization` header: the token would have to go in the URL). Each server-sent
//! event is handed to the core by its name; the end of the stream, or any failure, once as
//! `Ended`. One channel at a time: opening another, or `Stop`, aborts the one open.

use std::cell::RefCell;

use js_sys::{Reflect, Uint8Array};
use leptos::prelude::*;
use shared::effects::live::{LiveEvent, LiveRequest};
use shared::view::ViewModel;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader};

thread_local! {
    /// The open channel's abort handle.
    static OPEN: RefCell<Option<AbortController>> = const { RefCell::new(None) };
}

pub(super) fn resolve(
    core: &super::Core,
    mut request: crux_core::Request<LiveRequest>,
    render: WriteSignal<ViewModel>,
) {
    // Whatever was open goes, whether another channel or none follows.
    if let Some(old) = OPEN.with(|o| o.borrow_mut().take()) {
        old.abort();
    }
    let LiveRequest::Listen {
        url,
        token,
        device_id,
    } = request.operation.clone()
    else {
        return;
    };
    let Ok(controller) = AbortController::new() else {
        let _ = core.resolve(&mut request, LiveEvent::Ended { status: None });
        return;
    };
    let signal = controller.signal();
    OPEN.with(|o| *o.borrow_mut() = Some(controller));
    let core = core.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let mut say = |event: LiveEvent| super::resolve_effect(&core, &mut request, event, render);
        let ended = listen(&url, &token, &device_id, &signal, &mut say).await;
        // A channel closed on purpose says nothing more: the core has moved on.
        if !signal.aborted() {
            say(LiveEvent::Ended { status: ended });
        }
    });
}

/// Reads the stream until it ends; the HTTP status when the server refused it.
async fn listen(
    url: &str,
    token: &str,
    device_id: &str,
    signal: &web_sys::AbortSignal,
    say: &mut impl FnMut(LiveEvent),
) -> Option<u16> {
    let request = gloo_net::http::Request::get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("X-Device-Id", device_id)
        .header("Accept", "text/event-stream")
        .abort_signal(Some(signal))
        .build()
        .ok()?;
    let response = request.send().await.ok()?;
    if response.status() != 200 {
        return Some(response.status());
    }
    let reader: ReadableStreamDefaultReader = response.body()?.get_reader().dyn_into().ok()?;
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.ok()?;
        if Reflect::get(&chunk, &"done".into()).ok()?.as_bool() == Some(true) {
            return None;
        }
        let bytes = Reflect::get(&chunk, &"value".into()).ok()?;
        pending.extend(bytes.dyn_into::<Uint8Array>().ok()?.to_vec());
        // Events end with a blank line; a chunk may hold several, or part of one.
        while let Some(end) = pending.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = pending.drain(..end + 2).collect();
            if let Some(event) = event_of(&String::from_utf8_lossy(&block)) {
                say(event);
            }
        }
    }
}

/// The event a block names (`event: changed`); unnamed and unknown events are skipped.
fn event_of(block: &str) -> Option<LiveEvent> {
    let name = block.lines().find_map(|l| l.strip_prefix("event:"))?.trim();
    match name {
        "open" => Some(LiveEvent::Open),
        "changed" => Some(LiveEvent::Changed),
        "alive" => Some(LiveEvent::Alive),
        _ => None,
    }
}
