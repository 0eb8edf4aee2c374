use chrono::Duration;
use domain::org::Role;
use domain::sync::SyncResponse;
use proptest::prelude::*;

use super::*;
use crate::model::fake_shell::{FakeShell, Outcome, Reply};
use crate::model::tests::{signed_in, t0, user_with};

fn dispatcher() -> Model {
    signed_in(user_with(Role::Dispatcher))
}

fn synced() -> Event {
    Event::internal(Internal::Synced(Ok(SyncResponse {
        results: vec![],
        changes: vec![],
        cursor: 7,
        more: false,
        server_time: None,
        wipe: false,
        reset: false,
    })))
}

fn said(model: &Model, event: LiveEvent) -> Event {
    Event::internal(Internal::Live {
        generation: model.live.generation,
        event,
    })
}

/// Runs `event` with the clock at `at`; the sync requests it sent and the channel requests.
fn run(model: &mut Model, event: Event, at: chrono::DateTime<Utc>) -> (usize, Vec<LiveRequest>) {
    model.now = at;
    // Every sync is answered at once, with nothing new.
    let nothing = serde_json::to_vec(&SyncResponse {
        results: vec![],
        changes: vec![],
        cursor: model.cursor,
        more: false,
        server_time: None,
        wipe: false,
        reset: false,
    })
    .unwrap();
    let shell = FakeShell {
        http: Some(Reply::Http(200, nothing)),
        ..FakeShell::at(at)
    };
    let out: Outcome = shell.run(model, event);
    let syncs = out
        .http
        .iter()
        .filter(|r| r.url.ends_with("/v1/sync"))
        .count();
    (syncs, out.live)
}

fn listens(requests: &[LiveRequest]) -> usize {
    requests
        .iter()
        .filter(|r| matches!(r, LiveRequest::Listen { .. }))
        .count()
}

#[test]
fn the_channel_opens_after_a_sync_with_the_token_in_its_header_not_its_url() {
    let mut m = dispatcher();
    let (_, live) = run(&mut m, synced(), t0());
    let [
        LiveRequest::Listen {
            url,
            token,
            device_id,
        },
    ] = live.as_slice()
    else {
        panic!("one channel opened: {live:?}")
    };
    assert_eq!(url, "http://127.0.0.1:9/v1/live");
    assert_eq!(token, "a");
    assert!(!url.contains(token.as_str()));
    assert_eq!(device_id, "test-device");
    assert_eq!(m.live.channel, Channel::Opening);
    // Another sync does not open a second one.
    let (_, live) = run(&mut m, synced(), t0());
    assert_eq!(listens(&live), 0);
}

#[test]
fn open_and_changed_sync_alive_does_not_and_an_open_channel_rests_the_pull() {
    let mut m = dispatcher();
    run(&mut m, synced(), t0());
    let e = said(&m, LiveEvent::Open);
    assert_eq!(run(&mut m, e, t0()).0, 1, "open: catch up once");
    assert_eq!(m.live.channel, Channel::Open);
    run(&mut m, synced(), t0());
    let e = said(&m, LiveEvent::Changed);
    assert_eq!(run(&mut m, e, t0()).0, 1, "changed: sync");
    run(&mut m, synced(), t0());
    let e = said(&m, LiveEvent::Alive);
    assert_eq!(run(&mut m, e, t0() + Duration::seconds(20)).0, 0);
    // The pull rests while the channel is heard from...
    let poll = || Event::internal(Internal::Poll);
    assert_eq!(run(&mut m, poll(), t0() + Duration::seconds(30)).0, 0);
    assert!(m.view_live());
    // ...and takes over when it falls silent: the silent channel is closed and another opened.
    let late = t0() + Duration::seconds(20 + 66);
    let (syncs, live) = run(&mut m, poll(), late);
    assert_eq!(syncs, 1);
    assert!(live.contains(&LiveRequest::Stop));
    assert!(!m.view_live());
}

#[test]
fn an_ended_channel_is_opened_again_only_after_a_wait_and_its_late_words_are_ignored() {
    let mut m = dispatcher();
    run(&mut m, synced(), t0());
    let old = m.live.generation;
    let e = said(&m, LiveEvent::Ended { status: Some(401) });
    let (syncs, _) = run(&mut m, e, t0());
    assert_eq!(syncs, 1, "a sync renews the token");
    assert_eq!(m.live.channel, Channel::Closed);
    // The sync succeeds at once: the channel waits out its backoff.
    let (_, live) = run(&mut m, synced(), t0());
    assert_eq!(listens(&live), 0);
    let (_, live) = run(&mut m, synced(), t0() + backoff(1));
    assert_eq!(listens(&live), 1);
    // A word from the channel that ended changes nothing.
    let stale = Event::internal(Internal::Live {
        generation: old,
        event: LiveEvent::Changed,
    });
    assert_eq!(run(&mut m, stale, t0() + backoff(1)).0, 0);
    assert_eq!(m.live.channel, Channel::Opening);
}

#[test]
fn signing_out_closes_the_channel() {
    let mut m = dispatcher();
    run(&mut m, synced(), t0());
    let e = said(&m, LiveEvent::Open);
    run(&mut m, e, t0());
    let (_, live) = run(&mut m, Event::SignOut, t0());
    assert_eq!(live, vec![LiveRequest::Stop]);
    assert_eq!(m.live.channel, Channel::Closed);
    // Offline keeps no channel either.
    let (_, live) = run(&mut m, synced(), t0());
    assert_eq!(listens(&live), 0, "signed out: nothing to listen for");
}

#[test]
fn the_wait_grows_to_a_minute() {
    let waits: Vec<i64> = (1..=10).map(|f| backoff(f).num_seconds()).collect();
    assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
}

#[derive(Clone, Debug)]
enum Step {
    Said(LiveEvent, bool),
    Synced,
    Offline,
    Poll,
    Later(i64),
}

fn step() -> impl Strategy<Value = Step> {
    let event = prop_oneof![
        Just(LiveEvent::Open),
        Just(LiveEvent::Changed),
        Just(LiveEvent::Alive),
        proptest::option::of(100u16..600).prop_map(|status| LiveEvent::Ended { status }),
    ];
    prop_oneof![
        (event, any::<bool>()).prop_map(|(e, current)| Step::Said(e, current)),
        Just(Step::Synced),
        Just(Step::Offline),
        Just(Step::Poll),
        (0i64..200).prop_map(Step::Later),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the channel and the network do, at most one channel is open at a time (a
    /// second is asked for only after the first was closed or ended), and a channel is open
    /// only while someone is signed in.
    #[test]
    fn one_channel_at_a_time(steps in proptest::collection::vec(step(), 1..40)) {
        let mut m = dispatcher();
        let mut at = t0();
        let mut open = 0i32;
        for s in steps {
            let event = match s {
                Step::Said(e, current) => {
                    let ended = matches!(e, LiveEvent::Ended { .. });
                    let generation = if current { m.live.generation } else { m.live.generation.wrapping_sub(1) };
                    if current && ended && m.live.channel != Channel::Closed {
                        open -= 1;
                    }
                    Event::internal(Internal::Live { generation, event: e })
                }
                Step::Synced => synced(),
                Step::Offline => Event::internal(Internal::Synced(Err(crate::model::sync::Failure::Offline("down".into())))),
                Step::Poll => Event::internal(Internal::Poll),
                Step::Later(s) => { at += Duration::seconds(s); Event::internal(Internal::Clock(at)) }
            };
            let (_, live) = run(&mut m, event, at);
            for r in live {
                match r {
                    LiveRequest::Listen { .. } => open += 1,
                    LiveRequest::Stop => open -= 1,
                }
            }
            prop_assert!((0..=1).contains(&open), "{open} channels");
            prop_assert_eq!(open == 1, m.live.channel != Channel::Closed);
        }
    }
}
