//! Work orders and their life: New -> Assigned -> EnRoute -> OnSite -> Completed, with the
//! side exits NeedsFollowUp and Cancelled. The state machine lives in [`status`].

pub mod day;
pub mod parts;
pub mod sla;
pub mod status;

use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::ids::{AssetId, CustomerId, JobId, OrgId, StoreId, UserId, short_code};
use crate::org::SkillCode;
use crate::places::{Address, LatLng};

pub use status::{JobAction, JobStatus};

/// Most technicians one job may need at once.
pub const MAX_CREW: u8 = 4;

/// A field that is 1 unless said otherwise (serde's default takes a function).
#[must_use]
pub fn one() -> u8 {
    1
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_one(n: &u8) -> bool {
    *n == 1
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    pub id: JobId,
    pub org: OrgId,
    pub store: StoreId,
    pub customer: CustomerId,
    pub asset: Option<AssetId>,
    pub service_address: Address,
    pub service_type: ServiceType,
    pub description: String,
    pub required_skills: Vec<SkillCode>,
    pub estimated_minutes: u32,
    pub priority: Priority,
    /// When the customer can receive us; empty means any time in working hours.
    pub windows: Vec<TimeWindow>,
    /// Derived from the customer's tier and the service type when the job is created.
    pub sla_deadline: DateTime<Utc>,
    pub technician: Option<UserId>,
    /// Technicians the job needs at once, the assigned one included (a piano move, an
    /// installation: 2). They arrive together: one planned start for the whole crew.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub crew_size: u8,
    /// The others who work it beside `technician`; they see it and may record its steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crew: Vec<UserId>,
    pub planned_start: Option<DateTime<Utc>>,
    pub status: JobStatus,
    pub follow_up: Option<FollowUpNeed>,
    pub cancel_reason: Option<String>,
    pub completion: Option<Completion>,
    pub history: Vec<StatusChange>,
    pub created_at: DateTime<Utc>,
    pub created_by: UserId,
}

impl Job {
    /// The job number on the work order.
    #[must_use]
    pub fn number(&self) -> String {
        short_code('J', self.id.0)
    }

    /// Whether `user` works the job now: its technician or one of its crew.
    #[must_use]
    pub fn works_on(&self, user: UserId) -> bool {
        self.technician == Some(user) || self.crew.contains(&user)
    }

    /// Everyone who works the job now, the assigned technician first.
    pub fn workers(&self) -> impl Iterator<Item = UserId> + '_ {
        self.technician.into_iter().chain(self.crew.iter().copied())
    }

    #[must_use]
    pub fn is_open(&self) -> bool {
        !matches!(self.status, JobStatus::Completed | JobStatus::Cancelled)
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ServiceType {
    Tuning,
    Repair,
    EmergencyRepair,
    Installation,
    Maintenance,
    Inspection,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

/// An interval the customer agreed to, in UTC (shown in the store's zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeWindow {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TimeWindow {
    #[must_use]
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at <= self.end
    }
}

/// Why a visit ended without finishing the job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpNeed {
    pub kind: FollowUpKind,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Facet)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FollowUpKind {
    /// Waiting for parts to arrive.
    Parts,
    /// The job needs another visit (customer absent, more time needed).
    ReturnVisit,
}

/// One line of the job's history: who moved it, when and from where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub from: JobStatus,
    pub to: JobStatus,
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub location: Option<LatLng>,
    pub technician: Option<UserId>,
    /// The crew beside `technician` at that moment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crew: Vec<UserId>,
    pub note: Option<String>,
}

/// What the technician records when the visit is over.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Facet)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completion {
    pub notes: String,
    pub parts: Vec<PartUsed>,
    /// References to uploaded files (content hashes or object keys), not the bytes.
    pub photos: Vec<String>,
    pub signature: Option<String>,
    /// 1 (very unhappy) to 5 (very happy); `None` when the customer declined to answer.
    pub satisfaction: Option<u8>,
    pub first_visit_fix: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Facet)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartUsed {
    pub item: String,
    pub quantity: u32,
}
