//! Property tests: random op sequences from every role never break the invariants `apply`
//! promises, replays are no-ops, and the device path equals a plain replay.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use demo::{DemoSize, generate_at};
use domain::customers::CustomerKind;
use domain::customers::Tier;
use domain::followups::FollowUp;
use domain::followups::{Reason, Subject};
use domain::ids::OrgId;
use domain::ids::{CustomerId, FollowUpId, InteractionId, JobId, OpId};
use domain::jobs::{Completion, FollowUpNeed, Priority, ServiceType};
use domain::jobs::{FollowUpKind, Job, JobStatus, PartUsed};
use domain::leads::Lead;
use domain::leads::{InteractionKind, Stage};
use domain::ops::*;
use domain::org::Role;
use domain::places::{Address, LatLng};
use domain::sync::Outbox;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
}

fn world() -> (MemoryRecords, OrgId) {
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 1,
        customers: 12,
        open_jobs: 8,
        past_jobs: 3,
        leads: 8,
    };
    let demo = generate_at(3, start(), &size);
    let mut m = MemoryRecords::new();
    for r in demo.records {
        m.insert(r);
    }
    (m, demo.org)
}

/// An op described by indices, resolved against whatever exists when it is applied, so that
/// shrinking keeps sequences meaningful.
#[derive(Clone, Debug)]
enum Step {
    CreateJob {
        actor: u8,
        customer: u8,
        urgent: bool,
    },
    Assign {
        actor: u8,
        job: u8,
        tech: u8,
    },
    Unassign {
        actor: u8,
        job: u8,
    },
    Travel {
        actor: u8,
        job: u8,
    },
    Arrive {
        actor: u8,
        job: u8,
    },
    Complete {
        actor: u8,
        job: u8,
        score: u8,
    },
    NeedFollowUp {
        actor: u8,
        job: u8,
    },
    Cancel {
        actor: u8,
        job: u8,
    },
    MoveLead {
        actor: u8,
        lead: u8,
        stage: u8,
        reason: bool,
    },
    Log {
        actor: u8,
        lead: u8,
    },
    FollowUp {
        actor: u8,
        lead: u8,
        manual: bool,
    },
    DoneFollowUp {
        actor: u8,
        follow_up: u8,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let a = any::<u8>();
    prop_oneof![
        (a, any::<u8>(), any::<bool>()).prop_map(|(actor, customer, urgent)| Step::CreateJob {
            actor,
            customer,
            urgent
        }),
        (a, any::<u8>(), any::<u8>()).prop_map(|(actor, job, tech)| Step::Assign {
            actor,
            job,
            tech
        }),
        (a, any::<u8>()).prop_map(|(actor, job)| Step::Unassign { actor, job }),
        (a, any::<u8>()).prop_map(|(actor, job)| Step::Travel { actor, job }),
        (a, any::<u8>()).prop_map(|(actor, job)| Step::Arrive { actor, job }),
        (a, any::<u8>(), 0u8..7).prop_map(|(actor, job, score)| Step::Complete {
            actor,
            job,
            score
        }),
        (a, any::<u8>()).prop_map(|(actor, job)| Step::NeedFollowUp { actor, job }),
        (a, any::<u8>()).prop_map(|(actor, job)| Step::Cancel { actor, job }),
        (a, any::<u8>(), 0u8..6, any::<bool>()).prop_map(|(actor, lead, stage, reason)| {
            Step::MoveLead {
                actor,
                lead,
                stage,
                reason,
            }
        }),
        (a, any::<u8>()).prop_map(|(actor, lead)| Step::Log { actor, lead }),
        (a, any::<u8>(), any::<bool>()).prop_map(|(actor, lead, manual)| Step::FollowUp {
            actor,
            lead,
            manual
        }),
        (a, any::<u8>()).prop_map(|(actor, follow_up)| Step::DoneFollowUp { actor, follow_up }),
    ]
}

fn pick<T: Copy>(items: &[T], i: u8) -> T {
    items[usize::from(i) % items.len()]
}

fn to_op(m: &MemoryRecords, n: usize, s: &Step) -> Op {
    let users: Vec<_> = m.users().map(|u| u.id).collect();
    let techs: Vec<_> = m
        .users()
        .filter(|u| u.has(Role::Technician))
        .map(|u| u.id)
        .collect();
    let jobs: Vec<_> = m.jobs().map(|j| j.id).collect();
    let customers: Vec<_> = m.customers().map(|c| c.id).collect();
    let leads: Vec<_> = m.leads().map(|l| l.id).collect();
    let follow_ups: Vec<_> = m.follow_ups().map(|f| f.id).collect();
    let (actor, kind) = match *s {
        Step::CreateJob {
            actor,
            customer,
            urgent,
        } => (
            actor,
            OpKind::CreateJob(NewJob {
                id: JobId::from_parts(1_800_000_000_000 + n as u64, n as u128),
                customer: pick(&customers, customer),
                asset: None,
                service_address: None,
                service_type: ServiceType::Repair,
                description: "noise".into(),
                required_skills: vec![],
                estimated_minutes: 60,
                priority: if urgent {
                    Priority::Urgent
                } else {
                    Priority::Normal
                },
                windows: vec![],
                crew_size: 1,
            }),
        ),
        Step::Assign { actor, job, tech } => (
            actor,
            OpKind::AssignJob {
                job: pick(&jobs, job),
                technician: pick(&techs, tech),
                planned_start: None,
                why: None,
                crew: Vec::new(),
            },
        ),
        Step::Unassign { actor, job } => (
            actor,
            OpKind::UnassignJob {
                job: pick(&jobs, job),
            },
        ),
        Step::Travel { actor, job } => (
            actor,
            OpKind::StartTravel {
                job: pick(&jobs, job),
            },
        ),
        Step::Arrive { actor, job } => (
            actor,
            OpKind::Arrive {
                job: pick(&jobs, job),
            },
        ),
        Step::Complete { actor, job, score } => (
            actor,
            OpKind::CompleteJob {
                job: pick(&jobs, job),
                completion: Completion {
                    notes: "tuned".into(),
                    parts: vec![PartUsed {
                        item: "hammer felt".into(),
                        quantity: 2,
                    }],
                    satisfaction: Some(score),
                    first_visit_fix: true,
                    ..Completion::default()
                },
            },
        ),
        Step::NeedFollowUp { actor, job } => (
            actor,
            OpKind::NeedFollowUp {
                job: pick(&jobs, job),
                need: FollowUpNeed {
                    kind: FollowUpKind::Parts,
                    reason: "pedal spring on order".into(),
                },
            },
        ),
        Step::Cancel { actor, job } => (
            actor,
            OpKind::CancelJob {
                job: pick(&jobs, job),
                reason: "customer moved".into(),
            },
        ),
        Step::MoveLead {
            actor,
            lead,
            stage,
            reason,
        } => (
            actor,
            OpKind::MoveLead {
                lead: pick(&leads, lead),
                to: Stage::ALL[usize::from(stage) % 6],
                lost_reason: reason.then(|| "bought elsewhere".into()),
                won_value: reason.then_some(100_000),
            },
        ),
        Step::Log { actor, lead } => (
            actor,
            OpKind::LogInteraction(NewInteraction {
                id: InteractionId::from_parts(1_800_000_000_000 + n as u64, n as u128),
                kind: InteractionKind::Call,
                outcome: "called".into(),
                customer: None,
                lead: Some(pick(&leads, lead)),
                job: None,
            }),
        ),
        Step::FollowUp {
            actor,
            lead,
            manual,
        } => (
            actor,
            OpKind::CreateFollowUp(NewFollowUp {
                id: FollowUpId::from_parts(1_800_000_000_000 + n as u64, n as u128),
                subject: Subject::Lead(pick(&leads, lead)),
                due_at: start() + Duration::days(2),
                reason: if manual {
                    Reason::Manual
                } else {
                    Reason::Rule("lead-cadence".into())
                },
                owner: None,
                note: String::new(),
                why: None,
            }),
        ),
        Step::DoneFollowUp { actor, follow_up } => (
            actor,
            OpKind::CompleteFollowUp {
                follow_up: pick(&follow_ups, follow_up),
            },
        ),
    };
    Op {
        id: OpId::from_parts(1_800_000_000_000 + n as u64, n as u128),
        actor: pick(&users, actor),
        at: start() + Duration::minutes(n as i64),
        location: None,
        kind,
    }
}

/// The invariants `apply` must keep, checked over every record.
fn check_invariants(m: &MemoryRecords) -> Result<(), TestCaseError> {
    for j in m.jobs() {
        check_job(j)?;
    }
    for l in m.leads() {
        check_lead(l)?;
    }
    let open: Vec<&FollowUp> = m.follow_ups().filter(|f| f.is_open()).collect();
    for (i, a) in open.iter().enumerate() {
        for b in &open[i + 1..] {
            prop_assert!(
                !(a.subject == b.subject && a.reason == b.reason),
                "two open follow-ups for {:?} {:?}",
                a.subject,
                a.reason
            );
        }
    }
    Ok(())
}

fn check_job(j: &Job) -> Result<(), TestCaseError> {
    if j.status.needs_technician() {
        prop_assert!(
            j.technician.is_some(),
            "job {} is {:?} without a technician",
            j.number(),
            j.status
        );
    }
    if matches!(j.status, JobStatus::New | JobStatus::Cancelled) {
        prop_assert!(
            j.technician.is_none(),
            "job {} is {:?} with technician {:?}",
            j.number(),
            j.status,
            j.technician
        );
    }
    prop_assert_eq!(j.status == JobStatus::Completed, j.completion.is_some());
    if let Some(score) = j.completion.as_ref().and_then(|c| c.satisfaction) {
        prop_assert!((1..=5).contains(&score));
    }
    // History is a chain of allowed transitions ending at the current status.
    let mut at = JobStatus::New;
    for h in &j.history {
        prop_assert_eq!(h.from, at);
        prop_assert!(
            domain::jobs::JobAction::ALL
                .iter()
                .any(|a| h.from.after(*a) == Some(h.to)),
            "{:?} -> {:?}",
            h.from,
            h.to
        );
        at = h.to;
    }
    prop_assert_eq!(at, j.status);
    Ok(())
}

fn check_lead(l: &Lead) -> Result<(), TestCaseError> {
    for h in &l.history {
        prop_assert!(h.from.can_move_to(h.to), "{:?} -> {:?}", h.from, h.to);
    }
    prop_assert_eq!(l.stage == Stage::Lost, l.lost_reason.is_some());
    prop_assert_eq!(l.stage == Stage::Won, l.won_value.is_some());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_ops_keep_every_invariant_and_replays_are_no_ops(steps in proptest::collection::vec(step(), 1..60)) {
        let (base, _) = world();
        let mut server = base.clone();
        let mut device = base.clone();
        let mut outbox = Outbox::default();
        let mut ops = Vec::new();
        let mut applied = 0;
        for (n, s) in steps.iter().enumerate() {
            let op = to_op(&server, n, s);
            let first = apply(&mut server, &op);
            if first.is_ok() {
                applied += 1;
            }
            check_invariants(&server)?;
            // Replaying the same op returns the same outcome and changes nothing.
            let snapshot = server.clone();
            prop_assert_eq!(apply(&mut server, &op), first.clone());
            prop_assert_eq!(&server, &snapshot);
            // The device path (optimistic apply through the outbox) agrees with the server.
            let local = outbox.apply_local(&mut device, op.clone());
            prop_assert_eq!(local.is_ok(), first.is_ok());
            ops.push(op);
        }
        // Records match; the device remembers only the ops it accepted, so compare records.
        prop_assert_eq!(device.iter().collect::<Vec<_>>(), server.iter().collect::<Vec<_>>());
        // A fresh replica fed the same ops ends in the same state.
        let mut fresh = base.clone();
        for op in &ops {
            let _ = apply(&mut fresh, op);
        }
        prop_assert_eq!(&fresh, &server);
        prop_assert!(applied <= ops.len());
    }

    /// A sync that answers "applied" and sends back what the device already made reports no
    /// change (nothing derived needs refreshing); what the server has that the device did not
    /// is reported.
    #[test]
    fn settling_reports_only_what_really_changed(steps in proptest::collection::vec(step(), 1..30)) {
        let (base, _) = world();
        let mut server = base.clone();
        let mut device = base.clone();
        let mut outbox = Outbox::default();
        let mut results = Vec::new();
        let mut keys = std::collections::BTreeSet::new();
        for (n, s) in steps.iter().enumerate() {
            let op = to_op(&server, n, s);
            let outcome = apply(&mut server, &op);
            if let Ok(a) = &outcome {
                keys.extend(a.changed.iter().copied());
            }
            let _ = outbox.apply_local(&mut device, op.clone());
            results.push(domain::sync::OpResult { op: op.id, status: outcome.into() });
        }
        let echo: Vec<domain::sync::Change> = keys
            .iter()
            .filter_map(|k| server.record(k).cloned())
            .map(|r| domain::sync::Change::Put { record: Box::new(r) })
            .collect();
        let version = device.version();
        let (_, touched) = outbox.settle_tracked(&mut device, &results, echo);
        prop_assert!(touched.is_empty(), "an echo reported {:?}", touched);
        prop_assert_eq!(device.iter().collect::<Vec<_>>(), server.iter().collect::<Vec<_>>());
        // Something new from the server is reported, and moves the version on.
        let mut changed = server.customers().next().unwrap().clone();
        changed.name.push('*');
        let key = RecordKey::Customer(changed.id);
        let (_, touched) = outbox.settle_tracked(
            &mut device,
            &[],
            vec![domain::sync::Change::Put { record: Box::new(Record::Customer(changed)) }],
        );
        prop_assert_eq!(touched, vec![key]);
        prop_assert!(device.version() > version);
    }

    #[test]
    fn apply_never_panics_on_arbitrary_text(name in "\\PC{0,300}", phone in "\\PC{0,50}") {
        let (mut m, _) = world();
        let store = m.iter().find_map(|r| match r { Record::Store(s) => Some(s.id), _ => None }).unwrap();
        let admin = m.users().find(|u| u.has(Role::Admin)).unwrap().id;
        let op = Op {
            id: OpId::from_parts(1, 1),
            actor: admin,
            at: start(),
            location: Some(LatLng { lat: f64::NAN, lng: 0.0 }),
            kind: OpKind::CreateCustomer(NewCustomer {
                id: CustomerId::from_parts(1, 1),
                store,
                name,
                phones: vec![phone],
                address: Address::default(),
                kind: CustomerKind::Individual,
                tags: vec![],
                tier: Tier::Standard,
                marketing_consent: false,
                birthday: None,
                owner: None,
            }),
        };
        // A NaN location is always refused, with the field named.
        let err = apply(&mut m, &op).unwrap_err();
        let named_location = matches!(
            err,
            OpError::Invalid { field: Field::OpLocation, problem: Problem::BadCoordinates }
        );
        prop_assert!(named_location, "{}", err);
    }
}

#[test]
fn a_technician_cannot_touch_another_technicians_job() {
    let (mut m, _) = world();
    let job = m
        .jobs()
        .find(|j| j.status == JobStatus::Assigned)
        .unwrap()
        .clone();
    let other = m
        .users()
        .find(|u| u.has(Role::Technician) && Some(u.id) != job.technician)
        .unwrap()
        .id;
    let op = Op {
        id: OpId::from_parts(5, 5),
        actor: other,
        at: start(),
        location: None,
        kind: OpKind::StartTravel { job: job.id },
    };
    let before = m.clone();
    assert!(matches!(apply(&mut m, &op), Err(OpError::Forbidden(_))));
    // Nothing changed but the remembered outcome.
    assert_eq!(
        m.iter().collect::<Vec<_>>(),
        before.iter().collect::<Vec<_>>()
    );
}

#[test]
fn a_patch_tells_clearing_from_leaving_alone() {
    let clear: CustomerPatch = serde_json::from_str(r#"{"birthday": null}"#).unwrap();
    assert_eq!(clear.birthday, Some(None));
    assert_eq!(clear.owner, None);
    let set: CustomerPatch = serde_json::from_str(r#"{"birthday": "1990-05-01"}"#).unwrap();
    assert_eq!(
        set.birthday,
        Some(chrono::NaiveDate::from_ymd_opt(1990, 5, 1))
    );
    let leave: CustomerPatch = serde_json::from_str("{}").unwrap();
    assert_eq!(leave.birthday, None);
}

/// Found by issue 10's audit of field changes: "leave as it is" went over the wire as `null`
/// and came back as "clear", so every edit from a device cleared the birthday and the owner.
#[test]
fn a_patch_survives_the_trip_to_the_server() {
    let day = chrono::NaiveDate::from_ymd_opt(1990, 5, 1);
    for patch in [
        CustomerPatch::default(),
        CustomerPatch {
            name: Some("林强伟".into()),
            ..Default::default()
        },
        CustomerPatch {
            birthday: Some(None),
            owner: Some(None),
            ..Default::default()
        },
        CustomerPatch {
            birthday: Some(day),
            owner: Some(Some(domain::ids::UserId::new())),
            ..Default::default()
        },
    ] {
        let wire = serde_json::to_string(&patch).unwrap();
        let back: CustomerPatch = serde_json::from_str(&wire).unwrap();
        assert_eq!(back, patch, "{wire}");
    }
}

/// Issue 12: a corrected address reaches the customer's jobs not yet done that were going to
/// the old address; done jobs keep where they were done, a job sent elsewhere keeps its own.
#[test]
fn jobs_not_yet_done_follow_their_customers_new_address() {
    let (mut m, _) = world();
    let customer = m.jobs().find(|j| j.is_open()).map(|j| j.customer).unwrap();
    let old = match m.record(&RecordKey::Customer(customer)) {
        Some(Record::Customer(c)) => c.address.clone(),
        _ => panic!("no customer"),
    };
    // Three jobs for the customer: open at the old address, open elsewhere, and done.
    let jobs: Vec<Job> = m
        .jobs()
        .filter(|j| j.customer == customer)
        .cloned()
        .collect();
    let mut template = jobs[0].clone();
    template.service_address = old.clone();
    let mut open = template.clone();
    open.id = JobId::from_parts(1, 1);
    open.status = JobStatus::New;
    open.technician = None;
    let mut elsewhere = open.clone();
    elsewhere.id = JobId::from_parts(1, 2);
    elsewhere.service_address.street = "Another Building Road".into();
    let mut done = template.clone();
    done.id = JobId::from_parts(1, 3);
    done.status = JobStatus::Completed;
    for j in [&open, &elsewhere, &done] {
        m.insert(Record::Job(j.clone()));
    }
    let manager = m
        .users()
        .find(|u| u.has(Role::Admin))
        .map(|u| u.id)
        .unwrap();
    let mut new = old.clone();
    new.street = "Corrected Street".into();
    new.detail = "Unit 5".into();
    let op = Op {
        id: OpId::from_parts(7, 7),
        actor: manager,
        at: start(),
        location: None,
        kind: OpKind::UpdateCustomer {
            customer,
            patch: CustomerPatch {
                address: Some(new.clone()),
                ..CustomerPatch::default()
            },
            seen: Vec::new(),
        },
    };
    let applied = apply(&mut m, &op).unwrap();
    let address = |id: JobId| match m.record(&RecordKey::Job(id)) {
        Some(Record::Job(j)) => j.service_address.clone(),
        _ => panic!("no job"),
    };
    assert_eq!(address(open.id), new);
    assert_eq!(address(elsewhere.id), elsewhere.service_address);
    assert_eq!(address(done.id), old);
    assert!(applied.changed.contains(&RecordKey::Job(open.id)));
    assert!(!applied.changed.contains(&RecordKey::Job(done.id)));
}

/// Issue 14: a technician's days away. The dispatcher records them; an overlapping record
/// replaces the older one; days that end before they start, or a stretch over a year, are
/// refused naming the field; taking an absence back frees the days.
#[test]
fn absences_are_recorded_replaced_refused_and_taken_back() {
    use chrono::NaiveDate;
    use domain::org::AbsenceKind;

    let (mut w, _) = world();
    let dispatcher = w
        .users()
        .find(|u| u.roles == vec![Role::Dispatcher])
        .unwrap()
        .clone();
    let tech = w
        .iter()
        .find_map(|r| match r {
            Record::Technician(t) if dispatcher.manages_store(t.store) => Some(t.user),
            _ => None,
        })
        .unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let run = |w: &mut MemoryRecords, kind: OpKind| {
        apply(
            w,
            &Op {
                id: OpId::new(),
                actor: dispatcher.id,
                at: start(),
                location: None,
                kind,
            },
        )
    };
    let away = |w: &MemoryRecords| match w.get(RecordKey::Technician(tech)).unwrap() {
        Some(Record::Technician(t)) => t
            .absences
            .iter()
            .map(|a| (a.kind, a.from, a.to))
            .collect::<Vec<_>>(),
        _ => panic!("no profile"),
    };
    let record = |kind, from, to| OpKind::RecordAbsence {
        technician: tech,
        kind,
        from,
        to,
    };
    run(&mut w, record(AbsenceKind::Leave, day(10), day(14))).unwrap();
    run(&mut w, record(AbsenceKind::Training, day(20), day(20))).unwrap();
    // Called in sick over the leave's last days: the newer word replaces the leave.
    run(&mut w, record(AbsenceKind::Sick, day(13), day(15))).unwrap();
    assert_eq!(
        away(&w),
        vec![
            (AbsenceKind::Sick, day(13), day(15)),
            (AbsenceKind::Training, day(20), day(20))
        ]
    );
    let refused = |e: Result<Applied, OpError>, problem: Problem| match e {
        Err(OpError::Invalid { field, problem: p }) => {
            assert_eq!((field, p), (Field::AbsenceDays, problem));
        }
        other => panic!("not refused on the days: {other:?}"),
    };
    refused(
        run(&mut w, record(AbsenceKind::Sick, day(5), day(4))),
        Problem::EndsBeforeStart,
    );
    let long = record(
        AbsenceKind::Leave,
        day(1),
        day(1) + chrono::Duration::days(366),
    );
    refused(run(&mut w, long), Problem::OutOfRange { min: 1, max: 366 });
    run(
        &mut w,
        OpKind::CancelAbsence {
            technician: tech,
            day: day(14),
        },
    )
    .unwrap();
    assert_eq!(away(&w), vec![(AbsenceKind::Training, day(20), day(20))]);
}
