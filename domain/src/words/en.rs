//! The English table.

mod errors;

use super::{Label, Lang, Table};
use crate::customers::{CustomerKind, Tier};
use crate::jobs::{FollowUpKind, JobAction, JobStatus, Priority, ServiceType};
use crate::leads::{InteractionKind, LeadSource, Stage};
use crate::ops::{Clash, Denied, Field, OpError, OpKind, Problem, RecordKind};
use crate::org::Role;

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
            // — dispatcher —
            L::WindowBothEnds => "Give both the start and the end of the window.",
            L::Unassigned => "Unassigned",
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
            // — errors —
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
            OpKind::SetUserActive { active: true, .. } => "Account reactivation".into(),
            OpKind::SetUserActive { active: false, .. } => "Account deactivation".into(),
        }
    }

    fn pending_changes(&self, n: u32) -> String {
        match n {
            1 => "1 change waiting to sync".into(),
            n => format!("{n} changes waiting to sync"),
        }
    }

    fn not_saved(&self, detail: &str) -> String {
        format!("Could not save on this device: {detail}")
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

    // — dispatcher —

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
}
