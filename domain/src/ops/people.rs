//! The people of an organization, as far as ops change them. Passwords are not here: an op is
//! queued on a device, synced and audited, so a password never travels inside one (the server
//! sets it through an admin endpoint or the CLI).

use chrono::NaiveDate;

use super::invalid::{Field, Problem};
use super::records::RecordsExt;
use super::{Ctx, Denied, OpError, Record, RecordKey, Records};
use crate::ids::UserId;
use crate::org::{Absence, AbsenceKind, Role, TechnicianProfile};

/// The longest absence one op records: a year. Longer is a leaver, not an absence.
pub const MAX_ABSENCE_DAYS: i64 = 366;

/// Deactivates or reactivates a user. Admins may do it for anyone but themselves; a dispatcher
/// for the people of the stores they run (all of that person's stores, and not an admin),
/// since the person loses access to every store at once.
pub(super) fn set_active<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: UserId,
    active: bool,
) -> Result<Vec<RecordKey>, OpError> {
    let mut user = records.user(id)?;
    if id == ctx.actor.id {
        return Err(OpError::Forbidden(Denied::OwnAccount));
    }
    if !ctx.actor.manages_person(&user) {
        return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
    }
    user.active = active;
    records.put(Record::User(user))?;
    Ok(vec![RecordKey::User(id)])
}

/// A technician's profile, if the actor may record their absences: the technician
/// themselves, the dispatcher of their store, an admin.
fn absences_of<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    technician: UserId,
) -> Result<TechnicianProfile, OpError> {
    let Some(Record::Technician(profile)) = records.get(RecordKey::Technician(technician))? else {
        return Err(OpError::invalid(Field::Technician, Problem::NotATechnician));
    };
    let own = technician == ctx.actor.id && ctx.actor.has(Role::Technician);
    if !own && !ctx.actor.manages_store(profile.store) {
        return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
    }
    Ok(profile)
}

/// Records days away; an absence overlapping them is replaced (the latest word counts).
pub(super) fn record_absence<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    technician: UserId,
    kind: AbsenceKind,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RecordKey>, OpError> {
    let mut profile = absences_of(records, ctx, technician)?;
    if to < from {
        return Err(OpError::invalid(
            Field::AbsenceDays,
            Problem::EndsBeforeStart,
        ));
    }
    if (to - from).num_days() >= MAX_ABSENCE_DAYS {
        return Err(OpError::invalid(
            Field::AbsenceDays,
            Problem::OutOfRange {
                min: 1,
                max: MAX_ABSENCE_DAYS,
            },
        ));
    }
    profile.absences.retain(|a| a.to < from || a.from > to);
    profile.absences.push(Absence {
        kind,
        from,
        to,
        by: ctx.actor.id,
        at: ctx.op.at,
    });
    profile.absences.sort_by_key(|a| a.from);
    records.put(Record::Technician(profile))?;
    Ok(vec![RecordKey::Technician(technician)])
}

/// Takes back the absence covering `day`; nothing to take back is not an error (two people
/// may both have cancelled it).
pub(super) fn cancel_absence<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    technician: UserId,
    day: NaiveDate,
) -> Result<Vec<RecordKey>, OpError> {
    let mut profile = absences_of(records, ctx, technician)?;
    let before = profile.absences.len();
    profile.absences.retain(|a| !(a.from <= day && day <= a.to));
    if profile.absences.len() == before {
        return Ok(Vec::new());
    }
    records.put(Record::Technician(profile))?;
    Ok(vec![RecordKey::Technician(technician)])
}
