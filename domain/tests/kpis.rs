//! The KPIs of the demo organization, whose records `apply` made (the unit tests build their
//! records by hand): every completed job counted once, and figures in the ranges the demo
//! generates them in.

use chrono::{Duration, TimeZone, Utc};

use demo::{DemoSize, generate_at};
use domain::jobs::JobStatus;
use domain::kpis::{Names, Period, compute, csv};
use domain::ops::Record;

#[test]
fn the_demo_organization_has_believable_figures() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
    let size = DemoSize {
        technicians_per_store: 3,
        reps_per_store: 2,
        customers: 300,
        open_jobs: 30,
        past_jobs: 300,
        leads: 100,
    };
    let demo = generate_at(5, now, &size);
    let today = now.date_naive();
    // The demo's past goes back a year.
    let period = Period {
        from: today - Duration::days(400),
        to: today,
    };
    let k = compute(&demo.records, &period);
    let f = &k.org.figures;

    let completed = demo
        .records
        .iter()
        .filter(|r| matches!(r, Record::Job(j) if j.status == JobStatus::Completed))
        .count();
    assert!(completed > 100, "{completed}");
    assert_eq!(usize::try_from(f.completed).unwrap(), completed);
    // The demo sends about one job in twelve back for a part.
    let first_time = f.first_time_fix().per_mille().unwrap();
    assert!((850..1_000).contains(&first_time), "{first_time}");
    // It plans visits inside the SLA; a part on order can push one past it.
    let sla = f.sla_compliance().per_mille().unwrap();
    assert!(sla >= 800, "{sla}");
    assert!(f.response_minutes.value().unwrap() > 60.0);
    assert!(f.travel_minutes > 0 && f.on_site_minutes > 0);
    assert!(f.working_days > 0 && f.working_days <= f.completed);
    assert!(f.follow_ups_done > 0);
    assert!(f.leads.values().any(|l| l.won > 0));

    // The weeks of each store add up to the store; the stores to the organization.
    for (store, totals) in &k.stores {
        let weeks: u32 = k
            .rows
            .iter()
            .filter(|(r, _)| r.store == *store && r.who.is_none())
            .map(|(_, f)| f.completed)
            .sum();
        assert_eq!(weeks, totals.figures.completed);
    }
    let stores: u32 = k.stores.values().map(|t| t.figures.completed).sum();
    assert_eq!(stores, f.completed);

    let text = csv(&k, &Names::of(&demo.records));
    assert_eq!(
        text.lines().count(),
        2 + k.rows.len() + k.people.len() + k.stores.len()
    );
}
