//! [`Standing`] answers what the whole-replica [`due`] answers, whatever happens to the
//! replica and the clock: records added, changed, moved between customers and removed (as
//! sync does when scope changes), settings changed, days passing, the clock going back.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::Standing;
use crate::followups::rules::fixture::Fixture;
use crate::followups::rules::{Proposal, due};
use crate::ops::{OpKind, Record, RecordKey};
use crate::org::User;

#[derive(Clone, Debug)]
enum Step {
    /// Minutes; some go back (a clock corrected), some cross days.
    Advance(i64),
    CompleteJob {
        customer: u8,
        score: Option<u8>,
    },
    Touch {
        lead: u8,
    },
    NewLead,
    Asset {
        customer: u8,
        price: i64,
        warranty: bool,
        interval: bool,
    },
    Owner {
        customer: u8,
        rep: bool,
    },
    Birthday {
        customer: u8,
        consent: bool,
    },
    MoveJob {
        job: u8,
        customer: u8,
    },
    /// Takes a record out of the replica (it left the device's scope), to come back later.
    Remove {
        pick: u16,
    },
    Restore,
    /// Makes what the person's device would make: follow-ups come into existence.
    Raise {
        who: u8,
    },
    Work {
        pick: u8,
        snooze: bool,
    },
    AheadDays(u32),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => prop_oneof![-3000i64..0, 1i64..3000, 2000i64..40_000].prop_map(Step::Advance),
        // A device clock put right by a day, back and forth across midnight.
        1 => prop_oneof![Just(-1440i64), Just(1440i64)].prop_map(Step::Advance),
        2 => (any::<u8>(), prop::option::of(1u8..=5))
            .prop_map(|(customer, score)| Step::CompleteJob { customer, score }),
        2 => any::<u8>().prop_map(|lead| Step::Touch { lead }),
        1 => Just(Step::NewLead),
        2 => (any::<u8>(), 0i64..8_000_000, any::<bool>(), any::<bool>()).prop_map(
            |(customer, price, warranty, interval)| Step::Asset { customer, price, warranty, interval }
        ),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(customer, rep)| Step::Owner { customer, rep }),
        1 => (any::<u8>(), any::<bool>())
            .prop_map(|(customer, consent)| Step::Birthday { customer, consent }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(job, customer)| Step::MoveJob { job, customer }),
        1 => any::<u16>().prop_map(|pick| Step::Remove { pick }),
        1 => Just(Step::Restore),
        2 => (0u8..3).prop_map(|who| Step::Raise { who }),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(pick, snooze)| Step::Work { pick, snooze }),
        1 => (0u32..30).prop_map(Step::AheadDays),
    ]
}

fn user(f: &Fixture, id: crate::ids::UserId) -> User {
    match f.records.record(&RecordKey::User(id)) {
        Some(Record::User(u)) => u.clone(),
        _ => panic!("no user"),
    }
}

fn expected(f: &Fixture, now: DateTime<Utc>, u: &User) -> Vec<Proposal> {
    due(&f.records, now)
        .into_iter()
        .filter(|p| p.is_for(u))
        .collect()
}

fn pick<T: Copy>(v: &[T], i: impl Into<usize>) -> Option<T> {
    (!v.is_empty()).then(|| v[i.into() % v.len()])
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn standing_answers_what_the_whole_replica_answers(
        steps in prop::collection::vec(step(), 1..50),
    ) {
        let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
        let mut f = Fixture::new(tz);
        // Near a new year, so that which birthdays are near changes with the date.
        let mut now = DateTime::parse_from_rfc3339("2026-12-29T10:00:00+08:00")
            .unwrap()
            .with_timezone(&Utc);
        let mut customers = Vec::new();
        for k in 0..5u8 {
            let owner = (k % 2 == 0).then_some(f.rep);
            let birthday = (k == 1).then(|| date(1980, 1, 2));
            customers.push(f.customer(now - Duration::days(200), owner, k == 1, birthday));
        }
        let mut leads = vec![f.lead(now, f.rep)];
        let mut jobs = Vec::new();
        let mut removed: Vec<Record> = Vec::new();
        let people = [f.manager, f.rep, f.admin];
        let mut standing: Vec<Standing> = people.iter().map(|_| Standing::default()).collect();
        for s in steps {
            match s {
                Step::Advance(minutes) => now += Duration::minutes(minutes),
                Step::CompleteJob { customer, score } => {
                    if let Some(c) = pick(&customers, customer)
                        && f.records.record(&RecordKey::Customer(c)).is_some()
                    {
                        jobs.push(f.completed_job(now, c, None, score));
                    }
                }
                Step::Touch { lead } => {
                    if let Some(l) = pick(&leads, lead)
                        && f.records.record(&RecordKey::Lead(l)).is_some()
                    {
                        f.touch(now, l, f.rep);
                    }
                }
                Step::NewLead => leads.push(f.lead(now, f.rep)),
                Step::Asset { customer, price, warranty, interval } => {
                    if let Some(c) = pick(&customers, customer)
                        && f.records.record(&RecordKey::Customer(c)).is_some()
                    {
                        let today = now.date_naive();
                        // Leaves the last year's spend (VIP) within days.
                        let bought = today - Duration::days(362);
                        f.asset(
                            now,
                            c,
                            bought,
                            price,
                            warranty.then(|| today + Duration::days(20)),
                            interval.then_some(180),
                            None,
                        );
                    }
                }
                Step::Owner { customer, rep } => {
                    if let Some(c) = pick(&customers, customer)
                        && let Some(Record::Customer(mut x)) =
                            f.records.record(&RecordKey::Customer(c)).cloned()
                    {
                        x.owner = if rep { Some(f.rep) } else { Some(f.manager) };
                        f.records.insert(Record::Customer(x));
                    }
                }
                Step::Birthday { customer, consent } => {
                    if let Some(c) = pick(&customers, customer)
                        && let Some(Record::Customer(mut x)) =
                            f.records.record(&RecordKey::Customer(c)).cloned()
                    {
                        x.marketing_consent = consent;
                        x.birthday = Some((now + Duration::days(3)).date_naive()
                            - Duration::days(365 * 40));
                        f.records.insert(Record::Customer(x));
                    }
                }
                Step::MoveJob { job, customer } => {
                    if let (Some(j), Some(c)) = (pick(&jobs, job), pick(&customers, customer))
                        && let Some(Record::Job(mut x)) = f.records.record(&RecordKey::Job(j)).cloned()
                    {
                        x.customer = c;
                        f.records.insert(Record::Job(x));
                    }
                }
                Step::Remove { pick: p } => {
                    let movable: Vec<RecordKey> = f.records.iter()
                        .map(Record::key)
                        .filter(|k| !matches!(
                            k,
                            RecordKey::Org(_) | RecordKey::Store(_) | RecordKey::User(_) | RecordKey::Technician(_)
                        ))
                        .collect();
                    if let Some(k) = pick(&movable, p)
                        && let Some(r) = f.records.record(&k).cloned()
                    {
                        f.records.remove(&k);
                        removed.push(r);
                    }
                }
                Step::Restore => {
                    if let Some(r) = removed.pop() {
                        f.records.insert(r);
                    }
                }
                Step::Raise { who } => {
                    let id = people[usize::from(who) % people.len()];
                    let u = user(&f, id);
                    for p in expected(&f, now, &u) {
                        let _ = f.op(id, now, OpKind::CreateFollowUp(p.new_follow_up()));
                    }
                }
                Step::Work { pick: p, snooze } => {
                    let open: Vec<_> = f.records.follow_ups()
                        .filter(|x| x.is_open()).map(|x| (x.id, x.owner)).collect();
                    if let Some((id, owner)) = pick(&open, p) {
                        let kind = if snooze {
                            OpKind::SnoozeFollowUp { follow_up: id, until: now + Duration::hours(20) }
                        } else {
                            OpKind::CompleteFollowUp { follow_up: id }
                        };
                        let _ = f.op(owner, now, kind);
                    }
                }
                Step::AheadDays(days) => {
                    if let Some(Record::Org(mut o)) = f.records.record(&RecordKey::Org(f.org)).cloned() {
                        o.settings.follow_up_rules.create_ahead_days = days;
                        f.records.insert(Record::Org(o));
                    }
                }
            }
            for (who, st) in people.iter().zip(&mut standing) {
                let u = user(&f, *who);
                st.refresh(&f.records, now, &u);
                prop_assert_eq!(st.due(&f.records, now), expected(&f, now, &u), "for {}", u.login);
            }
        }
    }
}

/// The journal reaches further back than any one sync page, so a device in steady use
/// never works everything out again; a replica further behind, or another replica, does.
#[test]
fn it_works_out_only_what_changed_while_the_journal_reaches() {
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let mut f = Fixture::new(tz);
    let now = DateTime::parse_from_rfc3339("2026-03-20T10:00:00+01:00")
        .unwrap()
        .with_timezone(&Utc);
    let c = f.customer(now - Duration::days(400), Some(f.rep), false, None);
    let rep = user(&f, f.rep);
    let mut st = Standing::default();
    st.refresh(&f.records, now, &rep);
    let churn = st.due(&f.records, now);
    assert_eq!(
        churn.len(),
        1,
        "a customer without a purchase for a year: {churn:?}"
    );

    // A customer who is not the rep's any more leaves the rep's answer, worked out from the
    // journal alone.
    let mark = f.records.mark();
    let Some(Record::Customer(mut x)) = f.records.record(&RecordKey::Customer(c)).cloned() else {
        panic!()
    };
    x.owner = Some(f.manager);
    f.records.insert(Record::Customer(x));
    assert_eq!(f.records.changed_since(mark).map(Iterator::count), Some(1));
    st.refresh(&f.records, now, &rep);
    assert!(st.due(&f.records, now).is_empty());

    // A clone is another replica: its marks are its own.
    let copy = f.records.clone();
    assert!(copy.changed_since(mark).is_none());
    assert!(
        copy.changed_since(copy.mark())
            .is_some_and(|mut c| c.next().is_none())
    );
}

/// The last year's spend is read on the store's date: a clock put back across midnight
/// brings back a purchase that had just dropped out of it.
#[test]
fn a_clock_put_back_a_day_reads_that_day_again() {
    let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
    let mut f = Fixture::new(tz);
    let bought = date(2025, 12, 1);
    let noon = |d: NaiveDate| {
        d.and_hms_opt(4, 0, 0).unwrap().and_utc() // 12:00 in Shanghai
    };
    let last_day = bought + Duration::days(364);
    let c = f.customer(noon(bought), Some(f.rep), false, None);
    f.asset(noon(bought), c, bought, 9_000_000, None, None, None);
    let rep = user(&f, f.rep);
    let vip = |st: &Standing, f: &Fixture, at| {
        st.due(&f.records, at)
            .iter()
            .any(|p| p.rule == crate::followups::rules::Rule::VipCheckIn)
    };
    let mut st = Standing::default();
    st.refresh(&f.records, noon(last_day), &rep);
    assert!(
        vip(&st, &f, noon(last_day)),
        "{:?}",
        st.due(&f.records, noon(last_day))
    );
    let next = noon(last_day + Duration::days(1));
    st.refresh(&f.records, next, &rep);
    assert!(!vip(&st, &f, next), "the purchase is more than a year old");
    st.refresh(&f.records, noon(last_day), &rep);
    assert!(vip(&st, &f, noon(last_day)), "the day before again");
}

/// A trigger whose window opens later in the day (a lead gone quiet since 10:40) is made
/// when it opens, although nothing changed in between.
#[test]
fn a_window_that_opens_later_in_the_day_is_seen_when_it_opens() {
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let mut f = Fixture::new(tz);
    let created = DateTime::parse_from_rfc3339("2026-03-16T10:40:00+01:00")
        .unwrap()
        .with_timezone(&Utc);
    let lead = f.lead(created, f.rep);
    f.touch(created, lead, f.rep);
    let stale = crate::followups::rules::triggers(&f.records, created)
        .into_iter()
        .find(|p| p.rule == crate::followups::rules::Rule::StaleLead)
        .expect("a stale-lead trigger");
    let ahead = Duration::days(i64::from(
        crate::followups::rules::FollowUpRules::default().create_ahead_days,
    ));
    let opens = stale.due_at - ahead;
    let rep = user(&f, f.rep);
    let mut st = Standing::default();
    let before = opens - Duration::minutes(1);
    st.refresh(&f.records, before, &rep);
    assert!(!st.due(&f.records, before).iter().any(|p| p.id == stale.id));
    let after = opens + Duration::minutes(1);
    assert_eq!(
        tz.from_utc_datetime(&before.naive_utc()).date_naive(),
        tz.from_utc_datetime(&after.naive_utc()).date_naive(),
        "within one day: no new day works everything out again"
    );
    st.refresh(&f.records, after, &rep);
    assert!(st.due(&f.records, after).iter().any(|p| p.id == stale.id));
    assert_eq!(st.due(&f.records, after), expected(&f, after, &rep));
}
