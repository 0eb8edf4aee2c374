//! Typed identifiers. Every record id is a UUID v7 made by whoever creates the record
//! (usually a device, offline), so ids sort by creation time and never need a server round trip.

use facet::Facet;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
        )]
        #[serde(transparent)]
        #[facet(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh time-ordered id.
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// A time-ordered id from explicit parts, for deterministic generators and tests.
            #[must_use]
            pub fn from_parts(unix_millis: u64, random: u128) -> Self {
                Self(uuid_v7_from_parts(unix_millis, random))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A tenant: one retail or service business.
    OrgId
);
id_type!(
    /// A shop or branch of an organization.
    StoreId
);
id_type!(
    /// A person who signs in: admin, dispatcher, technician or sales rep.
    UserId
);
id_type!(CustomerId);
id_type!(AssetId);
id_type!(JobId);
id_type!(LeadId);
id_type!(InteractionId);
id_type!(FollowUpId);
id_type!(
    /// A sale to a customer: a receipt with its items (`crate::purchases`).
    PurchaseId
);
id_type!(
    /// Two edits of one field of one record that crossed (`crate::conflicts`).
    ConflictId
);
id_type!(
    /// Identifies an operation, so that applying it twice is a no-op.
    OpId
);

/// Builds a version-7 UUID from a millisecond timestamp and random bits.
#[must_use]
pub fn uuid_v7_from_parts(unix_millis: u64, random: u128) -> Uuid {
    let bytes = random.to_be_bytes();
    let mut rand_bytes = [0u8; 10];
    rand_bytes.copy_from_slice(&bytes[6..16]);
    uuid::Builder::from_unix_timestamp_millis(unix_millis, &rand_bytes).into_uuid()
}

/// A short human-readable reference derived from an id ("J-7K3Q-9M2X"), so that a
/// number can be read out over the phone without a central counter.
#[must_use]
pub fn short_code(prefix: char, id: Uuid) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    // The low bits of a v7 UUID are random; the high bits are the timestamp.
    let bits = id.as_u128() & ((1u128 << 50) - 1);
    let mut out = String::with_capacity(13);
    out.push(prefix);
    out.push('-');
    for i in (0..10).rev() {
        let c = ALPHABET[((bits >> (i * 5)) & 31) as usize] as char;
        out.push(c);
        if i == 5 {
            out.push('-');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_codes_differ_for_ids_made_in_the_same_millisecond() {
        let a = JobId::from_parts(1_700_000_000_000, 1);
        let b = JobId::from_parts(1_700_000_000_000, 2);
        assert_ne!(short_code('J', a.0), short_code('J', b.0));
        assert_eq!(short_code('J', a.0).len(), 13);
    }

    #[test]
    fn ids_from_parts_sort_by_time() {
        let early = CustomerId::from_parts(1_000, u128::MAX);
        let late = CustomerId::from_parts(2_000, 0);
        assert!(early < late);
        assert_eq!(early.0.get_version_num(), 7);
    }
}
