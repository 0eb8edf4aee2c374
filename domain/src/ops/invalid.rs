//! A field that failed a check, named as the form names it ([`Field`], with its place in a
//! list where it has one), and the check it failed ([`Problem`]).

use serde::{Deserialize, Serialize};

use crate::org::SkillCode;

/// A field of a form. List entries carry their position from 0 (the first phone is
/// `Phone(0)`); the words count from one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Field {
    // — the op itself —
    /// Where the device was when the change was made.
    OpLocation,
    /// When the change was made, by the device's clock.
    OpTime,
    // — customer —
    CustomerName,
    Phones,
    Phone(usize),
    Address(AddressPart),
    Tags,
    Tag(usize),
    Birthday,
    /// The sales rep who looks after the customer.
    CustomerOwner,
    // — asset —
    Product,
    AssetCategory,
    SerialNumber,
    Price,
    PurchaseDate,
    LastService,
    WarrantyEnd,
    MaintenanceInterval,
    // — purchase —
    PurchaseItems,
    PurchaseItem(usize),
    ItemQuantity(usize),
    ItemAmount(usize),
    PurchaseAmount,
    Receipt,
    /// The store that made the sale.
    SaleStore,
    // — job —
    JobCustomer,
    JobAsset,
    Description,
    EstimatedMinutes,
    Windows,
    Window(usize),
    RequiredSkills,
    RequiredSkill(usize),
    ServiceAddress(AddressPart),
    Technician,
    /// How many technicians a job needs at once.
    CrewSize,
    /// The others who work a job beside its technician.
    Crew,
    CancelReason,
    /// Why a technician was given a job against a warning.
    AssignReason,
    /// Why the job needs a follow-up visit.
    FollowUpNeed,
    // — completing a job —
    CompletionNotes,
    Parts,
    PartItem(usize),
    PartQuantity(usize),
    Photos,
    Photo(usize),
    Signature,
    Satisfaction,
    // — lead —
    LeadName,
    LeadPhone,
    InterestCategory,
    InterestModel,
    Budget,
    ExpectedValue,
    LeadCustomer,
    LeadOwner,
    LostReason,
    WonValue,
    // — interaction —
    Outcome,
    InteractionCustomer,
    // — follow-up —
    FollowUpNote,
    /// The data a rule follow-up carries to say why (a product, a category).
    FollowUpWhy,
    FollowUpOwner,
    SnoozeUntil,
    // — merge —
    /// The customer to merge away.
    MergedCustomer,
    // — people —
    /// The days a technician is away.
    AbsenceDays,
    /// How many follow-ups a day holds.
    FollowUpCapacity,
    // — settings —
    BacklogAlertThreshold,
    SlaRiskMinutes,
    /// A follow-up rule's number (days, hours, a score).
    FollowUpRule,
    /// The hours promised for a tier and service type.
    SlaHours,
    /// The thresholds of customers' value: RFM scores, lifecycle stages.
    CustomerValue,
    /// How many days the audit is kept.
    AuditRetention,
    // — back office —
    UserName,
    Login,
    UserPhone,
    Roles,
    UserStores,
    /// Who takes over a leaver's customers, leads, follow-ups, jobs.
    HandOverCustomers,
    HandOverLeads,
    HandOverFollowUps,
    HandOverJobs,
    StoreName,
    StoreLocation,
    OpeningHours,
    TechnicianStore,
    Skills,
    HomeBase,
    WorkingHours,
    Breaks,
    MaxJobsPerDay,
    /// A catalogue entry's code (a skill, an interest category).
    CatalogueCode,
    NameEn,
    NameZh,
}

/// A part of an address, in the order the form shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AddressPart {
    Province,
    City,
    District,
    Street,
    Detail,
    Location,
}

impl AddressPart {
    pub const ALL: [AddressPart; 6] = [
        AddressPart::Province,
        AddressPart::City,
        AddressPart::District,
        AddressPart::Street,
        AddressPart::Detail,
        AddressPart::Location,
    ];
}

/// The check a field failed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
// Named apart from the server's problem document (RFC 9457), which is another schema.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = FieldProblem))]
pub enum Problem {
    /// Nothing a person could read (blank, or only invisible characters).
    Empty,
    /// A value required in this case is missing (the value of a won lead).
    Missing,
    TooLong {
        max: usize,
    },
    /// Control or text-direction characters.
    ControlCharacters,
    NotAPhone,
    /// A date of the past: after 1900 and not in the future.
    DateOutOfRange,
    /// Not a latitude in [-90, 90] and a longitude in [-180, 180].
    BadCoordinates,
    /// An amount outside 0 to ten billion (in major units).
    MoneyOutOfRange,
    TooMany {
        max: usize,
    },
    UnknownSkill {
        code: SkillCode,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    TooSmall {
        min: i64,
    },
    /// A time that must lie ahead does not.
    NotInFuture,
    /// The op's time is ahead of the server's clock.
    AheadOfClock,
    EndsBeforeStart,
    /// A list of thresholds that must rise from one to the next.
    NotRising,
    BeforePurchase,
    /// A customer merged into another record.
    Merged,
    /// An asset of another customer.
    OtherCustomersAsset,
    NotTheJobsCustomer,
    NotTheLeadsCustomer,
    /// A customer of another store than the lead's.
    OtherStore,
    /// An interaction about neither a customer, nor a lead, nor a job.
    NoSubject,
    /// Merging a customer into itself.
    SameCustomer,
    /// Not an active sales rep of the store.
    NotASalesRep,
    /// Nobody active who works for the store.
    NotOfTheStore,
    NotATechnician,
    /// A technician of another store than the job's.
    TechnicianOfOtherStore,
    /// A technician without a skill the job needs, and no reason given.
    LacksSkillWithoutReason,
    /// Fewer technicians than the job needs, and no reason given.
    CrewShortWithoutReason,
    /// The same person named twice.
    Repeated,
    /// Someone already signs in with this name.
    LoginTaken,
    /// A sign-in name with characters other than letters, digits and `. _ - @`.
    NotALogin,
    /// Hours outside the day, on no weekday, or overlapping.
    BadHours,
    /// A catalogue code with characters other than lower-case letters, digits and dashes.
    NotACode,
}

/// One of each field and each problem, for the tests that word them all.
#[cfg(test)]
pub(crate) mod examples {
    use super::{AddressPart, Field, Problem};
    use crate::org::SkillCode;

    pub(crate) fn fields() -> Vec<Field> {
        use Field as F;
        let mut all = vec![
            F::OpLocation,
            F::OpTime,
            F::CustomerName,
            F::Phones,
            F::Phone(0),
            F::Phone(1),
            F::Phone(11),
            F::Tags,
            F::Tag(2),
            F::Birthday,
            F::CustomerOwner,
            F::Product,
            F::AssetCategory,
            F::SerialNumber,
            F::Price,
            F::PurchaseDate,
            F::LastService,
            F::WarrantyEnd,
            F::MaintenanceInterval,
            F::JobCustomer,
            F::JobAsset,
            F::Description,
            F::EstimatedMinutes,
            F::Windows,
            F::Window(0),
            F::RequiredSkills,
            F::RequiredSkill(3),
            F::Technician,
            F::CrewSize,
            F::Crew,
            F::AbsenceDays,
            F::CancelReason,
            F::AssignReason,
            F::FollowUpNeed,
            F::CompletionNotes,
            F::Parts,
            F::PartItem(4),
            F::PartQuantity(0),
            F::Photos,
            F::Photo(9),
            F::Signature,
            F::Satisfaction,
            F::LeadName,
            F::LeadPhone,
            F::InterestCategory,
            F::InterestModel,
            F::Budget,
            F::ExpectedValue,
            F::LeadCustomer,
            F::LeadOwner,
            F::LostReason,
            F::WonValue,
            F::Outcome,
            F::InteractionCustomer,
            F::FollowUpNote,
            F::FollowUpWhy,
            F::FollowUpOwner,
            F::SnoozeUntil,
            F::MergedCustomer,
            F::FollowUpCapacity,
            F::BacklogAlertThreshold,
            F::SlaRiskMinutes,
            F::FollowUpRule,
            F::SlaHours,
            F::UserName,
            F::Login,
            F::UserPhone,
            F::Roles,
            F::UserStores,
            F::HandOverCustomers,
            F::HandOverLeads,
            F::HandOverFollowUps,
            F::HandOverJobs,
            F::StoreName,
            F::StoreLocation,
            F::OpeningHours,
            F::TechnicianStore,
            F::Skills,
            F::HomeBase,
            F::WorkingHours,
            F::Breaks,
            F::MaxJobsPerDay,
            F::CatalogueCode,
            F::NameEn,
            F::NameZh,
        ];
        for part in AddressPart::ALL {
            all.push(F::Address(part));
            all.push(F::ServiceAddress(part));
        }
        all
    }

    pub(crate) fn problems() -> Vec<Problem> {
        use Problem as P;
        vec![
            P::Empty,
            P::Missing,
            P::TooLong { max: 200 },
            P::ControlCharacters,
            P::NotAPhone,
            P::DateOutOfRange,
            P::BadCoordinates,
            P::MoneyOutOfRange,
            P::TooMany { max: 5 },
            P::UnknownSkill {
                code: SkillCode("piano-tuning".into()),
            },
            P::OutOfRange { min: 1, max: 5 },
            P::TooSmall { min: 1 },
            P::NotInFuture,
            P::AheadOfClock,
            P::EndsBeforeStart,
            P::BeforePurchase,
            P::Merged,
            P::OtherCustomersAsset,
            P::NotTheJobsCustomer,
            P::NotTheLeadsCustomer,
            P::OtherStore,
            P::NoSubject,
            P::SameCustomer,
            P::NotASalesRep,
            P::NotOfTheStore,
            P::NotATechnician,
            P::TechnicianOfOtherStore,
            P::LacksSkillWithoutReason,
            P::CrewShortWithoutReason,
            P::Repeated,
            P::LoginTaken,
            P::NotALogin,
            P::BadHours,
            P::NotACode,
        ]
    }
}
