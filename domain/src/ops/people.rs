//! The people of an organization, as far as ops change them. Passwords are not here: an op is
//! queued on a device, synced and audited, so a password never travels inside one (the server
//! sets it through an admin endpoint or the CLI).

use chrono::NaiveDate;

use super::invalid::{Field, Problem};
use super::records::{Link, RecordsExt};
use super::{
    Ctx, Denied, HandOver, NewUser, OpError, Query, Record, RecordKey, Records, UserPatch, checks,
    fresh,
};
use crate::ids::{StoreId, UserId};
use crate::jobs::JobStatus;
use crate::org::{Absence, AbsenceKind, Role, TechnicianProfile, User, normalize_login};

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

/// The most stores one person works in, and the longest sign-in name.
pub const MAX_STORES: usize = 50;
pub const LOGIN_MAX: usize = 64;

/// Whether the actor may give someone these roles and stores: an admin anything; a
/// dispatcher only people of stores they run, and no admin.
fn may_staff(ctx: &Ctx, roles: &[Role], stores: &[StoreId]) -> Result<(), OpError> {
    if ctx.actor.has(Role::Admin) {
        return Ok(());
    }
    if !ctx.actor.has(Role::Dispatcher) {
        return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
    }
    if roles.contains(&Role::Admin) {
        return Err(OpError::Forbidden(Denied::OnlyAdminGrantsAdmin));
    }
    if stores.is_empty() || !stores.iter().all(|s| ctx.actor.manages_store(*s)) {
        return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
    }
    Ok(())
}

fn check_roles(roles: &[Role]) -> Result<(), OpError> {
    if roles.is_empty() {
        return Err(OpError::invalid(Field::Roles, Problem::Empty));
    }
    if roles
        .iter()
        .enumerate()
        .any(|(i, r)| roles[..i].contains(r))
    {
        return Err(OpError::invalid(Field::Roles, Problem::Repeated));
    }
    Ok(())
}

/// Every store exists in the organization; only an admin may work in none.
fn check_stores<R: Records + ?Sized>(
    records: &R,
    roles: &[Role],
    stores: &[StoreId],
) -> Result<(), OpError> {
    checks::list(Field::UserStores, stores, MAX_STORES)?;
    if stores.is_empty() && !roles.contains(&Role::Admin) {
        return Err(OpError::invalid(Field::UserStores, Problem::Empty));
    }
    if stores
        .iter()
        .enumerate()
        .any(|(i, s)| stores[..i].contains(s))
    {
        return Err(OpError::invalid(Field::UserStores, Problem::Repeated));
    }
    for s in stores {
        records.store(*s)?;
    }
    Ok(())
}

/// A sign-in name: letters, digits and `. _ - @`, so that it types the same on every keyboard
/// and never looks like another.
fn check_login(login: &str) -> Result<String, OpError> {
    let login = normalize_login(login);
    if login.is_empty() {
        return Err(OpError::invalid(Field::Login, Problem::Empty));
    }
    if login.chars().count() > LOGIN_MAX {
        return Err(OpError::invalid(
            Field::Login,
            Problem::TooLong { max: LOGIN_MAX },
        ));
    }
    if !login
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(OpError::invalid(Field::Login, Problem::NotALogin));
    }
    Ok(login)
}

fn check_phone(phone: Option<&str>) -> Result<Option<String>, OpError> {
    match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => {
            checks::phone(Field::UserPhone, p)?;
            Ok(Some(p.to_owned()))
        }
        None => Ok(None),
    }
}

/// Adds a person. Their password is set apart (the admin endpoint), so they cannot sign in
/// until someone sets one.
pub(super) fn create<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewUser,
) -> Result<Vec<RecordKey>, OpError> {
    may_staff(ctx, &new.roles, &new.stores)?;
    fresh(records, RecordKey::User(new.id))?;
    checks::name(Field::UserName, &new.name)?;
    let login = check_login(&new.login)?;
    if records.login_holder(&login)?.is_some() {
        return Err(OpError::invalid(Field::Login, Problem::LoginTaken));
    }
    let phone = check_phone(new.phone.as_deref())?;
    check_roles(&new.roles)?;
    check_stores(records, &new.roles, &new.stores)?;
    records.put(Record::User(User {
        id: new.id,
        org: ctx.actor.org,
        name: new.name.trim().to_owned(),
        login,
        phone,
        roles: new.roles.clone(),
        stores: new.stores.clone(),
        active: true,
        follow_up_capacity: None,
    }))?;
    Ok(vec![RecordKey::User(new.id)])
}

/// Changes a person. Anyone may change their own name and phone; roles and stores are
/// someone else's to give (an admin, or the dispatcher of all the person's stores, before and
/// after), so nobody raises or strands themselves.
pub(super) fn update<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: UserId,
    patch: &UserPatch,
) -> Result<Vec<RecordKey>, OpError> {
    let mut user = records.user(id)?;
    let own = id == ctx.actor.id;
    let staffing = patch.roles.is_some() || patch.stores.is_some();
    if own && staffing {
        return Err(OpError::Forbidden(Denied::OwnAccount));
    }
    if !own {
        if !ctx.actor.manages_person(&user) {
            return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
        }
        let roles = patch.roles.as_deref().unwrap_or(&user.roles);
        let stores = patch.stores.as_deref().unwrap_or(&user.stores);
        may_staff(ctx, roles, stores)?;
    }
    if let Some(name) = &patch.name {
        checks::name(Field::UserName, name)?;
        user.name = name.trim().to_owned();
    }
    if let Some(phone) = &patch.phone {
        user.phone = check_phone(phone.as_deref())?;
    }
    if let Some(roles) = &patch.roles {
        check_roles(roles)?;
        user.roles = roles.clone();
    }
    if let Some(stores) = &patch.stores {
        check_stores(records, &user.roles, stores)?;
        user.stores = stores.clone();
    } else if patch.roles.is_some() {
        check_stores(records, &user.roles, &user.stores)?;
    }
    records.put(Record::User(user))?;
    Ok(vec![RecordKey::User(id)])
}

/// Someone who may take over work of `store`: active, of the organization, working for it
/// (admins work for every store).
fn successor<R: Records + ?Sized>(
    records: &R,
    field: Field,
    leaver: UserId,
    to: Option<UserId>,
    store: StoreId,
    technician: bool,
) -> Result<Option<UserId>, OpError> {
    let Some(to) = to else { return Ok(None) };
    if to == leaver {
        return Err(OpError::invalid(field, Problem::Repeated));
    }
    let u = records.user(to)?;
    let fits = if technician {
        u.has(Role::Technician) && u.in_store(store)
    } else {
        u.staffs_store(store)
    };
    if !fits {
        return Err(OpError::invalid(
            field,
            if technician {
                Problem::TechnicianOfOtherStore
            } else {
                Problem::NotOfTheStore
            },
        ));
    }
    Ok(Some(to))
}

/// Stops a person and hands their open work over in the same op, so that nothing they held
/// is left with nobody: customers they look after, open leads and follow-ups, and jobs not
/// yet started (those in progress stay theirs to finish or the dispatcher's to settle).
pub(super) fn deactivate<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: UserId,
    to: &HandOver,
) -> Result<Vec<RecordKey>, OpError> {
    let leaver = records.user(id)?;
    if id == ctx.actor.id {
        return Err(OpError::Forbidden(Denied::OwnAccount));
    }
    if !ctx.actor.manages_person(&leaver) {
        return Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher));
    }
    let mut handed = Vec::new();
    for key in records.find(Query::LinkedTo(Link::Holder(id)))? {
        let Some(record) = records.get(key)? else {
            continue;
        };
        let record = match record {
            Record::Customer(mut c) if c.owner == Some(id) && c.merged_into.is_none() => {
                c.owner = successor(
                    records,
                    Field::HandOverCustomers,
                    id,
                    to.customers,
                    c.store,
                    false,
                )?;
                c.previous_owners.retain(|p| *p != id);
                c.previous_owners.push(id);
                Record::Customer(c)
            }
            Record::Lead(mut l) if l.owner == id && l.stage.is_open() => {
                let Some(next) =
                    successor(records, Field::HandOverLeads, id, to.leads, l.store, false)?
                else {
                    return Err(OpError::invalid(Field::HandOverLeads, Problem::Missing));
                };
                l.owner = next;
                Record::Lead(l)
            }
            Record::FollowUp(mut f) if f.owner == id && f.is_open() => {
                let Some(next) = successor(
                    records,
                    Field::HandOverFollowUps,
                    id,
                    to.follow_ups,
                    f.store,
                    false,
                )?
                else {
                    return Err(OpError::invalid(Field::HandOverFollowUps, Problem::Missing));
                };
                f.previous_owners.retain(|p| *p != next && *p != id);
                f.previous_owners.push(id);
                f.owner = next;
                Record::FollowUp(f)
            }
            Record::Job(mut j) if j.status == JobStatus::Assigned => {
                let next = successor(records, Field::HandOverJobs, id, to.jobs, j.store, true)?;
                if j.workers().any(|w| Some(w) == next) {
                    return Err(OpError::invalid(Field::HandOverJobs, Problem::Repeated));
                }
                super::jobs::hand_over(&mut j, ctx, id, next);
                Record::Job(j)
            }
            _ => continue,
        };
        handed.push(record);
    }
    // Everything is checked before anything is written: a refusal leaves all as it was.
    let mut changed = set_active(records, ctx, id, false)?;
    for record in handed {
        changed.push(record.key());
        records.put(record)?;
    }
    Ok(changed)
}
