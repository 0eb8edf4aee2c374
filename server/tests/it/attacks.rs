//! Issue 10's findings, each tried again as the attacker tried it: a valid account of the demo
//! organization against a real server on loopback. Each test failed before its fix.

use crate::common::*;
use chrono::{Duration, Utc};
use domain::customers::Customer;
use domain::ids::{CustomerId, InteractionId, JobId, LeadId, OpId, UserId};
use domain::jobs::{Priority, ServiceType};
use domain::leads::{InteractionKind, Interest, LeadSource};
use domain::ops::{
    CustomerPatch, NewCustomer, NewInteraction, NewJob, NewLead, Op, OpError, OpKind, Record,
    RecordKey,
};
use domain::org::{Role, User};
use domain::sync::OpStatus;
use reqwest::StatusCode;
use serde_json::json;
use server::store::{AuditWhat, Store};

fn users(e: &Env) -> Vec<User> {
    e.records
        .iter()
        .filter_map(|r| match r {
            Record::User(u) => Some(u.clone()),
            _ => None,
        })
        .collect()
}

/// A rep of the dispatcher's first store, another rep of it, and a customer of each.
struct Store1 {
    rep: User,
    victim: User,
    victims_customer: Customer,
}

fn store1(e: &Env) -> Store1 {
    let home = e.user("dispatch1").stores[0];
    let reps: Vec<User> = users(e)
        .into_iter()
        .filter(|u| u.roles == vec![Role::Sales] && u.in_store(home))
        .collect();
    let (rep, victim) = (reps[0].clone(), reps[1].clone());
    let victims_customer = e
        .customers()
        .find(|c| {
            c.owner == Some(victim.id) && !c.phones.is_empty() && !c.address.detail.is_empty()
        })
        .unwrap()
        .clone();
    Store1 {
        rep,
        victim,
        victims_customer,
    }
}

fn status(r: &domain::sync::SyncResponse, i: usize) -> &OpStatus {
    &r.results[i].status
}

fn refused_with(r: &domain::sync::SyncResponse, i: usize, words: &str) -> bool {
    matches!(status(r, i), OpStatus::Rejected { message, .. } if message.contains(words))
}

/// Refused by a write rule, with the rule's words for the person.
fn forbidden(r: &domain::sync::SyncResponse, i: usize) -> bool {
    matches!(status(r, i), OpStatus::Rejected { error: OpError::Forbidden(_), message }
        if !message.is_empty())
}

fn applied(r: &domain::sync::SyncResponse, i: usize) -> bool {
    matches!(status(r, i), OpStatus::Applied { .. })
}

fn customer_now(e: &Env, id: CustomerId) -> Customer {
    match e.store.get(RecordKey::Customer(id)).unwrap() {
        Some(Record::Customer(c)) => c,
        other => panic!("{other:?}"),
    }
}

fn empty_customer(actor: &User) -> (CustomerId, Op) {
    let id = CustomerId::new();
    let kind = OpKind::CreateCustomer(NewCustomer {
        id,
        store: actor.stores[0],
        name: "Shell company".into(),
        phones: vec![],
        address: Default::default(),
        kind: domain::customers::CustomerKind::Individual,
        tags: vec![],
        tier: domain::customers::Tier::Standard,
        marketing_consent: false,
        birthday: None,
        owner: actor.roles.contains(&Role::Sales).then_some(actor.id),
    });
    (id, op(actor.id, kind))
}

/// Finding 1: a rep made themselves the owner of a colleague's customer and read it unmasked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_cannot_take_a_colleagues_customer_by_changing_its_owner() {
    let e = env().await;
    let s = store1(&e);
    let rep = e.token(&s.rep.login).await;
    let c = s.victims_customer.id;
    let takeover = op(
        s.rep.id,
        OpKind::UpdateCustomer {
            customer: c,
            patch: CustomerPatch {
                owner: Some(Some(s.rep.id)),
                ..Default::default()
            },
            seen: Vec::new(),
        },
    );
    let tier = op(
        s.rep.id,
        OpKind::UpdateCustomer {
            customer: c,
            patch: CustomerPatch {
                tier: Some(domain::customers::Tier::Diamond),
                ..Default::default()
            },
            seen: Vec::new(),
        },
    );
    // A guessed phone number is refused the same way whether it is right or wrong.
    let right = op(
        s.rep.id,
        OpKind::UpdateCustomer {
            customer: c,
            patch: CustomerPatch {
                phones: Some(vec![s.victims_customer.phones[0].raw.clone()]),
                ..Default::default()
            },
            seen: Vec::new(),
        },
    );
    let r = e.sync(&rep, "rep-phone", 0, &[takeover, tier, right]).await;
    assert!(forbidden(&r, 0), "{:?}", r.results);
    assert!(forbidden(&r, 1), "{:?}", r.results);
    assert!(forbidden(&r, 2), "{:?}", r.results);
    let mut now = customer_now(&e, c);
    // Stored coordinates come back within a rounding of the last digit.
    now.address.location = s.victims_customer.address.location;
    assert_eq!(now, s.victims_customer, "nothing changed");

    // The store's dispatcher may hand the customer over, and the audit says what changed.
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let handover = op(
        dispatcher.id,
        OpKind::UpdateCustomer {
            customer: c,
            patch: CustomerPatch {
                owner: Some(Some(s.rep.id)),
                ..Default::default()
            },
            seen: Vec::new(),
        },
    );
    let r = e
        .sync(&disp, "console", 0, std::slice::from_ref(&handover))
        .await;
    assert!(applied(&r, 0), "{:?}", r.results);
    let log = e.store.audit_log(dispatcher.org, 0, 100_000).unwrap();
    let entry = log
        .iter()
        .find(|a| matches!(&a.what, AuditWhat::Op { op, .. } if *op == handover.id))
        .unwrap();
    let AuditWhat::Op { changes, .. } = &entry.what else {
        unreachable!()
    };
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["owner", "previous_owners"], "{changes:?}");
    assert_eq!(changes[0].before, json!(s.victim.id));
    assert_eq!(changes[0].after, json!(s.rep.id));
    assert_eq!(changes[1].after, json!([s.victim.id]));
}

/// Finding 2: a rep merged a colleague's masked customer into an empty one of their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_cannot_merge_a_masked_customer_into_their_own() {
    let e = env().await;
    let s = store1(&e);
    let rep = e.token(&s.rep.login).await;
    let (shell, create) = empty_customer(&s.rep);
    let merge = op(
        s.rep.id,
        OpKind::MergeCustomers {
            keep: shell,
            remove: s.victims_customer.id,
        },
    );
    let r = e.sync(&rep, "rep-phone", 0, &[create, merge]).await;
    assert!(applied(&r, 0), "{:?}", r.results);
    assert!(forbidden(&r, 1), "{:?}", r.results);
    assert!(customer_now(&e, shell).phones.is_empty());
    assert_eq!(customer_now(&e, s.victims_customer.id).merged_into, None);
    let jobs_moved = e
        .jobs()
        .filter(|j| j.customer == s.victims_customer.id)
        .filter(|j| match e.store.get(RecordKey::Job(j.id)).unwrap() {
            Some(Record::Job(now)) => now.customer != j.customer,
            _ => true,
        })
        .count();
    assert_eq!(jobs_moved, 0);
}

/// Finding 4: a merge wrote its note under the op's id, over whatever record had that id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merge_never_overwrites_a_record_named_by_its_op_id() {
    let e = env().await;
    let s = store1(&e);
    let victim = e.token(&s.victim.login).await;
    let visit = InteractionId::new();
    let logged = op(
        s.victim.id,
        OpKind::LogInteraction(NewInteraction {
            id: visit,
            kind: InteractionKind::Visit,
            outcome: "Tuned the Pearl River upright".into(),
            customer: Some(s.victims_customer.id),
            lead: None,
            job: None,
        }),
    );
    let r = e.sync(&victim, "victim-phone", 0, &[logged]).await;
    assert!(applied(&r, 0), "{:?}", r.results);
    let before = e.store.get(RecordKey::Interaction(visit)).unwrap();

    // The dispatcher may merge; even their op, with the visit's id, leaves the visit alone.
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let (a, create_a) = empty_customer(&dispatcher);
    let (b, create_b) = empty_customer(&dispatcher);
    let mut merge = op(dispatcher.id, OpKind::MergeCustomers { keep: a, remove: b });
    merge.id = OpId(visit.0);
    let r = e
        .sync(&disp, "console", 0, &[create_a, create_b, merge])
        .await;
    assert!((0..3).all(|i| applied(&r, i)), "{:?}", r.results);
    assert_eq!(e.store.get(RecordKey::Interaction(visit)).unwrap(), before);
}

/// Finding 7: a reused op id was answered "applied" with the first op's outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_op_id_is_refused_for_anything_but_a_replay() {
    let e = env().await;
    let s = store1(&e);
    let rep = e.token(&s.rep.login).await;
    let victim = e.token(&s.victim.login).await;
    let (_, first) = empty_customer(&s.victim);
    let r = e
        .sync(&victim, "victim-phone", 0, std::slice::from_ref(&first))
        .await;
    assert!(applied(&r, 0));

    // The same op again: the first outcome. Anything else under its id: refused, and the
    // first outcome (with its record ids) is not disclosed.
    let r = e
        .sync(&victim, "victim-phone", 0, std::slice::from_ref(&first))
        .await;
    assert!(applied(&r, 0), "a replay: {:?}", r.results);
    let (_, mut other) = empty_customer(&s.victim);
    other.id = first.id;
    let (_, mut stolen) = empty_customer(&s.rep);
    stolen.id = first.id;
    let r = e.sync(&victim, "victim-phone", 0, &[other.clone()]).await;
    assert!(
        refused_with(&r, 0, "already used for another change"),
        "{:?}",
        r.results
    );
    let r = e.sync(&rep, "rep-phone", 0, &[stolen]).await;
    assert!(
        refused_with(&r, 0, "already used for another change"),
        "{:?}",
        r.results
    );
    let OpStatus::Rejected { message, .. } = status(&r, 0) else {
        unreachable!()
    };
    assert!(!message.contains("Customer"), "{message}");

    // Two ops with one id in one batch: the first is applied, the second refused.
    let (_, one) = empty_customer(&s.rep);
    let (_, mut two) = empty_customer(&s.rep);
    two.id = one.id;
    let r = e.sync(&rep, "rep-phone", 0, &[one.clone(), two]).await;
    assert!(applied(&r, 0));
    assert!(
        refused_with(&r, 1, "already used for another change"),
        "{:?}",
        r.results
    );

    let log = e.store.audit_log(s.rep.org, 0, 100_000).unwrap();
    let refusals = log
        .iter()
        .filter(|a| {
            matches!(&a.what, AuditWhat::Op { op, applied: false, detail, .. }
                if (*op == first.id || *op == one.id) && detail.contains("already used for another change"))
        })
        .count();
    assert_eq!(refusals, 3, "every refusal is on record");
}

/// Finding 8: interactions filed on other stores' customers; another tenant's ids told apart
/// from unknown ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_op_reaches_another_store_or_tells_another_tenants_ids_apart() {
    let e = env().await;
    let s = store1(&e);
    let rep = e.token(&s.rep.login).await;
    let far = e
        .customers()
        .find(|c| !s.rep.in_store(c.store))
        .unwrap()
        .clone();
    // Through the rep's own lead, naming a customer of another store.
    let lead = LeadId::new();
    let new_lead = op(
        s.rep.id,
        OpKind::CreateLead(NewLead {
            id: lead,
            store: s.rep.stores[0],
            customer: None,
            name: "Walk-in".into(),
            phone: Some("13900001111".into()),
            source: LeadSource::WalkIn,
            interest: Interest {
                category: "piano".into(),
                model: None,
                budget: None,
            },
            owner: None,
            expected_value: 0,
            next_follow_up_at: None,
        }),
    );
    let note = op(
        s.rep.id,
        OpKind::LogInteraction(NewInteraction {
            id: InteractionId::new(),
            kind: InteractionKind::Call,
            outcome: "called".into(),
            customer: Some(far.id),
            lead: Some(lead),
            job: None,
        }),
    );
    let r = e.sync(&rep, "rep-phone", 0, &[new_lead, note]).await;
    assert!(applied(&r, 0), "{:?}", r.results);
    assert!(refused_with(&r, 1, "another store"), "{:?}", r.results);

    // Another organization's customer and asset, next to ids nobody has.
    let other = demo::generate_at(
        99,
        Utc::now(),
        &demo::DemoSize {
            technicians_per_store: 1,
            reps_per_store: 1,
            customers: 5,
            open_jobs: 0,
            past_jobs: 0,
            leads: 0,
        },
    );
    let foreign: Vec<Record> = other
        .records
        .into_iter()
        .filter(|r| !matches!(r, Record::User(_)))
        .collect();
    let foreign_customer = foreign
        .iter()
        .find_map(|r| match r {
            Record::Customer(c) => Some(c.id),
            _ => None,
        })
        .unwrap();
    let foreign_asset = foreign
        .iter()
        .find_map(|r| match r {
            Record::Asset(a) => Some(a.id),
            _ => None,
        })
        .unwrap();
    e.store.import(foreign).await.unwrap();
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let own_customer = e
        .customers()
        .find(|c| dispatcher.in_store(c.store))
        .unwrap()
        .id;
    let job_with_asset = |asset| {
        op(
            dispatcher.id,
            OpKind::CreateJob(NewJob {
                id: JobId::new(),
                customer: own_customer,
                asset: Some(asset),
                service_address: None,
                service_type: ServiceType::Repair,
                description: "check".into(),
                required_skills: vec![],
                estimated_minutes: 60,
                priority: Priority::Normal,
                windows: vec![],
                crew_size: 1,
            }),
        )
    };
    let (c1, mut taken) = empty_customer(&dispatcher);
    let _ = c1;
    if let OpKind::CreateCustomer(n) = &mut taken.kind {
        n.id = foreign_customer;
    }
    let (_, mut nobodys) = empty_customer(&dispatcher);
    let used_here = s.victims_customer.id;
    if let OpKind::CreateCustomer(n) = &mut nobodys.kind {
        n.id = used_here;
    }
    let r = e
        .sync(
            &disp,
            "console",
            0,
            &[
                job_with_asset(foreign_asset),
                job_with_asset(domain::ids::AssetId::new()),
                taken,
                nobodys,
            ],
        )
        .await;
    let words = |i| match status(&r, i) {
        OpStatus::Rejected { message, .. } => message.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        words(0),
        words(1),
        "a foreign asset reads as an unknown one"
    );
    assert!(words(0).contains("not found"), "{}", words(0));
    assert_eq!(
        words(2),
        words(3),
        "a foreign id reads as one taken at home"
    );
    assert!(
        !words(2).contains("unavailable"),
        "never 'retry': {}",
        words(2)
    );
}

/// Finding 8: a technician's finished job is masked, including where each step was recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_masked_job_does_not_keep_the_door_in_its_history() {
    let e = env().await;
    let job = e
        .jobs()
        .find(|j| {
            !j.is_open() && j.technician.is_some() && j.history.iter().any(|h| h.location.is_some())
        })
        .unwrap()
        .clone();
    let tech = e.token(e.login_of(job.technician.unwrap())).await;
    let mut cursor = 0;
    let mut seen = None;
    loop {
        let r = e.sync(&tech, "tech-phone", cursor, &[]).await;
        for c in r.changes {
            if let domain::sync::Change::Put { record } = c
                && let Record::Job(j) = *record
                && j.id == job.id
            {
                seen = Some(j);
            }
        }
        cursor = r.cursor;
        if !r.more {
            break;
        }
    }
    let seen = seen.expect("the technician still sees their finished job");
    assert_eq!(seen.service_address.detail, "***");
    for (h, original) in seen.history.iter().zip(&job.history) {
        if let (Some(p), Some(o)) = (h.location, original.location) {
            assert!(
                (p.lat * 100.0 - (p.lat * 100.0).round()).abs() < 1e-6,
                "{p:?}"
            );
            assert!((p.lat - o.lat).abs() < 0.006 && p != o, "{p:?} vs {o:?}");
        }
    }
}

/// Finding 9: ops in another user's name were refused without a trace.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ops_in_another_users_name_are_refused_and_audited() {
    let e = env().await;
    let s = store1(&e);
    let rep = e.token(&s.rep.login).await;
    let (_, forged) = empty_customer(&s.victim);
    let r = e
        .sync(&rep, "rep-phone", 0, std::slice::from_ref(&forged))
        .await;
    assert!(forbidden(&r, 0), "{:?}", r.results);
    let log = e.store.audit_log(s.rep.org, 0, 100_000).unwrap();
    assert!(log.iter().any(|a| a.actor == s.rep.id
        && matches!(&a.what, AuditWhat::Op { op, applied: false, detail, .. }
            if *op == forged.id && detail.contains(&s.victim.id.to_string()))));
}

/// An op's time may not be ahead of the server's clock; it may be far behind (offline weeks).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn op_times_from_the_future_are_refused_but_old_ones_are_not() {
    let e = env().await;
    let s = store1(&e);
    let rep = e.token(&s.rep.login).await;
    let (_, mut ahead) = empty_customer(&s.rep);
    ahead.at = Utc::now() + Duration::minutes(30);
    let (_, mut late) = empty_customer(&s.rep);
    late.at = Utc::now() - Duration::days(40);
    let r = e.sync(&rep, "rep-phone", 0, &[ahead, late]).await;
    assert!(refused_with(&r, 0, "clock is ahead"), "{:?}", r.results);
    assert!(applied(&r, 1), "{:?}", r.results);
    let now = Utc::now();
    let told = r.server_time.expect("the server says its time");
    assert!((now - told).num_seconds().abs() < 60);
}

/// Finding 6 and the lost phone: deactivation is an op with write rules and ends sessions at
/// once; a device signed out remotely sends its queue, then is told to wipe itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_and_remote_sign_out_end_access() {
    let e = env().await;
    let s = store1(&e);
    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let admin = e.user("admin");
    let rep = e.token(&s.rep.login).await;
    let tech = users(&e)
        .into_iter()
        .find(|u| u.roles == vec![Role::Technician] && u.in_store(dispatcher.stores[0]))
        .unwrap();
    let tech_token = e.token(&tech.login).await;
    let deactivate = |actor: UserId, user: UserId| {
        op(
            actor,
            OpKind::SetUserActive {
                user,
                active: false,
            },
        )
    };
    // Not a rep, and not a dispatcher for an admin.
    let r = e
        .sync(&rep, "rep-phone", 0, &[deactivate(s.rep.id, tech.id)])
        .await;
    assert!(forbidden(&r, 0), "{:?}", r.results);
    let r = e
        .sync(&disp, "console", 0, &[deactivate(dispatcher.id, admin.id)])
        .await;
    assert!(forbidden(&r, 0), "{:?}", r.results);
    let (s_before, _) = e.get(Some(&tech_token), "/v1/jobs").await;
    assert_eq!(s_before, StatusCode::OK);
    let r = e
        .sync(&disp, "console", 0, &[deactivate(dispatcher.id, tech.id)])
        .await;
    assert!(applied(&r, 0), "{:?}", r.results);
    let (s_after, _) = e.get(Some(&tech_token), "/v1/jobs").await;
    assert_eq!(
        s_after,
        StatusCode::UNAUTHORIZED,
        "the session ends at once"
    );
    // Reactivated, the person signs in afresh; the old session stays ended.
    let reactivate = op(
        dispatcher.id,
        OpKind::SetUserActive {
            user: tech.id,
            active: true,
        },
    );
    let r = e.sync(&disp, "console", 0, &[reactivate]).await;
    assert!(applied(&r, 0), "{:?}", r.results);
    let (s_old, _) = e.get(Some(&tech_token), "/v1/jobs").await;
    assert_eq!(s_old, StatusCode::UNAUTHORIZED, "no old session comes back");
    let fresh = e.token(&tech.login).await;
    let (s_new, _) = e.get(Some(&fresh), "/v1/jobs").await;
    assert_eq!(s_new, StatusCode::OK);

    // The rep's phone is lost with a change still queued.
    let (queued_id, queued) = empty_customer(&s.rep);
    let (st, v) = e
        .post(
            Some(&rep),
            "/v1/devices/sign-out",
            json!({"user": s.victim.id, "device_id": "victim-phone"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = e
        .post(
            Some(&disp),
            "/v1/devices/sign-out",
            json!({"user": UserId::new(), "device_id": "x"}),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    let (st, v) = e
        .post(
            Some(&disp),
            "/v1/devices/sign-out",
            json!({"user": s.rep.id, "device_id": "lost-phone"}),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{v}");
    let r = e.sync(&rep, "lost-phone", 0, &[queued]).await;
    assert!(r.wipe, "told to wipe");
    assert!(applied(&r, 0), "what it had queued still counts");
    assert!(r.changes.is_empty(), "and nothing more goes to it");
    assert_eq!(customer_now(&e, queued_id).owner, Some(s.rep.id));
    // A session opened on a device ends with it everywhere: its token reads nothing, its
    // refresh token is refused, and naming another device in the body does not help.
    let (st, v) = e
        .post(
            None,
            "/v1/auth/login",
            json!({"login": s.rep.login, "password": "rounds-demo", "device_id": "stolen-phone"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let stolen = v["access_token"].as_str().unwrap().to_owned();
    let stolen_refresh = v["refresh_token"].as_str().unwrap().to_owned();
    let (st, _) = e.get(Some(&stolen), "/v1/jobs").await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = e
        .post(
            Some(&disp),
            "/v1/devices/sign-out",
            json!({"user": s.rep.id, "device_id": "stolen-phone"}),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{v}");
    let (st, _) = e.get(Some(&stolen), "/v1/jobs").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = e
        .post(
            None,
            "/v1/auth/refresh",
            json!({"refresh_token": stolen_refresh}),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let r = e.sync(&stolen, "innocent-looking-id", 0, &[]).await;
    assert!(r.wipe && r.changes.is_empty());
    // The rep's other device works on.
    let r = e.sync(&rep, "new-phone", 0, &[]).await;
    assert!(!r.wipe && !r.changes.is_empty());
    let log = e.store.audit_log(s.rep.org, 0, 100_000).unwrap();
    assert!(log.iter().any(|a| matches!(&a.what,
        AuditWhat::DeviceSignOut { device_id, wiped: true, .. } if device_id == "lost-phone")));
}

/// A customer handed from one rep to another takes its jobs along: the previous owner's
/// device drops them (they carry the service address unmasked), the new owner's gets them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handed_over_customer_takes_its_jobs_from_the_old_owners_device() {
    let e = env().await;
    let s = store1(&e);
    let (customer, jobs): (Customer, Vec<JobId>) = e
        .customers()
        .filter(|c| c.owner == Some(s.victim.id))
        .map(|c| {
            let jobs = e
                .jobs()
                .filter(|j| j.customer == c.id)
                .map(|j| j.id)
                .collect();
            (c.clone(), jobs)
        })
        .find(|(_, jobs): &(Customer, Vec<JobId>)| !jobs.is_empty())
        .expect("a customer of the victim with jobs");
    let victim = e.token(&s.victim.login).await;
    let rep = e.token(&s.rep.login).await;
    let victim_cursor = e.catch_up(&victim).await;
    let rep_cursor = e.catch_up(&rep).await;

    let dispatcher = e.user("dispatch1");
    let disp = e.token("dispatch1").await;
    let handover = op(
        dispatcher.id,
        OpKind::UpdateCustomer {
            customer: customer.id,
            patch: CustomerPatch {
                owner: Some(Some(s.rep.id)),
                ..Default::default()
            },
            seen: Vec::new(),
        },
    );
    let r = e.sync(&disp, "console", 0, &[handover]).await;
    assert!(applied(&r, 0), "{:?}", r.results);

    let r = e.sync(&victim, "victim-phone", victim_cursor, &[]).await;
    for job in &jobs {
        assert!(
            r.changes.iter().any(|c| matches!(c,
                domain::sync::Change::Gone { key } if *key == RecordKey::Job(*job))),
            "the old owner's device drops {job:?}: {:?}",
            r.changes
        );
    }
    let r = e.sync(&rep, "rep-phone", rep_cursor, &[]).await;
    for job in &jobs {
        assert!(
            r.changes.iter().any(|c| matches!(c,
                domain::sync::Change::Put { record } if record.key() == RecordKey::Job(*job))),
            "the new owner's device gets {job:?}"
        );
    }
}

/// A rep sees the store's other reps (to hand follow-ups to), but only their names: not their
/// phone numbers, not their sign-in names, and nobody else of the staff.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_sees_colleagues_by_name_only() {
    let e = env().await;
    let s = store1(&e);
    let rep = e.token(&s.rep.login).await;
    let mut users = Vec::new();
    let mut cursor = 0;
    loop {
        let r = e.sync(&rep, "phone", cursor, &[]).await;
        for c in &r.changes {
            if let domain::sync::Change::Put { record } = c
                && let Record::User(u) = record.as_ref()
            {
                users.push(u.clone());
            }
        }
        cursor = r.cursor;
        if !r.more {
            break;
        }
    }
    let colleagues: Vec<_> = users.iter().filter(|u| u.id != s.rep.id).collect();
    assert!(!colleagues.is_empty(), "the store's other reps");
    for u in &colleagues {
        assert!(
            u.roles.contains(&domain::org::Role::Sales),
            "only reps: {u:?}"
        );
        assert!(
            u.stores.iter().any(|st| s.rep.in_store(*st)),
            "of the rep's store: {u:?}"
        );
        assert_eq!(u.login, "", "no sign-in name");
        let real = e.user(e.login_of(u.id));
        if let Some(phone) = &real.phone {
            let shown = u.phone.as_deref().unwrap_or("");
            assert_ne!(shown, phone, "the phone is masked");
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            assert!(
                !shown.contains(&digits[digits.len().saturating_sub(8)..]),
                "{shown}"
            );
        }
    }
    let own = users
        .iter()
        .find(|u| u.id == s.rep.id)
        .expect("their own record");
    assert_eq!(own.login, s.rep.login, "their own record in full");
}
