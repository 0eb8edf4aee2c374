//! Every word a person reads, in each language Rounds speaks.
//!
//! One table per language ([`En`] in `en.rs`, [`Zh`] in `zh.rs`), each an implementation of
//! [`Table`]: a word missing from a table, or a new status or error nobody worded, is a
//! compile error, not a blank or an English word on a Chinese screen. The core's view words
//! everything a screen shows through [`table`]; the server words e-mails, reports, CSV headers
//! and problem bodies through the same tables (its problem bodies use [`En`], the language of
//! the API's documentation).
//!
//! What is worded here is typed: the domain and the core return statuses, reasons, refusals
//! and notices as values ([`Label`], [`crate::ops::OpError`], ...) and only a table turns them
//! into words. Data (names, addresses, notes) is shown as typed and never passes through here.

mod en;
#[cfg(test)]
mod tests;
mod units;
mod zh;

use chrono::Weekday;
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::customers::{CustomerKind, Tier};
use crate::followups::Why;
use crate::followups::rules::Rule;
use crate::jobs::{FollowUpKind, JobAction, JobStatus, Priority, ServiceType};
use crate::leads::{InteractionKind, InterestCategory, LeadSource, Stage};
use crate::ops::{Clash, Denied, Field, OpError, OpKind, Problem, RecordKind};
use crate::org::{OrgSettings, Role, Skill};

use units::{km, whole_minutes};

pub use en::En;
pub use zh::Zh;

/// The languages Rounds speaks. Names, addresses and notes are shown as typed, whatever the
/// language.
#[derive(
    Facet, Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[repr(C)]
pub enum Lang {
    #[default]
    English,
    SimplifiedChinese,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::English, Lang::SimplifiedChinese];

    /// The BCP 47 tag, for `<html lang>` and `Accept-Language`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::English => "en",
            Lang::SimplifiedChinese => "zh-CN",
        }
    }

    /// The language's name in itself ("中文", "English"): the same whatever language the
    /// screen is in, so a person can find their own.
    #[must_use]
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::English => "English",
            Lang::SimplifiedChinese => "中文",
        }
    }

    /// The language a BCP 47 tag asks for (`zh`, `zh-CN`, `zh-Hans-SG` are Chinese; anything
    /// else is English).
    #[must_use]
    pub fn from_code(tag: &str) -> Self {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::SimplifiedChinese
        } else {
            Lang::English
        }
    }
}

/// The table of a language.
#[must_use]
pub fn table(lang: Lang) -> &'static dyn Table {
    match lang {
        Lang::English => &En,
        Lang::SimplifiedChinese => &Zh,
    }
}

/// The words of one language. Each method words one kind of thing; the `label` method holds
/// the fixed words (buttons, headings, notices without data).
pub trait Table: Sync {
    fn lang(&self) -> Lang;
    fn label(&self, label: Label) -> &'static str;

    // — the domain's own values —
    fn role(&self, role: Role) -> &'static str;
    /// What a person holds, for the back office: "3 customers, 1 open lead, 12 open follow-ups,
    /// 2 jobs not started" (nothing: "Holds no open work").
    fn holdings(&self, customers: usize, leads: usize, follow_ups: usize, jobs: usize) -> String;
    fn status(&self, status: JobStatus) -> &'static str;
    fn action(&self, action: JobAction) -> &'static str;
    fn service(&self, service: ServiceType) -> &'static str;
    fn priority(&self, priority: Priority) -> &'static str;
    fn tier(&self, tier: Tier) -> &'static str;
    fn customer_kind(&self, kind: CustomerKind) -> &'static str;
    fn stage(&self, stage: Stage) -> &'static str;
    fn lead_source(&self, source: LeadSource) -> &'static str;
    fn interaction(&self, kind: InteractionKind) -> &'static str;
    fn follow_up_kind(&self, kind: FollowUpKind) -> &'static str;
    fn record_kind(&self, kind: RecordKind) -> &'static str;

    /// Why a change was refused, as one sentence that says what to do.
    fn op_error(&self, error: &OpError) -> String;
    /// A change in a few words ("New customer 王芳"), for the list of refused changes.
    fn op_summary(&self, kind: &OpKind) -> String;

    // — sentences with data in them —
    /// "3 changes waiting to sync".
    fn pending_changes(&self, n: u32) -> String;
    /// "2 conflicts to settle".
    fn conflicts_waiting(&self, n: u32) -> String;
    /// "Could not save on this device: {detail}" (the detail is the storage's own message).
    fn not_saved(&self, detail: &str) -> String;
    /// Beside a record with a conflict nobody settled yet.
    fn in_conflict(&self) -> String;
    /// Beside a record a change to which waits on the device.
    fn waiting_to_sync(&self) -> String;
    /// Beside a record a change to which the server refused, with its worded reason.
    fn refused_because(&self, reason: &str) -> String;
    /// The device's storage for the app is full.
    fn storage_full(&self) -> String;
    /// How much of the device's storage the app uses, when it runs short.
    fn storage_usage(&self, used_bytes: u64, quota_bytes: u64) -> String;
    /// `n` changes are being written to the device (not yet safe from a crash).
    fn saving_changes(&self, n: u32) -> String;
    /// The server refused `n` queued changes.
    fn server_refused_changes(&self, n: usize) -> String;
    /// The server refused a request as a whole; `detail` is its own message.
    fn server_refused(&self, detail: &str) -> String;
    /// `n` unsynced changes on this device belong to another user.
    fn others_changes(&self, n: usize) -> String;
    /// Stored data that could not be read at start-up (`what`: the storage's messages).
    fn unreadable(&self, what: &[String]) -> String;
    /// The device's clock is `minutes` behind the server's (negative: ahead).
    fn clock_off(&self, minutes: i64) -> String;
    /// The job a technician is driving to has a new address.
    fn job_moved(&self, job: &str, address: &str) -> String;

    // — technician —
    /// An asset's warranty on a day ("Under warranty, 12 days left").
    fn warranty(&self, status: crate::customers::WarrantyStatus) -> String;
    /// What an audit entry says happened ("Searched "zhang": 4 results").
    fn audit_what(&self, what: &crate::audit::AuditWhat) -> String;
    /// A kind of audit event, as a filter's choice.
    fn audit_kind(&self, kind: crate::audit::AuditKind) -> &'static str;
    /// A KPI's name as a chart's title ("First-time fix rate").
    fn kpi(&self, kpi: crate::kpis::Kpi) -> &'static str;
    /// A choice of how far back the numbers go ("Last 8 weeks").
    fn weeks_back(&self, weeks: u8) -> String;
    /// A choice of how far back the audit goes ("Last 7 days").
    fn days_back(&self, days: u16) -> String;
    /// A customer's lifecycle stage ("At risk").
    fn lifecycle(&self, stage: crate::purchases::value::Lifecycle) -> &'static str;
    /// A customer's churn risk ("Churn risk: high").
    fn churn_risk(&self, risk: crate::purchases::value::ChurnRisk) -> &'static str;
    /// What a customer's purchases come to, in a sentence: how often and how much within the
    /// window, the last purchase, their usual rhythm; `currency` for the amounts.
    fn value_summary(
        &self,
        value: &crate::purchases::value::Value,
        window_days: u32,
        currency: &str,
    ) -> String;
    /// One choice of the satisfaction score: 1 to 5, or `None` when the customer was not
    /// asked. Only called with 1 to 5 or `None`.
    fn satisfaction_choice(&self, score: Option<u8>) -> String;
    /// Why the parts typed on the completion form were refused, naming the line.
    fn parts_error(&self, error: &crate::jobs::parts::PartsError) -> String;

    // — sales —
    /// What a follow-up asks the person to do ("Satisfaction call"); `None`: one a person
    /// planned.
    fn follow_up_task(&self, rule: Option<Rule>) -> &'static str;
    /// Why a rule raised a follow-up, with what it saw ("Cadence step 3 of 4"); `org` names
    /// the interest categories and the currency.
    fn follow_up_why(&self, why: &Why, org: &OrgSettings) -> String;
    /// An interest category's name in this language.
    fn interest<'a>(&self, category: &'a InterestCategory) -> &'a str;
    /// An interest code's name from the organization's catalogue; the code itself when the
    /// catalogue does not have it.
    fn interest_name<'a>(&self, org: &'a OrgSettings, code: &'a str) -> &'a str {
        org.interest(code).map_or(code, |c| self.interest(c))
    }
    /// An amount in minor units of `currency` (ISO 4217), as people write it: "¥12,800".
    fn money(&self, minor: i64, currency: &str) -> String;
    /// A reminder's title: what to do, and for whom when known.
    fn reminder_title(&self, task: &str, who: Option<&str>) -> String;
    /// A reminder's body: what it is about (the rule's story, the note), and when it is due.
    fn reminder_body(&self, about: &[&str], due: &str) -> String;
    /// A button that moves a lead: "Move to Won".
    fn move_to(&self, stage: Stage) -> String;
    /// A stage move on a lead's timeline: "New → Contacted".
    fn stage_change(&self, from: Stage, to: Stage) -> String;
    /// The rep's numbers under the pipeline.
    fn pipeline_summary(&self, conversion_days: Option<u32>, on_time_pct: Option<u8>) -> String;
    /// How the closed leads of one source went.
    fn win_rate(&self, source: LeadSource, won: u32, lost: u32, pct: u8) -> String;
    /// The description of a maintenance visit booked from a reminder (kept on the job, in the
    /// language of the person who booked it).
    fn maintenance_visit(&self, product: &str, serial: &str) -> String;

    // — dispatcher —
    /// A driving distance: "3.2 km".
    fn distance(&self, metres: i64) -> String;
    /// A length of time, rounded up to the minute: "1 h 5 min".
    fn duration(&self, seconds: i64) -> String;
    fn weekday(&self, day: Weekday) -> &'static str;
    /// The day the dispatcher's board shows: "Today, Monday 7 December"; `from_today` is
    /// the number of days after today (negative: before).
    fn board_day(&self, date: chrono::NaiveDate, from_today: i64) -> String;
    /// Where a job's step was taken: `Some(metres)` from the job's address ("at the address"
    /// within 200 m, else "2.4 km from the address"), `None` when the address has no position
    /// ("located").
    fn step_place(&self, metres_from_address: Option<i64>) -> String;
    /// Which items of a list a page shows, counted from 1: "11–20 of 76".
    fn page_of(&self, first: usize, last: usize, total: usize) -> String;
    /// What a person's day cannot hold: `more` follow-ups beyond `capacity` a day.
    fn backlog_summary(&self, more: usize, capacity: usize) -> String;
    /// A rep's load, on the dispatcher's board: "18 of 25 today, 40 waiting beyond".
    fn rep_load(&self, due: usize, capacity: usize, backlog: usize) -> String;
    /// A rep's backlog as their store's dispatcher sees it.
    fn rep_backlog_summary(&self, name: &str, more: usize, capacity: usize) -> String;
    /// Later follow-ups not listed.
    fn upcoming_more(&self, more: usize) -> String;
    /// How much of the queue a filter shows: "12 of 40 waiting".
    fn waiting_shown(&self, shown: usize, total: usize) -> String;
    /// The confirmation of an assignment: "J-1042 assigned to 郑洋, arriving 14:20".
    fn assigned_to(&self, job: &str, technician: &str, eta: Option<&str>) -> String;
    /// The title of an assignment by hand against a warning: "Assign J-1042 to 郑洋 anyway?".
    fn assign_anyway(&self, job: &str, technician: &str) -> String;
    /// The title of a suggestion: "Who should take J-1042?".
    fn who_should_take(&self, job: &str) -> String;
    /// What taking a job adds to a technician's day, in short: "+3.2 km, +9 min".
    fn added_driving(&self, metres: i64, seconds: i64) -> String;
    /// Why a technician ranks where they do (one reason each).
    fn reason_driving(&self, metres: i64, seconds: i64) -> String;
    /// `clock`: the local time, "10:40".
    fn reason_starts_at(&self, clock: &str) -> String;
    fn reason_before_sla(&self, seconds: i64) -> String;
    fn reason_misses_sla(&self, seconds: i64) -> String;
    /// `visits` later visits start later, the furthest by `most_seconds`.
    fn reason_moves(&self, visits: u32, most_seconds: i64) -> String;
    /// Later visits that start earlier, `most_seconds` (positive) the furthest.
    fn reason_brings_forward(&self, visits: u32, most_seconds: i64) -> String;
    /// Why a technician cannot take a job (the fixed reasons are labels).
    fn off_that_day(&self, day: Weekday) -> String;
    /// A technician away for the day: "off sick", "on leave", "at training".
    fn away(&self, kind: crate::org::AbsenceKind) -> &'static str;
    fn outside_shift(&self, from: &str, to: &str) -> String;
    fn over_max_jobs(&self, max: u32) -> String;
    /// `skills`: the skills' names in this language.
    fn missing_skills(&self, skills: &[&str]) -> String;
    /// A job that cannot be suggested; `why` is a sentence.
    fn no_suggestion(&self, job: &str, why: &str) -> String;
    /// The title of a proposed plan; `date` as shown elsewhere.
    fn proposed_plan(&self, date: &str) -> String;
    /// The proposal's driving against today's assignments'.
    fn plan_driving(&self, metres: i64, now_metres: i64) -> String;
    /// One technician's driving in a proposal.
    fn route_driving(&self, metres: i64, seconds: i64) -> String;
    /// A proposed change; names and job numbers are data, times local clock times.
    fn change_assign(&self, job: &str, to: &str, at: &str) -> String;
    fn change_reassign(&self, job: &str, from: &str, to: &str, at: &str) -> String;
    /// `from`: `None` when the job had no set time.
    fn change_retime(&self, job: &str, with: &str, from: Option<&str>, to: &str) -> String;
    /// An assigned job the plan has no room for; `why` is the unplaced reason's words.
    fn change_keep(&self, job: &str, with: &str, why: &str) -> String;
    /// The same technician, another crew beside them; `crew` is [`Table::people`]'s words.
    fn change_crew(&self, job: &str, crew: &str, at: &str) -> String;
    /// Names listed in a sentence: "郑洋 and 王芳", "郑洋、王芳".
    fn people(&self, names: &[&str]) -> String;
    /// A choice of the new-job form: one technician, or `size` together.
    fn crew_size(&self, size: u8) -> String;
    /// A job that needs `size` technicians at once and has no crew yet.
    fn crew_needed(&self, size: u8) -> String;
    /// A job's crew; `people` is [`Table::people`]'s words.
    fn crew_of(&self, size: u8, people: &str) -> String;
    /// Why a crew job is left out of a plan.
    fn unplaced_no_crew(&self, size: u8) -> String;
    /// The button that makes a proposal's `changes`.
    fn accept_plan(&self, changes: u32) -> String;
    /// The board's alerts.
    fn alert_breached(&self, job: &str) -> String;
    fn alert_at_risk(&self, job: &str, minutes_left: i64) -> String;
    fn alert_backlog(&self, waiting: usize, threshold: u32) -> String;
    /// A technician's planned work for the day.
    fn planned_minutes(&self, minutes: u32) -> String;

    // — search and the customer form —

    // — errors —
    /// A write rule that refused the person, as one sentence that says what to do instead.
    fn denied(&self, denied: Denied) -> &'static str;
    /// A change that does not fit the records as they now are.
    fn clash(&self, clash: Clash) -> &'static str;
    /// A form field as its form labels it ("the first phone number"), never its wire name.
    fn field(&self, field: Field) -> String;
    /// A field that failed a check: what to do, by the field's label.
    fn invalid(&self, field: Field, problem: &Problem) -> String;

    // — imports —
    /// The field a column of an import file fills.
    fn import_target(&self, target: crate::import::Target) -> &'static str;
    fn import_problem(&self, problem: &crate::import::Problem) -> String;
    fn import_file_error(&self, error: &crate::import::FileError) -> String;
    fn import_mapping_error(&self, error: crate::import::columns::MappingError) -> String;
    /// Where in the file: "Row 4, column C “Phone”".
    fn import_place(&self, row: u32, column: Option<(u32, &str)>) -> String;
    fn import_read(
        &self,
        rows: u32,
        format: crate::import::Format,
        encoding: crate::import::Encoding,
    ) -> String;
    /// What the dry run found.
    fn import_summary(&self, report: &crate::import::Report) -> String;
    fn import_done(&self, report: &crate::import::Report) -> String;
    fn import_progress(&self, done: u32, total: u32) -> String;
    fn import_duplicate(
        &self,
        name: &str,
        existing: &str,
        number: &str,
        reason: crate::lookup::DuplicateReason,
    ) -> String;
    fn import_failed(&self, why: &str) -> String;
}

impl dyn Table {
    /// A skill's name in this language (the catalogue holds one per language).
    #[must_use]
    pub fn skill<'a>(&self, skill: &'a Skill) -> &'a str {
        match self.lang() {
            Lang::English => &skill.name_en,
            Lang::SimplifiedChinese => &skill.name_zh,
        }
    }
}

/// Declares [`Label`] and the list of all its values, for the tests that walk every word.
macro_rules! labels {
    ($($(#[$meta:meta])* $label:ident,)*) => {
        /// A fixed word or sentence: a button, a heading, a notice without data.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Label {
            $($(#[$meta])* $label,)*
        }

        impl Label {
            pub const ALL: &'static [Label] = &[$(Label::$label,)*];
        }
    };
}

// Grouped by the screens that use them; each group is in the same order in `en.rs` and
// `zh.rs`.
labels! {
    // — frame: sign-in, the bar at the top, sync, notices —
    AppName,
    Tagline,
    SignIn,
    SigningIn,
    Login,
    Password,
    SignOut,
    Loading,
    /// The server tells this device of changes as they happen.
    Live,
    Online,
    Offline,
    Syncing,
    SyncNow,
    LastSynced,
    Dismiss,
    Refused,
    Close,
    Back,
    Save,
    Cancel,
    Language,
    Reminders,
    AllowNotifications,
    CodeLabel,
    CodeHint,
    NoRole,
    RemoteWipe,
    SignInToChange,
    NoStore,
    EnterLoginAndPassword,
    WrongLoginOrPassword,
    CodeNeeded,
    CodeWrong,
    SecondFactorSetup,
    OfflineKept,
    SessionExpired,
    BadServerAddress,
    ServerRestored,
    // — technician —
    MyDay,
    Eta,
    Window,
    SlaBy,
    NoJobsToday,
    WaitingForPartsOrVisit,
    CustomerAssets,
    AssetWarranty,
    AssetMaintenanceDue,
    LastVisits,
    CustomerPurchases,
    JobHistory,
    CompletionForm,
    CompletionNotes,
    PartsUsed,
    PartsHint,
    CustomerSatisfaction,
    FirstVisitFix,
    CompleteJob,
    FollowUpForm,
    FollowUpReason,
    EnterFollowUpReason,
    FollowUpReasonTooLong,
    CompletionNotesTooLong,
    SatisfactionRange,
    // — sales —
    BadDateTime,
    NotMaintenance,
    FollowUps,
    Overdue,
    /// The follow-ups a person's day cannot hold.
    Backlog,
    BacklogByUrgency,
    BacklogOldest,
    BacklogMostValuable,
    /// Hands a follow-up on to a colleague.
    HandTo,
    RepsFollowUps,
    TypeAWholeNumber,
    TypeFourNumbers,
    NumbersTitle,
    NumbersRefresh,
    NumbersCsv,
    NumbersNone,
    NumbersByPerson,
    NumbersPerson,
    NumbersCompleted,
    AuditTitle,
    AuditShow,
    AuditMore,
    AuditAnyone,
    AuditAnything,
    AuditNone,
    PrivacyExportJson,
    PrivacyExportCsv,
    PrivacyErase,
    PrivacyConfirmErase,
    PrivacyKeep,
    PrivacySave,
    PrivacyErased,
    PurchaseRecord,
    PurchaseProduct,
    PurchaseQuantity,
    PurchaseAmount,
    PurchaseDate,
    PurchaseReceipt,
    PurchaseNeedsProduct,
    PurchaseBadQuantity,
    PurchaseBadAmount,
    PurchaseBadDate,
    Settings,
    PerDay,
    SettingBacklogAlert,
    SettingSlaRisk,
    SettingFollowUpCapacity,
    SettingNewLead,
    SettingStaleLead,
    SettingSatisfaction,
    SettingLowScore,
    SettingChurn,
    SettingWinBack,
    SettingNewWithin,
    SettingAtRiskAfter,
    SettingLapsedAfter,
    SettingRecencyTiers,
    SettingFrequencyTiers,
    SettingSpendTiers,
    SettingValueWindow,
    SettingAuditRetention,
    SettingVip,
    SettingMaintenance,
    SettingWarranty,
    SettingBirthday,
    // — back office —
    BackOffice,
    ToBoard,
    People,
    AddPerson,
    SignInName,
    PersonPhone,
    RolesLabel,
    StoresLabel,
    ActiveStatus,
    Deactivated,
    SetPassword,
    NewPassword,
    PasswordSet,
    Deactivate,
    Reactivate,
    HandOverTitle,
    CustomersTo,
    LeadsTo,
    FollowUpsTo,
    JobsTo,
    StoreKeeps,
    BackToQueue,
    ChooseSomeone,
    TechnicianProfile,
    SkillsLabel,
    WorkingDays,
    HoursFrom,
    HoursTo,
    BreakAt,
    BreakMinutes,
    HomeBase,
    MaxJobs,
    StoreLabel,
    AddStore,
    StoreNameLabel,
    FieldProvince,
    FieldCity,
    Position,
    TimeZone,
    OpeningHoursLabel,
    Catalogue,
    InterestCategories,
    Code,
    EnglishName,
    ChineseName,
    AddOrRename,
    TypeATime,
    TypeAPosition,
    TypeATimeZone,
    ChooseARole,
    PasswordLength,
    PickOnMap,
    ClickMapToPlace,
    PlaceCustomerHere,
    NotOnMap,
    ApproximateOnMap,
    FarFromMap,
    PositionUnknown,
    AllStores,
    StoreOwnRules,
    SlaTitle,
    ImportCustomers,
    ImportHint,
    ChooseFile,
    ReadingFile,
    ColumnInFile,
    ImportsAs,
    NotImported,
    FirstRows,
    StoreForRows,
    WhenAlreadyThere,
    DuplicateMerge,
    DuplicateSkip,
    DuplicateCreate,
    CheckRows,
    Checking,
    SkipProblemRows,
    RunImport,
    ImportProblems,
    LikelyDuplicates,
    ImportAnother,
    ImportNoProblems,
    MappingChanged,
    Today,
    Upcoming,
    NothingToFollowUp,
    Done,
    TomorrowMorning,
    InThreeDays,
    LogCall,
    LogVisit,
    OpenLead,
    BookVisit,
    Pipeline,
    WhatHappened,
    Timeline,
    LostReason,
    WonValue,
    NextFollowUp,
    Schedule,
    Reschedule,
    Due,
    ShowAll,
    FollowUpNote,
    Phone,
    Interest,
    ExpectedValue,
    Budget,
    StageMoved,
    SayWhyLost,
    EnterWonValue,
    WonValueNotAmount,
    WonValueTooLarge,
    PickDueTime,
    NoSuchTime,
    // — dispatcher —
    WindowBothEnds,
    Unassigned,
    NoJobsWaiting,
    Technicians,
    Alerts,
    Map,
    MapWithoutTiles,
    MapZoomIn,
    MapZoomOut,
    MapFit,
    MapProposedRoutes,
    Suggest,
    AssignTechnician,
    Reassign,
    CancelReason,
    PlanTheDay,
    AssignAnyway,
    ShortcutsHint,
    AnyStore,
    AnyService,
    AnyPriority,
    AnySkill,
    AtRiskOnly,
    SortBy,
    SortBySla,
    SortByPriority,
    SortByService,
    SortByStore,
    SortByWaiting,
    Undo,
    WhyAssign,
    SayWhyAssign,
    KeepAsItWas,
    PreviousDay,
    NextDay,
    /// Page through a list: the earlier and the later items.
    PreviousPage,
    NextPage,
    /// A technician's days away, on the board.
    Away,
    AbsenceFirstDay,
    AbsenceLastDay,
    RecordAbsence,
    BackAtWork,
    AbsenceDaysUnread,
    BackToToday,
    BoardDate,
    NotPossible,
    PlanChanges,
    Routes,
    LeftUnplaced,
    MarkDone,
    BreakStop,
    AnotherTechnician,
    NothingMoves,
    AlreadyAssigned,
    PinnedToOther,
    WindowUnreachable,
    OverCapacity,
    UnplacedNoSkills,
    UnplacedOutsideShift,
    UnplacedUnreachable,
    UnplacedOverMaxJobs,
    UnplacedOverCapacity,
    UnplacedNoRoom,
    UnplacedNoPosition,
    UnplacedWaitingForParts,
    DispatchNotAllowed,
    DispatchStoreMissing,
    DispatchNoJob,
    DispatchNoStore,
    DispatchStale,
    DispatchDayOver,
    DispatchJobClosed,
    DispatchJobNotOnDay,
    DispatchJobUnderway,
    DispatchJobNoPosition,
    DispatchJobWaitingForParts,
    DispatchDayInvalid,
    NewJob,
    JobCustomer,
    PickCustomer,
    JobService,
    JobPriority,
    JobDescription,
    JobMinutes,
    /// How many technicians a new job needs at once.
    JobCrew,
    JobSkills,
    JobWindow,
    WindowDay,
    WindowFrom,
    WindowTo,
    CreateJob,
    MinutesRange,
    WindowDayBad,
    WindowStartBad,
    WindowEndBad,
    WindowOrder,
    // — search and the customer form —
    EnterCustomerName,
    OnlyOwnerEdits,
    CustomerNotOnDevice,
    SearchPlaceholder,
    Edit,
    NewJobForCustomer,
    NothingFound,
    NewCustomer,
    CustomerForm,
    FieldName,
    FieldPhones,
    FieldDistrict,
    FieldStreet,
    FieldDetail,
    PossibleDuplicates,
    MergeIntoThis,
    Merge,
    NotTheSame,
    MatchName,
    MatchPhone,
    MatchAddress,
    MatchLead,
    MatchCustomerNumber,
    MatchSerialNumber,
    MatchJobNumber,
    SamePhone,
    SimilarNameNearby,
    Saving,
    // — conflicts: two edits of one field that crossed —
    Conflicts,
    NoConflicts,
    ConflictExplained,
    ConflictOnRecord,
    ConflictSetAside,
    ConflictByYou,
    ConflictByColleague,
    KeepMine,
    KeepTheirs,
    KeepThis,
    ConflictUseTyped,
    FieldPhoneNumbers,
    FieldAddress,
    FieldCustomerKind,
    FieldTags,
    FieldMarketingConsent,
    FieldBirthday,
    FieldTier,
    FieldCustomerOwner,
    ConsentGiven,
    ConsentNotGiven,
    // — errors —
}

/// Bytes as megabytes, the unit phones and browsers show storage in ("46 MB", "3.5 MB").
#[must_use]
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb < 10.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{mb:.0} MB")
    }
}
