//! The console's numbers (issue 17, item 2): the KPIs of one store over the last weeks,
//! computed on the device from the replica with `domain::kpis` (offline too: a dispatcher's
//! device holds every record of the stores they run). Computed when the console opens and
//! when the person changes the weeks or the store, not at every render: a chain's replica is
//! a quarter of a million records.

use chrono::{Days, NaiveDate};
use domain::ids::StoreId;
use domain::kpis::{Kpis, Names, Period, compute, csv};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Model;

/// The weeks a person may look back over.
pub const WEEKS: [u8; 3] = [4, 8, 13];

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum NumbersEvent {
    /// How many weeks back, this week included.
    Weeks(u8),
    /// Whose numbers: one store the person runs.
    Store(StoreId),
    /// Work them out again from what the device holds now.
    Refresh,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Numbers {
    pub weeks: u8,
    pub store: Option<StoreId>,
    pub computed: Option<Computed>,
}

impl Default for Numbers {
    fn default() -> Self {
        Self {
            weeks: 8,
            store: None,
            computed: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Computed {
    pub kpis: Kpis,
    /// The CSV of the stores the person runs (one line per store, person and week).
    pub csv: String,
    /// The Monday of each week shown, oldest first.
    pub weeks: Vec<NaiveDate>,
}

pub fn update(model: &mut Model, event: NumbersEvent) {
    match event {
        NumbersEvent::Weeks(w) if WEEKS.contains(&w) => model.numbers.weeks = w,
        NumbersEvent::Weeks(_) => return,
        NumbersEvent::Store(s) => model.numbers.store = Some(s),
        NumbersEvent::Refresh => {}
    }
    work_out(model);
}

/// Works the numbers out for the person signed in, over the weeks chosen up to today.
pub fn work_out(model: &mut Model) {
    let Some(me) = model.user().cloned() else {
        model.numbers.computed = None;
        return;
    };
    let today = model.now.with_timezone(&model.home_zone()).date_naive();
    let this_week = domain::kpis::week_start(today);
    let back = u64::from(model.numbers.weeks.saturating_sub(1)) * 7;
    let from = this_week
        .checked_sub_days(Days::new(back))
        .unwrap_or(this_week);
    let period = Period { from, to: today };
    let mut kpis = compute(model.replica.iter(), &period);
    // Only the stores the person runs.
    kpis.rows.retain(|k, _| me.manages_store(k.store));
    kpis.people.retain(|(s, _), _| me.manages_store(*s));
    kpis.stores.retain(|s, _| me.manages_store(*s));
    if model
        .numbers
        .store
        .is_none_or(|s| !kpis.stores.contains_key(&s))
    {
        model.numbers.store = kpis.stores.keys().next().copied();
    }
    let names = Names::of(model.replica.iter());
    // A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
    let csv = format!("\u{feff}{}", csv(&kpis, &names));
    let weeks = (0..model.numbers.weeks)
        .filter_map(|i| from.checked_add_days(Days::new(u64::from(i) * 7)))
        .collect();
    model.numbers.computed = Some(Computed { kpis, csv, weeks });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::{signed_in, user_with};
    use crate::view::{DispatcherScreen, Screen, ViewModel};
    use domain::org::Role;

    fn numbers(m: &Model) -> crate::view::numbers::NumbersView {
        match ViewModel::from(m).screen {
            Screen::Dispatcher(DispatcherScreen::BackOffice(b)) => b.numbers,
            other => panic!("not the console: {other:?}"),
        }
    }

    /// The charts show what `domain::kpis` says of the replica, one bar a week, for the stores
    /// the person runs only.
    #[test]
    fn the_console_charts_the_stores_figures_week_by_week() {
        let mut admin = signed_in(user_with(Role::Admin));
        assert!(!numbers(&admin).computed, "worked out when asked");
        update(&mut admin, NumbersEvent::Weeks(13));
        let v = numbers(&admin);
        assert!(v.computed);
        let store = v
            .stores
            .iter()
            .find(|s| s.chosen)
            .expect("a store shown")
            .store;
        let c = admin.numbers.computed.clone().unwrap();
        let totals = &c.kpis.stores[&store].figures;
        assert!(totals.completed > 0, "the demo completed jobs in 13 weeks");
        let ftf = v
            .charts
            .iter()
            .find(|c| c.kpi == domain::kpis::Kpi::FirstTimeFix)
            .unwrap();
        assert_eq!(ftf.bars.len(), 13);
        let expected = totals.first_time_fix().per_mille().unwrap();
        assert_eq!(ftf.total, format!("{}%", (expected + 5) / 10));
        assert!(
            ftf.bars.iter().any(|b| b.height == 100),
            "the tallest bar is full height"
        );
        assert!(v.csv.starts_with('\u{feff}') && v.csv.lines().count() > 13);
        // Fewer weeks: fewer bars.
        update(&mut admin, NumbersEvent::Weeks(4));
        assert_eq!(numbers(&admin).charts[0].bars.len(), 4);
        // A week count nobody offered changes nothing.
        update(&mut admin, NumbersEvent::Weeks(200));
        assert_eq!(admin.numbers.weeks, 4);

        // A dispatcher sees their stores only.
        let mut d = signed_in(user_with(Role::Dispatcher));
        d.console = crate::model::back_office::ConsolePage::BackOffice;
        update(&mut d, NumbersEvent::Refresh);
        let me = d.user().cloned().unwrap();
        let shown = numbers(&d).stores;
        assert!(!shown.is_empty());
        assert!(shown.iter().all(|s| me.manages_store(s.store)));
    }
}
