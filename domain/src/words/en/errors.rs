//! The English words of refusals: each says what went wrong by the form's own label, and
//! what to do.

use crate::jobs::{JobAction, JobStatus};
use crate::ops::{AddressPart, Clash, Denied, Field, OpError, Problem};
use crate::words::Table;

pub(super) fn op_error(t: &super::En, error: &OpError) -> String {
    match error {
        OpError::NotFound { kind, .. } => format!(
            "The {} was not found (it may have been removed, or you cannot see it).",
            t.record_kind(*kind)
        ),
        OpError::Forbidden(d) => denied(*d).into(),
        OpError::Transition { from, action } => format!(
            "A job that is {} cannot be {}; sync to see where it stands now.",
            status(*from),
            action_done(*action)
        ),
        OpError::Stage { from, to } => format!(
            "A lead at the {} stage cannot move to {}.",
            t.stage(*from),
            t.stage(*to)
        ),
        OpError::Invalid { field, problem } => invalid(*field, problem),
        OpError::Conflict(c) => clash(*c).into(),
        OpError::IdTaken { kind } => format!(
            "This {} id is already in use; try again.",
            t.record_kind(*kind)
        ),
        OpError::OpIdUsed => {
            "This change's id was already used for another change; nothing was changed.".into()
        }
        OpError::Unavailable(_) => {
            "The server could not store this just now; make the change again in a moment.".into()
        }
    }
}

/// A status as it reads after "a job that is".
fn status(s: JobStatus) -> &'static str {
    match s {
        JobStatus::New => "not yet assigned",
        JobStatus::Assigned => "assigned",
        JobStatus::EnRoute => "en route",
        JobStatus::OnSite => "on site",
        JobStatus::Completed => "completed",
        JobStatus::NeedsFollowUp => "waiting for a follow-up",
        JobStatus::Cancelled => "cancelled",
    }
}

/// An action as it reads after "cannot be".
fn action_done(a: JobAction) -> &'static str {
    match a {
        JobAction::Assign => "assigned or reassigned",
        JobAction::Unassign => "unassigned",
        JobAction::StartTravel => "started (en route)",
        JobAction::Arrive => "marked on site",
        JobAction::Complete => "completed",
        JobAction::NeedFollowUp => "marked as needing a follow-up",
        JobAction::Cancel => "cancelled",
    }
}

pub(super) fn denied(d: Denied) -> &'static str {
    match d {
        Denied::UnknownUser => "This account is not known here; sign in again.",
        Denied::AccountDeactivated => {
            "This account is deactivated; ask your administrator to reactivate it."
        }
        Denied::NotYourOp => {
            "A change can only be sent by the person who made it; sign in as that person to send it."
        }
        Denied::NotStaffForCustomers => {
            "Only the staff of the store can add or edit its customers."
        }
        Denied::OnlyManagerGivesCustomers => {
            "Only a manager of the store can give a customer to someone else; look after the customer yourself, or ask a manager."
        }
        Denied::OnlyManagerSetsTier => {
            "Only a manager of the store can set a customer's tier; leave it at Standard."
        }
        Denied::EditOnlyYourCustomers => {
            "You can only edit the customers you look after; ask a manager of the store to make this change."
        }
        Denied::OnlyManagerChangesTierOrOwner => {
            "Only a manager of the store can change a customer's tier or who looks after them."
        }
        Denied::WorkOnlyForYourCustomers => {
            "You can only do this for the customers you look after; ask a manager of the store."
        }
        Denied::OnlyDispatcherOfStore => {
            "Only a dispatcher of the job's store can assign, unassign or cancel it."
        }
        Denied::OnlyAssignedTechnician => "Only the technician assigned to this job can update it.",
        Denied::NotStaffForLeads => "Only the staff of the store can add its leads.",
        Denied::OnlyManagerGivesLeads => {
            "Only a manager can give a lead to someone else; keep it as your own, or ask a manager."
        }
        Denied::NotYourLead => {
            "This lead belongs to another rep; ask them or a manager of the store."
        }
        Denied::NotStaffForFollowUps => "Only the staff of the store can plan its follow-ups.",
        Denied::NotYourFollowUp => {
            "This follow-up belongs to someone else; ask them or a manager of the store."
        }
        Denied::OnlyManagerReassigns => {
            "Only the store's dispatcher, an admin or the rep who owns it can hand a follow-up on."
        }
        Denied::ManagerOfBothStores => "Only a manager of both customers' stores can merge them.",
        Denied::OwnAccount => {
            "You cannot deactivate or reactivate your own account, or change your own roles or stores; ask another admin."
        }
        Denied::OnlyAdminOrTheirDispatcher => {
            "Only an admin, or the dispatcher of all of this person's stores, can change their account or deactivate or reactivate them."
        }
        Denied::NotPartyToConflict => {
            "Only the people who made these edits, or the store's dispatcher, can settle this conflict."
        }
        Denied::OnlyManagerSetsCapacity => {
            "Only an admin, or the dispatcher of this person's store, can set how many follow-ups their day holds."
        }
        Denied::OnlyAdminChangesSettings => "Only an admin can change the organization's settings.",
        Denied::OnlyAdminGrantsAdmin => "Only an admin can make someone an admin.",
        Denied::OnlyAdminAddsStores => "Only an admin can add a store.",
        Denied::OnlyAdminErases => "Only an admin can erase a customer's personal data.",
    }
}

pub(super) fn clash(c: Clash) -> &'static str {
    match c {
        Clash::CustomerMerged => {
            "This customer was merged into another record; edit that one instead."
        }
        Clash::KeptCustomerMerged => {
            "The customer to keep was itself merged into another record; merge into that one instead."
        }
        Clash::AlreadyMerged => {
            "This customer was already merged into another record; there is nothing left to merge."
        }
        Clash::OpenFollowUpExists => "An open follow-up for this already exists; work on that one.",
        Clash::SettingsChangedMeanwhile => {
            "Someone else changed these follow-up rules meanwhile: look at them again, then make your change."
        }
        Clash::FollowUpDone => "This follow-up is already done; there is nothing left to do.",
        Clash::RefusedBefore => {
            "This change was refused earlier; look at the record as it is now and make it again."
        }
        Clash::ConflictResolved => {
            "Someone already settled this conflict; look at the record as it is now."
        }
    }
}

/// "first" to "tenth", then "11th", "22nd", ... (`i` counts from 0).
fn ordinal(i: usize) -> String {
    const WORDS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    if let Some(w) = WORDS.get(i) {
        return (*w).into();
    }
    let n = i.saturating_add(1);
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn address_part(part: AddressPart, of: &str) -> String {
    match part {
        AddressPart::Province => format!("the province of the {of}"),
        AddressPart::City => format!("the city of the {of}"),
        AddressPart::District => format!("the district of the {of}"),
        AddressPart::Street => format!("the street of the {of}"),
        AddressPart::Detail => format!("the {of} detail (building, floor, room)"),
        AddressPart::Location => format!("the {of}'s position on the map"),
    }
}

/// The field as its form labels it, as a noun phrase ("the first phone number").
pub(super) fn field(f: Field) -> String {
    let fixed = match f {
        Field::OpLocation => "the device's position",
        Field::OpTime => "the time of the change",
        Field::CustomerName => "the customer's name",
        Field::Phones => "the phone numbers",
        Field::Phone(i) => return format!("the {} phone number", ordinal(i)),
        Field::Address(p) => return address_part(p, "address"),
        Field::Tags => "the tags",
        Field::Tag(i) => return format!("the {} tag", ordinal(i)),
        Field::Birthday => "the birthday",
        Field::CustomerOwner => "the rep who looks after the customer",
        Field::Product => "the product",
        Field::AssetCategory => "the product category",
        Field::SerialNumber => "the serial number",
        Field::Price => "the price",
        Field::PurchaseDate => "the purchase date",
        Field::LastService => "the date of the last service",
        Field::WarrantyEnd => "the end of the warranty",
        Field::MaintenanceInterval => "the maintenance interval",
        Field::PurchaseItems => "the items bought",
        Field::PurchaseItem(i) => return format!("the {} item", ordinal(i)),
        Field::ItemQuantity(i) => return format!("the quantity of the {} item", ordinal(i)),
        Field::ItemAmount(i) => return format!("the amount of the {} item", ordinal(i)),
        Field::PurchaseAmount => "the amount paid",
        Field::Receipt => "the receipt number",
        Field::SaleStore => "the store that sold it",
        Field::JobCustomer => "the job's customer",
        Field::JobAsset => "the asset",
        Field::Description => "the job description",
        Field::EstimatedMinutes => "the estimated time",
        Field::Windows => "the time windows",
        Field::Window(i) => return format!("the {} time window", ordinal(i)),
        Field::RequiredSkills => "the required skills",
        Field::RequiredSkill(i) => return format!("the {} required skill", ordinal(i)),
        Field::ServiceAddress(p) => return address_part(p, "service address"),
        Field::Technician => "the technician",
        Field::CrewSize => "the technicians needed",
        Field::Crew => "the crew",
        Field::AbsenceDays => "the days away",
        Field::FollowUpCapacity => "the follow-ups a day holds",
        Field::BacklogAlertThreshold => "the backlog alert threshold",
        Field::SlaRiskMinutes => "the SLA warning time",
        Field::FollowUpRule => "a follow-up rule's number",
        Field::CustomerValue => "the customer value thresholds",
        Field::AuditRetention => "the days the audit is kept",
        Field::SlaHours => "the hours promised",
        Field::UserName => "the person's name",
        Field::Login => "the sign-in name",
        Field::UserPhone => "the person's phone",
        Field::Roles => "the roles",
        Field::UserStores => "the stores",
        Field::HandOverCustomers => "who takes over the customers",
        Field::HandOverLeads => "who takes over the open leads",
        Field::HandOverFollowUps => "who takes over the open follow-ups",
        Field::HandOverJobs => "who takes over the jobs not started",
        Field::StoreName => "the store's name",
        Field::StoreLocation => "the store's map position",
        Field::OpeningHours => "the opening hours",
        Field::TechnicianStore => "the technician's store",
        Field::Skills => "the skills",
        Field::HomeBase => "the home base",
        Field::WorkingHours => "the working hours",
        Field::Breaks => "the breaks",
        Field::MaxJobsPerDay => "the most jobs a day",
        Field::CatalogueCode => "the code",
        Field::NameEn => "the English name",
        Field::NameZh => "the Chinese name",
        Field::CancelReason => "the reason for cancelling",
        Field::AssignReason => "the reason for this technician",
        Field::FollowUpNeed => "the reason a follow-up is needed",
        Field::CompletionNotes => "the completion notes",
        Field::Parts => "the parts used",
        Field::PartItem(i) => return format!("the name of the {} part", ordinal(i)),
        Field::PartQuantity(i) => return format!("the quantity of the {} part", ordinal(i)),
        Field::Photos => "the photos",
        Field::Photo(i) => return format!("the {} photo", ordinal(i)),
        Field::Signature => "the signature",
        Field::Satisfaction => "the customer's satisfaction score",
        Field::LeadName => "the lead's name",
        Field::LeadPhone => "the lead's phone number",
        Field::InterestCategory => "the category the lead is interested in",
        Field::InterestModel => "the model the lead is interested in",
        Field::Budget => "the lead's budget",
        Field::ExpectedValue => "the expected value",
        Field::LeadCustomer => "the lead's customer",
        Field::LeadOwner => "the rep who owns the lead",
        Field::LostReason => "the reason the lead was lost",
        Field::WonValue => "the value the lead was won at",
        Field::Outcome => "the outcome",
        Field::InteractionCustomer => "the customer",
        Field::FollowUpNote => "the follow-up's note",
        Field::FollowUpWhy => "the follow-up's reason",
        Field::FollowUpOwner => "the person who owns the follow-up",
        Field::SnoozeUntil => "the time to snooze until",
        Field::MergedCustomer => "the customer to merge away",
    };
    fixed.into()
}

/// A sentence starts with a capital.
fn sentence(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

/// The field's own sentence where it has one, else the check's sentence around its label.
pub(super) fn invalid(f: Field, problem: &Problem) -> String {
    use Field as F;
    use Problem as P;
    let label = field(f);
    let fixed = match (f, problem) {
        (F::LostReason, P::Empty) => "Say why the lead was lost.",
        (F::CancelReason, P::Empty) => "Say why the job is cancelled.",
        (F::FollowUpNeed, P::Empty) => "Say why the job needs a follow-up.",
        (F::Signature, P::Empty) => "The signature did not come through: sign again.",
        (F::Photo(i), P::Empty) => {
            return format!(
                "The {} photo did not come through: take it again.",
                ordinal(i)
            );
        }
        (F::WonValue, P::Missing) => "Give the value the lead was won at.",
        (F::HandOverLeads | F::HandOverFollowUps, P::Missing) => {
            return sentence(format!(
                "Choose {label}: the person leaving still holds some."
            ));
        }
        (_, P::Empty | P::Missing) => return format!("Fill in {label}."),
        (_, P::TooLong { max }) => {
            return sentence(format!("{label} is too long: keep it to {max} characters."));
        }
        (_, P::ControlCharacters) => {
            return sentence(format!(
                "{label} contains characters that cannot be shown: type it again without them."
            ));
        }
        (_, P::NotAPhone) => {
            return sentence(format!(
                "{label} is not a phone number: use digits, with + and the country code if abroad."
            ));
        }
        (_, P::DateOutOfRange) => {
            return format!("Give {label} as a date after 1900, not in the future.");
        }
        (F::OpLocation, P::BadCoordinates) => {
            "This device gave a position that is not on the map: try again, or turn location off."
        }
        (_, P::BadCoordinates) => {
            return sentence(format!(
                "{label} is not valid: pick the place on the map again."
            ));
        }
        (_, P::MoneyOutOfRange) => {
            return format!("Give {label} as an amount from 0 to 10,000,000,000.");
        }
        (_, P::TooMany { max }) => return too_many(f, &label, *max),
        (_, P::UnknownSkill { code }) => {
            return sentence(format!(
                "{label} ({}) is not in the skill catalogue: choose a skill from the list.",
                code.0
            ));
        }
        (F::EstimatedMinutes, P::OutOfRange { min, max }) => {
            return format!(
                "Give the estimated time as {min} minutes to {} hours.",
                max / 60
            );
        }
        (F::Satisfaction, P::OutOfRange { min, max }) => {
            return format!("Give the customer's satisfaction as a score from {min} to {max}.");
        }
        (_, P::OutOfRange { min, max }) => {
            return format!("Give {label} as a number from {min} to {max}.");
        }
        (F::MaintenanceInterval, P::TooSmall { min }) => {
            return match min {
                1 => "Give the maintenance interval as 1 day or more.".into(),
                n => format!("Give the maintenance interval as {n} days or more."),
            };
        }
        (_, P::TooSmall { min }) => return format!("Give {label} as {min} or more."),
        (F::SnoozeUntil, P::NotInFuture) => "Snooze until a time in the future.",
        (_, P::NotInFuture) => return format!("Give {label} as a time in the future."),
        (_, P::AheadOfClock) => {
            "This device's clock is ahead: set its date and time right, then try again."
        }
        (F::CustomerValue, P::EndsBeforeStart) => {
            "A customer is at risk before they lapse: give more days for lapsed than for at risk."
        }
        (_, P::NotRising) => {
            return sentence(format!(
                "{label}: each threshold must be higher than the one before it."
            ));
        }
        (_, P::EndsBeforeStart) => {
            return sentence(format!(
                "{label} ends before it starts: give an end after the start."
            ));
        }
        (_, P::BeforePurchase) => {
            return sentence(format!(
                "{label} is before the purchase date: give a date after the purchase."
            ));
        }
        (_, P::Merged) => {
            return sentence(format!(
                "{label} was merged into another record: choose the record it was merged into."
            ));
        }
        (_, P::OtherCustomersAsset) => {
            return sentence(format!(
                "{label} belongs to another customer: choose one of this customer's assets."
            ));
        }
        (_, P::NotTheJobsCustomer) => {
            return sentence(format!(
                "{label} is not the job's customer: choose the job's customer, or leave it out."
            ));
        }
        (_, P::NotTheLeadsCustomer) => {
            return sentence(format!(
                "{label} is not the lead's customer: choose the lead's customer, or leave it out."
            ));
        }
        (_, P::OtherStore) => {
            return sentence(format!(
                "{label} belongs to another store than the lead: choose a customer of the lead's store."
            ));
        }
        (_, P::NoSubject) => "Say what this is about: a customer, a lead or a job.",
        (_, P::SameCustomer) => "Choose two different customers to merge.",
        (F::CustomerOwner, P::NotASalesRep) => {
            "Choose an active sales rep of the store to look after the customer."
        }
        (F::LeadOwner, P::NotASalesRep) => "Choose a sales rep of the store to own the lead.",
        (_, P::NotASalesRep) => {
            return sentence(format!(
                "{label} must be an active sales rep of the store: choose another."
            ));
        }
        (F::FollowUpOwner, P::NotOfTheStore) => {
            "Choose someone who works for the store to own the follow-up."
        }
        (_, P::NotOfTheStore) => {
            return sentence(format!(
                "{label} must work for the store: choose someone who does."
            ));
        }
        (_, P::NotATechnician) => "Choose an active technician for the job.",
        (_, P::TechnicianOfOtherStore) => "Choose a technician of the job's store.",
        (_, P::LacksSkillWithoutReason) => {
            "This technician lacks a skill the job needs: say why they should take it."
        }
        (_, P::CrewShortWithoutReason) => {
            "This job needs more technicians than were chosen: add them, or say why fewer will go."
        }
        (F::Roles | F::UserStores | F::Skills, P::Repeated) => {
            return sentence(format!("{label} name one entry twice: give each once."));
        }
        (
            F::HandOverCustomers | F::HandOverLeads | F::HandOverFollowUps | F::HandOverJobs,
            P::Repeated,
        ) => {
            "Choose someone other than the person leaving (and not already on the job) to take over."
        }
        (_, P::Repeated) => {
            return sentence(format!(
                "{label} names someone twice: choose each person once."
            ));
        }
        (_, P::LoginTaken) => "Someone already signs in with this name: choose another.",
        (_, P::NotALogin) => {
            "Give a sign-in name of letters and digits, with dots, dashes, underscores or an at sign between them, and no spaces."
        }
        (_, P::BadHours) => {
            return sentence(format!(
                "{label} must lie within a day, on days Monday to Sunday, without overlapping."
            ));
        }
        (_, P::NotACode) => {
            "Give a code of lower-case letters, digits and dashes, such as piano-tuning."
        }
    };
    fixed.into()
}

fn too_many(f: Field, label: &str, max: usize) -> String {
    match f {
        Field::Phones => format!("Give at most {max} phone numbers."),
        Field::Tags => format!("Give at most {max} tags."),
        Field::Windows => format!("Give at most {max} time windows."),
        Field::RequiredSkills => format!("Give at most {max} required skills."),
        Field::Parts => format!("List at most {max} parts."),
        Field::Crew => {
            format!("Choose at most {max} other technicians: that is all the job needs.")
        }
        Field::Photos => format!("Attach at most {max} photos."),
        _ => sentence(format!("{label} has too many entries: give at most {max}.")),
    }
}
