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
mod zh;

use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::customers::{CustomerKind, Tier};
use crate::followups::Why;
use crate::followups::rules::Rule;
use crate::jobs::{FollowUpKind, JobAction, JobStatus, Priority, ServiceType};
use crate::leads::{InteractionKind, InterestCategory, LeadSource, Stage};
use crate::ops::RecordKind;
use crate::ops::{OpError, OpKind};
use crate::org::{OrgSettings, Role, Skill};

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
    /// "Could not save on this device: {detail}" (the detail is the storage's own message).
    fn not_saved(&self, detail: &str) -> String;
    /// The server refused `n` queued changes.
    fn server_refused_changes(&self, n: usize) -> String;
    /// The server refused a request as a whole; `detail` is its own message.
    fn server_refused(&self, detail: &str) -> String;
    /// `n` unsynced changes on this device belong to another user.
    fn others_changes(&self, n: usize) -> String;
    /// Stored data that could not be read at start-up (`what`: the storage's messages).
    fn unreadable(&self, what: &[String]) -> String;

    // — technician —

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

    // — search and the customer form —
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
    // — technician —
    MyDay,
    Eta,
    Window,
    SlaBy,
    // — sales —
    BadDateTime,
    NotMaintenance,
    FollowUps,
    Overdue,
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
    // — search and the customer form —
    EnterCustomerName,
    OnlyOwnerEdits,
    CustomerNotOnDevice,
    SearchPlaceholder,
    // — errors —
}
