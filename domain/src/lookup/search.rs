//! Answering a query: each word of the query becomes a set of alternatives (posting lists with
//! a grade each: which field, exact, prefix or typo), the words are intersected starting from
//! the most selective, and the survivors are scored and the best few highlighted.

use super::highlight;
use super::index::{Index, parse_number, serial_key};
use super::phone::{self, GRAM};
use super::rank::{self, Acc};
use super::terms::Role;
use super::tokens::{self, Kind, Token, compact_id};
use super::{FieldMatch, Hit, MatchedField, SearchContext, fuzzy};
use crate::ids::CustomerId;
use crate::places::LatLng;

/// Longer queries are cut: nobody types more to find one customer, and the cost stays bounded.
const MAX_QUERY_CHARS: usize = 100;
const MAX_WORDS: usize = 8;
/// Words with more alternatives than this are gathered into a dense table instead of probed.
const MAX_PROBED_LISTS: usize = 8;

enum Src<'a> {
    Borrowed(&'a [u32]),
    Owned(Vec<u32>),
}

impl Src<'_> {
    fn slots(&self) -> &[u32] {
        match self {
            Src::Borrowed(s) => s,
            Src::Owned(v) => v,
        }
    }
}

/// The alternatives of one query word.
struct Word<'a> {
    alts: Vec<(Src<'a>, u8)>,
    size: usize,
}

impl<'a> Word<'a> {
    fn push(&mut self, src: Src<'a>, grade: u8) {
        let n = src.slots().len();
        if n > 0 {
            self.size += n;
            self.alts.push((src, grade));
        }
    }
}

#[derive(Clone, Copy)]
struct Cand {
    slot: u32,
    acc: Acc,
}

const HAN_ROLES: &[Role] = &[
    Role::NameWord,
    Role::NameInfix,
    Role::Address,
    Role::AddressInfix,
    Role::LeadName,
    Role::LeadInfix,
];
const LATIN_ROLES: &[Role] = &[
    Role::NameWord,
    Role::PinyinFull,
    Role::PinyinPart,
    Role::Initials,
    Role::InitialsPart,
    Role::Address,
    Role::LeadName,
];
const OTHER_ROLES: &[Role] = &[Role::NameWord, Role::Address, Role::LeadName];

impl Index {
    /// The best `limit` customers for what the user typed so far. Never panics, whatever the
    /// query; an empty or unmatched query gives no hits.
    #[must_use]
    pub fn search(&self, query: &str, ctx: &SearchContext, limit: usize) -> Vec<Hit> {
        self.search_where(query, ctx, limit, |_| true)
    }

    /// [`Index::search`] among the customers `keep` accepts (the server's role scope): they
    /// are filtered before ranking, so `limit` hits come back whenever that many match.
    #[must_use]
    pub fn search_where(
        &self,
        query: &str,
        ctx: &SearchContext,
        limit: usize,
        keep: impl Fn(CustomerId) -> bool,
    ) -> Vec<Hit> {
        if limit == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        let q: String = query.chars().take(MAX_QUERY_CHARS).collect();
        // "zhang wei" is how most people type 张伟: when the words joined are a full name's
        // pinyin, the people with that name come first, as for "zhangwei", and then whoever
        // the separate words find ("Wei Zhang").
        if let Some(joined) = self.joined_pinyin(&q) {
            let mut hits = self.ranked(&joined, ctx, limit, &keep, true);
            for hit in self.ranked(&q, ctx, limit, &keep, true) {
                if hits.len() < limit && hits.iter().all(|h| h.customer != hit.customer) {
                    hits.push(hit);
                }
            }
            return hits;
        }
        self.ranked(&q, ctx, limit, &keep, true)
    }

    /// The query's words joined, when they are all letters and joined they are the full
    /// pinyin of some name.
    fn joined_pinyin(&self, q: &str) -> Option<String> {
        let words = tokens::tokens(q);
        if words.len() < 2 || words.len() > MAX_WORDS || !words.iter().all(Token::is_alpha) {
            return None;
        }
        let joined: String = words.iter().map(|t| t.text.as_str()).collect();
        let mut buf = String::new();
        let known = self
            .terms
            .with_prefix(&mut buf, Role::PinyinFull, &joined)
            .any(|id| self.terms.term(id).1 == joined && !self.terms.postings(id).is_empty());
        known.then_some(joined)
    }

    /// The customers the words of `q` find, best first, without what matched: for the
    /// duplicate check, which reads the records and not the highlights.
    pub(crate) fn ranked_ids(&self, q: &str, ctx: &SearchContext, limit: usize) -> Vec<CustomerId> {
        let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
        self.ranked(&q, ctx, limit, &|_| true, false)
            .into_iter()
            .map(|h| h.customer)
            .collect()
    }

    fn ranked(
        &self,
        q: &str,
        ctx: &SearchContext,
        limit: usize,
        keep: &impl Fn(CustomerId) -> bool,
        highlight: bool,
    ) -> Vec<Hit> {
        let by_id = self.identifiers(&compact_id(q));
        let (tokens, fragments, mut words) = match phone::looks_like_phone(q) {
            Some(digits) => {
                let frags = phone::query_fragments(&digits);
                let mut w = Word {
                    alts: Vec::new(),
                    size: 0,
                };
                self.phone_alts(&frags, &mut w);
                (Vec::new(), frags, vec![w])
            }
            None => {
                let mut tokens = tokens::tokens(q);
                tokens.truncate(MAX_WORDS);
                let mut frags = Vec::new();
                let words = tokens
                    .iter()
                    .map(|t| self.word(t, &mut frags))
                    .collect::<Vec<_>>();
                (tokens, frags, words)
            }
        };
        // A word that matches nothing anywhere (a slip beyond the typo budget, a stray
        // letter) is ignored rather than hiding everything the other words found.
        words.retain(|w| w.size > 0);
        let n_words = words.len();
        let cands = self.intersect(words);

        let id_slots: Vec<u32> = {
            let mut v: Vec<u32> = by_id.iter().map(|(s, _)| *s).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut scored: Vec<(f32, u32)> = Vec::with_capacity(cands.len() + id_slots.len());
        for c in &cands {
            let d = &self.docs[c.slot as usize];
            if d.live && id_slots.binary_search(&c.slot).is_err() && keep(d.id) {
                scored.push((self.score(c.acc, n_words, c.slot, ctx, false), c.slot));
            }
        }
        for &slot in &id_slots {
            if self.docs[slot as usize].live && keep(self.docs[slot as usize].id) {
                let acc = Acc::new(0);
                scored.push((self.score(acc, 1, slot, ctx, true), slot));
            }
        }
        let order = |a: &(f32, u32), b: &(f32, u32)| {
            b.0.total_cmp(&a.0)
                .then_with(|| self.docs[a.1 as usize].id.cmp(&self.docs[b.1 as usize].id))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, order);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);
        scored
            .into_iter()
            .map(|(score, slot)| {
                let mut matched: Vec<FieldMatch> = by_id
                    .iter()
                    .filter(|(s, _)| *s == slot)
                    .map(|(_, field)| FieldMatch {
                        field: *field,
                        ranges: Vec::new(),
                    })
                    .collect();
                if highlight {
                    matched.extend(highlight::field_matches(self, slot, &tokens, &fragments));
                }
                if matched.is_empty() {
                    // Should not happen; say at least that the customer matched as a whole.
                    matched.push(FieldMatch {
                        field: MatchedField::Name,
                        ranges: Vec::new(),
                    });
                }
                Hit {
                    customer: self.docs[slot as usize].id,
                    score,
                    matched,
                }
            })
            .collect()
    }

    fn score(&self, acc: Acc, words: usize, slot: u32, ctx: &SearchContext, by_id: bool) -> f32 {
        let d = &self.docs[slot as usize];
        let days = (d.last_contact != i64::MIN)
            .then(|| (ctx.now.timestamp() - d.last_contact) as f64 / 86_400.0);
        let km = match ctx.location {
            Some(here) if here.is_valid() && !d.lat.is_nan() => Some(
                here.distance_m(&LatLng {
                    lat: f64::from(d.lat),
                    lng: f64::from(d.lng),
                }) / 1000.0,
            ),
            _ => None,
        };
        rank::score(
            acc,
            words,
            d.name_units,
            rank::recency(days),
            rank::proximity(km),
            by_id,
        )
    }

    /// Customers whose customer, job or serial number is exactly what was typed.
    fn identifiers(&self, compact: &str) -> Vec<(u32, MatchedField)> {
        let mut out = Vec::new();
        if compact.len() < 4 {
            return out;
        }
        if let Some(key) = parse_number(compact) {
            if let Some(&slot) = self.customer_numbers.get(&key) {
                out.push((slot, MatchedField::CustomerNumber));
            }
            if let Some(&(slot, job)) = self.job_numbers.get(&key) {
                out.push((slot, MatchedField::JobNumber { job }));
            }
        }
        if let Some(&(slot, asset)) = self.serials.get(&serial_key(compact)) {
            out.push((slot, MatchedField::SerialNumber { asset }));
        }
        out
    }

    fn word<'a>(&'a self, t: &Token, fragments: &mut Vec<String>) -> Word<'a> {
        let mut w = Word {
            alts: Vec::new(),
            size: 0,
        };
        let mut buf = String::new();
        let alpha = t.is_alpha();
        let roles = match t.kind {
            Kind::Han => HAN_ROLES,
            Kind::Word if alpha => LATIN_ROLES,
            Kind::Word => OTHER_ROLES,
        };
        let mut exact = false;
        for &role in roles {
            for id in self.terms.with_prefix(&mut buf, role, &t.text) {
                let (_, term) = self.terms.term(id);
                exact |= term == t.text && !self.terms.postings(id).is_empty();
                let grade = rank::term_grade(role, term == t.text);
                w.push(Src::Borrowed(self.terms.postings(id)), grade);
            }
        }
        // Typos are looked for only when the word is not a word we know: a known word was
        // most likely meant, typo matches would rank below it anyway, and long pinyin words
        // have hundreds of neighbours within two edits.
        let budget = fuzzy::budget(t.text.len());
        if alpha && !exact && budget > 0 {
            let mut found = false;
            let mut ids = Vec::new();
            self.terms.one_edit(&t.text, &mut ids);
            for id in ids {
                let (role, _) = self.terms.term(id);
                if roles.contains(&role) && !self.terms.postings(id).is_empty() {
                    found = true;
                    w.push(
                        Src::Borrowed(self.terms.postings(id)),
                        rank::typo_grade(role, 1),
                    );
                }
            }
            // Two edits only when one finds nothing and the word does not start a known word
            // (then it is most likely still being typed): a second slip is rarer than a first,
            // and the two-edit scan is the one slow path of the index.
            if budget > 1 && !found && w.size == 0 {
                let mut typos = Vec::new();
                self.terms.typos(&t.text, budget, &mut typos);
                for (id, edits) in typos {
                    let (role, _) = self.terms.term(id);
                    if edits > 1 && roles.contains(&role) {
                        w.push(
                            Src::Borrowed(self.terms.postings(id)),
                            rank::typo_grade(role, edits),
                        );
                    }
                }
            }
        }
        if t.is_digits() && t.text.len() >= GRAM {
            let frags = phone::query_fragments(&t.text);
            self.phone_alts(&frags, &mut w);
            fragments.extend(frags);
        }
        w
    }

    /// Customers with a phone containing one of the fragments, split into those where it is
    /// the whole number and the rest.
    fn phone_alts(&self, fragments: &[String], w: &mut Word<'_>) {
        let mut whole = Vec::new();
        let mut part = Vec::new();
        for f in fragments {
            for (s, is_whole) in self.phone_candidates(f) {
                if is_whole {
                    whole.push(s);
                } else {
                    part.push(s);
                }
            }
        }
        for v in [&mut whole, &mut part] {
            v.sort_unstable();
            v.dedup();
        }
        part.retain(|s| whole.binary_search(s).is_err());
        w.push(Src::Owned(whole), rank::phone_grade(true));
        w.push(Src::Owned(part), rank::phone_grade(false));
    }

    /// Slots with a phone containing the digits `f`, and whether it is the whole number.
    pub(crate) fn phone_candidates(&self, f: &str) -> Vec<(u32, bool)> {
        let mut lists: Vec<&[u32]> = phone::grams(f)
            .map(|g| self.grams[usize::from(g)].as_slice())
            .collect();
        lists.sort_unstable_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        let mut slots = first.to_vec();
        for l in rest {
            if slots.is_empty() {
                break;
            }
            let mut cur = 0;
            slots.retain(|&s| {
                cur = gallop(l, cur, s);
                l.get(cur) == Some(&s)
            });
        }
        if f.len() == GRAM {
            // One window is the whole fragment: the postings are the answer, and a
            // four-digit fragment is never a whole number.
            return slots.into_iter().map(|s| (s, false)).collect();
        }
        slots
            .into_iter()
            .filter_map(|s| self.phone_match(s, f).map(|w| (s, w)))
            .collect()
    }

    /// Whether a slot has a phone containing `f` (and whether it is the whole number).
    fn phone_match(&self, slot: u32, f: &str) -> Option<bool> {
        let leads = self.slot_leads_of(slot);
        let fields = self.fields(slot);
        let phones = fields
            .phones()
            .chain(leads.iter().filter_map(|l| l.phone.as_deref()));
        let mut found = None;
        for raw in phones {
            for d in phone::indexed_digits(raw) {
                if d == f {
                    return Some(true);
                }
                if d.contains(f) {
                    found = Some(false);
                }
            }
        }
        found
    }

    /// Slots matching every word, with what each word contributed.
    fn intersect(&self, mut words: Vec<Word<'_>>) -> Vec<Cand> {
        words.sort_by_key(|w| w.size);
        let Some((first, rest)) = words.split_first() else {
            return Vec::new();
        };
        let n = self.docs.len();
        let mut cands: Vec<Cand> = gather(&first.alts, n)
            .into_iter()
            .map(|(slot, g)| Cand {
                slot,
                acc: Acc::new(g),
            })
            .collect();
        for w in rest {
            if cands.is_empty() {
                break;
            }
            if w.alts.len() <= MAX_PROBED_LISTS {
                let mut cursors = vec![0usize; w.alts.len()];
                cands.retain_mut(|c| {
                    let mut best = 0u8;
                    for ((src, g), cur) in w.alts.iter().zip(cursors.iter_mut()) {
                        let list = src.slots();
                        *cur = gallop(list, *cur, c.slot);
                        if list.get(*cur) == Some(&c.slot) {
                            best = best.max(*g);
                        }
                    }
                    if best > 0 {
                        c.acc.add(best);
                    }
                    best > 0
                });
            } else {
                let mut dense = vec![0u8; n];
                for (src, g) in &w.alts {
                    for &s in src.slots() {
                        let d = &mut dense[s as usize];
                        *d = (*d).max(*g);
                    }
                }
                cands.retain_mut(|c| {
                    let g = dense[c.slot as usize];
                    if g > 0 {
                        c.acc.add(g);
                    }
                    g > 0
                });
            }
        }
        cands
    }
}

/// The union of a word's alternatives as sorted (slot, best grade) pairs.
fn gather(alts: &[(Src<'_>, u8)], n: usize) -> Vec<(u32, u8)> {
    if let [(src, g)] = alts {
        return src.slots().iter().map(|&s| (s, *g)).collect();
    }
    let size: usize = alts.iter().map(|(s, _)| s.slots().len()).sum();
    if size * 16 < n {
        let mut v: Vec<(u32, u8)> = Vec::with_capacity(size);
        for (src, g) in alts {
            v.extend(src.slots().iter().map(|&s| (s, *g)));
        }
        v.sort_unstable();
        // Sorted by slot then grade: the last of each run of a slot is its best grade.
        let mut out: Vec<(u32, u8)> = Vec::with_capacity(v.len());
        for (s, g) in v {
            match out.last_mut() {
                Some(last) if last.0 == s => last.1 = g,
                _ => out.push((s, g)),
            }
        }
        return out;
    }
    let mut dense = vec![0u8; n];
    for (src, g) in alts {
        for &s in src.slots() {
            let d = &mut dense[s as usize];
            *d = (*d).max(*g);
        }
    }
    dense
        .iter()
        .enumerate()
        .filter(|(_, g)| **g > 0)
        .map(|(s, g)| (s as u32, *g))
        .collect()
}

/// First index at or after `from` whose slot is >= `target`, by doubling steps then bisection.
fn gallop(list: &[u32], from: usize, target: u32) -> usize {
    if from >= list.len() || list[from] >= target {
        return from;
    }
    let mut step = 1;
    let mut lo = from;
    let mut hi = from + 1;
    while hi < list.len() && list[hi] < target {
        lo = hi;
        step *= 2;
        hi = (hi + step).min(list.len());
    }
    let hi = hi.min(list.len());
    lo + 1 + list[lo + 1..hi].partition_point(|&s| s < target)
}

#[cfg(test)]
mod tests {
    use super::gallop;

    #[test]
    fn gallop_finds_the_first_not_smaller() {
        let l = [1, 3, 5, 7, 9, 11, 13, 15, 17];
        for target in 0..20 {
            for from in 0..l.len() {
                let expect = from + l[from..].partition_point(|&s| s < target);
                assert_eq!(gallop(&l, from, target), expect, "{from} {target}");
            }
        }
        assert_eq!(gallop(&[], 0, 3), 0);
    }
}
