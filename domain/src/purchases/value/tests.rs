use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn bought(on: NaiveDate, yuan: i64) -> Bought {
    Bought {
        on,
        amount: yuan * 100,
    }
}

/// Worked by hand with the default thresholds.
#[test]
fn a_regular_customer_scores_as_worked_out_by_hand() {
    let s = ValueSettings::default();
    // Four purchases, the last 40 days before today: recency 40 > 30 but <= 90, so 4.
    // Within 730 days: 4 purchases (>= 3, not >= 5): frequency 3. Spend ¥6,200 (>= ¥5,000,
    // < ¥20,000): monetary 3.
    let today = d(2026, 12, 1);
    let purchases = [
        bought(d(2025, 6, 1), 1_200),
        bought(d(2025, 12, 1), 3_000),
        bought(d(2026, 6, 1), 1_000),
        bought(d(2026, 10, 22), 1_000),
    ];
    let v = value(
        &Activity {
            purchases: &purchases,
            visits: &[],
            created: d(2025, 6, 1),
        },
        today,
        &s,
    );
    assert_eq!(
        v.rfm,
        Some(Rfm {
            recency: 4,
            frequency: 3,
            monetary: 3
        })
    );
    assert_eq!((v.purchases_in_window, v.spend_in_window), (4, 620_000));
    assert_eq!(v.days_quiet, 40);
    // Gaps 183, 182, 143 days: the median is 182; twice that is past the 90-day threshold,
    // so risk turns high with the threshold, on day 91. 40 days quiet: not half of 90, and
    // not 1.25 gaps: low.
    assert_eq!(v.usual_gap_days, Some(182));
    assert_eq!(v.churn, ChurnRisk::Low);
    assert_eq!(v.lifecycle, Lifecycle::Active);
    assert_eq!(v.high_from, d(2026, 10, 22) + chrono::Days::new(91));
    assert_eq!(v.lapses_on, d(2026, 10, 22) + chrono::Days::new(366));
}

#[test]
fn a_frequent_buyer_turns_high_risk_after_two_usual_gaps() {
    let s = ValueSettings::default();
    // Every 10 days, the last on 1 December: usual gap 10, high from 21 days quiet.
    // A first purchase in March makes them no longer new; the gaps are 225 and five of 10.
    let purchases: Vec<Bought> = (0..6)
        .map(|i| bought(d(2026, 10, 12) + chrono::Days::new(i * 10), 50))
        .chain([bought(d(2026, 3, 1), 900)])
        .collect();
    let a = Activity {
        purchases: &purchases,
        visits: &[],
        created: d(2026, 1, 1),
    };
    let last = d(2026, 12, 1);
    assert_eq!(
        value(&a, last + chrono::Days::new(12), &s).churn,
        ChurnRisk::Low
    );
    assert_eq!(
        value(&a, last + chrono::Days::new(13), &s).churn,
        ChurnRisk::Medium
    );
    let v = value(&a, last + chrono::Days::new(21), &s);
    assert_eq!((v.churn, v.lifecycle), (ChurnRisk::High, Lifecycle::Active));
    assert_eq!(v.high_from, last + chrono::Days::new(21));
}

#[test]
fn lifecycle_new_active_at_risk_lapsed() {
    let s = ValueSettings::default();
    let first = d(2026, 1, 10);
    let purchases = [bought(first, 300)];
    let a = Activity {
        purchases: &purchases,
        visits: &[],
        created: first,
    };
    let on = |days| value(&a, first + chrono::Days::new(days), &s).lifecycle;
    assert_eq!(on(0), Lifecycle::New);
    assert_eq!(on(90), Lifecycle::New);
    // Day 91 is both past "new" and past the at-risk threshold of 90 quiet days.
    assert_eq!(on(91), Lifecycle::AtRisk);
    assert_eq!(on(365), Lifecycle::AtRisk);
    assert_eq!(on(366), Lifecycle::Lapsed);
    // A service visit keeps them active without a sale.
    let visits = [first + chrono::Days::new(200)];
    let b = Activity {
        visits: &visits,
        ..a
    };
    assert_eq!(
        value(&b, first + chrono::Days::new(250), &s).lifecycle,
        Lifecycle::Active
    );
}

#[test]
fn an_imported_customer_is_judged_by_their_purchases_not_the_day_of_the_import() {
    let s = ValueSettings::default();
    let purchases = [bought(d(2024, 3, 5), 8_000)];
    let v = value(
        &Activity {
            purchases: &purchases,
            visits: &[],
            created: d(2026, 12, 1),
        },
        d(2026, 12, 1),
        &s,
    );
    assert_eq!(v.lifecycle, Lifecycle::Lapsed);
    assert_eq!(v.rfm.map(|r| r.recency), Some(1));
    // Outside the 730-day window: no frequency or spend.
    assert_eq!((v.purchases_in_window, v.spend_in_window), (0, 0));
    assert_eq!(v.lifetime_spend, 800_000);
}

#[test]
fn a_customer_who_never_bought_has_no_rfm_and_is_new_then_ages() {
    let s = ValueSettings::default();
    let a = Activity {
        purchases: &[],
        visits: &[],
        created: d(2026, 11, 1),
    };
    let v = value(&a, d(2026, 11, 20), &s);
    assert_eq!((v.rfm, v.lifecycle), (None, Lifecycle::New));
    assert_eq!(value(&a, d(2027, 3, 1), &s).lifecycle, Lifecycle::AtRisk);
}

#[test]
fn settings_are_checked() {
    let ok = ValueSettings::default();
    assert_eq!(ok.check(), Ok(()));
    let bad = ValueSettings {
        lapsed_after_days: 60,
        ..ok.clone()
    };
    assert_eq!(bad.check(), Err(SettingsProblem::LapsedBeforeAtRisk));
    let bad = ValueSettings {
        recency_days: [30, 30, 180, 365],
        ..ok.clone()
    };
    assert_eq!(bad.check(), Err(SettingsProblem::TiersNotRising));
    let bad = ValueSettings {
        window_days: 0,
        ..ok
    };
    assert_eq!(bad.check(), Err(SettingsProblem::DaysOutOfRange));
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (-40_000i64..40_000).prop_map(|n| d(2000, 1, 1) + chrono::Duration::days(n))
}

proptest! {
    /// Whatever the dates and amounts (far past, far future, refunds): no panic, scores in
    /// range, and as time passes with nothing new the stage and the risk only grow.
    #[test]
    fn scores_stay_in_range_and_time_only_ages_a_customer(
        purchases in prop::collection::vec((any_day(), -1_000_000_000i64..1_000_000_000), 0..12),
        visits in prop::collection::vec(any_day(), 0..6),
        created in any_day(),
        today in any_day(),
        later in 0u64..2_000,
    ) {
        let s = ValueSettings::default();
        let purchases: Vec<Bought> =
            purchases.into_iter().map(|(on, amount)| Bought { on, amount }).collect();
        let a = Activity { purchases: &purchases, visits: &visits, created };
        let now = value(&a, today, &s);
        if let Some(r) = now.rfm {
            for x in [r.recency, r.frequency, r.monetary] {
                prop_assert!((1..=5).contains(&x));
            }
        }
        let then = value(&a, today + chrono::Days::new(later), &s);
        // Unless something happened in between.
        if then.last_active == now.last_active {
            prop_assert!(then.lifecycle >= now.lifecycle, "{now:?} then {then:?}");
            prop_assert!(then.churn >= now.churn, "{now:?} then {then:?}");
        }
    }

    /// A purchase today never makes a customer look worse.
    #[test]
    fn buying_never_lowers_a_score(
        purchases in prop::collection::vec((any_day(), 0i64..10_000_000), 0..12),
        today in any_day(),
        amount in 0i64..10_000_000,
    ) {
        let s = ValueSettings::default();
        let before: Vec<Bought> =
            purchases.into_iter().map(|(on, amount)| Bought { on, amount }).collect();
        let mut after = before.clone();
        after.push(Bought { on: today, amount });
        let created = d(1990, 1, 1);
        let v0 = value(&Activity { purchases: &before, visits: &[], created }, today, &s);
        let v1 = value(&Activity { purchases: &after, visits: &[], created }, today, &s);
        let r1 = v1.rfm.unwrap();
        prop_assert_eq!(r1.recency, 5);
        if let Some(r0) = v0.rfm {
            prop_assert!(r1.frequency >= r0.frequency && r1.monetary >= r0.monetary);
        }
        prop_assert_eq!(v1.days_quiet, 0);
        prop_assert!(v1.lifecycle <= Lifecycle::Active);
    }
}
