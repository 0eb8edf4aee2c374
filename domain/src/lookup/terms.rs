//! The term dictionary and its postings. A term is a role (which field and how it was cut)
//! plus the folded text; its postings are the sorted slots of the customers that have it.
//!
//! Memory is what matters on phones: postings are plain sorted `u32` lists (4 bytes per
//! customer and term), and each term's text is kept once, addressed by a `u32` id. Prefix
//! search uses a list of ids sorted by text; new terms (rare after start-up) are inserted into
//! it in place.

use rustc_hash::FxHashMap;

use super::fuzzy;

/// Where a term came from and how it was cut. Part of the term's key, so "lu" as a street and
/// "lu" as a surname are different terms and a match says which field it hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub(crate) enum Role {
    /// A Latin word of the name, or a whole Han run of it (张晓明).
    NameWord = 1,
    /// A tail of a Han run of the name (晓明, 明): the given name alone.
    NameInfix,
    PinyinFull,
    PinyinPart,
    Initials,
    InitialsPart,
    /// A word or whole Han run of district, street or detail.
    Address,
    /// A tail of at least two characters of a Han run of the address (中路 of 淮海中路).
    AddressInfix,
    LeadName,
    LeadInfix,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::NameWord,
        Role::NameInfix,
        Role::PinyinFull,
        Role::PinyinPart,
        Role::Initials,
        Role::InitialsPart,
        Role::Address,
        Role::AddressInfix,
        Role::LeadName,
        Role::LeadInfix,
    ];

    fn byte(self) -> u8 {
        self as u8
    }

    fn from_byte(b: u8) -> Option<Role> {
        Role::ALL.get(usize::from(b).checked_sub(1)?).copied()
    }

    /// Roles whose words may be matched with typos (initials and Han text are not).
    pub fn fuzzy(self) -> bool {
        matches!(
            self,
            Role::NameWord | Role::PinyinFull | Role::PinyinPart | Role::Address | Role::LeadName
        )
    }
}

pub(crate) type TermId = u32;

#[derive(Clone, Debug, Default)]
pub(crate) struct Terms {
    /// Role byte followed by the folded text.
    keys: Vec<Box<str>>,
    postings: Vec<Vec<u32>>,
    /// Term ids ordered by key. Stale while `building` is set.
    sorted: Vec<TermId>,
    /// Only while bulk-building: hashing beats binary search for a million inserts.
    building: Option<FxHashMap<Box<str>, TermId>>,
    /// Typo candidates: (length, which pair of the first three letters, the pair) -> ids of
    /// Latin terms. Pairs rather than single letters: pinyin is full of words that share
    /// one letter ("zh", "ch", "sh" all have `h` second), and each bucket is scanned whole.
    typo_buckets: FxHashMap<u32, Vec<TermId>>,
    /// Which letters each Latin term contains (bit 0 = `a`): an edit changes at most two
    /// bits, so most bucket members are rejected without computing a distance.
    letters: Vec<u32>,
    /// One-edit candidates (a SymSpell deletion neighbourhood): the buckets above hold
    /// thousands of long pinyin words each at a million customers, while a word's deletions
    /// lead straight to the few terms one edit away.
    deletes: Deletes,
}

/// Hashes of every Latin fuzzy term and of each string made by deleting one of its letters,
/// each with the term's id. Two strings are within one edit (substitution, insertion,
/// deletion or swap of neighbours) only if a deletion of one (or the string itself) equals
/// a deletion of the other, so looking up the query's deletions finds every such term;
/// hash collisions only add candidates, which are verified.
#[derive(Clone, Debug, Default)]
struct Deletes {
    /// Sorted by hash.
    main: Vec<(u32, TermId)>,
    /// Terms added after a bulk build, sorted, merged into `main` when it grows: inserting
    /// into a list of millions for every new term would cost milliseconds each.
    recent: Vec<(u32, TermId)>,
}

const MAX_RECENT_DELETES: usize = 1 << 14;

fn hash32(parts: [&[u8]; 2]) -> u32 {
    let h = parts
        .iter()
        .flat_map(|p| p.iter())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    (h >> 32) as u32 ^ h as u32
}

/// Hashes of a word and of its one-letter deletions, without repeats (a doubled letter
/// gives the same deletion twice).
fn deletion_hashes(w: &[u8], out: &mut Vec<u32>) {
    out.clear();
    out.push(hash32([w, &[]]));
    for i in 0..w.len() {
        out.push(hash32([&w[..i], &w[i + 1..]]));
    }
    out.sort_unstable();
    out.dedup();
}

impl Deletes {
    fn add(&mut self, word: &[u8], id: TermId, bulk: bool) {
        let mut hs = Vec::with_capacity(word.len() + 1);
        deletion_hashes(word, &mut hs);
        if bulk {
            self.main.extend(hs.into_iter().map(|h| (h, id)));
            return;
        }
        for h in hs {
            let at = self.recent.partition_point(|e| *e < (h, id));
            self.recent.insert(at, (h, id));
        }
        if self.recent.len() > MAX_RECENT_DELETES {
            self.main.append(&mut self.recent);
            self.main.sort_unstable();
        }
    }

    fn finish_bulk(&mut self) {
        self.main.append(&mut self.recent);
        self.main.sort_unstable();
        self.main.dedup();
    }

    fn lookup(&self, h: u32, out: &mut Vec<TermId>) {
        for list in [&self.main, &self.recent] {
            let start = list.partition_point(|e| e.0 < h);
            out.extend(list[start..].iter().take_while(|e| e.0 == h).map(|e| e.1));
        }
    }

    fn heap_bytes(&self) -> usize {
        (self.main.capacity() + self.recent.capacity()) * 8
    }
}

fn letters(word: &[u8]) -> u32 {
    word.iter()
        .filter(|b| b.is_ascii_lowercase())
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

/// The pairs of a word's first three letters that typo buckets are keyed by: letters 0-1,
/// 1-2 and 0-2.
const PAIRS: [(usize, usize); 3] = [(0, 1), (1, 2), (0, 2)];

fn bucket(len: usize, pair: usize, a: u8, b: u8) -> u32 {
    ((len as u32) << 24) | ((pair as u32) << 16) | (u32::from(a) << 8) | u32::from(b)
}

fn key_into(buf: &mut String, role: Role, term: &str) {
    buf.clear();
    buf.push(char::from(role.byte()));
    buf.push_str(term);
}

impl Terms {
    pub fn start_bulk(&mut self) {
        let map = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as TermId))
            .collect();
        self.building = Some(map);
    }

    pub fn finish_bulk(&mut self) {
        self.building = None;
        self.deletes.finish_bulk();
        let mut ids: Vec<TermId> = (0..self.keys.len() as TermId).collect();
        ids.sort_unstable_by(|a, b| self.keys[*a as usize].cmp(&self.keys[*b as usize]));
        self.sorted = ids;
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.sorted
            .binary_search_by(|id| (*self.keys[*id as usize]).cmp(key))
    }

    /// The id of a term, adding it if new.
    pub fn intern(&mut self, buf: &mut String, role: Role, term: &str) -> TermId {
        key_into(buf, role, term);
        if let Some(map) = &self.building {
            if let Some(id) = map.get(buf.as_str()) {
                return *id;
            }
        } else if let Ok(pos) = self.find(buf) {
            return self.sorted[pos];
        }
        let id = self.keys.len() as TermId;
        let key: Box<str> = buf.as_str().into();
        match &mut self.building {
            Some(map) => {
                map.insert(key.clone(), id);
            }
            None => {
                let pos = self.find(&key).unwrap_or_else(|p| p);
                self.sorted.insert(pos, id);
            }
        }
        self.keys.push(key);
        self.postings.push(Vec::new());
        let bytes = term.as_bytes();
        self.letters.push(letters(bytes));
        if role.fuzzy()
            && (3..=fuzzy::MAX_LEN).contains(&bytes.len())
            && bytes.iter().all(u8::is_ascii_lowercase)
        {
            let bulk = self.building.is_some();
            self.deletes.add(bytes, id, bulk);
            for (p, (i, j)) in PAIRS.iter().enumerate() {
                self.typo_buckets
                    .entry(bucket(bytes.len(), p, bytes[*i], bytes[*j]))
                    .or_default()
                    .push(id);
            }
        }
        id
    }

    /// Adds a slot to a term's postings. Slots mostly arrive in increasing order.
    pub fn add(&mut self, id: TermId, slot: u32) {
        let p = &mut self.postings[id as usize];
        match p.last() {
            Some(&last) if last == slot => {}
            Some(&last) if last > slot => {
                if let Err(pos) = p.binary_search(&slot) {
                    p.insert(pos, slot);
                }
            }
            _ => p.push(slot),
        }
    }

    pub fn remove(&mut self, buf: &mut String, role: Role, term: &str, slot: u32) {
        key_into(buf, role, term);
        if let Ok(pos) = self.find(buf) {
            let p = &mut self.postings[self.sorted[pos] as usize];
            if let Ok(i) = p.binary_search(&slot) {
                p.remove(i);
            }
        }
    }

    pub fn postings(&self, id: TermId) -> &[u32] {
        &self.postings[id as usize]
    }

    /// The role and folded text of a term.
    pub fn term(&self, id: TermId) -> (Role, &str) {
        let k = &self.keys[id as usize];
        let role = Role::from_byte(k.as_bytes()[0]).unwrap_or(Role::NameWord);
        (role, &k[1..])
    }

    /// Terms of `role` that start with `prefix` (including the equal one), in key order.
    pub fn with_prefix<'a>(
        &'a self,
        buf: &mut String,
        role: Role,
        prefix: &str,
    ) -> impl Iterator<Item = TermId> + 'a {
        key_into(buf, role, prefix);
        let key = buf.clone();
        let start = self
            .sorted
            .partition_point(|id| *self.keys[*id as usize] < *key);
        self.sorted[start..]
            .iter()
            .copied()
            .take_while(move |id| self.keys[*id as usize].starts_with(key.as_str()))
    }

    /// Latin terms exactly one edit from `word` (whole words, not prefixes), found through
    /// the deletion neighbourhood: about `word.len()` binary searches, whatever the size.
    pub fn one_edit(&self, word: &str, out: &mut Vec<TermId>) {
        out.clear();
        let w = word.as_bytes();
        if w.len() < 2 || w.len() > fuzzy::MAX_LEN + 1 {
            return;
        }
        let mut hs = Vec::with_capacity(w.len() + 1);
        deletion_hashes(w, &mut hs);
        let mut cands = Vec::new();
        for h in hs {
            self.deletes.lookup(h, &mut cands);
        }
        cands.sort_unstable();
        cands.dedup();
        out.extend(cands.into_iter().filter(|&id| {
            let (_, t) = self.term(id);
            fuzzy::within(w, t.as_bytes(), 1) == Some(1)
        }));
    }

    /// Latin terms within `k` edits of `word` (whole words, not prefixes), by scanning the
    /// typo buckets: exhaustive for two edits, but slow for long pinyin words in a large
    /// index (see [`Terms::one_edit`] for the fast path). Assumes at most one of the slips is
    /// in the first three letters.
    pub fn typos(&self, word: &str, k: usize, out: &mut Vec<(TermId, usize)>) {
        out.clear();
        let w = word.as_bytes();
        if k == 0 || w.len() < 3 || w.len() > fuzzy::MAX_LEN {
            return;
        }
        let (q0, q1, q2) = (w[0], w[1], w[2]);
        // Each probe covers one place for the single slip among the first three letters:
        // none or after them (0-1 equal), a replaced or dropped first letter (1-2 / 0-1 at
        // 1-2), an extra first letter (0-1 = q1 q2), swapped first two (0-1 = q1 q0), and a
        // replaced, extra or missing second letter (0-2, 0-1 = q0 q2, 0-2 = q0 q1).
        let probes = [
            (0, q0, q1),
            (0, q1, q2),
            (0, q1, q0),
            (0, q0, q2),
            (1, q1, q2),
            (1, q0, q1),
            (2, q0, q2),
            (2, q0, q1),
        ];
        let mask = letters(w);
        for len in w.len().saturating_sub(k).max(3)..=(w.len() + k).min(fuzzy::MAX_LEN) {
            for &(pair, a, b) in &probes {
                for &id in self
                    .typo_buckets
                    .get(&bucket(len, pair, a, b))
                    .into_iter()
                    .flatten()
                {
                    if (self.letters[id as usize] ^ mask).count_ones() as usize > 2 * k {
                        continue;
                    }
                    let (_, t) = self.term(id);
                    if let Some(d) = fuzzy::within(w, t.as_bytes(), k) {
                        out.push((id, d));
                    }
                }
            }
        }
        // A term sits in several buckets; report it once.
        out.sort_unstable();
        out.dedup();
    }

    pub fn heap_bytes(&self) -> usize {
        let keys: usize = self.keys.iter().map(|k| k.len() + 16).sum();
        let postings: usize = self.postings.iter().map(|p| p.capacity() * 4 + 24).sum();
        let buckets: usize = self
            .typo_buckets
            .values()
            .map(|v| v.capacity() * 4 + 32)
            .sum();
        keys + postings
            + buckets
            + self.deletes.heap_bytes()
            + (self.sorted.capacity() + self.letters.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_search_stays_in_its_role_after_incremental_inserts() {
        let mut t = Terms::default();
        let mut buf = String::new();
        let zhang = t.intern(&mut buf, Role::PinyinPart, "zhang");
        let zhao = t.intern(&mut buf, Role::PinyinPart, "zhao");
        let street = t.intern(&mut buf, Role::Address, "zhangjiang");
        t.add(zhang, 3);
        t.add(zhang, 1);
        assert_eq!(t.postings(zhang), &[1, 3]);
        let found: Vec<_> = t.with_prefix(&mut buf, Role::PinyinPart, "zha").collect();
        assert_eq!(found, vec![zhang, zhao]);
        let found: Vec<_> = t.with_prefix(&mut buf, Role::Address, "zha").collect();
        assert_eq!(found, vec![street]);
        t.remove(&mut buf, Role::PinyinPart, "zhang", 1);
        assert_eq!(t.postings(zhang), &[3]);
    }

    #[test]
    fn typo_candidates_include_a_slip_in_the_first_letter() {
        let mut t = Terms::default();
        let mut buf = String::new();
        let olivia = t.intern(&mut buf, Role::NameWord, "olivia");
        let mut out = Vec::new();
        for typo in [
            "plivia", "lolivia", "livia", "olvia", "loivia", "opivia", "oolivia", "oivia",
        ] {
            t.typos(typo, 1, &mut out);
            assert_eq!(out, vec![(olivia, 1)], "{typo}");
        }
    }

    #[test]
    fn one_edit_finds_every_single_slip_and_nothing_further() {
        let mut t = Terms::default();
        let mut buf = String::new();
        t.start_bulk();
        let olivia = t.intern(&mut buf, Role::NameWord, "olivia");
        let zhang = t.intern(&mut buf, Role::PinyinFull, "zhangxiaoming");
        t.intern(&mut buf, Role::NameWord, "oliver");
        t.finish_bulk();
        // Added after the build: goes through the small sorted list, then the merge.
        let late = t.intern(&mut buf, Role::Address, "olivias");
        let mut out = Vec::new();
        for typo in [
            "plivia", "lolivia", "livia", "olvia", "loivia", "oolivia", "olivai",
        ] {
            t.one_edit(typo, &mut out);
            assert_eq!(out, vec![olivia], "{typo}");
        }
        t.one_edit("oliviaz", &mut out);
        assert_eq!(out, vec![olivia, late]);
        t.one_edit("zhangxiaomnig", &mut out);
        assert_eq!(out, vec![zhang]);
        // Two slips are not one edit; the exact word is not a slip.
        for far in ["zhangxaiomnig", "olivia", "ovilai"] {
            t.one_edit(far, &mut out);
            assert!(
                !out.contains(&zhang) && !out.contains(&olivia),
                "{far}: {out:?}"
            );
        }
        // Enough new words to overflow the small list into the main one.
        let word = |i: usize| -> String {
            let letters: String = format!("{i:05}")
                .bytes()
                .map(|d| char::from(b'a' + (d - b'0')))
                .collect();
            format!("street{letters}")
        };
        for i in 0..MAX_RECENT_DELETES / 8 {
            t.intern(&mut buf, Role::Address, &word(i));
        }
        assert!(t.deletes.recent.len() < MAX_RECENT_DELETES / 2, "merged");
        t.one_edit("olivias", &mut out);
        assert!(
            out.contains(&olivia),
            "still found after the merge: {out:?}"
        );
    }
}
