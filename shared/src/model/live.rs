//! The live channel: the server says when something changed, and the core syncs then
//! instead of waiting for the next pull (`sync::POLL`).
//!
//! The channel follows the rest of the state rather than being opened and closed by each
//! handler: after every event, [`Model::live_follows`] opens it when someone is signed in
//! and the last sync reached the server, and closes it otherwise (signed out, wiped). It is
//! opened only after a sync succeeded, so with a token the server just took; a channel that
//! ends (an expired token, a restart, a proxy) waits [`backoff`] before the next one, while
//! the pull runs as usual. Events of an earlier channel are told apart by a generation and
//! dropped.

use std::time::Duration;

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};

use super::{Event, Internal, Model};
use crate::effects::Effect;
use crate::effects::live::{LiveEvent, LiveRequest};

/// A channel that has said nothing (not even `alive`, every 20 s) for this long is taken
/// for dead: closed, and the pull takes over until it is open again.
pub const SILENT: Duration = Duration::from_secs(65);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Channel {
    #[default]
    Closed,
    /// Asked for; the server has not said `open` yet.
    Opening,
    Open,
}

#[derive(Debug, Default)]
pub struct LiveState {
    pub channel: Channel,
    /// Which channel events belong to: bumped at each opening and closing.
    generation: u64,
    /// Channels that ended since the last one that opened.
    failures: u32,
    /// Not opened again before this (after a channel ended).
    not_before: Option<DateTime<Utc>>,
    /// When the open channel last said anything.
    heard: Option<DateTime<Utc>>,
}

/// How long to wait before opening a channel again after `failures` ended in a row:
/// 1 s, 2 s, 4 s ... up to a minute.
#[must_use]
pub fn backoff(failures: u32) -> chrono::Duration {
    chrono::Duration::seconds(1i64 << failures.saturating_sub(1).min(6))
        .min(chrono::Duration::seconds(60))
}

impl LiveState {
    /// Whether the channel is open and has been heard from lately: the pull can rest.
    #[must_use]
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        self.channel == Channel::Open
            && self.heard.is_some_and(|h| {
                now.signed_duration_since(h)
                    < chrono::Duration::from_std(SILENT).unwrap_or_default()
            })
    }
}

impl Model {
    /// Whether the screens may say "live": the channel is open and heard from lately.
    #[must_use]
    pub fn view_live(&self) -> bool {
        self.live.is_fresh(self.now)
    }

    /// Opens or closes the channel to match the state; see the module's note.
    pub(super) fn live_follows(&mut self) -> Command<Effect, Event> {
        let wanted = self.is_active() && self.sync.online && self.sync.last_synced.is_some();
        match (wanted, self.live.channel) {
            (true, Channel::Closed) => self.listen(),
            (false, Channel::Opening | Channel::Open) => self.stop_listening(),
            _ => Command::done(),
        }
    }

    fn listen(&mut self) -> Command<Effect, Event> {
        if self.live.not_before.is_some_and(|t| self.now < t) {
            return Command::done();
        }
        let (Some(url), Some(token)) = (
            self.endpoint("/v1/live"),
            self.session().map(|s| s.access_token.clone()),
        ) else {
            return Command::done();
        };
        self.live.generation += 1;
        self.live.channel = Channel::Opening;
        // A channel that never says `open` counts as silent from here.
        self.live.heard = Some(self.now);
        let generation = self.live.generation;
        Command::stream_from_shell(LiveRequest::Listen {
            url,
            token,
            device_id: self.device_id.clone(),
        })
        .then_send(move |e| {
            Event::internal(Internal::Live {
                generation,
                event: e,
            })
        })
    }

    fn stop_listening(&mut self) -> Command<Effect, Event> {
        self.live.generation += 1;
        self.live.channel = Channel::Closed;
        self.live.heard = None;
        Command::notify_shell(LiveRequest::Stop).into()
    }

    /// What the channel said.
    pub(super) fn heard(&mut self, generation: u64, event: LiveEvent) -> Command<Effect, Event> {
        if generation != self.live.generation || self.live.channel == Channel::Closed {
            return Command::done();
        }
        match event {
            LiveEvent::Open => {
                self.live.channel = Channel::Open;
                self.live.failures = 0;
                self.live.not_before = None;
                self.live.heard = Some(self.now);
                // Whatever changed while no channel was open.
                Command::all([render(), self.sync()])
            }
            LiveEvent::Changed => {
                self.live.heard = Some(self.now);
                self.sync()
            }
            LiveEvent::Alive => {
                self.live.heard = Some(self.now);
                Command::done()
            }
            LiveEvent::Ended { .. } => {
                self.live.generation += 1;
                self.live.channel = Channel::Closed;
                self.live.heard = None;
                self.wait_before_listening();
                // A sync now: an ended session renews its token there (or signs out), and a
                // success opens the channel again once the wait is over.
                Command::all([render(), self.sync()])
            }
        }
    }

    fn wait_before_listening(&mut self) {
        self.live.failures = self.live.failures.saturating_add(1);
        self.live.not_before = Some(self.now + backoff(self.live.failures));
    }

    /// At each pull: whether to pull. A channel heard from lately tells of every change, so
    /// no pull is needed; one gone silent (or never opened) is closed, and the pull resumes.
    pub(super) fn pull_needed(&mut self) -> (bool, Command<Effect, Event>) {
        if self.live.is_fresh(self.now) {
            return (false, Command::done());
        }
        let silent = self.live.heard.is_none_or(|h| {
            self.now.signed_duration_since(h)
                >= chrono::Duration::from_std(SILENT).unwrap_or_default()
        });
        if self.live.channel != Channel::Closed && silent {
            self.wait_before_listening();
            return (true, self.stop_listening());
        }
        (true, Command::done())
    }
}

#[cfg(test)]
mod tests;
