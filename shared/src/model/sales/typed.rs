//! Reading what the rep typed: amounts and local times. Each refusal is a [`Label`] that
//! names the field and says what to type.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use domain::money::{self, AmountError};
use domain::words::Label;

/// A won value as typed, in major units, to minor units of `currency`.
pub fn amount(text: &str, currency: &str) -> Result<i64, Label> {
    money::parse(text, currency).map_err(|e| match e {
        AmountError::Empty => Label::EnterWonValue,
        AmountError::NotANumber | AmountError::TooPrecise => Label::WonValueNotAmount,
        AmountError::TooLarge => Label::WonValueTooLarge,
    })
}

/// A wall-clock time in the store's zone, as a date-time field gives it
/// (`2026-11-23T14:30`, seconds allowed). A time the clocks skip is refused; one they pass
/// twice is the first.
pub fn local_time(text: &str, tz: Tz) -> Result<DateTime<Utc>, Label> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Label::PickDueTime);
    }
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or(Label::BadDateTime)?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(Label::NoSuchTime),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;
    use chrono_tz::Europe::Berlin;
    use proptest::prelude::*;

    #[test]
    fn a_local_time_is_read_in_the_stores_zone() {
        assert_eq!(
            local_time("2026-11-23T14:30", Shanghai),
            Ok(Utc.with_ymd_and_hms(2026, 11, 23, 6, 30, 0).unwrap())
        );
        assert_eq!(
            local_time(" 2026-11-23 14:30 ", Shanghai),
            Ok(Utc.with_ymd_and_hms(2026, 11, 23, 6, 30, 0).unwrap())
        );
        assert_eq!(local_time("", Shanghai), Err(Label::PickDueTime));
        assert_eq!(local_time("tomorrow", Shanghai), Err(Label::BadDateTime));
        assert_eq!(
            local_time("2026-02-30T10:00", Shanghai),
            Err(Label::BadDateTime)
        );
        // 29 March 2026, 02:30 does not happen in Berlin; 25 October, 02:30 happens twice.
        assert_eq!(
            local_time("2026-03-29T02:30", Berlin),
            Err(Label::NoSuchTime)
        );
        assert_eq!(
            local_time("2026-10-25T02:30", Berlin),
            Ok(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap())
        );
    }

    #[test]
    fn a_won_value_is_read_in_major_units_and_refused_in_words() {
        assert_eq!(amount("12,800", "CNY"), Ok(1_280_000));
        assert_eq!(amount("", "CNY"), Err(Label::EnterWonValue));
        assert_eq!(amount("lots", "CNY"), Err(Label::WonValueNotAmount));
        assert_eq!(amount("1e20", "CNY"), Err(Label::WonValueNotAmount));
        assert_eq!(amount("99999999999", "CNY"), Err(Label::WonValueTooLarge));
    }

    proptest! {
        #[test]
        fn reading_a_local_time_never_panics(text in "\\PC{0,30}") {
            let _ = local_time(&text, Berlin);
        }

        #[test]
        fn reading_a_shaped_local_time_never_panics(
            y in -300_000i32..300_000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62,
        ) {
            let _ = local_time(&format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}"), Shanghai);
        }
    }
}
