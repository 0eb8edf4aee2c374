//! Erasing a customer's personal data on their request (`OpKind::EraseCustomer`): the
//! customer becomes a pseudonym (their customer number), and every record that holds their
//! personal data is cleared of it: their phones, street and house number, birthday and tags;
//! their leads' names and phones; what was written about them (interactions, follow-up
//! notes, job descriptions and completion notes, the step notes and positions taken at their
//! door); both values of conflicts over their fields. The business records stay for the
//! accounts: jobs, parts, scores, assets, purchases and their amounts.
//!
//! A job still open finishes under the pseudonym: the technician keeps the address and the
//! description until the job completes or is cancelled, and then they are cleared too
//! (`finish_erasure`, called by the job handlers).
//!
//! As an op, the erasure reaches every device at its next sync like any change. The server
//! also clears the audit's before-and-after copies of these records and keeps a log of
//! erasures that a restore of an older backup applies again (`server/src/privacy.rs`).

use chrono::{DateTime, Utc};

use super::customers::visible_customer;
use super::records::{Link, Query};
use super::{Ctx, OpError, Record, RecordKey, Records};
use crate::conflicts::FieldValue;
use crate::customers::Customer;
use crate::ids::CustomerId;
use crate::jobs::Job;
use crate::org::Role;
use crate::places::Address;

pub(super) fn erase<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: CustomerId,
) -> Result<Vec<RecordKey>, OpError> {
    let mut customer = visible_customer(records, ctx, id)?;
    if !ctx.actor.has(Role::Admin) {
        return Err(OpError::Forbidden(super::Denied::OnlyAdminErases));
    }
    let mut changed = vec![RecordKey::Customer(id)];
    if customer.erased.is_some() {
        // Asked again: nothing more to clear, but say it is done.
        return Ok(changed);
    }
    anonymise_customer(&mut customer, ctx.op.at);
    let pseudonym = customer.name.clone();
    records.put(Record::Customer(customer))?;
    for key in records.find(Query::LinkedTo(Link::Customer(id)))? {
        let cleared = match records.get(key)? {
            Some(Record::Lead(mut l)) => {
                l.name.clone_from(&pseudonym);
                l.phone = None;
                l.lost_reason = l.lost_reason.map(|_| String::new());
                Some(Record::Lead(l))
            }
            Some(Record::Interaction(mut i)) => {
                i.outcome.clear();
                Some(Record::Interaction(i))
            }
            Some(Record::FollowUp(mut f)) => {
                f.note.clear();
                Some(Record::FollowUp(f))
            }
            Some(Record::Job(mut j)) => {
                // An open job finishes under the pseudonym first.
                if j.is_open() {
                    None
                } else {
                    anonymise_job(&mut j);
                    Some(Record::Job(j))
                }
            }
            Some(Record::Conflict(mut c)) => {
                for side in [&mut c.kept, &mut c.set_aside] {
                    side.value = erased_value(&side.value);
                }
                Some(Record::Conflict(c))
            }
            // Assets and purchases hold products, dates and amounts: the accounts keep them.
            _ => None,
        };
        if let Some(r) = cleared {
            changed.push(r.key());
            records.put(r)?;
        }
    }
    Ok(changed)
}

fn anonymise_customer(c: &mut Customer, at: DateTime<Utc>) {
    c.name = c.number();
    c.phones.clear();
    c.address = coarse(&c.address);
    c.birthday = None;
    c.tags.clear();
    c.marketing_consent = false;
    c.edits.clear();
    c.erased = Some(at);
}

/// The address down to its district: enough for the numbers by area, nothing of the door.
fn coarse(a: &Address) -> Address {
    Address {
        province: a.province.clone(),
        city: a.city.clone(),
        district: a.district.clone(),
        ..Address::default()
    }
}

fn anonymise_job(j: &mut Job) {
    j.service_address = coarse(&j.service_address);
    j.description.clear();
    if let Some(c) = &mut j.completion {
        c.notes.clear();
        c.photos.clear();
        c.signature = None;
    }
    for h in &mut j.history {
        h.note = None;
        h.location = None;
    }
    if let Some(f) = &mut j.follow_up {
        f.reason.clear();
    }
    j.cancel_reason = j.cancel_reason.take().map(|_| String::new());
}

fn erased_value(v: &FieldValue) -> FieldValue {
    match v {
        FieldValue::Name(_) => FieldValue::Name(String::new()),
        FieldValue::Phones(_) => FieldValue::Phones(Vec::new()),
        FieldValue::Address(a) => FieldValue::Address(coarse(a)),
        FieldValue::Tags(_) => FieldValue::Tags(Vec::new()),
        FieldValue::Birthday(_) => FieldValue::Birthday(None),
        other => other.clone(),
    }
}

/// Called by the job handlers with a job they just closed (completed or cancelled): if its
/// customer was erased while it was open, its personal data goes now.
pub(super) fn finish_erasure<R: Records + ?Sized>(
    records: &R,
    job: &mut Job,
) -> Result<(), OpError> {
    if job.is_open() {
        return Ok(());
    }
    if let Some(Record::Customer(c)) = records.get(RecordKey::Customer(job.customer))?
        && c.erased.is_some()
    {
        anonymise_job(job);
    }
    Ok(())
}
