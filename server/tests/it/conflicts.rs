//! Issue 12, item 4: two people change the same customer's phone and street, one of them
//! offline; the older offline edit reaches the server last. The newer edit stays, both values
//! are kept in a conflict that reaches both authors and the store's dispatcher (no one else,
//! and masked for an author who no longer sees the customer unmasked), and one op settles it.

use crate::common::*;
use chrono::{Duration, Utc};
use domain::conflicts::{Choice, Conflict, FieldValue};
use domain::customers::Customer;
use domain::ops::customers::CustomerField;
use domain::ops::{CustomerPatch, Op, OpKind, Record, RecordKey};
use domain::org::{Role, User};
use domain::sync::{Change, OpStatus};
use server::store::Store;

fn customer_now(e: &Env, c: &Customer) -> Customer {
    match e.store.get(RecordKey::Customer(c.id)).unwrap() {
        Some(Record::Customer(c)) => c,
        other => panic!("{other:?}"),
    }
}

/// What the customer form sends: name, phones and address, with what its author saw.
fn form_edit(actor: &User, saw: &Customer, phone: &str, street: &str, ago: i64) -> Op {
    let mut address = saw.address.clone();
    address.street = street.into();
    let seen = [
        CustomerField::Name,
        CustomerField::Phones,
        CustomerField::Address,
    ]
    .into_iter()
    .map(|f| FieldValue::of(saw, f))
    .collect();
    Op {
        at: Utc::now() - Duration::minutes(ago),
        ..op(
            actor.id,
            OpKind::UpdateCustomer {
                customer: saw.id,
                patch: CustomerPatch {
                    name: Some(saw.name.clone()),
                    phones: Some(vec![phone.into()]),
                    address: Some(address),
                    ..CustomerPatch::default()
                },
                seen,
            },
        )
    }
}

/// Every conflict a person's device receives on a sync from scratch.
async fn conflicts_seen_by(e: &Env, login: &str) -> Vec<Conflict> {
    let token = e.token(login).await;
    let mut cursor = 0;
    let mut out = Vec::new();
    loop {
        let r = e.sync(&token, "phone", cursor, &[]).await;
        for c in r.changes {
            if let Change::Put { record } = c
                && let Record::Conflict(x) = *record
            {
                out.retain(|y: &Conflict| y.id != x.id);
                out.push(x);
            }
        }
        cursor = r.cursor;
        if !r.more {
            return out;
        }
    }
}

fn phones_of(v: &FieldValue) -> Vec<String> {
    match v {
        FieldValue::Phones(p) => p.iter().map(|p| p.raw.clone()).collect(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_offline_edit_arriving_last_is_kept_as_a_conflict_not_applied_over_the_newer() {
    let e = env().await;
    let dispatcher = e.user("dispatch1");
    let home = dispatcher.stores[0];
    let reps: Vec<User> = e
        .records
        .iter()
        .filter_map(|r| match r {
            Record::User(u) if u.roles == vec![Role::Sales] && u.in_store(home) => Some(u.clone()),
            _ => None,
        })
        .collect();
    let (author, bystander) = (reps[0].clone(), reps[1].clone());
    let before = e
        .customers()
        .find(|c| c.owner == Some(author.id) && !c.address.detail.is_empty())
        .unwrap()
        .clone();
    let before = customer_now(&e, &before);

    // The rep edits offline twenty minutes ago; the dispatcher edits online five minutes ago.
    let offline = form_edit(&author, &before, "13811112222", "Rep Road", 20);
    let online = form_edit(&dispatcher, &before, "13933334444", "Dispatch Road", 5);
    let disp = e.token("dispatch1").await;
    let rep = e.token(e.login_of(author.id)).await;
    let r = e
        .sync(&disp, "office", 0, std::slice::from_ref(&online))
        .await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{:?}",
        r.results
    );
    // The rep's phone comes back online: its edit arrives last.
    let r = e
        .sync(&rep, "rep-phone", 0, std::slice::from_ref(&offline))
        .await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{:?}",
        r.results
    );

    let now = customer_now(&e, &before);
    assert_eq!(now.phones[0].raw, "13933334444", "the newer phone stays");
    assert_eq!(
        now.address.street, "Dispatch Road",
        "the newer street stays"
    );

    // Both authors and the store's dispatcher see both values, who and when.
    for login in ["dispatch1", e.login_of(author.id)] {
        let mut found = conflicts_seen_by(&e, login).await;
        found.sort_by_key(|c| c.field);
        assert_eq!(
            found.iter().map(|c| c.field).collect::<Vec<_>>(),
            [CustomerField::Phones, CustomerField::Address],
            "{login}"
        );
        let phones = &found[0];
        assert_eq!(phones.record, RecordKey::Customer(before.id));
        assert_eq!((phones.kept.by, phones.kept.at), (dispatcher.id, online.at));
        assert_eq!(
            (phones.set_aside.by, phones.set_aside.at),
            (author.id, offline.at)
        );
        assert_eq!(phones_of(&phones.kept.value), ["13933334444"], "{login}");
        assert_eq!(
            phones_of(&phones.set_aside.value),
            ["13811112222"],
            "{login}"
        );
    }
    // Another rep of the same store, and a technician, see nothing of it.
    assert!(
        conflicts_seen_by(&e, e.login_of(bystander.id))
            .await
            .is_empty()
    );
    let tech = e
        .records
        .iter()
        .find_map(|r| match r {
            Record::User(u) if u.roles == vec![Role::Technician] && u.in_store(home) => {
                Some(u.clone())
            }
            _ => None,
        })
        .unwrap();
    assert!(conflicts_seen_by(&e, e.login_of(tech.id)).await.is_empty());

    // The bystander cannot settle it either, whatever they send.
    let phones = conflicts_seen_by(&e, "dispatch1")
        .await
        .into_iter()
        .find(|c| c.field == CustomerField::Phones)
        .unwrap();
    let nosy = op(
        bystander.id,
        OpKind::ResolveConflict {
            conflict: phones.id,
            choice: Choice::SetAside,
        },
    );
    let nosy_token = e.token(e.login_of(bystander.id)).await;
    let r = e.sync(&nosy_token, "nosy", 0, &[nosy]).await;
    assert!(
        matches!(r.results[0].status, OpStatus::Rejected { .. }),
        "{:?}",
        r.results
    );

    // One tap: the rep keeps theirs (the value set aside), as an op.
    let keep_mine = op(
        author.id,
        OpKind::ResolveConflict {
            conflict: phones.id,
            choice: Choice::SetAside,
        },
    );
    let r = e.sync(&rep, "rep-phone", 0, &[keep_mine]).await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{:?}",
        r.results
    );
    assert_eq!(customer_now(&e, &before).phones[0].raw, "13811112222");
    let settled = conflicts_seen_by(&e, "dispatch1")
        .await
        .into_iter()
        .find(|c| c.id == phones.id)
        .unwrap();
    assert_eq!(settled.resolution.map(|r| r.by), Some(author.id));

    // The customer is handed to the other rep: the first rep, an author, still sees the
    // conflicts, but masked as they now see the customer.
    let handover = op(
        dispatcher.id,
        OpKind::UpdateCustomer {
            customer: before.id,
            patch: CustomerPatch {
                owner: Some(Some(bystander.id)),
                ..CustomerPatch::default()
            },
            seen: Vec::new(),
        },
    );
    let r = e.sync(&disp, "office", 0, &[handover]).await;
    assert!(
        matches!(r.results[0].status, OpStatus::Applied { .. }),
        "{:?}",
        r.results
    );
    let found = conflicts_seen_by(&e, e.login_of(author.id)).await;
    assert_eq!(found.len(), 2);
    for c in &found {
        for v in [&c.kept.value, &c.set_aside.value] {
            match v {
                FieldValue::Phones(p) => assert!(p.iter().all(|p| p.raw.contains("****")), "{p:?}"),
                FieldValue::Address(a) => assert_eq!(a.detail, "***"),
                other => panic!("{other:?}"),
            }
        }
    }
    // The new owner is no author: the conflicts stay with the people concerned.
    assert!(
        conflicts_seen_by(&e, e.login_of(bystander.id))
            .await
            .is_empty()
    );
}
