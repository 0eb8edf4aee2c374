//! Ranking: exact before prefix before typo, a whole-name match above all of them, and within
//! a class the customers talked to recently and those near the user first.
//!
//! A match grade packs into one byte so that the best alternative of a query word is a `max`:
//! bit 7 "a whole unit of the name" (word, Han run, full pinyin or initials), bits 5-6 the
//! class, bits 0-4 the weight of the field.

use super::terms::Role;

pub(crate) const EXACT: u8 = 3;
pub(crate) const PREFIX: u8 = 2;
pub(crate) const FUZZY: u8 = 1;
/// Identifiers typed whole outrank everything else.
pub(crate) const ID_TIER: u8 = 5;
const WHOLE_NAME_TIER: u8 = 4;
const UNIT: u8 = 0x80;

pub(crate) fn class(grade: u8) -> u8 {
    (grade >> 5) & 3
}

pub(crate) fn weight(grade: u8) -> u8 {
    grade & 31
}

pub(crate) fn is_unit(grade: u8) -> bool {
    grade & UNIT != 0
}

fn pack(class: u8, weight: u8, unit: bool) -> u8 {
    (u8::from(unit) << 7) | (class << 5) | weight.min(31)
}

fn role_weight(role: Role) -> u8 {
    match role {
        Role::NameWord => 30,
        Role::PinyinFull => 28,
        Role::NameInfix | Role::PinyinPart => 24,
        Role::Initials => 20,
        Role::LeadName => 18,
        Role::Address | Role::InitialsPart => 16,
        Role::LeadInfix => 14,
        Role::AddressInfix => 10,
    }
}

/// Grade of a query word matching a term exactly or as a prefix.
pub(crate) fn term_grade(role: Role, exact: bool) -> u8 {
    let unit = exact && matches!(role, Role::NameWord | Role::PinyinFull | Role::Initials);
    pack(if exact { EXACT } else { PREFIX }, role_weight(role), unit)
}

pub(crate) fn typo_grade(role: Role, edits: usize) -> u8 {
    pack(
        FUZZY,
        role_weight(role).saturating_sub(8 * edits as u8),
        false,
    )
}

/// A phone fragment: exact when it is the whole number.
pub(crate) fn phone_grade(whole: bool) -> u8 {
    pack(if whole { EXACT } else { PREFIX }, 30, false)
}

/// What the words of a query add up to for one customer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Acc {
    pub class: u8,
    pub weight: u16,
    pub units: u8,
}

impl Acc {
    pub fn new(grade: u8) -> Acc {
        Acc {
            class: class(grade),
            weight: u16::from(weight(grade)),
            units: u8::from(is_unit(grade)),
        }
    }

    pub fn add(&mut self, grade: u8) {
        self.class = self.class.min(class(grade));
        self.weight += u16::from(weight(grade));
        self.units += u8::from(is_unit(grade));
    }
}

/// Boosts, each in [0, 1]: how recently we talked to the customer, and how near they are.
/// Nearness weighs more: a technician at a door is looking for the customer in front of them.
pub(crate) fn recency(days_since: Option<f64>) -> f64 {
    days_since.map_or(0.0, |d| 1.0 / (1.0 + d.max(0.0) / 14.0))
}

pub(crate) fn proximity(km: Option<f64>) -> f64 {
    km.map_or(0.0, |k| 1.0 / (1.0 + k.max(0.0) / 3.0))
}

/// The final score: the tier in the thousands, relevance and boosts below it, so a boost
/// reorders customers within a tier and never lifts a typo above an exact match.
pub(crate) fn score(
    acc: Acc,
    words: usize,
    name_units: u8,
    recency: f64,
    proximity: f64,
    by_id: bool,
) -> f32 {
    let tier = if by_id {
        ID_TIER
    } else if name_units > 0 && acc.units >= name_units {
        WHOLE_NAME_TIER
    } else {
        acc.class
    };
    let relevance = f64::from(acc.weight) / (31.0 * words.max(1) as f64);
    (f64::from(tier) * 1000.0 + 400.0 * relevance.min(1.0) + 200.0 * recency + 300.0 * proximity)
        as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_order_before_boosts() {
        let exact = Acc::new(term_grade(Role::Address, true));
        let prefix = Acc::new(term_grade(Role::NameWord, false));
        let typo = Acc::new(typo_grade(Role::NameWord, 1));
        let lo = score(exact, 1, 2, 0.0, 0.0, false);
        let hi_prefix = score(prefix, 1, 2, 1.0, 1.0, false);
        let hi_typo = score(typo, 1, 2, 1.0, 1.0, false);
        assert!(
            lo > hi_prefix && hi_prefix > hi_typo,
            "{lo} {hi_prefix} {hi_typo}"
        );
        let mut whole = Acc::new(term_grade(Role::NameWord, true));
        whole.add(term_grade(Role::NameWord, true));
        assert!(score(whole, 2, 2, 0.0, 0.0, false) > score(exact, 1, 2, 1.0, 1.0, false));
    }
}
