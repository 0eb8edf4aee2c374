//! Likely duplicates: the same phone number, or a similar name at (nearly) the same address.
//!
//! [`duplicates`] asks the index while a customer is being created or edited, before saving;
//! [`duplicate_pairs`] is a pure function over records for what the index could not see:
//! two devices that created the same customer offline. The server runs it after applying
//! synced ops and the core after a sync; both get the same answer from the same records.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::index::Index;
use super::tokens::{self, Kind, fold};
use super::{SearchContext, fuzzy, phone, pinyin};
use crate::customers::{Customer, Phone};
use crate::ids::CustomerId;
use crate::places::{Address, LatLng};

/// Two addresses this close are "the same place" whatever was typed.
const NEAR_M: f64 = 300.0;
/// Name groups larger than this are compared within each street only.
const PAIRWISE_MAX: usize = 200;

/// The customer being created or edited.
#[derive(Clone, Copy, Debug)]
pub struct Probe<'a> {
    /// Set when editing, so the customer is not reported as its own duplicate.
    pub id: Option<CustomerId>,
    pub name: &'a str,
    pub phones: &'a [Phone],
    pub address: &'a Address,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DuplicateReason {
    SamePhone,
    SimilarNameNearby,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    pub customer: CustomerId,
    pub reason: DuplicateReason,
}

/// Two customers that are probably one; `a < b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DuplicatePair {
    pub a: CustomerId,
    pub b: CustomerId,
    pub reason: DuplicateReason,
}

/// The name as a comparable key: words and the pinyin of Han runs, in sorted order, so that
/// "Chen Olivia", "olivia chen" and 张三 / 章三 (both zhangsan) compare equal.
fn name_key(name: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    for t in tokens::tokens(name) {
        match t.kind {
            Kind::Word => parts.push(t.text),
            // One part per character, so 张三 and "zhang san" cut alike.
            Kind::Han => parts.extend(t.text.chars().map(|c| {
                pinyin::readings(c, &mut buf);
                buf.first()
                    .map_or_else(|| c.to_string(), |s| s.as_str().to_owned())
            })),
        }
    }
    parts.sort();
    parts.concat()
}

fn similar_names(a: &str, b: &str) -> bool {
    let (a, b) = (name_key(a), name_key(b));
    !a.is_empty()
        && (a == b || fuzzy::within(a.as_bytes(), b.as_bytes(), fuzzy::budget(a.len())).is_some())
}

fn folded(s: &str) -> String {
    s.chars().filter_map(fold).collect()
}

fn near(a: (&str, &str, Option<LatLng>), b: (&str, &str, Option<LatLng>)) -> bool {
    if let (Some(x), Some(y)) = (a.2, b.2)
        && x.is_valid()
        && y.is_valid()
        && x.distance_m(&y) <= NEAR_M
    {
        return true;
    }
    let street = folded(a.1);
    !street.is_empty() && street == folded(b.1) && folded(a.0) == folded(b.0)
}

/// Likely duplicates of a customer about to be saved, found through the index.
#[must_use]
pub fn duplicates(index: &Index, probe: &Probe<'_>, limit: usize) -> Vec<Duplicate> {
    let mut out: Vec<Duplicate> = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(me) = probe.id {
        seen.insert(me);
    }
    for p in probe.phones {
        for d in phone::indexed_digits(&p.raw) {
            if d.len() < phone::GRAM {
                continue;
            }
            for (slot, whole) in index.phone_candidates(&d) {
                let id = index.docs[slot as usize].id;
                if whole && index.docs[slot as usize].live && seen.insert(id) {
                    out.push(Duplicate {
                        customer: id,
                        reason: DuplicateReason::SamePhone,
                    });
                }
            }
        }
    }
    let ctx = SearchContext {
        now: DateTime::<Utc>::UNIX_EPOCH,
        location: probe.address.location,
    };
    let mine = (
        probe.address.district.as_str(),
        probe.address.street.as_str(),
        probe.address.location,
    );
    // Same name on the same street first; then the same name nearest to the address.
    let queries = [
        format!("{} {}", probe.name, probe.address.street),
        probe.name.to_owned(),
    ];
    for q in &queries {
        for customer in index.ranked_ids(q, &ctx, 50) {
            if seen.contains(&customer) {
                continue;
            }
            let Some(&slot) = index.slot_of.get(&customer) else {
                continue;
            };
            let d = &index.docs[slot as usize];
            let f = index.fields(slot);
            let loc = (!d.lat.is_nan()).then(|| LatLng {
                lat: f64::from(d.lat),
                lng: f64::from(d.lng),
            });
            if similar_names(probe.name, f.name) && near(mine, (f.district, f.street, loc)) {
                seen.insert(customer);
                out.push(Duplicate {
                    customer,
                    reason: DuplicateReason::SimilarNameNearby,
                });
            }
        }
    }
    out.truncate(limit);
    out
}

/// Every likely duplicate pair among `customers` (merged-away ones excluded). With `since`,
/// only pairs where at least one was created at or after it: what the last sync brought in.
#[must_use]
pub fn duplicate_pairs<'a>(
    customers: impl IntoIterator<Item = &'a Customer>,
    since: Option<DateTime<Utc>>,
) -> Vec<DuplicatePair> {
    let all: Vec<&Customer> = customers
        .into_iter()
        .filter(|c| c.merged_into.is_none())
        .collect();
    let is_new = |c: &Customer| since.is_none_or(|s| c.created_at >= s);
    let mut pairs: BTreeMap<(CustomerId, CustomerId), DuplicateReason> = BTreeMap::new();
    let mut add = |a: &Customer, b: &Customer, reason| {
        if a.id == b.id || !(is_new(a) || is_new(b)) {
            return;
        }
        let key = if a.id < b.id {
            (a.id, b.id)
        } else {
            (b.id, a.id)
        };
        let e = pairs.entry(key).or_insert(reason);
        *e = (*e).min(reason);
    };

    let mut by_phone: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in all.iter().enumerate() {
        let mut digits: Vec<String> = c.phones.iter().map(Phone::digits).collect();
        digits.sort();
        digits.dedup();
        for d in digits {
            if d.len() >= 5 {
                by_phone.entry(d).or_default().push(i);
            }
        }
        let key = name_key(&c.name);
        if !key.is_empty() {
            by_name.entry(key).or_default().push(i);
        }
    }
    for group in by_phone.values() {
        for (n, &i) in group.iter().enumerate() {
            for &j in &group[n + 1..] {
                add(all[i], all[j], DuplicateReason::SamePhone);
            }
        }
    }
    let place = |c: &'a Customer| {
        (
            c.address.district.as_str(),
            c.address.street.as_str(),
            c.address.location,
        )
    };
    for group in by_name.values() {
        let subgroups: Vec<Vec<usize>> = if group.len() <= PAIRWISE_MAX {
            vec![group.clone()]
        } else {
            let mut by_street: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for &i in group {
                by_street
                    .entry(folded(&all[i].address.street))
                    .or_default()
                    .push(i);
            }
            by_street.into_values().collect()
        };
        for g in subgroups {
            for (n, &i) in g.iter().enumerate() {
                for &j in &g[n + 1..] {
                    if near(place(all[i]), place(all[j])) {
                        add(all[i], all[j], DuplicateReason::SimilarNameNearby);
                    }
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|((a, b), reason)| DuplicatePair { a, b, reason })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_by_words_in_any_order_and_by_sound() {
        assert!(similar_names("Olivia Chen", "chen olivia"));
        assert!(similar_names("Olivia Chen", "Olivia Chan"));
        assert!(similar_names("张三", "章三"));
        assert!(similar_names("张三", "zhang san"));
        assert!(!similar_names("张三", "李四"));
        assert!(!similar_names("", ""));
    }
}
