//! Typo tolerance: a bounded optimal-string-alignment distance (Levenshtein plus swapping two
//! neighbours, the most common typing slip: "zhnag").

/// Edits allowed for a query word: none below four letters (too many words are one edit
/// apart), one up to seven, two from eight.
pub(crate) fn budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Longest word compared; longer ones are never typo-matched (names and streets are shorter).
pub(crate) const MAX_LEN: usize = 32;

/// The distance between `a` and `b` if it is at most `k`.
pub(crate) fn within(a: &[u8], b: &[u8], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k || a.len() > MAX_LEN || b.len() > MAX_LEN {
        return None;
    }
    let n = b.len();
    // Three rows on the stack (this runs for every candidate word of every query); the row
    // before the previous one is needed for transpositions.
    let mut prev2 = [0usize; MAX_LEN + 1];
    let mut prev = [0usize; MAX_LEN + 1];
    let mut cur = [0usize; MAX_LEN + 1];
    for (j, p) in prev.iter_mut().enumerate().take(n + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[n];
    (d <= k).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_substitutions_insertions_deletions_and_swaps_as_one() {
        assert_eq!(within(b"olivia", b"olivia", 1), Some(0));
        assert_eq!(within(b"olvia", b"olivia", 1), Some(1));
        assert_eq!(within(b"oliviaa", b"olivia", 1), Some(1));
        assert_eq!(within(b"plivia", b"olivia", 1), Some(1));
        assert_eq!(within(b"zhnag", b"zhang", 1), Some(1));
        assert_eq!(within(b"zhnga", b"zhang", 1), None);
        assert_eq!(within(b"zhnga", b"zhang", 2), Some(2));
        assert_eq!(within(b"", b"ab", 1), None);
    }

    #[test]
    fn short_words_get_no_typos() {
        assert_eq!(budget(3), 0);
        assert_eq!(budget(5), 1);
        assert_eq!(budget(9), 2);
    }
}
