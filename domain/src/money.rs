//! Amounts of money: kept in minor units (fen, cents) of the organization's currency, shown
//! and typed in major units. The digits are the same in every language Rounds speaks; the
//! tables ([`crate::words::Table::money`]) put the currency's sign in front.

/// The largest amount an op takes (`ops::checks::money`): ten billion in major units.
pub const MAX_MINOR: i64 = 1_000_000_000_000;

/// How many minor units make a major one is a power of ten: this one. Currencies without
/// minor units in daily use (yen, won) have none; the others two.
#[must_use]
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "ISK" => 0,
        _ => 2,
    }
}

/// An amount as digits: thousands grouped with commas, the minor part only when there is one
/// ("12,800", "12,800.50"), a leading minus for a negative amount.
#[must_use]
pub fn digits(minor: i64, currency: &str) -> String {
    let places = minor_digits(currency);
    let unit = 10u64.pow(places);
    let abs = minor.unsigned_abs();
    let (major, rest) = (abs / unit, abs % unit);
    let mut out = String::new();
    if minor < 0 {
        out.push('-');
    }
    let whole = major.to_string();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rest > 0 {
        out.push('.');
        out.push_str(&format!("{rest:0width$}", width = places as usize));
    }
    out
}

/// Why a typed amount could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing was typed.
    Empty,
    /// Not a number (letters, two decimal points, a minus sign...).
    NotANumber,
    /// More decimals than the currency has minor units.
    TooPrecise,
    /// Beyond [`MAX_MINOR`].
    TooLarge,
}

/// An amount as a person types it, in major units, to minor units: "12800", "12,800",
/// "¥12,800.50", "１２８００" (full-width digits), "1.28万" (ten thousands). Never negative.
pub fn parse(text: &str, currency: &str) -> Result<i64, AmountError> {
    let places = minor_digits(currency);
    // Full-width forms come from Chinese input methods; read them as their ASCII twins.
    let mut s: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            _ => c,
        })
        .filter(|c| !matches!(c, ',' | ' ' | '_' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    for sign in ["¥", "￥", "$", "€", "£", "元", currency] {
        if let Some(rest) = s.strip_prefix(sign) {
            s = rest.to_owned();
        }
        if let Some(rest) = s.strip_suffix(sign) {
            s = rest.to_owned();
        }
    }
    let (number, times) = match s.strip_suffix('万') {
        Some(n) => (n, 4),
        None => (s.as_str(), 0),
    };
    if number.is_empty() {
        return Err(if times == 0 && text.trim().is_empty() {
            AmountError::Empty
        } else {
            AmountError::NotANumber
        });
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(AmountError::NotANumber);
    }
    // The decimals the amount really has, after the ten-thousands shift.
    let fraction = fraction.trim_end_matches('0');
    let shift = places + times;
    if fraction.len() > shift as usize {
        return Err(AmountError::TooPrecise);
    }
    let whole = whole.trim_start_matches('0');
    // Longer than any amount allowed: no need to add it up.
    if whole.len() > 20 {
        return Err(AmountError::TooLarge);
    }
    let digits = format!("{whole}{fraction:0<width$}", width = shift as usize);
    let minor: u128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| AmountError::TooLarge)?
    };
    match i64::try_from(minor) {
        Ok(v) if v <= MAX_MINOR => Ok(v),
        _ => Err(AmountError::TooLarge),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_show_grouped_with_the_minor_part_only_when_there_is_one() {
        assert_eq!(digits(1_280_000, "CNY"), "12,800");
        assert_eq!(digits(1_280_050, "CNY"), "12,800.50");
        assert_eq!(digits(5, "CNY"), "0.05");
        assert_eq!(digits(0, "CNY"), "0");
        assert_eq!(digits(-123_456_700, "CNY"), "-1,234,567");
        assert_eq!(digits(12_800, "JPY"), "12,800");
        assert_eq!(digits(i64::MIN, "CNY"), "-92,233,720,368,547,758.08");
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        for (typed, minor) in [
            ("12800", 1_280_000),
            (" 12,800 ", 1_280_000),
            ("¥12,800.5", 1_280_050),
            ("￥12800.50", 1_280_050),
            ("１２８００", 1_280_000),
            ("12800元", 1_280_000),
            ("1.28万", 1_280_000),
            ("3万", 3_000_000),
            ("CNY 99", 9_900),
            ("0", 0),
            (".5", 50),
        ] {
            assert_eq!(parse(typed, "CNY"), Ok(minor), "{typed}");
        }
        assert_eq!(parse("12800", "JPY"), Ok(12_800));
    }

    #[test]
    fn what_is_not_an_amount_says_why() {
        assert_eq!(parse("", "CNY"), Err(AmountError::Empty));
        assert_eq!(parse("  ", "CNY"), Err(AmountError::Empty));
        assert_eq!(parse("abc", "CNY"), Err(AmountError::NotANumber));
        assert_eq!(parse("-5", "CNY"), Err(AmountError::NotANumber));
        assert_eq!(parse("1.2.3", "CNY"), Err(AmountError::NotANumber));
        assert_eq!(parse("¥", "CNY"), Err(AmountError::NotANumber));
        assert_eq!(parse("万", "CNY"), Err(AmountError::NotANumber));
        assert_eq!(parse("1.234", "CNY"), Err(AmountError::TooPrecise));
        assert_eq!(parse("1.5", "JPY"), Err(AmountError::TooPrecise));
        assert_eq!(parse("10000000001", "CNY"), Err(AmountError::TooLarge));
        assert_eq!(parse(&"9".repeat(40), "CNY"), Err(AmountError::TooLarge));
    }

    proptest! {
        #[test]
        fn reading_never_panics(text in "\\PC{0,40}", currency in "[A-Z]{3}") {
            let _ = parse(&text, &currency);
        }

        #[test]
        fn what_is_shown_reads_back(minor in 0..=MAX_MINOR) {
            prop_assert_eq!(parse(&digits(minor, "CNY"), "CNY"), Ok(minor));
            prop_assert_eq!(parse(&digits(minor, "JPY"), "JPY"), Ok(minor));
        }
    }
}
