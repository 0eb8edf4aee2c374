//! The organization's settings as the admin edits them on the console (`model::settings`).

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::settings::{SettingKey, enabled, rule_number, value_setting};
use domain::customers::Tier;
use domain::ids::StoreId;
use domain::jobs::ServiceType;
use domain::org::Role;
use domain::words::Label;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SettingsView {
    pub title: Word,
    pub rows: Vec<SettingRow>,
    /// Whose follow-up rules the rows show: the organization's (`store: None`) or a store's.
    pub store: Option<StoreId>,
    pub stores: Vec<RulesOf>,
    /// With a store shown: whether it keeps rules of its own, and the words of that switch.
    pub own_rules: Option<bool>,
    pub own_rules_label: Word,
    /// The promised hours, a row per service type and a cell per tier.
    pub sla_title: Word,
    pub tiers: Vec<Word>,
    pub sla: Vec<SlaRow>,
}

/// A choice of whose rules to show: `None` is the organization.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RulesOf {
    pub store: Option<StoreId>,
    pub name: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SlaRow {
    pub service: ServiceType,
    pub label: Word,
    pub cells: Vec<SlaCell>,
}

/// One tier's hours for the row's service: the organization's own promise, or blank with the
/// standard one as the hint.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SlaCell {
    pub tier: Tier,
    pub hours: String,
    pub standard: String,
}

/// One line of the panel: its words, a switch if the setting has one, a number if it has one
/// (as text, for the field).
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SettingRow {
    pub key: SettingKey,
    pub label: Word,
    pub on: Option<bool>,
    pub number: Option<String>,
    /// The number is a list of four thresholds, typed as text.
    pub list: bool,
}

/// For admins only: the settings are theirs to change (`ops/settings.rs`).
pub(super) fn view(
    model: &crate::model::Model,
    ctx: &Ctx,
    me: &domain::org::User,
) -> Option<SettingsView> {
    if !me.has(Role::Admin) {
        return None;
    }
    let s = &ctx.org?.settings;
    let store = model.settings_store;
    let own = store.and_then(|st| s.store_rules.iter().find(|r| r.store == st));
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
                SettingKey::WinBack => (Label::SettingWinBack, None),
                SettingKey::NewWithinDays => (Label::SettingNewWithin, None),
                SettingKey::AtRiskAfterDays => (Label::SettingAtRiskAfter, None),
                SettingKey::LapsedAfterDays => (Label::SettingLapsedAfter, None),
                SettingKey::RecencyTiers => (Label::SettingRecencyTiers, None),
                SettingKey::FrequencyTiers => (Label::SettingFrequencyTiers, None),
                SettingKey::SpendTiers => (Label::SettingSpendTiers, None),
                SettingKey::ValueWindowDays => (Label::SettingValueWindow, None),
                SettingKey::AuditRetentionDays => {
                    (Label::SettingAuditRetention, Some(s.retention.audit_days))
                }
                SettingKey::Vip => (Label::SettingVip, None),
                SettingKey::Maintenance => (Label::SettingMaintenance, None),
                SettingKey::Warranty => (Label::SettingWarranty, None),
                SettingKey::Birthday => (Label::SettingBirthday, None),
            };
            let rules = own.map_or(&s.follow_up_rules, |r| &r.rules);
            SettingRow {
                key,
                label: Word::label(ctx.t, label),
                on: enabled(rules, key),
                number: number
                    .or_else(|| rule_number(rules, key))
                    .map(|n| n.to_string())
                    .or_else(|| value_setting(&s.customer_value, key)),
                list: key.is_tiers(),
            }
        })
        .collect();
    let mut stores: Vec<RulesOf> = model
        .replica
        .of_kind(domain::ops::RecordKind::Store)
        .filter_map(|r| match r {
            domain::ops::Record::Store(st) => Some(RulesOf {
                store: Some(st.id),
                name: Word::new(st.name.clone()),
            }),
            _ => None,
        })
        .collect();
    stores.sort_by(|a, b| a.name.text.cmp(&b.name.text));
    stores.insert(
        0,
        RulesOf {
            store: None,
            name: Word::label(ctx.t, Label::AllStores),
        },
    );
    let tiers = [Tier::Standard, Tier::Silver, Tier::Gold, Tier::Diamond];
    let services = [
        ServiceType::EmergencyRepair,
        ServiceType::Repair,
        ServiceType::Installation,
        ServiceType::Tuning,
        ServiceType::Maintenance,
        ServiceType::Inspection,
    ];
    let sla = services
        .into_iter()
        .map(|service| SlaRow {
            service,
            label: Word::new(ctx.t.service(service)),
            cells: tiers
                .into_iter()
                .map(|tier| SlaCell {
                    tier,
                    hours: s
                        .sla_hours
                        .iter()
                        .find(|h| h.tier == tier && h.service == service)
                        .map(|h| h.hours.to_string())
                        .unwrap_or_default(),
                    standard: domain::jobs::sla::standard_hours(tier, service).to_string(),
                })
                .collect(),
        })
        .collect();
    Some(SettingsView {
        title: Word::label(ctx.t, Label::Settings),
        rows,
        store,
        stores,
        own_rules: store.map(|_| own.is_some()),
        own_rules_label: Word::label(ctx.t, Label::StoreOwnRules),
        sla_title: Word::label(ctx.t, Label::SlaTitle),
        tiers: tiers
            .into_iter()
            .map(|t| Word::new(ctx.t.tier(t)))
            .collect(),
        sla,
    })
}
