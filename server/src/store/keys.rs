//! The byte layout of the one sled tree. Everything lives in a single tree so that a group
//! commit is one atomic `apply_batch` (sled batches are atomic per tree only).
//!
//! | prefix | rest | value |
//! |---|---|---|
//! | `R` | record key | record JSON |
//! | `K` | org, kind, id | (listing index) |
//! | `L` | link, record key | (secondary index of `Record::links`) |
//! | `J` | technician, job | (jobs by technician) |
//! | `O` | org, op id | outcome JSON |
//! | `C` | org, seq | record key (latest change of that record) |
//! | `S` | record key | seq of its latest change |
//! | `H` | org | head seq |
//! | `A` | org, seq | audit entry JSON |
//! | `a` | org | audit head |
//! | `U` | login (`auth::normalize_login`) | user id |
//! | `P` | user id | argon2 PHC hash |
//! | `T` | sha256(refresh token) | refresh session JSON |
//! | `M` | name | server metadata (signing key) |
//! | `F` | org, party, seq | record key (the change log by person / job / customer) |
//! | `W` | org, device id | remote sign-out of that device (JSON) |
//! | `G` | user id | session epoch (u64): tokens of an older epoch are refused |
//! | `X` | user id | second factor JSON (TOTP secret, recovery code hashes) |

use domain::followups::Subject;
use domain::ids::{
    AssetId, ConflictId, CustomerId, FollowUpId, InteractionId, JobId, LeadId, OrgId, PurchaseId,
    StoreId, UserId,
};
use domain::ops::records::Link;
use domain::ops::{RecordKey, RecordKind};
use uuid::Uuid;

pub const RECORD: u8 = b'R';
pub const KIND: u8 = b'K';
pub const LINK: u8 = b'L';
pub const TECH_JOB: u8 = b'J';
pub const OUTCOME: u8 = b'O';
pub const CHANGE: u8 = b'C';
pub const LATEST: u8 = b'S';
pub const HEAD: u8 = b'H';
pub const AUDIT: u8 = b'A';
pub const AUDIT_HEAD: u8 = b'a';
pub const LOGIN: u8 = b'U';
pub const PASSWORD: u8 = b'P';
pub const REFRESH: u8 = b'T';
pub const META: u8 = b'M';
pub const FEED: u8 = b'F';
pub const WIPE: u8 = b'W';
pub const EPOCH: u8 = b'G';
pub const SECOND_FACTOR: u8 = b'X';

pub fn kind_tag(kind: RecordKind) -> u8 {
    match kind {
        RecordKind::Organization => 1,
        RecordKind::Store => 2,
        RecordKind::User => 3,
        RecordKind::Technician => 4,
        RecordKind::Customer => 5,
        RecordKind::Asset => 6,
        RecordKind::Job => 7,
        RecordKind::Lead => 8,
        RecordKind::Interaction => 9,
        RecordKind::FollowUp => 10,
        RecordKind::Conflict => 11,
        RecordKind::Purchase => 12,
    }
}

pub fn record_key(k: &RecordKey) -> [u8; 17] {
    let mut out = [0u8; 17];
    out[0] = kind_tag(k.kind());
    out[1..].copy_from_slice(k.uuid().as_bytes());
    out
}

pub fn parse_record_key(b: &[u8]) -> Option<RecordKey> {
    if b.len() != 17 {
        return None;
    }
    let id = Uuid::from_slice(&b[1..]).ok()?;
    Some(match b[0] {
        1 => RecordKey::Org(OrgId(id)),
        2 => RecordKey::Store(StoreId(id)),
        3 => RecordKey::User(UserId(id)),
        4 => RecordKey::Technician(UserId(id)),
        5 => RecordKey::Customer(CustomerId(id)),
        6 => RecordKey::Asset(AssetId(id)),
        7 => RecordKey::Job(JobId(id)),
        8 => RecordKey::Lead(LeadId(id)),
        9 => RecordKey::Interaction(InteractionId(id)),
        10 => RecordKey::FollowUp(FollowUpId(id)),
        11 => RecordKey::Conflict(ConflictId(id)),
        12 => RecordKey::Purchase(PurchaseId(id)),
        _ => return None,
    })
}

/// A record key from its kind tag ([`kind_tag`]) and id.
pub fn key_of(tag: u8, id: Uuid) -> Option<RecordKey> {
    let mut b = [0u8; 17];
    b[0] = tag;
    b[1..].copy_from_slice(id.as_bytes());
    parse_record_key(&b)
}

/// A link's tag and id, as the sled key and the PostgreSQL `links` table keep them.
pub fn link_parts(l: &Link) -> (u8, Uuid) {
    let b = link(l);
    (
        b[0],
        Uuid::from_bytes(b[1..].try_into().unwrap_or_default()),
    )
}

fn link(l: &Link) -> [u8; 17] {
    let (tag, id) = match *l {
        Link::Customer(c) => (1, c.0),
        Link::Subject(Subject::Customer(c)) => (2, c.0),
        Link::Subject(Subject::Lead(x)) => (3, x.0),
        Link::Subject(Subject::Job(x)) => (4, x.0),
        Link::Holder(u) => (5, u.0),
    };
    let mut out = [0u8; 17];
    out[0] = tag;
    out[1..].copy_from_slice(id.as_bytes());
    out
}

pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    let mut v = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        v.extend_from_slice(p);
    }
    v
}

pub fn record(k: &RecordKey) -> Vec<u8> {
    cat(&[&[RECORD], &record_key(k)])
}

pub fn kind_index(org: OrgId, k: &RecordKey) -> Vec<u8> {
    cat(&[
        &[KIND],
        org.0.as_bytes(),
        &[kind_tag(k.kind())],
        k.uuid().as_bytes(),
    ])
}

pub fn kind_prefix(org: OrgId, kind: RecordKind) -> Vec<u8> {
    cat(&[&[KIND], org.0.as_bytes(), &[kind_tag(kind)]])
}

pub fn link_prefix(l: &Link) -> Vec<u8> {
    cat(&[&[LINK], &link(l)])
}

pub fn link_entry(l: &Link, k: &RecordKey) -> Vec<u8> {
    cat(&[&[LINK], &link(l), &record_key(k)])
}

pub fn tech_job(tech: UserId, job: JobId) -> Vec<u8> {
    cat(&[&[TECH_JOB], tech.0.as_bytes(), job.0.as_bytes()])
}

pub fn tech_prefix(tech: UserId) -> Vec<u8> {
    cat(&[&[TECH_JOB], tech.0.as_bytes()])
}

pub fn outcome(org: OrgId, op: domain::ids::OpId) -> Vec<u8> {
    cat(&[&[OUTCOME], org.0.as_bytes(), op.0.as_bytes()])
}

pub fn change(org: OrgId, seq: u64) -> Vec<u8> {
    cat(&[&[CHANGE], org.0.as_bytes(), &seq.to_be_bytes()])
}

pub fn feed(org: OrgId, party: Uuid, seq: u64) -> Vec<u8> {
    cat(&[
        &[FEED],
        org.0.as_bytes(),
        party.as_bytes(),
        &seq.to_be_bytes(),
    ])
}

pub fn latest(k: &RecordKey) -> Vec<u8> {
    cat(&[&[LATEST], &record_key(k)])
}

pub fn head(org: OrgId) -> Vec<u8> {
    cat(&[&[HEAD], org.0.as_bytes()])
}

pub fn audit(org: OrgId, seq: u64) -> Vec<u8> {
    cat(&[&[AUDIT], org.0.as_bytes(), &seq.to_be_bytes()])
}

pub fn audit_head(org: OrgId) -> Vec<u8> {
    cat(&[&[AUDIT_HEAD], org.0.as_bytes()])
}

/// The one normalisation of logins is the rate limiter's too (`auth::normalize_login`).
pub fn login(login: &str) -> Vec<u8> {
    cat(&[&[LOGIN], crate::auth::normalize_login(login).as_bytes()])
}

pub fn epoch(user: UserId) -> Vec<u8> {
    cat(&[&[EPOCH], user.0.as_bytes()])
}

pub fn second_factor(user: UserId) -> Vec<u8> {
    cat(&[&[SECOND_FACTOR], user.0.as_bytes()])
}

pub fn password(user: UserId) -> Vec<u8> {
    cat(&[&[PASSWORD], user.0.as_bytes()])
}

pub fn refresh(hash: &[u8; 32]) -> Vec<u8> {
    cat(&[&[REFRESH], hash])
}

pub fn wipe(org: OrgId, device: &str) -> Vec<u8> {
    cat(&[&[WIPE], org.0.as_bytes(), device.as_bytes()])
}

pub fn meta(name: &str) -> Vec<u8> {
    cat(&[&[META], name.as_bytes()])
}

pub fn u64_of(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(b.try_into().ok()?))
}

pub fn uuid_of(b: &[u8]) -> Option<Uuid> {
    Uuid::from_slice(b).ok()
}

/// The smallest key greater than every key starting with `prefix`.
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    vec![u8::MAX; prefix.len() + 1]
}

/// A change-log entry: the record key, then its [`Hint`] as counted lists of 16-byte ids.
pub fn change_entry(k: &RecordKey, hint: &Hint) -> Vec<u8> {
    let mut v = record_key(k).to_vec();
    for list in [
        hint.stores.iter().map(|s| s.0).collect::<Vec<_>>(),
        hint.people.iter().map(|p| p.0).collect(),
        hint.refs.clone(),
    ] {
        v.push(u8::try_from(list.len()).unwrap_or(u8::MAX));
        for id in list.iter().take(usize::from(u8::MAX)) {
            v.extend_from_slice(id.as_bytes());
        }
    }
    v
}

pub fn parse_change_entry(b: &[u8]) -> Option<(RecordKey, Hint)> {
    let key = parse_record_key(b.get(..17)?)?;
    let mut rest = &b[17..];
    let mut lists: Vec<Vec<Uuid>> = Vec::with_capacity(3);
    for _ in 0..3 {
        let (&n, tail) = rest.split_first()?;
        let len = usize::from(n) * 16;
        let ids = tail
            .get(..len)?
            .chunks_exact(16)
            .map(|c| Uuid::from_slice(c).ok())
            .collect::<Option<Vec<_>>>()?;
        lists.push(ids);
        rest = &tail[len..];
    }
    let refs = lists.pop()?;
    let people = lists.pop()?.into_iter().map(UserId).collect();
    let stores = lists.pop()?.into_iter().map(StoreId).collect();
    Some((
        key,
        Hint {
            stores,
            people,
            refs,
        },
    ))
}

use super::Hint;
