//! The index itself: one slot per customer, the text needed to re-derive its terms and to
//! highlight matches, and the term, phone and identifier tables. Every change goes through
//! [`Index::upsert`] / [`Index::remove`], which recompute the terms of the slots touched and
//! apply the difference, so an index kept up to date op by op holds exactly what a fresh build
//! from the same records would.

use rustc_hash::FxHashMap;

use super::phone::{self, GRAMS};
use super::pinyin::{self, PinyinTerm};
use super::terms::{Role, Terms};
use super::tokens::{self, Kind, compact_id};
use crate::customers::{Asset, Customer};
use crate::ids::{AssetId, CustomerId, JobId, LeadId};
use crate::jobs::Job;
use crate::leads::{Interaction, Lead};
use crate::ops::{MemoryRecords, Record, RecordKey};

/// Field separator inside a slot's text. Control characters never survive into indexed text.
pub(crate) const FIELD: char = '\u{1f}';
/// Separator between the phones of one customer.
pub(crate) const PHONE: char = '\u{1e}';

/// What the index keeps per customer: 48 bytes plus the text in the shared arena.
#[derive(Clone, Debug)]
pub(crate) struct Doc {
    pub id: CustomerId,
    pub text_start: u32,
    pub text_len: u32,
    /// NaN when the address has no coordinates.
    pub lat: f32,
    pub lng: f32,
    /// Unix seconds of the latest interaction, `i64::MIN` if none.
    pub last_contact: i64,
    /// Words and Han runs in the name, to tell "the whole name" from "part of it".
    pub name_units: u8,
    /// A customer record is here and not merged away. Slots also exist for customers known
    /// only from their jobs, leads or interactions so far (sync order is not guaranteed).
    pub live: bool,
}

/// A lead linked to a customer: found by its name and phone, as that customer.
#[derive(Clone, Debug)]
pub(crate) struct LeadEntry {
    pub slot: u32,
    pub name: Box<str>,
    pub phone: Option<Box<str>>,
}

/// The in-memory customer lookup index. Pure data: no threads, no I/O, builds for wasm32.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub(crate) docs: Vec<Doc>,
    pub(crate) slot_of: FxHashMap<CustomerId, u32>,
    /// All slots' text, back to back; replaced text is left as garbage until compaction.
    pub(crate) text: String,
    garbage: usize,
    pub(crate) terms: Terms,
    /// Four-digit windows of phone numbers -> sorted slots.
    pub(crate) grams: Vec<Vec<u32>>,
    pub(crate) customer_numbers: FxHashMap<u64, u32>,
    pub(crate) job_numbers: FxHashMap<u64, (u32, JobId)>,
    pub(crate) serials: FxHashMap<u64, (u32, AssetId)>,
    asset_serial: FxHashMap<AssetId, u64>,
    pub(crate) leads: FxHashMap<LeadId, LeadEntry>,
    pub(crate) slot_leads: FxHashMap<u32, Vec<LeadId>>,
    live: usize,
}

/// The searchable fields of a slot, cut out of its text.
pub(crate) struct Fields<'a> {
    pub name: &'a str,
    pub district: &'a str,
    pub street: &'a str,
    pub detail: &'a str,
    pub phones: &'a str,
}

impl<'a> Fields<'a> {
    fn parse(text: &'a str) -> Fields<'a> {
        let mut it = text.split(FIELD);
        let mut next = || it.next().unwrap_or("");
        Fields {
            name: next(),
            district: next(),
            street: next(),
            detail: next(),
            phones: next(),
        }
    }

    pub fn phones(&self) -> impl Iterator<Item = &'a str> {
        self.phones.split(PHONE).filter(|p| !p.is_empty())
    }
}

/// Control characters become spaces of the same byte length, so that highlight ranges
/// computed on the stored text apply to the record's own text.
fn clean(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(|c| {
        let (c, n) = if c.is_control() {
            (' ', c.len_utf8())
        } else {
            (c, 1)
        };
        std::iter::repeat_n(c, n)
    })
}

/// Key of a short code ("C-7K3QM-9M2XH"): its prefix letter and the 50 bits it encodes.
pub(crate) fn number_key(prefix: char, id: uuid::Uuid) -> u64 {
    ((prefix as u64) << 56) | (id.as_u128() as u64 & ((1u64 << 50) - 1))
}

/// Reads a typed short code back into its key; lenient about case, dashes, O/0 and I/L/1.
pub(crate) fn parse_number(compact: &str) -> Option<u64> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let b = compact.as_bytes();
    if b.len() != 11 || !matches!(b[0], b'C' | b'J') {
        return None;
    }
    let mut bits = 0u64;
    for &c in &b[1..] {
        let c = match c {
            b'O' => b'0',
            b'I' | b'L' => b'1',
            c => c,
        };
        let v = ALPHABET.iter().position(|&a| a == c)? as u64;
        bits = (bits << 5) | v;
    }
    Some((u64::from(b[0]) << 56) | bits)
}

/// Stable 64-bit hash of a compacted serial number (FNV-1a).
pub(crate) fn serial_key(compact: &str) -> u64 {
    compact.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Han runs of names: the run, its tails and its pinyin.
fn name_terms(
    text: &str,
    whole: Role,
    infix: Role,
    pinyin: bool,
    emit: &mut impl FnMut(Role, &str),
) {
    for t in tokens::tokens(text) {
        emit(whole, &t.text);
        if t.kind == Kind::Han {
            for (i, _) in t.text.char_indices().skip(1) {
                emit(infix, &t.text[i..]);
            }
            if pinyin {
                pinyin::run_terms(&t.text, &mut |k, s| {
                    let role = match k {
                        PinyinTerm::Full => Role::PinyinFull,
                        PinyinTerm::Part => Role::PinyinPart,
                        PinyinTerm::Initials => Role::Initials,
                        PinyinTerm::InitialsPart => Role::InitialsPart,
                    };
                    emit(role, s);
                });
            }
        }
    }
}

fn address_terms(text: &str, emit: &mut impl FnMut(Role, &str)) {
    for t in tokens::tokens(text) {
        emit(Role::Address, &t.text);
        if t.kind == Kind::Han {
            let chars = t.text.chars().count();
            for (n, (i, _)) in t.text.char_indices().enumerate().skip(1) {
                if chars - n < 2 {
                    break;
                }
                emit(Role::AddressInfix, &t.text[i..]);
            }
        }
    }
}

/// Every term and phone window of one slot. A pure function of the slot's text and leads,
/// which is what makes incremental updates equal to a rebuild.
fn emit_terms(
    text: &str,
    leads: &[&LeadEntry],
    emit: &mut impl FnMut(Role, &str),
    gram: &mut impl FnMut(u16),
) {
    let f = Fields::parse(text);
    name_terms(f.name, Role::NameWord, Role::NameInfix, true, emit);
    for part in [f.district, f.street, f.detail] {
        address_terms(part, emit);
    }
    let mut phone = |raw: &str| {
        for d in phone::indexed_digits(raw) {
            phone::grams(&d).for_each(&mut *gram);
        }
    };
    for p in f.phones() {
        phone(p);
    }
    for l in leads {
        name_terms(&l.name, Role::LeadName, Role::LeadInfix, false, emit);
        if let Some(p) = &l.phone {
            phone(p);
        }
    }
}

type SlotTerms = (Vec<(Role, String)>, Vec<u16>);

impl Index {
    #[must_use]
    pub fn new() -> Index {
        Index {
            grams: vec![Vec::new(); GRAMS],
            ..Index::default()
        }
    }

    /// Builds the index from persisted records (customers, leads, assets, jobs and
    /// interactions are used; other records are skipped).
    #[must_use]
    pub fn build<'a>(records: impl IntoIterator<Item = &'a Record>) -> Index {
        let mut ix = Index::new();
        ix.terms.start_bulk();
        let mut rest = Vec::new();
        for r in records {
            match r {
                Record::Customer(c) => {
                    ix.upsert_customer(c);
                }
                _ => rest.push(r),
            }
        }
        for r in rest {
            ix.upsert(r);
        }
        ix.terms.finish_bulk();
        ix
    }

    /// Builds the index from customers alone (no leads, serial or job numbers).
    #[must_use]
    pub fn from_customers<'a>(customers: impl IntoIterator<Item = &'a Customer>) -> Index {
        let mut ix = Index::new();
        ix.terms.start_bulk();
        for c in customers {
            ix.upsert_customer(c);
        }
        ix.terms.finish_bulk();
        ix
    }

    /// Customers that can be found (merged-away ones are not).
    #[must_use]
    pub fn len(&self) -> usize {
        self.live
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Approximate heap memory held by the index, in bytes.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        let map = |n: usize, entry: usize| n * (entry + 1) * 8 / 7;
        self.docs.capacity() * std::mem::size_of::<Doc>()
            + map(self.slot_of.capacity(), 20)
            + self.text.capacity()
            + self.terms.heap_bytes()
            + self
                .grams
                .iter()
                .map(|g| g.capacity() * 4 + 24)
                .sum::<usize>()
            + map(self.customer_numbers.capacity(), 12)
            + map(self.job_numbers.capacity(), 28)
            + map(self.serials.capacity(), 28)
            + map(self.asset_serial.capacity(), 24)
            + self
                .leads
                .values()
                .map(|l| 64 + l.name.len() + l.phone.as_ref().map_or(0, |p| p.len()))
                .sum::<usize>()
    }

    /// Applies what an op changed: each key is re-read from the replica and upserted, or
    /// removed if it is gone. This is how the core keeps the index current.
    ///
    /// Returns the customers among `changed` whose searchable fields (name, phones, address,
    /// position, merge) changed or that are gone: the only ones whose likely duplicates can
    /// have changed. A tag or a note changes none of them.
    pub fn refresh(&mut self, records: &MemoryRecords, changed: &[RecordKey]) -> Vec<CustomerId> {
        let mut moved = Vec::new();
        for key in changed {
            match records.record(key) {
                Some(Record::Customer(c)) => {
                    if self.upsert_customer(c) {
                        moved.push(c.id);
                    }
                }
                Some(r) => self.upsert(r),
                None => {
                    if let RecordKey::Customer(id) = key {
                        moved.push(*id);
                    }
                    self.remove(*key);
                }
            }
        }
        moved
    }

    /// Adds or replaces one record. Records of kinds the index does not use are ignored.
    pub fn upsert(&mut self, record: &Record) {
        match record {
            Record::Customer(c) => {
                self.upsert_customer(c);
            }
            Record::Lead(l) => self.upsert_lead(l),
            Record::Asset(a) => self.upsert_asset(a),
            Record::Job(j) => self.upsert_job(j),
            Record::Interaction(i) => self.upsert_interaction(i),
            _ => {}
        }
    }

    /// Forgets one record. The latest-interaction time of a customer is not lowered when an
    /// interaction is removed (ops never remove interactions).
    pub fn remove(&mut self, key: RecordKey) {
        match key {
            RecordKey::Customer(id) => {
                if let Some(&slot) = self.slot_of.get(&id) {
                    self.reindex(slot, |ix| ix.clear_customer(slot));
                    let k = number_key('C', id.0);
                    if self.customer_numbers.get(&k) == Some(&slot) {
                        self.customer_numbers.remove(&k);
                    }
                }
            }
            RecordKey::Lead(id) => {
                if let Some(slot) = self.leads.get(&id).map(|e| e.slot) {
                    self.reindex(slot, |ix| ix.detach_lead(id));
                }
            }
            RecordKey::Asset(id) => {
                if let Some(k) = self.asset_serial.remove(&id)
                    && self.serials.get(&k).is_some_and(|(_, a)| *a == id)
                {
                    self.serials.remove(&k);
                }
            }
            RecordKey::Job(id) => {
                self.job_numbers.remove(&number_key('J', id.0));
            }
            _ => {}
        }
    }

    fn ensure_slot(&mut self, id: CustomerId) -> u32 {
        if let Some(&s) = self.slot_of.get(&id) {
            return s;
        }
        let s = self.docs.len() as u32;
        self.docs.push(Doc {
            id,
            text_start: 0,
            text_len: 0,
            lat: f32::NAN,
            lng: f32::NAN,
            last_contact: i64::MIN,
            name_units: 0,
            live: false,
        });
        self.slot_of.insert(id, s);
        s
    }

    pub(crate) fn doc_text(&self, slot: u32) -> &str {
        let d = &self.docs[slot as usize];
        let start = d.text_start as usize;
        &self.text[start..start + d.text_len as usize]
    }

    pub(crate) fn fields(&self, slot: u32) -> Fields<'_> {
        Fields::parse(self.doc_text(slot))
    }

    /// `false` when the customer was indexed with the same searchable fields already: an edit
    /// of anything else (tags, notes, the owner) costs no reindexing.
    fn upsert_customer(&mut self, c: &Customer) -> bool {
        let slot = self.ensure_slot(c.id);
        if let Some(keep) = c.merged_into {
            // The old customer number still leads somewhere useful: to the kept record.
            self.reindex(slot, |ix| ix.clear_customer(slot));
            let keep_slot = self.ensure_slot(keep);
            self.customer_numbers
                .insert(number_key('C', c.id.0), keep_slot);
            return true;
        }
        let text = customer_text(c);
        let loc = c.address.location.filter(|l| l.is_valid());
        let d = &self.docs[slot as usize];
        let same_place = |a: f32, b: Option<f64>| match b {
            Some(b) => a == b as f32,
            None => a.is_nan(),
        };
        if d.live
            && self.doc_text(slot) == text
            && same_place(d.lat, loc.map(|l| l.lat))
            && same_place(d.lng, loc.map(|l| l.lng))
            && self.customer_numbers.get(&number_key('C', c.id.0)) == Some(&slot)
        {
            return false;
        }
        self.reindex(slot, |ix| ix.set_customer(slot, c, &text));
        self.customer_numbers.insert(number_key('C', c.id.0), slot);
        true
    }

    fn set_customer(&mut self, slot: u32, c: &Customer, text: &str) {
        self.release_text(slot);
        let start = self.text.len();
        self.text.push_str(text);
        let loc = c.address.location.filter(|l| l.is_valid());
        let units = tokens::tokens(&c.name).len().min(255) as u8;
        let d = &mut self.docs[slot as usize];
        d.text_start = start as u32;
        d.text_len = (self.text.len() - start) as u32;
        d.lat = loc.map_or(f32::NAN, |l| l.lat as f32);
        d.lng = loc.map_or(f32::NAN, |l| l.lng as f32);
        d.name_units = units;
        if !d.live {
            d.live = true;
            self.live += 1;
        }
    }

    fn clear_customer(&mut self, slot: u32) {
        self.release_text(slot);
        let d = &mut self.docs[slot as usize];
        d.text_len = 0;
        d.lat = f32::NAN;
        d.lng = f32::NAN;
        d.name_units = 0;
        if d.live {
            d.live = false;
            self.live -= 1;
        }
    }

    fn release_text(&mut self, slot: u32) {
        self.garbage += self.docs[slot as usize].text_len as usize;
        self.docs[slot as usize].text_len = 0;
        // Compact once at least half of the arena is dead text; amortised over the updates.
        if self.garbage > 1 << 16 && self.garbage * 2 > self.text.len() {
            let mut text = String::with_capacity(self.text.len() - self.garbage);
            for d in &mut self.docs {
                let s = d.text_start as usize;
                let part = &self.text[s..s + d.text_len as usize];
                d.text_start = text.len() as u32;
                text.push_str(part);
            }
            self.text = text;
            self.garbage = 0;
        }
    }

    fn upsert_lead(&mut self, l: &Lead) {
        if let Some(old) = self.leads.get(&l.id).map(|e| e.slot) {
            self.reindex(old, |ix| ix.detach_lead(l.id));
        }
        let Some(customer) = l.customer else {
            return;
        };
        let slot = self.ensure_slot(customer);
        let entry = LeadEntry {
            slot,
            name: clean(&l.name).collect::<String>().into(),
            phone: l
                .phone
                .as_ref()
                .map(|p| clean(&p.raw).collect::<String>().into()),
        };
        self.reindex(slot, |ix| {
            ix.leads.insert(l.id, entry);
            // Kept sorted so that an index built piece by piece answers exactly like a fresh
            // build, whatever order the leads arrived in.
            let leads = ix.slot_leads.entry(slot).or_default();
            if let Err(at) = leads.binary_search(&l.id) {
                leads.insert(at, l.id);
            }
        });
    }

    fn detach_lead(&mut self, id: LeadId) {
        if let Some(e) = self.leads.remove(&id)
            && let Some(v) = self.slot_leads.get_mut(&e.slot)
        {
            v.retain(|x| *x != id);
            if v.is_empty() {
                self.slot_leads.remove(&e.slot);
            }
        }
    }

    fn upsert_asset(&mut self, a: &Asset) {
        self.remove(RecordKey::Asset(a.id));
        let compact = compact_id(&a.serial_number);
        if compact.is_empty() {
            return;
        }
        let slot = self.ensure_slot(a.customer);
        let k = serial_key(&compact);
        self.serials.insert(k, (slot, a.id));
        self.asset_serial.insert(a.id, k);
    }

    fn upsert_job(&mut self, j: &Job) {
        let slot = self.ensure_slot(j.customer);
        self.job_numbers
            .insert(number_key('J', j.id.0), (slot, j.id));
    }

    fn upsert_interaction(&mut self, i: &Interaction) {
        if let Some(c) = i.customer {
            let slot = self.ensure_slot(c);
            let d = &mut self.docs[slot as usize];
            d.last_contact = d.last_contact.max(i.at.timestamp());
        }
    }

    /// Terms of one slot, sorted and de-duplicated; empty unless a live customer is there.
    fn slot_terms(&self, slot: u32) -> SlotTerms {
        let mut words = Vec::new();
        let mut grams = Vec::new();
        if self.docs[slot as usize].live {
            let leads = self.slot_leads_of(slot);
            emit_terms(
                self.doc_text(slot),
                &leads,
                &mut |r, t| words.push((r, t.to_owned())),
                &mut |g| grams.push(g),
            );
        }
        words.sort_unstable();
        words.dedup();
        grams.sort_unstable();
        grams.dedup();
        (words, grams)
    }

    pub(crate) fn slot_leads_of(&self, slot: u32) -> Vec<&LeadEntry> {
        self.slot_leads
            .get(&slot)
            .into_iter()
            .flatten()
            .filter_map(|id| self.leads.get(id))
            .collect()
    }

    /// Runs `change` on a slot and moves the slot's postings from its old terms to its new.
    fn reindex(&mut self, slot: u32, change: impl FnOnce(&mut Index)) {
        let was_live = self.docs[slot as usize].live;
        if !was_live {
            change(self);
            self.add_all(slot);
            return;
        }
        let (old_words, old_grams) = self.slot_terms(slot);
        change(self);
        let (new_words, new_grams) = self.slot_terms(slot);
        let mut buf = String::new();
        for (r, t) in &old_words {
            if new_words
                .binary_search_by(|x| (&x.0, &x.1).cmp(&(r, t)))
                .is_err()
            {
                self.terms.remove(&mut buf, *r, t, slot);
            }
        }
        for (r, t) in &new_words {
            if old_words
                .binary_search_by(|x| (&x.0, &x.1).cmp(&(r, t)))
                .is_err()
            {
                let id = self.terms.intern(&mut buf, *r, t);
                self.terms.add(id, slot);
            }
        }
        for g in &old_grams {
            if new_grams.binary_search(g).is_err() {
                let p = &mut self.grams[usize::from(*g)];
                if let Ok(i) = p.binary_search(&slot) {
                    p.remove(i);
                }
            }
        }
        for g in &new_grams {
            if old_grams.binary_search(g).is_err() {
                add_sorted(&mut self.grams[usize::from(*g)], slot);
            }
        }
    }

    /// Adds every term of a slot that had none (the bulk path: no diff, no allocation per term).
    fn add_all(&mut self, slot: u32) {
        if !self.docs[slot as usize].live {
            return;
        }
        let Index {
            docs,
            text,
            terms,
            grams,
            leads,
            slot_leads,
            ..
        } = self;
        let d = &docs[slot as usize];
        let start = d.text_start as usize;
        let t = &text[start..start + d.text_len as usize];
        let attached: Vec<&LeadEntry> = slot_leads
            .get(&slot)
            .into_iter()
            .flatten()
            .filter_map(|id| leads.get(id))
            .collect();
        let mut buf = String::new();
        emit_terms(
            t,
            &attached,
            &mut |r, w| {
                let id = terms.intern(&mut buf, r, w);
                terms.add(id, slot);
            },
            &mut |g| add_sorted(&mut grams[usize::from(g)], slot),
        );
    }
}

fn add_sorted(p: &mut Vec<u32>, slot: u32) {
    match p.last() {
        Some(&l) if l == slot => {}
        Some(&l) if l > slot => {
            if let Err(i) = p.binary_search(&slot) {
                p.insert(i, slot);
            }
        }
        _ => p.push(slot),
    }
}

/// What the index searches of a customer, as one string: the name, the address's parts and
/// the phones, each cleaned, with separators between fields and between phones.
fn customer_text(c: &Customer) -> String {
    let mut text = String::new();
    text.extend(clean(&c.name));
    for part in [&c.address.district, &c.address.street, &c.address.detail] {
        text.push(FIELD);
        text.extend(clean(part));
    }
    text.push(FIELD);
    for (i, p) in c.phones.iter().enumerate() {
        if i > 0 {
            text.push(PHONE);
        }
        // A masked number (`138****5678`, as a rep's device holds another rep's customer)
        // is no field to match on: its digits either side of the gap would join into
        // fragments the real number may not have. An empty slot keeps the phones' indexes.
        if !p.raw.contains('*') {
            text.extend(clean(&p.raw));
        }
    }
    text
}
