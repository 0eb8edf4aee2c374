//! Follow-up rules across devices, over a real server on 127.0.0.1 with sled in a temp dir:
//! a technician completes a job with a score of 2 offline and syncs later; the rep's and the
//! manager's devices raise their follow-ups from what sync brings, with the same ids, and a
//! second device of the same person is a harmless no-op (issue 6, for issue 7's end-to-end).

use chrono::{DateTime, Duration, TimeZone, Utc};
use demo::DemoSize;
use domain::followups::Subject;
use domain::followups::rules::{self, Rule};
use domain::ids::OpId;
use domain::jobs::{Completion, JobStatus};
use domain::ops::{MemoryRecords, Op, OpKind, Record, RecordKey};
use domain::org::{Role, User};
use domain::sync::{Outbox, SyncResponse};
use reqwest::StatusCode;
use serde_json::json;
use server::http::ApiConfig;
use server::store::Store;

use crate::common::{Demo, Env, start};

/// The demo as of `now`, smaller than the default: the test reads every record.
async fn env(now: DateTime<Utc>) -> Env {
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 2,
        customers: 60,
        open_jobs: 30,
        past_jobs: 10,
        leads: 10,
    };
    let demo = Demo { seed: 5, now, size };
    start(Some(demo), ApiConfig::default()).await
}

/// One device: its replica, its outbox, its cursor, like the Crux core keeps them.
struct Device {
    name: &'static str,
    user: User,
    token: String,
    replica: MemoryRecords,
    outbox: Outbox,
    cursor: u64,
    /// Ops the server refused: the person would see these.
    refused: Vec<String>,
}

impl Device {
    async fn new(e: &Env, name: &'static str, user: &User) -> Self {
        Self {
            name,
            user: user.clone(),
            token: e.token(e.login_of(user.id)).await,
            replica: MemoryRecords::new(),
            outbox: Outbox::default(),
            cursor: 0,
            refused: Vec::new(),
        }
    }

    async fn sync(&mut self, e: &Env) {
        loop {
            let res = e
                .http
                .post(format!("{}/v1/sync", e.base))
                .bearer_auth(&self.token)
                .json(&json!({
                    "device_id": self.name, "cursor": self.cursor, "ops": self.outbox.batch(100)
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let r: SyncResponse = res.json().await.unwrap();
            for rejected in self.outbox.settle(&mut self.replica, &r.results, r.changes) {
                self.refused.push(rejected.error.to_string());
            }
            self.cursor = r.cursor;
            if !r.more && self.outbox.is_empty() {
                break;
            }
        }
    }

    /// What the core does after every change: raise this person's rule follow-ups.
    fn raise(&mut self, now: DateTime<Utc>) -> usize {
        let mut n = 0;
        for p in rules::due(&self.replica, now) {
            if p.is_for(&self.user) {
                self.apply(now, OpKind::CreateFollowUp(p.new_follow_up()));
                n += 1;
            }
        }
        n
    }

    fn apply(&mut self, at: DateTime<Utc>, kind: OpKind) {
        let op = Op {
            id: OpId::new(),
            actor: self.user.id,
            at,
            location: None,
            kind,
        };
        self.outbox.apply_local(&mut self.replica, op).unwrap();
    }

    fn open(&self, job: domain::ids::JobId, rule: Rule) -> Vec<&domain::followups::FollowUp> {
        self.replica
            .follow_ups()
            .filter(|f| {
                f.subject == Subject::Job(job) && f.is_open() && Rule::of(&f.reason) == Some(rule)
            })
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_score_of_2_completed_offline_reaches_the_rep_and_the_manager_after_sync() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let e = env(now).await;
    let users: Vec<&User> = e
        .records
        .iter()
        .filter_map(|r| match r {
            Record::User(u) => Some(u),
            _ => None,
        })
        .collect();
    let owner_of = |c| {
        e.records.iter().find_map(|r| match r {
            Record::Customer(x) if x.id == c => x.owner,
            _ => None,
        })
    };
    // An assigned job whose customer has a rep.
    let job = e
        .records
        .iter()
        .find_map(|r| match r {
            Record::Job(j) if j.status == JobStatus::Assigned && owner_of(j.customer).is_some() => {
                Some(j.clone())
            }
            _ => None,
        })
        .expect("an assigned job of an owned customer");
    let user = |id| (*users.iter().find(|u| u.id == id).unwrap()).clone();
    let tech = user(job.technician.unwrap());
    let rep = user(owner_of(job.customer).unwrap());
    let manager = (*users
        .iter()
        .filter(|u| u.has(Role::Dispatcher) && u.in_store(job.store))
        .min_by(|a, b| a.login.cmp(&b.login))
        .unwrap())
    .clone();

    let mut t = Device::new(&e, "tech-phone", &tech).await;
    let mut r = Device::new(&e, "rep-phone", &rep).await;
    let mut r2 = Device::new(&e, "rep-tablet", &rep).await;
    let mut m = Device::new(&e, "manager-pc", &manager).await;
    for d in [&mut t, &mut r, &mut r2, &mut m] {
        d.sync(&e).await;
        d.raise(now);
        d.sync(&e).await;
    }

    // Offline: travel, arrive, complete with a score of 2. Then back online.
    let done = now + Duration::minutes(30);
    t.apply(now, OpKind::StartTravel { job: job.id });
    t.apply(now + Duration::minutes(10), OpKind::Arrive { job: job.id });
    t.apply(
        done,
        OpKind::CompleteJob {
            job: job.id,
            completion: Completion {
                notes: "Tuned, customer unhappy with the wait".into(),
                satisfaction: Some(2),
                ..Completion::default()
            },
        },
    );
    assert_eq!(t.raise(done), 0, "technicians raise no follow-ups");
    t.sync(&e).await;
    assert!(t.refused.is_empty(), "{:?}", t.refused);

    // The rep's two devices and the manager's pull a little later; each raises its own
    // follow-ups before any of them has pushed (both rep devices make the same ones), then
    // all three push at once.
    let later = done + Duration::hours(1);
    for d in [&mut r, &mut r2, &mut m] {
        d.sync(&e).await;
        assert!(d.raise(later) > 0, "{} raised nothing", d.name);
    }
    tokio::join!(r.sync(&e), r2.sync(&e), m.sync(&e));
    r.sync(&e).await;
    r2.sync(&e).await;

    let call_back = r.open(job.id, Rule::LowScoreRep);
    assert_eq!(call_back.len(), 1, "the rep has the escalation follow-up");
    assert_eq!(call_back[0].owner, rep.id);
    assert_eq!(call_back[0].due_at, done + Duration::hours(24));
    assert_eq!(r.open(job.id, Rule::SatisfactionCall).len(), 1);
    let esc = m.open(job.id, Rule::LowScoreEscalation);
    assert_eq!(esc.len(), 1, "the manager has the escalation");
    assert_eq!(esc[0].owner, manager.id);
    assert_eq!(esc[0].due_at, done + Duration::hours(24));
    // The rep's second device made the same follow-ups: no-ops, nothing refused, no doubles.
    for d in [&r, &r2, &m] {
        assert!(d.refused.is_empty(), "{}: {:?}", d.name, d.refused);
    }
    let on_server: Vec<_> = [
        Rule::LowScoreRep,
        Rule::LowScoreEscalation,
        Rule::SatisfactionCall,
    ]
    .iter()
    .map(|rule| {
        let id = rules::follow_up_id(job.org, Subject::Job(job.id), rule, "");
        e.store.get(RecordKey::FollowUp(id)).unwrap().is_some()
    })
    .collect();
    assert_eq!(on_server, vec![true, true, true]);
    assert!(r.outbox.is_empty() && r2.outbox.is_empty() && m.outbox.is_empty());
}
