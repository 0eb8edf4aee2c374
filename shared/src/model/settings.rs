//! The organization's settings and a person's daily follow-ups, changed from the console
//! (issue 16, item 2). Each change is one op made from the settings as the replica holds them
//! with the one value changed; `apply` checks who may and what makes sense, and its refusal is
//! said in words like any other.

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, commit};
use crate::effects::Effect;
use domain::customers::Tier;
use domain::followups::rules::FollowUpRules;
use domain::ids::{StoreId, UserId};
use domain::jobs::ServiceType;
use domain::ops::{OpKind, Record, RecordKey};
use domain::org::{SettingsPatch, SlaHoursPatch, StoreRulesPatch};
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
    WinBack,
    NewWithinDays,
    AtRiskAfterDays,
    LapsedAfterDays,
    RecencyTiers,
    FrequencyTiers,
    SpendTiers,
    ValueWindowDays,
    AuditRetentionDays,
}

impl SettingKey {
    pub const ALL: [SettingKey; 21] = [
        SettingKey::BacklogAlertThreshold,
        SettingKey::SlaRiskMinutes,
        SettingKey::FollowUpCapacity,
        SettingKey::NewLead,
        SettingKey::StaleLead,
        SettingKey::Satisfaction,
        SettingKey::LowScore,
        SettingKey::Churn,
        SettingKey::WinBack,
        SettingKey::Vip,
        SettingKey::Maintenance,
        SettingKey::Warranty,
        SettingKey::Birthday,
        SettingKey::NewWithinDays,
        SettingKey::AtRiskAfterDays,
        SettingKey::LapsedAfterDays,
        SettingKey::RecencyTiers,
        SettingKey::FrequencyTiers,
        SettingKey::SpendTiers,
        SettingKey::ValueWindowDays,
        SettingKey::AuditRetentionDays,
    ];

    /// Whether it is a list of four thresholds (typed as "30, 90, 180, 365").
    #[must_use]
    pub fn is_tiers(self) -> bool {
        matches!(
            self,
            SettingKey::RecencyTiers | SettingKey::FrequencyTiers | SettingKey::SpendTiers
        )
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum SettingsEvent {
    /// A setting's number as typed (sent when the field is left, not at each key); for
    /// a list of thresholds, the four as typed.
    Number { key: SettingKey, value: String },
    /// A rule switched on or off.
    Switch { key: SettingKey, on: bool },
    /// How many follow-ups a person's day holds; blank: the organization's default.
    Capacity { user: UserId, value: String },
    /// Whose follow-up rules the panel shows and changes: a store's, or (`None`) the
    /// organization's.
    Store(Option<StoreId>),
    /// The store shown keeps rules of its own (a copy of the organization's to change), or
    /// goes back to the organization's.
    OwnRules(bool),
    /// The hours promised for a tier and service type; blank: the standard promise.
    Sla {
        tier: Tier,
        service: ServiceType,
        value: String,
    },
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
    // The rules the panel shows: the chosen store's own, else the organization's.
    let store = model.settings_store;
    let shown = store
        .and_then(|s| org.store_rules.iter().find(|r| r.store == s))
        .map_or(&org.follow_up_rules, |r| &r.rules)
        .clone();
    // Made on the rules as shown: another admin's change since is not undone unseen.
    let seen = Some(Box::new(shown.clone()));
    let rules_patch = |rules: FollowUpRules| match store {
        Some(store) => SettingsPatch {
            store_rules: Some(StoreRulesPatch {
                store,
                rules: Some(rules),
            }),
            rules_seen: seen.clone(),
            ..SettingsPatch::default()
        },
        None => SettingsPatch {
            follow_up_rules: Some(rules),
            rules_seen: seen.clone(),
            ..SettingsPatch::default()
        },
    };
    let patch = match event {
        SettingsEvent::Store(store) => {
            model.settings_store = store;
            return render();
        }
        SettingsEvent::OwnRules(own) => {
            let Some(store) = store else {
                return Command::done();
            };
            SettingsPatch {
                store_rules: Some(StoreRulesPatch {
                    store,
                    rules: own.then(|| org.follow_up_rules.clone()),
                }),
                ..SettingsPatch::default()
            }
        }
        SettingsEvent::Sla {
            tier,
            service,
            value,
        } => {
            let hours = if value.trim().is_empty() {
                None
            } else {
                match number(&value) {
                    Some(n) => Some(n),
                    None => return not_a_number(model),
                }
            };
            SettingsPatch {
                sla_hours: Some(SlaHoursPatch {
                    tier,
                    service,
                    hours,
                }),
                ..SettingsPatch::default()
            }
        }
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
        SettingsEvent::Number { key, value } if key.is_tiers() => {
            let Some(v) = with_tiers(&org.customer_value, key, &value) else {
                model.notice = Some(Label::TypeFourNumbers.into());
                return render();
            };
            SettingsPatch {
                customer_value: Some(Box::new(v)),
                ..SettingsPatch::default()
            }
        }
        SettingsEvent::Number { key, value } => {
            let Some(n) = number(&value) else {
                return not_a_number(model);
            };
            let mut patch = SettingsPatch::default();
            let mut value_settings = org.customer_value.clone();
            let value_slot = match key {
                SettingKey::NewWithinDays => Some(&mut value_settings.new_within_days),
                SettingKey::AtRiskAfterDays => Some(&mut value_settings.at_risk_after_days),
                SettingKey::LapsedAfterDays => Some(&mut value_settings.lapsed_after_days),
                SettingKey::ValueWindowDays => Some(&mut value_settings.window_days),
                _ => None,
            };
            if let Some(slot) = value_slot {
                *slot = n;
                patch.customer_value = Some(Box::new(value_settings));
                return commit::request(OpKind::UpdateSettings(patch));
            }
            match key {
                SettingKey::AuditRetentionDays => {
                    patch.retention = Some(domain::org::Retention { audit_days: n });
                }
                SettingKey::BacklogAlertThreshold => patch.backlog_alert_threshold = Some(n),
                SettingKey::SlaRiskMinutes => patch.sla_risk_minutes = Some(n),
                SettingKey::FollowUpCapacity => {
                    patch.follow_up_capacity = Some(u16::try_from(n).unwrap_or(u16::MAX));
                }
                rule => {
                    let mut rules = shown;
                    if !set_number(&mut rules, rule, n) {
                        return Command::done();
                    }
                    return commit::request(OpKind::UpdateSettings(rules_patch(rules)));
                }
            }
            patch
        }
        SettingsEvent::Switch { key, on } => {
            let mut rules = shown;
            if !switch(&mut rules, key, on) {
                return Command::done();
            }
            rules_patch(rules)
        }
    };
    commit::request(OpKind::UpdateSettings(patch))
}

/// The customer-value settings with one list of thresholds replaced by `typed` ("30, 90, 180,
/// 365"; Chinese commas too; amounts in major units); `None` unless it is four numbers.
fn with_tiers(
    v: &domain::purchases::value::ValueSettings,
    key: SettingKey,
    typed: &str,
) -> Option<domain::purchases::value::ValueSettings> {
    let parts: Vec<u64> = typed
        .split([',', '，', '、', ' ', ';'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim().parse::<u64>().ok())
        .collect::<Option<_>>()?;
    let four: [u64; 4] = parts.try_into().ok()?;
    let mut v = v.clone();
    let small = |n: u64| u32::try_from(n).ok();
    match key {
        SettingKey::RecencyTiers => v.recency_days = four.map(small).map(|x| x.unwrap_or(u32::MAX)),
        SettingKey::FrequencyTiers => {
            v.frequency_at_least = four.map(small).map(|x| x.unwrap_or(u32::MAX));
        }
        SettingKey::SpendTiers => {
            v.spend_at_least =
                four.map(|n| i64::try_from(n.saturating_mul(100)).unwrap_or(i64::MAX));
        }
        _ => return None,
    }
    Some(v)
}

/// The value of a customer-value row as the panel shows it.
#[must_use]
pub fn value_setting(
    v: &domain::purchases::value::ValueSettings,
    key: SettingKey,
) -> Option<String> {
    let join = |n: [u64; 4]| n.map(|x| x.to_string()).join(", ");
    Some(match key {
        SettingKey::NewWithinDays => v.new_within_days.to_string(),
        SettingKey::AtRiskAfterDays => v.at_risk_after_days.to_string(),
        SettingKey::LapsedAfterDays => v.lapsed_after_days.to_string(),
        SettingKey::ValueWindowDays => v.window_days.to_string(),
        SettingKey::RecencyTiers => join(v.recency_days.map(u64::from)),
        SettingKey::FrequencyTiers => join(v.frequency_at_least.map(u64::from)),
        SettingKey::SpendTiers => join(
            v.spend_at_least
                .map(|m| u64::try_from(m / 100).unwrap_or(0)),
        ),
        _ => return None,
    })
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
        SettingKey::WinBack => rules.win_back.enabled,
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
        SettingKey::WinBack => &mut rules.win_back.enabled,
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
        SettingKey::Vip => rules.vip.every_days = n,
        SettingKey::Warranty => rules.warranty.days_before = n,
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DispatcherEvent;
    use crate::model::fake_shell::drive;
    use crate::model::notice::Notice;
    use crate::model::tests::{signed_in, t0, user_with};
    use crate::view::settings::SettingsView;
    use crate::view::{DispatcherScreen, Screen, ViewModel};
    use domain::org::{OrgSettings, Role};

    fn send(m: &mut Model, e: SettingsEvent) {
        drive(m, Event::Dispatcher(DispatcherEvent::Settings(e)), t0());
    }

    fn panel(m: &Model) -> SettingsView {
        match ViewModel::from(m).screen {
            Screen::Dispatcher(DispatcherScreen::BackOffice(b)) => b.settings.unwrap(),
            other => panic!("not the admin console: {other:?}"),
        }
    }

    fn org(m: &Model) -> OrgSettings {
        let id = m.user().unwrap().org;
        match m.replica.record(&RecordKey::Org(id)) {
            Some(Record::Org(o)) => o.settings.clone(),
            _ => panic!("no organization"),
        }
    }

    fn birthday(v: &SettingsView) -> Option<bool> {
        v.rows
            .iter()
            .find(|r| r.key == SettingKey::Birthday)
            .and_then(|r| r.on)
    }

    /// Issue 16, item 2: follow-up rules per store, and SLA hours by tier and service, edited
    /// in the console; each change one op, shown back as the replica holds it.
    #[test]
    fn a_stores_own_rules_and_the_promised_hours_are_set_from_the_panel() {
        let mut admin = signed_in(user_with(Role::Admin));
        let store = panel(&admin).stores[1]
            .store
            .expect("a store after the organization");
        assert_eq!(
            panel(&admin).own_rules,
            None,
            "the organization's rules shown"
        );
        send(&mut admin, SettingsEvent::Store(Some(store)));
        assert_eq!(panel(&admin).own_rules, Some(false));
        // Switching a rule of a store gives the store rules of its own; the organization's stay.
        send(
            &mut admin,
            SettingsEvent::Switch {
                key: SettingKey::Birthday,
                on: false,
            },
        );
        let s = org(&admin);
        assert!(!s.rules_for(store).birthday.enabled);
        assert!(s.follow_up_rules.birthday.enabled);
        assert_eq!(panel(&admin).own_rules, Some(true));
        assert_eq!(birthday(&panel(&admin)), Some(false));
        send(&mut admin, SettingsEvent::Store(None));
        assert_eq!(birthday(&panel(&admin)), Some(true));
        send(&mut admin, SettingsEvent::Store(Some(store)));
        send(&mut admin, SettingsEvent::OwnRules(false));
        assert!(org(&admin).store_rules.is_empty());
        assert_eq!(birthday(&panel(&admin)), Some(true));

        let sla = |value: &str| SettingsEvent::Sla {
            tier: Tier::Gold,
            service: ServiceType::Repair,
            value: value.into(),
        };
        let cell = |m: &Model| {
            let v = panel(m);
            let row = v
                .sla
                .iter()
                .find(|r| r.service == ServiceType::Repair)
                .unwrap();
            row.cells
                .iter()
                .find(|c| c.tier == Tier::Gold)
                .unwrap()
                .clone()
        };
        assert_eq!(
            (cell(&admin).hours.as_str(), cell(&admin).standard.as_str()),
            ("", "72")
        );
        send(&mut admin, sla("12"));
        assert_eq!(
            org(&admin).sla_base_hours(Tier::Gold, ServiceType::Repair),
            12
        );
        assert_eq!(cell(&admin).hours, "12");
        send(&mut admin, sla("soon"));
        assert_eq!(admin.notice, Some(Notice::Said(Label::TypeAWholeNumber)));
        send(&mut admin, sla(" "));
        assert_eq!(cell(&admin).hours, "");
        assert!(org(&admin).sla_hours.is_empty());
    }

    /// Issue 17, item 1: the thresholds of customers' value are settings: days as numbers,
    /// the score thresholds as four rising numbers typed on one line (amounts in yuan).
    #[test]
    fn customer_value_thresholds_are_typed_on_the_panel_and_checked() {
        let mut admin = signed_in(user_with(Role::Admin));
        let row = |m: &Model, key| panel(m).rows.into_iter().find(|r| r.key == key).unwrap();
        let spend = row(&admin, SettingKey::SpendTiers);
        assert!(spend.list);
        assert_eq!(spend.number.as_deref(), Some("1000, 5000, 20000, 50000"));
        send(
            &mut admin,
            SettingsEvent::Number {
                key: SettingKey::RecencyTiers,
                value: "20，60、120 300".into(),
            },
        );
        assert_eq!(org(&admin).customer_value.recency_days, [20, 60, 120, 300]);
        send(
            &mut admin,
            SettingsEvent::Number {
                key: SettingKey::SpendTiers,
                value: "500, 2000, 8000, 30000".into(),
            },
        );
        assert_eq!(
            org(&admin).customer_value.spend_at_least,
            [50_000, 200_000, 800_000, 3_000_000]
        );
        // Three numbers: said on the device, nothing sent.
        send(
            &mut admin,
            SettingsEvent::Number {
                key: SettingKey::FrequencyTiers,
                value: "2, 3, 5".into(),
            },
        );
        assert_eq!(admin.notice, Some(Notice::Said(Label::TypeFourNumbers)));
        // Not rising, or lapsed before at risk: refused by `apply`, nothing changed.
        send(
            &mut admin,
            SettingsEvent::Number {
                key: SettingKey::FrequencyTiers,
                value: "5, 3, 8, 10".into(),
            },
        );
        assert!(
            matches!(admin.notice, Some(Notice::Refused(_))),
            "{:?}",
            admin.notice
        );
        assert_eq!(org(&admin).customer_value.frequency_at_least, [2, 3, 5, 10]);
        send(
            &mut admin,
            SettingsEvent::Number {
                key: SettingKey::LapsedAfterDays,
                value: "60".into(),
            },
        );
        assert!(matches!(admin.notice, Some(Notice::Refused(_))));
        assert_eq!(org(&admin).customer_value.lapsed_after_days, 365);
        send(
            &mut admin,
            SettingsEvent::Number {
                key: SettingKey::AtRiskAfterDays,
                value: "120".into(),
            },
        );
        assert_eq!(org(&admin).customer_value.at_risk_after_days, 120);
        assert_eq!(
            row(&admin, SettingKey::AtRiskAfterDays).number.as_deref(),
            Some("120")
        );
        // The churn rule is a switch now; its timing is the customer's risk.
        assert_eq!(row(&admin, SettingKey::Churn).number, None);
        assert_eq!(row(&admin, SettingKey::WinBack).on, Some(true));
    }
}
