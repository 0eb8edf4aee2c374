//! The figures as CSV, for a spreadsheet: one line per store, person and week, then each
//! store's and person's period, then the organization's. Counts as plain numbers, rates in
//! thousandths, medians in whole or half units; an empty cell where there is nothing to
//! divide or take the median of, or where a figure does not exist at that level.
//!
//! Lines end in CRLF (RFC 4180). No byte-order mark: a caller serving the file to Excel,
//! which reads a UTF-8 file without one in the machine's own code page, prepends `\u{feff}`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{Buyers, Figures, Kpis, LeadFigures};
use crate::ids::{StoreId, UserId};
use crate::leads::LeadSource;
use crate::ops::Record;

/// What the file calls stores and people: data from the records, written as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    pub stores: BTreeMap<StoreId, String>,
    pub people: BTreeMap<UserId, String>,
}

impl Names {
    #[must_use]
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> Self {
        let mut names = Names::default();
        for r in records {
            match r {
                Record::Store(s) => {
                    names.stores.insert(s.id, s.name.clone());
                }
                Record::User(u) => {
                    names.people.insert(u.id, u.name.clone());
                }
                _ => {}
            }
        }
        names
    }
}

/// Every lead source, in the order of their columns.
const SOURCES: [LeadSource; 6] = [
    LeadSource::WalkIn,
    LeadSource::Phone,
    LeadSource::Website,
    LeadSource::Referral,
    LeadSource::Event,
    LeadSource::Campaign,
];

fn source_column(source: LeadSource) -> &'static str {
    match source {
        LeadSource::WalkIn => "walk_in",
        LeadSource::Phone => "phone",
        LeadSource::Website => "website",
        LeadSource::Referral => "referral",
        LeadSource::Event => "event",
        LeadSource::Campaign => "campaign",
    }
}

const FIRST_COLUMNS: [&str; 22] = [
    "level",
    "store_id",
    "store",
    "person_id",
    "person",
    "week_start",
    "iso_week",
    "completed_jobs",
    "first_time_fixes",
    "first_time_fix_per_mille",
    "within_sla",
    "sla_compliance_per_mille",
    "arrivals",
    "response_median_minutes",
    "travel_minutes",
    "on_site_minutes",
    "travel_share_per_mille",
    "working_days",
    "jobs_per_day",
    "follow_ups_done",
    "follow_ups_on_time",
    "follow_up_on_time_per_mille",
];

const LEAD_COLUMNS: [&str; 4] = ["closed", "won", "conversion_per_mille", "cycle_median_days"];

const LAST_COLUMNS: [&str; 3] = [
    "buying_customers",
    "repeat_customers",
    "repeat_purchase_per_mille",
];

/// The header row's column names.
#[must_use]
pub(super) fn header() -> Vec<String> {
    let leads = SOURCES.iter().flat_map(|s| {
        LEAD_COLUMNS
            .iter()
            .map(move |c| format!("leads_{}_{c}", source_column(*s)))
    });
    FIRST_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(leads)
        .chain(LAST_COLUMNS.iter().map(|c| (*c).to_owned()))
        .collect()
}

/// One line of the file: which group, and its figures.
struct Line<'a> {
    /// `week` or `period`.
    level: &'static str,
    store: Option<StoreId>,
    who: Option<UserId>,
    week: Option<NaiveDate>,
    figures: &'a Figures,
    /// Only where they exist: a store's or the organization's period.
    buyers: Option<Buyers>,
}

/// The KPIs as CSV: the header, then every row, store by store, then the organization.
#[must_use]
pub fn csv(kpis: &Kpis, names: &Names) -> String {
    let mut out = String::new();
    push(&mut out, &header());
    for (store, totals) in &kpis.stores {
        let weeks = kpis.rows.iter().filter(|(k, _)| k.store == *store);
        for (k, figures) in weeks {
            let line = Line {
                level: "week",
                store: Some(k.store),
                who: k.who,
                week: Some(k.week),
                figures,
                buyers: None,
            };
            push(&mut out, &line.cells(names));
        }
        let line = Line {
            level: "period",
            store: Some(*store),
            who: None,
            week: None,
            figures: &totals.figures,
            buyers: Some(totals.buyers),
        };
        push(&mut out, &line.cells(names));
        for ((_, who), figures) in kpis.people.iter().filter(|((s, _), _)| s == store) {
            let line = Line {
                level: "period",
                store: Some(*store),
                who: Some(*who),
                week: None,
                figures,
                buyers: None,
            };
            push(&mut out, &line.cells(names));
        }
    }
    let line = Line {
        level: "period",
        store: None,
        who: None,
        week: None,
        figures: &kpis.org.figures,
        buyers: Some(kpis.org.buyers),
    };
    push(&mut out, &line.cells(names));
    out
}

fn push(out: &mut String, cells: &[String]) {
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

impl Line<'_> {
    fn cells(&self, names: &Names) -> Vec<String> {
        let f = self.figures;
        let id = |id: Option<String>| id.unwrap_or_default();
        let mut cells = vec![
            self.level.to_owned(),
            id(self.store.map(|s| s.to_string())),
            text(
                self.store
                    .and_then(|s| names.stores.get(&s))
                    .map(String::as_str),
            ),
            id(self.who.map(|w| w.to_string())),
            text(
                self.who
                    .and_then(|w| names.people.get(&w))
                    .map(String::as_str),
            ),
            id(self.week.map(|w| w.format("%Y-%m-%d").to_string())),
            id(self.week.map(iso_week)),
            f.completed.to_string(),
            f.first_time_fixes.to_string(),
            opt(f.first_time_fix().per_mille()),
            f.within_sla.to_string(),
            opt(f.sla_compliance().per_mille()),
            f.response_minutes.count.to_string(),
            opt(f.response_minutes.value()),
            f.travel_minutes.to_string(),
            f.on_site_minutes.to_string(),
            opt(f.travel_share().per_mille()),
            f.working_days.to_string(),
            opt(f.jobs_per_day().value().map(|v| format!("{v:.2}"))),
            f.follow_ups_done.to_string(),
            f.follow_ups_on_time.to_string(),
            opt(f.follow_up_on_time().per_mille()),
        ];
        for s in SOURCES {
            cells.extend(lead_cells(&f.lead_source(s)));
        }
        match self.buyers {
            Some(b) => cells.extend([
                b.customers.to_string(),
                b.repeat.to_string(),
                opt(b.repeat_rate().per_mille()),
            ]),
            None => cells.extend([String::new(), String::new(), String::new()]),
        }
        cells
    }
}

fn lead_cells(l: &LeadFigures) -> [String; 4] {
    [
        l.closed.to_string(),
        l.won.to_string(),
        opt(l.conversion().per_mille()),
        opt(l.cycle_days.value()),
    ]
}

/// ISO 8601's week name: `2026-W10`.
fn iso_week(monday: NaiveDate) -> String {
    let w = monday.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn opt(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A name as a cell: quoted when it holds a separator, a quote or a line break; and, since a
/// spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, such a name is
/// written after an apostrophe (OWASP's advice against CSV injection).
fn text(name: Option<&str>) -> String {
    let Some(name) = name else {
        return String::new();
    };
    let name = if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{name}")
    } else {
        name.to_owned()
    };
    if name.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_and_never_run_as_formulas() {
        let t = |s: &str| text(Some(s));
        assert_eq!(t("Wang Wei"), "Wang Wei");
        assert_eq!(t("静安店"), "静安店");
        assert_eq!(t("Li, Na"), "\"Li, Na\"");
        assert_eq!(t("the \"best\" store"), "\"the \"\"best\"\" store\"");
        assert_eq!(t("two\nlines"), "\"two\nlines\"");
        assert_eq!(t("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(t("-1"), "'-1");
        assert_eq!(text(None), "");
    }

    #[test]
    fn every_source_has_its_own_columns() {
        let columns: std::collections::BTreeSet<&str> =
            SOURCES.iter().map(|s| source_column(*s)).collect();
        assert_eq!(columns.len(), SOURCES.len());
        let header = header();
        let distinct: std::collections::BTreeSet<&String> = header.iter().collect();
        assert_eq!(distinct.len(), header.len());
        assert_eq!(
            header.len(),
            FIRST_COLUMNS.len() + SOURCES.len() * LEAD_COLUMNS.len() + LAST_COLUMNS.len()
        );
    }

    #[test]
    fn weeks_are_named_as_iso_8601_does() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(iso_week(d(2026, 3, 2)), "2026-W10");
        // The Monday of the first ISO week of 2026 is in 2025.
        assert_eq!(iso_week(d(2025, 12, 29)), "2026-W01");
    }
}
