//! Normalisation and tokenisation, shared by indexing and querying so that both sides cut
//! text the same way: a run of Han characters is one token (it is later split into suffixes
//! and pinyin), a run of other letters and digits is another.
//!
//! Han characters are compared in their simplified form, so that 張偉 (typed in Hong Kong or
//! Taiwan, or found in an old spreadsheet) and 张伟 are the same name to search and to the
//! duplicate check. The table is `fast2s`'s, character for character, and every character it
//! changes keeps its UTF-8 length, so byte spans stay valid for highlighting.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Han,
    Word,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    /// Folded text: lower case, full-width forms and common accents folded.
    pub text: String,
    /// Byte range in the original string, for highlighting.
    pub span: Range<usize>,
}

impl Token {
    pub fn is_digits(&self) -> bool {
        !self.text.is_empty() && self.text.bytes().all(|b| b.is_ascii_digit())
    }

    pub fn is_alpha(&self) -> bool {
        self.kind == Kind::Word && self.text.bytes().all(|b| b.is_ascii_lowercase())
    }
}

/// CJK unified ideographs and their extensions: the characters pinyin exists for.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x30000..=0x3134F)
}

/// Folds one character the way people expect search to: `Ａ` and `a` are the same letter,
/// `é` is typed as `e`. Returns `None` for separators.
pub(crate) fn fold(c: char) -> Option<char> {
    let c = match c as u32 {
        // Full-width ASCII, which Chinese input methods produce.
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        return c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase());
    }
    if is_han(c) {
        return Some(c);
    }
    if !c.is_alphanumeric() {
        return None;
    }
    let folded = match c {
        'à'..='å' | 'À'..='Å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'Ç' | 'ć' | 'č' => 'c',
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' => 'i',
        'ñ' | 'Ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'ő' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'ů' | 'ű' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'š' | 'Š' | 'ś' => 's',
        'ž' | 'Ž' | 'ź' | 'ż' => 'z',
        'ł' | 'Ł' => 'l',
        'ß' => 's',
        _ => c.to_lowercase().next().unwrap_or(c),
    };
    Some(folded)
}

/// The text with traditional Han characters written simplified; the same text when it has
/// none (no allocation then).
pub(crate) fn simplified(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_han(c) && c.len_utf8() == 3) {
        return std::borrow::Cow::Borrowed(s);
    }
    let converted = fast2s::convert(s);
    // The table only maps three-byte characters to three-byte characters; should a later
    // version not, the text is searched as typed rather than with spans that point astray.
    if converted.len() == s.len() {
        std::borrow::Cow::Owned(converted)
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Cuts text into Han runs and word runs, remembering where each came from.
pub(crate) fn tokens(s: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut cur: Option<Token> = None;
    let simple = simplified(s);
    for ((i, original), c) in s.char_indices().zip(simple.chars()) {
        let end = i + original.len_utf8();
        let Some(f) = fold(c) else {
            out.extend(cur.take());
            continue;
        };
        let kind = if is_han(f) { Kind::Han } else { Kind::Word };
        match &mut cur {
            Some(t) if t.kind == kind => {
                t.text.push(f);
                t.span.end = end;
            }
            _ => {
                out.extend(cur.take());
                cur = Some(Token {
                    kind,
                    text: f.to_string(),
                    span: i..end,
                });
            }
        }
    }
    out.extend(cur);
    out
}

/// Upper-case letters and digits only: how identifiers ("J-7K3QM-9M2XH", "sn 4471-a") compare.
pub(crate) fn compact_id(s: &str) -> String {
    s.chars()
        .filter_map(fold)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn han_runs_and_words_are_separate_tokens() {
        assert_eq!(
            texts("李Tony 淮海中路128弄"),
            ["李", "tony", "淮海中路", "128", "弄"]
        );
    }

    #[test]
    fn full_width_and_accents_fold() {
        assert_eq!(texts("ＺＨＡＮＧ　１３８ José"), ["zhang", "138", "jose"]);
    }

    #[test]
    fn spans_point_into_the_original() {
        let s = "Ａb 张三";
        let t = tokens(s);
        assert_eq!(&s[t[0].span.clone()], "Ａb");
        assert_eq!(&s[t[1].span.clone()], "张三");
    }

    #[test]
    fn traditional_characters_are_read_simplified_with_spans_as_typed() {
        let s = "張偉 灣仔區";
        assert_eq!(texts(s), ["张伟", "湾仔区"]);
        let t = tokens(s);
        assert_eq!(&s[t[0].span.clone()], "張偉");
        assert_eq!(&s[t[1].span.clone()], "灣仔區");
    }

    #[test]
    fn identifiers_compact() {
        assert_eq!(compact_id("j-7k3qm 9m2xh"), "J7K3QM9M2XH");
    }
}
