//! Which fields of a found customer matched and where, so the shell can highlight them. Runs
//! only for the few hits returned, on the slot's stored text, with the same rules as indexing.

use std::ops::Range;

use super::index::Index;
use super::pinyin::{self, Syllable};
use super::tokens::{self, Kind, Token};
use super::{FieldMatch, MatchedField, fuzzy, phone};

pub(crate) fn field_matches(
    ix: &Index,
    slot: u32,
    words: &[Token],
    fragments: &[String],
) -> Vec<FieldMatch> {
    let mut out = Vec::new();
    let f = ix.fields(slot);
    let mut push = |field, ranges: Vec<Range<usize>>| {
        if !ranges.is_empty() {
            out.push(FieldMatch {
                field,
                ranges: merge(ranges),
            });
        }
    };
    push(MatchedField::Name, text_ranges(f.name, words, true));
    let mut address = Vec::new();
    let mut offset = 0;
    for part in [f.district, f.street, f.detail] {
        if part.is_empty() {
            continue;
        }
        address.extend(
            text_ranges(part, words, false)
                .into_iter()
                .map(|r| r.start + offset..r.end + offset),
        );
        offset += part.len() + 1;
    }
    push(MatchedField::Address, address);
    for (i, raw) in f.phones().enumerate() {
        push(
            MatchedField::Phone {
                index: i.min(255) as u8,
            },
            phone_ranges(raw, fragments),
        );
    }
    for (id, lead) in ix
        .slot_leads
        .get(&slot)
        .into_iter()
        .flatten()
        .filter_map(|id| ix.leads.get(id).map(|l| (*id, l)))
    {
        let mut r = text_ranges(&lead.name, words, false);
        if let Some(p) = &lead.phone
            && !phone_ranges(p, fragments).is_empty()
        {
            r.push(0..lead.name.len());
        }
        push(MatchedField::Lead { lead: id }, r);
    }
    out
}

fn merge(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Byte offset in `s` after its first `n` characters.
fn after_chars(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn text_ranges(text: &str, words: &[Token], pinyin: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let field = tokens::tokens(text);
    for q in words {
        for t in &field {
            let original = &text[t.span.clone()];
            match (q.kind, t.kind) {
                (Kind::Word, Kind::Word) => {
                    if t.text.starts_with(&q.text) {
                        let n = q.text.chars().count();
                        out.push(t.span.start..t.span.start + after_chars(original, n));
                    } else if q.is_alpha()
                        && fuzzy::within(
                            q.text.as_bytes(),
                            t.text.as_bytes(),
                            fuzzy::budget(q.text.len()),
                        )
                        .is_some()
                    {
                        out.push(t.span.clone());
                    }
                }
                (Kind::Han, Kind::Han) => {
                    // Han characters fold to themselves, so folded offsets are original ones.
                    if let Some(i) = t.text.find(&q.text) {
                        out.push(t.span.start + i..t.span.start + i + q.text.len());
                    }
                }
                (Kind::Word, Kind::Han) if pinyin && q.is_alpha() => {
                    if let Some((a, b)) = pinyin_chars(&q.text, &t.text) {
                        out.push(
                            t.span.start + after_chars(original, a)
                                ..t.span.start + after_chars(original, b),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The characters of a Han run that a pinyin word spells (`xiaom` in 张晓明 -> 1..3) or
/// abbreviates (`xm` -> 1..3).
fn pinyin_chars(q: &str, run: &str) -> Option<(usize, usize)> {
    let mut buf = Vec::new();
    let readings: Vec<Vec<Syllable>> = run
        .chars()
        .map(|c| {
            pinyin::readings(c, &mut buf);
            buf.clone()
        })
        .collect();
    for start in 0..readings.len() {
        let mut rest = q;
        let mut end = start;
        while !rest.is_empty() && end < readings.len() {
            let rs = &readings[end];
            if let Some(r) = rs.iter().find(|r| rest.starts_with(r.as_str())) {
                rest = &rest[r.as_str().len()..];
            } else if rs.iter().any(|r| r.as_str().starts_with(rest)) {
                rest = "";
            } else {
                break;
            }
            end += 1;
        }
        if rest.is_empty() && end > start {
            return Some((start, end));
        }
        let qb = q.as_bytes();
        if qb.len() <= readings.len() - start
            && qb
                .iter()
                .zip(&readings[start..])
                .all(|(b, rs)| rs.iter().any(|r| r.initial() == *b))
        {
            return Some((start, start + qb.len()));
        }
    }
    None
}

fn phone_ranges(raw: &str, fragments: &[String]) -> Vec<Range<usize>> {
    let positions: Vec<usize> = raw
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let digits: String = positions
        .iter()
        .map(|&i| char::from(raw.as_bytes()[i]))
        .collect();
    let mut out = Vec::new();
    for f in fragments {
        if let Some(p) = digits.find(f.as_str()) {
            out.push(positions[p]..positions[p + f.len() - 1] + 1);
        } else if phone::indexed_digits(raw)
            .iter()
            .any(|d| d.contains(f.as_str()))
        {
            out.push(0..raw.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_words_highlight_the_characters_they_spell() {
        assert_eq!(pinyin_chars("zhangsan", "张三"), Some((0, 2)));
        assert_eq!(pinyin_chars("xiaom", "张晓明"), Some((1, 3)));
        assert_eq!(pinyin_chars("xm", "张晓明"), Some((1, 3)));
        assert_eq!(pinyin_chars("zs", "张三"), Some((0, 2)));
        assert_eq!(pinyin_chars("li", "张三"), None);
    }

    #[test]
    fn phone_fragments_skip_separators() {
        assert_eq!(
            phone_ranges("138-1234-5678", &["12345".into()]),
            vec![4..10]
        );
        assert_eq!(
            phone_ranges("138 1234 5678", &["8613812".into()]),
            vec![0..13]
        );
    }
}
