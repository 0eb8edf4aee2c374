//! Settings as data: what the back office changes while Rounds runs, as ops like any other
//! change (synced, audited, replayed the same on every device). The organization's settings
//! are the admins'; how many follow-ups a person's day holds is also their store's
//! dispatcher's, since the dispatcher is the one who sees the reps' loads (`docs/followups.md`).

use super::invalid::{Field, Problem};
use super::records::RecordsExt;
use super::{Clash, Ctx, Denied, OpError, Record, RecordKey, Records};
use crate::followups::rules::FollowUpRules;
use crate::ids::UserId;
use crate::org::{MAX_FOLLOW_UP_CAPACITY, Role, SettingsPatch, SlaHours, StoreRules};

/// The longest promise a tier and service type may be given: ninety days.
pub const MAX_SLA_HOURS: u32 = 90 * 24;

/// Sets (or, with `None`, clears back to the organization's default) how many follow-ups
/// `user`'s day holds. An admin for anyone; a dispatcher for the people of their stores and
/// for themselves; nobody else, not even for their own day.
pub(super) fn follow_up_capacity<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: UserId,
    capacity: Option<u16>,
) -> Result<Vec<RecordKey>, OpError> {
    let mut user = records.user(id)?;
    let own_desk =
        id == ctx.actor.id && (ctx.actor.has(Role::Admin) || ctx.actor.has(Role::Dispatcher));
    if !own_desk && !ctx.actor.manages_person(&user) {
        return Err(OpError::Forbidden(Denied::OnlyManagerSetsCapacity));
    }
    if let Some(c) = capacity {
        in_range(
            Field::FollowUpCapacity,
            c.into(),
            1,
            MAX_FOLLOW_UP_CAPACITY.into(),
        )?;
    }
    if user.follow_up_capacity == capacity {
        return Ok(Vec::new());
    }
    user.follow_up_capacity = capacity;
    records.put(Record::User(user))?;
    Ok(vec![RecordKey::User(id)])
}

/// Applies a patch of the organization's settings. Admins only; every number is checked
/// against a range that still makes sense (a threshold of 0 would alert all day; a rule
/// waiting 0 days would fire on every sync).
pub(super) fn update<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    patch: &SettingsPatch,
) -> Result<Vec<RecordKey>, OpError> {
    if !ctx.actor.has(Role::Admin) {
        return Err(OpError::Forbidden(Denied::OnlyAdminChangesSettings));
    }
    let mut org = records.org(ctx.actor.org)?;
    let s = &mut org.settings;
    if let Some(seen) = &patch.rules_seen {
        let now = match &patch.store_rules {
            Some(p) => s.rules_for(p.store),
            None => &s.follow_up_rules,
        };
        if now != seen.as_ref() {
            return Err(OpError::Conflict(Clash::SettingsChangedMeanwhile));
        }
    }
    if let Some(n) = patch.backlog_alert_threshold {
        in_range(Field::BacklogAlertThreshold, n.into(), 1, 10_000)?;
        s.backlog_alert_threshold = n;
    }
    if let Some(n) = patch.sla_risk_minutes {
        in_range(Field::SlaRiskMinutes, n.into(), 15, 7 * 24 * 60)?;
        s.sla_risk_minutes = n;
    }
    if let Some(n) = patch.follow_up_capacity {
        in_range(
            Field::FollowUpCapacity,
            n.into(),
            1,
            MAX_FOLLOW_UP_CAPACITY.into(),
        )?;
        s.follow_up_capacity = n;
    }
    if let Some(rules) = &patch.follow_up_rules {
        check_rules(rules)?;
        s.follow_up_rules = rules.clone();
    }
    if let Some(on) = patch.admin_second_factor {
        s.admin_second_factor = on;
    }
    if let Some(p) = &patch.store_rules {
        records.store(p.store)?;
        s.store_rules.retain(|r| r.store != p.store);
        if let Some(rules) = &p.rules {
            check_rules(rules)?;
            s.store_rules.push(StoreRules {
                store: p.store,
                rules: rules.clone(),
            });
        }
    }
    if let Some(p) = patch.sla_hours {
        s.sla_hours
            .retain(|h| !(h.tier == p.tier && h.service == p.service));
        if let Some(hours) = p.hours {
            in_range(Field::SlaHours, hours.into(), 1, MAX_SLA_HOURS.into())?;
            s.sla_hours.push(SlaHours {
                tier: p.tier,
                service: p.service,
                hours,
            });
        }
    }
    if let Some(v) = &patch.customer_value {
        v.check().map_err(|p| {
            use crate::purchases::value::SettingsProblem as P;
            OpError::invalid(
                Field::CustomerValue,
                match p {
                    P::DaysOutOfRange => Problem::OutOfRange { min: 1, max: 3_650 },
                    P::LapsedBeforeAtRisk => Problem::EndsBeforeStart,
                    P::TiersNotRising => Problem::NotRising,
                },
            )
        })?;
        s.customer_value = (**v).clone();
    }
    if let Some(r) = patch.retention {
        in_range(Field::AuditRetention, r.audit_days.into(), 30, 3_650)?;
        s.retention = r;
    }
    records.put(Record::Org(org))?;
    Ok(vec![RecordKey::Org(ctx.actor.org)])
}

/// Every number of the rules within a range a person could mean.
fn check_rules(r: &FollowUpRules) -> Result<(), OpError> {
    let days = |n: u32| in_range(Field::FollowUpRule, n.into(), 1, 3_650);
    in_range(
        Field::FollowUpRule,
        r.new_lead.first_contact_working_minutes.into(),
        1,
        7 * 24 * 60,
    )?;
    if r.new_lead.cadence_days.len() > 20 {
        return Err(OpError::invalid(
            Field::FollowUpRule,
            Problem::OutOfRange { min: 0, max: 20 },
        ));
    }
    for d in &r.new_lead.cadence_days {
        days(*d)?;
    }
    days(r.stale_lead.after_days)?;
    days(r.satisfaction_call.after_days)?;
    in_range(Field::FollowUpRule, r.low_score.max_score.into(), 1, 5)?;
    in_range(
        Field::FollowUpRule,
        r.low_score.within_hours.into(),
        1,
        24 * 30,
    )?;
    days(r.vip.every_days)?;
    if r.vip.annual_spend_over < 0 {
        return Err(OpError::invalid(
            Field::FollowUpRule,
            Problem::MoneyOutOfRange,
        ));
    }
    days(r.warranty.days_before)?;
    in_range(Field::FollowUpRule, r.create_ahead_days.into(), 0, 60)?;
    days(r.catch_up_days)?;
    Ok(())
}

fn in_range(field: Field, n: i64, min: i64, max: i64) -> Result<(), OpError> {
    if (min..=max).contains(&n) {
        Ok(())
    } else {
        Err(OpError::invalid(field, Problem::OutOfRange { min, max }))
    }
}
