//! The refusals that name a rule: who may not do what ([`Denied`], the write rules of
//! `docs/access.md`), and what the records as they are do not allow ([`Clash`]). One variant
//! per rule, so that the words can say what to do instead.

use serde::{Deserialize, Serialize};

/// Declares a fieldless enum and the list of all its values, for the tests that word each.
macro_rules! listed {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }
    };
}

listed! {
    /// A write rule that refused the person.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Denied {
        /// The op's actor is no user of the organization.
        UnknownUser,
        AccountDeactivated,
        /// An op was sent by someone other than its actor.
        NotYourOp,
        /// Adding or editing a customer of a store one is not staff of.
        NotStaffForCustomers,
        /// A rep creating a customer kept by someone else.
        OnlyManagerGivesCustomers,
        /// A rep creating a customer above the standard tier.
        OnlyManagerSetsTier,
        /// Editing the contact fields of a customer someone else looks after.
        EditOnlyYourCustomers,
        OnlyManagerChangesTierOrOwner,
        /// Assets, jobs and notes on a customer someone else looks after.
        WorkOnlyForYourCustomers,
        /// Assigning, unassigning or cancelling a job of a store one does not run.
        OnlyDispatcherOfStore,
        /// The technician's steps on a job assigned to someone else.
        OnlyAssignedTechnician,
        NotStaffForLeads,
        OnlyManagerGivesLeads,
        NotYourLead,
        NotStaffForFollowUps,
        NotYourFollowUp,
        OnlyManagerReassigns,
        ManagerOfBothStores,
        /// Deactivating or reactivating oneself.
        OwnAccount,
        OnlyAdminOrTheirDispatcher,
        /// Resolving a conflict one is neither an author of nor the dispatcher of its store.
        NotPartyToConflict,
        /// Setting how many follow-ups a day holds for someone one does not manage (or for
        /// oneself, unless an admin or dispatcher).
        OnlyManagerSetsCapacity,
        /// The organization's settings are the admins'.
        OnlyAdminChangesSettings,
        /// Giving someone the admin role.
        OnlyAdminGrantsAdmin,
        OnlyAdminAddsStores,
        /// Erasing a customer's personal data on their request.
        OnlyAdminErases,
    }
}

listed! {
    /// A change that does not fit the records as they now are.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Clash {
        /// Editing a customer that was merged into another.
        CustomerMerged,
        /// Merging into a customer that was itself merged away.
        KeptCustomerMerged,
        /// Merging away a customer that was merged away before.
        AlreadyMerged,
        /// A second open follow-up for the same subject and reason.
        OpenFollowUpExists,
        FollowUpDone,
        /// The change was refused before an upgrade that no longer reads how the reason was
        /// stored; it stays refused.
        RefusedBefore,
        /// Resolving a conflict someone already resolved.
        ConflictResolved,
        /// Follow-up rules changed by someone else since the change was made on them.
        SettingsChangedMeanwhile,
    }
}
