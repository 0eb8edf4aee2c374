//! Pinyin for Han names, so that 张晓明 is found from "zhangxiaoming", "zhang xiao ming",
//! "xiaoming" and "zxm". Readings come from the `pinyin` crate (MIT, pure Rust tables, builds
//! for wasm32); heteronyms matter for surnames (曾 zeng/ceng, 单 dan/shan), so every reading of
//! the first character is indexed.

use pinyin::ToPinyinMulti;

/// Characters of a run that get pinyin terms. Names are shorter; institutions rarely longer.
const MAX_RUN: usize = 12;
/// Readings kept per character (heteronyms beyond this are very rare in names).
const MAX_READINGS: usize = 4;

/// One syllable without tone, `ü` written as `v` the way pinyin keyboards take it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Syllable {
    bytes: [u8; 7],
    len: u8,
}

impl Syllable {
    fn new(plain: &str, u_for_v: bool) -> Option<Syllable> {
        let mut bytes = [0u8; 7];
        let mut len = 0usize;
        for c in plain.chars() {
            let b = match c {
                'ü' if u_for_v => b'u',
                'ü' => b'v',
                c if c.is_ascii_lowercase() => c as u8,
                _ => return None,
            };
            *bytes.get_mut(len)? = b;
            len += 1;
        }
        (len > 0).then_some(Syllable {
            bytes,
            len: len as u8,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII lower-case letters are ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }

    pub fn initial(&self) -> u8 {
        self.bytes[0]
    }
}

/// Readings of one character, the most common first; empty for characters without pinyin.
/// A reading with `ü` is given twice, as `lv` and as `lu`, since people type both.
pub(crate) fn readings(c: char, out: &mut Vec<Syllable>) {
    out.clear();
    let Some(multi) = c.to_pinyin_multi() else {
        return;
    };
    for p in multi {
        for u_for_v in [false, true] {
            if let Some(s) = Syllable::new(p.plain(), u_for_v)
                && !out.contains(&s)
                && out.len() < MAX_READINGS
            {
                out.push(s);
            }
        }
    }
}

/// Which kind of pinyin term a run produces; the index maps these onto its roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PinyinTerm {
    /// The whole run spelled out: `zhangxiaoming`.
    Full,
    /// One syllable (`xiao`) or the spelling of a tail of the run (`xiaoming`).
    Part,
    /// Initials of the whole run: `zxm`.
    Initials,
    /// Initials of a tail of the run: `xm`.
    InitialsPart,
}

/// Emits the pinyin terms of one Han run (which may repeat; the caller de-duplicates).
pub(crate) fn run_terms(run: &str, emit: &mut impl FnMut(PinyinTerm, &str)) {
    let mut per_char: Vec<Vec<Syllable>> = Vec::new();
    let mut buf = Vec::new();
    for c in run.chars().take(MAX_RUN) {
        readings(c, &mut buf);
        if buf.is_empty() {
            // A character without a reading breaks the spelling; what came before still counts.
            break;
        }
        per_char.push(buf.clone());
    }
    if per_char.is_empty() {
        return;
    }
    for rs in &per_char {
        for r in rs {
            emit(PinyinTerm::Part, r.as_str());
        }
    }
    let mut s = String::new();
    let mut initials = String::new();
    for first in &per_char[0] {
        s.clear();
        initials.clear();
        s.push_str(first.as_str());
        initials.push(char::from(first.initial()));
        for rs in &per_char[1..] {
            s.push_str(rs[0].as_str());
            initials.push(char::from(rs[0].initial()));
        }
        emit(PinyinTerm::Full, &s);
        emit(PinyinTerm::Initials, &initials);
    }
    for start in 1..per_char.len().saturating_sub(1) {
        s.clear();
        initials.clear();
        for rs in &per_char[start..] {
            s.push_str(rs[0].as_str());
            initials.push(char::from(rs[0].initial()));
        }
        emit(PinyinTerm::Part, &s);
        emit(PinyinTerm::InitialsPart, &initials);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(run: &str) -> Vec<(PinyinTerm, String)> {
        let mut v = Vec::new();
        run_terms(run, &mut |k, t| v.push((k, t.to_owned())));
        v
    }

    fn has(v: &[(PinyinTerm, String)], k: PinyinTerm, t: &str) -> bool {
        v.iter().any(|(kk, tt)| *kk == k && tt == t)
    }

    #[test]
    fn a_name_spells_whole_in_parts_and_as_initials() {
        let v = terms("张晓明");
        assert!(has(&v, PinyinTerm::Full, "zhangxiaoming"));
        assert!(has(&v, PinyinTerm::Part, "xiao"));
        assert!(has(&v, PinyinTerm::Part, "xiaoming"));
        assert!(has(&v, PinyinTerm::Initials, "zxm"));
        assert!(has(&v, PinyinTerm::InitialsPart, "xm"));
    }

    #[test]
    fn surname_heteronyms_and_u_umlaut() {
        let v = terms("曾伟");
        assert!(has(&v, PinyinTerm::Full, "zengwei"), "{v:?}");
        assert!(has(&v, PinyinTerm::Full, "cengwei"), "{v:?}");
        let v = terms("吕强");
        assert!(has(&v, PinyinTerm::Full, "lvqiang"), "{v:?}");
        assert!(has(&v, PinyinTerm::Full, "luqiang"), "{v:?}");
    }

    #[test]
    fn characters_without_pinyin_stop_the_spelling() {
        // A private-use character has no reading; what precedes it still spells.
        let v = terms("张\u{E000}三");
        assert!(has(&v, PinyinTerm::Full, "zhang"), "{v:?}");
        assert!(!v.iter().any(|(_, t)| t.contains("san")), "{v:?}");
    }
}
