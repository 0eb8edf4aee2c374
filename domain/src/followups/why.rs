//! Why a rule raised a follow-up, as data: what the rule saw (the cadence step, the birthday,
//! the score). Kept on the follow-up so that every device and language tells the same story;
//! a table words it ([`crate::words::Table::follow_up_why`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Why {
    /// A new lead waits for its first contact; what it is interested in (a category code).
    FirstContact { interest: String },
    /// Step `step` (from 1) of the `of` contacts the cadence asks for in a stage.
    Cadence { step: u32, of: u32 },
    /// Nobody has been in touch with the lead for this many days.
    NoContact { days: u32 },
    /// The job (its number) was completed: how did it go?
    JobDone { job: String },
    /// The customer scored the job (its number) `score` out of 5.
    LowScore { job: String, score: u8 },
    /// No purchase or service since `since`, `months` months before the follow-up is due.
    NoPurchase { since: NaiveDate, months: u32 },
    /// Quiet since `since`: past the at-risk threshold, or twice their usual gap of
    /// `usual_gap_days` between visits (`crate::purchases::value`).
    ChurnRisk {
        since: NaiveDate,
        usual_gap_days: Option<u32>,
    },
    /// Lapsed: no purchase or service since `since`.
    Lapsed { since: NaiveDate },
    /// What the customer bought in the last 12 months, in minor units.
    Vip { spend: i64 },
    /// An asset's next service is due.
    ServiceDue {
        product: String,
        serial: String,
        due: NaiveDate,
    },
    /// An asset's warranty ends.
    WarrantyEnds {
        product: String,
        serial: String,
        end: NaiveDate,
    },
    /// The customer's birthday, on this day.
    Birthday { day: NaiveDate },
}

impl Why {
    /// The texts it carries, for the length checks of `apply`.
    #[must_use]
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Why::FirstContact { interest } => vec![interest],
            Why::JobDone { job } | Why::LowScore { job, .. } => vec![job],
            Why::ServiceDue {
                product, serial, ..
            }
            | Why::WarrantyEnds {
                product, serial, ..
            } => vec![product, serial],
            Why::Cadence { .. }
            | Why::NoContact { .. }
            | Why::NoPurchase { .. }
            | Why::ChurnRisk { .. }
            | Why::Lapsed { .. }
            | Why::Vip { .. }
            | Why::Birthday { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leads::InterestCategory;
    use crate::org::OrgSettings;
    use crate::words::{Lang, table};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn worded(why: &Why, org: &OrgSettings) -> (String, String) {
        (
            table(Lang::English).follow_up_why(why, org),
            table(Lang::SimplifiedChinese).follow_up_why(why, org),
        )
    }

    #[test]
    fn each_reason_reads_in_both_languages_with_its_data() {
        let org = OrgSettings {
            interests: vec![InterestCategory {
                code: "piano".into(),
                name_en: "Piano".into(),
                name_zh: "钢琴".into(),
            }],
            ..OrgSettings::default()
        };
        let piano = Why::FirstContact {
            interest: "piano".into(),
        };
        assert_eq!(
            worded(&piano, &org),
            (
                "New lead: first contact (Piano)".into(),
                "新线索：首次联系（钢琴）".into()
            )
        );
        assert_eq!(
            worded(&Why::Cadence { step: 3, of: 4 }, &org),
            ("Cadence step 3 of 4".into(), "跟进第 3 步，共 4 步".into())
        );
        assert_eq!(
            worded(
                &Why::Birthday {
                    day: date(2026, 12, 7)
                },
                &org
            ),
            ("Birthday on 12-07".into(), "12月7日生日".into())
        );
        assert_eq!(
            worded(&Why::Vip { spend: 1_280_000 }, &org),
            (
                "VIP: ¥12,800 bought in the last 12 months".into(),
                "VIP：近 12 个月消费 ¥12,800".into()
            )
        );
    }

    #[test]
    fn follow_ups_stored_before_reasons_were_typed_still_read() {
        let old = serde_json::json!({
            "id": "0190b90a-ef60-76e2-bbcd-297f38d549df",
            "subject": {"Lead": "0190b90a-ef60-76e2-bbcd-297f38d549de"},
            "due_at": "2026-11-23T01:00:00Z",
            "reason": {"Rule": "lead-cadence"},
            "owner": null,
            "note": "Cadence step 3 of 4"
        });
        let new: crate::ops::NewFollowUp = serde_json::from_value(old).unwrap();
        assert_eq!(new.why, None);
        assert_eq!(new.note, "Cadence step 3 of 4");
        // Manual ones are sent as before: no `why` on the wire.
        let sent = serde_json::to_value(&new).unwrap();
        assert!(sent.get("why").is_none());
        let with = crate::ops::NewFollowUp {
            why: Some(Why::Cadence { step: 3, of: 4 }),
            ..new
        };
        let back: crate::ops::NewFollowUp =
            serde_json::from_value(serde_json::to_value(&with).unwrap()).unwrap();
        assert_eq!(back, with);
    }

    #[test]
    fn an_interest_the_catalogue_lacks_shows_its_code() {
        let org = OrgSettings::default();
        let why = Why::FirstContact {
            interest: "harp".into(),
        };
        assert_eq!(
            worded(&why, &org),
            (
                "New lead: first contact (harp)".into(),
                "新线索：首次联系（harp）".into()
            )
        );
    }

    #[test]
    fn every_reason_has_chinese_words() {
        let org = OrgSettings::default();
        let all = [
            Why::FirstContact {
                interest: "piano".into(),
            },
            Why::Cadence { step: 1, of: 4 },
            Why::NoContact { days: 30 },
            Why::JobDone { job: "J-1".into() },
            Why::LowScore {
                job: "J-1".into(),
                score: 2,
            },
            Why::NoPurchase {
                since: date(2025, 1, 2),
                months: 18,
            },
            Why::ChurnRisk {
                since: date(2026, 3, 1),
                usual_gap_days: Some(30),
            },
            Why::ChurnRisk {
                since: date(2026, 3, 1),
                usual_gap_days: None,
            },
            Why::Lapsed {
                since: date(2025, 3, 1),
            },
            Why::Vip { spend: 100 },
            Why::ServiceDue {
                product: "U1".into(),
                serial: "S1".into(),
                due: date(2026, 1, 2),
            },
            Why::WarrantyEnds {
                product: "U1".into(),
                serial: "S1".into(),
                end: date(2026, 1, 2),
            },
            Why::Birthday {
                day: date(2026, 2, 28),
            },
        ];
        for why in &all {
            let (en, zh) = worded(why, &org);
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{en}"
            );
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
    }
}
