//! The English table.

mod errors;
mod imports;
use chrono::Weekday;

use super::{Label, Lang, Table};
use crate::customers::{CustomerKind, Tier};
use crate::followups::Why;
use crate::followups::rules::Rule;
use crate::jobs::{FollowUpKind, JobAction, JobStatus, Priority, ServiceType};
use crate::leads::{InteractionKind, InterestCategory, LeadSource, Stage};
use crate::ops::{Clash, Denied, Field, OpError, OpKind, Problem, RecordKind};
use crate::org::{OrgSettings, Role};

pub struct En;

impl Table for En {
    fn lang(&self) -> Lang {
        Lang::English
    }

    fn label(&self, label: Label) -> &'static str {
        use Label as L;
        match label {
            // — frame —
            L::AppName => "Rounds",
            L::Tagline => "Field service and sales follow-up",
            L::SignIn => "Sign in",
            L::SigningIn => "Signing in…",
            L::Login => "Login",
            L::Password => "Password",
            L::SignOut => "Sign out",
            L::Loading => "Loading…",
            L::Live => "Live",
            L::Online => "Online",
            L::Offline => "Offline",
            L::Syncing => "Syncing…",
            L::SyncNow => "Sync now",
            L::LastSynced => "Last synced",
            L::Dismiss => "Dismiss",
            L::Refused => "Refused",
            L::Close => "Close",
            L::Back => "Back",
            L::Save => "Save",
            L::Cancel => "Cancel",
            L::Language => "Language",
            L::Reminders => "Reminders",
            L::AllowNotifications => "Allow notifications",
            L::CodeLabel => "6-digit code",
            L::CodeHint => "From your authenticator app; or one of your recovery codes.",
            L::NoRole => "This account has no role in Rounds yet.",
            L::RemoteWipe => {
                "This device was signed out by your organization and its data was removed."
            }
            L::SignInToChange => "Sign in to make changes.",
            L::NoStore => "Your account belongs to no store yet.",
            L::EnterLoginAndPassword => "Enter your login and password.",
            L::WrongLoginOrPassword => "Wrong login or password.",
            L::ServerRestored => {
                "The server was restored from a backup: this device is fetching everything again. Changes not yet synced are kept and will be sent."
            }
            L::CodeNeeded => {
                "Enter the 6-digit code from your authenticator app (or a recovery code)."
            }
            L::CodeWrong => "That code is not right, or was used already. Enter the current code.",
            L::SecondFactorSetup => {
                "Your organization requires a second sign-in step for admins. Set up an authenticator app in the web console first, then sign in here with its code."
            }
            L::OfflineKept => {
                "Offline: changes are kept on this device and will sync when the server can be reached."
            }
            L::SessionExpired => {
                "Your session has expired. Sign in again; your unsynced changes are kept."
            }
            L::BadServerAddress => {
                "The server address of this app is not valid; ask your administrator."
            }
            // — technician —
            L::Eta => "ETA",
            L::Window => "Window",
            L::SlaBy => "SLA by",
            L::MyDay => "My day",
            L::NoJobsToday => "No jobs today.",
            L::WaitingForPartsOrVisit => "Waiting for parts or a return visit",
            L::CustomerAssets => "Assets",
            L::AssetWarranty => "Warranty",
            L::AssetMaintenanceDue => "Maintenance due",
            L::LastVisits => "Last visits",
            L::CustomerPurchases => "Purchases",
            L::JobHistory => "History",
            L::CompletionForm => "Completion",
            L::CompletionNotes => "Notes",
            L::PartsUsed => "Parts used",
            L::PartsHint => "One per line, with a count when more than one: felt x2",
            L::CustomerSatisfaction => "Customer satisfaction (1–5)",
            L::FirstVisitFix => "Fixed on the first visit",
            L::CompleteJob => "Complete job",
            L::FollowUpForm => "Needs follow-up",
            L::FollowUpReason => "Reason",
            L::EnterFollowUpReason => {
                "Reason: say which part is needed, or why another visit is needed."
            }
            L::FollowUpReasonTooLong => "Reason: at most 200 characters. Shorten it.",
            L::CompletionNotesTooLong => "Notes: at most 4000 characters. Shorten them.",
            L::SatisfactionRange => {
                "Customer satisfaction: choose a score from 1 to 5, or “Not asked”."
            }
            // — sales —
            L::BadDateTime => "That date and time is not valid.",
            L::NotMaintenance => "This reminder is not about an asset's maintenance.",
            L::FollowUps => "Follow-ups",
            L::Overdue => "Overdue",
            L::Backlog => "Backlog",
            L::BacklogByUrgency => "Most urgent first",
            L::BacklogOldest => "Waiting longest first",
            L::BacklogMostValuable => "Most valuable first",
            L::HandTo => "Hand to…",
            L::RepsFollowUps => "Reps' follow-ups",
            L::TypeAWholeNumber => "Type a whole number.",
            L::TypeFourNumbers => "Type four whole numbers, separated by commas.",
            L::NumbersTitle => "Numbers",
            L::NumbersRefresh => "Work them out again",
            L::NumbersCsv => "Download as CSV",
            L::NumbersNone => "Nothing was completed, followed up or sold in these weeks.",
            L::NumbersByPerson => "By person, over these weeks",
            L::NumbersPerson => "Person",
            L::NumbersCompleted => "Jobs completed",
            L::AuditTitle => "Audit of reads and writes",
            L::AuditShow => "Show",
            L::AuditMore => "More entries",
            L::AuditAnyone => "Anyone",
            L::AuditAnything => "Anything",
            L::AuditNone => "Nothing in the audit matches.",
            L::PrivacyExportJson => "Export their data (JSON)",
            L::PrivacyExportCsv => "Export their data (CSV)",
            L::PrivacyErase => "Erase their personal data…",
            L::PrivacyConfirmErase => {
                "Erase for good: their name becomes their customer number; jobs and purchases stay"
            }
            L::PrivacyKeep => "Keep it",
            L::PrivacySave => "Save the export",
            L::PrivacyErased => "Personal data erased on request",
            L::PurchaseRecord => "Record a purchase",
            L::PurchaseProduct => "Product",
            L::PurchaseQuantity => "Quantity",
            L::PurchaseAmount => "Amount paid",
            L::PurchaseDate => "Day of the sale",
            L::PurchaseReceipt => "Receipt number (if any)",
            L::PurchaseNeedsProduct => "Say what was bought.",
            L::PurchaseBadQuantity => "Give the quantity as a whole number, 1 or more.",
            L::PurchaseBadAmount => "Give the amount paid, e.g. 1280 or 1,280.50.",
            L::PurchaseBadDate => "Give the day of the sale, e.g. 2026-12-08, not in the future.",
            L::Settings => "Settings",
            L::PerDay => "a day",
            L::SettingBacklogAlert => "Alert when more jobs than this wait for a technician",
            L::SettingSlaRisk => "A job is at risk this many minutes before its SLA deadline",
            L::SettingFollowUpCapacity => "Follow-ups a day holds (unless set for the person)",
            L::SettingNewLead => "New lead: first contact within (working minutes)",
            L::SettingStaleLead => "Stale lead: after (days without a step)",
            L::SettingSatisfaction => "Satisfaction call: after the visit (days)",
            L::SettingLowScore => "Low score: escalate at or below (1 to 5)",
            L::SettingChurn => "Churn risk: call when a customer's risk turns high",
            L::SettingWinBack => "Win-back: call lapsed customers who agreed to marketing",
            L::SettingNewWithin => "New customer: first purchase within (days)",
            L::SettingAtRiskAfter => "At risk: after (days without a purchase or visit)",
            L::SettingLapsedAfter => "Lapsed: after (days without a purchase or visit)",
            L::SettingRecencyTiers => {
                "Recency scores 5, 4, 3, 2: last purchase within (days, four rising)"
            }
            L::SettingFrequencyTiers => {
                "Frequency scores 2, 3, 4, 5: at least (purchases, four rising)"
            }
            L::SettingSpendTiers => "Spend scores 2, 3, 4, 5: at least (amounts, four rising)",
            L::SettingValueWindow => "Frequency and spend count the last (days)",
            L::SettingAuditRetention => "Keep the audit of reads and writes for (days)",
            L::SettingVip => "VIP check-in: every (days)",
            L::SettingMaintenance => "Maintenance reminders",
            L::SettingWarranty => "Warranty ending: days before",
            L::SettingBirthday => "Birthday greetings",
            L::BackOffice => "People and stores",
            L::ToBoard => "Board",
            L::People => "People",
            L::AddPerson => "Add a person",
            L::SignInName => "Sign-in name",
            L::PersonPhone => "Phone",
            L::RolesLabel => "Roles",
            L::StoresLabel => "Stores",
            L::ActiveStatus => "Active",
            L::Deactivated => "Deactivated",
            L::SetPassword => "Set password",
            L::NewPassword => "New password (8 to 200 characters)",
            L::PasswordSet => "Password set. Their sessions on other devices have ended.",
            L::Deactivate => "Deactivate",
            L::Reactivate => "Reactivate",
            L::HandOverTitle => "Deactivate, and hand over their open work",
            L::CustomersTo => "Their customers go to",
            L::LeadsTo => "Their open leads go to",
            L::FollowUpsTo => "Their open follow-ups go to",
            L::JobsTo => "Their jobs not started go to",
            L::StoreKeeps => "The store (no one in charge)",
            L::BackToQueue => "Back to the queue",
            L::ChooseSomeone => "Choose someone",
            L::TechnicianProfile => "Technician's profile",
            L::SkillsLabel => "Skills",
            L::WorkingDays => "Working days",
            L::HoursFrom => "From",
            L::HoursTo => "To",
            L::BreakAt => "Break at",
            L::BreakMinutes => "Break (minutes)",
            L::HomeBase => "Home base (latitude, longitude)",
            L::MaxJobs => "Most jobs a day",
            L::StoreLabel => "Store",
            L::AddStore => "Add a store",
            L::StoreNameLabel => "Store name",
            L::FieldProvince => "Province",
            L::FieldCity => "City",
            L::Position => "Map position (latitude, longitude)",
            L::TimeZone => "Time zone",
            L::OpeningHoursLabel => "Opening hours",
            L::Catalogue => "Skills and interests",
            L::InterestCategories => "Interest categories",
            L::Code => "Code",
            L::EnglishName => "English name",
            L::ChineseName => "Chinese name",
            L::AddOrRename => "Add, or rename a code",
            L::TypeATime => "Type a time as hours and minutes, such as 09:30.",
            L::TypeAPosition => {
                "Type the position as latitude and longitude, such as 31.23 and 121.47."
            }
            L::TypeATimeZone => "Type a time zone such as Asia/Shanghai.",
            L::ChooseARole => "Choose at least one role.",
            L::PasswordLength => "Give a password of 8 to 200 characters.",
            L::PickOnMap => "Pick the customer's place on the map",
            L::ClickMapToPlace => "Click the map where the customer is.",
            L::PlaceCustomerHere => "Put the customer on the map where you are",
            L::NotOnMap => "This customer has no map position yet: their jobs cannot be planned.",
            L::ApproximateOnMap => {
                "The map position is only the centre of the customer's district: confirm the place."
            }
            L::FarFromMap => "The customer's map position is far from where you are.",
            L::PositionUnknown => {
                "Where you are is not known yet: allow location for Rounds, then try again."
            }
            L::AllStores => "The whole organization",
            L::StoreOwnRules => "This store has follow-up rules of its own",
            L::SlaTitle => "Promised hours by tier and service (blank: the standard promise)",
            L::ImportCustomers => "Import customers",
            L::ImportHint => {
                "Bring customers and what they bought over from a CSV or Excel (.xlsx) file, as other CRMs, tills and spreadsheets export them. Nothing is written until you have seen what every row will become."
            }
            L::ChooseFile => "Choose a file",
            L::ReadingFile => "Reading the file…",
            L::ColumnInFile => "Column in the file",
            L::ImportsAs => "Imports as",
            L::NotImported => "(not imported)",
            L::FirstRows => "First rows",
            L::StoreForRows => "Store for rows that name none",
            L::WhenAlreadyThere => "When a customer seems to be in Rounds already",
            L::DuplicateMerge => "Add their purchases and numbers to that customer",
            L::DuplicateSkip => "Leave them out",
            L::DuplicateCreate => "Import them as a new customer",
            L::CheckRows => "Check every row",
            L::Checking => "Checking every row…",
            L::SkipProblemRows => "Import the rows without problems and leave the others out",
            L::RunImport => "Import",
            L::ImportProblems => "Problems",
            L::LikelyDuplicates => "Already in Rounds?",
            L::ImportAnother => "Import another file",
            L::ImportNoProblems => "Every row can be imported.",
            L::MappingChanged => {
                "The columns changed since the check: check again before importing."
            }
            L::Today => "Today",
            L::Upcoming => "Upcoming",
            L::NothingToFollowUp => "Nothing to follow up.",
            L::Done => "Done",
            L::TomorrowMorning => "Tomorrow morning",
            L::InThreeDays => "In 3 days",
            L::LogCall => "Log call",
            L::LogVisit => "Log visit",
            L::OpenLead => "Open lead",
            L::BookVisit => "Book a visit",
            L::Pipeline => "Pipeline",
            L::WhatHappened => "What happened?",
            L::Timeline => "Timeline",
            L::LostReason => "Lost reason",
            L::WonValue => "Won value",
            L::NextFollowUp => "Next follow-up",
            L::Schedule => "Schedule",
            L::Reschedule => "Reschedule",
            L::Due => "Due",
            L::ShowAll => "Show all",
            L::FollowUpNote => "Notes",
            L::Phone => "Phone",
            L::Interest => "Interest",
            L::ExpectedValue => "Expected value",
            L::Budget => "Budget",
            L::StageMoved => "Stage",
            L::SayWhyLost => "Say why the lead was lost.",
            L::EnterWonValue => "Enter the won value, e.g. 12,800.",
            L::WonValueNotAmount => {
                "Enter the won value as an amount in whole units, e.g. 12,800 or 12,800.50."
            }
            L::WonValueTooLarge => "That won value is too large; check the amount.",
            L::PickDueTime => "Pick the date and time of the follow-up.",
            L::NoSuchTime => {
                "That time does not exist in the store's time zone (the clocks change); pick another."
            }
            // — dispatcher —
            L::WindowBothEnds => "Give both the start and the end of the window.",
            L::Unassigned => "Unassigned",
            L::NoJobsWaiting => "No jobs waiting.",
            L::Technicians => "Technicians",
            L::Alerts => "Alerts",
            L::Map => "Map",
            L::MapWithoutTiles => {
                "Map without tiles: positions are plotted by longitude and latitude."
            }
            L::MapZoomIn => "Zoom in",
            L::MapZoomOut => "Zoom out",
            L::MapFit => "Show all",
            L::MapProposedRoutes => "Dashed: the proposed plan's routes.",
            L::Suggest => "Suggest",
            L::AssignTechnician => "Assign",
            L::Reassign => "Reassign",
            L::CancelReason => "Reason",
            L::PlanTheDay => "Plan the day",
            L::AssignAnyway => "Assign anyway",
            L::ShortcutsHint => {
                "Keys: J and K next and previous job · S suggest · A assign the first choice · U undo"
            }
            L::AnyStore => "Every store",
            L::AnyService => "Every service",
            L::AnyPriority => "Every priority",
            L::AnySkill => "Any skill",
            L::AtRiskOnly => "SLA at risk only",
            L::SortBy => "Sort by",
            L::SortBySla => "SLA deadline",
            L::SortByPriority => "Priority",
            L::SortByService => "Service",
            L::SortByStore => "Store",
            L::SortByWaiting => "Waiting longest",
            L::Undo => "Undo",
            L::WhyAssign => "Why this technician",
            L::SayWhyAssign => "Say why this technician should take it.",
            L::KeepAsItWas => "Leave it",
            L::Away => "Away…",
            L::AbsenceFirstDay => "First day",
            L::AbsenceLastDay => "Last day",
            L::RecordAbsence => "Record and re-plan",
            L::BackAtWork => "Back at work",
            L::AbsenceDaysUnread => "Give the first and the last day away.",
            L::PreviousPage => "Previous",
            L::NextPage => "More",
            L::PreviousDay => "Previous day",
            L::NextDay => "Next day",
            L::BackToToday => "Today",
            L::BoardDate => "Day shown",
            L::NotPossible => "Not possible",
            L::PlanChanges => "Changes",
            L::Routes => "Routes",
            L::LeftUnplaced => "Left unplaced",
            L::MarkDone => "Done",
            L::BreakStop => "Break",
            L::AnotherTechnician => "another technician",
            L::NothingMoves => "no other visit moves",
            L::AlreadyAssigned => "already assigned",
            L::PinnedToOther => "the job stays with its assigned technician",
            L::WindowUnreachable => {
                "cannot reach it within its window without making another visit late or working past the end of the shift"
            }
            L::OverCapacity => "the van has no room for the job's load",
            L::UnplacedNoSkills => "no technician working that day has the skills",
            L::UnplacedOutsideShift => {
                "its windows are outside the hours of every qualified technician"
            }
            L::UnplacedUnreachable => "no qualified technician can reach it within its window",
            L::UnplacedOverMaxJobs => {
                "every qualified technician already has their most jobs for the day"
            }
            L::UnplacedOverCapacity => "no qualified technician's van has room for it",
            L::UnplacedNoRoom => {
                "it would fit alone, but the day is full: another job would have to go"
            }
            L::UnplacedNoPosition => "the service address has no map position",
            L::UnplacedWaitingForParts => "waiting for parts",
            L::DispatchNotAllowed => "Only dispatchers can plan and ask for suggestions.",
            L::DispatchStoreMissing => {
                "This device does not have the store's details yet; sync first."
            }
            L::DispatchNoJob => "No such job on this device.",
            L::DispatchNoStore => "You do not dispatch for any store.",
            L::DispatchStale => {
                "Jobs or technicians changed since that plan was made. This is the plan for the day as it is now; accept again to make it."
            }
            L::DispatchDayOver => "That day is over in the store's time zone.",
            L::DispatchJobClosed => "The job is not open.",
            L::DispatchJobNotOnDay => "The job's windows are all on other days.",
            L::DispatchJobUnderway => "The job is already under way.",
            L::DispatchJobNoPosition => "The job's service address has no map position.",
            L::DispatchJobWaitingForParts => "The job is waiting for parts.",
            L::DispatchDayInvalid => {
                "The records of that day do not make a day the planner can read; tell your administrator."
            }
            L::NewJob => "New job",
            L::JobCustomer => "Customer",
            L::PickCustomer => "Pick a customer from the search results.",
            L::JobService => "Service",
            L::JobPriority => "Priority",
            L::JobDescription => "Description",
            L::JobMinutes => "Minutes",
            L::JobCrew => "Technicians",
            L::JobSkills => "Skills needed",
            L::JobWindow => "Customer's window",
            L::WindowDay => "Day",
            L::WindowFrom => "From",
            L::WindowTo => "To",
            L::CreateJob => "Create job",
            L::MinutesRange => "Give the visit's length in minutes, from 5 to 1440.",
            L::WindowDayBad => "Give the window's day as a date, like 2026-11-23.",
            L::WindowStartBad => "Give the window's start as a time, like 09:30.",
            L::WindowEndBad => "Give the window's end as a time, like 17:00.",
            L::WindowOrder => "The window must end after it starts.",
            // — search and the customer form —
            L::EnterCustomerName => "Enter the customer's name.",
            L::OnlyOwnerEdits => {
                "Only the rep who looks after this customer, or a manager of the store, can edit it."
            }
            L::CustomerNotOnDevice => "That customer is not on this device.",
            L::SearchPlaceholder => "Search customers: name, pinyin, phone, address",
            L::Edit => "Edit",
            L::NewJobForCustomer => "New job for this customer",
            L::NothingFound => "Nothing found.",
            L::NewCustomer => "New customer",
            L::CustomerForm => "Customer",
            L::FieldName => "Name",
            L::FieldPhones => "Phone numbers (separate with commas)",
            L::FieldDistrict => "District",
            L::FieldStreet => "Street",
            L::FieldDetail => "Building, floor, room",
            L::PossibleDuplicates => "Possible duplicates",
            L::MergeIntoThis => "Merge into this",
            L::Merge => "Merge",
            L::NotTheSame => "Not the same",
            L::MatchName => "Name",
            L::MatchPhone => "Phone",
            L::MatchAddress => "Address",
            L::MatchLead => "Lead",
            L::MatchCustomerNumber => "Customer number",
            L::MatchSerialNumber => "Serial number",
            L::MatchJobNumber => "Job number",
            L::SamePhone => "Same phone number",
            L::SimilarNameNearby => "Similar name nearby",
            L::Saving => "Saving…",
            // — conflicts —
            L::Conflicts => "Conflicts",
            L::NoConflicts => "No conflicts to settle.",
            L::ConflictExplained => {
                "Two people changed this without seeing each other's change. The later change is on the record; the other is kept here until you choose."
            }
            L::ConflictOnRecord => "On the record now",
            L::ConflictSetAside => "Set aside",
            L::ConflictByYou => "You",
            L::ConflictByColleague => "A colleague",
            L::KeepMine => "Keep mine",
            L::KeepTheirs => "Keep theirs",
            L::KeepThis => "Keep this",
            L::ConflictUseTyped => "Use this instead",
            L::FieldPhoneNumbers => "Phone numbers",
            L::FieldAddress => "Address",
            L::FieldCustomerKind => "Customer type",
            L::FieldTags => "Tags",
            L::FieldMarketingConsent => "Marketing consent",
            L::FieldBirthday => "Birthday",
            L::FieldTier => "Membership tier",
            L::FieldCustomerOwner => "Sales rep",
            L::ConsentGiven => "Agreed to marketing",
            L::ConsentNotGiven => "No marketing",
            // — errors —
        }
    }

    fn holdings(&self, customers: usize, leads: usize, follow_ups: usize, jobs: usize) -> String {
        let count = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let parts: Vec<String> = [
            count(customers, "customer", "customers"),
            count(leads, "open lead", "open leads"),
            count(follow_ups, "open follow-up", "open follow-ups"),
            count(jobs, "job not started", "jobs not started"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "Holds no open work".into()
        } else {
            format!("Holds {}", parts.join(", "))
        }
    }

    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Admin => "Admin",
            Role::Dispatcher => "Dispatcher",
            Role::Technician => "Technician",
            Role::Sales => "Sales",
        }
    }

    fn status(&self, status: JobStatus) -> &'static str {
        match status {
            JobStatus::New => "New",
            JobStatus::Assigned => "Assigned",
            JobStatus::EnRoute => "En route",
            JobStatus::OnSite => "On site",
            JobStatus::Completed => "Completed",
            JobStatus::NeedsFollowUp => "Needs follow-up",
            JobStatus::Cancelled => "Cancelled",
        }
    }

    fn action(&self, action: JobAction) -> &'static str {
        match action {
            JobAction::Assign => "Assign",
            JobAction::Unassign => "Unassign",
            JobAction::StartTravel => "Start travel",
            JobAction::Arrive => "Arrived",
            JobAction::Complete => "Complete",
            JobAction::NeedFollowUp => "Needs follow-up",
            JobAction::Cancel => "Cancel job",
        }
    }

    fn service(&self, service: ServiceType) -> &'static str {
        match service {
            ServiceType::Tuning => "Tuning",
            ServiceType::Repair => "Repair",
            ServiceType::EmergencyRepair => "Emergency repair",
            ServiceType::Installation => "Installation",
            ServiceType::Maintenance => "Maintenance",
            ServiceType::Inspection => "Inspection",
        }
    }

    fn priority(&self, priority: Priority) -> &'static str {
        match priority {
            Priority::Low => "Low",
            Priority::Normal => "Normal",
            Priority::High => "High",
            Priority::Urgent => "Urgent",
        }
    }

    fn tier(&self, tier: Tier) -> &'static str {
        match tier {
            Tier::Standard => "Standard",
            Tier::Silver => "Silver",
            Tier::Gold => "Gold",
            Tier::Diamond => "Diamond",
        }
    }

    fn customer_kind(&self, kind: CustomerKind) -> &'static str {
        match kind {
            CustomerKind::Individual => "Individual",
            CustomerKind::Institution => "Institution",
            CustomerKind::Business => "Business",
        }
    }

    fn stage(&self, stage: Stage) -> &'static str {
        match stage {
            Stage::New => "New",
            Stage::Contacted => "Contacted",
            Stage::Qualified => "Qualified",
            Stage::Proposal => "Proposal",
            Stage::Won => "Won",
            Stage::Lost => "Lost",
        }
    }

    fn lead_source(&self, source: LeadSource) -> &'static str {
        match source {
            LeadSource::WalkIn => "Walk-in",
            LeadSource::Phone => "Phone",
            LeadSource::Website => "Website",
            LeadSource::Referral => "Referral",
            LeadSource::Event => "Event",
            LeadSource::Campaign => "Campaign",
        }
    }

    fn interaction(&self, kind: InteractionKind) -> &'static str {
        match kind {
            InteractionKind::Call => "Call",
            InteractionKind::Visit => "Visit",
            InteractionKind::Message => "Message",
            InteractionKind::Note => "Note",
        }
    }

    fn follow_up_kind(&self, kind: FollowUpKind) -> &'static str {
        match kind {
            FollowUpKind::Parts => "Needs parts",
            FollowUpKind::ReturnVisit => "Return visit",
        }
    }

    fn record_kind(&self, kind: RecordKind) -> &'static str {
        match kind {
            RecordKind::Organization => "organization",
            RecordKind::Store => "store",
            RecordKind::User => "user",
            RecordKind::Technician => "technician",
            RecordKind::Customer => "customer",
            RecordKind::Asset => "asset",
            RecordKind::Job => "job",
            RecordKind::Lead => "lead",
            RecordKind::Interaction => "interaction",
            RecordKind::FollowUp => "follow-up",
            RecordKind::Conflict => "conflict",
            RecordKind::Purchase => "purchase",
        }
    }

    fn op_error(&self, error: &OpError) -> String {
        errors::op_error(self, error)
    }

    fn op_summary(&self, kind: &OpKind) -> String {
        match kind {
            OpKind::CreateCustomer(c) => format!("New customer {}", c.name),
            OpKind::UpdateCustomer { .. } => "Customer details".into(),
            OpKind::AddAsset(a) => format!("New asset {}", a.product),
            OpKind::EraseCustomer { .. } => "Erasure of a customer's personal data".into(),
            OpKind::RecordPurchase(p) => match p.items.first() {
                Some(i) => format!("Purchase of {}", i.product),
                None => "Purchase".into(),
            },
            OpKind::CreateJob(_) => "New job".into(),
            OpKind::AssignJob { .. } => "Job assignment".into(),
            OpKind::UnassignJob { .. } => "Job unassignment".into(),
            OpKind::StartTravel { .. } => "En route".into(),
            OpKind::Arrive { .. } => "On site".into(),
            OpKind::CompleteJob { .. } => "Job completion".into(),
            OpKind::NeedFollowUp { .. } => "Job follow-up".into(),
            OpKind::CancelJob { .. } => "Job cancellation".into(),
            OpKind::CreateLead(l) => format!("New lead {}", l.name),
            OpKind::MoveLead { to, .. } => format!("Lead moved to {}", self.stage(*to)),
            OpKind::LogInteraction(_) => "Logged interaction".into(),
            OpKind::CreateFollowUp(_) => "New follow-up".into(),
            OpKind::CompleteFollowUp { .. } => "Follow-up done".into(),
            OpKind::SnoozeFollowUp { .. } => "Follow-up snoozed".into(),
            OpKind::RescheduleFollowUp { .. } => "Follow-up rescheduled".into(),
            OpKind::ReassignFollowUp { .. } => "Follow-up reassigned".into(),
            OpKind::MergeCustomers { .. } => "Customer merge".into(),
            OpKind::RecordAbsence { .. } => "Absence".into(),
            OpKind::CancelAbsence { .. } => "Absence taken back".into(),
            OpKind::SetUserActive { active: true, .. } => "Account reactivation".into(),
            OpKind::SetUserActive { active: false, .. } => "Account deactivation".into(),
            OpKind::ResolveConflict { .. } => "Conflict resolution".into(),
            OpKind::SetFollowUpCapacity { .. } => "Daily follow-ups".into(),
            OpKind::UpdateSettings(_) => "Settings".into(),
            OpKind::PlaceCustomer { .. } => "Customer's map position".into(),
            OpKind::CreateUser(_) => "New person".into(),
            OpKind::UpdateUser { .. } => "Person's details".into(),
            OpKind::DeactivateUser { .. } => "Deactivation and hand-over".into(),
            OpKind::SaveStore(_) => "Store".into(),
            OpKind::SaveTechnician(_) => "Technician's profile".into(),
            OpKind::SaveSkill(_) => "Skill".into(),
            OpKind::SaveInterest(_) => "Interest category".into(),
        }
    }

    fn pending_changes(&self, n: u32) -> String {
        match n {
            1 => "1 change waiting to sync".into(),
            n => format!("{n} changes waiting to sync"),
        }
    }

    fn conflicts_waiting(&self, n: u32) -> String {
        match n {
            1 => "1 conflict to settle".into(),
            n => format!("{n} conflicts to settle"),
        }
    }

    fn not_saved(&self, detail: &str) -> String {
        format!("Could not save on this device: {detail}")
    }

    fn in_conflict(&self) -> String {
        "In conflict: see the conflicts".into()
    }

    fn waiting_to_sync(&self) -> String {
        "Waiting to sync".into()
    }

    fn refused_because(&self, reason: &str) -> String {
        format!("Not saved by the server: {reason}")
    }

    fn storage_full(&self) -> String {
        "This device's storage for Rounds is full. New changes are kept until the app closes \
         and sent when it syncs; free some space to keep them on the device."
            .into()
    }

    fn storage_usage(&self, used_bytes: u64, quota_bytes: u64) -> String {
        format!(
            "Storage on this device: {} of {} used",
            super::megabytes(used_bytes),
            super::megabytes(quota_bytes)
        )
    }

    fn saving_changes(&self, n: u32) -> String {
        match n {
            1 => "Saving 1 change on this device…".into(),
            n => format!("Saving {n} changes on this device…"),
        }
    }

    fn server_refused_changes(&self, n: usize) -> String {
        match n {
            1 => "The server refused 1 change; see why below.".into(),
            n => format!("The server refused {n} changes; see why below."),
        }
    }

    fn server_refused(&self, detail: &str) -> String {
        format!("The server refused the request: {detail}")
    }

    fn others_changes(&self, n: usize) -> String {
        format!(
            "{n} unsynced changes on this device belong to another user; sign in as that user first so nothing is lost."
        )
    }

    fn clock_off(&self, minutes: i64) -> String {
        let (how, by) = if minutes > 0 {
            ("slow", minutes)
        } else {
            ("fast", -minutes)
        };
        let by = if by >= 120 {
            format!("{} hours", by / 60)
        } else {
            format!("{by} minutes")
        };
        format!(
            "This device's clock is {by} {how}. Changes are stamped with the server's time; set the clock to update automatically."
        )
    }

    fn job_moved(&self, job: &str, address: &str) -> String {
        format!("The address of {job} has changed: drive to {address}")
    }

    fn unreadable(&self, what: &[String]) -> String {
        format!(
            "Some data on this device could not be read and will be fetched again: {}",
            what.join("; ")
        )
    }

    // — technician —
    fn warranty(&self, status: crate::customers::WarrantyStatus) -> String {
        use crate::customers::WarrantyStatus as W;
        match status {
            W::None => "No warranty".into(),
            W::Active { days_left: ..=0 } => "Under warranty, last day today".into(),
            W::Active { days_left: 1 } => "Under warranty, 1 day left".into(),
            W::Active { days_left } => format!("Under warranty, {days_left} days left"),
            W::Expired => "Warranty expired".into(),
        }
    }

    fn audit_what(&self, what: &crate::audit::AuditWhat) -> String {
        use crate::audit::AuditWhat as W;
        match what {
            W::Op {
                kind,
                applied: true,
                changed,
                ..
            } => format!("{kind}: applied ({} records changed)", changed.len()),
            W::Op { kind, detail, .. } => format!("{kind}: refused ({detail})"),
            W::UnmaskedRead { keys } => {
                format!("Personal data of {} records read unmasked", keys.len())
            }
            W::DeviceSignOut {
                device_id, wiped, ..
            } => {
                if *wiped {
                    format!("Device {device_id} told to wipe itself")
                } else {
                    format!("Device {device_id} signed out remotely")
                }
            }
            W::Search {
                query,
                results,
                masked,
            } => format!("Searched “{query}”: {results} results, {masked} masked"),
            W::LoginFailed { login, address, .. } => format!(
                "Sign-in failed for {login}{}",
                address
                    .as_ref()
                    .map(|a| format!(" from {a}"))
                    .unwrap_or_default()
            ),
            W::LoginThrottled { login, .. } => format!("Sign-ins to {login} slowed down"),
            W::PasswordSet { .. } => "Set a person's password".into(),
            W::SessionsEnded { .. } => "Ended every session of a person".into(),
            W::SecondFactorEnrolled => "Set up a second factor".into(),
            W::RecoveryCodeUsed { left } => format!("Signed in with a recovery code ({left} left)"),
            W::Export { format, .. } => format!("Exported a customer's data ({format})"),
            W::ExportRefused { .. } => "Asked for a customer's data and was refused".into(),
        }
    }

    fn audit_kind(&self, kind: crate::audit::AuditKind) -> &'static str {
        use crate::audit::AuditKind as K;
        match kind {
            K::Op => "Changes",
            K::UnmaskedRead => "Reads of personal data",
            K::Search => "Searches",
            K::Export => "Exports",
            K::ExportRefused => "Refused exports",
            K::LoginFailed => "Failed sign-ins",
            K::DeviceSignOut => "Devices signed out",
            K::PasswordSet => "Passwords set",
            K::SessionsEnded => "Sessions ended",
        }
    }

    fn kpi(&self, kpi: crate::kpis::Kpi) -> &'static str {
        use crate::kpis::Kpi as K;
        match kpi {
            K::FirstTimeFix => "First-time fix rate",
            K::SlaCompliance => "SLA compliance",
            K::ResponseMinutes => "Response time (created to on site, median)",
            K::JobsPerDay => "Jobs per technician-day",
            K::TravelShare => "Travel against time on the job (travel's share)",
            K::FollowUpsOnTime => "Follow-ups done on time",
            K::LeadConversion => "Lead conversion",
            K::RepeatPurchase => "Repeat purchase rate",
        }
    }

    fn weeks_back(&self, weeks: u8) -> String {
        format!("Last {weeks} weeks")
    }

    fn days_back(&self, days: u16) -> String {
        match days {
            1 => "Last day".into(),
            n => format!("Last {n} days"),
        }
    }

    fn lifecycle(&self, stage: crate::purchases::value::Lifecycle) -> &'static str {
        use crate::purchases::value::Lifecycle as L;
        match stage {
            L::New => "New customer",
            L::Active => "Active",
            L::AtRisk => "At risk",
            L::Lapsed => "Lapsed",
        }
    }

    fn churn_risk(&self, risk: crate::purchases::value::ChurnRisk) -> &'static str {
        use crate::purchases::value::ChurnRisk as C;
        match risk {
            C::Low => "Churn risk: low",
            C::Medium => "Churn risk: medium",
            C::High => "Churn risk: high",
        }
    }

    fn value_summary(
        &self,
        v: &crate::purchases::value::Value,
        window_days: u32,
        currency: &str,
    ) -> String {
        if v.lifetime_purchases == 0 {
            return format!("No purchase yet; {} days since last seen", v.days_quiet);
        }
        let times = match v.purchases_in_window {
            1 => "once".to_owned(),
            n => format!("{n} times"),
        };
        let mut s = format!(
            "Bought {times} for {} in the last {window_days} days; last seen {} days ago",
            self.money(v.spend_in_window, currency),
            v.days_quiet
        );
        if v.purchases_in_window == 0 {
            s = format!(
                "Nothing bought in the last {window_days} days ({} in all); last seen {} days ago",
                self.money(v.lifetime_spend, currency),
                v.days_quiet
            );
        }
        if let Some(gap) = v.usual_gap_days {
            s.push_str(&format!(", usually every {gap} days"));
        }
        s
    }

    fn satisfaction_choice(&self, score: Option<u8>) -> String {
        match score {
            None => "Not asked".into(),
            Some(n @ ..=1) => format!("{n} · Very unhappy"),
            Some(2) => "2 · Unhappy".into(),
            Some(3) => "3 · Neither happy nor unhappy".into(),
            Some(4) => "4 · Happy".into(),
            Some(n) => format!("{n} · Very happy"),
        }
    }

    fn parts_error(&self, error: &crate::jobs::parts::PartsError) -> String {
        use crate::jobs::parts::{MAX_ITEM_CHARS, MAX_PARTS, MAX_QUANTITY, PartsProblem as P};
        let what = match error.problem {
            P::NoItem => "write the part's name before its count, as in “felt x2”.".to_owned(),
            P::Quantity => format!(
                "the count must be a whole number from 1 to {MAX_QUANTITY}; correct it, or leave it out for one part."
            ),
            P::ItemTooLong => {
                format!("the part's name is longer than {MAX_ITEM_CHARS} characters; shorten it.")
            }
            P::TooMany => format!(
                "at most {MAX_PARTS} lines; put a part used more than once on one line with its count, as in “felt x2”."
            ),
        };
        format!(
            "{}, line {} (“{}”): {what}",
            self.label(Label::PartsUsed),
            error.line,
            error.excerpt()
        )
    }

    // — sales —
    fn follow_up_task(&self, rule: Option<Rule>) -> &'static str {
        match rule {
            None => "Follow-up",
            Some(Rule::FirstContact) => "First contact",
            Some(Rule::Cadence) => "Follow up on the lead",
            Some(Rule::StaleLead) => "Stale lead: revive or close",
            Some(Rule::StaleLeadManager) => "Stale lead in your store",
            Some(Rule::SatisfactionCall) => "Satisfaction call",
            Some(Rule::LowScoreEscalation) => "Escalation: unhappy customer",
            Some(Rule::LowScoreRep) => "Unhappy customer: call back",
            Some(Rule::Churn) => "Churn risk: get back in touch",
            Some(Rule::WinBack) => "Lapsed: win them back",
            Some(Rule::VipCheckIn) => "VIP check-in",
            Some(Rule::Maintenance(_)) => "Maintenance due: book a visit",
            Some(Rule::Warranty(_)) => "Warranty ending: offer an extension",
            Some(Rule::Birthday) => "Birthday greeting",
        }
    }

    fn follow_up_why(&self, why: &Why, org: &OrgSettings) -> String {
        match why {
            Why::FirstContact { interest } => format!(
                "New lead: first contact ({})",
                self.interest_name(org, interest)
            ),
            Why::Cadence { step, of } => format!("Cadence step {step} of {of}"),
            Why::NoContact { days } => format!("No contact for {days} days"),
            Why::JobDone { job } => format!("How did job {job} go?"),
            Why::LowScore { job, score } => format!("Customer scored job {job} {score}/5"),
            Why::NoPurchase { since, months } => {
                format!("No purchase or service since {since} ({months} months)")
            }
            Why::ChurnRisk {
                since,
                usual_gap_days: Some(gap),
            } => format!("Usually back every {gap} days; nothing since {since}"),
            Why::ChurnRisk {
                since,
                usual_gap_days: None,
            } => format!("At risk: no purchase or service since {since}"),
            Why::Lapsed { since } => {
                format!("Lapsed: no purchase or service since {since}; win them back")
            }
            Why::Vip { spend } => format!(
                "VIP: {} bought in the last 12 months",
                self.money(*spend, &org.currency)
            ),
            Why::ServiceDue {
                product,
                serial,
                due,
            } => format!("{product} ({serial}): service due {due}"),
            Why::WarrantyEnds {
                product,
                serial,
                end,
            } => format!("{product} ({serial}): warranty ends {end}"),
            Why::Birthday { day } => format!("Birthday on {}", day.format("%m-%d")),
        }
    }

    fn interest<'a>(&self, category: &'a InterestCategory) -> &'a str {
        &category.name_en
    }

    fn money(&self, minor: i64, currency: &str) -> String {
        let sign = match currency {
            "CNY" => "¥",
            "USD" => "$",
            "EUR" => "€",
            "GBP" => "£",
            "JPY" => "JP¥",
            "HKD" => "HK$",
            _ => "",
        };
        let digits = crate::money::digits(minor, currency);
        let (minus, digits) = match digits.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", digits.as_str()),
        };
        if sign.is_empty() {
            format!("{minus}{currency} {digits}")
        } else {
            format!("{minus}{sign}{digits}")
        }
    }

    fn reminder_title(&self, task: &str, who: Option<&str>) -> String {
        match who {
            Some(who) => format!("{task}: {who}"),
            None => task.to_owned(),
        }
    }

    fn reminder_body(&self, about: &[&str], due: &str) -> String {
        match about.join(" · ") {
            about if about.is_empty() => format!("Due {due}"),
            about => format!("{about} · due {due}"),
        }
    }

    fn move_to(&self, stage: Stage) -> String {
        format!("Move to {}", self.stage(stage))
    }

    fn stage_change(&self, from: Stage, to: Stage) -> String {
        format!("{} → {}", self.stage(from), self.stage(to))
    }

    fn pipeline_summary(&self, conversion_days: Option<u32>, on_time_pct: Option<u8>) -> String {
        let days = match conversion_days {
            Some(1) => "1 day".to_owned(),
            Some(n) => format!("{n} days"),
            None => "—".to_owned(),
        };
        let on_time = on_time_pct.map_or("—".to_owned(), |p| format!("{p}%"));
        format!("Won in {days} on average · Follow-ups on time: {on_time}")
    }

    fn win_rate(&self, source: LeadSource, won: u32, lost: u32, pct: u8) -> String {
        format!(
            "{}: {pct}% won ({won} won, {lost} lost)",
            self.lead_source(source)
        )
    }

    fn maintenance_visit(&self, product: &str, serial: &str) -> String {
        format!("Routine maintenance: {product} ({serial})")
    }

    // — dispatcher —

    fn distance(&self, metres: i64) -> String {
        format!("{} km", super::km(metres))
    }

    fn duration(&self, seconds: i64) -> String {
        match super::whole_minutes(seconds) {
            m if m >= 60 => format!("{} h {} min", m / 60, m % 60),
            m => format!("{m} min"),
        }
    }

    fn weekday(&self, day: Weekday) -> &'static str {
        match day {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        }
    }

    fn board_day(&self, date: chrono::NaiveDate, from_today: i64) -> String {
        use chrono::Datelike;
        let day = format!(
            "{} {} {}",
            self.weekday(date.weekday()),
            date.day(),
            date.format("%B")
        );
        match from_today {
            0 => format!("Today, {day}"),
            1 => format!("Tomorrow, {day}"),
            -1 => format!("Yesterday, {day}"),
            _ => day,
        }
    }

    fn page_of(&self, first: usize, last: usize, total: usize) -> String {
        format!("{first}–{last} of {total}")
    }

    fn waiting_shown(&self, shown: usize, total: usize) -> String {
        if shown == total {
            format!("{total} waiting")
        } else {
            format!("{shown} of {total} waiting")
        }
    }

    fn step_place(&self, metres_from_address: Option<i64>) -> String {
        match metres_from_address {
            Some(m) if m <= 200 => "at the address".into(),
            Some(m) => format!("{} from the address", self.distance(m)),
            None => "located".into(),
        }
    }

    fn assigned_to(&self, job: &str, technician: &str, eta: Option<&str>) -> String {
        match eta {
            Some(at) => format!("{job} assigned to {technician}, arriving {at}"),
            None => format!("{job} assigned to {technician}"),
        }
    }

    fn assign_anyway(&self, job: &str, technician: &str) -> String {
        format!("Assign {job} to {technician} anyway?")
    }

    fn who_should_take(&self, job: &str) -> String {
        format!("Who should take {job}?")
    }

    fn added_driving(&self, metres: i64, seconds: i64) -> String {
        format!("+{}, +{}", self.distance(metres), self.duration(seconds))
    }

    fn reason_driving(&self, metres: i64, seconds: i64) -> String {
        format!(
            "adds {} and {} of driving",
            self.distance(metres),
            self.duration(seconds)
        )
    }

    fn reason_starts_at(&self, clock: &str) -> String {
        format!("can start at {clock}")
    }

    fn reason_before_sla(&self, seconds: i64) -> String {
        format!(
            "finishes {} before the SLA deadline",
            self.duration(seconds)
        )
    }

    fn reason_misses_sla(&self, seconds: i64) -> String {
        format!("misses the SLA deadline by {}", self.duration(seconds))
    }

    fn reason_moves(&self, visits: u32, most_seconds: i64) -> String {
        let s = if visits == 1 { "" } else { "s" };
        format!(
            "moves {visits} later visit{s} by up to {}",
            self.duration(most_seconds)
        )
    }

    fn reason_brings_forward(&self, visits: u32, most_seconds: i64) -> String {
        let s = if visits == 1 { "" } else { "s" };
        format!(
            "brings {visits} later visit{s} forward by up to {}: the roads are faster by then",
            self.duration(most_seconds)
        )
    }

    fn away(&self, kind: crate::org::AbsenceKind) -> &'static str {
        use crate::org::AbsenceKind as K;
        match kind {
            K::Sick => "off sick",
            K::Leave => "on leave",
            K::Training => "at training",
        }
    }

    fn off_that_day(&self, day: Weekday) -> String {
        format!("does not work on {}", self.weekday(day))
    }

    fn outside_shift(&self, from: &str, to: &str) -> String {
        format!("works {from}–{to}; the job's windows are outside those hours")
    }

    fn over_max_jobs(&self, max: u32) -> String {
        format!("already has the most jobs allowed in a day ({max})")
    }

    fn missing_skills(&self, skills: &[&str]) -> String {
        format!("lacks {}", skills.join(", "))
    }

    fn no_suggestion(&self, job: &str, why: &str) -> String {
        format!("No suggestion for {job}. {why}")
    }

    fn proposed_plan(&self, date: &str) -> String {
        format!("Proposed plan for {date}")
    }

    fn plan_driving(&self, metres: i64, now_metres: i64) -> String {
        format!(
            "{} of driving (now {})",
            self.distance(metres),
            self.distance(now_metres)
        )
    }

    fn route_driving(&self, metres: i64, seconds: i64) -> String {
        format!("{}, {}", self.distance(metres), self.duration(seconds))
    }

    fn change_assign(&self, job: &str, to: &str, at: &str) -> String {
        format!("{job} to {to} at {at}")
    }

    fn change_reassign(&self, job: &str, from: &str, to: &str, at: &str) -> String {
        format!("{job} moves from {from} to {to} at {at}")
    }

    fn change_retime(&self, job: &str, with: &str, from: Option<&str>, to: &str) -> String {
        let from = from.unwrap_or("no set time");
        format!("{job} with {with} moves from {from} to {to}")
    }

    fn change_keep(&self, job: &str, with: &str, why: &str) -> String {
        format!("{job} stays with {with}, but no longer fits their day: {why}")
    }

    fn change_crew(&self, job: &str, crew: &str, at: &str) -> String {
        format!("{job} now goes to {crew} together at {at}")
    }

    fn people(&self, names: &[&str]) -> String {
        match names {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    fn crew_size(&self, size: u8) -> String {
        match size {
            1 => "One technician".to_owned(),
            n => format!("{n} technicians together"),
        }
    }

    fn crew_needed(&self, size: u8) -> String {
        format!("Needs {size} technicians at once")
    }

    fn crew_of(&self, size: u8, people: &str) -> String {
        format!("Crew of {size}: {people}")
    }

    fn unplaced_no_crew(&self, size: u8) -> String {
        format!("Needs {size} technicians at once, and no {size} can start it together")
    }

    fn backlog_summary(&self, more: usize, capacity: usize) -> String {
        let s = if more == 1 { "" } else { "s" };
        format!(
            "{more} more follow-up{s} than your day holds ({capacity} a day): do them next, or hand them to a colleague"
        )
    }

    fn rep_load(&self, due: usize, capacity: usize, backlog: usize) -> String {
        let day = format!("{} of {capacity} today", due.min(capacity));
        if backlog == 0 {
            day
        } else {
            format!("{day}, {backlog} waiting beyond")
        }
    }

    fn rep_backlog_summary(&self, name: &str, more: usize, capacity: usize) -> String {
        let s = if more == 1 { "" } else { "s" };
        format!(
            "{more} follow-up{s} beyond {name}'s day ({capacity} a day): sort them and hand them to colleagues"
        )
    }

    fn upcoming_more(&self, more: usize) -> String {
        format!("and {more} more later")
    }

    fn accept_plan(&self, changes: u32) -> String {
        format!("Accept plan ({changes})")
    }

    fn alert_breached(&self, job: &str) -> String {
        format!("{job} is past its SLA deadline")
    }

    fn alert_at_risk(&self, job: &str, minutes_left: i64) -> String {
        format!(
            "{job} must be done within {}",
            self.duration(minutes_left.saturating_mul(60))
        )
    }

    fn alert_backlog(&self, waiting: usize, threshold: u32) -> String {
        format!("{waiting} jobs are waiting to be assigned (alert above {threshold})")
    }

    fn planned_minutes(&self, minutes: u32) -> String {
        format!("planned {}", self.duration(i64::from(minutes) * 60))
    }

    // — search and the customer form —

    // — errors —
    fn denied(&self, denied: Denied) -> &'static str {
        errors::denied(denied)
    }

    fn clash(&self, clash: Clash) -> &'static str {
        errors::clash(clash)
    }

    fn field(&self, field: Field) -> String {
        errors::field(field)
    }

    fn invalid(&self, field: Field, problem: &Problem) -> String {
        errors::invalid(field, problem)
    }

    fn import_target(&self, target: crate::import::Target) -> &'static str {
        imports::target(target)
    }

    fn import_problem(&self, problem: &crate::import::Problem) -> String {
        imports::problem(self, problem)
    }

    fn import_file_error(&self, error: &crate::import::FileError) -> String {
        imports::file_error(error)
    }

    fn import_mapping_error(&self, error: crate::import::columns::MappingError) -> String {
        imports::mapping_error(error)
    }

    fn import_place(&self, row: u32, column: Option<(u32, &str)>) -> String {
        imports::place(row, column)
    }

    fn import_read(
        &self,
        rows: u32,
        format: crate::import::Format,
        encoding: crate::import::Encoding,
    ) -> String {
        imports::read(rows, format, encoding)
    }

    fn import_summary(&self, report: &crate::import::Report) -> String {
        imports::summary(report)
    }

    fn import_done(&self, report: &crate::import::Report) -> String {
        imports::done(report)
    }

    fn import_progress(&self, done: u32, total: u32) -> String {
        imports::progress(done, total)
    }

    fn import_duplicate(
        &self,
        name: &str,
        existing: &str,
        number: &str,
        reason: crate::lookup::DuplicateReason,
    ) -> String {
        imports::duplicate(name, existing, number, reason)
    }

    fn import_failed(&self, why: &str) -> String {
        imports::failed(why)
    }
}
