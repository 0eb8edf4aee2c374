//! Copying every organization from one store to another: a shop that outgrew its one machine
//! moves from the embedded sled database to PostgreSQL (`server admin migrate`).
//!
//! What is copied, per organization: every record at its latest version (the change log holds
//! nothing else), the audit, and each person's password hash, second factor and session epoch.
//! Remote sign-outs of devices are copied too, so that a lost phone stays signed out. Not
//! copied: refresh sessions (everyone signs in again: the new store signs tokens with its own
//! key).
//!
//! Safe to run again, and to resume after an interruption: a record the target already holds
//! as it is is left alone, the audit continues after the entries the target has, and a
//! credential is written only where it differs. Devices keep their cursors across the move:
//! the target logs the copied records after the source's head, so a cursor from the old server
//! never points past a record it has not seen (at worst a device is sent records it has).

use std::collections::BTreeMap;

use domain::ids::OrgId;
use domain::ops::{Record, RecordKind};
use thiserror::Error;

use crate::store::{Error as StoreError, Store};

/// Records written per import: one group commit each, so that a large organization is not one
/// huge transaction.
const IMPORT_BATCH: usize = 1_000;
/// Change-log entries and audit entries read per page.
const PAGE: usize = 10_000;

#[derive(Debug, Error)]
pub enum MigrateError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the copy of {org} does not match its source: {what}")]
    Mismatch { org: OrgId, what: String },
}

/// What one run copied, and what the target holds afterwards, per organization.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub orgs: Vec<OrgReport>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OrgReport {
    pub org: OrgId,
    /// Records written by this run (0 on a run after a complete one).
    pub records_copied: usize,
    /// Records the target holds, by kind: the same as the source's, checked.
    pub records: BTreeMap<String, usize>,
    pub audit_copied: usize,
    pub audit: usize,
    /// People whose password, second factor or session epoch this run wrote.
    pub credentials_copied: usize,
}

/// Copies every organization of `from` into `to`, then checks that the target holds the same
/// records (by kind and content) and as many audit entries.
pub async fn copy(from: &dyn Store, to: &dyn Store) -> Result<Report, MigrateError> {
    let mut report = Report::default();
    for org in from.orgs()? {
        report.orgs.push(copy_org(from, to, org).await?);
    }
    Ok(report)
}

async fn copy_org(from: &dyn Store, to: &dyn Store, org: OrgId) -> Result<OrgReport, MigrateError> {
    let (source, source_head) = all_records(from, org)?;
    let mut missing = Vec::new();
    for r in &source {
        if to.get(r.key())?.as_ref() != Some(r) {
            missing.push(r.clone());
        }
    }
    if !missing.is_empty() {
        // Every cursor a device holds from the source is at most its head: log after it.
        to.raise_head(org, source_head).await?;
        // The organization first, then people, then the rest, as the source logged them: a
        // record is never ahead of what it refers to.
        missing.sort_by_key(|r| match r.key().kind() {
            RecordKind::Organization => 0,
            RecordKind::Store => 1,
            RecordKind::User => 2,
            _ => 3,
        });
        for batch in missing.chunks(IMPORT_BATCH) {
            to.import(batch.to_vec()).await?;
        }
    }

    // The audit continues after what the target has; entries get the target's numbers.
    let have = audit_count(to, org)?;
    let mut copied_audit = 0;
    let mut seen = 0usize;
    let mut after = 0;
    loop {
        let page = from.audit_log(org, after, PAGE)?;
        let Some(last) = page.last().map(|e| e.seq) else {
            break;
        };
        let fresh: Vec<_> = page
            .into_iter()
            .filter(|_| {
                seen += 1;
                seen > have
            })
            .collect();
        copied_audit += fresh.len();
        if !fresh.is_empty() {
            to.audit(org, fresh).await?;
        }
        after = last;
    }

    let mut credentials = 0;
    for r in &source {
        let Record::User(u) = r else { continue };
        let mut wrote = false;
        let hash = from.credentials(&u.login)?.and_then(|c| c.password_hash);
        let there = to.credentials(&u.login)?.and_then(|c| c.password_hash);
        if let Some(hash) = hash
            && there.as_ref() != Some(&hash)
        {
            to.set_password(u.id, hash).await?;
            wrote = true;
        }
        let factor = from.second_factor(u.id)?;
        if to.second_factor(u.id)? != factor {
            to.put_second_factor(u.id, factor).await?;
            wrote = true;
        }
        // Sessions ended on the old server stay ended (a password set above may have ended
        // some on the new one already: epochs only go up).
        while to.session_epoch(u.id)? < from.session_epoch(u.id)? {
            to.end_sessions(u.id).await?;
            wrote = true;
        }
        credentials += usize::from(wrote);
    }

    // A device signed out remotely stays so (a lost phone must not come back to life).
    for (device, mark) in from.device_sign_outs(org)? {
        if to.device_sign_out(org, &device)?.as_ref() != Some(&mark) {
            to.sign_out_device(org, device, mark).await?;
        }
    }

    // Check: the same records, and as many audit entries.
    let (target, _) = all_records(to, org)?;
    let by_kind = |rs: &[Record]| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for r in rs {
            *m.entry(format!("{:?}", r.key().kind())).or_default() += 1;
        }
        m
    };
    let (want, got) = (by_kind(&source), by_kind(&target));
    if want != got {
        return Err(MigrateError::Mismatch {
            org,
            what: format!("records by kind {want:?} in the source, {got:?} in the copy"),
        });
    }
    for r in &source {
        if to.get(r.key())?.as_ref() != Some(r) {
            return Err(MigrateError::Mismatch {
                org,
                what: format!("{:?} differs", r.key()),
            });
        }
    }
    let (audit_source, audit_target) = (audit_count(from, org)?, audit_count(to, org)?);
    if audit_source != audit_target {
        return Err(MigrateError::Mismatch {
            org,
            what: format!("{audit_source} audit entries in the source, {audit_target} in the copy"),
        });
    }
    Ok(OrgReport {
        org,
        records_copied: missing.len(),
        records: got,
        audit_copied: copied_audit,
        audit: audit_target,
        credentials_copied: credentials,
    })
}

/// Every record of the organization at its latest version, in change-log order, and the head.
fn all_records(store: &dyn Store, org: OrgId) -> Result<(Vec<Record>, u64), StoreError> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = store.changes(org, after, PAGE, &|_, _| true)?;
        out.extend(page.entries.into_iter().map(|(_, r)| r));
        if page.last >= page.head || page.last == after {
            return Ok((out, page.head));
        }
        after = page.last;
    }
}

fn audit_count(store: &dyn Store, org: OrgId) -> Result<usize, StoreError> {
    let mut n = 0;
    let mut after = 0;
    loop {
        let page = store.audit_log(org, after, PAGE)?;
        let Some(last) = page.last().map(|e| e.seq) else {
            return Ok(n);
        };
        n += page.len();
        after = last;
    }
}
