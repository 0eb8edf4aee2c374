//! Customer lookup: an in-memory index that answers as the user types, on a phone with no
//! signal as well as on the server, over names (with typos, in any word order, Chinese by
//! characters, full pinyin and initials), phone fragments, address words and identifiers
//! (customer, job and serial numbers).
//!
//! The index is pure data (no threads, no I/O) and is kept current record by record
//! ([`Index::upsert`], [`Index::remove`], or [`Index::refresh`] with what an op changed); an
//! index updated that way answers exactly like one built afresh from the same records.
//! [`duplicates`] finds likely duplicates of a customer being created or edited, and
//! [`duplicate_pairs`] finds those that two devices created offline, once they have synced.

mod duplicates;
mod fuzzy;
mod highlight;
mod index;
mod phone;
mod pinyin;
mod rank;
mod search;
mod terms;
mod tokens;

use std::ops::Range;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AssetId, CustomerId, JobId, LeadId};
use crate::places::{Address, LatLng};

pub use duplicates::{
    Duplicate, DuplicatePair, DuplicateReason, Probe, duplicate_pairs, duplicates,
};
pub use index::Index;
pub(crate) use tokens::is_han;

/// What the search knows about the person searching.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SearchContext {
    /// For the recent-interaction boost.
    pub now: DateTime<Utc>,
    /// Where the user is, for the distance boost; `None` when unknown.
    pub location: Option<LatLng>,
}

/// One customer found, best first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub customer: CustomerId,
    /// Higher is better. Thousands are the tier (identifier, whole name, exact, prefix, typo);
    /// relevance and the boosts make up the rest.
    pub score: f32,
    /// The fields that matched, for highlighting; never empty.
    pub matched: Vec<FieldMatch>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMatch {
    pub field: MatchedField,
    /// Byte ranges in the field's text (see [`MatchedField`]), sorted and disjoint. Empty
    /// means the whole value matched (identifiers).
    pub ranges: Vec<Range<usize>>,
}

/// Which text a match is in, and so what the ranges of a [`FieldMatch`] index into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatchedField {
    /// `customer.name`.
    Name,
    /// `customer.phones[index].raw`.
    Phone {
        index: u8,
    },
    /// [`address_text`] of the customer's address.
    Address,
    /// The name or phone of a lead linked to the customer.
    Lead {
        lead: LeadId,
    },
    /// The customer number, `Customer::number()` (also of a customer merged into this one).
    CustomerNumber,
    SerialNumber {
        asset: AssetId,
    },
    JobNumber {
        job: JobId,
    },
}

/// The address as searched and highlighted: district, street and detail, space-separated.
#[must_use]
pub fn address_text(a: &Address) -> String {
    [&a.district, &a.street, &a.detail]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
