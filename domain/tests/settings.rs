//! Settings as data (issue 16, item 2): the organization's settings and a person's daily
//! follow-ups change through ops, a patch changes only what it sets, and numbers nobody could
//! mean are refused with the field named. Who may is the rules table's (`tests/rules.rs`).

use chrono::{DateTime, TimeZone, Utc};
use demo::{DemoSize, generate_at};
use domain::ids::OpId;
use domain::ops::Field;
use domain::ops::{Op, OpError, OpKind, Record, apply, records::MemoryRecords};
use domain::org::{OrgSettings, Role, SettingsPatch, User};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
}

fn world() -> MemoryRecords {
    let size = DemoSize {
        technicians_per_store: 1,
        reps_per_store: 2,
        customers: 4,
        open_jobs: 0,
        past_jobs: 0,
        leads: 0,
    };
    let mut world = MemoryRecords::new();
    for r in generate_at(3, start(), &size).records {
        world.insert(r);
    }
    world
}

fn person(world: &MemoryRecords, role: Role) -> User {
    world
        .users()
        .find(|u| u.roles == vec![role])
        .cloned()
        .unwrap()
}

fn settings(world: &MemoryRecords) -> OrgSettings {
    world
        .iter()
        .find_map(|r| match r {
            Record::Org(o) => Some(o.settings.clone()),
            _ => None,
        })
        .unwrap()
}

fn run(world: &mut MemoryRecords, actor: &User, kind: OpKind) -> Result<(), OpError> {
    let op = Op {
        id: OpId::new(),
        actor: actor.id,
        at: start(),
        location: None,
        kind,
    };
    apply(world, &op).map(|_| ())
}

fn refused_field(r: Result<(), OpError>) -> Option<Field> {
    match r {
        Err(OpError::Invalid { field, .. }) => Some(field),
        _ => None,
    }
}

#[test]
fn a_settings_patch_changes_only_what_it_sets() {
    let mut w = world();
    let admin = person(&w, Role::Admin);
    let before = settings(&w);
    run(
        &mut w,
        &admin,
        OpKind::UpdateSettings(SettingsPatch {
            backlog_alert_threshold: Some(40),
            follow_up_capacity: Some(12),
            ..SettingsPatch::default()
        }),
    )
    .unwrap();
    let after = settings(&w);
    assert_eq!(after.backlog_alert_threshold, 40);
    assert_eq!(after.follow_up_capacity, 12);
    assert_eq!(
        OrgSettings {
            backlog_alert_threshold: before.backlog_alert_threshold,
            follow_up_capacity: before.follow_up_capacity,
            ..after.clone()
        },
        before,
        "nothing else moved"
    );
    // A rule switched off, with the rest of the rules as they were.
    let mut rules = after.follow_up_rules.clone();
    rules.birthday.enabled = false;
    rules.stale_lead.after_days = 45;
    run(
        &mut w,
        &admin,
        OpKind::UpdateSettings(SettingsPatch {
            follow_up_rules: Some(rules.clone()),
            ..SettingsPatch::default()
        }),
    )
    .unwrap();
    assert_eq!(settings(&w).follow_up_rules, rules);
    assert_eq!(settings(&w).backlog_alert_threshold, 40);
}

#[test]
fn numbers_nobody_could_mean_are_refused_with_the_field_named_and_change_nothing() {
    let mut w = world();
    let admin = person(&w, Role::Admin);
    let before = settings(&w);
    let mut bad_score = before.follow_up_rules.clone();
    bad_score.low_score.max_score = 9;
    let mut bad_cadence = before.follow_up_rules.clone();
    bad_cadence.new_lead.cadence_days = vec![1, 0, 7];
    let cases = [
        (
            SettingsPatch {
                backlog_alert_threshold: Some(0),
                ..SettingsPatch::default()
            },
            Field::BacklogAlertThreshold,
        ),
        (
            SettingsPatch {
                sla_risk_minutes: Some(5),
                ..SettingsPatch::default()
            },
            Field::SlaRiskMinutes,
        ),
        (
            SettingsPatch {
                follow_up_capacity: Some(0),
                ..SettingsPatch::default()
            },
            Field::FollowUpCapacity,
        ),
        (
            SettingsPatch {
                follow_up_capacity: Some(201),
                ..SettingsPatch::default()
            },
            Field::FollowUpCapacity,
        ),
        (
            SettingsPatch {
                follow_up_rules: Some(bad_score),
                ..SettingsPatch::default()
            },
            Field::FollowUpRule,
        ),
        (
            SettingsPatch {
                backlog_alert_threshold: Some(30),
                follow_up_rules: Some(bad_cadence),
                ..SettingsPatch::default()
            },
            Field::FollowUpRule,
        ),
    ];
    for (patch, field) in cases {
        let r = run(&mut w, &admin, OpKind::UpdateSettings(patch.clone()));
        assert_eq!(refused_field(r), Some(field), "{patch:?}");
    }
    assert_eq!(
        settings(&w),
        before,
        "a refused patch changes nothing, not even its good part"
    );
}

#[test]
fn a_persons_daily_follow_ups_are_set_by_their_dispatcher_and_cleared_back_to_the_default() {
    let mut w = world();
    let dispatcher = w
        .users()
        .find(|u| u.roles == vec![Role::Dispatcher])
        .cloned()
        .unwrap();
    let rep = w
        .users()
        .find(|u| u.has(Role::Sales) && u.stores.iter().any(|s| dispatcher.manages_store(*s)))
        .cloned()
        .unwrap();
    let org = settings(&w);
    let set = |capacity| OpKind::SetFollowUpCapacity {
        user: rep.id,
        capacity,
    };
    run(&mut w, &dispatcher, set(Some(12))).unwrap();
    let now = w.users().find(|u| u.id == rep.id).cloned().unwrap();
    assert_eq!(now.day_capacity(&org), 12);
    // The rep cannot change their own day, up or down.
    assert!(matches!(
        run(&mut w, &now, set(Some(5))),
        Err(OpError::Forbidden(_))
    ));
    assert_eq!(
        refused_field(run(&mut w, &dispatcher, set(Some(0)))),
        Some(Field::FollowUpCapacity)
    );
    run(&mut w, &dispatcher, set(None)).unwrap();
    let back = w.users().find(|u| u.id == rep.id).cloned().unwrap();
    assert_eq!(back.day_capacity(&org), usize::from(org.follow_up_capacity));
}
