//! Merging two records of one customer: everything that pointed at the removed record moves
//! to the kept one with its own history intact, phones and tags are combined, and the removed
//! record stays (marked `merged_into`) so old links and printed customer numbers still resolve.
//! The merge is auditable twice: the op itself in the log, and a note on the kept customer's
//! timeline saying what was merged.
//!
//! Two rules hold after a merge as after any other op: a customer has at most
//! [`MAX_PHONES`] phones (the kept record's come first; numbers that do not fit are named in
//! the note and stay on the merged-away record), and there is at most one open follow-up per
//! subject and reason (a moved follow-up that would be a second one is closed as done, with a
//! note saying which one covers it).

use super::customers::{MAX_PHONES, visible_customer};
use super::records::Link;
use super::{Clash, Ctx, Denied, Field, OpError, Problem, Query, Record, RecordKey, Records};
use crate::followups::{FollowUpStatus, Reason, Subject};
use crate::ids::{CustomerId, InteractionId};
use crate::leads::{Interaction, InteractionKind};

pub(super) fn merge<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    keep: CustomerId,
    remove: CustomerId,
) -> Result<Vec<RecordKey>, OpError> {
    if keep == remove {
        return Err(OpError::invalid(
            Field::MergedCustomer,
            Problem::SameCustomer,
        ));
    }
    let mut kept = visible_customer(records, ctx, keep)?;
    let mut gone = visible_customer(records, ctx, remove)?;
    if kept.merged_into.is_some() {
        return Err(OpError::Conflict(Clash::KeptCustomerMerged));
    }
    if gone.merged_into.is_some() {
        return Err(OpError::Conflict(Clash::AlreadyMerged));
    }
    // A merge moves one record's phones, position and jobs onto another: whoever merges must
    // already see both unmasked, which is the managers of both stores.
    for c in [&kept, &gone] {
        if !ctx.actor.manages_store(c.store) {
            return Err(OpError::Forbidden(Denied::ManagerOfBothStores));
        }
    }

    // The note's id derives from the op's (UUID v5), so the device and the server write the
    // same one; it is checked like any new id, so a chosen op id cannot aim at a record.
    let note_id = note_id(ctx.op);
    super::fresh(records, RecordKey::Interaction(note_id))?;

    // The kept customer's open follow-ups, by reason: a moved one with the same reason would
    // be a second open follow-up for the same thing.
    let mut open_on_kept: Vec<(Reason, String)> = Vec::new();
    for key in records.find(Query::LinkedTo(Link::Subject(Subject::Customer(keep))))? {
        if let Some(Record::FollowUp(f)) = records.get(key)?
            && f.is_open()
        {
            open_on_kept.push((f.reason.clone(), f.id.to_string()));
        }
    }

    let mut changed = Vec::new();
    let mut moved = 0usize;
    let mut closed = 0usize;
    for key in records.find(Query::LinkedTo(Link::Customer(remove)))? {
        let record = match records.get(key)? {
            Some(Record::Asset(mut a)) => {
                a.customer = keep;
                Record::Asset(a)
            }
            Some(Record::Purchase(mut p)) => {
                p.customer = keep;
                Record::Purchase(p)
            }
            Some(Record::Job(mut j)) => {
                j.customer = keep;
                Record::Job(j)
            }
            Some(Record::Lead(mut l)) => {
                l.customer = Some(keep);
                Record::Lead(l)
            }
            Some(Record::Interaction(mut i)) => {
                i.customer = Some(keep);
                Record::Interaction(i)
            }
            Some(Record::FollowUp(mut f)) => {
                if f.subject == Subject::Customer(remove) {
                    f.subject = Subject::Customer(keep);
                    if f.is_open() {
                        if let Some((_, covering)) =
                            open_on_kept.iter().find(|(r, _)| *r == f.reason)
                        {
                            f.status = FollowUpStatus::Done { at: ctx.op.at };
                            let why = format!(
                                "Closed when {} was merged into {}: follow-up {covering} covers it.",
                                gone.number(),
                                kept.number()
                            );
                            f.note = if f.note.is_empty() {
                                why
                            } else {
                                format!("{}\n{why}", f.note)
                            };
                            closed += 1;
                        } else {
                            open_on_kept.push((f.reason.clone(), f.id.to_string()));
                        }
                    }
                }
                Record::FollowUp(f)
            }
            _ => continue,
        };
        records.put(record)?;
        changed.push(key);
        moved += 1;
    }

    let mut left_out = Vec::new();
    for p in &gone.phones {
        if kept.phones.iter().any(|q| q.digits() == p.digits()) {
            continue;
        }
        if kept.phones.len() < MAX_PHONES {
            kept.phones.push(p.clone());
        } else {
            left_out.push(p.raw.clone());
        }
    }
    for t in &gone.tags {
        if !kept.tags.contains(t) {
            kept.tags.push(t.clone());
        }
    }
    kept.birthday = kept.birthday.or(gone.birthday);
    kept.owner = kept.owner.or(gone.owner);
    kept.marketing_consent &= gone.marketing_consent;
    if kept.address.location.is_none() {
        kept.address.location = gone.address.location;
    }
    gone.merged_into = Some(keep);

    let note = Interaction {
        id: note_id,
        org: ctx.actor.org,
        kind: InteractionKind::Note,
        outcome: {
            let mut s = format!(
                "Merged {} ({}) into this customer: {} linked records moved.",
                gone.number(),
                gone.name,
                moved
            );
            if closed > 0 {
                s.push_str(&format!(
                    " {closed} follow-up(s) closed as already covered here."
                ));
            }
            if !left_out.is_empty() {
                s.push_str(&format!(
                    " Phones not kept (at most {MAX_PHONES}): {}.",
                    left_out.join(", ")
                ));
            }
            s
        },
        at: ctx.op.at,
        author: ctx.actor.id,
        customer: Some(keep),
        lead: None,
        job: None,
    };
    changed.push(RecordKey::Interaction(note.id));
    records.put(Record::Interaction(note))?;
    records.put(Record::Customer(kept))?;
    records.put(Record::Customer(gone))?;
    changed.push(RecordKey::Customer(keep));
    changed.push(RecordKey::Customer(remove));
    Ok(changed)
}

/// The id of the note a merge leaves on the kept customer (fixed by the op, so a replay
/// finds it).
pub fn note_id(op: &super::Op) -> InteractionId {
    InteractionId(uuid::Uuid::new_v5(&op.id.0, b"rounds/merge-note"))
}
