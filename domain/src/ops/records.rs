//! The narrow storage interface `apply` works through, and the in-memory replica devices use.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{OpError, OpOutcome, RecordKind};
use crate::conflicts::Conflict;
use crate::customers::{Asset, Customer};
use crate::followups::{FollowUp, Subject};
use crate::ids::{
    AssetId, ConflictId, CustomerId, FollowUpId, InteractionId, JobId, LeadId, OpId, OrgId,
    PurchaseId, StoreId, UserId,
};
use crate::jobs::Job;
use crate::leads::{Interaction, Lead};
use crate::org::{Organization, Store, TechnicianProfile, User};
use crate::purchases::Purchase;

/// Identifies one record of any kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordKey {
    Org(OrgId),
    Store(StoreId),
    User(UserId),
    Technician(UserId),
    Customer(CustomerId),
    Asset(AssetId),
    Job(JobId),
    Lead(LeadId),
    Interaction(InteractionId),
    FollowUp(FollowUpId),
    Conflict(ConflictId),
    Purchase(PurchaseId),
}

impl RecordKey {
    #[must_use]
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordKey::Org(_) => RecordKind::Organization,
            RecordKey::Store(_) => RecordKind::Store,
            RecordKey::User(_) => RecordKind::User,
            RecordKey::Technician(_) => RecordKind::Technician,
            RecordKey::Customer(_) => RecordKind::Customer,
            RecordKey::Asset(_) => RecordKind::Asset,
            RecordKey::Job(_) => RecordKind::Job,
            RecordKey::Lead(_) => RecordKind::Lead,
            RecordKey::Interaction(_) => RecordKind::Interaction,
            RecordKey::FollowUp(_) => RecordKind::FollowUp,
            RecordKey::Conflict(_) => RecordKind::Conflict,
            RecordKey::Purchase(_) => RecordKind::Purchase,
        }
    }

    #[must_use]
    pub fn uuid(&self) -> uuid::Uuid {
        match *self {
            RecordKey::Org(id) => id.0,
            RecordKey::Store(id) => id.0,
            RecordKey::User(id) | RecordKey::Technician(id) => id.0,
            RecordKey::Customer(id) => id.0,
            RecordKey::Asset(id) => id.0,
            RecordKey::Job(id) => id.0,
            RecordKey::Lead(id) => id.0,
            RecordKey::Interaction(id) => id.0,
            RecordKey::FollowUp(id) => id.0,
            RecordKey::Conflict(id) => id.0,
            RecordKey::Purchase(id) => id.0,
        }
    }
}

/// One record of any kind, as stored and as sent to devices.
#[allow(
    clippy::large_enum_variant,
    reason = "built once per op and then stored; boxing the big ones would buy nothing"
)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Record {
    Org(Organization),
    Store(Store),
    User(User),
    Technician(TechnicianProfile),
    Customer(Customer),
    Asset(Asset),
    Job(Job),
    Lead(Lead),
    Interaction(Interaction),
    FollowUp(FollowUp),
    Conflict(Conflict),
    Purchase(Purchase),
}

impl Record {
    #[must_use]
    pub fn key(&self) -> RecordKey {
        match self {
            Record::Org(r) => RecordKey::Org(r.id),
            Record::Store(r) => RecordKey::Store(r.id),
            Record::User(r) => RecordKey::User(r.id),
            Record::Technician(r) => RecordKey::Technician(r.user),
            Record::Customer(r) => RecordKey::Customer(r.id),
            Record::Asset(r) => RecordKey::Asset(r.id),
            Record::Job(r) => RecordKey::Job(r.id),
            Record::Lead(r) => RecordKey::Lead(r.id),
            Record::Interaction(r) => RecordKey::Interaction(r.id),
            Record::FollowUp(r) => RecordKey::FollowUp(r.id),
            Record::Conflict(r) => RecordKey::Conflict(r.id),
            Record::Purchase(r) => RecordKey::Purchase(r.id),
        }
    }

    #[must_use]
    pub fn org(&self) -> OrgId {
        match self {
            Record::Org(r) => r.id,
            Record::Store(r) => r.org,
            Record::User(r) => r.org,
            Record::Technician(r) => r.org,
            Record::Customer(r) => r.org,
            Record::Asset(r) => r.org,
            Record::Job(r) => r.org,
            Record::Lead(r) => r.org,
            Record::Interaction(r) => r.org,
            Record::FollowUp(r) => r.org,
            Record::Conflict(r) => r.org,
            Record::Purchase(r) => r.org,
        }
    }

    /// The secondary-index entries of this record. Every store keeps exactly these, so that
    /// [`Query`] answers the same on a phone and on the server.
    #[must_use]
    pub fn links(&self) -> Vec<Link> {
        match self {
            Record::Asset(a) => vec![Link::Customer(a.customer)],
            Record::Purchase(p) => vec![Link::Customer(p.customer)],
            Record::Customer(c) => c.owner.map(Link::Holder).into_iter().collect(),
            Record::Job(j) => {
                let mut v = vec![Link::Customer(j.customer)];
                v.extend(j.workers().map(Link::Holder));
                v
            }
            Record::Lead(l) => {
                let mut v: Vec<Link> = l.customer.map(Link::Customer).into_iter().collect();
                v.push(Link::Holder(l.owner));
                v
            }
            Record::Interaction(i) => {
                let mut v: Vec<Link> = i.customer.map(Link::Customer).into_iter().collect();
                v.extend(i.lead.map(|l| Link::Subject(Subject::Lead(l))));
                v.extend(i.job.map(|j| Link::Subject(Subject::Job(j))));
                v
            }
            Record::FollowUp(f) => {
                let mut v = vec![Link::Subject(f.subject), Link::Holder(f.owner)];
                if let Subject::Customer(c) = f.subject {
                    v.push(Link::Customer(c));
                }
                v
            }
            Record::Conflict(c) => match c.record {
                RecordKey::Customer(id) => vec![Link::Customer(id)],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

/// The first and last possible key of a kind.
fn kind_range(kind: RecordKind) -> (RecordKey, RecordKey) {
    let key = |id: uuid::Uuid| match kind {
        RecordKind::Organization => RecordKey::Org(OrgId(id)),
        RecordKind::Store => RecordKey::Store(StoreId(id)),
        RecordKind::User => RecordKey::User(UserId(id)),
        RecordKind::Technician => RecordKey::Technician(UserId(id)),
        RecordKind::Customer => RecordKey::Customer(CustomerId(id)),
        RecordKind::Asset => RecordKey::Asset(AssetId(id)),
        RecordKind::Job => RecordKey::Job(JobId(id)),
        RecordKind::Lead => RecordKey::Lead(LeadId(id)),
        RecordKind::Interaction => RecordKey::Interaction(InteractionId(id)),
        RecordKind::FollowUp => RecordKey::FollowUp(FollowUpId(id)),
        RecordKind::Conflict => RecordKey::Conflict(ConflictId(id)),
        RecordKind::Purchase => RecordKey::Purchase(PurchaseId(id)),
    };
    (key(uuid::Uuid::nil()), key(uuid::Uuid::max()))
}

/// A secondary-index entry: "this record belongs to that customer / is about that subject".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Link {
    Customer(CustomerId),
    Subject(Subject),
    /// The person holds it: owns the customer, lead or follow-up, or works the job. What a
    /// leaving person hands over is found through it.
    Holder(UserId),
}

/// The only lookups `apply` needs beyond reading a record by key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// Every asset, job, lead, interaction and follow-up that points at the customer.
    LinkedTo(Link),
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("storage failed: {0}")]
pub struct StorageError(pub String);

impl From<StorageError> for OpError {
    fn from(e: StorageError) -> Self {
        OpError::Unavailable(e.0)
    }
}

/// Reads and writes just the records an op touches.
pub trait Records {
    fn get(&self, key: RecordKey) -> Result<Option<Record>, StorageError>;
    fn put(&mut self, record: Record) -> Result<(), StorageError>;
    fn find(&self, query: Query) -> Result<Vec<RecordKey>, StorageError>;
    /// The remembered decision on an op, if it was decided before.
    fn outcome(&self, op: OpId) -> Result<Option<Decided>, StorageError>;
    fn set_outcome(&mut self, op: OpId, decided: Decided) -> Result<(), StorageError>;
    /// Whether any record, of any organization, has this key: a new record's id must be free
    /// everywhere, since keys are global.
    fn exists(&self, key: RecordKey) -> Result<bool, StorageError> {
        Ok(self.get(key)?.is_some())
    }
    /// The user who signs in as `login` (already normalised, [`crate::org::normalize_login`]),
    /// in any organization: sign-in names are unique across the server.
    fn login_holder(&self, login: &str) -> Result<Option<UserId>, StorageError>;
    /// The authoritative clock, where there is one (the server's): ops stamped later than a
    /// few minutes past it are refused. A device's replica has none: it is the clock.
    fn clock(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }
}

/// How an op was decided, with the fingerprint of the op that was decided, so that a replay
/// (the same op again) gets the first outcome and anything else under the same id is refused.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decided {
    pub outcome: OpOutcome,
    /// [`super::Op::fingerprint`]; `None` for decisions stored before fingerprints existed,
    /// which are trusted as replays.
    pub fingerprint: Option<u64>,
}

impl<'de> Deserialize<'de> for Decided {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Decisions stored before fingerprints were a bare outcome.
        #[derive(Deserialize)]
        struct Now {
            outcome: OpOutcome,
            fingerprint: Option<u64>,
        }
        /// A refusal stored before refusals were typed (`{"Err": ...}` in a form this
        /// version does not read): still a refusal.
        #[derive(Deserialize)]
        struct Untyped {
            #[serde(rename = "Err")]
            _err: serde::de::IgnoredAny,
        }
        #[derive(Deserialize)]
        struct Refused {
            #[serde(rename = "outcome")]
            _outcome: Untyped,
            fingerprint: Option<u64>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Now(Now),
            Before(OpOutcome),
            RefusedUntyped(Refused),
            RefusedUntypedBefore(Untyped),
        }
        Ok(match Stored::deserialize(d)? {
            Stored::Now(n) => Decided {
                outcome: n.outcome,
                fingerprint: n.fingerprint,
            },
            Stored::Before(outcome) => Decided {
                outcome,
                fingerprint: None,
            },
            Stored::RefusedUntyped(r) => Decided {
                outcome: Err(OpError::Conflict(super::Clash::RefusedBefore)),
                fingerprint: r.fingerprint,
            },
            Stored::RefusedUntypedBefore(_) => Decided {
                outcome: Err(OpError::Conflict(super::Clash::RefusedBefore)),
                fingerprint: None,
            },
        })
    }
}

macro_rules! typed_get {
    ($fn:ident, $variant:ident, $ty:ty, $id:ty, $kind:ident) => {
        fn $fn(&self, id: $id) -> Result<$ty, OpError> {
            match self.get(RecordKey::$variant(id))? {
                Some(Record::$variant(r)) => Ok(r),
                _ => Err(OpError::NotFound {
                    kind: RecordKind::$kind,
                    id: id.0,
                }),
            }
        }
    };
}

/// Typed reads that turn "missing" into a user-readable [`OpError::NotFound`].
pub trait RecordsExt: Records {
    typed_get!(customer, Customer, Customer, CustomerId, Customer);
    typed_get!(asset, Asset, Asset, AssetId, Asset);
    typed_get!(job, Job, Job, JobId, Job);
    typed_get!(lead, Lead, Lead, LeadId, Lead);
    typed_get!(follow_up, FollowUp, FollowUp, FollowUpId, FollowUp);
    typed_get!(conflict, Conflict, Conflict, ConflictId, Conflict);
    typed_get!(user, User, User, UserId, User);
    typed_get!(store, Store, Store, StoreId, Store);
    typed_get!(org, Org, Organization, OrgId, Organization);
    typed_get!(
        technician,
        Technician,
        TechnicianProfile,
        UserId,
        Technician
    );
}

impl<R: Records + ?Sized> RecordsExt for R {}

/// The device's replica: every record the user may see, in memory, with the same indexes the
/// server keeps. `BTreeMap`s so that two replicas with the same content compare equal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(from = "Snapshot", into = "Snapshot")]
pub struct MemoryRecords {
    records: BTreeMap<RecordKey, Record>,
    links: BTreeMap<Link, BTreeSet<RecordKey>>,
    outcomes: BTreeMap<OpId, Decided>,
    /// Moves on with every record that really changes (an equal record put again does not
    /// count): what is derived from the replica asks this one number whether to look again.
    version: u64,
    /// Which replica this is: every new or cloned one gets its own, so that a [`Mark`] taken
    /// on one is never read against another that happens to be at the same version.
    lineage: u64,
    /// The latest changes, oldest first: the change that made version `v` is at
    /// `v - (version - journal.len()) - 1`. Lets what is derived from the replica catch up
    /// on what changed instead of reading everything again ([`MemoryRecords::changed_since`]).
    journal: VecDeque<Change>,
}

/// Most changes the journal keeps; a reader further behind reads the whole replica again,
/// which at that point costs about as much as going through the changes.
const JOURNAL: usize = 50_000;

fn next_lineage() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One change to a replica: the record's key and the links it had before (empty when it is
/// new). A reader that follows links (a customer's assets, a lead's interactions) learns from
/// them what a record that moved or went away was attached to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub key: RecordKey,
    pub links_before: Vec<Link>,
}

/// A point in one replica's history, to ask later what changed since
/// ([`MemoryRecords::changed_since`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mark {
    lineage: u64,
    version: u64,
}

impl Default for MemoryRecords {
    fn default() -> Self {
        Self {
            records: BTreeMap::new(),
            links: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            version: 0,
            lineage: next_lineage(),
            journal: VecDeque::new(),
        }
    }
}

/// A clone is a new lineage: the two go their own ways from here, and a mark taken on one
/// must not be read against the other.
impl Clone for MemoryRecords {
    fn clone(&self) -> Self {
        Self {
            records: self.records.clone(),
            links: self.links.clone(),
            outcomes: self.outcomes.clone(),
            version: self.version,
            lineage: next_lineage(),
            journal: VecDeque::new(),
        }
    }
}

/// Equal content, whatever the history: `version` is not content.
impl PartialEq for MemoryRecords {
    fn eq(&self, other: &Self) -> bool {
        self.records == other.records && self.outcomes == other.outcomes
    }
}

/// The persisted form: records and outcomes; indexes are rebuilt on load.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    records: Vec<Record>,
    outcomes: Vec<(OpId, Decided)>,
}

impl From<Snapshot> for MemoryRecords {
    fn from(s: Snapshot) -> Self {
        let mut m = MemoryRecords::new();
        for r in s.records {
            m.insert(r);
        }
        m.outcomes = s.outcomes.into_iter().collect();
        m
    }
}

impl From<MemoryRecords> for Snapshot {
    fn from(m: MemoryRecords) -> Self {
        Snapshot {
            records: m.records.into_values().collect(),
            outcomes: m.outcomes.into_iter().collect(),
        }
    }
}

impl MemoryRecords {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Record> {
        self.records.values()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.records.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    #[must_use]
    pub fn record(&self, key: &RecordKey) -> Option<&Record> {
        self.records.get(key)
    }

    /// Records of one kind, in key order (which is creation order for v7 ids). Keys sort by
    /// kind first, so each kind is one range of the map: a replica of a quarter of a million
    /// records is not walked to find its jobs.
    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.of_kind(RecordKind::Job).filter_map(|r| match r {
            Record::Job(x) => Some(x),
            _ => None,
        })
    }

    pub fn customers(&self) -> impl Iterator<Item = &Customer> {
        self.of_kind(RecordKind::Customer).filter_map(|r| match r {
            Record::Customer(x) => Some(x),
            _ => None,
        })
    }

    pub fn leads(&self) -> impl Iterator<Item = &Lead> {
        self.of_kind(RecordKind::Lead).filter_map(|r| match r {
            Record::Lead(x) => Some(x),
            _ => None,
        })
    }

    pub fn follow_ups(&self) -> impl Iterator<Item = &FollowUp> {
        self.of_kind(RecordKind::FollowUp).filter_map(|r| match r {
            Record::FollowUp(x) => Some(x),
            _ => None,
        })
    }

    pub fn conflicts(&self) -> impl Iterator<Item = &Conflict> {
        self.of_kind(RecordKind::Conflict).filter_map(|r| match r {
            Record::Conflict(x) => Some(x),
            _ => None,
        })
    }

    /// Whether a record has a conflict nobody settled yet: its sync status is "in conflict".
    #[must_use]
    pub fn in_conflict(&self, key: RecordKey) -> bool {
        let RecordKey::Customer(c) = key else {
            return false;
        };
        self.linked(Link::Customer(c))
            .any(|r| matches!(r, Record::Conflict(x) if x.record == key && x.is_open()))
    }

    pub fn stores(&self) -> impl Iterator<Item = &Store> {
        self.of_kind(RecordKind::Store).filter_map(|r| match r {
            Record::Store(x) => Some(x),
            _ => None,
        })
    }

    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.of_kind(RecordKind::User).filter_map(|r| match r {
            Record::User(x) => Some(x),
            _ => None,
        })
    }

    /// Records linked to `link` (assets and jobs of a customer, interactions of a lead...).
    pub fn linked(&self, link: Link) -> impl Iterator<Item = &Record> {
        self.links
            .get(&link)
            .into_iter()
            .flatten()
            .filter_map(|k| self.records.get(k))
    }

    /// Forgets an op's outcome so that it can be re-applied on top of newer server state.
    pub fn forget_outcome(&mut self, op: OpId) {
        self.outcomes.remove(&op);
    }

    /// Remembers the server's decision on one of this device's ops.
    pub fn remember_outcome(&mut self, op: &super::Op, outcome: OpOutcome) {
        self.outcomes.insert(
            op.id,
            Decided {
                outcome,
                fingerprint: Some(op.fingerprint()),
            },
        );
    }

    /// Drops a record and its index entries.
    pub fn remove(&mut self, key: &RecordKey) {
        if let Some(old) = self.records.remove(key) {
            let links = self.unlink(*key, &old);
            self.changed(*key, links);
        }
    }

    /// See the field: changes with the records, not with outcomes.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Where this replica stands now.
    #[must_use]
    pub fn mark(&self) -> Mark {
        Mark {
            lineage: self.lineage,
            version: self.version,
        }
    }

    /// The changes (a record put with new content, or removed) since `mark`, oldest first.
    /// `None` when that is no longer known: the mark is of another replica, or further back
    /// than the journal goes.
    #[must_use]
    pub fn changed_since(&self, mark: Mark) -> Option<impl Iterator<Item = &Change> + '_> {
        let oldest = self.version - self.journal.len() as u64;
        if mark.lineage != self.lineage || mark.version < oldest || mark.version > self.version {
            return None;
        }
        let skip = usize::try_from(mark.version - oldest).ok()?;
        Some(self.journal.iter().skip(skip))
    }

    fn changed(&mut self, key: RecordKey, links_before: Vec<Link>) {
        self.version += 1;
        if self.journal.len() == JOURNAL {
            self.journal.pop_front();
        }
        self.journal.push_back(Change { key, links_before });
    }

    /// Records of one kind: keys sort by kind first, so each kind is one range of the map.
    pub fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = &Record> {
        let (lo, hi) = kind_range(kind);
        self.records.range(lo..=hi).map(|(_, r)| r)
    }

    /// Drops the record's index entries; returns them.
    fn unlink(&mut self, key: RecordKey, old: &Record) -> Vec<Link> {
        let links = old.links();
        for l in &links {
            if let Some(set) = self.links.get_mut(l) {
                set.remove(&key);
                if set.is_empty() {
                    self.links.remove(l);
                }
            }
        }
        links
    }

    #[must_use]
    pub fn knows_op(&self, op: OpId) -> bool {
        self.outcomes.contains_key(&op)
    }

    /// Stores a record without any checks: how server changes enter a replica.
    pub fn insert(&mut self, record: Record) {
        let key = record.key();
        if self.records.get(&key) == Some(&record) {
            return;
        }
        let links = match self.records.remove(&key) {
            Some(old) => self.unlink(key, &old),
            None => Vec::new(),
        };
        self.changed(key, links);
        for l in record.links() {
            self.links.entry(l).or_default().insert(key);
        }
        self.records.insert(key, record);
    }
}

impl Records for MemoryRecords {
    fn get(&self, key: RecordKey) -> Result<Option<Record>, StorageError> {
        Ok(self.records.get(&key).cloned())
    }

    fn put(&mut self, record: Record) -> Result<(), StorageError> {
        self.insert(record);
        Ok(())
    }

    fn find(&self, query: Query) -> Result<Vec<RecordKey>, StorageError> {
        let Query::LinkedTo(link) = query;
        Ok(self
            .links
            .get(&link)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default())
    }

    fn outcome(&self, op: OpId) -> Result<Option<Decided>, StorageError> {
        Ok(self.outcomes.get(&op).cloned())
    }

    fn login_holder(&self, login: &str) -> Result<Option<UserId>, StorageError> {
        Ok(self
            .users()
            .find(|u| crate::org::normalize_login(&u.login) == login)
            .map(|u| u.id))
    }

    fn set_outcome(&mut self, op: OpId, decided: Decided) -> Result<(), StorageError> {
        self.outcomes.insert(op, decided);
        Ok(())
    }
}

#[cfg(test)]
mod decided_tests {
    use super::*;

    #[test]
    fn decisions_stored_by_earlier_versions_still_read_as_decided() {
        // Before fingerprints: a bare outcome.
        let bare: Decided = serde_json::from_str(r#"{"Ok":{"changed":[]}}"#).unwrap();
        assert_eq!(bare.fingerprint, None);
        assert!(bare.outcome.is_ok());
        // Before refusals were typed: the refusal stands, with a reason that says so.
        for old in [
            r#"{"outcome":{"Err":{"Forbidden":"only the staff of Xuhui can add its leads"}},"fingerprint":7}"#,
            r#"{"Err":{"Invalid":{"field":"phones[0]","reason":"is not a phone number"}}}"#,
        ] {
            let d: Decided = serde_json::from_str(old).unwrap();
            assert_eq!(
                d.outcome,
                Err(OpError::Conflict(super::super::Clash::RefusedBefore)),
                "{old}"
            );
        }
        let now = Decided {
            outcome: Err(OpError::Conflict(super::super::Clash::FollowUpDone)),
            fingerprint: Some(3),
        };
        let back: Decided = serde_json::from_str(&serde_json::to_string(&now).unwrap()).unwrap();
        assert_eq!(back, now);
    }
}
