//! `GET /v1/live`: a server-sent event stream that says when the caller should sync. It is
//! opened with the same bearer header as every call (a `fetch` stream, not `EventSource`,
//! which cannot send headers): no token travels in a URL, where logs and histories keep it.
//!
//! Events: `open` once the channel is listening (sync once, for what changed before),
//! `changed` when someone else's ops were applied in the organization (sync now), and `alive`
//! every [`ALIVE`], so that a client can tell a silent channel from a dead one. The stream
//! ends when the session does (expiry, sign-out everywhere, deactivation, remote sign-out);
//! the client then syncs, which renews the token or signs out, and listens again.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::AppState;
use super::error::Error;
use super::extractor::AuthUser;
use crate::live::{Changed, Seat};

/// How often a quiet channel says it is alive.
pub const ALIVE: Duration = Duration::from_secs(20);
/// How often a quiet channel checks that its session still holds.
const RECHECK: Duration = Duration::from_secs(30);

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/live", get(live))
}

/// Tells the caller when to sync: `event: changed` after other people's changes in the
/// organization. Carries no data; the sync that follows decides what the caller sees.
#[utoipa::path(get, path = "/v1/live", tag = "sync", security(("bearer" = [])),
    params(("X-Device-Id" = Option<String>, Header,
        description = "The caller's device: changes it pushed itself are not announced to it")),
    responses(
        (status = 200, description = "`text/event-stream`: events `open`, `changed`, `alive`", content_type = "text/event-stream", body = String),
        (status = 429, description = "This person holds as many open channels as one may (a phone, a tablet, a few tabs); retry after the Retry-After seconds", body = super::error::Problem, content_type = "application/problem+json"),
        super::error::Unauthenticated,
    ))]
pub(crate) async fn live(State(state): State<AppState>, auth: AuthUser) -> Response {
    let Some(seat) = state.live.seat(auth.user.id) else {
        return Error::TooManyRequests {
            retry_after: ALIVE.as_secs(),
        }
        .into_response();
    };
    let stream = changes(state, auth, seat);
    let mut res = Sse::new(stream)
        .keep_alive(
            KeepAlive::new()
                .interval(ALIVE)
                .event(Event::default().event("alive").data("")),
        )
        .into_response();
    // Reverse proxies (nginx) would otherwise hold the events back in a buffer.
    res.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    res
}

struct Listening {
    /// Held for as long as the stream lives.
    _seat: Seat,
    state: AppState,
    auth: AuthUser,
    rx: tokio::sync::broadcast::Receiver<Changed>,
    closing: tokio::sync::watch::Receiver<bool>,
    opened: bool,
}

fn changes(
    state: AppState,
    auth: AuthUser,
    seat: Seat,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let rx = state.live.listen();
    let closing = state.live.closing();
    let start = Listening {
        _seat: seat,
        state,
        auth,
        rx,
        closing,
        opened: false,
    };
    futures_util::stream::unfold(start, |mut l| async move {
        if !l.opened {
            l.opened = true;
            return Some((Ok(Event::default().event("open").data("")), l));
        }
        loop {
            if *l.closing.borrow() {
                return None;
            }
            let left = l.auth.expires - chrono::Utc::now().timestamp();
            let Ok(left) = u64::try_from(left) else {
                return None;
            };
            let wait = RECHECK.min(Duration::from_secs(left));
            let heard = tokio::select! {
                r = l.rx.recv() => match r {
                    Ok(c) => l.concerns(&c),
                    // Fell behind: whatever was missed, one sync catches up.
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return None,
                },
                () = tokio::time::sleep(wait) => false,
                // The server is stopping: checked at the top of the loop.
                _ = l.closing.changed() => continue,
            };
            if !l.auth.still_signed_in(&l.state) {
                return None;
            }
            if heard {
                // A burst of pushes is one sync: drain what is already queued.
                while let Ok(_) | Err(TryRecvError::Lagged(_)) = l.rx.try_recv() {}
                return Some((Ok(Event::default().event("changed").data("")), l));
            }
        }
    })
}

impl Listening {
    fn concerns(&self, c: &Changed) -> bool {
        c.org == self.auth.user.org && c.device != self.auth.device
    }
}
