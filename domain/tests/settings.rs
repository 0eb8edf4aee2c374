//! Settings as data (issue 16, item 2): the organization's settings and a person's daily
//! follow-ups change through ops, a patch changes only what it sets, and numbers nobody could
//! mean are refused with the field named. Who may is the rules table's (`tests/rules.rs`).

use domain::ops::Field;
use domain::ops::{OpError, OpKind, Record, records::MemoryRecords};
use domain::org::{OrgSettings, Role, SettingsPatch, User};

mod common;
use common::start;

fn world() -> MemoryRecords {
    common::world(3, 1, 2, 4)
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
    common::run(world, actor, kind).map(|_| ())
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

/// SLA by tier and service type (issue 16, item 2): a promise set for one pair applies to
/// the jobs created after it, an urgent job is still promised within a day, and taking the
/// promise back restores the standard one. Nonsense hours are refused with the field named.
#[test]
fn sla_hours_per_tier_and_service_apply_to_new_jobs() {
    use domain::jobs::{Priority, ServiceType, sla};
    use domain::ops::records::RecordsExt;
    use domain::org::SlaHoursPatch;
    let mut w = world();
    let admin = person(&w, Role::Admin);
    let customer = w
        .iter()
        .find_map(|r| match r {
            Record::Customer(c) => Some(c.clone()),
            _ => None,
        })
        .unwrap();
    let set = |hours| {
        OpKind::UpdateSettings(SettingsPatch {
            sla_hours: Some(SlaHoursPatch {
                tier: customer.tier,
                service: ServiceType::Repair,
                hours,
            }),
            ..SettingsPatch::default()
        })
    };
    let job = |w: &mut MemoryRecords, priority| {
        let new = common::job(customer.id, ServiceType::Repair, priority);
        let id = new.id;
        run(w, &admin, OpKind::CreateJob(new)).unwrap();
        (w.job(id).unwrap().sla_deadline - start()).num_hours()
    };
    run(&mut w, &admin, set(Some(30))).unwrap();
    assert_eq!(job(&mut w, Priority::Normal), 30);
    assert_eq!(job(&mut w, Priority::Urgent), 24, "urgent: within a day");
    run(&mut w, &admin, set(Some(6))).unwrap();
    assert_eq!(
        job(&mut w, Priority::Urgent),
        6,
        "never later than the tier's promise"
    );
    run(&mut w, &admin, set(None)).unwrap();
    assert_eq!(
        job(&mut w, Priority::Normal),
        i64::from(sla::standard_hours(customer.tier, ServiceType::Repair))
    );
    assert!(settings(&w).sla_hours.is_empty());
    assert_eq!(
        refused_field(run(&mut w, &admin, set(Some(0)))),
        Some(Field::SlaHours)
    );
    let rep = person(&w, Role::Sales);
    assert!(matches!(
        run(&mut w, &rep, set(Some(30))),
        Err(OpError::Forbidden(_))
    ));
}

/// Per-store follow-up rules: a store's own set, checked like the organization's, read by
/// `rules_for`; the other stores keep the organization's; cleared, the store follows them again.
#[test]
fn a_store_keeps_follow_up_rules_of_its_own() {
    use domain::ids::StoreId;
    use domain::org::StoreRulesPatch;
    let mut w = world();
    let admin = person(&w, Role::Admin);
    let stores: Vec<StoreId> = w
        .iter()
        .filter_map(|r| match r {
            Record::Store(s) => Some(s.id),
            _ => None,
        })
        .collect();
    let (a, b) = (stores[0], stores[1]);
    let mut own = settings(&w).follow_up_rules;
    own.stale_lead.after_days = 9;
    own.birthday.enabled = false;
    let patch = |store, rules| {
        OpKind::UpdateSettings(SettingsPatch {
            store_rules: Some(StoreRulesPatch { store, rules }),
            ..SettingsPatch::default()
        })
    };
    run(&mut w, &admin, patch(a, Some(own.clone()))).unwrap();
    let s = settings(&w);
    assert_eq!(s.rules_for(a), &own);
    assert_eq!(s.rules_for(b), &s.follow_up_rules);
    let mut silly = own.clone();
    silly.stale_lead.after_days = 0;
    assert_eq!(
        refused_field(run(&mut w, &admin, patch(a, Some(silly)))),
        Some(Field::FollowUpRule)
    );
    assert!(matches!(
        run(&mut w, &admin, patch(StoreId::new(), Some(own))),
        Err(OpError::NotFound { .. })
    ));
    run(&mut w, &admin, patch(a, None)).unwrap();
    let s = settings(&w);
    assert_eq!(s.rules_for(a), &s.follow_up_rules);
}

/// Two admins change follow-up rules from the same screen: the second change, made on rules
/// the first has since changed, is refused in words instead of quietly undoing the first.
#[test]
fn a_rules_change_made_on_rules_changed_since_is_refused() {
    let mut w = world();
    let admin = person(&w, Role::Admin);
    let seen = settings(&w).follow_up_rules;
    let mut first = seen.clone();
    first.birthday.enabled = false;
    let mut second = seen.clone();
    second.stale_lead.after_days = 50;
    let change = |rules, seen| {
        OpKind::UpdateSettings(SettingsPatch {
            follow_up_rules: Some(rules),
            rules_seen: Some(Box::new(seen)),
            ..SettingsPatch::default()
        })
    };
    run(&mut w, &admin, change(first.clone(), seen.clone())).unwrap();
    assert_eq!(
        run(&mut w, &admin, change(second, seen)),
        Err(OpError::Conflict(
            domain::ops::Clash::SettingsChangedMeanwhile
        ))
    );
    assert_eq!(
        settings(&w).follow_up_rules,
        first,
        "the first change stands"
    );
    // Made again on what is there now, it goes through.
    let mut again = first.clone();
    again.stale_lead.after_days = 50;
    run(&mut w, &admin, change(again.clone(), first)).unwrap();
    assert_eq!(settings(&w).follow_up_rules, again);
}
