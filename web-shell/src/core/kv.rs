//! `KeyValue`: localStorage. The core stores JSON, so values are kept as strings.

use crux_kv::value::Value;
use crux_kv::{KeyValueError, KeyValueOperation, KeyValueResponse, KeyValueResult};
use leptos::prelude::*;
use shared::view::ViewModel;

pub(super) fn resolve(
    core: &super::Core,
    mut request: crux_core::Request<KeyValueOperation>,
    render: WriteSignal<ViewModel>,
) {
    let result = match handle(&request.operation) {
        Ok(response) => KeyValueResult::Ok { response },
        Err(message) => KeyValueResult::Err {
            error: KeyValueError::Io { message },
        },
    };
    super::resolve_effect(core, &mut request, result, render);
}

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "this browser does not allow local storage".to_owned())
}

fn get(s: &web_sys::Storage, key: &str) -> Value {
    match s.get_item(key).ok().flatten() {
        Some(v) => Value::Bytes(v.into_bytes()),
        None => Value::None,
    }
}

fn handle(op: &KeyValueOperation) -> Result<KeyValueResponse, String> {
    let s = storage()?;
    Ok(match op {
        KeyValueOperation::Get { key } => KeyValueResponse::Get {
            value: get(&s, key),
        },
        KeyValueOperation::Set { key, value } => {
            let previous = get(&s, key);
            let text = String::from_utf8(value.clone()).map_err(|e| e.to_string())?;
            // Full storage (quota) is the likely failure; the core shows it in words.
            s.set_item(key, &text)
                .map_err(|_| "the browser's storage for this site is full".to_owned())?;
            KeyValueResponse::Set { previous }
        }
        KeyValueOperation::Delete { key } => {
            let previous = get(&s, key);
            let _ = s.remove_item(key);
            KeyValueResponse::Delete { previous }
        }
        KeyValueOperation::Exists { key } => KeyValueResponse::Exists {
            is_present: s.get_item(key).ok().flatten().is_some(),
        },
        KeyValueOperation::ListKeys { prefix, .. } => {
            let keys = (0..s.length().unwrap_or(0))
                .filter_map(|i| s.key(i).ok().flatten())
                .filter(|k| k.starts_with(prefix.as_str()))
                .collect();
            KeyValueResponse::ListKeys {
                keys,
                next_cursor: 0,
            }
        }
    })
}
