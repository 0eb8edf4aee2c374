//! Phone fragments: any run of four or more digits anywhere in a number finds it, however it
//! was typed ("5678", "1234 5678", "+86 138-1234-5678", "021 6234 5678").
//!
//! Every number is indexed by its four-digit windows (10,000 posting lists); a query's windows
//! are intersected, and when it is longer than one window the survivors are checked against
//! the digits themselves.

use crate::customers::Phone;
use crate::customers::phone::digits_of;

pub(crate) const GRAM: usize = 4;
pub(crate) const GRAMS: usize = 10_000;

/// The digit strings a phone is found by: its E.164 digits and its national form (which adds
/// the trunk `0` for some countries, so it is not always a substring of the former). Either
/// one typed whole counts as the whole number.
pub(crate) fn indexed_digits(raw: &str) -> [String; 2] {
    let p = Phone::parse(raw);
    [p.digits(), p.national()]
}

pub(crate) fn gram(window: &[u8]) -> u16 {
    window
        .iter()
        .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'))
}

/// Four-digit windows of a digit string.
pub(crate) fn grams(digits: &str) -> impl Iterator<Item = u16> + '_ {
    digits.as_bytes().windows(GRAM).map(gram)
}

/// The digit fragments a query stands for. "0086 138..." and "+86 138..." become "86138...";
/// a leading trunk `0` (021 ...) is also tried without it.
pub(crate) fn query_fragments(digits: &str) -> Vec<String> {
    let d = digits.strip_prefix("00").unwrap_or(digits);
    let mut out = vec![d.to_owned()];
    if let Some(rest) = d.strip_prefix('0')
        && rest.len() >= GRAM
    {
        out.push(rest.to_owned());
    }
    out.retain(|f| f.len() >= GRAM);
    out
}

/// Whether the query text is a phone number as typed: digits with spaces, dashes, dots,
/// brackets or a leading plus, and at least four digits.
pub(crate) fn looks_like_phone(q: &str) -> Option<String> {
    let ok = q
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '\u{3000}'));
    let digits = digits_of(q);
    (ok && digits.len() >= GRAM).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landlines_are_found_by_the_national_form_too() {
        let [e164, national] = indexed_digits("+44 20 7946 0958");
        assert_eq!(e164, "442079460958");
        assert_eq!(national, "02079460958");
        let [e164, national] = indexed_digits("138 1234 5678");
        assert_eq!(e164, "8613812345678");
        assert_eq!(national, "13812345678");
    }

    #[test]
    fn query_fragments_drop_international_and_trunk_prefixes() {
        assert_eq!(query_fragments("008613812345678"), ["8613812345678"]);
        assert_eq!(
            query_fragments("02162345678"),
            ["02162345678", "2162345678"]
        );
        assert!(query_fragments("123").is_empty());
        assert_eq!(
            looks_like_phone("+86 138-1234 (5678)").as_deref(),
            Some("8613812345678")
        );
        assert_eq!(looks_like_phone("张 1234"), None);
    }
}
