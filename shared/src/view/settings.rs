//! The organization's settings as the admin edits them on the console (`model::settings`).

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::settings::{SettingKey, enabled, rule_number};
use domain::org::Role;
use domain::words::Label;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SettingsView {
    pub title: Word,
    pub rows: Vec<SettingRow>,
}

/// One line of the panel: its words, a switch if the setting has one, a number if it has one
/// (as text, for the field).
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SettingRow {
    pub key: SettingKey,
    pub label: Word,
    pub on: Option<bool>,
    pub number: Option<String>,
}

/// For admins only: the settings are theirs to change (`ops/settings.rs`).
pub(super) fn view(ctx: &Ctx, me: &domain::org::User) -> Option<SettingsView> {
    if !me.has(Role::Admin) {
        return None;
    }
    let s = &ctx.org?.settings;
    let rows = SettingKey::ALL
        .into_iter()
        .map(|key| {
            let (label, number) = match key {
                SettingKey::BacklogAlertThreshold => {
                    (Label::SettingBacklogAlert, Some(s.backlog_alert_threshold))
                }
                SettingKey::SlaRiskMinutes => (Label::SettingSlaRisk, Some(s.sla_risk_minutes)),
                SettingKey::FollowUpCapacity => (
                    Label::SettingFollowUpCapacity,
                    Some(u32::from(s.follow_up_capacity)),
                ),
                SettingKey::NewLead => (Label::SettingNewLead, None),
                SettingKey::StaleLead => (Label::SettingStaleLead, None),
                SettingKey::Satisfaction => (Label::SettingSatisfaction, None),
                SettingKey::LowScore => (Label::SettingLowScore, None),
                SettingKey::Churn => (Label::SettingChurn, None),
                SettingKey::Vip => (Label::SettingVip, None),
                SettingKey::Maintenance => (Label::SettingMaintenance, None),
                SettingKey::Warranty => (Label::SettingWarranty, None),
                SettingKey::Birthday => (Label::SettingBirthday, None),
            };
            let rules = &s.follow_up_rules;
            SettingRow {
                key,
                label: Word::label(ctx.t, label),
                on: enabled(rules, key),
                number: number
                    .or_else(|| rule_number(rules, key))
                    .map(|n| n.to_string()),
            }
        })
        .collect();
    Some(SettingsView {
        title: Word::label(ctx.t, Label::Settings),
        rows,
    })
}
