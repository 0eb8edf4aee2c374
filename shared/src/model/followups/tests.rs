//! Crux command tests for follow-ups on the device: rules raised offline, reminders
//! scheduled and cancelled through the `Notify` capability, snoozes across DST, follow-ups
//! arriving by sync, and refusals of rule-made ops kept from the person.

use chrono::{Duration, TimeZone};

use super::*;
use crate::effects::location::LocationResponse;
use crate::effects::notify::NotifyRequest;
use crate::model::fake_shell::FakeShell;
use crate::model::{Active, Lifecycle};
use crate::model::{Internal, SalesEvent};
use domain::followups::rules::fixture::Fixture;
use domain::followups::rules::follow_up_id;
use domain::ids::LeadId;
use domain::leads::InteractionKind;
use domain::ops::MemoryRecords;
use domain::org::WeeklyHours;
use domain::sync::{Change, OpResult, OpStatus, Session, SyncResponse};

fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// A signed-in device of `user` holding `records`, with its clock at `now`.
fn device(records: &MemoryRecords, user: UserId, now: DateTime<Utc>) -> Model {
    let Some(Record::User(u)) = records.record(&RecordKey::User(user)).cloned() else {
        panic!("no such user")
    };
    Model {
        server_url: "http://127.0.0.1:9".into(),
        device_id: "test".into(),
        lifecycle: Lifecycle::Active(Box::new(Active::new(Session {
            access_token: "a".into(),
            refresh_token: "r".into(),
            expires_in: 900,
            second_factor_setup: false,
            device_token: None,
            user: u,
        }))),
        replica: records.clone(),
        now,
        clock_known: true,
        ..Model::default()
    }
}

/// Plays a phone that does not know where it is, with its clock at `clock`; the
/// notifications the core asked for.
fn drive(model: &mut Model, event: Event, clock: DateTime<Utc>) -> Vec<NotifyRequest> {
    let shell = FakeShell {
        location: LocationResponse::Unknown,
        ..FakeShell::at(clock)
    };
    shell.run(model, event).notes
}

fn tick(model: &mut Model, at: DateTime<Utc>) -> Vec<NotifyRequest> {
    drive(model, Event::internal(Internal::Clock(at)), at)
}

fn scheduled(notes: &[NotifyRequest]) -> Vec<&Notification> {
    notes
        .iter()
        .filter_map(|n| match n {
            NotifyRequest::Schedule(x) => Some(x),
            _ => None,
        })
        .collect()
}

fn open_rule(model: &Model, subject: Subject, rule: Rule) -> Option<FollowUp> {
    model
        .replica
        .follow_ups()
        .find(|f| f.subject == subject && f.is_open() && Rule::of(&f.reason) == Some(rule))
        .cloned()
}

fn rule_ops(model: &Model) -> usize {
    model.outbox.ops().filter(|op| is_rule_made(op)).count()
}

#[test]
fn a_rule_follow_up_is_raised_offline_its_reminder_scheduled_and_cancelled_when_done() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let created = berlin(2026, 3, 27, 17, 30);
    let lead: LeadId = f.lead(created, f.rep);
    let mut rep = device(&f.records, f.rep, created);

    // The first clock reading: nothing is known about earlier runs, so everything is
    // withdrawn first; then the first-contact reminder, due Saturday 10:30 (2 working hours).
    let notes = tick(&mut rep, created + Duration::minutes(1));
    assert_eq!(notes.first(), Some(&NotifyRequest::CancelAll));
    let first = open_rule(&rep, Subject::Lead(lead), Rule::FirstContact).expect("first contact");
    assert_eq!(first.due_at, berlin(2026, 3, 28, 10, 30));
    assert_eq!(
        scheduled(&notes),
        vec![&Notification {
            id: format!("follow-up:{}", first.id),
            title: format!("First contact: {}", lead_name(&rep, lead)),
            body: "New lead: first contact (piano) · due 03-28 10:30".into(),
            fire_at_ms: first.due_at.timestamp_millis(),
        }]
    );
    assert_eq!(
        rule_ops(&rep),
        1,
        "made as an op, kept in the outbox for the server"
    );
    // Nothing changed: the next tick in the same minute does nothing.
    assert!(tick(&mut rep, created + Duration::minutes(1)).is_empty());

    // Saturday 10:00, offline: the rep calls. The first contact is satisfied (its reminder
    // withdrawn) and the cadence's first step, Monday 09:00 (Sunday is closed), scheduled.
    let call = berlin(2026, 3, 28, 10, 0);
    let notes = drive(
        &mut rep,
        Event::Sales(SalesEvent::LogInteraction {
            lead: Some(lead),
            customer: None,
            kind: InteractionKind::Call,
            outcome: "Wants a Yamaha U1".into(),
        }),
        call,
    );
    assert!(notes.contains(&NotifyRequest::Cancel {
        id: format!("follow-up:{}", first.id)
    }));
    let step = open_rule(&rep, Subject::Lead(lead), Rule::Cadence).expect("cadence");
    assert_eq!(step.due_at, berlin(2026, 3, 30, 9, 0));
    let sched = scheduled(&notes);
    assert_eq!(sched.len(), 1);
    assert_eq!(sched[0].fire_at_ms, step.due_at.timestamp_millis());

    // Done: the reminder is cancelled.
    let notes = drive(
        &mut rep,
        Event::FollowUps(FollowUpEvent::Complete(step.id)),
        call + Duration::minutes(5),
    );
    assert_eq!(
        notes,
        vec![NotifyRequest::Cancel {
            id: format!("follow-up:{}", step.id)
        }]
    );
    assert!(open_rule(&rep, Subject::Lead(lead), Rule::Cadence).is_none());
}

#[test]
fn a_reminder_reads_in_the_persons_language_and_follows_a_switch() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let created = berlin(2026, 3, 27, 17, 30);
    let lead: LeadId = f.lead(created, f.rep);
    let mut rep = device(&f.records, f.rep, created);
    rep.language = domain::words::Lang::SimplifiedChinese;
    let notes = tick(&mut rep, created + Duration::minutes(1));
    let first = open_rule(&rep, Subject::Lead(lead), Rule::FirstContact).expect("first contact");
    assert_eq!(
        first.why,
        Some(domain::followups::Why::FirstContact {
            interest: "piano".into()
        }),
        "the rule's story is kept as data, not words"
    );
    assert!(first.note.is_empty());
    let sched = scheduled(&notes);
    assert_eq!(sched.len(), 1);
    assert_eq!(
        sched[0].title,
        format!("首次联系：{}", lead_name(&rep, lead))
    );
    assert_eq!(
        sched[0].body,
        "新线索：首次联系（piano） · 03-28 10:30 到期"
    );

    // Switched to English, the same reminder is scheduled again in English.
    let notes = drive(
        &mut rep,
        Event::SetLanguage(domain::words::Lang::English),
        created + Duration::minutes(2),
    );
    let sched = scheduled(&notes);
    assert_eq!(sched.len(), 1, "{notes:?}");
    assert_eq!(
        sched[0].body,
        "New lead: first contact (piano) · due 03-28 10:30"
    );
}

/// Reminders are worded again only where a change reaches them: a lead renamed by a sync
/// rewords the reminder that names it, and nothing else is scheduled again.
#[test]
fn a_renamed_lead_rewords_its_reminder_and_only_that_one() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let created = berlin(2026, 3, 27, 17, 30);
    let lead: LeadId = f.lead(created, f.rep);
    let other: LeadId = f.lead(created, f.rep);
    let mut rep = device(&f.records, f.rep, created);
    let notes = tick(&mut rep, created + Duration::minutes(1));
    assert_eq!(
        scheduled(&notes).len(),
        2,
        "one first contact each: {notes:?}"
    );
    assert!(scheduled(&tick(&mut rep, created + Duration::minutes(2))).is_empty());

    let Some(Record::Lead(mut renamed)) = rep.replica.record(&RecordKey::Lead(lead)).cloned()
    else {
        panic!("no lead")
    };
    renamed.name = "Renamed Lead".into();
    rep.replica.insert(Record::Lead(renamed));
    let notes = tick(&mut rep, created + Duration::minutes(3));
    let sched = scheduled(&notes);
    assert_eq!(sched.len(), 1, "{notes:?}");
    assert!(
        sched[0].title.contains("Renamed Lead"),
        "{}",
        sched[0].title
    );
    let first = open_rule(&rep, Subject::Lead(lead), Rule::FirstContact).unwrap();
    assert_eq!(sched[0].id, format!("follow-up:{}", first.id));
    assert!(open_rule(&rep, Subject::Lead(other), Rule::FirstContact).is_some());
}

fn lead_name(model: &Model, lead: LeadId) -> String {
    match model.replica.record(&RecordKey::Lead(lead)) {
        Some(Record::Lead(l)) => l.name.clone(),
        _ => String::new(),
    }
}

#[test]
fn snoozing_across_the_dst_change_reminds_at_the_same_local_time() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    // Open every day for this one, so that Sunday is a working day.
    let Some(Record::Store(mut s)) = f.records.record(&RecordKey::Store(f.store)).cloned() else {
        panic!()
    };
    s.opening_hours = WeeklyHours::uniform(&[1, 2, 3, 4, 5, 6, 7], 9 * 60, 18 * 60);
    f.records.insert(Record::Store(s));
    let done = berlin(2026, 3, 25, 15, 0);
    let c = f.customer(done - Duration::days(5), Some(f.rep), false, None);
    let job = f.completed_job(done, c, None, Some(5));
    let mut rep = device(&f.records, f.rep, done);
    tick(&mut rep, done + Duration::minutes(1));
    let call = open_rule(&rep, Subject::Job(job), Rule::SatisfactionCall).expect("call");

    // Saturday 28 March 10:00 CET; one day later the clocks have gone forward.
    let sat = berlin(2026, 3, 28, 10, 0);
    let notes = drive(
        &mut rep,
        Event::FollowUps(FollowUpEvent::Snooze {
            id: call.id,
            choice: Snooze::Days(1),
        }),
        sat,
    );
    let sunday_ten = Utc.with_ymd_and_hms(2026, 3, 29, 8, 0, 0).unwrap();
    assert_eq!(sunday_ten, berlin(2026, 3, 29, 10, 0), "10:00 CEST");
    let sched = scheduled(&notes);
    assert_eq!(sched.len(), 1, "{notes:?}");
    assert_eq!(sched[0].id, format!("follow-up:{}", call.id));
    assert_eq!(sched[0].fire_at_ms, sunday_ten.timestamp_millis());
    assert!(sched[0].body.ends_with("due 03-29 10:00"));
}

#[test]
fn a_low_score_completed_elsewhere_reaches_the_rep_and_the_manager_by_sync() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let done = berlin(2026, 10, 24, 16, 0);
    let c = f.customer(done - Duration::days(50), Some(f.rep), false, None);
    let before = f.records.clone();
    let mut rep = device(&before, f.rep, done);
    let mut manager = device(&before, f.manager, done);
    tick(&mut rep, done);
    tick(&mut manager, done);

    // The technician completes with a score of 2 on their own device; the server sends the
    // job to the others at their next sync.
    let job = f.completed_job(done, c, None, Some(2));
    let Some(record) = f.records.record(&RecordKey::Job(job)).cloned() else {
        panic!()
    };
    let later = done + Duration::hours(2);
    let synced = |at: u64| {
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![],
            changes: vec![Change::Put {
                record: Box::new(record.clone()),
            }],
            cursor: at,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        })))
    };
    rep.now = later;
    let notes = drive(&mut rep, synced(7), later);
    let call_back = open_rule(&rep, Subject::Job(job), Rule::LowScoreRep).expect("rep");
    assert_eq!(call_back.owner, f.rep);
    assert_eq!(call_back.due_at, done + Duration::hours(24));
    assert_eq!(
        call_back.id,
        follow_up_id(f.org, Subject::Job(job), &Rule::LowScoreRep, "")
    );
    assert!(
        scheduled(&notes)
            .iter()
            .any(|n| n.id == format!("follow-up:{}", call_back.id))
    );
    assert!(
        open_rule(&rep, Subject::Job(job), Rule::LowScoreEscalation).is_none(),
        "the rep's device does not make the manager's follow-up"
    );

    manager.now = later;
    let notes = drive(&mut manager, synced(7), later);
    let esc = open_rule(&manager, Subject::Job(job), Rule::LowScoreEscalation).expect("esc");
    assert_eq!(esc.owner, f.manager);
    assert_eq!(esc.due_at, done + Duration::hours(24));
    let n = scheduled(&notes);
    assert!(
        n.iter().any(|n| n.id == format!("follow-up:{}", esc.id)
            && n.title.starts_with("Escalation: unhappy customer")),
        "{n:?}"
    );
}

#[test]
fn a_rule_follow_up_the_server_refuses_is_dropped_quietly() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let created = berlin(2026, 3, 27, 11, 0);
    let lead = f.lead(created, f.rep);
    let mut rep = device(&f.records, f.rep, created);
    tick(&mut rep, created);
    let op = rep.outbox.ops().next().cloned().expect("rule op");
    assert!(is_rule_made(&op));
    // Another device made a follow-up for the same lead and reason first.
    drive(
        &mut rep,
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![OpResult {
                op: op.id,
                status: OpStatus::Rejected {
                    error: domain::ops::OpError::Conflict(domain::ops::Clash::OpenFollowUpExists),
                    message: "exists".into(),
                },
            }],
            changes: vec![],
            cursor: 3,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        }))),
        created,
    );
    assert!(rep.rejections.is_empty());
    assert_eq!(rep.notice, None);
    assert_eq!(rep.outbox.len(), 0);
    // And it is not made again at every sync.
    tick(&mut rep, created + Duration::minutes(2));
    assert_eq!(rep.outbox.len(), 0);
    assert!(open_rule(&rep, Subject::Lead(lead), Rule::FirstContact).is_none());
}

#[test]
fn signing_out_withdraws_every_reminder() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let created = berlin(2026, 3, 27, 11, 0);
    f.lead(created, f.rep);
    let mut rep = device(&f.records, f.rep, created);
    assert!(!scheduled(&tick(&mut rep, created)).is_empty());
    let notes = drive(&mut rep, Event::SignOut, created);
    assert_eq!(notes, vec![NotifyRequest::CancelAll]);
    assert!(tick(&mut rep, created + Duration::minutes(1)).is_empty());
}

#[test]
fn booking_a_maintenance_visit_creates_the_job_and_closes_the_reminder() {
    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let now = berlin(2026, 6, 10, 12, 0);
    let c = f.customer(now - Duration::days(10), Some(f.rep), false, None);
    let piano = f.asset(
        now,
        c,
        chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        0,
        None,
        Some(182),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 1),
    );
    let mut rep = device(&f.records, f.rep, now);
    tick(&mut rep, now);
    let m = open_rule(&rep, Subject::Customer(c), Rule::Maintenance(piano)).expect("due");
    let notes = drive(
        &mut rep,
        Event::FollowUps(FollowUpEvent::BookMaintenanceVisit(m.id)),
        now + Duration::minutes(3),
    );
    let job = rep
        .replica
        .jobs()
        .find(|j| j.asset == Some(piano))
        .expect("the visit");
    assert_eq!(job.customer, c);
    assert_eq!(job.service_type, ServiceType::Maintenance);
    assert!(open_rule(&rep, Subject::Customer(c), Rule::Maintenance(piano)).is_none());
    assert!(notes.contains(&NotifyRequest::Cancel {
        id: format!("follow-up:{}", m.id)
    }));
    assert_eq!(rep.notice, None);
}

#[test]
fn the_rep_sees_follow_ups_by_urgency_and_value_and_the_pipeline_numbers() {
    use crate::view::{SalesScreen, Screen, ViewModel};
    use domain::followups::rules::due;
    use domain::ids::{FollowUpId, InteractionId};
    use domain::leads::{LeadSource, Stage};
    use domain::ops::{NewFollowUp, NewInteraction};

    let mut f = Fixture::new(chrono_tz::Europe::Berlin);
    let now = berlin(2026, 6, 10, 12, 0);
    let rep_id = f.rep;
    // Two customers of the rep: one spent 80,000.00 this year, one 1,000.00.
    let big = f.customer(now - Duration::days(400), Some(rep_id), false, None);
    let small = f.customer(now - Duration::days(400), Some(rep_id), false, None);
    let day = |d: i64| (now + Duration::days(d)).date_naive();
    f.asset(now, big, day(-30), 8_000_000, None, None, None);
    f.asset(now, small, day(-30), 100_000, None, None, None);
    let manual = |f: &mut Fixture, c, due_at| {
        let id = FollowUpId::from_parts(1_760_000_000_000, f.next());
        f.op(
            rep_id,
            now - Duration::days(5),
            OpKind::CreateFollowUp(NewFollowUp {
                id,
                subject: Subject::Customer(c),
                due_at,
                reason: Reason::Manual,
                owner: None,
                note: String::new(),
                why: None,
            }),
        )
        .unwrap();
        id
    };
    let eleven = berlin(2026, 6, 10, 11, 0);
    // An unhappy customer yesterday 15:00: the rep's call-back is due today 15:00.
    f.completed_job(berlin(2026, 6, 9, 15, 0), big, None, Some(2));
    let Some(Record::User(rep_user)) = f.records.record(&RecordKey::User(rep_id)).cloned() else {
        panic!()
    };
    let mut call_back = None;
    for p in due(&f.records, now - Duration::hours(20)) {
        if p.is_for(&rep_user) && p.rule == Rule::LowScoreRep {
            call_back = Some(p.id);
            f.op(
                rep_id,
                now - Duration::hours(20),
                OpKind::CreateFollowUp(p.new_follow_up()),
            )
            .unwrap();
        }
    }
    let call_back = call_back.expect("call-back");

    // Done on time (due day 2 ago, done that day) and late (due 3 days ago, done yesterday).
    let on_time = manual(&mut f, big, now - Duration::days(2));
    f.op(
        rep_id,
        now - Duration::days(2) + Duration::hours(3),
        OpKind::CompleteFollowUp { follow_up: on_time },
    )
    .unwrap();
    let late = manual(&mut f, small, now - Duration::days(3));
    f.op(
        rep_id,
        now - Duration::days(1),
        OpKind::CompleteFollowUp { follow_up: late },
    )
    .unwrap();
    // Two manual ones due at the same time: the bigger customer's comes first.
    let m_small = manual(&mut f, small, eleven);
    let m_big = manual(&mut f, big, eleven);

    // Leads: walk-in won after 30 days, walk-in lost, referral won after 10 days.
    let walk_won = f.lead(now - Duration::days(40), rep_id);
    let walk_lost = f.lead(now - Duration::days(40), rep_id);
    let referral = f.lead(now - Duration::days(20), rep_id);
    if let Some(Record::Lead(mut l)) = f.records.record(&RecordKey::Lead(referral)).cloned() {
        l.source = LeadSource::Referral;
        f.records.insert(Record::Lead(l));
    }
    for (lead, won_at) in [
        (walk_won, now - Duration::days(10)),
        (referral, now - Duration::days(10)),
    ] {
        let k = f.next();
        f.op(
            rep_id,
            won_at - Duration::days(1),
            OpKind::LogInteraction(NewInteraction {
                id: InteractionId::from_parts(1_760_000_000_000, k),
                kind: InteractionKind::Visit,
                outcome: "qualified".into(),
                customer: None,
                lead: Some(lead),
                job: None,
            }),
        )
        .unwrap();
        f.op(
            rep_id,
            won_at - Duration::hours(1),
            OpKind::MoveLead {
                lead,
                to: Stage::Qualified,
                lost_reason: None,
                won_value: None,
            },
        )
        .unwrap();
        f.op(
            rep_id,
            won_at,
            OpKind::MoveLead {
                lead,
                to: Stage::Won,
                lost_reason: None,
                won_value: Some(2_500_000),
            },
        )
        .unwrap();
    }
    f.op(
        rep_id,
        now - Duration::days(5),
        OpKind::MoveLead {
            lead: walk_lost,
            to: Stage::Lost,
            lost_reason: Some("bought elsewhere".into()),
            won_value: None,
        },
    )
    .unwrap();

    let rep = device(&f.records, rep_id, now);
    let Screen::Sales(SalesScreen::FollowUps(fu)) = ViewModel::from(&rep).screen else {
        panic!("follow-ups")
    };
    let today: Vec<FollowUpId> = fu.today.iter().map(|c| c.id).collect();
    assert_eq!(
        today,
        vec![call_back, m_big, m_small],
        "the unhappy customer first though due later; then equal times by value"
    );
    assert_eq!(fu.today[0].label, "Unhappy customer: call back");
    assert_eq!(fu.today[1].value, 8_000_000);
    assert_eq!(fu.stats.conversion_days, Some(20));
    let rates: Vec<(LeadSource, u8)> = fu
        .stats
        .win_rate_by_source
        .iter()
        .map(|s| (s.source, s.rate_pct))
        .collect();
    assert_eq!(
        rates,
        vec![(LeadSource::Referral, 100), (LeadSource::WalkIn, 50)]
    );
    assert_eq!((fu.stats.done_on_time, fu.stats.done_follow_ups), (1, 2));
    assert_eq!(fu.stats.on_time_pct, Some(50));
    let won = fu.pipeline.iter().find(|s| s.stage == Stage::Won).unwrap();
    assert_eq!((won.count, won.value.minor), (2, 5_000_000));
}
