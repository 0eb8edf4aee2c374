//! Issue 17, item 3: a customer's data exported on request, erased on request (records, the
//! audit's copies, devices, and backups taken before), and the audit kept only as long as the
//! organization's retention says.

use std::time::Duration;

use chrono::Utc;
use domain::ids::CustomerId;
use domain::ops::CustomerPatch;
use domain::ops::{OpKind, Record, RecordKey};
use domain::org::{Retention, Role, SettingsPatch};
use domain::sync::{Change, OpStatus};
use reqwest::StatusCode;
use server::http::ApiConfig;
use server::store::{AuditEntry, AuditWhat, Store};

use crate::common::{Env, env, env_with, op};

fn login(env: &Env, role: Role) -> (domain::ids::UserId, String) {
    let l = env.logins.iter().find(|l| l.roles == [role]).unwrap();
    (l.user, l.login.clone())
}

/// The whole audit of the organization, as JSON text.
fn audit_text(env: &Env) -> String {
    let org = env.store.orgs().unwrap()[0];
    serde_json::to_string(&env.store.audit_log(org, 0, 10_000_000).unwrap()).unwrap()
}

/// A customer with a job, and a dispatcher of their store.
fn subject(env: &Env) -> (CustomerId, domain::org::User) {
    let job = env.jobs().next().unwrap();
    let dispatcher = env
        .logins
        .iter()
        .filter(|l| l.roles == [Role::Dispatcher])
        .map(|l| env.user(&l.login))
        .find(|u| u.in_store(job.store))
        .unwrap();
    (job.customer, dispatcher)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_reaches_devices_and_leaves_nothing_in_the_records_or_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("erasures.jsonl");
    let env = env_with(ApiConfig {
        erasure_logs: vec![log.clone()],
        ..ApiConfig::default()
    })
    .await;
    let (customer, dispatcher) = subject(&env);
    let d_token = env.token(env.login_of(dispatcher.id)).await;
    // A number only this customer ever had, typed by the dispatcher: the audit keeps it as
    // the edit's "after".
    let phone = "13912345678";
    let r = env
        .sync(
            &d_token,
            "desk",
            0,
            &[op(
                dispatcher.id,
                OpKind::UpdateCustomer {
                    customer,
                    patch: CustomerPatch {
                        phones: Some(vec![phone.into()]),
                        ..CustomerPatch::default()
                    },
                    seen: Vec::new(),
                },
            )],
        )
        .await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{r:?}"
    );
    let cursor = env.catch_up(&d_token).await;
    assert!(audit_text(&env).contains(phone));

    // Only an admin may erase.
    let refused = env
        .sync(
            &d_token,
            "desk",
            cursor,
            &[op(dispatcher.id, OpKind::EraseCustomer { customer })],
        )
        .await;
    assert!(matches!(
        refused.results[0].status,
        OpStatus::Rejected { .. }
    ));
    let (admin, admin_login) = login(&env, Role::Admin);
    let a_token = env.token(&admin_login).await;
    let r = env
        .sync(
            &a_token,
            "office",
            0,
            &[op(admin, OpKind::EraseCustomer { customer })],
        )
        .await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{r:?}"
    );

    // The dispatcher's device gets the pseudonym at its next sync.
    let next = env.sync(&d_token, "desk", cursor, &[]).await;
    let seen = next
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Put { record } => match record.as_ref() {
                Record::Customer(c) if c.id == customer => Some(c.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("the erased customer reaches the device");
    assert_eq!(seen.name, seen.number());
    assert!(seen.phones.is_empty() && seen.erased.is_some());

    // Nothing of the number is left: not in any record, not in the audit (who did what and
    // when stays).
    let org = env.store.orgs().unwrap()[0];
    let records = env.store.changes(org, 0, 10_000_000, &|_, _| true).unwrap();
    let all = serde_json::to_string(&records.entries).unwrap();
    assert!(!all.contains(phone));
    let audit = audit_text(&env);
    assert!(!audit.contains(phone), "the audit still holds the number");
    assert!(audit.contains(server::privacy::ERASED));
    let entries = env.store.audit_log(org, 0, 10_000_000).unwrap();
    assert!(entries.iter().any(|e| matches!(&e.what,
        AuditWhat::Op { kind, applied: true, .. } if kind == "EraseCustomer")));

    // The erasure is in the log a restore applies again: the op, nothing personal.
    let logged = server::privacy::read_log(&log).unwrap();
    assert_eq!(logged.len(), 1);
    assert!(matches!(logged[0].op.kind, OpKind::EraseCustomer { customer: c } if c == customer));
    assert!(!std::fs::read_to_string(&log).unwrap().contains(phone));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_export_is_theirs_in_json_and_csv_and_nobody_elses() {
    let env = env().await;
    let (customer, dispatcher) = subject(&env);
    let Some(Record::Customer(c)) = env.store.get(RecordKey::Customer(customer)).unwrap() else {
        panic!("the customer");
    };
    let d_token = env.token(env.login_of(dispatcher.id)).await;
    let path = format!("/v1/customers/{}/export", customer.0);
    let (s, v) = env.get(Some(&d_token), &path).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["customer"]["Customer"]["name"], c.name.as_str());
    let jobs = env.jobs().filter(|j| j.customer == customer).count();
    let exported_jobs = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("Job").is_some())
        .count();
    assert_eq!(exported_jobs, jobs);

    let res = env
        .http
        .get(format!("{}{path}?format=csv", env.base))
        .bearer_auth(&d_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("record,id,field,value\n"));
    assert!(csv.contains(&format!(
        "\"customer\",\"{}\",\"name\",\"{}\"",
        customer.0, c.name
    )));
    assert!(csv.contains(c.phones[0].raw.as_str()));
    // The export of the first request is itself in the second one's audit part.
    assert!(csv.contains("\"audit\""));

    // A rep, even of the store, and a dispatcher of another store: unknown, and audited.
    let org = env.store.orgs().unwrap()[0];
    let before = env.store.audit_log(org, 0, 10_000_000).unwrap().len();
    let (_, rep_login) = login(&env, Role::Sales);
    let other = env
        .logins
        .iter()
        .filter(|l| l.roles == [Role::Dispatcher])
        .find(|l| {
            !env.user(&l.login)
                .stores
                .iter()
                .any(|s| dispatcher.in_store(*s))
        })
        .map(|l| l.login.clone())
        .unwrap();
    for who in [rep_login, other] {
        let t = env.token(&who).await;
        let (s, v) = env.get(Some(&t), &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{who}: {v}");
        assert_eq!(v["detail"], "no such customer");
    }
    let refused: Vec<AuditEntry> = env.store.audit_log(org, before as u64, 10_000).unwrap();
    assert!(
        refused
            .iter()
            .filter(|e| matches!(e.what, AuditWhat::ExportRefused { customer: c } if c == customer))
            .count()
            >= 2
    );
    // Bad input: an unknown format, an id that is not one.
    let (s, _) = env.get(Some(&d_token), &format!("{path}?format=xml")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = env.get(Some(&d_token), "/v1/customers/nope/export").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = env
        .get(
            Some(&d_token),
            &format!("/v1/customers/{}/export", uuid::Uuid::now_v7()),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_entries_past_the_retention_setting_go_on_schedule() {
    let env = crate::common::start(
        None,
        ApiConfig {
            retention_every: Duration::from_millis(200),
            ..ApiConfig::default()
        },
    )
    .await;
    let store: std::sync::Arc<dyn Store> = env.store.clone();
    let password = "retention-test-password";
    let (org, admin) = server::run::create_org(
        &store,
        "Retention Co",
        "boss",
        "Boss",
        password,
        crate::common::CHEAP,
    )
    .await
    .unwrap();
    // The audit as time wrote it: an entry from 500 days ago, one from 100 days ago.
    let entry = |days: i64, user| AuditEntry {
        seq: 0,
        at: Utc::now() - chrono::Duration::days(days),
        actor: admin,
        device: "old".into(),
        what: AuditWhat::SessionsEnded { user },
    };
    let old = domain::ids::UserId::new();
    let young = domain::ids::UserId::new();
    env.store
        .audit(org, vec![entry(500, old), entry(100, young)])
        .await
        .unwrap();
    let has = |user| {
        env.store
            .audit_log(org, 0, 10_000_000)
            .unwrap()
            .iter()
            .any(|e| matches!(e.what, AuditWhat::SessionsEnded { user: u } if u == user))
    };
    // Kept two years by default: both stay through several runs of the schedule.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(has(old) && has(young));

    let token = crate::common::sign_in(&env.http, &env.base, "boss", password).await;
    let settings = |days| {
        op(
            admin,
            OpKind::UpdateSettings(SettingsPatch {
                retention: Some(Retention { audit_days: days }),
                ..SettingsPatch::default()
            }),
        )
    };
    let r = env.sync(&token, "office", 0, &[settings(365)]).await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{r:?}"
    );
    for _ in 0..100 {
        if !has(old) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!has(old), "the entry from 500 days ago is gone");
    assert!(has(young), "the one from 100 days ago stays");
    // An out-of-range setting is refused, naming it.
    let r = env.sync(&token, "office", 0, &[settings(5)]).await;
    assert!(
        matches!(r.results[0].status, OpStatus::Rejected { .. }),
        "{r:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_browses_the_audit_by_person_event_customer_and_time() {
    let env = env().await;
    let (customer, dispatcher) = subject(&env);
    let d_token = env.token(env.login_of(dispatcher.id)).await;
    let r = env
        .sync(
            &d_token,
            "desk",
            0,
            &[op(
                dispatcher.id,
                OpKind::UpdateCustomer {
                    customer,
                    patch: CustomerPatch {
                        tags: Some(vec!["audited".into()]),
                        ..CustomerPatch::default()
                    },
                    seen: Vec::new(),
                },
            )],
        )
        .await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{r:?}"
    );
    let (s, _) = env
        .get(Some(&d_token), "/v1/search/customers?q=zhang")
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, admin_login) = login(&env, Role::Admin);
    let a = env.token(&admin_login).await;

    // About the customer: the dispatcher's edit is there.
    let (s, v) = env
        .get(Some(&a), &format!("/v1/audit?customer={}", customer.0))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert!(items.iter().any(|e| e["what"]["event"] == "op"
        && e["actor"] == dispatcher.id.0.to_string()
        && e["what"]["kind"] == "UpdateCustomer"));
    // By person and kind of event: only theirs, only searches.
    let (_, v) = env
        .get(
            Some(&a),
            &format!("/v1/audit?actor={}&event=search", dispatcher.id.0),
        )
        .await;
    let items = v["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|e| e["what"]["event"] == "search" && e["actor"] == dispatcher.id.0.to_string())
    );
    // A page at a time: the cursor goes on where the page stopped, without repeating.
    let (_, one) = env.get(Some(&a), "/v1/audit?limit=1").await;
    let next = one["next"].as_u64().unwrap();
    let (_, two) = env
        .get(Some(&a), &format!("/v1/audit?limit=1&after={next}"))
        .await;
    assert!(two["items"][0]["seq"].as_u64().unwrap() > one["items"][0]["seq"].as_u64().unwrap());
    // A window of time in the future has nothing.
    let later = (Utc::now() + chrono::Duration::days(1))
        .to_rfc3339()
        .replace('+', "%2B");
    let (_, v) = env.get(Some(&a), &format!("/v1/audit?from={later}")).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 0, "{v}");
    // Only admins; bad input is a 400 with a reason.
    let (s, _) = env.get(Some(&d_token), "/v1/audit").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = env.get(Some(&a), "/v1/audit?limit=0").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let earlier = (Utc::now() - chrono::Duration::days(1))
        .to_rfc3339()
        .replace('+', "%2B");
    let (s, v) = env
        .get(Some(&a), &format!("/v1/audit?from={later}&to={earlier}"))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _) = env.get(Some(&a), "/v1/audit?actor=someone").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
