//! Erasing a customer's personal data on their request, through `apply`, over the demo
//! organization: nothing of it is left in any record, the business records stay, an open job
//! finishes under the pseudonym, and only an admin may ask.

use chrono::{Duration, TimeZone, Utc};

use demo::{DemoSize, generate_at};
use domain::ids::{CustomerId, OpId, UserId};
use domain::jobs::{Completion, JobStatus};
use domain::ops::{MemoryRecords, Op, OpError, OpKind, Record, RecordKey, apply};
use domain::org::Role;

fn world() -> (MemoryRecords, Vec<(UserId, Vec<Role>)>) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 1,
        customers: 30,
        open_jobs: 30,
        past_jobs: 30,
        leads: 20,
    };
    let demo = generate_at(3, now, &size);
    let mut records = MemoryRecords::new();
    for r in demo.records {
        records.insert(r);
    }
    let users = demo.logins.into_iter().map(|l| (l.user, l.roles)).collect();
    (records, users)
}

fn op(actor: UserId, minutes: i64, kind: OpKind) -> Op {
    Op {
        id: OpId::new(),
        actor,
        at: Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap() + Duration::minutes(minutes),
        location: None,
        kind,
    }
}

fn with_role(users: &[(UserId, Vec<Role>)], role: Role) -> UserId {
    users.iter().find(|(_, r)| r == &[role]).unwrap().0
}

/// Every record, as JSON, with what it is.
fn everything(records: &MemoryRecords) -> Vec<(RecordKey, String)> {
    records
        .iter()
        .map(|r| (r.key(), serde_json::to_string(r).unwrap()))
        .collect()
}

#[test]
fn an_erased_customer_leaves_no_personal_data_and_their_open_job_finishes_under_a_pseudonym() {
    let (mut records, users) = world();
    let admin = with_role(&users, Role::Admin);
    // A customer with an open, assigned job and closed ones.
    let job = records
        .iter()
        .find_map(|r| match r {
            Record::Job(j)
                if j.status == JobStatus::Assigned
                    && records.iter().any(
                        |o| matches!(o, Record::Job(k) if k.customer == j.customer && !k.is_open()),
                    ) =>
            {
                Some(j.clone())
            }
            _ => None,
        })
        .expect("a customer with an open job and a past one");
    let id: CustomerId = job.customer;
    let Some(Record::Customer(before)) = records.record(&RecordKey::Customer(id)).cloned() else {
        panic!("the customer");
    };
    // What must go: the name, each phone, the street and house number.
    let mut secrets: Vec<String> = vec![before.name.clone()];
    secrets.extend(before.phones.iter().map(|p| p.raw.clone()));
    secrets.extend(
        [&before.address.street, &before.address.detail]
            .into_iter()
            .filter(|s| s.chars().count() > 2)
            .cloned(),
    );
    let assets_and_purchases = |r: &MemoryRecords| {
        r.iter()
            .filter(|x| matches!(x, Record::Asset(a) if a.customer == id))
            .cloned()
            .collect::<Vec<_>>()
    };
    let kept_assets = assets_and_purchases(&records);

    // Only an admin may.
    let dispatcher = with_role(&users, Role::Dispatcher);
    assert!(matches!(
        apply(
            &mut records,
            &op(dispatcher, 0, OpKind::EraseCustomer { customer: id })
        ),
        Err(OpError::Forbidden(_))
    ));
    apply(
        &mut records,
        &op(admin, 1, OpKind::EraseCustomer { customer: id }),
    )
    .unwrap();

    let Some(Record::Customer(after)) = records.record(&RecordKey::Customer(id)).cloned() else {
        panic!("the customer stays, as a pseudonym");
    };
    assert_eq!(after.name, before.number());
    assert!(after.phones.is_empty() && after.birthday.is_none() && after.tags.is_empty());
    assert_eq!(after.address.district, before.address.district);
    assert!(after.address.street.is_empty() && after.address.location.is_none());
    assert!(after.erased.is_some() && !after.marketing_consent);
    assert_eq!(
        assets_and_purchases(&records),
        kept_assets,
        "the accounts keep them"
    );

    // Nowhere about them but the open job (which the technician still needs) is any of it
    // left; their phone numbers nowhere at all. (Other customers may share a street or even
    // a name.)
    let phones: Vec<String> = before.phones.iter().map(|p| p.raw.clone()).collect();
    let leaks = |records: &MemoryRecords| {
        use domain::ops::Records;
        let theirs: Vec<RecordKey> = records
            .find(domain::ops::Query::LinkedTo(
                domain::ops::records::Link::Customer(id),
            ))
            .unwrap()
            .into_iter()
            .chain([RecordKey::Customer(id)])
            .collect();
        everything(records)
            .into_iter()
            .filter(|(k, json)| {
                phones.iter().any(|p| json.contains(p.as_str()))
                    || (theirs.contains(k) && secrets.iter().any(|s| json.contains(s.as_str())))
            })
            .map(|(k, _)| k)
            .collect::<Vec<_>>()
    };
    let open_jobs: Vec<RecordKey> = records
        .iter()
        .filter_map(|r| match r {
            Record::Job(j) if j.customer == id && j.is_open() => Some(RecordKey::Job(j.id)),
            _ => None,
        })
        .collect();
    let left = leaks(&records);
    assert!(
        left.iter().all(|k| open_jobs.contains(k)),
        "personal data left in {left:?}"
    );
    let Some(Record::Job(open)) = records.record(&RecordKey::Job(job.id)).cloned() else {
        panic!("the job");
    };
    assert_eq!(open.service_address, job.service_address, "still findable");

    // The job is worked to the end: then its address and notes go too.
    let tech = job.technician.unwrap();
    for (m, kind) in [
        (10, OpKind::StartTravel { job: job.id }),
        (40, OpKind::Arrive { job: job.id }),
        (
            90,
            OpKind::CompleteJob {
                job: job.id,
                completion: Completion {
                    notes: format!("Told {} the action is worn", before.name),
                    satisfaction: Some(5),
                    first_visit_fix: true,
                    ..Completion::default()
                },
            },
        ),
    ] {
        apply(&mut records, &op(tech, m, kind)).unwrap();
    }
    let Some(Record::Job(done)) = records.record(&RecordKey::Job(job.id)).cloned() else {
        panic!("the job");
    };
    assert_eq!(done.status, JobStatus::Completed);
    assert_eq!(
        done.completion.as_ref().and_then(|c| c.satisfaction),
        Some(5),
        "the score is the business's"
    );
    let still_open: Vec<RecordKey> = records
        .iter()
        .filter_map(|r| match r {
            Record::Job(j) if j.customer == id && j.is_open() => Some(RecordKey::Job(j.id)),
            _ => None,
        })
        .collect();
    let left = leaks(&records);
    assert!(
        left.iter().all(|k| still_open.contains(k)),
        "personal data left in {left:?}"
    );

    // Asked again: nothing changes, and it is not an error.
    let snapshot = everything(&records);
    apply(
        &mut records,
        &op(admin, 200, OpKind::EraseCustomer { customer: id }),
    )
    .unwrap();
    assert_eq!(everything(&records), snapshot);
}
