//! Phone numbers as people type them ("138 1234 5678", "+86-21-6234 5678", "(415) 555-0100"),
//! normalised so the same number always compares equal.

use facet::Facet;
use serde::{Deserialize, Serialize};

/// A phone number: what was typed, and its E.164 form when it can be derived.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Facet)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Phone {
    pub raw: String,
    /// `+8613812345678`; `None` when the number is too short or ambiguous to place.
    pub e164: Option<String>,
}

impl Phone {
    /// Normalises a typed number. Numbers without a country code are read as Chinese
    /// (the home market), unless they are a North American ten-digit number in brackets.
    #[must_use]
    pub fn parse(raw: &str) -> Phone {
        Phone {
            raw: raw.trim().to_owned(),
            e164: to_e164(raw),
        }
    }

    /// The digits to match on: E.164 digits when known, otherwise whatever digits were typed.
    #[must_use]
    pub fn digits(&self) -> String {
        match &self.e164 {
            Some(e) => e.trim_start_matches('+').to_owned(),
            None => digits_of(&self.raw),
        }
    }

    /// The national significant number (without the country code), which is what people type.
    #[must_use]
    pub fn national(&self) -> String {
        match &self.e164 {
            Some(e) if e.starts_with("+86") => e[3..].to_owned(),
            Some(e) if e.starts_with("+1") => e[2..].to_owned(),
            Some(e) if e.starts_with("+44") => format!("0{}", &e[3..]),
            _ => digits_of(&self.raw),
        }
    }

    /// The number with its middle hidden (`138****5678`) for roles that only need to recognise it.
    #[must_use]
    pub fn masked(&self) -> String {
        mask_digits(&self.national())
    }
}

/// Keeps the first three and last four digits.
#[must_use]
pub fn mask_digits(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    if chars.len() <= 7 {
        let keep = chars.len().min(2);
        return chars[..keep].iter().collect::<String>() + &"*".repeat(chars.len() - keep);
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[must_use]
pub fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn to_e164(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let digits = digits_of(trimmed);
    if digits.len() < 7 || digits.len() > 15 {
        return None;
    }
    if trimmed.starts_with('+') {
        return Some(format!("+{digits}"));
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return (rest.len() >= 7).then(|| format!("+{rest}"));
    }
    // Chinese mobile: 11 digits starting 13-19.
    if digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9')
    {
        return Some(format!("+86{digits}"));
    }
    // "86 138..." typed without a plus.
    if digits.len() == 13 && digits.starts_with("861") {
        return Some(format!("+{digits}"));
    }
    // North American numbers written with an area code in brackets.
    if trimmed.starts_with('(') && digits.len() == 10 {
        return Some(format!("+1{digits}"));
    }
    // Chinese landline with trunk prefix: 021-62345678, 0755-12345678.
    if let Some(rest) = digits.strip_prefix('0')
        && (9..=11).contains(&rest.len())
    {
        return Some(format!("+86{rest}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_same_mobile_typed_four_ways_is_one_number() {
        let forms = [
            "13812345678",
            "138 1234 5678",
            "+86 138-1234-5678",
            "0086 13812345678",
        ];
        for f in forms {
            assert_eq!(
                Phone::parse(f).e164.as_deref(),
                Some("+8613812345678"),
                "{f}"
            );
        }
    }

    #[test]
    fn landlines_and_foreign_numbers() {
        assert_eq!(
            Phone::parse("021-6234 5678").e164.as_deref(),
            Some("+862162345678")
        );
        assert_eq!(
            Phone::parse("(415) 555-0100").e164.as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            Phone::parse("+44 20 7946 0958").e164.as_deref(),
            Some("+442079460958")
        );
        assert_eq!(Phone::parse("12345").e164, None);
    }

    #[test]
    fn masking_keeps_head_and_tail() {
        assert_eq!(Phone::parse("13812345678").masked(), "138****5678");
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_stable(s in "\\PC{0,40}") {
            let p = Phone::parse(&s);
            // Parsing the E.164 form again gives the same E.164 form.
            if let Some(e) = &p.e164 {
                let again = Phone::parse(e).e164;
                prop_assert_eq!(again.as_ref(), Some(e));
            }
            let _ = p.masked();
        }
    }
}
