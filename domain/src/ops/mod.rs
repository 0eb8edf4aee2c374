//! Operations: every change to data is an [`Op`] with a client-made id, and [`apply`] is the
//! one function that validates and applies it, on the device and on the server alike.
//!
//! `apply` reads and writes only the records the op touches, through [`Records`], so the
//! device runs it on its in-memory replica and the server inside a database transaction.

mod catalogue;
mod checks;
mod concerns;
mod conflicts;
pub mod customers;
mod erasure;
mod error;
mod followups;
mod invalid;
mod jobs;
mod leads;
mod merge;
mod people;
mod purchases;
pub mod records;
mod refusal;
pub mod rules;
mod settings;
mod stores;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::conflicts::{Choice, FieldValue};
use crate::customers::CustomerKind;
use crate::customers::Tier;
use crate::followups::{Reason, Subject};
use crate::ids::{
    AssetId, ConflictId, CustomerId, FollowUpId, InteractionId, JobId, LeadId, OpId, PurchaseId,
    StoreId, UserId,
};
use crate::jobs::{Completion, FollowUpNeed, Priority, ServiceType, TimeWindow};
use crate::leads::{InteractionKind, Interest, LeadSource, Stage};
use crate::org::{Role, SkillCode, User};
use crate::places::{Address, LatLng};

pub use error::{AddressPart, Clash, Denied, Field, OpError, Problem, RecordKind};
#[cfg(test)]
pub(crate) use invalid::examples;
pub use merge::note_id as merge_note_id;
pub use records::{
    Change, Decided, Mark, MemoryRecords, Query, Record, RecordKey, Records, StorageError,
};

/// One change to the data, made by one person at one moment (and place, when known).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Op {
    pub id: OpId,
    pub actor: UserId,
    pub at: DateTime<Utc>,
    pub location: Option<LatLng>,
    pub kind: OpKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OpKind {
    CreateCustomer(NewCustomer),
    UpdateCustomer {
        customer: CustomerId,
        patch: CustomerPatch,
        /// What the author saw of the fields the patch sets, when the op was made (never
        /// recomputed on replay): a field someone else changed since is a conflict
        /// (`crate::conflicts`). Empty for ops made before this existed: the last to arrive
        /// wins, as it did then.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        seen: Vec<FieldValue>,
    },
    AddAsset(NewAsset),
    /// A sale to a customer (`crate::purchases`).
    RecordPurchase(NewPurchase),
    CreateJob(NewJob),
    /// Assigns or reassigns.
    AssignJob {
        job: JobId,
        technician: UserId,
        planned_start: Option<DateTime<Utc>>,
        /// Why the dispatcher assigned it against a warning (a skill the technician lacks,
        /// hours, a window or the SLA that will be missed); kept in the job's history. A
        /// technician without a skill the job needs takes it only with a reason.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        why: Option<String>,
        /// The others who work it beside `technician`, for a job that needs more than one
        /// (`Job::crew_size`); replaces the crew it had. Fewer than it needs only with `why`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        crew: Vec<UserId>,
    },
    UnassignJob {
        job: JobId,
    },
    StartTravel {
        job: JobId,
    },
    Arrive {
        job: JobId,
    },
    CompleteJob {
        job: JobId,
        completion: Completion,
    },
    NeedFollowUp {
        job: JobId,
        need: FollowUpNeed,
    },
    CancelJob {
        job: JobId,
        reason: String,
    },
    CreateLead(NewLead),
    MoveLead {
        lead: LeadId,
        to: Stage,
        lost_reason: Option<String>,
        won_value: Option<i64>,
    },
    LogInteraction(NewInteraction),
    CreateFollowUp(NewFollowUp),
    CompleteFollowUp {
        follow_up: FollowUpId,
    },
    SnoozeFollowUp {
        follow_up: FollowUpId,
        until: DateTime<Utc>,
    },
    RescheduleFollowUp {
        follow_up: FollowUpId,
        due_at: DateTime<Utc>,
    },
    ReassignFollowUp {
        follow_up: FollowUpId,
        owner: UserId,
    },
    /// Erases a customer's personal data on their request; see `ops/erasure.rs`.
    EraseCustomer {
        customer: CustomerId,
    },
    /// Combines two records of one customer into `keep`; see `ops/merge.rs`.
    MergeCustomers {
        keep: CustomerId,
        remove: CustomerId,
    },
    /// Lets a person sign in again, or stops them: every session of a deactivated user ends
    /// at its next request, on every server (see `ops/people.rs`).
    SetUserActive {
        user: UserId,
        active: bool,
    },
    /// Records that a technician is away from `from` to `to` (whole days, both included);
    /// an absence overlapping it is replaced. See `ops/people.rs`.
    RecordAbsence {
        technician: UserId,
        kind: crate::org::AbsenceKind,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    /// Takes back the absence that covers `day` (back at work after all).
    CancelAbsence {
        technician: UserId,
        day: chrono::NaiveDate,
    },
    /// Puts the customer on the map where the phone is (or where it was picked): the address
    /// keeps its words, its position changes, and open jobs going there follow. The customer's
    /// staff, or a technician working an open job of the customer, at the door. See
    /// `ops/customers.rs`.
    PlaceCustomer {
        customer: CustomerId,
        location: LatLng,
    },
    /// Adds a person to the organization (no password: that is set through the admin
    /// endpoint, never in an op); see `ops/people.rs`.
    CreateUser(NewUser),
    /// Changes a person's name, phone, roles or stores; see `ops/people.rs`.
    UpdateUser {
        user: UserId,
        patch: UserPatch,
    },
    /// Stops a person and hands their open work to the people named, in one step; see
    /// `ops/people.rs`.
    DeactivateUser {
        user: UserId,
        hand_over: HandOver,
    },
    /// Adds a store (admins) or changes one (its dispatcher too); see `ops/stores.rs`.
    SaveStore(StoreDraft),
    /// A technician's working profile: store, skills, hours, breaks, home base, most jobs a
    /// day. Their absences stay as recorded. See `ops/stores.rs`.
    SaveTechnician(TechnicianDraft),
    /// Adds a skill to the catalogue or renames one; see `ops/catalogue.rs`.
    SaveSkill(crate::org::Skill),
    /// Adds an interest category or renames one; see `ops/catalogue.rs`.
    SaveInterest(crate::leads::InterestCategory),
    /// How many follow-ups one person's day holds (`None`: the organization's default); see
    /// `ops/settings.rs`.
    SetFollowUpCapacity {
        user: UserId,
        capacity: Option<u16>,
    },
    /// Changes the organization's settings (what the patch sets; the rest stays); see
    /// `ops/settings.rs`.
    UpdateSettings(crate::org::SettingsPatch),
    /// Settles a conflict: keep one of its two values, or another one typed; see
    /// `ops/conflicts.rs`.
    ResolveConflict {
        conflict: ConflictId,
        choice: Choice,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCustomer {
    pub id: CustomerId,
    pub store: StoreId,
    pub name: String,
    /// As typed; normalised by `apply`.
    pub phones: Vec<String>,
    pub address: Address,
    pub kind: CustomerKind,
    pub tags: Vec<String>,
    pub tier: Tier,
    pub marketing_consent: bool,
    pub birthday: Option<NaiveDate>,
    pub owner: Option<UserId>,
}

/// Fields to change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerPatch {
    pub name: Option<String>,
    pub phones: Option<Vec<String>>,
    pub address: Option<Address>,
    pub kind: Option<CustomerKind>,
    pub tags: Option<Vec<String>>,
    pub tier: Option<Tier>,
    pub marketing_consent: Option<bool>,
    /// Absent leaves the birthday as it is; `null` clears it. ("Leave as it is" must be
    /// written as absent, not as `null`, or the patch would clear on the way to the server.)
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub birthday: Option<Option<NaiveDate>>,
    /// Absent leaves the owner as it is; `null` removes the owner.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub owner: Option<Option<UserId>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAsset {
    pub id: AssetId,
    pub customer: CustomerId,
    pub product: String,
    pub category: String,
    pub serial_number: String,
    pub purchase_date: NaiveDate,
    pub price: i64,
    pub warranty_end: Option<NaiveDate>,
    pub last_service: Option<NaiveDate>,
    pub maintenance_interval_days: Option<u32>,
}

/// A sale: the receipt's lines and total. `store` is the store that sold it (the customer's
/// own store when `None`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPurchase {
    pub id: PurchaseId,
    pub customer: CustomerId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreId>,
    pub on: NaiveDate,
    pub items: Vec<crate::purchases::Item>,
    pub amount: i64,
    pub source: crate::purchases::Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewJob {
    pub id: JobId,
    pub customer: CustomerId,
    pub asset: Option<AssetId>,
    /// `None` uses the customer's address.
    pub service_address: Option<Address>,
    pub service_type: ServiceType,
    pub description: String,
    pub required_skills: Vec<SkillCode>,
    pub estimated_minutes: u32,
    pub priority: Priority,
    pub windows: Vec<TimeWindow>,
    /// Technicians it needs at once (1 to [`crate::jobs::MAX_CREW`]); 1 when left out.
    #[serde(default = "crate::jobs::one")]
    pub crew_size: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLead {
    pub id: LeadId,
    pub store: StoreId,
    pub customer: Option<CustomerId>,
    pub name: String,
    pub phone: Option<String>,
    pub source: LeadSource,
    pub interest: Interest,
    /// `None` makes the creator the owner.
    pub owner: Option<UserId>,
    pub expected_value: i64,
    pub next_follow_up_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInteraction {
    pub id: InteractionId,
    pub kind: InteractionKind,
    pub outcome: String,
    pub customer: Option<CustomerId>,
    pub lead: Option<LeadId>,
    pub job: Option<JobId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFollowUp {
    pub id: FollowUpId,
    pub subject: Subject,
    pub due_at: DateTime<Utc>,
    pub reason: Reason,
    /// `None` makes the creator the owner.
    pub owner: Option<UserId>,
    pub note: String,
    /// What the rule saw, for a rule follow-up ([`crate::followups::Why`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<crate::followups::Why>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub id: UserId,
    pub name: String,
    /// Sign-in name: unique, kept as typed in lower case.
    pub login: String,
    pub phone: Option<String>,
    pub roles: Vec<Role>,
    pub stores: Vec<StoreId>,
}

/// A person's fields to change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Absent leaves the phone as it is; `null` removes it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Role>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stores: Option<Vec<StoreId>>,
}

/// Who takes over a leaving person's open work. Customers with nobody named are kept by the
/// store (no owner); jobs not started with nobody named go back to the queue; open leads and
/// follow-ups need someone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOver {
    pub customers: Option<UserId>,
    pub leads: Option<UserId>,
    pub follow_ups: Option<UserId>,
    pub jobs: Option<UserId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreDraft {
    pub id: StoreId,
    pub name: String,
    pub address: Address,
    pub location: LatLng,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Asia/Shanghai"))]
    pub time_zone: chrono_tz::Tz,
    pub opening_hours: crate::org::WeeklyHours,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianDraft {
    pub user: UserId,
    pub store: StoreId,
    pub skills: Vec<SkillCode>,
    pub home_base: LatLng,
    pub working_hours: crate::org::WeeklyHours,
    pub breaks: Vec<crate::org::Break>,
    pub max_jobs_per_day: u8,
}

/// For "absent means unchanged, null means clear": serde alone reads `null` as absent.
fn present<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// What an op changed, so the server can log the changes and devices can refresh views.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applied {
    pub changed: Vec<RecordKey>,
}

/// The remembered result of an op, returned again when the same op arrives twice.
pub type OpOutcome = Result<Applied, OpError>;

impl Op {
    /// A digest of everything the op says (who, when, where, what), stable across platforms
    /// and builds: a replay has the same one, a different op under a reused id does not.
    #[must_use]
    pub fn fingerprint(&self) -> u64 {
        // FNV-1a over the op's JSON: serde_json writes a struct's fields in declaration order,
        // so the same op always gives the same bytes, on the phone and on the server.
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    }
}

/// How far past the server's clock an op's time may lie: devices correct their clocks at each
/// sync, so this only has to cover the drift since then.
pub const MAX_CLOCK_AHEAD_MINUTES: i64 = 5;

/// Validates `op` against the records and the actor's role and scope, then applies it.
///
/// Applying the same op a second time returns the first outcome and changes nothing; a
/// different op under an id already used is refused ([`OpError::OpIdUsed`]) and that refusal
/// is not remembered, so the first op's outcome stays. A storage failure
/// ([`OpError::Unavailable`]) is not remembered either, so the op can be retried.
pub fn apply<R: Records + ?Sized>(records: &mut R, op: &Op) -> Result<Applied, OpError> {
    let fingerprint = op.fingerprint();
    if let Some(previous) = records.outcome(op.id)? {
        return match previous.fingerprint {
            Some(f) if f != fingerprint => Err(OpError::OpIdUsed),
            _ => previous.outcome,
        };
    }
    let outcome = apply_new(records, op);
    if !matches!(outcome, Err(OpError::Unavailable(_))) {
        records.set_outcome(
            op.id,
            Decided {
                outcome: outcome.clone(),
                fingerprint: Some(fingerprint),
            },
        )?;
    }
    outcome
}

fn apply_new<R: Records + ?Sized>(records: &mut R, op: &Op) -> Result<Applied, OpError> {
    let actor = actor(records, op.actor)?;
    if let Some(now) = records.clock()
        && op.at > now + chrono::Duration::minutes(MAX_CLOCK_AHEAD_MINUTES)
    {
        // No lower bound: a device may come back after weeks offline.
        return Err(OpError::invalid(Field::OpTime, Problem::AheadOfClock));
    }
    // Every handler sees the actor's organization only: another tenant's record answers
    // exactly as an unknown id does, whatever path reads it.
    let records = &mut Tenant {
        inner: records,
        org: actor.org,
    };
    if let Some(loc) = op.location {
        checks::location(Field::OpLocation, &loc)?;
    }
    let ctx = Ctx { op, actor: &actor };
    let changed = match &op.kind {
        OpKind::CreateCustomer(new) => customers::create(records, &ctx, new)?,
        OpKind::UpdateCustomer {
            customer,
            patch,
            seen,
        } => customers::update(records, &ctx, *customer, patch, seen)?,
        OpKind::AddAsset(new) => customers::add_asset(records, &ctx, new)?,
        OpKind::EraseCustomer { customer } => erasure::erase(records, &ctx, *customer)?,
        OpKind::RecordPurchase(new) => purchases::record(records, &ctx, new)?,
        OpKind::CreateJob(new) => jobs::create(records, &ctx, new)?,
        OpKind::AssignJob {
            job,
            technician,
            planned_start,
            why,
            crew,
        } => jobs::assign(
            records,
            &ctx,
            *job,
            jobs::Crew {
                lead: *technician,
                others: crew,
            },
            *planned_start,
            why.as_deref(),
        )?,
        OpKind::UnassignJob { job } => jobs::unassign(records, &ctx, *job)?,
        OpKind::StartTravel { job } => jobs::field_step(records, &ctx, *job, jobs::Step::Travel)?,
        OpKind::Arrive { job } => jobs::field_step(records, &ctx, *job, jobs::Step::Arrive)?,
        OpKind::CompleteJob { job, completion } => {
            jobs::field_step(records, &ctx, *job, jobs::Step::Complete(completion))?
        }
        OpKind::NeedFollowUp { job, need } => {
            jobs::field_step(records, &ctx, *job, jobs::Step::NeedFollowUp(need))?
        }
        OpKind::CancelJob { job, reason } => jobs::cancel(records, &ctx, *job, reason)?,
        OpKind::CreateLead(new) => leads::create(records, &ctx, new)?,
        OpKind::MoveLead {
            lead,
            to,
            lost_reason,
            won_value,
        } => leads::move_stage(
            records,
            &ctx,
            *lead,
            *to,
            lost_reason.as_deref(),
            *won_value,
        )?,
        OpKind::LogInteraction(new) => leads::log_interaction(records, &ctx, new)?,
        OpKind::CreateFollowUp(new) => followups::create(records, &ctx, new)?,
        OpKind::CompleteFollowUp { follow_up } => {
            followups::change(records, &ctx, *follow_up, followups::Change::Done)?
        }
        OpKind::SnoozeFollowUp { follow_up, until } => {
            followups::change(records, &ctx, *follow_up, followups::Change::Snooze(*until))?
        }
        OpKind::RescheduleFollowUp { follow_up, due_at } => followups::change(
            records,
            &ctx,
            *follow_up,
            followups::Change::Reschedule(*due_at),
        )?,
        OpKind::ReassignFollowUp { follow_up, owner } => followups::change(
            records,
            &ctx,
            *follow_up,
            followups::Change::Reassign(*owner),
        )?,
        OpKind::MergeCustomers { keep, remove } => merge::merge(records, &ctx, *keep, *remove)?,
        OpKind::SetUserActive { user, active } => {
            people::set_active(records, &ctx, *user, *active)?
        }
        OpKind::RecordAbsence {
            technician,
            kind,
            from,
            to,
        } => people::record_absence(records, &ctx, *technician, *kind, *from, *to)?,
        OpKind::CancelAbsence { technician, day } => {
            people::cancel_absence(records, &ctx, *technician, *day)?
        }
        OpKind::ResolveConflict { conflict, choice } => {
            conflicts::resolve(records, &ctx, *conflict, choice)?
        }
        OpKind::PlaceCustomer { customer, location } => {
            customers::place(records, &ctx, *customer, *location)?
        }
        OpKind::CreateUser(new) => people::create(records, &ctx, new)?,
        OpKind::UpdateUser { user, patch } => people::update(records, &ctx, *user, patch)?,
        OpKind::DeactivateUser { user, hand_over } => {
            people::deactivate(records, &ctx, *user, hand_over)?
        }
        OpKind::SaveStore(draft) => stores::save_store(records, &ctx, draft)?,
        OpKind::SaveTechnician(draft) => stores::save_technician(records, &ctx, draft)?,
        OpKind::SaveSkill(skill) => catalogue::save_skill(records, &ctx, skill)?,
        OpKind::SaveInterest(c) => catalogue::save_interest(records, &ctx, c)?,
        OpKind::SetFollowUpCapacity { user, capacity } => {
            settings::follow_up_capacity(records, &ctx, *user, *capacity)?
        }
        OpKind::UpdateSettings(patch) => settings::update(records, &ctx, patch)?,
    };
    Ok(Applied { changed })
}

/// What every handler needs: the op and the person making it.
pub(crate) struct Ctx<'a> {
    pub op: &'a Op,
    pub actor: &'a User,
}

impl Ctx<'_> {
    pub fn has(&self, role: Role) -> bool {
        self.actor.has(role)
    }
}

/// The records of one organization: what `apply` works on once it knows the actor.
struct Tenant<'a, R: ?Sized> {
    inner: &'a mut R,
    org: crate::ids::OrgId,
}

impl<R: Records + ?Sized> Records for Tenant<'_, R> {
    fn get(&self, key: RecordKey) -> Result<Option<Record>, StorageError> {
        Ok(self.inner.get(key)?.filter(|r| r.org() == self.org))
    }

    fn put(&mut self, record: Record) -> Result<(), StorageError> {
        if record.org() != self.org {
            return Err(StorageError(
                "an op may only write records of its own organization".into(),
            ));
        }
        self.inner.put(record)
    }

    fn find(&self, query: Query) -> Result<Vec<RecordKey>, StorageError> {
        let mut keys = self.inner.find(query)?;
        // Links name ids only; keep those that resolve inside the organization.
        keys.retain(|k| matches!(self.inner.get(*k), Ok(Some(r)) if r.org() == self.org));
        Ok(keys)
    }

    fn outcome(&self, op: OpId) -> Result<Option<Decided>, StorageError> {
        self.inner.outcome(op)
    }

    fn set_outcome(&mut self, op: OpId, decided: Decided) -> Result<(), StorageError> {
        self.inner.set_outcome(op, decided)
    }

    fn exists(&self, key: RecordKey) -> Result<bool, StorageError> {
        self.inner.exists(key)
    }

    fn login_holder(&self, login: &str) -> Result<Option<UserId>, StorageError> {
        self.inner.login_holder(login)
    }

    fn clock(&self) -> Option<DateTime<Utc>> {
        self.inner.clock()
    }
}

/// Refuses a new record's id when any record already has it, in any organization, with the
/// same words either way: an id is never evidence of another tenant's data, and no op
/// overwrites a record it did not mean to change.
pub(crate) fn fresh<R: Records + ?Sized>(records: &R, key: RecordKey) -> Result<(), OpError> {
    if records.exists(key)? {
        return Err(OpError::IdTaken { kind: key.kind() });
    }
    Ok(())
}

fn actor<R: Records + ?Sized>(records: &R, id: UserId) -> Result<User, OpError> {
    match records.get(RecordKey::User(id))? {
        Some(Record::User(u)) if u.active => Ok(u),
        Some(Record::User(_)) => Err(OpError::Forbidden(Denied::AccountDeactivated)),
        _ => Err(OpError::Forbidden(Denied::UnknownUser)),
    }
}
