//! Where the work happens: stores (address, map position, time zone, opening hours) and the
//! working profiles of their technicians (skills, hours, breaks, home base, most jobs a day).
//! An admin adds stores; a store's dispatcher keeps its details and its technicians' profiles.

use super::invalid::{Field, Problem};
use super::records::RecordsExt;
use super::{
    Ctx, Denied, OpError, Record, RecordKey, Records, StoreDraft, TechnicianDraft, checks,
};
use crate::org::{Break, Role, Store, TechnicianProfile, WeeklyHours};

/// The most intervals a week of hours may have (two a day, with a split shift), and the most
/// breaks in a day.
pub const MAX_INTERVALS: usize = 14;
pub const MAX_BREAKS: usize = 4;
/// The most jobs a technician's day may be set to hold.
pub const MAX_JOBS_PER_DAY: u8 = 30;

const DAY: u16 = 24 * 60;

pub(super) fn save_store<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    draft: &StoreDraft,
) -> Result<Vec<RecordKey>, OpError> {
    let exists = match records.get(RecordKey::Store(draft.id))? {
        Some(Record::Store(_)) => true,
        // Another organization's store, or another kind under this id: the id is taken.
        Some(_) => {
            return Err(super::OpError::IdTaken {
                kind: super::RecordKind::Store,
            });
        }
        None => {
            super::fresh(records, RecordKey::Store(draft.id))?;
            false
        }
    };
    if !ctx.actor.has(Role::Admin) {
        if !exists {
            return Err(OpError::Forbidden(Denied::OnlyAdminAddsStores));
        }
        if !ctx.actor.manages_store(draft.id) {
            return Err(OpError::Forbidden(Denied::OnlyDispatcherOfStore));
        }
    }
    checks::name(Field::StoreName, &draft.name)?;
    checks::address(Field::Address, &draft.address)?;
    checks::location(Field::StoreLocation, &draft.location)?;
    hours(Field::OpeningHours, &draft.opening_hours)?;
    records.put(Record::Store(Store {
        id: draft.id,
        org: ctx.actor.org,
        name: draft.name.trim().to_owned(),
        address: draft.address.clone(),
        location: draft.location,
        time_zone: draft.time_zone,
        opening_hours: draft.opening_hours.clone(),
    }))?;
    Ok(vec![RecordKey::Store(draft.id)])
}

pub(super) fn save_technician<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    draft: &TechnicianDraft,
) -> Result<Vec<RecordKey>, OpError> {
    let user = records.user(draft.user)?;
    let before = match records.get(RecordKey::Technician(draft.user))? {
        Some(Record::Technician(p)) => Some(p),
        _ => None,
    };
    // The store they leave is as much the dispatcher's business as the one they join.
    let manages = ctx.actor.manages_store(draft.store)
        && before
            .as_ref()
            .is_none_or(|p| ctx.actor.manages_store(p.store));
    if !manages {
        return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
    }
    if !user.roles.contains(&Role::Technician) {
        return Err(OpError::invalid(Field::Technician, Problem::NotATechnician));
    }
    records.store(draft.store)?;
    if !user.in_store(draft.store) {
        return Err(OpError::invalid(
            Field::TechnicianStore,
            Problem::NotOfTheStore,
        ));
    }
    let org = records.org(ctx.actor.org)?;
    checks::list(Field::Skills, &draft.skills, 40)?;
    for (i, s) in draft.skills.iter().enumerate() {
        if draft.skills[..i].contains(s) {
            return Err(OpError::invalid(Field::Skills, Problem::Repeated));
        }
        if !org.skills.iter().any(|k| k.code == *s) {
            return Err(OpError::invalid(
                Field::Skills,
                Problem::UnknownSkill { code: s.clone() },
            ));
        }
    }
    checks::location(Field::HomeBase, &draft.home_base)?;
    hours(Field::WorkingHours, &draft.working_hours)?;
    breaks(&draft.breaks)?;
    if !(1..=MAX_JOBS_PER_DAY).contains(&draft.max_jobs_per_day) {
        return Err(OpError::invalid(
            Field::MaxJobsPerDay,
            Problem::OutOfRange {
                min: 1,
                max: MAX_JOBS_PER_DAY.into(),
            },
        ));
    }
    records.put(Record::Technician(TechnicianProfile {
        user: draft.user,
        org: ctx.actor.org,
        store: draft.store,
        skills: draft.skills.clone(),
        home_base: draft.home_base,
        working_hours: draft.working_hours.clone(),
        breaks: draft.breaks.clone(),
        max_jobs_per_day: draft.max_jobs_per_day,
        absences: before.map(|p| p.absences).unwrap_or_default(),
    }))?;
    Ok(vec![RecordKey::Technician(draft.user)])
}

/// A week of hours: ISO weekdays, each interval starting before it ends within the day, no
/// two overlapping on one day.
fn hours(field: Field, h: &WeeklyHours) -> Result<(), OpError> {
    checks::list(field, &h.0, MAX_INTERVALS)?;
    for (i, d) in h.0.iter().enumerate() {
        if !(1..=7).contains(&d.weekday) || d.end > DAY {
            return Err(OpError::invalid(field, Problem::BadHours));
        }
        if d.end <= d.start {
            return Err(OpError::invalid(field, Problem::EndsBeforeStart));
        }
        let overlaps = h.0[..i]
            .iter()
            .any(|o| o.weekday == d.weekday && o.start < d.end && d.start < o.end);
        if overlaps {
            return Err(OpError::invalid(field, Problem::BadHours));
        }
    }
    Ok(())
}

fn breaks(b: &[Break]) -> Result<(), OpError> {
    checks::list(Field::Breaks, b, MAX_BREAKS)?;
    for x in b {
        if x.minutes == 0 || x.start.saturating_add(x.minutes) > DAY {
            return Err(OpError::invalid(Field::Breaks, Problem::BadHours));
        }
    }
    Ok(())
}
