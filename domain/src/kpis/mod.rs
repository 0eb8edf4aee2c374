//! Key performance figures of an organization over a period: first-time fix rate, SLA
//! compliance, response time, travel against time on site, jobs per day, follow-ups on time,
//! lead conversion and cycle by source, repeat purchases. Definitions: `docs/kpis.md`.
//!
//! [`compute`] is a pure function of the records and the period: no clock (a period that
//! runs to today simply holds the facts so far), no I/O, so the device and the server give
//! the same figures. Each fact is placed in the ISO week (Monday first) of the local day, in
//! its store's zone, of the step that closes it, and counted for the store, for the person it
//! belongs to, and in the totals. Figures keep counts, never rates: a total adds its parts'
//! counts and derives its rates again; a median is computed from the group's own values.

mod export;
mod facts;
mod figures;
mod history;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use chrono_tz::Tz;

pub use export::{Names, csv};
pub use figures::{Figures, LeadFigures, Median, Rate};

use facts::{Placed, Sale};
use figures::Tally;

use crate::customers::{Asset, Customer};
use crate::ids::{CustomerId, StoreId, UserId};
use crate::ops::Record;
use crate::purchases::Purchase;

/// The local days the figures cover, both included, each read in its store's zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    #[must_use]
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The Monday of `day`'s ISO week (the day itself at the very start of the calendar).
#[must_use]
pub fn week_start(day: NaiveDate) -> NaiveDate {
    let back = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(back)).unwrap_or(day)
}

/// The figures the console charts, each defined in `docs/kpis.md`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, facet::Facet,
)]
#[repr(C)]
pub enum Kpi {
    FirstTimeFix,
    SlaCompliance,
    ResponseMinutes,
    JobsPerDay,
    TravelShare,
    FollowUpsOnTime,
    LeadConversion,
    RepeatPurchase,
}

/// Which row: a store's week, or one person's week in that store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowKey {
    pub store: StoreId,
    /// `None`: the whole store, facts without a person included.
    pub who: Option<UserId>,
    /// The Monday of the ISO week.
    pub week: NaiveDate,
}

/// Customers who bought, and those of them who bought again, within the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Buyers {
    /// Customers with at least one purchase.
    pub customers: u32,
    /// ... of whom with at least two.
    pub repeat: u32,
}

impl Buyers {
    #[must_use]
    pub fn repeat_rate(&self) -> Rate {
        Rate::new(self.repeat, self.customers)
    }

    /// From the number of purchases of each customer.
    fn of(purchases: &BTreeMap<CustomerId, u32>) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            customers: count(purchases.len()),
            repeat: count(purchases.values().filter(|n| **n >= 2).count()),
        }
    }
}

/// The figures of a whole store or organization over the period. Repeat purchases exist at
/// this level only: "bought twice in the period" is not a sum of weeks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub figures: Figures,
    pub buyers: Buyers,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kpis {
    pub period: Period,
    /// A store's weeks and each person's weeks in it, for the weeks with a fact.
    pub rows: BTreeMap<RowKey, Figures>,
    /// Each person's period in a store.
    pub people: BTreeMap<(StoreId, UserId), Figures>,
    /// Each store's period: every store of the records, those without a fact included.
    pub stores: BTreeMap<StoreId, Totals>,
    /// The organization's period, computed from the facts like any group: its counts are the
    /// sums of the stores' except `working_days` (a person's day in two stores is one day)
    /// and `buyers` (a customer who bought once in each of two stores bought twice).
    pub org: Totals,
}

/// The records sorted by what the figures need of them.
#[derive(Default)]
struct Sorted<'a> {
    zones: BTreeMap<StoreId, Tz>,
    customers: BTreeMap<CustomerId, &'a Customer>,
    purchases: Vec<&'a Purchase>,
    assets: Vec<&'a Asset>,
    facts: Vec<Placed>,
}

impl<'a> Sorted<'a> {
    /// Facts need their store's zone, which may come after them in the records: records
    /// wait here until every store is known.
    fn of(records: impl IntoIterator<Item = &'a Record>) -> Self {
        let mut sorted = Sorted::default();
        let mut pending = Vec::new();
        for r in records {
            match r {
                Record::Store(s) => {
                    sorted.zones.insert(s.id, s.time_zone);
                }
                Record::Customer(c) => {
                    sorted.customers.insert(c.id, c);
                }
                Record::Purchase(p) => sorted.purchases.push(p),
                Record::Asset(a) => sorted.assets.push(a),
                Record::Job(_) | Record::FollowUp(_) | Record::Lead(_) => pending.push(r),
                _ => {}
            }
        }
        for r in pending {
            match r {
                Record::Job(j) => sorted.facts.extend(facts::of_job(j, sorted.zone(j.store))),
                Record::FollowUp(f) => {
                    sorted
                        .facts
                        .extend(facts::of_follow_up(f, sorted.zone(f.store)));
                }
                Record::Lead(l) => sorted.facts.extend(facts::of_lead(l, sorted.zone(l.store))),
                _ => {}
            }
        }
        sorted
    }

    /// A store's zone; UTC for a store missing from the records, so that its facts still
    /// count (under its id) rather than vanish.
    fn zone(&self, store: StoreId) -> Tz {
        self.zones.get(&store).copied().unwrap_or(Tz::UTC)
    }
}

/// The figures of every store, person and week, and the totals, over `period`.
#[must_use]
pub fn compute<'a>(records: impl IntoIterator<Item = &'a Record>, period: &Period) -> Kpis {
    let sorted = Sorted::of(records);
    let tallies = Tallies::of(&sorted, period);
    let sales = facts::sales(&sorted.purchases, &sorted.assets, &sorted.customers);
    let (store_buyers, org_buyers) = buyers(sales.iter().filter(|s| period.contains(s.on)));

    let mut stores: BTreeMap<StoreId, Totals> = tallies
        .stores
        .into_iter()
        .map(|(store, tally)| {
            let figures = tally.finish();
            let buyers = Buyers::default();
            (store, Totals { figures, buyers })
        })
        .collect();
    for (store, b) in store_buyers {
        stores.entry(store).or_default().buyers = b;
    }
    Kpis {
        period: *period,
        rows: finish(tallies.rows),
        people: finish(tallies.people),
        stores,
        org: Totals {
            figures: tallies.org.finish(),
            buyers: org_buyers,
        },
    }
}

/// Every group's facts, as they are gathered.
struct Tallies {
    rows: BTreeMap<RowKey, Tally>,
    people: BTreeMap<(StoreId, UserId), Tally>,
    stores: BTreeMap<StoreId, Tally>,
    org: Tally,
}

impl Tallies {
    /// Counts each fact of the period in its store's week, its person's week, its person's
    /// period, its store's period and the organization's.
    fn of(sorted: &Sorted<'_>, period: &Period) -> Self {
        let mut t = Tallies {
            rows: BTreeMap::new(),
            people: BTreeMap::new(),
            stores: sorted
                .zones
                .keys()
                .map(|s| (*s, Tally::default()))
                .collect(),
            org: Tally::default(),
        };
        for p in sorted.facts.iter().filter(|p| period.contains(p.day)) {
            let week = week_start(p.day);
            let count = |tally: &mut Tally| tally.add(&p.fact, p.who, p.day);
            let (store, who) = (p.store, p.who);
            count(
                t.rows
                    .entry(RowKey {
                        store,
                        who: None,
                        week,
                    })
                    .or_default(),
            );
            if let Some(person) = who {
                count(t.rows.entry(RowKey { store, who, week }).or_default());
                count(t.people.entry((store, person)).or_default());
            }
            count(t.stores.entry(store).or_default());
            count(&mut t.org);
        }
        t
    }
}

fn finish<K: Ord>(tallies: BTreeMap<K, Tally>) -> BTreeMap<K, Figures> {
    tallies.into_iter().map(|(k, t)| (k, t.finish())).collect()
}

/// Buyers per store (of that store's sales) and in the whole organization (of all sales).
fn buyers<'a>(sales: impl Iterator<Item = &'a Sale>) -> (BTreeMap<StoreId, Buyers>, Buyers) {
    let mut per_store: BTreeMap<StoreId, BTreeMap<CustomerId, u32>> = BTreeMap::new();
    let mut org: BTreeMap<CustomerId, u32> = BTreeMap::new();
    for s in sales {
        for counts in [per_store.entry(s.store).or_default(), &mut org] {
            let n = counts.entry(s.customer).or_default();
            *n = n.saturating_add(1);
        }
    }
    let per_store = per_store
        .into_iter()
        .map(|(store, counts)| (store, Buyers::of(&counts)))
        .collect();
    (per_store, Buyers::of(&org))
}
