//! Effects: everything the core asks a shell to do. Each shell has one handler per variant.

pub mod live;
pub mod location;
pub mod notify;
pub mod store;

use crux_core::{macros::effect, render::RenderOperation};
use crux_http::protocol::HttpRequest;
use crux_kv::KeyValueOperation;
use crux_time::TimeRequest;

use self::live::LiveRequest;
use self::location::LocationRequest;
use self::notify::NotifyRequest;
use self::store::StoreRequest;

/// Every side-effect the core can ask the shell to perform.
#[effect(facet_typegen)]
pub enum Effect {
    /// Re-read the view model and repaint.
    Render(RenderOperation),
    /// Persist the replica, the outbox and the session (IndexedDB, SQLite, files...).
    KeyValue(KeyValueOperation),
    /// Talk to the Rounds server: sign-in and sync.
    Http(HttpRequest),
    /// The wall clock, and timers for sync retries and the minute tick.
    Time(TimeRequest),
    /// Where the device is, to stamp field steps and rank nearby customers.
    Location(LocationRequest),
    /// Schedule and cancel local notifications: follow-up reminders that fire offline.
    Notify(NotifyRequest),
    /// The device database: the replica record by record and the outbox op by op, written
    /// in atomic batches (IndexedDB, SQLite, files).
    Store(StoreRequest),
    /// The server's live channel, which says when to sync.
    Live(LiveRequest),
}
