//! Merging customers through `apply`: everything that pointed at the merged customer points at
//! the survivor, over the demo organization.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use demo::{DemoSize, generate_at};
use domain::followups::{FollowUpStatus, Reason, Subject};
use domain::ids::CustomerId;
use domain::ids::{OpId, UserId};
use domain::lookup::{Index, SearchContext};
use domain::ops::customers::MAX_PHONES;
use domain::ops::records::Link;
use domain::ops::{
    MemoryRecords, Op, OpError, OpKind, Query, Record, RecordKey, Records, apply,
    merge_note_id as note_id,
};
use domain::org::Role;

type Users = Vec<(UserId, Vec<Role>)>;

fn world(seed: u64) -> (MemoryRecords, Users, Vec<CustomerId>) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
    let size = DemoSize {
        technicians_per_store: 1,
        reps_per_store: 1,
        customers: 12,
        open_jobs: 10,
        past_jobs: 10,
        leads: 10,
    };
    let demo = generate_at(seed, now, &size);
    let mut records = MemoryRecords::new();
    for r in demo.records {
        records.insert(r);
    }
    let users = demo.logins.into_iter().map(|l| (l.user, l.roles)).collect();
    let customers = records.customers().map(|c| c.id).collect();
    (records, users, customers)
}

fn merge_op(actor: UserId, keep: CustomerId, remove: CustomerId) -> Op {
    Op {
        id: OpId::new(),
        actor,
        at: Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
        location: None,
        kind: OpKind::MergeCustomers { keep, remove },
    }
}

fn admin(users: &[(UserId, Vec<Role>)]) -> UserId {
    users
        .iter()
        .find(|(_, r)| r.contains(&Role::Admin))
        .unwrap()
        .0
}

/// Every reference to a customer outside its own record.
fn points_at(r: &Record, c: CustomerId) -> bool {
    match r {
        Record::Asset(a) => a.customer == c,
        Record::Job(j) => j.customer == c,
        Record::Lead(l) => l.customer == Some(c),
        Record::Interaction(i) => i.customer == Some(c),
        Record::FollowUp(f) => f.subject == Subject::Customer(c),
        Record::Customer(other) => other.id != c && other.merged_into == Some(c),
        _ => false,
    }
}

fn one_open_per_subject_and_reason(records: &MemoryRecords) -> bool {
    let mut open: Vec<(Subject, Reason)> = records
        .follow_ups()
        .filter(|f| f.is_open())
        .map(|f| (f.subject, f.reason.clone()))
        .collect();
    let n = open.len();
    open.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    open.dedup();
    open.len() == n
}

fn op_by(actor: UserId, kind: OpKind) -> Op {
    Op {
        kind,
        ..merge_op(actor, CustomerId::new(), CustomerId::new())
    }
}

/// Issue 5's merge edge cases: both customers had an open follow-up for the same reason,
/// and together more phones than a customer may have.
#[test]
fn a_merge_keeps_one_open_follow_up_per_reason_and_at_most_five_phones() {
    let (mut records, users, customers) = world(5);
    let admin = admin(&users);
    let (keep, remove) = (customers[0], customers[1]);
    let due = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
    let mut follow_ups = Vec::new();
    for (c, digits) in [(keep, "1380000100"), (remove, "1390000200")] {
        let phones = (0..4).map(|i| format!("{digits}{i}")).collect();
        let patch = domain::ops::CustomerPatch {
            phones: Some(phones),
            ..Default::default()
        };
        apply(
            &mut records,
            &op_by(
                admin,
                OpKind::UpdateCustomer {
                    customer: c,
                    patch,
                    seen: Vec::new(),
                },
            ),
        )
        .unwrap();
        let id = domain::ids::FollowUpId::new();
        follow_ups.push(id);
        let new = domain::ops::NewFollowUp {
            id,
            subject: Subject::Customer(c),
            due_at: due,
            reason: Reason::Manual,
            owner: None,
            note: "call back".into(),
            why: None,
        };
        apply(&mut records, &op_by(admin, OpKind::CreateFollowUp(new))).unwrap();
    }
    assert!(one_open_per_subject_and_reason(&records));

    // Whatever else the demo's rules left open on both (a churn call, say) is closed too.
    let open_reasons = |c| -> Vec<Reason> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::FollowUp(f) if f.subject == Subject::Customer(c) && f.is_open() => {
                    Some(f.reason.clone())
                }
                _ => None,
            })
            .collect()
    };
    let on_keep = open_reasons(keep);
    let covered = open_reasons(remove)
        .iter()
        .filter(|r| on_keep.contains(r))
        .count();
    assert!(covered >= 1);

    let merge = merge_op(admin, keep, remove);
    apply(&mut records, &merge).unwrap();

    assert!(one_open_per_subject_and_reason(&records));
    let f = |id| match records.record(&RecordKey::FollowUp(id)) {
        Some(Record::FollowUp(f)) => f.clone(),
        _ => panic!("follow-up kept"),
    };
    let (kept_f, moved_f) = (f(follow_ups[0]), f(follow_ups[1]));
    assert!(kept_f.is_open());
    assert_eq!(
        moved_f.subject,
        Subject::Customer(keep),
        "moved, with its history"
    );
    assert_eq!(moved_f.status, FollowUpStatus::Done { at: merge.at });
    assert!(
        moved_f.note.starts_with("call back\n") && moved_f.note.contains(&kept_f.id.to_string()),
        "{}",
        moved_f.note
    );

    let Some(Record::Customer(k)) = records.record(&RecordKey::Customer(keep)) else {
        panic!("kept");
    };
    assert_eq!(k.phones.len(), MAX_PHONES);
    assert!(
        k.phones[..4]
            .iter()
            .all(|p| p.raw.starts_with("1380000100")),
        "the kept customer's phones come first"
    );
    let note = records
        .iter()
        .find_map(|r| match r {
            Record::Interaction(i) if i.id == note_id(&merge) => Some(i.outcome.clone()),
            _ => None,
        })
        .unwrap();
    assert!(
        note.contains("13900002001") && note.contains(&format!("{covered} follow-up(s) closed")),
        "{note}"
    );
    assert!(!note.contains("13900002000"), "kept, so not listed: {note}");
}

#[test]
fn only_office_staff_may_merge_and_not_twice() {
    let (mut records, users, customers) = world(3);
    let tech = users
        .iter()
        .find(|(_, r)| r == &vec![Role::Technician])
        .unwrap()
        .0;
    let (a, b) = (customers[0], customers[1]);
    let err = apply(&mut records, &merge_op(tech, a, b)).unwrap_err();
    assert!(matches!(err, OpError::Forbidden(_)), "{err}");
    let err = apply(&mut records, &merge_op(admin(&users), a, a)).unwrap_err();
    assert!(matches!(err, OpError::Invalid { .. }), "{err}");
    apply(&mut records, &merge_op(admin(&users), a, b)).unwrap();
    let err = apply(&mut records, &merge_op(admin(&users), a, b)).unwrap_err();
    assert!(matches!(err, OpError::Conflict(_)), "{err}");
    let err = apply(&mut records, &merge_op(admin(&users), b, customers[2])).unwrap_err();
    assert!(matches!(err, OpError::Conflict(_)), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn after_a_merge_nothing_points_at_the_removed_customer(
        seed in 0u64..1000,
        pick in any::<(prop::sample::Index, prop::sample::Index)>(),
    ) {
        let (mut records, users, customers) = world(seed);
        let keep = customers[pick.0.index(customers.len())];
        let remove = customers[pick.1.index(customers.len())];
        prop_assume!(keep != remove);
        let before: Vec<Record> = records.iter().cloned().collect();
        let linked_before = before.iter().filter(|r| points_at(r, remove)).count();
        let mut index = Index::build(records.iter());

        let applied = apply(&mut records, &merge_op(admin(&users), keep, remove)).unwrap();

        prop_assert!(records.iter().all(|r| !points_at(r, remove)));
        prop_assert!(records.find(Query::LinkedTo(Link::Customer(remove))).unwrap().is_empty());
        let kept: Vec<&Record> = records.iter().filter(|r| points_at(r, keep)).collect();
        // Everything moved, plus the note about the merge and the merged record itself.
        let kept_before = before.iter().filter(|r| points_at(r, keep)).count();
        prop_assert_eq!(kept.len(), kept_before + linked_before + 2);
        let Some(Record::Customer(gone)) = records.record(&RecordKey::Customer(remove)) else {
            panic!("the removed record stays");
        };
        prop_assert_eq!(gone.merged_into, Some(keep));
        let Some(Record::Customer(k)) = records.record(&RecordKey::Customer(keep)) else {
            panic!("kept");
        };
        prop_assert!(k.phones.len() <= MAX_PHONES);
        for p in &gone.phones {
            prop_assert!(k.phones.iter().any(|q| q.digits() == p.digits()) || k.phones.len() == MAX_PHONES);
        }
        prop_assert!(one_open_per_subject_and_reason(&records));

        // The index, updated from what the op changed, answers like a fresh one.
        index.refresh(&records, &applied.changed);
        let fresh = Index::build(records.iter());
        let ctx = SearchContext { now: Utc::now(), location: None };
        for q in [gone.name.as_str(), k.name.as_str(), &gone.number(), &k.phones[0].raw] {
            prop_assert_eq!(index.search(q, &ctx, 20), fresh.search(q, &ctx, 20));
            prop_assert!(index.search(q, &ctx, 20).iter().all(|h| h.customer != remove));
        }
    }
}
