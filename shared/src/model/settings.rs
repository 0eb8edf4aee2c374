//! The organization's settings and a person's daily follow-ups, changed from the console
//! (issue 16, item 2). Each change is one op made from the settings as the replica holds them
//! with the one value changed; `apply` checks who may and what makes sense, and its refusal is
//! said in words like any other.

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, commit};
use crate::effects::Effect;
use domain::followups::rules::FollowUpRules;
use domain::ids::UserId;
use domain::ops::{OpKind, Record, RecordKey};
use domain::org::SettingsPatch;
use domain::words::Label;

/// One setting of the panel: a number, a rule's switch and its number.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum SettingKey {
    BacklogAlertThreshold,
    SlaRiskMinutes,
    FollowUpCapacity,
    NewLead,
    StaleLead,
    Satisfaction,
    LowScore,
    Churn,
    Vip,
    Maintenance,
    Warranty,
    Birthday,
}

impl SettingKey {
    pub const ALL: [SettingKey; 12] = [
        SettingKey::BacklogAlertThreshold,
        SettingKey::SlaRiskMinutes,
        SettingKey::FollowUpCapacity,
        SettingKey::NewLead,
        SettingKey::StaleLead,
        SettingKey::Satisfaction,
        SettingKey::LowScore,
        SettingKey::Churn,
        SettingKey::Vip,
        SettingKey::Maintenance,
        SettingKey::Warranty,
        SettingKey::Birthday,
    ];
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum SettingsEvent {
    /// A setting's number as typed (sent when the field is left, not at each key).
    Number { key: SettingKey, value: String },
    /// A rule switched on or off.
    Switch { key: SettingKey, on: bool },
    /// How many follow-ups a person's day holds; blank: the organization's default.
    Capacity { user: UserId, value: String },
}

pub fn update(model: &mut Model, event: SettingsEvent) -> Command<Effect, Event> {
    let Some(org) =
        model
            .user()
            .map(|u| u.org)
            .and_then(|o| match model.replica.record(&RecordKey::Org(o)) {
                Some(Record::Org(org)) => Some(org.settings.clone()),
                _ => None,
            })
    else {
        return Command::done();
    };
    let number = |v: &str| v.trim().parse::<u32>().ok();
    let patch = match event {
        SettingsEvent::Capacity { user, value } => {
            let capacity = if value.trim().is_empty() {
                None
            } else {
                match number(&value).and_then(|n| u16::try_from(n).ok()) {
                    Some(n) => Some(n),
                    None => return not_a_number(model),
                }
            };
            return commit::request(OpKind::SetFollowUpCapacity { user, capacity });
        }
        SettingsEvent::Number { key, value } => {
            let Some(n) = number(&value) else {
                return not_a_number(model);
            };
            let mut patch = SettingsPatch::default();
            match key {
                SettingKey::BacklogAlertThreshold => patch.backlog_alert_threshold = Some(n),
                SettingKey::SlaRiskMinutes => patch.sla_risk_minutes = Some(n),
                SettingKey::FollowUpCapacity => {
                    patch.follow_up_capacity = Some(u16::try_from(n).unwrap_or(u16::MAX));
                }
                rule => {
                    let mut rules = org.follow_up_rules.clone();
                    if !set_number(&mut rules, rule, n) {
                        return Command::done();
                    }
                    patch.follow_up_rules = Some(rules);
                }
            }
            patch
        }
        SettingsEvent::Switch { key, on } => {
            let mut rules = org.follow_up_rules.clone();
            if !switch(&mut rules, key, on) {
                return Command::done();
            }
            SettingsPatch {
                follow_up_rules: Some(rules),
                ..SettingsPatch::default()
            }
        }
    };
    commit::request(OpKind::UpdateSettings(patch))
}

fn not_a_number(model: &mut Model) -> Command<Effect, Event> {
    model.notice = Some(Label::TypeAWholeNumber.into());
    render()
}

/// The rule's switch, if it has one.
#[must_use]
pub fn enabled(rules: &FollowUpRules, key: SettingKey) -> Option<bool> {
    Some(match key {
        SettingKey::NewLead => rules.new_lead.enabled,
        SettingKey::StaleLead => rules.stale_lead.enabled,
        SettingKey::Satisfaction => rules.satisfaction_call.enabled,
        SettingKey::LowScore => rules.low_score.enabled,
        SettingKey::Churn => rules.churn.enabled,
        SettingKey::Vip => rules.vip.enabled,
        SettingKey::Maintenance => rules.maintenance.enabled,
        SettingKey::Warranty => rules.warranty.enabled,
        SettingKey::Birthday => rules.birthday.enabled,
        _ => return None,
    })
}

/// The rule's number shown beside its switch, if it has one.
#[must_use]
pub fn rule_number(rules: &FollowUpRules, key: SettingKey) -> Option<u32> {
    Some(match key {
        SettingKey::NewLead => rules.new_lead.first_contact_working_minutes,
        SettingKey::StaleLead => rules.stale_lead.after_days,
        SettingKey::Satisfaction => rules.satisfaction_call.after_days,
        SettingKey::LowScore => rules.low_score.max_score.into(),
        SettingKey::Churn => rules.churn.after_months,
        SettingKey::Vip => rules.vip.every_days,
        SettingKey::Warranty => rules.warranty.days_before,
        _ => return None,
    })
}

fn switch(rules: &mut FollowUpRules, key: SettingKey, on: bool) -> bool {
    let slot = match key {
        SettingKey::NewLead => &mut rules.new_lead.enabled,
        SettingKey::StaleLead => &mut rules.stale_lead.enabled,
        SettingKey::Satisfaction => &mut rules.satisfaction_call.enabled,
        SettingKey::LowScore => &mut rules.low_score.enabled,
        SettingKey::Churn => &mut rules.churn.enabled,
        SettingKey::Vip => &mut rules.vip.enabled,
        SettingKey::Maintenance => &mut rules.maintenance.enabled,
        SettingKey::Warranty => &mut rules.warranty.enabled,
        SettingKey::Birthday => &mut rules.birthday.enabled,
        _ => return false,
    };
    *slot = on;
    true
}

fn set_number(rules: &mut FollowUpRules, key: SettingKey, n: u32) -> bool {
    match key {
        SettingKey::NewLead => rules.new_lead.first_contact_working_minutes = n,
        SettingKey::StaleLead => rules.stale_lead.after_days = n,
        SettingKey::Satisfaction => rules.satisfaction_call.after_days = n,
        // Out of a byte is out of range: `apply` says so with the field named.
        SettingKey::LowScore => rules.low_score.max_score = u8::try_from(n).unwrap_or(u8::MAX),
        SettingKey::Churn => rules.churn.after_months = n,
        SettingKey::Vip => rules.vip.every_days = n,
        SettingKey::Warranty => rules.warranty.days_before = n,
        _ => return false,
    }
    true
}
