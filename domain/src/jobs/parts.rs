//! The parts a technician used, as typed on the completion form: one part per line, with an
//! optional count after an "x" or "×" ("hammer felt x2", "琴弦 ×3"). A line without a count
//! is one part.
//!
//! A line the completion would refuse (a count of 0, an absurd count, a name too long) is
//! refused here with the line it is on, so the person can fix that line rather than guess
//! which of the parts `apply` meant.

use serde::{Deserialize, Serialize};

use super::PartUsed;

/// The most parts one completion records (`apply` refuses more).
pub const MAX_PARTS: usize = 50;
/// The largest count of one part (`apply` refuses more).
pub const MAX_QUANTITY: u32 = 10_000;
/// The longest part name, in characters (the ops' limit for a short text).
pub const MAX_ITEM_CHARS: usize = 200;

/// Why the parts text was refused, and on which line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartsError {
    /// Counted from 1, blank lines included, as the person sees the text.
    pub line: usize,
    /// The line as typed, trimmed.
    pub text: String,
    pub problem: PartsProblem,
}

impl PartsError {
    /// The line, cut short enough to quote in a sentence.
    #[must_use]
    pub fn excerpt(&self) -> String {
        const SHOWN: usize = 30;
        if self.text.chars().count() <= SHOWN {
            self.text.clone()
        } else {
            let head: String = self.text.chars().take(SHOWN).collect();
            format!("{head}…")
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartsProblem {
    /// A count with no part before it ("x2").
    NoItem,
    /// A count of 0, negative, or above [`MAX_QUANTITY`].
    Quantity,
    /// The part's name is longer than [`MAX_ITEM_CHARS`].
    ItemTooLong,
    /// More than [`MAX_PARTS`] lines; this is the first one too many.
    TooMany,
}

/// The parts in `text`, in order; blank lines are skipped.
///
/// # Errors
/// The first line that cannot be recorded, and why.
pub fn parse_parts(text: &str) -> Result<Vec<PartUsed>, PartsError> {
    let mut parts = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let refuse = |problem| PartsError {
            line: i + 1,
            text: line.to_owned(),
            problem,
        };
        if parts.len() == MAX_PARTS {
            return Err(refuse(PartsProblem::TooMany));
        }
        let (item, quantity) = match split_count(line) {
            Some((item, count)) => (item, count.ok_or_else(|| refuse(PartsProblem::Quantity))?),
            None => (line, 1),
        };
        if item.is_empty() {
            return Err(refuse(PartsProblem::NoItem));
        }
        if item.chars().count() > MAX_ITEM_CHARS {
            return Err(refuse(PartsProblem::ItemTooLong));
        }
        parts.push(PartUsed {
            item: item.to_owned(),
            quantity,
        });
    }
    Ok(parts)
}

/// Splits "item x2" into the item and its count, when the line ends in a count: `None` when
/// it does not (the whole line is the item); `Some((item, None))` when the count is not one
/// that can be recorded.
fn split_count(line: &str) -> Option<(&str, Option<u32>)> {
    let (at, marker) = line.char_indices().rev().find(|&(at, c)| {
        // An "x" counts only after a space, so "box" and "Hex5" stay names.
        c == '×'
            || (matches!(c, 'x' | 'X') && (at == 0 || line[..at].ends_with(char::is_whitespace)))
    })?;
    let count = line[at + marker.len_utf8()..].trim();
    let (negative, digits) = match count.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, count.strip_prefix('+').unwrap_or(count)),
    };
    if digits.is_empty() || !digits.chars().all(|c| ascii_digit(c).is_some()) {
        return None;
    }
    let value = digits
        .chars()
        .filter_map(ascii_digit)
        .try_fold(0u32, |n, d| n.checked_mul(10)?.checked_add(d));
    let quantity = value.filter(|q| !negative && (1..=MAX_QUANTITY).contains(q));
    Some((line[..at].trim(), quantity))
}

/// The value of a digit, ASCII or full-width (what a Chinese keyboard types).
fn ascii_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(u32::from(c) - u32::from('０')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn part(item: &str, quantity: u32) -> PartUsed {
        PartUsed {
            item: item.into(),
            quantity,
        }
    }

    #[test]
    fn counts_follow_an_x_or_a_times_sign() {
        let text = "hammer felt x2\n\n  琴弦 ×3 \ntuning pin\nbox\nHex5\nfelt X 4\n弦 x４";
        assert_eq!(
            parse_parts(text),
            Ok(vec![
                part("hammer felt", 2),
                part("琴弦", 3),
                part("tuning pin", 1),
                part("box", 1),
                part("Hex5", 1),
                part("felt", 4),
                part("弦", 4),
            ])
        );
        assert_eq!(parse_parts(" \n\n"), Ok(vec![]));
    }

    #[test]
    fn a_count_that_cannot_be_recorded_is_refused_on_its_line() {
        for (text, line, problem) in [
            ("felt\nfelt x0", 2, PartsProblem::Quantity),
            ("felt x-3", 1, PartsProblem::Quantity),
            ("\n\nfelt ×10001", 3, PartsProblem::Quantity),
            ("felt x99999999999999999999", 1, PartsProblem::Quantity),
            ("x2", 1, PartsProblem::NoItem),
            ("×2", 1, PartsProblem::NoItem),
        ] {
            let e = parse_parts(text).expect_err(text);
            assert_eq!((e.line, e.problem), (line, problem), "{text}");
        }
        let long = format!("{} x1", "a".repeat(MAX_ITEM_CHARS + 1));
        assert_eq!(
            parse_parts(&long).map_err(|e| e.problem),
            Err(PartsProblem::ItemTooLong)
        );
        let many = "felt\n".repeat(MAX_PARTS + 1);
        let e = parse_parts(&many).expect_err("too many");
        assert_eq!((e.line, e.problem), (MAX_PARTS + 1, PartsProblem::TooMany));
        assert_eq!(e.text, "felt");
    }

    fn item() -> impl Strategy<Value = String> {
        "[^\r\n]{1,60}".prop_filter("a name as it would be trimmed", |s| {
            !s.trim().is_empty() && s.trim() == s
        })
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,300}|[x× 0-9\n-]{0,40}") {
            let _ = parse_parts(&text);
        }

        #[test]
        fn a_written_count_reads_back(item in item(), q in 1..=MAX_QUANTITY, times in any::<bool>()) {
            let text = if times { format!("{item} ×{q}") } else { format!("{item} x{q}") };
            prop_assert_eq!(parse_parts(&text), Ok(vec![part(&item, q)]));
        }

        #[test]
        fn every_part_kept_has_a_name_and_a_count_in_range(text in "\\PC{0,300}|[a-z x×0-9\n-]{0,80}") {
            if let Ok(parts) = parse_parts(&text) {
                prop_assert!(parts.len() <= MAX_PARTS);
                for p in parts {
                    prop_assert!((1..=MAX_QUANTITY).contains(&p.quantity));
                    prop_assert!(!p.item.trim().is_empty());
                    prop_assert!(p.item.chars().count() <= MAX_ITEM_CHARS);
                }
            }
        }
    }
}
