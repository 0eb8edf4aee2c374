//! `Http`: the browser's fetch, through gloo-net. A network failure (offline, server down)
//! becomes `HttpError::Io`, which the core words as "offline, changes are kept".

use crux_http::HttpError;
use crux_http::protocol::{HttpRequest, HttpResponse, HttpResult};
use gloo_net::http;
use leptos::prelude::*;
use shared::view::ViewModel;

pub(super) fn resolve(
    core: &super::Core,
    mut request: crux_core::Request<HttpRequest>,
    render: WriteSignal<ViewModel>,
) {
    let core = core.clone();
    if request.operation.url.ends_with("/v1/sync") {
        // At a start, the sync waits for the whole replica: this is when it is read.
        super::bench::mark("sync asked");
    }
    wasm_bindgen_futures::spawn_local(async move {
        let response: HttpResult = send(&request.operation).await.into();
        if request.operation.url.ends_with("/v1/sync") {
            super::bench::sync_answered();
        }
        super::resolve_effect(&core, &mut request, response, render);
    });
}

async fn send(op: &HttpRequest) -> Result<HttpResponse, HttpError> {
    let builder = match op.method.as_str() {
        "GET" => http::Request::get(&op.url),
        "POST" => http::Request::post(&op.url),
        "PUT" => http::Request::put(&op.url),
        "DELETE" => http::Request::delete(&op.url),
        "PATCH" => http::Request::patch(&op.url),
        m => return Err(HttpError::Io(format!("unsupported HTTP method {m}"))),
    };
    let builder = op
        .headers
        .iter()
        .fold(builder, |b, h| b.header(&h.name, &h.value));
    let request = if op.body.is_empty() {
        builder.build()
    } else {
        builder.body(js_sys::Uint8Array::from(op.body.as_slice()))
    }
    .map_err(|e| HttpError::Io(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| HttpError::Io(e.to_string()))?;
    let body = response
        .binary()
        .await
        .map_err(|e| HttpError::Io(e.to_string()))?;
    Ok(HttpResponse::status(response.status()).body(body).build())
}
