//! What a customer's purchases and visits say about them: RFM scores, the lifecycle stage and
//! churn risk, against thresholds the organization sets (`ValueSettings`, kept in
//! `OrgSettings::customer_value`). Pure: the same history and day give the same answer on
//! every device and on the server.
//!
//! - **Recency, frequency, monetary** (1 to 5 each): days since the last purchase, purchases
//!   and spend within the window, each scored against four ascending thresholds.
//! - **Lifecycle**: by the days since the customer was last active (a purchase or a completed
//!   service visit: a piano tuned twice a year belongs to an active customer even without a
//!   sale). Lapsed past `lapsed_after_days`, at risk past `at_risk_after_days`, else new if
//!   their first purchase (or, with none, their record) is within `new_within_days`, else
//!   active.
//! - **Churn risk**: high once the customer is at risk, or once they have been quiet for
//!   twice their usual gap between visits (the median, from three active days up); medium
//!   past one and a quarter gaps or half the at-risk threshold; low otherwise. `high_from`
//!   says on which day it turns high, so that the churn follow-up can be made ahead.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Bought;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValueSettings {
    /// A customer whose first purchase (with none, whose record) is this recent is new.
    pub new_within_days: u32,
    /// Days without a purchase or a completed visit after which a customer is at risk.
    pub at_risk_after_days: u32,
    /// ... and after which they have lapsed (the win-back rule writes to them).
    pub lapsed_after_days: u32,
    /// Recency scores 5, 4, 3, 2 at or below these days since the last purchase; 1 above.
    pub recency_days: [u32; 4],
    /// Frequency scores 2, 3, 4, 5 from these numbers of purchases within the window; 1 below.
    pub frequency_at_least: [u32; 4],
    /// Monetary scores 2, 3, 4, 5 from these amounts (minor units) within the window.
    pub spend_at_least: [i64; 4],
    /// Frequency and spend count the purchases of this many days back.
    pub window_days: u32,
}

impl Default for ValueSettings {
    fn default() -> Self {
        Self {
            new_within_days: 90,
            // The churn rule's three months before it read these values.
            at_risk_after_days: 90,
            lapsed_after_days: 365,
            recency_days: [30, 90, 180, 365],
            frequency_at_least: [2, 3, 5, 10],
            // ¥1,000, ¥5,000, ¥20,000, ¥50,000 in fen.
            spend_at_least: [100_000, 500_000, 2_000_000, 5_000_000],
            window_days: 730,
        }
    }
}

/// Why a [`ValueSettings`] cannot be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsProblem {
    /// A number of days outside 1 to 3,650.
    DaysOutOfRange,
    /// At risk must come before lapsed.
    LapsedBeforeAtRisk,
    /// Each list of four must rise strictly (and counts and amounts not go below zero).
    TiersNotRising,
}

impl ValueSettings {
    /// Checks ranges and order.
    pub fn check(&self) -> Result<(), SettingsProblem> {
        let days = [
            self.new_within_days,
            self.at_risk_after_days,
            self.lapsed_after_days,
            self.window_days,
        ];
        if days
            .iter()
            .chain(&self.recency_days)
            .any(|d| !(1..=3_650).contains(d))
        {
            return Err(SettingsProblem::DaysOutOfRange);
        }
        if self.lapsed_after_days <= self.at_risk_after_days {
            return Err(SettingsProblem::LapsedBeforeAtRisk);
        }
        let rising = |v: &[i64]| v.windows(2).all(|w| w[0] < w[1]) && v[0] >= 0;
        let as_i64 = |v: &[u32; 4]| v.map(i64::from);
        if !rising(&as_i64(&self.recency_days))
            || !rising(&as_i64(&self.frequency_at_least))
            || !rising(&self.spend_at_least)
        {
            return Err(SettingsProblem::TiersNotRising);
        }
        Ok(())
    }
}

/// Recency, frequency and monetary scores, 1 (weakest) to 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, facet::Facet)]
pub struct Rfm {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, facet::Facet,
)]
#[repr(C)]
pub enum Lifecycle {
    New,
    Active,
    AtRisk,
    Lapsed,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, facet::Facet,
)]
#[repr(C)]
pub enum ChurnRisk {
    Low,
    Medium,
    High,
}

/// Everything the numbers say about one customer on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// `None` for a customer who never bought anything.
    pub rfm: Option<Rfm>,
    pub lifecycle: Lifecycle,
    pub churn: ChurnRisk,
    /// The day churn risk turns (or turned) high, if nothing happens before.
    pub high_from: NaiveDate,
    /// The day the customer lapses (or lapsed), if nothing happens before.
    pub lapses_on: NaiveDate,
    pub last_active: NaiveDate,
    pub days_quiet: u32,
    /// The median gap between active days, once there are three.
    pub usual_gap_days: Option<u32>,
    pub purchases_in_window: u32,
    pub spend_in_window: i64,
    pub lifetime_purchases: u32,
    pub lifetime_spend: i64,
}

/// One customer's activity: purchases (any order), completed visits and the day their record
/// was made.
pub struct Activity<'a> {
    pub purchases: &'a [Bought],
    pub visits: &'a [NaiveDate],
    pub created: NaiveDate,
}

fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days().max(0)).unwrap_or(u32::MAX)
}

fn plus(d: NaiveDate, days: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// 1 plus the number of thresholds reached (`at_least`), for frequency and spend.
fn score_up<T: PartialOrd>(value: &T, at_least: &[T; 4]) -> u8 {
    1 + at_least.iter().filter(|t| value >= *t).count() as u8
}

/// What `activity` says on `today`.
#[must_use]
pub fn value(activity: &Activity<'_>, today: NaiveDate, s: &ValueSettings) -> Value {
    // What lies ahead of today (a mistyped date) does not count yet.
    let purchases: Vec<Bought> = activity
        .purchases
        .iter()
        .copied()
        .filter(|p| p.on <= today)
        .collect();
    let window_start = today
        .checked_sub_days(Days::new(u64::from(s.window_days)))
        .unwrap_or(NaiveDate::MIN);
    let in_window: Vec<&Bought> = purchases.iter().filter(|p| p.on > window_start).collect();
    let purchases_in_window = u32::try_from(in_window.len()).unwrap_or(u32::MAX);
    let spend_in_window = in_window
        .iter()
        .fold(0i64, |a, p| a.saturating_add(p.amount));
    let last_purchase = purchases.iter().map(|p| p.on).max();
    let first_purchase = purchases.iter().map(|p| p.on).min();
    let rfm = last_purchase.map(|last| {
        let since = days_between(last, today);
        Rfm {
            recency: 5 - s.recency_days.iter().filter(|d| since > **d).count() as u8,
            frequency: score_up(&purchases_in_window, &s.frequency_at_least),
            monetary: score_up(&spend_in_window, &s.spend_at_least),
        }
    });

    let mut active: Vec<NaiveDate> = purchases
        .iter()
        .map(|p| p.on)
        .chain(activity.visits.iter().copied().filter(|d| *d <= today))
        .collect();
    active.sort_unstable();
    active.dedup();
    // The record's day counts only for a customer with no activity at all: an imported
    // customer made today whose last purchase was two years ago has lapsed.
    let last_active = active
        .last()
        .copied()
        .unwrap_or_else(|| activity.created.min(today));
    let days_quiet = days_between(last_active, today);
    let usual_gap_days = (active.len() >= 3).then(|| {
        let mut gaps: Vec<u32> = active
            .windows(2)
            .map(|w| days_between(w[0], w[1]))
            .collect();
        gaps.sort_unstable();
        gaps[gaps.len() / 2].max(1)
    });

    let lapses_on = plus(last_active, s.lapsed_after_days.saturating_add(1));
    let at_risk_on = plus(last_active, s.at_risk_after_days.saturating_add(1));
    let lifecycle = if today >= lapses_on {
        Lifecycle::Lapsed
    } else if today >= at_risk_on {
        Lifecycle::AtRisk
    } else if days_between(first_purchase.unwrap_or(activity.created), today) <= s.new_within_days {
        Lifecycle::New
    } else {
        Lifecycle::Active
    };
    let high_from = match usual_gap_days {
        Some(gap) => at_risk_on.min(plus(last_active, gap.saturating_mul(2).saturating_add(1))),
        None => at_risk_on,
    };
    let medium = usual_gap_days.is_some_and(|g| u64::from(days_quiet) * 4 > u64::from(g) * 5)
        || u64::from(days_quiet) * 2 > u64::from(s.at_risk_after_days);
    let churn = if today >= high_from {
        ChurnRisk::High
    } else if medium {
        ChurnRisk::Medium
    } else {
        ChurnRisk::Low
    };
    Value {
        rfm,
        lifecycle,
        churn,
        high_from,
        lapses_on,
        last_active,
        days_quiet,
        usual_gap_days,
        purchases_in_window,
        spend_in_window,
        lifetime_purchases: u32::try_from(purchases.len()).unwrap_or(u32::MAX),
        lifetime_spend: purchases
            .iter()
            .fold(0i64, |a, p| a.saturating_add(p.amount)),
    }
}

#[cfg(test)]
mod tests;
