//! The console's numbers as charts: one bar per week for each KPI of the store shown, the
//! period's figures per person, and the CSV to download (`model::numbers`). Bar heights are
//! given in percent of the chart's tallest bar; the shell draws them (SVG) and decides nothing.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use crate::model::numbers::WEEKS;
use domain::ids::StoreId;
use domain::kpis::{Figures, Kpi, Median, Rate, RowKey};
use domain::ops::{Record, RecordKey};
use domain::words::Label;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct NumbersView {
    pub title: Word,
    pub refresh: Word,
    pub weeks: Vec<WeeksChoice>,
    pub stores: Vec<StoreOption>,
    /// `false` until the numbers were worked out (the button says so).
    pub computed: bool,
    pub charts: Vec<ChartView>,
    /// The period's totals that are no weekly sums (lead conversion, repeat purchases).
    pub totals: Vec<TotalLine>,
    pub people_title: Word,
    pub people_head: Vec<Word>,
    pub people: Vec<PersonLine>,
    pub empty: Option<Word>,
    pub csv_label: Word,
    pub csv_name: String,
    pub csv: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WeeksChoice {
    pub weeks: u8,
    pub label: Word,
    pub chosen: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StoreOption {
    pub store: StoreId,
    pub name: String,
    pub chosen: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ChartView {
    pub kpi: Kpi,
    pub title: Word,
    /// The whole period's figure.
    pub total: String,
    pub bars: Vec<BarView>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BarView {
    /// The week's Monday, as "03-09".
    pub week: String,
    /// Empty when the week has no data.
    pub value: String,
    /// 0 to 100, of the chart's tallest bar.
    pub height: u8,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TotalLine {
    pub label: Word,
    pub value: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PersonLine {
    pub name: String,
    pub cells: Vec<String>,
}

/// A figure as a number to chart, and as text.
fn figure(f: &Figures, kpi: Kpi) -> Option<(f64, String)> {
    let pct = |r: Rate| {
        r.per_mille()
            .map(|m| (m as f64 / 10.0, format!("{}%", (m + 5) / 10)))
    };
    match kpi {
        Kpi::FirstTimeFix => pct(f.first_time_fix()),
        Kpi::SlaCompliance => pct(f.sla_compliance()),
        Kpi::TravelShare => pct(f.travel_share()),
        Kpi::FollowUpsOnTime => pct(f.follow_up_on_time()),
        Kpi::JobsPerDay => f.jobs_per_day().value().map(|v| (v, format!("{v:.1}"))),
        Kpi::ResponseMinutes => minutes(&f.response_minutes),
        Kpi::LeadConversion | Kpi::RepeatPurchase => None,
    }
}

fn minutes(m: &Median) -> Option<(f64, String)> {
    m.value().map(|v| (v, format!("{v:.0}′")))
}

const CHARTED: [Kpi; 6] = [
    Kpi::FirstTimeFix,
    Kpi::SlaCompliance,
    Kpi::ResponseMinutes,
    Kpi::JobsPerDay,
    Kpi::TravelShare,
    Kpi::FollowUpsOnTime,
];

pub(super) fn view(model: &Model, ctx: &Ctx) -> NumbersView {
    let n = &model.numbers;
    let name_of = |key: RecordKey| match model.replica.record(&key) {
        Some(Record::Store(s)) => s.name.clone(),
        Some(Record::User(u)) => u.name.clone(),
        _ => "—".to_owned(),
    };
    let mut v = NumbersView {
        title: Word::label(ctx.t, Label::NumbersTitle),
        refresh: Word::label(ctx.t, Label::NumbersRefresh),
        weeks: WEEKS
            .iter()
            .map(|w| WeeksChoice {
                weeks: *w,
                label: Word::new(ctx.t.weeks_back(*w)),
                chosen: *w == n.weeks,
            })
            .collect(),
        stores: Vec::new(),
        computed: n.computed.is_some(),
        charts: Vec::new(),
        totals: Vec::new(),
        people_title: Word::label(ctx.t, Label::NumbersByPerson),
        people_head: Vec::new(),
        people: Vec::new(),
        empty: None,
        csv_label: Word::label(ctx.t, Label::NumbersCsv),
        csv_name: String::new(),
        csv: String::new(),
    };
    let Some(c) = &n.computed else {
        return v;
    };
    v.stores = c
        .kpis
        .stores
        .keys()
        .map(|s| StoreOption {
            store: *s,
            name: name_of(RecordKey::Store(*s)),
            chosen: Some(*s) == n.store,
        })
        .collect();
    v.csv_name = format!(
        "rounds-numbers-{}-{}.csv",
        c.kpis.period.from, c.kpis.period.to
    );
    v.csv.clone_from(&c.csv);
    let Some(store) = n.store else {
        v.empty = Some(Word::label(ctx.t, Label::NumbersNone));
        return v;
    };
    let Some(totals) = c.kpis.stores.get(&store) else {
        return v;
    };
    if totals.figures.completed == 0
        && totals.figures.follow_ups_done == 0
        && totals.buyers.customers == 0
    {
        v.empty = Some(Word::label(ctx.t, Label::NumbersNone));
    }
    for kpi in CHARTED {
        let values: Vec<(String, Option<(f64, String)>)> = c
            .weeks
            .iter()
            .map(|week| {
                let key = RowKey {
                    store,
                    who: None,
                    week: *week,
                };
                (
                    week.format("%m-%d").to_string(),
                    c.kpis.rows.get(&key).and_then(|f| figure(f, kpi)),
                )
            })
            .collect();
        let top = values
            .iter()
            .filter_map(|(_, v)| v.as_ref().map(|(x, _)| *x))
            .fold(0.0_f64, f64::max);
        v.charts.push(ChartView {
            kpi,
            title: Word::new(ctx.t.kpi(kpi)),
            total: figure(&totals.figures, kpi)
                .map(|(_, t)| t)
                .unwrap_or_default(),
            bars: values
                .into_iter()
                .map(|(week, value)| BarView {
                    week,
                    height: value.as_ref().map_or(0, |(x, _)| {
                        if top > 0.0 {
                            (x / top * 100.0).round().clamp(0.0, 100.0) as u8
                        } else {
                            0
                        }
                    }),
                    value: value.map(|(_, t)| t).unwrap_or_default(),
                })
                .collect(),
        });
    }
    let mut closed = 0u32;
    let mut won = 0u32;
    for l in totals.figures.leads.values() {
        closed += l.closed;
        won += l.won;
    }
    let pct = |r: Rate| {
        r.per_mille()
            .map_or_else(|| "—".to_owned(), |m| format!("{}%", (m + 5) / 10))
    };
    v.totals = vec![
        TotalLine {
            label: Word::new(ctx.t.kpi(Kpi::LeadConversion)),
            value: format!("{} ({won}/{closed})", pct(Rate::new(won, closed))),
        },
        TotalLine {
            label: Word::new(ctx.t.kpi(Kpi::RepeatPurchase)),
            value: format!(
                "{} ({}/{})",
                pct(totals.buyers.repeat_rate()),
                totals.buyers.repeat,
                totals.buyers.customers
            ),
        },
    ];
    v.people_head = std::iter::once(Word::label(ctx.t, Label::NumbersPerson))
        .chain(std::iter::once(Word::label(ctx.t, Label::NumbersCompleted)))
        .chain(CHARTED.iter().map(|k| Word::new(ctx.t.kpi(*k))))
        .collect();
    let mut people: Vec<PersonLine> = c
        .kpis
        .people
        .iter()
        .filter(|((s, _), _)| *s == store)
        .map(|((_, who), f)| PersonLine {
            name: name_of(RecordKey::User(*who)),
            cells: std::iter::once(f.completed.to_string())
                .chain(
                    CHARTED
                        .iter()
                        .map(|k| figure(f, *k).map(|(_, t)| t).unwrap_or_default()),
                )
                .collect(),
        })
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    v.people = people;
    v
}
