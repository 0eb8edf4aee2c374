//! The API against a real server on 127.0.0.1 with a real sled store in a temp dir, seeded
//! with a small demo organization.

use std::sync::Arc;

use crate::common::*;
use chrono::{TimeZone, Utc};
use domain::ids::{CustomerId, InteractionId, JobId, UserId};
use domain::jobs::Job;
use domain::leads::InteractionKind;
use domain::ops::{MemoryRecords, NewInteraction, Op, OpKind, Record, RecordKey};
use domain::org::Role;
use domain::sync::Outbox;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::auth::Tokens;
use server::http::ApiConfig;
use server::store::{AuditWhat, Store};

/// Each role against each resource, with a record inside and one outside its scope.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_by_resource_matrix() {
    let e = env().await;
    let admin = e.token("admin").await;
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let home = dispatcher.stores[0];

    // A technician with an open job in the dispatcher's store.
    let open = e
        .jobs()
        .find(|j| j.is_open() && j.technician.is_some() && j.store == home)
        .unwrap()
        .clone();
    let tech_id = open.technician.unwrap();
    let tech = e.token(e.login_of(tech_id)).await;
    let other_store_job = e.jobs().find(|j| j.store != home).unwrap().clone();
    let not_techs_job = e
        .jobs()
        .find(|j| j.technician != Some(tech_id) && j.store == home)
        .unwrap()
        .clone();
    let tech_customers: Vec<CustomerId> = e
        .jobs()
        .filter(|j| j.technician == Some(tech_id))
        .map(|j| j.customer)
        .collect();
    let stranger = e
        .customers()
        .find(|c| !tech_customers.contains(&c.id) && c.store == home && c.owner.is_some())
        .unwrap()
        .clone();
    let far_customer = e.customers().find(|c| c.store != home).unwrap().clone();

    // A sales rep of the home store and their customers and leads.
    let rep_id = stranger.owner.unwrap();
    let rep = e.token(e.login_of(rep_id)).await;
    let not_rep_customer = e
        .customers()
        .find(|c| c.store == home && c.owner != Some(rep_id))
        .unwrap()
        .clone();
    let leads: Vec<_> = e
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Lead(l) => Some(l.clone()),
            _ => None,
        })
        .collect();
    let own_lead = leads.iter().find(|l| l.owner == rep_id);
    let other_lead = leads
        .iter()
        .find(|l| l.owner != rep_id && l.store == home)
        .unwrap();
    let far_lead = leads.iter().find(|l| l.store != home).unwrap();

    let job = |j: &Job| format!("/v1/jobs/{}", j.id);
    let cust = |c: &domain::customers::Customer| format!("/v1/customers/{}", c.id);
    let checks: Vec<(&str, &String, String, StatusCode, Option<bool>)> = vec![
        // (who, token, path, status, masked?)
        ("admin", &admin, job(&other_store_job), StatusCode::OK, None),
        (
            "admin",
            &admin,
            cust(&far_customer),
            StatusCode::OK,
            Some(false),
        ),
        (
            "admin",
            &admin,
            format!("/v1/leads/{}", far_lead.id),
            StatusCode::OK,
            None,
        ),
        ("dispatcher", &disp, job(&open), StatusCode::OK, None),
        (
            "dispatcher",
            &disp,
            job(&other_store_job),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "dispatcher",
            &disp,
            cust(&stranger),
            StatusCode::OK,
            Some(false),
        ),
        (
            "dispatcher",
            &disp,
            cust(&far_customer),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "dispatcher",
            &disp,
            format!("/v1/leads/{}", other_lead.id),
            StatusCode::OK,
            None,
        ),
        (
            "dispatcher",
            &disp,
            format!("/v1/leads/{}", far_lead.id),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "dispatcher",
            &disp,
            format!("/v1/technicians/{tech_id}"),
            StatusCode::OK,
            None,
        ),
        ("technician", &tech, job(&open), StatusCode::OK, None),
        (
            "technician",
            &tech,
            job(&not_techs_job),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "technician",
            &tech,
            format!("/v1/customers/{}", open.customer),
            StatusCode::OK,
            Some(false),
        ),
        (
            "technician",
            &tech,
            cust(&stranger),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "technician",
            &tech,
            format!("/v1/leads/{}", other_lead.id),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "technician",
            &tech,
            format!("/v1/technicians/{tech_id}"),
            StatusCode::OK,
            None,
        ),
        (
            "technician",
            &tech,
            format!(
                "/v1/technicians/{}",
                not_techs_job.technician.unwrap_or(rep_id)
            ),
            StatusCode::NOT_FOUND,
            None,
        ),
        ("sales", &rep, cust(&stranger), StatusCode::OK, Some(false)),
        (
            "sales",
            &rep,
            cust(&not_rep_customer),
            StatusCode::OK,
            Some(true),
        ),
        (
            "sales",
            &rep,
            cust(&far_customer),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "sales",
            &rep,
            format!("/v1/leads/{}", other_lead.id),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "sales",
            &rep,
            job(&other_store_job),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "sales",
            &rep,
            format!("/v1/technicians/{tech_id}"),
            StatusCode::NOT_FOUND,
            None,
        ),
    ];
    for (who, token, path, status, mask) in checks {
        let (s, v) = e.get(Some(token), &path).await;
        assert_eq!(s, status, "{who} GET {path}: {v}");
        if let Some(m) = mask {
            assert_eq!(masked(&v), m, "{who} GET {path}");
        }
    }
    if let Some(l) = own_lead {
        let (s, _) = e.get(Some(&rep), &format!("/v1/leads/{}", l.id)).await;
        assert_eq!(s, StatusCode::OK);
    }

    // Lists hold only what the role may see.
    let (_, v) = e.get(Some(&tech), "/v1/jobs?limit=200").await;
    let items = v["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|j| j["technician"] == json!(tech_id.to_string()))
    );
    let (_, v) = e.get(Some(&tech), "/v1/leads").await;
    assert!(v["items"].as_array().unwrap().is_empty());
    let (_, v) = e.get(Some(&disp), "/v1/customers?limit=200").await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["store"] == json!(home.to_string()))
    );
    let (_, v) = e.get(Some(&rep), "/v1/leads?limit=200").await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["owner"] == json!(rep_id.to_string()))
    );
    let (_, v) = e.get(Some(&rep), "/v1/customers?limit=200").await;
    for c in v["items"].as_array().unwrap() {
        let own = c["owner"] == json!(rep_id.to_string());
        assert_eq!(masked(c), !own, "{c}");
    }

    // Sync hands out the same scope.
    let r = e.sync(&tech, "tech-phone", 0, &[]).await;
    for c in &r.changes {
        if let domain::sync::Change::Put { record } = c
            && let Record::Job(j) = record.as_ref()
        {
            assert_eq!(j.technician, Some(tech_id));
        }
    }

    // Ops are scoped by apply: a technician moves their own job only.
    let mine = op(tech_id, OpKind::StartTravel { job: open.id });
    let theirs = op(
        tech_id,
        OpKind::StartTravel {
            job: not_techs_job.id,
        },
    );
    let r = e.sync(&tech, "tech-phone", 0, &[mine, theirs]).await;
    assert!(
        matches!(r.results[0].status, domain::sync::OpStatus::Applied { .. }),
        "{:?}",
        r.results[0]
    );
    assert!(matches!(
        r.results[1].status,
        domain::sync::OpStatus::Rejected { .. }
    ));
    // Nobody may send an op in another person's name.
    let forged = op(dispatcher.id, OpKind::UnassignJob { job: open.id });
    let r = e.sync(&tech, "tech-phone", 0, &[forged]).await;
    assert!(matches!(
        r.results[0].status,
        domain::sync::OpStatus::Rejected { .. }
    ));

    // Unmasked reads are in the audit log: who, what, from which device.
    let org = e.user("admin").org;
    let log = e.store.audit_log(org, 0, 10_000).unwrap();
    assert!(log.iter().any(|a| a.actor == tech_id
        && matches!(&a.what, AuditWhat::UnmaskedRead { keys } if keys.contains(&RecordKey::Customer(open.customer)))));
    assert!(log.iter().any(|a| a.actor == tech_id
        && a.device == "tech-phone"
        && matches!(&a.what, AuditWhat::Op { applied: true, .. })));
    // A masked read is not an unmasked read.
    assert!(!log.iter().any(|a| a.actor == rep_id
        && matches!(&a.what, AuditWhat::UnmaskedRead { keys } if keys.contains(&RecordKey::Customer(not_rep_customer.id)))));
    e.running.unwrap().stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_required_checked_and_expire() {
    let e = env().await;
    let (s, _) = e.get(None, "/v1/jobs").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = e.get(Some("v1.garbage.sig"), "/v1/jobs").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let admin = e.user("admin");
    let tokens = Tokens::new(
        e.store.signing_key(),
        std::time::Duration::from_secs(60),
        std::time::Duration::from_secs(60),
    );
    let stale = tokens.issue(admin.id, admin.org, Utc::now() - chrono::Duration::hours(1));
    let (s, v) = e.get(Some(&stale), "/v1/jobs").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(v["detail"].as_str().unwrap().contains("expired"));
    let fresh = tokens.issue(admin.id, admin.org, Utc::now());
    let (s, _) = e.get(Some(&fresh), "/v1/jobs").await;
    assert_eq!(s, StatusCode::OK);

    // Refresh tokens work once.
    let (_, session) = e
        .post(
            None,
            "/v1/auth/login",
            json!({"login": "admin", "password": DEMO_PASSWORD}),
        )
        .await;
    let refresh = session["refresh_token"].as_str().unwrap();
    let (s, next) = e
        .post(None, "/v1/auth/refresh", json!({"refresh_token": refresh}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_ne!(next["refresh_token"], session["refresh_token"]);
    let (s, _) = e
        .post(None, "/v1/auth/refresh", json!({"refresh_token": refresh}))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_problem_naming_the_field_never_a_5xx() {
    let e = env_with(ApiConfig {
        body_limit: 64 * 1024,
        ..ApiConfig::default()
    })
    .await;
    let t = e.token("dispatch1").await;
    let cases: Vec<(String, &str, StatusCode, Option<&str>)> = vec![
        (
            "{".into(),
            "application/json",
            StatusCode::BAD_REQUEST,
            Some("body"),
        ),
        (
            r#"{"device_id": 3}"#.into(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("device_id"),
        ),
        (
            r#"{"device_id": "d", "surprise": 1}"#.into(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("surprise"),
        ),
        (
            r#"{"device_id": ""}"#.into(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("device_id"),
        ),
        (
            format!(r#"{{"device_id": "{}"}}"#, "x".repeat(5000)),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("device_id"),
        ),
        (
            r#"{"device_id": "d", "cursor": -1}"#.into(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("cursor"),
        ),
        (
            r#"{"device_id": "d"}"#.into(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
        ),
        (
            format!(r#"{{"device_id": "d", "pad": "{}"}}"#, "x".repeat(70_000)),
            "application/json",
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
    ];
    for (body, ct, status, field) in cases {
        let (s, v) = e.post_raw(Some(&t), "/v1/sync", body.clone(), ct).await;
        assert_eq!(s, status, "{}: {v}", &body[..body.len().min(80)]);
        if let Some(f) = field {
            assert_eq!(v["field"], json!(f), "{v}");
        }
    }
    // Out-of-range coordinates and unknown enum values inside an op.
    let d = e.user("dispatch1");
    let mut o = serde_json::to_value(op(d.id, OpKind::Arrive { job: JobId::new() })).unwrap();
    o["location"] = json!({"lat": 91.0, "lng": 0.0});
    let (s, v) = e
        .post(
            Some(&t),
            "/v1/sync",
            json!({"device_id": "d", "ops": [o.clone()]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["field"], json!("ops[0].location.lat"));
    o["location"] = Value::Null;
    o["kind"] = json!({"Teleport": {"job": JobId::new()}});
    let (s, v) = e
        .post(Some(&t), "/v1/sync", json!({"device_id": "d", "ops": [o]}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["field"], json!("ops[0].kind"));
    // One op more than a device sends in one request.
    let too_many: Vec<Op> = (0..=domain::sync::MAX_OPS)
        .map(|_| op(d.id, OpKind::Arrive { job: JobId::new() }))
        .collect();
    let (s, v) = e
        .post(
            Some(&t),
            "/v1/sync",
            json!({"device_id": "d", "ops": too_many}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["field"], json!("ops"));
    // Query strings and paths.
    for (path, field) in [
        ("/v1/jobs?status=Sleeping", "status"),
        ("/v1/jobs?limit=0", "limit"),
        ("/v1/jobs?bogus=1", "bogus"),
        ("/v1/customers/not-a-uuid", "id"),
    ] {
        let (s, v) = e.get(Some(&t), path).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        assert_eq!(v["field"], json!(field), "{path}");
    }
    let (s, v) = e.get(None, "/healthz").await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (s, v) = e.get(None, "/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["paths"]["/v1/sync"]["post"].is_object());
}

fn note(actor: UserId, customer: CustomerId, text: &str) -> Op {
    op(
        actor,
        OpKind::LogInteraction(NewInteraction {
            id: InteractionId::new(),
            kind: InteractionKind::Note,
            outcome: text.into(),
            customer: Some(customer),
            lead: None,
            job: None,
        }),
    )
}

/// A refusal's `message` speaks the language the request asks for; `error` is the same value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_worded_in_the_requests_language() {
    let e = env().await;
    let d = e.user("dispatch1");
    let t = e.token("dispatch1").await;
    let lead = e
        .records
        .iter()
        .find_map(|r| match r {
            Record::Lead(l) if l.store == d.stores[0] && l.stage.is_open() => Some(l.id),
            _ => None,
        })
        .unwrap();
    let mut messages = Vec::new();
    for language in [None, Some("zh-CN,zh;q=0.9,en;q=0.8"), Some("en-GB")] {
        let lost = |lead| {
            op(
                d.id,
                OpKind::MoveLead {
                    lead,
                    to: domain::leads::Stage::Lost,
                    lost_reason: None,
                    won_value: None,
                },
            )
        };
        let ops = [lost(lead), lost(domain::ids::LeadId::new())];
        let body = json!({"device_id": "tablet", "cursor": 0, "ops": ops});
        let mut r = e
            .http
            .post(format!("{}/v1/sync", e.base))
            .bearer_auth(&t)
            .json(&body);
        if let Some(l) = language {
            r = r.header("accept-language", l);
        }
        let res = r.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let v: domain::sync::SyncResponse = res.json().await.unwrap();
        for result in &v.results {
            let domain::sync::OpStatus::Rejected { error, message } = &result.status else {
                panic!("{result:?}");
            };
            assert_eq!(
                message,
                &domain::words::table(lang_of(language)).op_error(error)
            );
            messages.push(message.clone());
        }
    }
    assert_eq!(messages[0], "Say why the lead was lost.");
    assert_eq!(
        messages[1],
        "The lead was not found (it may have been removed, or you cannot see it)."
    );
    assert_eq!(messages[2], "请填写线索流失的原因。");
    assert_eq!(messages[3], "找不到该线索（可能已被删除，或您无权查看）。");
    assert_eq!(messages[4..], messages[..2]);
}

fn lang_of(header: Option<&str>) -> domain::words::Lang {
    domain::words::Lang::from_code(header.unwrap_or("en"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_batch_gets_the_same_answer_and_no_duplicates() {
    let e = env().await;
    let d = e.user("dispatch1");
    let t = e.token("dispatch1").await;
    let c = e.customers().find(|c| c.store == d.stores[0]).unwrap().id;
    let batch = vec![
        note(d.id, c, "called, no answer"),
        note(d.id, c, "called back"),
        op(d.id, OpKind::StartTravel { job: JobId::new() }),
    ];
    let first = e.sync(&t, "tablet", 0, &batch).await;
    let head = first.cursor;
    // The response was "lost": the device sends the same batch again.
    let again = e.sync(&t, "tablet", head, &batch).await;
    assert_eq!(first.results, again.results);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert_eq!(again.cursor, head);
    let org = d.org;
    let log = e.store.audit_log(org, 0, 10_000).unwrap();
    for o in &batch {
        let n = log
            .iter()
            .filter(|a| matches!(&a.what, AuditWhat::Op { op, .. } if *op == o.id))
            .count();
        assert_eq!(n, 1, "op {} audited {n} times", o.id);
    }
}

/// Runs a device: its replica, its outbox, and syncs until the server has nothing more.
struct Device {
    name: String,
    token: String,
    replica: MemoryRecords,
    outbox: Outbox,
    cursor: u64,
}

impl Device {
    async fn sync(&mut self, e: &Env) {
        loop {
            let ops = self.outbox.batch(100);
            let r = e.sync(&self.token, &self.name, self.cursor, &ops).await;
            self.outbox.settle(&mut self.replica, &r.results, r.changes);
            self.cursor = r.cursor;
            if !r.more && self.outbox.is_empty() {
                break;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_syncing_concurrently_converge() {
    let e = env().await;
    let d = e.user("dispatch1");
    let home = d.stores[0];
    let mut a = Device {
        name: "a".into(),
        token: e.token("dispatch1").await,
        replica: MemoryRecords::new(),
        outbox: Outbox::default(),
        cursor: 0,
    };
    let mut b = Device {
        name: "b".into(),
        token: e.token("dispatch1").await,
        replica: MemoryRecords::new(),
        outbox: Outbox::default(),
        cursor: 0,
    };
    tokio::join!(a.sync(&e), b.sync(&e));
    assert_eq!(
        a.replica.iter().collect::<Vec<_>>(),
        b.replica.iter().collect::<Vec<_>>()
    );
    // Both edit, partly the same job, offline; then both sync at once, twice.
    let techs: Vec<UserId> = e
        .records
        .iter()
        .filter_map(|r| match r {
            Record::User(u) if u.has(Role::Technician) && u.in_store(home) => Some(u.id),
            _ => None,
        })
        .collect();
    let jobs: Vec<JobId> = e
        .jobs()
        .filter(|j| j.store == home && j.status == domain::jobs::JobStatus::New)
        .map(|j| j.id)
        .take(4)
        .collect();
    assert!(jobs.len() >= 2 && techs.len() >= 2);
    for (i, job) in jobs.iter().enumerate() {
        let assign = |t: UserId| {
            op(
                d.id,
                OpKind::AssignJob {
                    job: *job,
                    technician: t,
                    planned_start: None,
                    why: Some("covering for a colleague".into()),
                    crew: Vec::new(),
                },
            )
        };
        a.outbox
            .apply_local(&mut a.replica, assign(techs[i % techs.len()]))
            .unwrap();
        b.outbox
            .apply_local(&mut b.replica, assign(techs[(i + 1) % techs.len()]))
            .unwrap();
    }
    let c = e.customers().find(|c| c.store == home).unwrap().id;
    a.outbox
        .apply_local(&mut a.replica, note(d.id, c, "from a"))
        .unwrap();
    b.outbox
        .apply_local(&mut b.replica, note(d.id, c, "from b"))
        .unwrap();
    tokio::join!(a.sync(&e), b.sync(&e));
    tokio::join!(a.sync(&e), b.sync(&e));
    let ra: Vec<_> = a.replica.iter().collect();
    let rb: Vec<_> = b.replica.iter().collect();
    assert_eq!(ra.len(), rb.len());
    assert!(ra == rb, "the replicas differ");
    // And they equal what the server has.
    for r in ra {
        assert_eq!(Some(r.clone()), e.store.get(r.key()).unwrap());
    }
}

/// The change-log pre-filter may only skip what the full check hides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_prefilter_never_hides_what_a_role_may_see() {
    use server::access::{Scope, Visibility};
    use server::store::Hint;
    let e = env().await;
    let store: &dyn Store = e.store.as_ref();
    let mut skipped_for_technicians = 0;
    for l in &e.logins {
        let scope = Scope::load(store, e.user(&l.login)).unwrap();
        for r in &e.records {
            let shown =
                scope.visibility(store, r).unwrap() != Visibility::Hidden || scope.may_have_seen(r);
            let might = scope.might_see(r.key().kind(), &Hint::of(r));
            assert!(might || !shown, "{} would miss {:?}", l.login, r.key());
            // Technicians read feeds: every record they may see is filed under one of theirs.
            if let Some(parties) = scope.feed_parties() {
                let filed = Hint::of(r).parties(r.key().kind(), r.org());
                let in_feed = filed.iter().any(|p| parties.contains(p));
                assert!(in_feed || !shown, "{}'s feeds miss {:?}", l.login, r.key());
            }
            if !might && l.roles == [Role::Technician] {
                skipped_for_technicians += 1;
            }
        }
    }
    // And it is worth having: technicians skip most of the log.
    assert!(
        skipped_for_technicians > e.records.len(),
        "{skipped_for_technicians}"
    );
}

/// A job newly assigned to a technician brings its customer along, though the customer's own
/// change is older than the technician's cursor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newly_assigned_job_brings_its_customer() {
    let e = env().await;
    let d = e.user("dispatch1");
    let home = d.stores[0];
    let tech_id = e
        .jobs()
        .find(|j| j.store == home && j.technician.is_some())
        .and_then(|j| j.technician)
        .unwrap();
    let known: Vec<CustomerId> = e
        .jobs()
        .filter(|j| j.technician == Some(tech_id))
        .map(|j| j.customer)
        .collect();
    let job = e
        .jobs()
        .find(|j| {
            j.store == home
                && j.status == domain::jobs::JobStatus::New
                && !known.contains(&j.customer)
        })
        .unwrap()
        .clone();
    let tech = e.token(e.login_of(tech_id)).await;
    let mut cursor = 0;
    loop {
        let r = e.sync(&tech, "phone", cursor, &[]).await;
        cursor = r.cursor;
        assert!(!r.changes.iter().any(|c| matches!(c,
            domain::sync::Change::Put { record } if record.key() == RecordKey::Customer(job.customer))));
        if !r.more {
            break;
        }
    }
    let disp = e.token("dispatch1").await;
    let assign = op(
        d.id,
        OpKind::AssignJob {
            job: job.id,
            technician: tech_id,
            planned_start: None,
            why: Some("covering for a colleague".into()),
            crew: Vec::new(),
        },
    );
    let r = e.sync(&disp, "tablet", 0, &[assign]).await;
    assert!(matches!(
        r.results[0].status,
        domain::sync::OpStatus::Applied { .. }
    ));
    let r = e.sync(&tech, "phone", cursor, &[]).await;
    let keys: Vec<RecordKey> = r
        .changes
        .iter()
        .filter_map(|c| match c {
            domain::sync::Change::Put { record } => Some(record.key()),
            domain::sync::Change::Gone { .. } => None,
        })
        .collect();
    assert!(keys.contains(&RecordKey::Job(job.id)), "{keys:?}");
    assert!(
        keys.contains(&RecordKey::Customer(job.customer)),
        "{keys:?}"
    );
}

/// A follow-up handed to another rep leaves the first rep's device (and only theirs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reassigned_follow_up_leaves_the_previous_owners_device() {
    use domain::sync::Change;
    let e = env().await;
    let d = e.user("dispatch1");
    let home = d.stores[0];
    let reps: Vec<UserId> = e
        .records
        .iter()
        .filter_map(|r| match r {
            Record::User(u) if u.has(domain::org::Role::Sales) && u.in_store(home) => Some(u.id),
            _ => None,
        })
        .collect();
    assert!(reps.len() >= 2, "the demo store has two reps");
    let (from, to) = (reps[0], reps[1]);
    let f = e
        .records
        .iter()
        .find_map(|r| match r {
            Record::FollowUp(f) if f.owner == from && f.is_open() => Some(f.clone()),
            _ => None,
        })
        .expect("the first rep has an open follow-up");
    let (a, b) = (
        e.token(e.login_of(from)).await,
        e.token(e.login_of(to)).await,
    );
    let cursors = [e.catch_up(&a).await, e.catch_up(&b).await];
    let disp = e.token("dispatch1").await;
    let reassign = op(
        d.id,
        OpKind::ReassignFollowUp {
            follow_up: f.id,
            owner: to,
        },
    );
    let r = e.sync(&disp, "tablet", 0, &[reassign]).await;
    assert!(
        matches!(r.results[0].status, domain::sync::OpStatus::Applied { .. }),
        "{:?}",
        r.results[0].status
    );
    let key = RecordKey::FollowUp(f.id);
    let r = e.sync(&a, "phone", cursors[0], &[]).await;
    assert!(
        r.changes
            .iter()
            .any(|c| matches!(c, Change::Gone { key: k } if *k == key)),
        "the previous owner is told to drop it: {:?}",
        r.changes
    );
    let r = e.sync(&b, "phone", cursors[1], &[]).await;
    let got = r.changes.iter().find_map(|c| match c {
        Change::Put { record } => match record.as_ref() {
            Record::FollowUp(g) if g.id == f.id => Some(g.clone()),
            _ => None,
        },
        Change::Gone { .. } => None,
    });
    let got = got.expect("the new owner receives it");
    assert_eq!(got.owner, to);
    assert_eq!(got.previous_owners, vec![from]);
}

fn is_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn initials(name: &str) -> String {
    use pinyin::ToPinyin;
    name.to_pinyin()
        .flatten()
        .map(|p| p.first_letter())
        .collect()
}

fn search_path(q: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    format!("/v1/search/customers?q={q}&limit=50")
}

fn ids_of(v: &Value) -> Vec<CustomerId> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| serde_json::from_value(i["customer"]["id"].clone()).unwrap())
        .collect()
}

fn item(v: &Value, id: CustomerId) -> Option<&Value> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["customer"]["id"] == json!(id))
}

/// Customer search: by pinyin initials and phone fragments, only within the caller's scope,
/// masked like every other read, unmasked reads audited, new customers found at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_is_scoped_masked_and_current() {
    let e = env().await;
    let admin = e.token("admin").await;
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let home = dispatcher.stores[0];
    let ours = e
        .customers()
        .find(|c| c.store == home && is_han(&c.name) && c.owner.is_some())
        .unwrap()
        .clone();
    let far = e
        .customers()
        .find(|c| c.store != home && !c.phones.is_empty())
        .unwrap()
        .clone();

    // Initials with the street, as a dispatcher types them.
    let street: String = ours.address.street.chars().take(2).collect();
    let q = format!("{} {street}", initials(&ours.name));
    let (s, v) = e.get(Some(&disp), &search_path(&q)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let hit = item(&v, ours.id).unwrap_or_else(|| panic!("{q}: {v}"));
    assert!(
        !masked(&hit["customer"]),
        "dispatchers see their stores unmasked"
    );
    assert!(
        hit["matched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["field"] == "name"),
        "{hit}"
    );
    // A phone fragment from the middle of the number.
    let digits = ours.phones[0].national();
    let fragment = &digits[2..8];
    let (_, v) = e.get(Some(&disp), &search_path(fragment)).await;
    let hit = item(&v, ours.id).unwrap_or_else(|| panic!("{fragment}: {v}"));
    assert!(
        hit["matched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["field"] == "phone" && !m["ranges"].as_array().unwrap().is_empty())
    );
    // Another store's customer is out of a dispatcher's scope, however exactly it is typed.
    let far_digits = far.phones[0].national();
    for q in [far.name.as_str(), far_digits.as_str()] {
        let (_, v) = e.get(Some(&disp), &search_path(q)).await;
        assert!(!ids_of(&v).contains(&far.id), "{q}: {v}");
    }
    // The admin sees the organization.
    let (_, v) = e.get(Some(&admin), &search_path(&far_digits[3..9])).await;
    assert!(ids_of(&v).contains(&far.id), "{v}");

    // A rep of the home store: customers they do not own are found by name, masked, and never
    // through their hidden number, typed whole or in part (issue 10: search as an oracle).
    let rep_id = ours.owner.unwrap();
    let rep = e.token(e.login_of(rep_id)).await;
    let theirs = e
        .customers()
        .find(|c| c.store == home && c.owner != Some(rep_id) && !c.phones.is_empty())
        .unwrap()
        .clone();
    let (_, v) = e.get(Some(&rep), &search_path(&theirs.name)).await;
    let hit = item(&v, theirs.id).unwrap_or_else(|| panic!("{v}"));
    assert!(masked(&hit["customer"]), "{hit}");
    let name_only = hit.clone();
    let theirs_digits = theirs.phones[0].national();
    for q in [&theirs_digits[2..8], theirs_digits.as_str()] {
        let (_, v) = e.get(Some(&rep), &search_path(q)).await;
        assert!(
            !ids_of(&v).contains(&theirs.id),
            "a masked number is no way in: {q}: {v}"
        );
    }
    // The name found them; adding a true or a false fragment of the hidden number changes
    // neither whether they are found, nor the score, nor the fields said to match.
    let wrong: String = theirs_digits[4..8]
        .chars()
        .map(|c| char::from(b'0' + (c as u8 - b'0' + 5) % 10))
        .collect();
    for extra in [&theirs_digits[4..8], wrong.as_str()] {
        let q = format!("{} {extra}", theirs.name);
        let (_, v) = e.get(Some(&rep), &search_path(&q)).await;
        let hit = item(&v, theirs.id);
        let hit = hit.unwrap_or_else(|| panic!("{q}: {v}"));
        assert_eq!(hit["matched"], name_only["matched"], "{q}");
        assert_eq!(hit["score"], name_only["score"], "{q}");
    }
    let log = e.store.audit_log(dispatcher.org, 0, 100_000).unwrap();
    assert!(
        log.iter().any(|a| a.actor == rep_id
            && matches!(&a.what, AuditWhat::Search { query, masked, .. } if *query == theirs_digits && *masked == 0)),
        "every search is audited with its query"
    );
    let (_, v) = e.get(Some(&rep), &search_path(&ours.name)).await;
    assert!(
        !masked(&item(&v, ours.id).unwrap()["customer"]),
        "their own customer is unmasked"
    );
    let (_, v) = e.get(Some(&rep), &search_path(&far.name)).await;
    assert!(
        !ids_of(&v).contains(&far.id),
        "other stores are out of a rep's scope"
    );

    // A technician finds only the customers of their jobs.
    let job = e
        .jobs()
        .find(|j| j.is_open() && j.technician.is_some())
        .unwrap()
        .clone();
    let tech_id = job.technician.unwrap();
    let tech = e.token(e.login_of(tech_id)).await;
    let mine: Vec<CustomerId> = e
        .jobs()
        .filter(|j| j.technician == Some(tech_id))
        .map(|j| j.customer)
        .collect();
    let stranger = e
        .customers()
        .find(|c| !mine.contains(&c.id))
        .unwrap()
        .clone();
    let (_, v) = e.get(Some(&tech), &search_path(&stranger.name)).await;
    assert!(!ids_of(&v).contains(&stranger.id), "{v}");
    let customer = e
        .customers()
        .find(|c| c.id == job.customer)
        .unwrap()
        .clone();
    let (_, v) = e.get(Some(&tech), &search_path(&customer.name)).await;
    assert!(ids_of(&v).contains(&customer.id), "{v}");

    // Unmasked results are audited; masked ones are not.
    let log = e.store.audit_log(dispatcher.org, 0, 10_000).unwrap();
    let read = |actor: UserId, c: CustomerId| {
        log.iter().any(|a| a.actor == actor
            && matches!(&a.what, AuditWhat::UnmaskedRead { keys } if keys.contains(&RecordKey::Customer(c))))
    };
    assert!(read(dispatcher.id, ours.id));
    assert!(!read(rep_id, theirs.id));

    // A customer created through sync is found by the next search.
    let id = CustomerId::new();
    let create = op(
        dispatcher.id,
        OpKind::CreateCustomer(domain::ops::NewCustomer {
            id,
            store: home,
            name: "Philippa Quennell".into(),
            phones: vec!["13912345670".into()],
            address: ours.address.clone(),
            kind: domain::customers::CustomerKind::Individual,
            tags: Vec::new(),
            tier: domain::customers::Tier::Standard,
            marketing_consent: false,
            birthday: None,
            owner: None,
        }),
    );
    e.sync(&disp, "disp-laptop", 0, &[create]).await;
    let (_, v) = e.get(Some(&disp), &search_path("quennell")).await;
    assert_eq!(ids_of(&v), vec![id], "{v}");

    // Bad input is a problem naming the parameter.
    for (path, field) in [
        ("/v1/search/customers?q=", "q"),
        ("/v1/search/customers?q=zs&limit=0", "limit"),
        ("/v1/search/customers?q=zs&lat=31.2", "lat"),
        ("/v1/search/customers?q=zs&nope=1", "nope"),
    ] {
        let (s, v) = e.get(Some(&disp), path).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        assert!(
            v["field"].as_str().unwrap_or("").contains(field),
            "{path}: {v}"
        );
    }
    let (s, _) = e.get(None, &search_path("zs")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    e.running.unwrap().stop().await.unwrap();
}

/// Jobs for a day two days ahead (so the test does not depend on the date it runs), created
/// by the dispatcher through sync like any job: 10:00 to 16:00 in the store's zone.
async fn jobs_ahead(
    e: &Env,
    token: &str,
    dispatcher: &domain::org::User,
    n: usize,
) -> (chrono::NaiveDate, Vec<JobId>) {
    use domain::jobs::{Priority, ServiceType, TimeWindow};
    use domain::ops::NewJob;
    let store = dispatcher.stores[0];
    let tz = e
        .records
        .iter()
        .find_map(|r| match r {
            Record::Store(s) if s.id == store => Some(s.time_zone),
            _ => None,
        })
        .unwrap();
    let date = (Utc::now() + chrono::Duration::days(2))
        .with_timezone(&tz)
        .date_naive();
    let at = |h: u32| {
        tz.from_local_datetime(&date.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let customers: Vec<CustomerId> = e
        .customers()
        .filter(|c| c.store == store && c.address.location.is_some())
        .map(|c| c.id)
        .take(n)
        .collect();
    let mut ids = Vec::new();
    let ops: Vec<Op> = customers
        .iter()
        .map(|&customer| {
            let id = JobId::new();
            ids.push(id);
            op(
                dispatcher.id,
                OpKind::CreateJob(NewJob {
                    id,
                    customer,
                    asset: None,
                    service_address: None,
                    service_type: ServiceType::Inspection,
                    description: "dispatch test".into(),
                    required_skills: vec![],
                    estimated_minutes: 30,
                    priority: Priority::Normal,
                    windows: vec![TimeWindow {
                        start: at(10),
                        end: at(16),
                    }],
                    crew_size: 1,
                }),
            )
        })
        .collect();
    let res = e.sync(token, "dispatch-test", 0, &ops).await;
    assert!(
        res.results
            .iter()
            .all(|r| matches!(r.status, domain::sync::OpStatus::Applied { .. })),
        "{:?}",
        res.results
    );
    assert_eq!(ids.len(), n);
    (date, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_gets_ranked_technicians_and_a_plan_that_is_only_a_proposal() {
    let e = env().await;
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let (date, jobs) = jobs_ahead(&e, &disp, &dispatcher, 3).await;
    let store = dispatcher.stores[0];
    let store_techs = e
        .records
        .iter()
        .filter(|r| matches!(r, Record::User(u) if u.has(Role::Technician) && u.in_store(store)))
        .count();

    let (s, v) = e
        .post(
            Some(&disp),
            "/v1/dispatch/suggest",
            json!({"job": jobs[0], "date": date}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let candidates = v["candidates"].as_array().unwrap();
    let excluded = v["excluded"].as_array().unwrap();
    assert_eq!(candidates.len() + excluded.len(), store_techs, "{v}");
    assert!(!candidates.is_empty(), "{v}");
    for (i, c) in candidates.iter().enumerate() {
        assert_eq!(c["rank"], json!(i + 1));
        assert!(c["eta"].is_string() && c["added_metres"].is_i64(), "{c}");
        assert!(!c["reasons"].as_array().unwrap().is_empty(), "{c}");
    }
    for x in excluded {
        // Typed, for the client to word in its person's language.
        assert!(!x["reason"].is_null(), "{x}");
    }

    let (s, v) = e
        .post(
            Some(&disp),
            "/v1/dispatch/plan",
            json!({"store": store, "date": date, "seconds": 0.2}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let changes = v["changes"].as_array().unwrap();
    let unassigned = v["unassigned"].as_array().unwrap();
    for job in &jobs {
        let id = json!(job);
        assert!(
            changes.iter().any(|c| c["job"] == id) || unassigned.iter().any(|u| u["job"] == id),
            "every open job is placed or explained: {v}"
        );
    }
    // Nothing changed yet: a plan is a proposal.
    let (_, j) = e.get(Some(&disp), &format!("/v1/jobs/{}", jobs[0])).await;
    assert_eq!(j["status"], "New");

    // Accepting: the client sends the changes as assignment ops through sync.
    let ops: Vec<Op> = changes
        .iter()
        .filter(|c| c["kind"] != "Keep")
        .map(|c| {
            op(
                dispatcher.id,
                OpKind::AssignJob {
                    job: serde_json::from_value(c["job"].clone()).unwrap(),
                    technician: serde_json::from_value(c["technician"].clone()).unwrap(),
                    planned_start: serde_json::from_value(c["planned_start"].clone()).unwrap(),
                    why: Some("covering for a colleague".into()),
                    crew: Vec::new(),
                },
            )
        })
        .collect();
    assert!(!ops.is_empty(), "{v}");
    let res = e.sync(&disp, "dispatch-test", 0, &ops).await;
    assert!(
        res.results
            .iter()
            .all(|r| matches!(r.status, domain::sync::OpStatus::Applied { .. })),
        "{:?}",
        res.results
    );
    let placed = changes.iter().find(|c| c["kind"] != "Keep").unwrap();
    let (_, j) = e
        .get(
            Some(&disp),
            &format!("/v1/jobs/{}", placed["job"].as_str().unwrap()),
        )
        .await;
    assert_eq!(j["status"], "Assigned");
    assert_eq!(j["technician"], placed["technician"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dispatch_refuses_other_roles_other_stores_and_bad_input() {
    let e = env().await;
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let (date, jobs) = jobs_ahead(&e, &disp, &dispatcher, 1).await;
    let home = dispatcher.stores[0];
    let suggest = json!({"job": jobs[0], "date": date});
    let plan = json!({"store": home, "date": date, "seconds": 0.1});

    for role in [Role::Technician, Role::Sales] {
        let login = e
            .logins
            .iter()
            .find(|l| l.roles == vec![role])
            .unwrap()
            .login
            .clone();
        let t = e.token(&login).await;
        let (s, _) = e
            .post(Some(&t), "/v1/dispatch/suggest", suggest.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
        let (s, _) = e.post(Some(&t), "/v1/dispatch/plan", plan.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
    }
    let (s, _) = e.post(None, "/v1/dispatch/plan", plan.clone()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Another store's jobs are not visible; another store cannot be planned.
    let other_job = e
        .jobs()
        .find(|j| !dispatcher.in_store(j.store) && j.is_open())
        .unwrap();
    let (s, _) = e
        .post(
            Some(&disp),
            "/v1/dispatch/suggest",
            json!({"job": other_job.id}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = e
        .post(
            Some(&disp),
            "/v1/dispatch/plan",
            json!({"store": other_job.store, "date": date}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = e
        .post(
            Some(&disp),
            "/v1/dispatch/plan",
            json!({"store": uuid::Uuid::now_v7(), "date": date}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Nor does a suggestion reveal them: every technician named is of the home store.
    let (s, v) = e
        .post(Some(&disp), "/v1/dispatch/suggest", suggest.clone())
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    for t in v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["excluded"].as_array().unwrap())
    {
        let id: UserId = serde_json::from_value(t["technician"].clone()).unwrap();
        assert!(e.user(e.login_of(id)).in_store(home), "{t}");
    }

    let past = date - chrono::Duration::days(30);
    for (path, body, field) in [
        ("/v1/dispatch/suggest", json!({"job": "nope"}), "job"),
        ("/v1/dispatch/suggest", json!({}), "body"),
        (
            "/v1/dispatch/suggest",
            json!({"job": jobs[0], "extra": 1}),
            "extra",
        ),
        (
            "/v1/dispatch/suggest",
            json!({"job": jobs[0], "date": past}),
            "date",
        ),
        (
            "/v1/dispatch/plan",
            json!({"store": home, "seconds": 100}),
            "seconds",
        ),
        (
            "/v1/dispatch/plan",
            json!({"store": home, "seconds": -1}),
            "seconds",
        ),
        (
            "/v1/dispatch/plan",
            json!({"store": home, "date": "23/11/2026"}),
            "date",
        ),
        (
            "/v1/dispatch/plan",
            json!({"store": home, "date": past}),
            "date",
        ),
    ] {
        let (s, v) = e.post(Some(&disp), path, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}: {v}");
        assert_eq!(v["field"], field, "{path} {body}: {v}");
    }
    let (s, _) = e
        .post_raw(
            Some(&disp),
            "/v1/dispatch/plan",
            "{".into(),
            "application/json",
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = e
        .post_raw(Some(&disp), "/v1/dispatch/plan", "x".into(), "text/plain")
        .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// A fake OSRM `/table` on 127.0.0.1 where every trip between two different places is 7 m and
/// 60 s; counts requests.
async fn fake_osrm() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    async fn table(
        axum::extract::State(hits): axum::extract::State<Arc<AtomicUsize>>,
        axum::extract::Path(coords): axum::extract::Path<String>,
    ) -> axum::Json<Value> {
        hits.fetch_add(1, Ordering::SeqCst);
        let n = coords.split(';').count();
        let leg = |per: f64| -> Vec<Vec<f64>> {
            (0..n)
                .map(|i| (0..n).map(|j| if i == j { 0.0 } else { per }).collect())
                .collect()
        };
        axum::Json(json!({"code": "Ok", "durations": leg(60.0), "distances": leg(7.0)}))
    }
    let hits = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new()
        .route("/table/v1/driving/{coords}", axum::routing::get(table))
        .with_state(hits.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dispatch_uses_the_road_router_when_configured_and_estimates_when_it_is_down() {
    let (url, hits) = fake_osrm().await;
    let e = env_with(ApiConfig {
        osrm_url: Some(url),
        ..ApiConfig::default()
    })
    .await;
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let (date, jobs) = jobs_ahead(&e, &disp, &dispatcher, 2).await;
    let (s, v) = e
        .post(
            Some(&disp),
            "/v1/dispatch/suggest",
            json!({"job": jobs[0], "date": date}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(hits.load(std::sync::atomic::Ordering::SeqCst) > 0);
    let candidates = v["candidates"].as_array().unwrap();
    assert!(!candidates.is_empty(), "{v}");
    for c in candidates {
        // In and out of the job, minus the trip it replaces: road metres, not kilometres.
        let added = c["added_metres"].as_i64().unwrap();
        assert!((0..=14).contains(&added), "{c}");
    }

    // The same request with a router that does not answer: great-circle estimates instead.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let e2 = env_with(ApiConfig {
        osrm_url: Some(dead),
        ..ApiConfig::default()
    })
    .await;
    let disp2 = e2.token("dispatch1").await;
    let (date, jobs) = jobs_ahead(&e2, &disp2, &e2.user("dispatch1"), 2).await;
    let (s, v) = e2
        .post(
            Some(&disp2),
            "/v1/dispatch/suggest",
            json!({"job": jobs[0], "date": date}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(
        v["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["added_metres"].as_i64().unwrap() > 14),
        "{v}"
    );
}

#[tokio::test]
async fn the_web_shell_is_served_at_the_root_with_caching_by_kind() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Rounds</title>",
    )
    .unwrap();
    std::fs::create_dir(web.path().join("pkg-0123abcd")).unwrap();
    std::fs::write(web.path().join("pkg-0123abcd/web_shell.js"), "export {}").unwrap();
    let e = env_with(ApiConfig {
        web_dir: Some(web.path().to_owned()),
        ..ApiConfig::default()
    })
    .await;
    let get = |path: &str| e.http.get(format!("{}{path}", e.base)).send();

    let res = get("/").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(res.text().await.unwrap().contains("Rounds"));

    let res = get("/pkg-0123abcd/web_shell.js").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    for path in ["/v1/no-such-thing", "/v1", "/nothing-here.js"] {
        let res = get(path).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
    // The API is unchanged.
    let res = get("/healthz").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
