//! Timings for the device benchmark (`web-shell/e2e/device-bench.mjs`, run by
//! `device-bench`). Only a page the benchmark opened records anything: it defines
//! `window.roundsBench = { writes: [], syncs: [] }` before the shell starts. Every write to
//! the device database then adds `{ start, end, puts }` to `writes` (`performance.now()`
//! milliseconds, `end` once durable), every sync answer handed to the core its time to
//! `syncs`, and `memory` is the wasm instance's memory (its size is the Rust heap's high-water
//! mark). Anywhere else this is one property lookup per write or sync.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `window.roundsBench`, when the benchmark opened the page.
fn hook() -> Option<Object> {
    let window = web_sys::window()?;
    Reflect::get(&window, &JsValue::from_str("roundsBench"))
        .ok()?
        .dyn_into::<Object>()
        .ok()
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn list(hook: &Object, name: &str) -> Option<Array> {
    Reflect::get(hook, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<Array>()
        .ok()
}

fn set(target: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

/// Shows the benchmark the wasm memory (once the core exists).
pub(super) fn started() {
    if let Some(hook) = hook() {
        set(&hook, "memory", &wasm_bindgen::memory());
    }
    mark("core made");
}

/// A write of `puts` entries starts; hand the result to [`write_done`].
pub(super) fn write_started(puts: usize) -> Option<Object> {
    let hook = hook()?;
    let record = Object::new();
    set(&record, "start", &JsValue::from_f64(now()));
    set(&record, "puts", &JsValue::from_f64(puts as f64));
    list(&hook, "writes")?.push(&record);
    Some(record)
}

/// The write is durable (or failed: `ok` says which).
pub(super) fn write_done(record: Option<Object>, ok: bool) {
    if let Some(record) = record {
        set(&record, "end", &JsValue::from_f64(now()));
        set(&record, "ok", &JsValue::from_bool(ok));
    }
}

/// A sync answer is about to be handed to the core.
pub(super) fn sync_answered() {
    if let Some(syncs) = hook().and_then(|h| list(&h, "syncs")) {
        syncs.push(&JsValue::from_f64(now()));
    }
}

/// A named moment of a start-up (where a restart's time goes), when the benchmark keeps a
/// `marks` list.
pub(super) fn mark(name: &str) {
    if let Some(marks) = hook().and_then(|h| list(&h, "marks")) {
        let record = Object::new();
        set(&record, "name", &JsValue::from_str(name));
        set(&record, "at", &JsValue::from_f64(now()));
        marks.push(&record);
    }
}
