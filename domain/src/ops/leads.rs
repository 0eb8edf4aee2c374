//! Leads through the pipeline, and the calls, visits and notes logged against them.

use super::customers::visible_customer;
use super::jobs::visible_job;
use super::records::RecordsExt;
use super::{
    Ctx, Denied, Field, NewInteraction, NewLead, OpError, Problem, Record, RecordKey, RecordKind,
    Records, checks,
};
use crate::customers::Phone;
use crate::ids::LeadId;
use crate::leads::{Interaction, Lead, Stage, StageChange};
use crate::org::Role;

pub(super) fn create<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewLead,
) -> Result<Vec<RecordKey>, OpError> {
    let store = records.store(new.store)?;
    if store.org != ctx.actor.org {
        return Err(OpError::NotFound {
            kind: RecordKind::Store,
            id: new.store.0,
        });
    }
    if !ctx.actor.staffs_store(new.store) {
        return Err(OpError::Forbidden(Denied::NotStaffForLeads));
    }
    super::fresh(records, RecordKey::Lead(new.id))?;
    checks::name(Field::LeadName, &new.name)?;
    checks::short(Field::InterestCategory, &new.interest.category)?;
    if let Some(m) = &new.interest.model {
        checks::short(Field::InterestModel, m)?;
    }
    if let Some(b) = new.interest.budget {
        checks::money(Field::Budget, b)?;
    }
    checks::money(Field::ExpectedValue, new.expected_value)?;
    if let Some(c) = new.customer
        && visible_customer(records, ctx, c)?.store != new.store
    {
        return Err(OpError::invalid(Field::LeadCustomer, Problem::OtherStore));
    }
    let phone = match &new.phone {
        Some(p) => {
            checks::phone(Field::LeadPhone, p)?;
            Some(Phone::parse(p))
        }
        None => None,
    };
    let owner = new.owner.unwrap_or(ctx.actor.id);
    if owner != ctx.actor.id {
        if !ctx.actor.manages_store(new.store) {
            return Err(OpError::Forbidden(Denied::OnlyManagerGivesLeads));
        }
        let u = records.user(owner)?;
        if u.org != ctx.actor.org || !u.has(Role::Sales) || !u.in_store(new.store) {
            return Err(OpError::invalid(Field::LeadOwner, Problem::NotASalesRep));
        }
    }
    let lead = Lead {
        id: new.id,
        org: ctx.actor.org,
        store: new.store,
        customer: new.customer,
        name: new.name.trim().to_owned(),
        phone,
        source: new.source,
        interest: new.interest.clone(),
        stage: Stage::New,
        owner,
        expected_value: new.expected_value,
        next_follow_up_at: new.next_follow_up_at,
        lost_reason: None,
        won_value: None,
        created_at: ctx.op.at,
        stage_changed_at: ctx.op.at,
        history: Vec::new(),
    };
    records.put(Record::Lead(lead))?;
    Ok(vec![RecordKey::Lead(new.id)])
}

pub(super) fn move_stage<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: LeadId,
    to: Stage,
    lost_reason: Option<&str>,
    won_value: Option<i64>,
) -> Result<Vec<RecordKey>, OpError> {
    let mut lead = own_lead(records, ctx, id)?;
    if !lead.stage.can_move_to(to) {
        return Err(OpError::Stage {
            from: lead.stage,
            to,
        });
    }
    match to {
        Stage::Lost => {
            let reason = lost_reason.unwrap_or("");
            checks::name(Field::LostReason, reason)?;
            lead.lost_reason = Some(reason.trim().to_owned());
        }
        Stage::Won => {
            let value =
                won_value.ok_or_else(|| OpError::invalid(Field::WonValue, Problem::Missing))?;
            checks::money(Field::WonValue, value)?;
            lead.won_value = Some(value);
        }
        _ => {}
    }
    if !to.is_open() {
        lead.next_follow_up_at = None;
    }
    lead.history.push(StageChange {
        from: lead.stage,
        to,
        by: ctx.actor.id,
        at: ctx.op.at,
    });
    lead.stage = to;
    lead.stage_changed_at = ctx.op.at;
    records.put(Record::Lead(lead))?;
    let mut changed = vec![RecordKey::Lead(id)];
    changed.extend(super::followups::satisfy_lead_contact(records, ctx, id)?);
    Ok(changed)
}

pub(super) fn log_interaction<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewInteraction,
) -> Result<Vec<RecordKey>, OpError> {
    super::fresh(records, RecordKey::Interaction(new.id))?;
    checks::text(Field::Outcome, &new.outcome)?;
    let mut changed = vec![RecordKey::Interaction(new.id)];
    // What the interaction is about decides who may log it; a customer named beside a job or
    // a lead must be that job's or lead's, so that nobody files notes on customers they do
    // not work with (another rep's, another store's).
    let mut customer = new.customer;
    if let Some(job) = new.job {
        let j = visible_job(records, ctx, job)?;
        let own = ctx.has(Role::Technician) && j.works_on(ctx.actor.id);
        if !own && !ctx.actor.manages_store(j.store) {
            let c = visible_customer(records, ctx, j.customer)?;
            super::customers::may_work_on(ctx, &c)?;
        }
        if customer.is_some_and(|c| c != j.customer) {
            return Err(OpError::invalid(
                Field::InteractionCustomer,
                Problem::NotTheJobsCustomer,
            ));
        }
        customer = Some(j.customer);
    }
    let mut lead_to_contact = None;
    if let Some(lead) = new.lead {
        let l = own_lead(records, ctx, lead)?;
        match (customer, l.customer) {
            (Some(c), Some(lc)) if c != lc => {
                return Err(OpError::invalid(
                    Field::InteractionCustomer,
                    Problem::NotTheLeadsCustomer,
                ));
            }
            (Some(c), None) => {
                let c = visible_customer(records, ctx, c)?;
                if c.store != l.store {
                    return Err(OpError::invalid(
                        Field::InteractionCustomer,
                        Problem::OtherStore,
                    ));
                }
                super::customers::may_work_on(ctx, &c)?;
            }
            _ => customer = customer.or(l.customer),
        }
        if l.stage == Stage::New {
            lead_to_contact = Some(lead);
        }
    }
    if new.job.is_none() && new.lead.is_none() {
        let Some(c) = customer else {
            return Err(OpError::invalid(
                Field::InteractionCustomer,
                Problem::NoSubject,
            ));
        };
        let c = visible_customer(records, ctx, c)?;
        super::customers::may_work_on(ctx, &c)?;
    }
    // First contact moves a new lead on; the rep should not have to do it by hand.
    if let Some(lead) = lead_to_contact {
        changed.extend(move_stage(
            records,
            ctx,
            lead,
            Stage::Contacted,
            None,
            None,
        )?);
    }
    let interaction = Interaction {
        id: new.id,
        org: ctx.actor.org,
        kind: new.kind,
        outcome: new.outcome.clone(),
        at: ctx.op.at,
        author: ctx.actor.id,
        customer,
        lead: new.lead,
        job: new.job,
    };
    records.put(Record::Interaction(interaction))?;
    if let Some(lead) = new.lead {
        for key in super::followups::satisfy_lead_contact(records, ctx, lead)? {
            if !changed.contains(&key) {
                changed.push(key);
            }
        }
    }
    Ok(changed)
}

/// A lead its owner (or a manager of its store) may work on.
pub(super) fn own_lead<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    id: LeadId,
) -> Result<Lead, OpError> {
    let lead = records.lead(id)?;
    if lead.org != ctx.actor.org {
        return Err(OpError::NotFound {
            kind: RecordKind::Lead,
            id: id.0,
        });
    }
    if lead.owner != ctx.actor.id && !ctx.actor.manages_store(lead.store) {
        return Err(OpError::Forbidden(Denied::NotYourLead));
    }
    Ok(lead)
}
