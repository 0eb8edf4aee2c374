//! What the core has to tell the person, as values: the view words them in the person's
//! language ([`crate::view`]), so that a notice raised in English reads in Chinese after the
//! language is switched.

use domain::ops::OpError;
use domain::words::Label;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A fixed sentence from the tables.
    Said(Label),
    /// Saving on the device failed; the storage's own message.
    NotSaved(String),
    /// The device's storage for the app is full: changes wait in memory (and go to the
    /// server when it can be reached).
    StorageFull,
    /// A change was refused on the device, before it was queued.
    Refused(OpError),
    /// The server refused this many queued changes; the list of them says why.
    ServerRefusedChanges(usize),
    /// The server refused a request as a whole (not one change): its own words.
    ServerRefused(String),
    /// Unsynced changes on this device belong to another user (this many).
    OthersChanges(usize),
    /// Stored data that could not be read at start-up: which, and why.
    Unreadable(Vec<String>),
    /// The device's clock is this many minutes behind the server's (negative: ahead).
    ClockOff { minutes: i64 },
    /// The job the technician is driving to has a new address (its number, the address).
    JobMoved { job: String, address: String },
}

impl From<Label> for Notice {
    fn from(label: Label) -> Self {
        Notice::Said(label)
    }
}
