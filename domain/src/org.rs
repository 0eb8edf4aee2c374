//! The tenant tree: organization > stores > users, and technicians' working profiles.

use chrono::{DateTime, Datelike, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::followups::rules::FollowUpRules;
use crate::ids::{OrgId, StoreId, UserId};
use crate::leads::InterestCategory;
use crate::places::{Address, LatLng};

/// A tenant. Every record carries its organization's id and no op may cross organizations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: OrgId,
    pub name: String,
    /// The skill catalogue technicians and jobs refer to.
    pub skills: Vec<Skill>,
    pub settings: OrgSettings,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgSettings {
    /// ISO 4217 code of the money amounts, which are kept in minor units (fen, cents).
    pub currency: String,
    /// The dispatcher board raises an alert when more jobs than this are unassigned.
    pub backlog_alert_threshold: u32,
    /// A job whose SLA deadline is closer than this (and is not done) is "at risk".
    pub sla_risk_minutes: u32,
    /// Which follow-ups the data raises, and when (see `followups::rules`). Absent in
    /// organizations stored before rules existed: they get the defaults.
    #[serde(default)]
    pub follow_up_rules: FollowUpRules,
    /// Admins sign in with a second factor (TOTP or a recovery code) besides the password.
    /// Absent in organizations stored before it existed: off.
    #[serde(default)]
    pub admin_second_factor: bool,
    /// What leads may be interested in: the codes leads refer to, with their names. Absent in
    /// organizations stored before the catalogue existed: empty, and leads show their codes.
    #[serde(default)]
    pub interests: Vec<InterestCategory>,
    /// How many follow-ups one person's day holds, unless their own
    /// (`User::follow_up_capacity`) says otherwise; the rest waits in their backlog.
    #[serde(default = "default_follow_up_capacity")]
    pub follow_up_capacity: u16,
    /// Stores that keep follow-up rules of their own (switches, thresholds, cadences); the
    /// others follow `follow_up_rules`. Who the store manager is stays the organization's
    /// (`FollowUpRules::managers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub store_rules: Vec<StoreRules>,
    /// Promised hours from a job's creation to its SLA deadline, where they differ from the
    /// standard promise (`jobs::sla::standard_hours`), per tier and service type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sla_hours: Vec<SlaHours>,
    /// The thresholds of customers' RFM scores, lifecycle stages and churn risk
    /// (`crate::purchases::value`). Absent in organizations stored before them: the defaults.
    #[serde(default)]
    pub customer_value: crate::purchases::value::ValueSettings,
    /// How long the server keeps what it keeps about people beyond the records (the audit of
    /// reads and writes). Absent in organizations stored before it: two years.
    #[serde(default)]
    pub retention: Retention,
}

/// How long data is kept; a scheduled task on the server removes what is older.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retention {
    /// Days the audit of reads and writes is kept (30 to 3,650).
    pub audit_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self { audit_days: 730 }
    }
}

/// A store's own follow-up rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreRules {
    pub store: StoreId,
    pub rules: FollowUpRules,
}

/// The promise for one tier and service type, in hours (an urgent job is still promised
/// within a day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaHours {
    pub tier: crate::customers::Tier,
    pub service: crate::jobs::ServiceType,
    pub hours: u32,
}

/// A change of the organization's settings: what it sets, the rest stays. Admins only
/// (`ops/settings.rs`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backlog_alert_threshold: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_risk_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_capacity: Option<u16>,
    /// The follow-up rules as a whole (switches, thresholds, cadences, store managers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_rules: Option<crate::followups::rules::FollowUpRules>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_second_factor: Option<bool>,
    /// One store's own follow-up rules, or (`rules: None`) back to the organization's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_rules: Option<StoreRulesPatch>,
    /// The follow-up rules as the editor saw them (the organization's, or the store's the
    /// patch is for): a patch that sets rules made on rules someone has since changed is
    /// refused rather than undoing their change unseen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_seen: Option<Box<crate::followups::rules::FollowUpRules>>,
    /// The promise for one tier and service type, or (`hours: None`) back to the standard one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_hours: Option<SlaHoursPatch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_value: Option<Box<crate::purchases::value::ValueSettings>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Retention>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreRulesPatch {
    pub store: StoreId,
    pub rules: Option<FollowUpRules>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaHoursPatch {
    pub tier: crate::customers::Tier,
    pub service: crate::jobs::ServiceType,
    pub hours: Option<u32>,
}

/// The most follow-ups a day may be set to hold: more is a list nobody finishes.
pub const MAX_FOLLOW_UP_CAPACITY: u16 = 200;

/// A rep calls or visits about this many customers a day, with their other work.
pub const DEFAULT_FOLLOW_UP_CAPACITY: u16 = 25;

fn default_follow_up_capacity() -> u16 {
    DEFAULT_FOLLOW_UP_CAPACITY
}

impl OrgSettings {
    /// The follow-up rules a store works by: its own, else the organization's.
    #[must_use]
    pub fn rules_for(&self, store: StoreId) -> &FollowUpRules {
        self.store_rules
            .iter()
            .find(|r| r.store == store)
            .map_or(&self.follow_up_rules, |r| &r.rules)
    }

    /// Hours promised for a tier and service type, before an urgent job's day.
    #[must_use]
    pub fn sla_base_hours(
        &self,
        tier: crate::customers::Tier,
        service: crate::jobs::ServiceType,
    ) -> u32 {
        self.sla_hours
            .iter()
            .find(|h| h.tier == tier && h.service == service)
            .map_or_else(
                || crate::jobs::sla::standard_hours(tier, service),
                |h| h.hours,
            )
    }

    /// The catalogue's entry for an interest code.
    #[must_use]
    pub fn interest(&self, code: &str) -> Option<&InterestCategory> {
        self.interests.iter().find(|c| c.code == code)
    }
}

impl Default for OrgSettings {
    fn default() -> Self {
        Self {
            currency: "CNY".into(),
            backlog_alert_threshold: 25,
            sla_risk_minutes: 240,
            follow_up_rules: FollowUpRules::default(),
            admin_second_factor: false,
            interests: Vec::new(),
            follow_up_capacity: DEFAULT_FOLLOW_UP_CAPACITY,
            store_rules: Vec::new(),
            sla_hours: Vec::new(),
            customer_value: crate::purchases::value::ValueSettings::default(),
            retention: Retention::default(),
        }
    }
}

/// A skill code from the organization's catalogue, e.g. `piano-tuning`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillCode(pub String);

impl From<&str> for SkillCode {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skill {
    pub code: SkillCode,
    pub name_en: String,
    pub name_zh: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Store {
    pub id: StoreId,
    pub org: OrgId,
    pub name: String,
    pub address: Address,
    pub location: LatLng,
    /// IANA zone: working hours, "today" and reminders are all local to the store.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Asia/Shanghai"))]
    pub time_zone: Tz,
    pub opening_hours: WeeklyHours,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    Dispatcher,
    Technician,
    Sales,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub org: OrgId,
    pub name: String,
    /// Sign-in name, unique within the organization.
    pub login: String,
    pub phone: Option<String>,
    pub roles: Vec<Role>,
    pub stores: Vec<StoreId>,
    pub active: bool,
    /// Follow-ups this person's day holds; `None`: the organization's
    /// (`OrgSettings::follow_up_capacity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_capacity: Option<u16>,
}

impl User {
    /// Follow-ups this person's day holds (at least one).
    #[must_use]
    pub fn day_capacity(&self, org: &OrgSettings) -> usize {
        usize::from(
            self.follow_up_capacity
                .unwrap_or(org.follow_up_capacity)
                .max(1),
        )
    }

    #[must_use]
    pub fn has(&self, role: Role) -> bool {
        self.active && self.roles.contains(&role)
    }

    #[must_use]
    pub fn in_store(&self, store: StoreId) -> bool {
        self.stores.contains(&store)
    }

    /// Admins act organization-wide; dispatchers across their stores.
    #[must_use]
    pub fn manages_store(&self, store: StoreId) -> bool {
        self.has(Role::Admin) || (self.has(Role::Dispatcher) && self.in_store(store))
    }

    /// The staff who keep a store's customers, leads and follow-ups: its dispatchers and sales
    /// reps, and admins (organization-wide). Wider than [`User::manages_store`], which leaves
    /// out sales reps.
    #[must_use]
    pub fn staffs_store(&self, store: StoreId) -> bool {
        self.has(Role::Admin)
            || ((self.has(Role::Dispatcher) || self.has(Role::Sales)) && self.in_store(store))
    }

    /// Who may stop another person's access (deactivate, sign a device out): an admin for
    /// anyone but themselves; a dispatcher for someone all of whose stores they run and who
    /// is no admin, since access ends in every store at once.
    #[must_use]
    pub fn manages_person(&self, other: &User) -> bool {
        if self.id == other.id || self.org != other.org {
            return false;
        }
        self.has(Role::Admin)
            || (!other.roles.contains(&Role::Admin)
                && !other.stores.is_empty()
                && other.stores.iter().all(|s| self.manages_store(*s)))
    }
}

/// A sign-in name as it is compared and indexed: what was typed, trimmed, in lower case.
#[must_use]
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Minutes after local midnight.
pub type MinuteOfDay = u16;

/// One open interval on one weekday, in local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayHours {
    /// ISO weekday, Monday = 1 .. Sunday = 7.
    pub weekday: u8,
    pub start: MinuteOfDay,
    pub end: MinuteOfDay,
}

/// Opening hours of a store or working hours of a technician.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyHours(pub Vec<DayHours>);

impl WeeklyHours {
    /// The same hours on each of the given ISO weekdays.
    #[must_use]
    pub fn uniform(weekdays: &[u8], start: MinuteOfDay, end: MinuteOfDay) -> Self {
        Self(
            weekdays
                .iter()
                .map(|&weekday| DayHours {
                    weekday,
                    start,
                    end,
                })
                .collect(),
        )
    }

    /// The intervals that apply on a weekday.
    pub fn on(&self, weekday: Weekday) -> impl Iterator<Item = &DayHours> {
        let iso = weekday.number_from_monday() as u8;
        self.0.iter().filter(move |h| h.weekday == iso)
    }

    /// Whether an instant falls inside the hours, read in the given time zone.
    #[must_use]
    pub fn contains(&self, tz: Tz, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&tz);
        let minute = minute_of_day(local.time());
        self.on(local.weekday())
            .any(|h| h.start <= minute && minute < h.end)
    }
}

fn minute_of_day(t: NaiveTime) -> MinuteOfDay {
    (t.hour() * 60 + t.minute()) as MinuteOfDay
}

/// A fixed daily break, e.g. lunch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Break {
    pub start: MinuteOfDay,
    pub minutes: u16,
}

/// What dispatch needs to know about a technician. Keyed by the technician's user id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianProfile {
    pub user: UserId,
    pub org: OrgId,
    pub store: StoreId,
    pub skills: Vec<SkillCode>,
    pub home_base: LatLng,
    pub working_hours: WeeklyHours,
    pub breaks: Vec<Break>,
    pub max_jobs_per_day: u8,
    /// Days away (sick, leave, training), whole days in the store's calendar. Dispatch leaves
    /// the technician out of those days: their jobs are planned for others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absences: Vec<Absence>,
}

impl TechnicianProfile {
    /// Why the technician is away on `date`, if they are.
    #[must_use]
    pub fn away_on(&self, date: chrono::NaiveDate) -> Option<&Absence> {
        self.absences
            .iter()
            .find(|a| a.from <= date && date <= a.to)
    }
}

/// A stretch of days a technician is away, first and last day included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Absence {
    pub kind: AbsenceKind,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// Who recorded it, and when: for the history and the technician's own eyes.
    pub by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Facet)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[repr(C)]
pub enum AbsenceKind {
    Sick,
    Leave,
    Training,
}

impl AbsenceKind {
    pub const ALL: [AbsenceKind; 3] =
        [AbsenceKind::Sick, AbsenceKind::Leave, AbsenceKind::Training];
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn person(roles: &[Role], stores: &[StoreId]) -> User {
        User {
            id: UserId::new(),
            org: OrgId::from_parts(1, 1),
            name: "x".into(),
            login: "x".into(),
            phone: None,
            roles: roles.to_vec(),
            stores: stores.to_vec(),
            active: true,
            follow_up_capacity: None,
        }
    }

    /// Issue 10: stopping someone's access (deactivating, a password reset, a device
    /// sign-out) hands over or ends the account in every store it works in.
    #[test]
    fn a_dispatcher_manages_only_people_all_of_whose_stores_they_run() {
        let (a, b) = (StoreId::from_parts(1, 1), StoreId::from_parts(2, 2));
        let admin = person(&[Role::Admin], &[a, b]);
        let disp_a = person(&[Role::Dispatcher], &[a]);
        let tech_a = person(&[Role::Technician], &[a]);
        let tech_ab = person(&[Role::Technician], &[a, b]);
        let disp_b = person(&[Role::Dispatcher], &[b]);
        assert!(disp_a.manages_person(&tech_a));
        assert!(!disp_a.manages_person(&tech_ab), "B is not theirs");
        assert!(!disp_a.manages_person(&disp_b));
        assert!(!disp_a.manages_person(&admin));
        assert!(!disp_a.manages_person(&disp_a), "not themselves");
        assert!(admin.manages_person(&tech_ab) && admin.manages_person(&disp_a));
        assert!(!tech_a.manages_person(&tech_a) && !tech_a.manages_person(&disp_b));
        let mut other_org = tech_a.clone();
        other_org.org = OrgId::from_parts(9, 9);
        assert!(!admin.manages_person(&other_org));
    }

    #[test]
    fn working_hours_are_read_in_the_store_time_zone() {
        let hours = WeeklyHours::uniform(&[1, 2, 3, 4, 5], 9 * 60, 18 * 60);
        // Monday 2026-11-23 01:30 UTC is 09:30 in Shanghai and 20:30 Sunday in New York.
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 1, 30, 0).unwrap();
        assert!(hours.contains(chrono_tz::Asia::Shanghai, at));
        assert!(!hours.contains(chrono_tz::America::New_York, at));
    }
}
