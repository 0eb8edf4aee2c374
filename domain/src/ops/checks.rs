//! Field checks shared by the op handlers: lengths, ranges, coordinates.

use super::{AddressPart, Field, OpError, Problem};
use crate::places::{Address, LatLng};

pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 4_000;

/// A required short text: something a person can read once invisible characters are set
/// aside, not overlong.
pub fn name(field: Field, value: &str) -> Result<(), OpError> {
    if !value
        .chars()
        .any(|c| !c.is_whitespace() && !is_invisible(c))
    {
        return Err(OpError::invalid(field, Problem::Empty));
    }
    short(field, value)
}

/// Characters that show nothing: zero-width spaces and joiners, marks and fillers. A name
/// made only of them would look blank on every screen.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}')
        || is_direction_control(c)
}

/// Embeddings, overrides and isolates: they make text display in another order than it is
/// stored ("evil.exe" shown as "exe.live"), so no field takes them.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A phone number as typed: digits with the usual separators, an optional leading `+`, and
/// between 5 and 15 digits (E.164's longest).
pub fn phone(field: Field, value: &str) -> Result<(), OpError> {
    short(field, value)?;
    let v = value.trim();
    let body = v.strip_prefix('+').unwrap_or(v);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let shaped = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'));
    if !shaped || !(5..=15).contains(&digits) {
        return Err(OpError::invalid(field, Problem::NotAPhone));
    }
    Ok(())
}

/// A date of something that has happened (a birthday, a purchase): after 1900 and not after
/// the day the op was made.
pub fn past_date(
    field: Field,
    date: chrono::NaiveDate,
    made_at: chrono::DateTime<chrono::Utc>,
) -> Result<(), OpError> {
    let earliest = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    // A day of slack: the op's instant is UTC, the person's calendar may be ahead of it.
    let latest = (made_at + chrono::Duration::days(1)).date_naive();
    if date < earliest || date > latest {
        return Err(OpError::invalid(field, Problem::DateOutOfRange));
    }
    Ok(())
}

pub fn short(field: Field, value: &str) -> Result<(), OpError> {
    max_chars(field, value, NAME_MAX)
}

pub fn text(field: Field, value: &str) -> Result<(), OpError> {
    max_chars(field, value, TEXT_MAX)
}

fn max_chars(field: Field, value: &str, max: usize) -> Result<(), OpError> {
    if value.chars().count() > max {
        return Err(OpError::invalid(field, Problem::TooLong { max }));
    }
    if value
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_direction_control(c))
    {
        return Err(OpError::invalid(field, Problem::ControlCharacters));
    }
    Ok(())
}

pub fn location(field: Field, p: &LatLng) -> Result<(), OpError> {
    if p.is_valid() {
        Ok(())
    } else {
        Err(OpError::invalid(field, Problem::BadCoordinates))
    }
}

/// `field` names a part of the address (`Field::Address`, `Field::ServiceAddress`).
pub fn address(field: fn(AddressPart) -> Field, a: &Address) -> Result<(), OpError> {
    for (part, v) in [
        (AddressPart::Province, &a.province),
        (AddressPart::City, &a.city),
        (AddressPart::District, &a.district),
        (AddressPart::Street, &a.street),
        (AddressPart::Detail, &a.detail),
    ] {
        short(field(part), v)?;
    }
    if let Some(p) = &a.location {
        location(field(AddressPart::Location), p)?;
    }
    Ok(())
}

pub fn money(field: Field, v: i64) -> Result<(), OpError> {
    // Ten billion in major units: more than any one piano sale, and far from overflow.
    if !(0..=crate::money::MAX_MINOR).contains(&v) {
        return Err(OpError::invalid(field, Problem::MoneyOutOfRange));
    }
    Ok(())
}

pub fn list<T>(field: Field, items: &[T], max: usize) -> Result<(), OpError> {
    if items.len() > max {
        return Err(OpError::invalid(field, Problem::TooMany { max }));
    }
    Ok(())
}
