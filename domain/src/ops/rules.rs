//! The write rules as one table: role × op (and customer field) × whose record it is. The
//! handlers enforce them; this table is the specification, rendered into `docs/access.md` (a
//! test keeps the two equal) and checked cell by cell against `apply` (`domain/tests/rules.rs`), and
//! by a property test with random roles, records and fields.
//!
//! Whose record, from the acting person's side:
//! - **own**: theirs — a customer or lead they own, a job assigned to them (for a rep: a job
//!   of a customer they own), a follow-up they own, their own account;
//! - **store**: someone else's, in one of their stores;
//! - **other store**: in a store of the organization they do not work in.
//!
//! Another organization's records are never reachable: they answer as unknown ids.

/// One cell: allowed, refused, or meaningless (nobody of that role has "own" such records).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Yes,
    No,
    NotApplicable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    Own,
    Store,
    OtherStore,
}

impl Whose {
    pub const ALL: [Whose; 3] = [Whose::Own, Whose::Store, Whose::OtherStore];
}

/// The roles in the table's column order.
pub const ROLES: [crate::org::Role; 4] = [
    crate::org::Role::Admin,
    crate::org::Role::Dispatcher,
    crate::org::Role::Sales,
    crate::org::Role::Technician,
];

/// A row: the op (and field), then per role in [`ROLES`] order three marks (own, store, other
/// store): `y` allowed, `n` refused, `-` not applicable.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub op: Action,
    pub cells: [&'static str; 4],
}

impl Row {
    #[must_use]
    pub fn mark(&self, role: usize, whose: Whose) -> Mark {
        let i = match whose {
            Whose::Own => 0,
            Whose::Store => 1,
            Whose::OtherStore => 2,
        };
        match self.cells[role].as_bytes()[i] {
            b'y' => Mark::Yes,
            b'n' => Mark::No,
            _ => Mark::NotApplicable,
        }
    }
}

/// What a row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    CreateCustomer,
    /// Creating a customer owned by someone else, or with a tier above Standard.
    CreateCustomerForOthers,
    UpdateCustomer(super::customers::CustomerField),
    MergeCustomers,
    /// Erasing a customer's personal data on their request.
    EraseCustomer,
    AddAsset,
    /// A sale to a customer, in the customer's store.
    RecordPurchase,
    CreateJob,
    AssignJob,
    UnassignJob,
    CancelJob,
    /// Start travel, arrive, complete, needs follow-up.
    FieldStep,
    CreateLead,
    CreateLeadForOthers,
    MoveLead,
    LogAboutCustomer,
    LogAboutJob,
    LogAboutLead,
    CreateFollowUp,
    CompleteFollowUp,
    ReassignFollowUp,
    SetUserActive,
    /// Record or take back a technician's days away.
    Absence,
    /// How many follow-ups a person's day holds.
    FollowUpCapacity,
    /// The organization's settings (only the "store" column means anything: the organization).
    Settings,
    /// A customer's map position, from the door or the map.
    PlaceCustomer,
    /// A new person of a store (no admin role).
    CreateUser,
    /// A person's name or phone.
    UpdateUserDetails,
    /// A person's roles or stores.
    UpdateUserStaffing,
    DeactivateUser,
    /// A store's details.
    SaveStore,
    /// A new store (the "store" column: the organization).
    AddStore,
    /// A technician's working profile.
    SaveTechnician,
    /// A skill or interest category (the "store" column: the organization).
    Catalogue,
}

impl Action {
    #[must_use]
    pub fn words(self) -> String {
        use super::customers::CustomerField as F;
        match self {
            Action::CreateCustomer => {
                "CreateCustomer (owner: nobody or self, tier Standard)".into()
            }
            Action::CreateCustomerForOthers => {
                "CreateCustomer (owner: someone else, or a tier above Standard)".into()
            }
            Action::UpdateCustomer(f) => format!(
                "UpdateCustomer · {}",
                match f {
                    F::Name => "name",
                    F::Phones => "phones",
                    F::Address => "address",
                    F::Kind => "kind",
                    F::Tags => "tags",
                    F::MarketingConsent => "marketing_consent",
                    F::Birthday => "birthday",
                    F::Tier => "tier",
                    F::Owner => "owner",
                }
            ),
            Action::MergeCustomers => "MergeCustomers (both customers)".into(),
            Action::EraseCustomer => "EraseCustomer (a customer's personal data, on request)".into(),
            Action::AddAsset => "AddAsset".into(),
            Action::RecordPurchase => "RecordPurchase (a sale, in the customer's store)".into(),
            Action::CreateJob => "CreateJob".into(),
            Action::AssignJob => "AssignJob (assign, reassign)".into(),
            Action::UnassignJob => "UnassignJob".into(),
            Action::CancelJob => "CancelJob".into(),
            Action::FieldStep => "StartTravel, Arrive, CompleteJob, NeedFollowUp".into(),
            Action::CreateLead => "CreateLead (owner: self)".into(),
            Action::CreateLeadForOthers => "CreateLead (owner: someone else)".into(),
            Action::MoveLead => "MoveLead".into(),
            Action::LogAboutCustomer => "LogInteraction about a customer".into(),
            Action::LogAboutJob => "LogInteraction about a job".into(),
            Action::LogAboutLead => "LogInteraction about a lead".into(),
            Action::CreateFollowUp => "CreateFollowUp (about a customer, for self)".into(),
            Action::CompleteFollowUp => {
                "CompleteFollowUp, SnoozeFollowUp, RescheduleFollowUp".into()
            }
            Action::ReassignFollowUp => "ReassignFollowUp".into(),
            Action::SetUserActive => "SetUserActive (deactivate, reactivate a person)".into(),
            Action::Absence => "RecordAbsence, CancelAbsence (a technician's days away)".into(),
            Action::FollowUpCapacity => {
                "SetFollowUpCapacity (how many follow-ups a person's day holds)".into()
            }
            Action::Settings => "UpdateSettings (the organization's settings)".into(),
            Action::PlaceCustomer => {
                "PlaceCustomer (a customer's map position; technician: one of their open jobs' customers)"
                    .into()
            }
            Action::CreateUser => "CreateUser (a person of a store, not an admin)".into(),
            Action::UpdateUserDetails => "UpdateUser · name, phone".into(),
            Action::UpdateUserStaffing => "UpdateUser · roles, stores".into(),
            Action::DeactivateUser => {
                "DeactivateUser (deactivate a person and hand over their open work)".into()
            }
            Action::SaveStore => "SaveStore (a store's address, position, hours)".into(),
            Action::AddStore => "SaveStore (a new store)".into(),
            Action::SaveTechnician => {
                "SaveTechnician (skills, hours, breaks, home base, most jobs a day)".into()
            }
            Action::Catalogue => "SaveSkill, SaveInterest (the catalogues)".into(),
        }
    }
}

const CONTACT: [&str; 4] = ["-yy", "-yn", "ynn", "nnn"];
const MANAGER: [&str; 4] = ["-yy", "-yn", "nnn", "nnn"];

const fn row(op: Action, cells: [&'static str; 4]) -> Row {
    Row { op, cells }
}

/// The rules. Read a cell as "may a person of this role do this to such a record?".
pub const TABLE: &[Row] = {
    use super::customers::CustomerField as F;
    &[
        row(Action::CreateCustomer, ["-yy", "-yn", "-yn", "-nn"]),
        row(
            Action::CreateCustomerForOthers,
            ["-yy", "-yn", "-nn", "-nn"],
        ),
        row(Action::UpdateCustomer(F::Name), CONTACT),
        row(Action::UpdateCustomer(F::Phones), CONTACT),
        row(Action::UpdateCustomer(F::Address), CONTACT),
        row(Action::UpdateCustomer(F::Kind), CONTACT),
        row(Action::UpdateCustomer(F::Tags), CONTACT),
        row(Action::UpdateCustomer(F::MarketingConsent), CONTACT),
        row(Action::UpdateCustomer(F::Birthday), CONTACT),
        row(Action::UpdateCustomer(F::Tier), MANAGER),
        row(Action::UpdateCustomer(F::Owner), MANAGER),
        row(Action::MergeCustomers, MANAGER),
        row(Action::EraseCustomer, ["-yy", "-nn", "nnn", "nnn"]),
        row(Action::AddAsset, CONTACT),
        row(Action::RecordPurchase, CONTACT),
        row(Action::CreateJob, CONTACT),
        row(Action::AssignJob, MANAGER),
        row(Action::UnassignJob, MANAGER),
        row(Action::CancelJob, MANAGER),
        row(Action::FieldStep, ["-yy", "-yn", "nnn", "ynn"]),
        row(Action::CreateLead, ["-yy", "-yn", "-yn", "-nn"]),
        row(Action::CreateLeadForOthers, ["-yy", "-yn", "-nn", "-nn"]),
        row(Action::MoveLead, ["-yy", "-yn", "ynn", "-nn"]),
        row(Action::LogAboutCustomer, CONTACT),
        row(Action::LogAboutJob, ["-yy", "-yn", "ynn", "ynn"]),
        row(Action::LogAboutLead, ["-yy", "-yn", "ynn", "-nn"]),
        row(Action::CreateFollowUp, ["-yy", "-yn", "yyn", "nnn"]),
        row(Action::CompleteFollowUp, ["yyy", "yyn", "ynn", "ynn"]),
        row(Action::ReassignFollowUp, ["yyy", "yyn", "ynn", "nnn"]),
        row(Action::SetUserActive, ["nyy", "nyn", "nnn", "nnn"]),
        row(Action::Absence, ["-yy", "-yn", "-nn", "ynn"]),
        row(Action::FollowUpCapacity, ["yyy", "yyn", "nnn", "nnn"]),
        row(Action::Settings, ["-y-", "-n-", "-n-", "-n-"]),
        row(Action::PlaceCustomer, ["-yy", "-yn", "ynn", "ynn"]),
        row(Action::CreateUser, ["-yy", "-yn", "-nn", "-nn"]),
        row(Action::UpdateUserDetails, ["yyy", "yyn", "ynn", "ynn"]),
        row(Action::UpdateUserStaffing, ["nyy", "nyn", "nnn", "nnn"]),
        row(Action::DeactivateUser, ["nyy", "nyn", "nnn", "nnn"]),
        row(Action::SaveStore, ["-yy", "-yn", "-nn", "-nn"]),
        row(Action::AddStore, ["-y-", "-n-", "-n-", "-n-"]),
        row(Action::SaveTechnician, ["-yy", "-yn", "-nn", "nnn"]),
        row(Action::Catalogue, ["-y-", "-n-", "-n-", "-n-"]),
    ]
};

/// The table as Markdown, as `docs/access.md` holds it.
#[must_use]
pub fn markdown() -> String {
    let mark = |m: Mark| match m {
        Mark::Yes => "✓",
        Mark::No => "✗",
        Mark::NotApplicable => "·",
    };
    let mut out = String::from(
        "| op · field | admin (own · store · other store) | dispatcher | sales rep | technician |\n|---|---|---|---|---|\n",
    );
    for row in TABLE {
        out.push_str(&format!("| {} |", row.op.words()));
        for role in 0..ROLES.len() {
            let cells: Vec<&str> = Whose::ALL
                .iter()
                .map(|w| mark(row.mark(role, *w)))
                .collect();
            out.push_str(&format!(" {} |", cells.join(" ")));
        }
        out.push('\n');
    }
    out
}
