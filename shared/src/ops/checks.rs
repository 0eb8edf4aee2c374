//! Field checks shared by the op handlers: lengths, ranges, coordinates.

use super::OpError;
use crate::places::{Address, LatLng};

pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 4_000;

/// A required short text: not blank, not overlong.
pub fn name(field: &str, value: &str) -> Result<(), OpError> {
    if value.trim().is_empty() {
        return Err(OpError::invalid(field, "must not be empty"));
    }
    short(field, value)
}

pub fn short(field: &str, value: &str) -> Result<(), OpError> {
    max_chars(field, value, NAME_MAX)
}

pub fn text(field: &str, value: &str) -> Result<(), OpError> {
    max_chars(field, value, TEXT_MAX)
}

fn max_chars(field: &str, value: &str, max: usize) -> Result<(), OpError> {
    if value.chars().count() > max {
        return Err(OpError::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(OpError::invalid(field, "contains control characters"));
    }
    Ok(())
}

pub fn location(field: &str, p: &LatLng) -> Result<(), OpError> {
    if p.is_valid() {
        Ok(())
    } else {
        Err(OpError::invalid(
            field,
            "coordinates must be a latitude in [-90, 90] and a longitude in [-180, 180]",
        ))
    }
}

pub fn address(field: &str, a: &Address) -> Result<(), OpError> {
    for (part, v) in [
        ("province", &a.province),
        ("city", &a.city),
        ("district", &a.district),
        ("street", &a.street),
        ("detail", &a.detail),
    ] {
        short(&format!("{field}.{part}"), v)?;
    }
    if let Some(p) = &a.location {
        location(&format!("{field}.location"), p)?;
    }
    Ok(())
}

pub fn money(field: &str, v: i64) -> Result<(), OpError> {
    // Ten billion in major units: more than any one piano sale, and far from overflow.
    if !(0..=1_000_000_000_000).contains(&v) {
        return Err(OpError::invalid(
            field,
            "must be between 0 and 10,000,000,000",
        ));
    }
    Ok(())
}

pub fn list<T>(field: &str, items: &[T], max: usize) -> Result<(), OpError> {
    if items.len() > max {
        return Err(OpError::invalid(
            field,
            format!("has more than {max} entries"),
        ));
    }
    Ok(())
}
