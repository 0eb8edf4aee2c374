//! Rule tests: examples for each rule, and properties over random histories evaluated by
//! two devices that lag behind the server by different amounts.

use chrono::{NaiveDateTime, TimeZone, Timelike};
use proptest::prelude::*;

use super::fixture::Fixture;
use super::*;
use crate::followups::FollowUpStatus;
use crate::ids::JobId;
use crate::ops::{OpError, OpKind};

fn berlin() -> Tz {
    chrono_tz::Europe::Berlin
}

use chrono_tz::Tz;

fn local(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn hm(tz: Tz, t: DateTime<Utc>) -> (NaiveDate, u32, u32) {
    let l = t.with_timezone(&tz);
    (l.date_naive(), l.hour(), l.minute())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// What `user`'s device would raise at `now`, applied as that user's ops. Returns them.
fn raise(f: &mut Fixture, who: fn(&Fixture) -> UserId, now: DateTime<Utc>) -> Vec<Proposal> {
    let user = who(f);
    let Some(Record::User(u)) = f
        .records
        .record(&crate::ops::RecordKey::User(user))
        .cloned()
    else {
        panic!("no user")
    };
    let mine: Vec<Proposal> = due(&f.records, now)
        .into_iter()
        .filter(|p| p.is_for(&u))
        .collect();
    for p in &mine {
        f.op(user, now, OpKind::CreateFollowUp(p.new_follow_up()))
            .unwrap_or_else(|e| panic!("{:?} refused: {e}", p.rule));
    }
    mine
}

fn only(ps: &[Proposal], rule: Rule) -> &Proposal {
    let found: Vec<_> = ps.iter().filter(|p| p.rule == rule).collect();
    assert_eq!(found.len(), 1, "{rule:?} in {ps:#?}");
    found[0]
}

#[test]
fn a_new_lead_gets_first_contact_in_working_hours_then_the_cadence() {
    let tz = berlin();
    let mut f = Fixture::new(tz);
    // Friday 27 March 2026, 17:30: 30 working minutes today, 90 on Saturday morning.
    let created = local(tz, 2026, 3, 27, 17, 30);
    let lead = f.lead(created, f.rep);
    let ps = raise(&mut f, |f| f.rep, created);
    let first = only(&ps, Rule::FirstContact);
    assert_eq!(hm(tz, first.due_at), (date(2026, 3, 28), 10, 30));
    assert_eq!(first.owner, f.rep);
    assert_eq!(
        first.why,
        Why::FirstContact {
            interest: "piano".into()
        }
    );

    // Saturday 10:00 (CET): the call. It satisfies the first contact and starts the cadence.
    let call = local(tz, 2026, 3, 28, 10, 0);
    f.touch(call, lead, f.rep);
    let open: Vec<_> = f
        .follow_ups_of(Subject::Lead(lead))
        .into_iter()
        .filter(|x| x.is_open())
        .collect();
    assert!(open.is_empty(), "the call satisfied the first contact");
    let ps = raise(&mut f, |f| f.rep, call);
    // +1 day is Sunday 10:00 CEST (the clocks went forward overnight), but the store is
    // closed on Sundays: Monday 09:00.
    assert_eq!(
        hm(tz, only(&ps, Rule::Cadence).due_at),
        (date(2026, 3, 30), 9, 0)
    );
    assert_eq!(
        only(&ps, Rule::Cadence).why,
        Why::Cadence { step: 1, of: 4 }
    );
    // Each contact in the stage advances one step: +3, +7, +14 days, then the cadence ends.
    let mut at = local(tz, 2026, 3, 30, 11, 15);
    for days in [3u64, 7, 14] {
        f.touch(at, lead, f.rep);
        let ps = raise(&mut f, |f| f.rep, at);
        let expect = at.with_timezone(&tz).date_naive() + Days::new(days);
        let c = f
            .records
            .follow_ups()
            .find(|x| x.is_open() && Rule::of(&x.reason) == Some(Rule::Cadence));
        let due_at = match ps.iter().find(|p| p.rule == Rule::Cadence) {
            Some(p) => p.due_at,
            // +7 and +14 are more than `create_ahead_days` away: made later.
            None => {
                assert!(c.is_none());
                let later = due(
                    &f.records,
                    at + Duration::days(i64::try_from(days).unwrap()),
                );
                only(&later, Rule::Cadence).due_at
            }
        };
        assert_eq!(hm(tz, due_at), (expect, 11, 15));
        at += Duration::days(1);
    }
    f.touch(at, lead, f.rep);
    assert!(
        triggers(&f.records, at)
            .iter()
            .all(|p| p.rule != Rule::Cadence),
        "four steps, then the stale-lead rule takes over"
    );
}

#[test]
fn a_stale_lead_goes_to_its_owner_and_the_store_manager() {
    let tz = berlin();
    let mut f = Fixture::new(tz);
    let created = local(tz, 2026, 5, 4, 10, 0);
    let lead = f.lead(created, f.rep);
    f.touch(created + Duration::hours(1), lead, f.rep);
    let now = created + Duration::days(31);
    let ps = due(&f.records, now);
    assert_eq!(only(&ps, Rule::StaleLead).owner, f.rep);
    let m = only(&ps, Rule::StaleLeadManager);
    assert_eq!(m.owner, f.manager);
    assert_eq!(hm(tz, m.due_at), (date(2026, 6, 3), 11, 0));
    // The rep's device makes the rep's; the manager's device the manager's.
    let reps = raise(&mut f, |f| f.rep, now);
    assert!(reps.iter().all(|p| p.owner == f.rep));
    let managers = raise(&mut f, |f| f.manager, now);
    assert!(managers.iter().any(|p| p.rule == Rule::StaleLeadManager));
    // A call satisfies both.
    f.touch(now, lead, f.rep);
    assert!(
        f.follow_ups_of(Subject::Lead(lead))
            .iter()
            .all(|x| !x.is_open() || Rule::of(&x.reason) == Some(Rule::Cadence))
    );
}

#[test]
fn a_low_score_escalates_to_the_manager_and_the_rep() {
    let tz = berlin();
    let mut f = Fixture::new(tz);
    let t = local(tz, 2026, 10, 24, 16, 0);
    let c = f.customer(t - Duration::days(100), Some(f.rep), false, None);
    let job = f.completed_job(t, c, None, Some(2));
    let ps = due(&f.records, t);
    let esc = only(&ps, Rule::LowScoreEscalation);
    assert_eq!(esc.owner, f.manager);
    assert_eq!(esc.subject, Subject::Job(job));
    assert_eq!(
        esc.due_at,
        t + Duration::hours(24),
        "within 24 h, even across DST"
    );
    assert_eq!(only(&ps, Rule::LowScoreRep).owner, f.rep);
    // The satisfaction call comes two days later, at the same local time.
    let sat = only(&ps, Rule::SatisfactionCall);
    assert_eq!(hm(tz, sat.due_at), (date(2026, 10, 26), 16, 0));
    // A happy customer: no escalation.
    let job2 = f.completed_job(t, c, None, Some(4));
    assert!(
        due(&f.records, t)
            .iter()
            .all(|p| p.subject != Subject::Job(job2) || p.rule == Rule::SatisfactionCall)
    );
}

#[test]
fn customer_rules_churn_vip_maintenance_warranty_birthday() {
    let tz = berlin();
    let mut f = Fixture::new(tz);
    let now = local(tz, 2026, 6, 10, 12, 0);
    // Bought a piano 4 months ago, nothing since: churn risk for the owner from the first
    // day past the 90 days of the at-risk threshold (no usual gap: one purchase).
    let quiet = f.customer(now - Duration::days(400), Some(f.rep), false, None);
    f.asset(now, quiet, date(2026, 2, 5), 100_000, None, None, None);
    let ps = due(&f.records, now);
    let churn = ps
        .iter()
        .find(|p| p.rule == Rule::Churn && p.subject == Subject::Customer(quiet))
        .expect("churn");
    assert_eq!(hm(tz, churn.due_at), (date(2026, 5, 7), 9, 0));
    assert_eq!(
        churn.why,
        Why::ChurnRisk {
            since: date(2026, 2, 5),
            usual_gap_days: None
        }
    );

    // A regular who buys strings every 20 days: at risk from 41 days quiet (twice the gap),
    // long before 90. Purchase records count, not only assets.
    let regular = f.customer(now - Duration::days(400), Some(f.rep), true, None);
    for k in 0..4u64 {
        let on = date(2026, 3, 1) + chrono::Days::new(20 * k);
        f.purchase(now - Duration::days(1), regular, on, 8_000);
    }
    let ps = due(&f.records, now);
    let churn = ps
        .iter()
        .find(|p| p.rule == Rule::Churn && p.subject == Subject::Customer(regular))
        .expect("churn of a regular");
    // Last purchase 2026-04-30; 41 days later is 2026-06-10.
    assert_eq!(hm(tz, churn.due_at), (date(2026, 6, 10), 9, 0));
    assert!(ps.iter().all(|p| p.rule != Rule::WinBack));

    // Lapsed after 365 quiet days: a win-back for those who agreed to marketing only.
    let lapsed_yes = f.customer(now - Duration::days(900), Some(f.rep), true, None);
    f.purchase(
        now - Duration::days(1),
        lapsed_yes,
        date(2025, 3, 1),
        50_000,
    );
    let lapsed_no = f.customer(now - Duration::days(900), Some(f.rep), false, None);
    f.purchase(now - Duration::days(1), lapsed_no, date(2025, 3, 1), 50_000);
    let ps = due(&f.records, now);
    let win = ps
        .iter()
        .find(|p| p.rule == Rule::WinBack && p.subject == Subject::Customer(lapsed_yes))
        .expect("win-back");
    assert_eq!(hm(tz, win.due_at), (date(2026, 3, 2), 9, 0));
    assert!(
        !ps.iter()
            .any(|p| p.rule == Rule::WinBack && p.subject == Subject::Customer(lapsed_no)),
        "no marketing to a customer who did not agree to it"
    );

    // A VIP: 80,000.00 this year; checked in 30 days after the last contact.
    let vip = f.customer(now - Duration::days(400), Some(f.rep), false, None);
    f.asset(now, vip, date(2026, 5, 20), 8_000_000, None, None, None);
    let ps = due(&f.records, now + Duration::days(20));
    let v = ps
        .iter()
        .find(|p| p.rule == Rule::VipCheckIn && p.subject == Subject::Customer(vip))
        .expect("vip check-in");
    assert_eq!(hm(tz, v.due_at), (date(2026, 6, 19), 9, 0));

    // Maintenance every 182 days from the last service, for the owner.
    let tuned = f.customer(now - Duration::days(400), Some(f.rep), false, None);
    let piano = f.asset(
        now,
        tuned,
        date(2024, 1, 1),
        0,
        Some(date(2026, 7, 1)),
        Some(182),
        Some(date(2025, 12, 10)),
    );
    let ps = due(&f.records, now);
    let m = only(&ps, Rule::Maintenance(piano));
    assert_eq!(hm(tz, m.due_at), (date(2026, 6, 10), 9, 0));
    // Warranty ends 1 July: offer an extension from 1 June.
    let w = only(&ps, Rule::Warranty(piano));
    assert_eq!(hm(tz, w.due_at), (date(2026, 6, 1), 9, 0));
    // A completed visit on the piano counts as its service.
    f.completed_job(now, tuned, Some(piano), Some(5));
    assert!(
        due(&f.records, now + Duration::hours(1))
            .iter()
            .all(|p| p.rule != Rule::Maintenance(piano))
    );
    // After the warranty has ended there is nothing to offer.
    assert!(
        due(&f.records, local(tz, 2026, 7, 3, 9, 0))
            .iter()
            .all(|p| p.rule != Rule::Warranty(piano))
    );

    // Birthdays only with marketing consent.
    let fan = f.customer(now, Some(f.rep), true, Some(date(1980, 6, 12)));
    let shy = f.customer(now, Some(f.rep), false, Some(date(1980, 6, 12)));
    let ps = due(&f.records, now);
    let b = only(
        &ps.iter()
            .filter(|p| p.subject == Subject::Customer(fan))
            .cloned()
            .collect::<Vec<_>>(),
        Rule::Birthday,
    )
    .clone();
    assert_eq!(hm(tz, b.due_at), (date(2026, 6, 12), 9, 0));
    assert_eq!(
        b.why,
        Why::Birthday {
            day: date(2026, 6, 12)
        }
    );
    assert_eq!(
        b.new_follow_up().why,
        Some(b.why.clone()),
        "the follow-up keeps what the rule saw"
    );
    assert!(
        ps.iter()
            .all(|p| !(p.subject == Subject::Customer(shy) && p.rule == Rule::Birthday))
    );
}

#[test]
fn rules_can_be_switched_off_and_tuned_and_old_settings_still_load() {
    let tz = berlin();
    let mut f = Fixture::new(tz);
    let t = local(tz, 2026, 10, 20, 16, 0);
    let c = f.customer(t - Duration::days(10), Some(f.rep), false, None);
    f.completed_job(t, c, None, Some(3));
    let Some(Record::Org(mut org)) = f
        .records
        .record(&crate::ops::RecordKey::Org(f.org))
        .cloned()
    else {
        panic!()
    };
    org.settings.follow_up_rules.low_score.max_score = 2;
    org.settings.follow_up_rules.satisfaction_call.after_days = 5;
    f.records.insert(Record::Org(org.clone()));
    let ps = due(&f.records, t + Duration::days(3));
    assert!(ps.iter().all(|p| p.rule != Rule::LowScoreEscalation));
    assert_eq!(
        hm(tz, only(&ps, Rule::SatisfactionCall).due_at),
        (date(2026, 10, 26), 9, 0),
        "5 days later is a Sunday, when the store is closed: Monday's opening"
    );
    org.settings.follow_up_rules.satisfaction_call.enabled = false;
    f.records.insert(Record::Org(org.clone()));
    assert!(
        due(&f.records, t)
            .iter()
            .all(|p| p.rule != Rule::SatisfactionCall)
    );

    // A store with rules of its own works by them; the organization's switch no longer
    // reaches it, and taking them away brings the organization's back.
    let mut own = org.settings.follow_up_rules.clone();
    own.satisfaction_call.enabled = true;
    org.settings.store_rules = vec![crate::org::StoreRules {
        store: f.store,
        rules: own,
    }];
    f.records.insert(Record::Org(org.clone()));
    only(
        &due(&f.records, t + Duration::days(3)),
        Rule::SatisfactionCall,
    );
    org.settings.store_rules.clear();
    f.records.insert(Record::Org(org));
    assert!(
        due(&f.records, t + Duration::days(3))
            .iter()
            .all(|p| p.rule != Rule::SatisfactionCall)
    );

    // Settings stored before rules existed read as the defaults.
    let old = serde_json::json!({
        "currency": "EUR", "backlog_alert_threshold": 10, "sla_risk_minutes": 60
    });
    let s: crate::org::OrgSettings = serde_json::from_value(old).unwrap();
    assert_eq!(s.follow_up_rules, FollowUpRules::default());
    let partial = serde_json::json!({"low_score": {"max_score": 1}});
    let r: FollowUpRules = serde_json::from_value(partial).unwrap();
    assert_eq!(r.low_score.max_score, 1);
    assert_eq!(r.low_score.within_hours, 24);
}

#[test]
fn rule_keys_round_trip_and_ids_are_stable() {
    let a = AssetId(Uuid::from_u128(7));
    for r in [
        Rule::Cadence,
        Rule::Maintenance(a),
        Rule::Warranty(a),
        Rule::Birthday,
    ] {
        assert_eq!(Rule::of(&r.reason()), Some(r));
    }
    assert_eq!(Rule::of(&Reason::Rule("from-a-newer-app".into())), None);
    assert_eq!(Rule::of(&Reason::Manual), None);
    // Pinned: a device on another version must derive the same id.
    let id = follow_up_id(
        OrgId(Uuid::from_u128(1)),
        Subject::Job(crate::ids::JobId(Uuid::from_u128(2))),
        &Rule::SatisfactionCall,
        "",
    );
    assert_eq!(id.0.to_string(), "7052641c-cee1-57d7-a392-d12759b2305a");
}

// ---------------------------------------------------------------------------------------
// Properties

/// Instants around the 2026 DST changes in Berlin (29 March, 25 October) and New York
/// (8 March, 1 November), to the minute.
fn around_dst() -> impl Strategy<Value = (Tz, DateTime<Utc>)> {
    let ny = chrono_tz::America::New_York;
    // The Sundays of the 2026 changes.
    let changes = [
        (berlin(), date(2026, 3, 29)),
        (berlin(), date(2026, 10, 25)),
        (ny, date(2026, 3, 8)),
        (ny, date(2026, 11, 1)),
    ];
    // Mostly in opening hours on the days just before a change (so that "n days later"
    // crosses it), sometimes any minute of the days around it.
    let before =
        (0..changes.len(), 1u64..=3, (9 * 60u32)..(18 * 60)).prop_map(move |(i, back, minute)| {
            let (tz, sunday) = changes[i];
            let day = sunday - Days::new(back);
            (
                tz,
                local_naive(tz, day.and_hms_opt(minute / 60, minute % 60, 0).unwrap()),
            )
        });
    let any = (0..changes.len(), -4 * 24 * 60i64..2 * 24 * 60).prop_map(move |(i, m)| {
        let (tz, sunday) = changes[i];
        (
            tz,
            local_naive(tz, sunday.and_hms_opt(0, 0, 0).unwrap()) + Duration::minutes(m),
        )
    });
    prop_oneof![3 => before, 1 => any]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Score 2, any completion time, any owner situation, whichever device evaluates a
    /// little later: the manager's escalation is raised, due 24 h after completion.
    #[test]
    fn a_completed_job_with_score_2_always_yields_the_manager_escalation(
        (tz, done) in around_dst(),
        owned in any::<bool>(),
        late_minutes in 0i64..(13 * 24 * 60),
    ) {
        let mut f = Fixture::new(tz);
        let owner = owned.then_some(f.rep);
        let c = f.customer(done - Duration::days(30), owner, false, None);
        let job = f.completed_job(done, c, None, Some(2));
        let now = done + Duration::minutes(late_minutes);
        raise(&mut f, |f| f.manager, now);
        raise(&mut f, |f| f.rep, now);
        let esc: Vec<_> = f.follow_ups_of(Subject::Job(job)).into_iter()
            .filter(|x| Rule::of(&x.reason) == Some(Rule::LowScoreEscalation))
            .collect();
        prop_assert_eq!(esc.len(), 1);
        prop_assert_eq!(esc[0].owner, f.manager);
        prop_assert_eq!(esc[0].due_at, done + Duration::hours(24));
        let rep_side = f.follow_ups_of(Subject::Job(job)).into_iter()
            .filter(|x| Rule::of(&x.reason) == Some(Rule::LowScoreRep))
            .count();
        prop_assert_eq!(rep_side, usize::from(owned));
    }

    /// Snoozing "n days" or "tomorrow morning" brings the follow-up back at the right local
    /// time, whichever side of a DST change the snooze and the return fall on.
    #[test]
    fn snoozed_follow_ups_come_back_at_the_right_local_time_across_dst(
        (tz, now) in around_dst(),
        days in 1u16..4,
        tomorrow in any::<bool>(),
    ) {
        let mut f = Fixture::new(tz);
        let c = f.customer(now - Duration::days(3), Some(f.rep), false, None);
        let job = f.completed_job(now - Duration::days(3), c, None, Some(5));
        raise(&mut f, |f| f.rep, now - Duration::minutes(1));
        let sat = f.follow_ups_of(Subject::Job(job))[0].id;
        let cal = Calendar::of(match f.records.record(&crate::ops::RecordKey::Store(f.store)) {
            Some(Record::Store(s)) => s,
            _ => unreachable!(),
        });
        let choice = if tomorrow { Snooze::TomorrowMorning } else { Snooze::Days(days) };
        let until = choice.until(&cal, now);
        f.op(f.rep, now, OpKind::SnoozeFollowUp { follow_up: sat, until }).unwrap();
        let back = f.records.follow_ups().find(|x| x.id == sat).unwrap().effective_due();
        prop_assert!(back > now);
        let (d, h, m) = hm(tz, back);
        let start = now.with_timezone(&tz);
        if tomorrow {
            // The next opening after today: 09:00 on the first open day.
            prop_assert_eq!((h, m), (9, 0));
            prop_assert!(d > start.date_naive() && d <= start.date_naive() + Days::new(2));
        } else {
            // Oracle in local terms: the same wall-clock time on the date `days` later, or
            // the next opening after it when the store is closed then.
            let target = start.date_naive() + Days::new(u64::from(days));
            let wall = target.and_time(start.time());
            let expect = cal.next_open(local_naive(tz, wall));
            prop_assert_eq!(back, expect);
            if cal.hours.contains(tz, local_naive(tz, wall)) {
                prop_assert_eq!((d, h, m), (target, start.hour(), start.minute()), "same wall clock");
            }
        }
    }
}

fn local_naive(tz: Tz, n: NaiveDateTime) -> DateTime<Utc> {
    calendar::local_to_utc(tz, n)
}

/// One random history: one-off triggers spread over six weeks, contacts on leads, and the
/// owners working their follow-ups; evaluated by two devices at random moments, each on a
/// copy of the server's records that is behind by a random number of steps.
#[derive(Clone, Debug)]
enum Step {
    Advance { hours: u16 },
    CompleteJob { customer: u8, score: Option<u8> },
    Touch { lead: u8 },
    NewLead,
    Work { pick: u8, snooze: bool },
    Evaluate { manager: bool, lag: u8 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1u16..60).prop_map(|hours| Step::Advance { hours }),
        2 => (any::<u8>(), prop::option::of(1u8..=5))
            .prop_map(|(customer, score)| Step::CompleteJob { customer, score }),
        2 => any::<u8>().prop_map(|lead| Step::Touch { lead }),
        1 => Just(Step::NewLead),
        2 => (any::<u8>(), any::<bool>()).prop_map(|(pick, snooze)| Step::Work { pick, snooze }),
        4 => (any::<bool>(), 0u8..4).prop_map(|(manager, lag)| Step::Evaluate { manager, lag }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Rules never propose two follow-ups for one subject and reason, never one whose subject
    /// already has one open for that reason, and the server never holds two open; every
    /// rule-made create by a device that is up to date applies; and each one-off trigger
    /// (satisfaction call, escalation, the rep's call-back) fires exactly once.
    #[test]
    fn rules_fire_each_trigger_once_and_never_stack_open_follow_ups(
        steps in prop::collection::vec(step(), 1..60),
    ) {
        let tz = berlin();
        let mut f = Fixture::new(tz);
        let mut now = local(tz, 2026, 3, 20, 10, 0);
        let mut customers = Vec::new();
        for k in 0..4 {
            let owner = (k % 2 == 0).then_some(f.rep);
            customers.push(f.customer(now - Duration::days(10), owner, false, None));
        }
        let mut leads = vec![f.lead(now, f.rep)];
        let mut jobs: Vec<(JobId, Option<u8>, bool)> = Vec::new();
        // Snapshots of the server's records: what lagging devices evaluate on.
        let mut history: Vec<MemoryRecords> = vec![f.records.clone()];
        let mut created: BTreeMap<FollowUpId, usize> = BTreeMap::new();
        for s in steps {
            match s {
                Step::Advance { hours } => now += Duration::hours(i64::from(hours)),
                Step::CompleteJob { customer, score } => {
                    let c = customers[usize::from(customer) % customers.len()];
                    let owned = matches!(
                        f.records.record(&crate::ops::RecordKey::Customer(c)),
                        Some(Record::Customer(x)) if x.owner.is_some()
                    );
                    jobs.push((f.completed_job(now, c, None, score), score, owned));
                }
                Step::Touch { lead } => {
                    let l = leads[usize::from(lead) % leads.len()];
                    f.touch(now, l, f.rep);
                }
                Step::NewLead => leads.push(f.lead(now, f.rep)),
                Step::Work { pick, snooze } => {
                    let open: Vec<(FollowUpId, UserId)> = f.records.follow_ups()
                        .filter(|x| x.is_open()).map(|x| (x.id, x.owner)).collect();
                    if !open.is_empty() {
                        let (id, owner) = open[usize::from(pick) % open.len()];
                        let kind = if snooze {
                            OpKind::SnoozeFollowUp { follow_up: id, until: now + Duration::hours(20) }
                        } else {
                            OpKind::CompleteFollowUp { follow_up: id }
                        };
                        f.op(owner, now, kind).unwrap();
                    }
                }
                Step::Evaluate { manager, lag } => {
                    let who = if manager { f.manager } else { f.rep };
                    let Some(Record::User(u)) =
                        f.records.record(&crate::ops::RecordKey::User(who)).cloned() else {
                        unreachable!()
                    };
                    let lag = usize::from(lag).min(history.len() - 1);
                    let view = &history[history.len() - 1 - lag];
                    let ps = due(view, now);
                    let mut seen = BTreeSet::new();
                    for p in &ps {
                        prop_assert!(seen.insert((p.subject, p.rule.key())), "two for one subject and reason");
                        prop_assert!(
                            !view.follow_ups().any(|x| x.is_open() && x.subject == p.subject && x.reason == p.rule.reason()),
                            "proposed over an open one"
                        );
                    }
                    for p in ps.into_iter().filter(|p| p.is_for(&u)) {
                        match f.op(who, now, OpKind::CreateFollowUp(p.new_follow_up())) {
                            Ok(a) => {
                                if !a.changed.is_empty() {
                                    *created.entry(p.id).or_default() += 1;
                                }
                            }
                            // A lagging device may propose what the server already covers;
                            // the device keeps such refusals to itself.
                            Err(OpError::Conflict(_)) if lag > 0 => {}
                            Err(e) => prop_assert!(false, "{:?} refused: {e}", p.rule),
                        }
                    }
                }
            }
            history.push(f.records.clone());
            if history.len() > 8 {
                history.remove(0);
            }
            let mut open = BTreeSet::new();
            for x in f.records.follow_ups().filter(|x| x.is_open()) {
                prop_assert!(open.insert((x.subject, x.reason.clone())), "two open for {:?}", x.subject);
            }
        }
        prop_assert!(created.values().all(|n| *n == 1));
        // Finally both devices catch up, two weeks later than the last completion at most.
        let end = now + Duration::days(3);
        raise(&mut f, |f| f.manager, end);
        raise(&mut f, |f| f.rep, end);
        for (job, score, owned) in jobs {
            let count = |rule: Rule| f.follow_ups_of(Subject::Job(job)).iter()
                .filter(|x| Rule::of(&x.reason) == Some(rule)).count();
            let low = score.is_some_and(|s| s <= 3);
            // One-off triggers older than the catch-up window may legitimately be let go;
            // within it they fire exactly once.
            let fresh = f.records.jobs().find(|j| j.id == job).unwrap()
                .history.last().unwrap().at + Duration::days(14) > end;
            if fresh {
                prop_assert_eq!(count(Rule::SatisfactionCall), 1);
                prop_assert_eq!(count(Rule::LowScoreEscalation), usize::from(low));
                prop_assert_eq!(count(Rule::LowScoreRep), usize::from(low && owned));
            } else {
                prop_assert!(count(Rule::SatisfactionCall) <= 1);
            }
        }
        let statuses_ok = f.records.follow_ups().all(|x| match x.status {
            FollowUpStatus::Snoozed { until } => until > x.created_at,
            _ => true,
        });
        prop_assert!(statuses_ok);
    }
}

#[test]
fn the_store_manager_is_the_named_one_else_a_dispatcher_else_an_admin() {
    let tz = berlin();
    let mut f = Fixture::new(tz);
    let t = local(tz, 2026, 10, 20, 16, 0);
    let c = f.customer(t - Duration::days(10), None, false, None);
    let job = f.completed_job(t, c, None, Some(1));
    let owner_of = |f: &Fixture, rule: Rule| {
        due(&f.records, t)
            .into_iter()
            .find(|p| p.subject == Subject::Job(job) && p.rule == rule)
            .map(|p| p.owner)
    };
    assert_eq!(owner_of(&f, Rule::LowScoreEscalation), Some(f.manager));
    // No rep owns the customer: the satisfaction call goes to the manager too, and there is
    // no rep-side call-back.
    assert_eq!(owner_of(&f, Rule::SatisfactionCall), Some(f.manager));
    assert_eq!(owner_of(&f, Rule::LowScoreRep), None);
    // Named in the settings.
    let Some(Record::Org(mut org)) = f
        .records
        .record(&crate::ops::RecordKey::Org(f.org))
        .cloned()
    else {
        panic!()
    };
    org.settings.follow_up_rules.managers = vec![StoreManager {
        store: f.store,
        user: f.rep,
    }];
    f.records.insert(Record::Org(org.clone()));
    assert_eq!(owner_of(&f, Rule::LowScoreEscalation), Some(f.rep));
    // No dispatcher left: an admin.
    org.settings.follow_up_rules.managers.clear();
    f.records.insert(Record::Org(org));
    let Some(Record::User(mut d)) = f
        .records
        .record(&crate::ops::RecordKey::User(f.manager))
        .cloned()
    else {
        panic!()
    };
    d.active = false;
    f.records.insert(Record::User(d));
    assert_eq!(owner_of(&f, Rule::LowScoreEscalation), Some(f.admin));
}
