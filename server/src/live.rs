//! Live changes: who should sync now. When ops are applied, every open live channel of the
//! organization hears "something changed" and runs its normal incremental sync, so what a
//! person may see is still decided in one place (`access`, through the sync feed). The
//! message carries no data: not what changed, not whose.
//!
//! One process, one hub, fed by its own commits and by what the other instances on the same
//! database announce (`Store::announce`, `Store::announcements`: PostgreSQL's LISTEN/NOTIFY).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::ids::{OrgId, UserId};
use tokio::sync::{broadcast, watch};

/// Open channels one person may hold at once: a phone, a tablet and a few browser tabs. More
/// is a script, and each channel holds a task and a place in the broadcast.
pub const PER_PERSON: usize = 8;

/// How many changes a slow listener may fall behind before it is told only that it lagged
/// (it then syncs, which catches it up whatever it missed).
const BACKLOG: usize = 1_024;

/// A change: the organization, and the device whose push made it (that device has the
/// changes in its own sync answer and is not told).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub org: OrgId,
    pub device: String,
}

pub struct Live {
    tx: broadcast::Sender<Changed>,
    /// Set when the server stops: open channels end, or a graceful shutdown would wait for
    /// them forever (they are responses that never finish by themselves).
    closing: watch::Sender<bool>,
    open: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl Default for Live {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(BACKLOG).0,
            closing: watch::channel(false).0,
            open: Arc::default(),
        }
    }
}

/// One open channel of a person; dropping it (the stream ends or the client goes) frees the
/// place.
pub struct Seat {
    user: UserId,
    open: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.user);
            }
        }
    }
}

impl Live {
    /// Something of `org` changed through `device`'s push.
    pub fn changed(&self, org: OrgId, device: &str) {
        // No listener is not an error: nobody has the console open.
        let _ = self.tx.send(Changed {
            org,
            device: device.to_owned(),
        });
    }

    pub fn listen(&self) -> broadcast::Receiver<Changed> {
        self.tx.subscribe()
    }

    /// A place for one more channel of `user`; `None` when they hold [`PER_PERSON`] already.
    pub fn seat(&self, user: UserId) -> Option<Seat> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let n = open.entry(user).or_default();
        if *n >= PER_PERSON {
            return None;
        }
        *n += 1;
        Some(Seat {
            user,
            open: self.open.clone(),
        })
    }

    /// Ends every open channel (the server is stopping); clients open another elsewhere.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Open live channels, for the logs and tests.
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }
}
