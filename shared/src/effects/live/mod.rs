//! A custom capability: the server's live channel (`GET /v1/live`), which says when to sync.
//!
//! The channel carries no data, only "something changed": the core then runs its normal
//! incremental sync, so what a person may see is decided by the server's sync feed alone.
//! Shells open it as a streamed HTTP GET with the bearer token in the `Authorization`
//! header (never in the URL) and answer with each event until it ends.

use crux_core::capability::Operation;
use facet::Facet;
use serde::{Deserialize, Serialize};

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[repr(C)]
pub enum LiveRequest {
    /// Open the channel: GET `url` with `Authorization: Bearer <token>` and
    /// `X-Device-Id: <device_id>`, then answer with each server-sent event by its name
    /// (`open`, `changed`, `alive`), and with `Ended` once, when the stream ends, fails or
    /// is answered with anything but 200. Opening replaces a channel already open.
    Listen {
        url: String,
        token: String,
        device_id: String,
    },
    /// Close the channel, if one is open. Nothing comes back.
    Stop,
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[repr(C)]
pub enum LiveEvent {
    /// The server listens for changes: sync once for what changed before.
    Open,
    /// Someone else's change: sync.
    Changed,
    /// The channel is quiet and alive (every 20 s).
    Alive,
    /// The channel ended; `status` is the HTTP status when the server answered with one.
    Ended { status: Option<u16> },
}

impl Operation for LiveRequest {
    type Output = LiveEvent;
}
