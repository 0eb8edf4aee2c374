//! Conflicts: two people changed the same field of the same record without seeing each other's
//! change (one of them offline, say). Nothing is swallowed: the later edit, by when it was
//! made (`Op::at`, the device's clock corrected by the offset learned at its last sync), stays
//! on the record, and a [`Conflict`] keeps both values, who made each and when, until one of
//! the people concerned settles it with a `ResolveConflict` op.
//!
//! How `apply` finds one (`ops/conflicts.rs`): an edit carries what its author saw of each
//! field it changes ([`FieldValue`]s, fixed when the op is made, never recomputed on replay).
//! A field whose value is still what the author saw is an ordinary edit; a field someone else
//! changed since is a conflict. A record remembers who last changed each field and when
//! ([`FieldEdit`], on the customer), so that the two edits can be compared by time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::customers::{Customer, CustomerKind, Phone, Tier};
use crate::ids::{ConflictId, OpId, OrgId, StoreId, UserId};
use crate::ops::RecordKey;
use crate::ops::customers::CustomerField;
use crate::places::Address;

/// The value of one customer field, as a record holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FieldValue {
    Name(String),
    Phones(Vec<Phone>),
    Address(Address),
    Kind(CustomerKind),
    Tags(Vec<String>),
    MarketingConsent(bool),
    Birthday(Option<NaiveDate>),
    Tier(Tier),
    Owner(Option<UserId>),
}

impl FieldValue {
    #[must_use]
    pub fn field(&self) -> CustomerField {
        use CustomerField as F;
        match self {
            FieldValue::Name(_) => F::Name,
            FieldValue::Phones(_) => F::Phones,
            FieldValue::Address(_) => F::Address,
            FieldValue::Kind(_) => F::Kind,
            FieldValue::Tags(_) => F::Tags,
            FieldValue::MarketingConsent(_) => F::MarketingConsent,
            FieldValue::Birthday(_) => F::Birthday,
            FieldValue::Tier(_) => F::Tier,
            FieldValue::Owner(_) => F::Owner,
        }
    }

    /// What `c` holds in `field`.
    #[must_use]
    pub fn of(c: &Customer, field: CustomerField) -> FieldValue {
        use CustomerField as F;
        match field {
            F::Name => FieldValue::Name(c.name.clone()),
            F::Phones => FieldValue::Phones(c.phones.clone()),
            F::Address => FieldValue::Address(c.address.clone()),
            F::Kind => FieldValue::Kind(c.kind),
            F::Tags => FieldValue::Tags(c.tags.clone()),
            F::MarketingConsent => FieldValue::MarketingConsent(c.marketing_consent),
            F::Birthday => FieldValue::Birthday(c.birthday),
            F::Tier => FieldValue::Tier(c.tier),
            F::Owner => FieldValue::Owner(c.owner),
        }
    }

    /// Puts this value into `c`.
    pub fn set_on(&self, c: &mut Customer) {
        match self.clone() {
            FieldValue::Name(v) => c.name = v,
            FieldValue::Phones(v) => c.phones = v,
            FieldValue::Address(v) => c.address = v,
            FieldValue::Kind(v) => c.kind = v,
            FieldValue::Tags(v) => c.tags = v,
            FieldValue::MarketingConsent(v) => c.marketing_consent = v,
            FieldValue::Birthday(v) => c.birthday = v,
            FieldValue::Tier(v) => c.tier = v,
            FieldValue::Owner(v) => c.owner = v,
        }
    }

    /// The same value for a person: phone numbers by their digits (how they were typed does
    /// not matter), everything else as it is.
    #[must_use]
    pub fn same(&self, other: &FieldValue) -> bool {
        match (self, other) {
            (FieldValue::Phones(a), FieldValue::Phones(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(p, q)| p.digits() == q.digits())
            }
            (a, b) => a == b,
        }
    }

    /// What a customer form shows for this value, for the inbox and for "edit": the phones
    /// one a line, the address as written. Only data, never words of a language.
    #[must_use]
    pub fn as_text(&self) -> String {
        match self {
            FieldValue::Name(s) => s.clone(),
            FieldValue::Phones(p) => p
                .iter()
                .map(|p| p.raw.clone())
                .collect::<Vec<_>>()
                .join(", "),
            FieldValue::Address(a) => [&a.province, &a.city, &a.district, &a.street, &a.detail]
                .into_iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            FieldValue::Kind(k) => format!("{k:?}"),
            FieldValue::Tags(t) => t.join(", "),
            FieldValue::MarketingConsent(b) => b.to_string(),
            FieldValue::Birthday(d) => d.map(|d| d.to_string()).unwrap_or_default(),
            FieldValue::Tier(t) => format!("{t:?}"),
            FieldValue::Owner(o) => o.map(|o| o.to_string()).unwrap_or_default(),
        }
    }
}

/// Who last changed one field of a record, and when (by the op's time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldEdit {
    pub field: CustomerField,
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub op: OpId,
}

/// One of the two edits of a conflict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Side {
    pub value: FieldValue,
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub op: OpId,
}

/// Which value a resolution kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Choice {
    /// The value the record holds (the later edit).
    Kept,
    /// The value that was set aside (the earlier edit).
    SetAside,
    /// Something else, as typed (normalised as any edit of the field is).
    Edit(EditedValue),
}

/// A value typed to settle a conflict, as a customer form holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EditedValue {
    Name(String),
    Phones(Vec<String>),
    Address(Address),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resolution {
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub op: OpId,
    pub choice: Choice,
}

/// Two edits of one field that crossed, both kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    pub id: ConflictId,
    pub org: OrgId,
    /// The store of the record: its dispatchers settle the conflict too.
    pub store: StoreId,
    /// The record both edits changed (a customer; an edit of a merged customer counts for the
    /// customer it was merged into).
    pub record: RecordKey,
    pub field: CustomerField,
    /// The later edit, which the record holds.
    pub kept: Side,
    /// The earlier edit, set aside.
    pub set_aside: Side,
    pub resolution: Option<Resolution>,
}

impl Conflict {
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.resolution.is_none()
    }

    /// The people it concerns by name: both authors (the store's dispatchers and the admins
    /// too, by role).
    #[must_use]
    pub fn authors(&self) -> [UserId; 2] {
        [self.kept.by, self.set_aside.by]
    }

    /// The conflict `op` makes over `field`: fixed by the op and the field (UUID v5), so the
    /// device replaying the op and the server applying it make the same record.
    #[must_use]
    pub fn id_for(op: OpId, field: CustomerField) -> ConflictId {
        let name = format!("rounds/conflict/{field:?}");
        ConflictId(uuid::Uuid::new_v5(&op.0, name.as_bytes()))
    }
}
