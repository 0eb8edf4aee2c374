//! Which records an op is about, as a person would point at them: the record it creates or
//! changes, and the lead, customer or job it is filed under. A device marks these records as
//! waiting to sync, or refused, while the op is pending or after the server refused it.

use super::{OpKind, RecordKey};
use crate::followups::Subject;

impl OpKind {
    #[must_use]
    pub fn concerns(&self) -> Vec<RecordKey> {
        use RecordKey as K;
        let subject = |s: &Subject| match *s {
            Subject::Customer(c) => K::Customer(c),
            Subject::Lead(l) => K::Lead(l),
            Subject::Job(j) => K::Job(j),
        };
        match self {
            OpKind::CreateCustomer(new) => vec![K::Customer(new.id)],
            OpKind::UpdateCustomer { customer, .. }
            | OpKind::PlaceCustomer { customer, .. }
            | OpKind::EraseCustomer { customer } => {
                vec![K::Customer(*customer)]
            }
            OpKind::AddAsset(new) => vec![K::Asset(new.id), K::Customer(new.customer)],
            OpKind::RecordPurchase(new) => vec![K::Purchase(new.id), K::Customer(new.customer)],
            OpKind::CreateJob(new) => vec![K::Job(new.id), K::Customer(new.customer)],
            OpKind::AssignJob { job, .. }
            | OpKind::UnassignJob { job }
            | OpKind::StartTravel { job }
            | OpKind::Arrive { job }
            | OpKind::CompleteJob { job, .. }
            | OpKind::NeedFollowUp { job, .. }
            | OpKind::CancelJob { job, .. } => vec![K::Job(*job)],
            OpKind::CreateLead(new) => vec![K::Lead(new.id)],
            OpKind::MoveLead { lead, .. } => vec![K::Lead(*lead)],
            OpKind::LogInteraction(new) => {
                let mut keys = vec![K::Interaction(new.id)];
                keys.extend(new.lead.map(K::Lead));
                keys.extend(new.customer.map(K::Customer));
                keys.extend(new.job.map(K::Job));
                keys
            }
            OpKind::CreateFollowUp(new) => vec![K::FollowUp(new.id), subject(&new.subject)],
            OpKind::CompleteFollowUp { follow_up }
            | OpKind::SnoozeFollowUp { follow_up, .. }
            | OpKind::RescheduleFollowUp { follow_up, .. }
            | OpKind::ReassignFollowUp { follow_up, .. } => vec![K::FollowUp(*follow_up)],
            OpKind::MergeCustomers { keep, remove } => {
                vec![K::Customer(*keep), K::Customer(*remove)]
            }
            OpKind::SetUserActive { user, .. } | OpKind::SetFollowUpCapacity { user, .. } => {
                vec![K::User(*user)]
            }
            OpKind::UpdateSettings(_) | OpKind::SaveSkill(_) | OpKind::SaveInterest(_) => {
                Vec::new()
            }
            OpKind::CreateUser(new) => vec![K::User(new.id)],
            OpKind::UpdateUser { user, .. } | OpKind::DeactivateUser { user, .. } => {
                vec![K::User(*user)]
            }
            OpKind::SaveStore(draft) => vec![K::Store(draft.id)],
            OpKind::SaveTechnician(draft) => vec![K::Technician(draft.user)],
            OpKind::RecordAbsence { technician, .. } | OpKind::CancelAbsence { technician, .. } => {
                vec![K::Technician(*technician)]
            }
            // The customer it settles is named by the conflict record, not by the op.
            OpKind::ResolveConflict { conflict, .. } => vec![K::Conflict(*conflict)],
        }
    }
}
