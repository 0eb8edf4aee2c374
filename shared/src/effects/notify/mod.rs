//! A custom capability: local notifications the device shows at a set time, even with no
//! signal and with the app in the background, so that follow-up reminders fire offline.
//!
//! The core decides what is scheduled (one notification per open follow-up of the signed-in
//! person, see `model::followups`); shells only carry it out: iOS and Android through their
//! local notification schedulers, the web through the Notifications API where permission was
//! granted and an in-page banner otherwise. Fire-and-forget: nothing comes back, because the
//! core has no better plan when a shell cannot notify (the follow-up lists still show it).

pub mod command;

use crux_core::capability::Operation;
use facet::Facet;
use serde::{Deserialize, Serialize};

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[repr(C)]
pub enum NotifyRequest {
    /// Show `notification` at its time. Scheduling an id that is already scheduled replaces
    /// it (a snoozed or rescheduled follow-up keeps its id).
    Schedule(Notification),
    /// Withdraw a scheduled notification, and remove it from the tray if it was shown.
    Cancel { id: String },
    /// Withdraw every notification this app scheduled. Sent once after start, when the core
    /// does not know what an earlier run left scheduled, before scheduling afresh.
    CancelAll,
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Notification {
    /// Stable per follow-up: `follow-up:<uuid>`.
    pub id: String,
    pub title: String,
    pub body: String,
    /// When to show it, Unix milliseconds (UTC). Always in the future when sent.
    pub fire_at_ms: i64,
}

impl Operation for NotifyRequest {
    type Output = ();
}
