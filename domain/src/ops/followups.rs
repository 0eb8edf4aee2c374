//! Follow-up tasks: creating them (at most one open per subject and reason) and working them.

use chrono::{DateTime, Utc};

use super::customers::visible_customer;
use super::jobs::visible_job;
use super::leads::own_lead;
use super::records::{Link, RecordsExt};
use super::{
    Clash, Ctx, Denied, Field, NewFollowUp, OpError, Problem, Query, Record, RecordKey, RecordKind,
    Records, checks,
};
use crate::followups::rules::Rule;
use crate::followups::{FollowUp, FollowUpStatus, Reason, Subject};
use crate::ids::{FollowUpId, StoreId, UserId};
use crate::org::Role;

pub(super) fn create<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewFollowUp,
) -> Result<Vec<RecordKey>, OpError> {
    match records.get(RecordKey::FollowUp(new.id))? {
        // Rule-made ids name a trigger occurrence (`followups::rules::follow_up_id`): when two
        // devices both notice it, the second create is the same follow-up, not a clash.
        Some(Record::FollowUp(f))
            if matches!(new.reason, Reason::Rule(_))
                && f.org == ctx.actor.org
                && f.subject == new.subject
                && f.reason == new.reason =>
        {
            return Ok(Vec::new());
        }
        _ => super::fresh(records, RecordKey::FollowUp(new.id))?,
    }
    checks::text(Field::FollowUpNote, &new.note)?;
    for text in new.why.iter().flat_map(crate::followups::Why::texts) {
        checks::short(Field::FollowUpWhy, text)?;
    }
    let store = subject_store(records, ctx, new.subject)?;
    let owner = new.owner.unwrap_or(ctx.actor.id);
    if !ctx.actor.staffs_store(store) {
        return Err(OpError::Forbidden(Denied::NotStaffForFollowUps));
    }
    if owner != ctx.actor.id {
        let u = records.user(owner)?;
        if u.org != ctx.actor.org || !u.active || !(u.in_store(store) || u.has(Role::Admin)) {
            return Err(OpError::invalid(
                Field::FollowUpOwner,
                Problem::NotOfTheStore,
            ));
        }
    }
    // One open follow-up per subject and reason, so re-evaluated rules and syncing devices
    // never stack duplicates.
    for key in records.find(Query::LinkedTo(Link::Subject(new.subject)))? {
        if let Some(Record::FollowUp(f)) = records.get(key)?
            && f.reason == new.reason
            && f.is_open()
        {
            return Err(OpError::Conflict(Clash::OpenFollowUpExists));
        }
    }
    let f = FollowUp {
        id: new.id,
        org: ctx.actor.org,
        store,
        subject: new.subject,
        due_at: new.due_at,
        reason: new.reason.clone(),
        owner,
        status: FollowUpStatus::Open,
        note: new.note.clone(),
        why: new.why.clone(),
        created_at: ctx.op.at,
        previous_owners: Vec::new(),
    };
    records.put(Record::FollowUp(f))?;
    Ok(vec![RecordKey::FollowUp(new.id)])
}

pub(super) enum Change {
    Done,
    Snooze(DateTime<Utc>),
    Reschedule(DateTime<Utc>),
    Reassign(UserId),
}

pub(super) fn change<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: FollowUpId,
    change: Change,
) -> Result<Vec<RecordKey>, OpError> {
    let mut f = records.follow_up(id)?;
    if f.org != ctx.actor.org {
        return Err(OpError::NotFound {
            kind: RecordKind::FollowUp,
            id: id.0,
        });
    }
    let manager = ctx.actor.manages_store(f.store);
    if f.owner != ctx.actor.id && !manager {
        return Err(OpError::Forbidden(Denied::NotYourFollowUp));
    }
    if !f.is_open() {
        return Err(OpError::Conflict(Clash::FollowUpDone));
    }
    match change {
        Change::Done => f.status = FollowUpStatus::Done { at: ctx.op.at },
        Change::Snooze(until) => {
            if until <= ctx.op.at {
                return Err(OpError::invalid(Field::SnoozeUntil, Problem::NotInFuture));
            }
            f.status = FollowUpStatus::Snoozed { until };
        }
        Change::Reschedule(due) => {
            f.due_at = due;
            f.status = FollowUpStatus::Open;
        }
        Change::Reassign(owner) => {
            // A rep may hand their own follow-ups to a colleague of the store: a day holds
            // only so many, and the rest is theirs or their dispatcher's to hand out.
            if !manager && !ctx.has(Role::Sales) {
                return Err(OpError::Forbidden(Denied::OnlyManagerReassigns));
            }
            let u = records.user(owner)?;
            if u.org != ctx.actor.org || !u.active || !u.in_store(f.store) {
                return Err(OpError::invalid(
                    Field::FollowUpOwner,
                    Problem::NotOfTheStore,
                ));
            }
            if owner != f.owner {
                let before = std::mem::replace(&mut f.owner, owner);
                f.previous_owners.retain(|p| *p != owner && *p != before);
                f.previous_owners.push(before);
            }
        }
    }
    records.put(Record::FollowUp(f))?;
    Ok(vec![RecordKey::FollowUp(id)])
}

fn subject_store<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    subject: Subject,
) -> Result<StoreId, OpError> {
    Ok(match subject {
        Subject::Customer(c) => visible_customer(records, ctx, c)?.store,
        Subject::Lead(l) => own_lead(records, ctx, l)?.store,
        Subject::Job(j) => visible_job(records, ctx, j)?.store,
    })
}

/// Marks the lead's open contact follow-ups (first contact, cadence, stale) done: a logged
/// contact or a stage move is what they asked for. Runs inside the op that touched the lead,
/// so the device and the server agree without a second op. The rules then raise the next
/// cadence step, if any.
pub(super) fn satisfy_lead_contact<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    lead: crate::ids::LeadId,
) -> Result<Vec<RecordKey>, OpError> {
    let mut changed = Vec::new();
    for key in records.find(Query::LinkedTo(Link::Subject(Subject::Lead(lead))))? {
        if let Some(Record::FollowUp(mut f)) = records.get(key)?
            && f.is_open()
            && Rule::of(&f.reason).is_some_and(|r| r.is_lead_contact())
        {
            f.status = FollowUpStatus::Done { at: ctx.op.at };
            records.put(Record::FollowUp(f))?;
            changed.push(key);
        }
    }
    Ok(changed)
}
