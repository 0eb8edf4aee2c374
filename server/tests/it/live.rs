//! `GET /v1/live` (issue 14): the board hears that something changed and syncs; the channel
//! says nothing of what, tells no device of its own pushes, takes no token from a URL, and
//! ends when the session does.

use std::time::Duration;

use crate::common::*;
use domain::jobs::JobStatus;
use domain::ops::OpKind;
use reqwest::StatusCode;
use serde_json::json;

/// An open live channel, read event by event.
struct Channel {
    res: reqwest::Response,
    buffer: String,
}

/// Long enough that only a broken server fails it; nothing is timed here.
const GUARD: Duration = Duration::from_secs(20);

impl Channel {
    async fn open(e: &Env, token: &str, device: &str) -> Channel {
        let res = e
            .http
            .get(format!("{}/v1/live", e.base))
            .bearer_auth(token)
            .header("x-device-id", device)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        let mut c = Channel {
            res,
            buffer: String::new(),
        };
        assert_eq!(c.next().await.as_deref(), Some("open"));
        c
    }

    /// The next event's name, `alive` skipped; `None` once the server ended the stream.
    async fn next(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let name = block
                    .lines()
                    .find_map(|l| l.strip_prefix("event:"))
                    .map(|n| n.trim().to_owned());
                // The data line is empty: the event tells only that something changed.
                for l in block.lines().filter(|l| l.starts_with("data:")) {
                    assert_eq!(l.trim_end(), "data:", "{block}");
                }
                match name.as_deref() {
                    Some("alive") | None => continue,
                    _ => return name,
                }
            }
            let chunk = tokio::time::timeout(GUARD, self.res.chunk())
                .await
                .expect("the channel said nothing")
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Whether an event (other than `alive`) came within `wait`.
    async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.next()).await.is_err()
    }
}

/// A technician sets off for an assigned job from their phone: a change in the organization.
async fn sets_off(e: &Env) {
    let job = e
        .jobs()
        .find(|j| j.status == JobStatus::Assigned)
        .unwrap()
        .clone();
    let tech_id = job.technician.unwrap();
    let tech = e.token(e.login_of(tech_id)).await;
    let step = op(tech_id, OpKind::StartTravel { job: job.id });
    e.sync(&tech, "tech-phone", 0, &[step]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technicians_step_is_announced_to_the_board_and_not_back_to_the_technician() {
    let e = env().await;
    let dispatcher = e.token("dispatch1").await;
    let home = e.user("dispatch1").stores[0];
    let job = e
        .jobs()
        .find(|j| j.status == JobStatus::Assigned && j.store == home)
        .unwrap()
        .clone();
    let tech_id = job.technician.unwrap();
    let tech = e.token(e.login_of(tech_id)).await;
    let mut board = Channel::open(&e, &dispatcher, "board").await;
    let mut phone = Channel::open(&e, &tech, "tech-phone").await;

    let step = op(tech_id, OpKind::StartTravel { job: job.id });
    let r = e.sync(&tech, "tech-phone", 0, &[step]).await;
    assert!(matches!(
        r.results[0].status,
        domain::sync::OpStatus::Applied { .. }
    ));
    assert_eq!(board.next().await.as_deref(), Some("changed"));
    // The phone has the change in its sync answer already.
    assert!(phone.quiet_for(Duration::from_millis(500)).await);

    // A refused op changes nothing and announces nothing. (A replayed op is announced
    // again: its answer is its first outcome, and a needless sync is cheap.)
    let refused = op(tech_id, OpKind::StartTravel { job: job.id });
    e.sync(&tech, "tech-phone", 0, &[refused]).await;
    assert!(board.quiet_for(Duration::from_millis(500)).await);

    // The board's own push is told to the phone.
    let dispatcher_id = e.user("dispatch1").id;
    let queued = e
        .jobs()
        .find(|j| j.status == JobStatus::New && j.store == home)
        .unwrap()
        .id;
    let assign = op(
        dispatcher_id,
        OpKind::AssignJob {
            job: queued,
            technician: tech_id,
            planned_start: None,
            why: Some("covering for a colleague".into()),
            crew: Vec::new(),
        },
    );
    let r = e.sync(&dispatcher, "board", 0, &[assign]).await;
    assert!(
        matches!(r.results[0].status, domain::sync::OpStatus::Applied { .. }),
        "{:?}",
        r.results[0]
    );
    assert_eq!(phone.next().await.as_deref(), Some("changed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_channel_takes_no_token_from_a_url_and_ends_with_the_session() {
    let e = env().await;
    let admin = e.token("admin").await;
    let dispatcher = e.token("dispatch1").await;
    // Without the header: refused with a problem document, whatever the query says.
    for path in ["/v1/live", &format!("/v1/live?access_token={dispatcher}")] {
        let res = e
            .http
            .get(format!("{}{path}", e.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }

    let mut board = Channel::open(&e, &dispatcher, "board").await;
    let me = e.user("dispatch1");
    let path = format!("/v1/admin/users/{}/sessions/end", me.id);
    let (s, v) = e.post(Some(&admin), &path, json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    // The next change finds the session ended: the stream ends instead of announcing it.
    sets_off(&e).await;
    assert_eq!(board.next().await, None);
}

/// An open channel is a response that never finishes by itself: stopping the server ends it
/// rather than waiting for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_the_server_ends_open_channels() {
    let mut e = env().await;
    let dispatcher = e.token("dispatch1").await;
    let mut board = Channel::open(&e, &dispatcher, "board").await;
    let running = e.running.take().unwrap();
    tokio::time::timeout(GUARD, running.stop())
        .await
        .expect("the server waited for the open channel")
        .unwrap();
    assert_eq!(board.next().await, None);
}

/// A script with a valid token cannot open channels without end: a person holds a few at
/// once, and one closed frees its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_holds_a_few_channels_at_once() {
    let e = env().await;
    let dispatcher = e.token("dispatch1").await;
    let mut open = Vec::new();
    for i in 0..server::live::PER_PERSON {
        open.push(Channel::open(&e, &dispatcher, &format!("tab-{i}")).await);
    }
    let res = e
        .http
        .get(format!("{}/v1/live", e.base))
        .bearer_auth(&dispatcher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    // Someone else is not held back by it.
    let other = e.token("admin").await;
    Channel::open(&e, &other, "admin-tab").await;
    // Closing one frees its place (the server notices the client gone at its next write:
    // the `alive` every 20 s, or sooner, a change).
    drop(open.pop());
    sets_off(&e).await;
    let mut reopened = None;
    for _ in 0..50 {
        let res = e
            .http
            .get(format!("{}/v1/live", e.base))
            .bearer_auth(&dispatcher)
            .header("x-device-id", "tab-again")
            .send()
            .await
            .unwrap();
        if res.status() == StatusCode::OK {
            reopened = Some(res);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reopened.is_some(), "a closed channel's place is free again");
}
