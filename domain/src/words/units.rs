//! Numbers the tables share: both languages write kilometres and minutes with the same digits.

/// Kilometres with one decimal: "3.2".
pub(super) fn km(metres: i64) -> String {
    format!("{:.1}", metres as f64 / 1000.0)
}

/// Whole minutes, rounded up: a drive of 61 seconds is not "1 min".
pub(super) fn whole_minutes(seconds: i64) -> i64 {
    seconds.saturating_add(59).div_euclid(60)
}
