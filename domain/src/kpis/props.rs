//! Random organizations: histories in any order of statuses (not only those the state machine
//! allows), clocks that go backwards, stores in a zone with daylight saving and a store
//! missing from the records. `compute` must not panic, and totals must be the sums of their
//! parts.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::*;
use crate::followups::{FollowUp, FollowUpStatus, Reason, Subject};
use crate::ids::{AssetId, FollowUpId, JobId, LeadId, OrgId, PurchaseId};
use crate::jobs::{Job, JobAction, JobStatus, Priority, ServiceType, StatusChange};
use crate::leads::{Interest, Lead, LeadSource, Stage, StageChange};
use crate::org::{Store, WeeklyHours};
use crate::places::{Address, LatLng};
use crate::purchases::{Item, Purchase, Source};

const SOURCES: [LeadSource; 6] = [
    LeadSource::WalkIn,
    LeadSource::Phone,
    LeadSource::Website,
    LeadSource::Referral,
    LeadSource::Event,
    LeadSource::Campaign,
];
const STATUSES: [JobStatus; 7] = [
    JobStatus::New,
    JobStatus::Assigned,
    JobStatus::EnRoute,
    JobStatus::OnSite,
    JobStatus::Completed,
    JobStatus::NeedsFollowUp,
    JobStatus::Cancelled,
];

fn org() -> OrgId {
    OrgId::from_parts(1, 1)
}
/// Shanghai, New York (daylight saving from 8 March 2026), and a store with no record.
fn store_id(i: usize) -> StoreId {
    StoreId::from_parts(1, 1 + (i % 3) as u128)
}
/// Three people, or nobody.
fn person(i: usize) -> Option<UserId> {
    (i < 3).then(|| UserId::from_parts(1, 1 + i as u128))
}
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 20, 0, 0, 0).unwrap()
}
fn minutes(m: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(m)
}

fn stores() -> Vec<Record> {
    [Tz::Asia__Shanghai, Tz::America__New_York]
        .into_iter()
        .enumerate()
        .map(|(i, time_zone)| {
            Record::Store(Store {
                id: store_id(i),
                org: org(),
                name: format!("Store {i}"),
                address: Address::default(),
                location: LatLng { lat: 0.0, lng: 0.0 },
                time_zone,
                opening_hours: WeeklyHours::default(),
            })
        })
        .collect()
}

/// Two months of minutes from `t0`, with some steps back in time.
const SPAN: i64 = 60 * 24 * 60;

/// Mostly the next step towards completion; now and then a visit ended unfinished, a
/// cancellation or an unassignment.
fn action(from: JobStatus, i: usize) -> JobAction {
    use JobAction as A;
    use JobStatus as S;
    match (i, from) {
        (0, _) => A::NeedFollowUp,
        (1, _) => A::Cancel,
        (2, _) => A::Unassign,
        (_, S::Assigned) => A::StartTravel,
        (_, S::EnRoute) => A::Arrive,
        (_, S::OnSite) => A::Complete,
        (_, S::New | S::NeedsFollowUp | S::Completed | S::Cancelled) => A::Assign,
    }
}

prop_compose! {
    fn arb_job(n: u128)(
        store in 0..3usize,
        created in 0..SPAN,
        deadline in -600..10_000i64,
        steps in prop::collection::vec((0..20usize, -60..900i64, 0..4usize), 0..16),
        by_the_machine in prop::bool::weighted(0.8),
        status in prop::option::weighted(0.2, 0..7usize),
    ) -> Record {
        let mut at = created;
        let mut from = JobStatus::New;
        let mut history = Vec::new();
        for &(i, step, who) in &steps {
            // Mostly walks the state machine allows (an action it refuses is skipped), else
            // any status after any other.
            let to = if by_the_machine {
                match from.after(action(from, i)) {
                    Some(to) => to,
                    None => continue,
                }
            } else {
                STATUSES[i % STATUSES.len()]
            };
            at += step;
            history.push(StatusChange {
                from, to, by: UserId::from_parts(1, 9), at: minutes(at), location: None,
                technician: person(who), crew: Vec::new(), note: None,
            });
            from = to;
        }
        Record::Job(Job {
            id: JobId::from_parts(1, n),
            org: org(),
            store: store_id(store),
            customer: crate::ids::CustomerId::from_parts(1, 1),
            asset: None,
            service_address: Address::default(),
            service_type: ServiceType::Repair,
            description: String::new(),
            required_skills: Vec::new(),
            estimated_minutes: 60,
            priority: Priority::Normal,
            windows: Vec::new(),
            sla_deadline: minutes(created + deadline),
            technician: None,
            crew_size: 1,
            crew: Vec::new(),
            planned_start: None,
            // Mostly the last step's, sometimes one that disagrees with the history.
            status: status.map_or(from, |s| STATUSES[s]),
            follow_up: None,
            cancel_reason: None,
            completion: None,
            history,
            created_at: minutes(created),
            created_by: UserId::from_parts(1, 9),
        })
    }
}

prop_compose! {
    fn arb_follow_up(n: u128)(
        store in 0..3usize,
        owner in 0..3usize,
        due in 0..SPAN,
        status in 0..3usize,
        when in -3_000..3_000i64,
    ) -> Record {
        let status = match status {
            0 => FollowUpStatus::Open,
            1 => FollowUpStatus::Done { at: minutes(due + when) },
            _ => FollowUpStatus::Snoozed { until: minutes(due + when) },
        };
        Record::FollowUp(FollowUp {
            id: FollowUpId::from_parts(1, n),
            org: org(),
            store: store_id(store),
            subject: Subject::Customer(crate::ids::CustomerId::from_parts(1, 1)),
            due_at: minutes(due),
            reason: Reason::Manual,
            owner: person(owner).unwrap_or_else(|| UserId::from_parts(1, 9)),
            status,
            note: String::new(),
            why: None,
            created_at: t0(),
            previous_owners: Vec::new(),
        })
    }
}

prop_compose! {
    fn arb_lead(n: u128)(
        store in 0..3usize,
        owner in 0..3usize,
        source in 0..6usize,
        stage in prop_oneof![0..6usize, 4..6usize],
        created in 0..SPAN,
        changed in -3_000..SPAN,
        history in prop::collection::vec((0..6usize, -3_000..SPAN), 0..4),
    ) -> Record {
        Record::Lead(Lead {
            id: LeadId::from_parts(1, n),
            org: org(),
            store: store_id(store),
            customer: None,
            name: String::new(),
            phone: None,
            source: SOURCES[source],
            interest: Interest::default(),
            stage: Stage::ALL[stage],
            owner: person(owner).unwrap_or_else(|| UserId::from_parts(1, 9)),
            expected_value: 0,
            next_follow_up_at: None,
            lost_reason: None,
            won_value: None,
            created_at: minutes(created),
            stage_changed_at: minutes(created + changed),
            history: history.iter().map(|&(to, at)| StageChange {
                from: Stage::New,
                to: Stage::ALL[to],
                by: UserId::from_parts(1, 9),
                at: minutes(at),
            }).collect(),
        })
    }
}

fn day(offset: i64) -> NaiveDate {
    t0().date_naive() + Duration::days(offset)
}

prop_compose! {
    fn arb_purchase(n: u128)(
        store in 0..3usize,
        customer in 0..6u128,
        on in 0..60i64,
        asset in prop::option::of(0..6u128),
    ) -> Record {
        Record::Purchase(Purchase {
            id: PurchaseId::from_parts(1, n),
            org: org(),
            customer: crate::ids::CustomerId::from_parts(1, customer),
            store: store_id(store),
            on: day(on),
            items: vec![Item {
                product: String::new(),
                quantity: 1,
                amount: 1,
                asset: asset.map(|a| AssetId::from_parts(1, a)),
            }],
            amount: 1,
            source: Source::Import,
            receipt: None,
            recorded_by: UserId::from_parts(1, 9),
            recorded_at: t0(),
        })
    }
}

prop_compose! {
    fn arb_asset(n: u128)(customer in 0..7u128, on in 0..60i64) -> Record {
        Record::Asset(crate::customers::Asset {
            id: AssetId::from_parts(1, n),
            org: org(),
            customer: crate::ids::CustomerId::from_parts(1, customer),
            product: String::new(),
            category: String::new(),
            serial_number: String::new(),
            purchase_date: day(on),
            price: 1,
            warranty_end: None,
            last_service: None,
            maintenance_interval_days: None,
        })
    }
}

/// Customers 0 to 5 in the stores (customer 6, who has an asset, has no record).
fn customers() -> Vec<Record> {
    (0..6u128)
        .map(|c| {
            Record::Customer(crate::customers::Customer {
                id: crate::ids::CustomerId::from_parts(1, c),
                org: org(),
                store: store_id(usize::try_from(c).unwrap_or(0)),
                name: String::new(),
                phones: Vec::new(),
                address: Address::default(),
                kind: crate::customers::CustomerKind::Individual,
                tags: Vec::new(),
                tier: crate::customers::Tier::Standard,
                marketing_consent: false,
                birthday: None,
                owner: None,
                created_at: t0(),
                merged_into: None,
                previous_owners: Vec::new(),
                edits: Vec::new(),
                erased: None,
            })
        })
        .collect()
}

fn arb_records() -> impl Strategy<Value = Vec<Record>> {
    /// Up to `max` records, each from its own strategy (its own id).
    fn many<S: Strategy<Value = Record>>(
        make: impl Fn(u128) -> S + Copy,
        max: u128,
    ) -> impl Strategy<Value = Vec<Record>> {
        (0..=max).prop_flat_map(move |len| (0..len).map(make).collect::<Vec<S>>())
    }
    (
        many(arb_job, 40),
        many(arb_follow_up, 12),
        many(arb_lead, 12),
        many(arb_purchase, 12),
        many(arb_asset, 6),
        any::<bool>(),
    )
        .prop_map(
            |(jobs, follow_ups, leads, purchases, assets, stores_last)| {
                let mut records = Vec::new();
                if !stores_last {
                    records.extend(stores());
                }
                records.extend(customers());
                for part in [jobs, follow_ups, leads, purchases, assets] {
                    records.extend(part);
                }
                if stores_last {
                    records.extend(stores());
                }
                records
            },
        )
}

/// The figures that add up from parts to totals, as one list.
fn counts(f: &Figures) -> Vec<u64> {
    let mut v = vec![
        u64::from(f.completed),
        u64::from(f.first_time_fixes),
        u64::from(f.within_sla),
        u64::from(f.working_days),
        u64::from(f.response_minutes.count),
        f.travel_minutes,
        f.on_site_minutes,
        u64::from(f.follow_ups_done),
        u64::from(f.follow_ups_on_time),
    ];
    for s in SOURCES {
        let l = f.lead_source(s);
        v.extend([
            u64::from(l.closed),
            u64::from(l.won),
            u64::from(l.cycle_days.count),
        ]);
    }
    v
}

fn sum<'a>(parts: impl Iterator<Item = &'a Figures>) -> Vec<u64> {
    parts.fold(counts(&Figures::default()), |acc, f| {
        acc.iter().zip(counts(f)).map(|(a, b)| a + b).collect()
    })
}

/// Within a group, a part never exceeds its whole, and a median lies within its values.
fn consistent(f: &Figures) -> bool {
    let medians = std::iter::once(f.response_minutes)
        .chain(f.leads.values().map(|l| l.cycle_days))
        .all(|m| match m.middle {
            Some((lo, hi)) => m.count > 0 && lo <= hi,
            None => m.count == 0,
        });
    f.first_time_fixes <= f.completed
        && f.within_sla <= f.completed
        && f.working_days <= f.completed
        && f.follow_ups_on_time <= f.follow_ups_done
        && f.leads
            .values()
            .all(|l| l.won <= l.closed && l.cycle_days.count <= l.won)
        && medians
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn totals_are_the_sums_of_their_rows(
        records in arb_records(),
        from in 0..10i64,
        days in 0..60i64,
    ) {
        let period = Period { from: day(from), to: day(from + days) };
        let k = compute(&records, &period);

        for (store, totals) in &k.stores {
            let weeks = k.rows.iter().filter(|(r, _)| r.store == *store && r.who.is_none());
            prop_assert_eq!(sum(weeks.map(|(_, f)| f)), counts(&totals.figures));
            prop_assert!(totals.buyers.repeat <= totals.buyers.customers);
            // People's weeks add up to their period, and to no more than the store's.
            for ((s, who), person) in k.people.iter().filter(|((s, _), _)| s == store) {
                let theirs = k.rows.iter().filter(|(r, _)| r.store == *s && r.who == Some(*who));
                prop_assert_eq!(sum(theirs.map(|(_, f)| f)), counts(person));
            }
            let people = sum(k.people.iter().filter(|((s, _), _)| s == store).map(|(_, f)| f));
            let all = counts(&totals.figures);
            prop_assert!(people.iter().zip(&all).all(|(p, a)| p <= a));
        }
        // The organization is the sum of its stores, but for a person's day in two stores
        // and a customer who bought in two.
        let mut stores = sum(k.stores.values().map(|t| &t.figures));
        let mut org = counts(&k.org.figures);
        prop_assert!(org[3] <= stores[3]);
        stores[3] = 0;
        org[3] = 0;
        prop_assert_eq!(org, stores);
        prop_assert!(k.org.buyers.customers <= k.stores.values().map(|t| t.buyers.customers).sum());
        prop_assert!(k.org.buyers.repeat <= k.org.buyers.customers);

        for f in k.rows.values().chain(k.people.values()).chain(k.stores.values().map(|t| &t.figures)) {
            prop_assert!(consistent(f));
        }
        // Every row's week has a day in the period.
        prop_assert!(k.rows.keys().all(|r| r.week <= period.to && period.from <= r.week + Duration::days(6)));

        // The CSV has a line for each group and the header, each with every column.
        let text = csv(&k, &Names::of(&records));
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        prop_assert_eq!(lines.len(), 2 + k.rows.len() + k.people.len() + k.stores.len());
        let columns = lines[0].split(',').count();
        prop_assert!(lines.iter().all(|l| l.split(',').count() == columns));

        // The order of the records does not matter.
        let mut reversed = records.clone();
        reversed.reverse();
        prop_assert_eq!(compute(&reversed, &period), k);
    }
}

/// The ends of time: no overflow when reading a zone, going back to a Monday, or measuring.
#[test]
fn the_ends_of_time_do_not_panic() {
    use JobStatus as S;
    let ends = [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC];
    let mut records = stores();
    for (n, (a, b)) in [(ends[0], ends[1]), (ends[1], ends[0])]
        .into_iter()
        .enumerate()
    {
        let mut job = plain_job(n as u128);
        // Shanghai is east of UTC, New York west: each end overflows in one of them.
        job.store = store_id(n);
        job.created_at = a;
        job.sla_deadline = b;
        job.status = S::Completed;
        job.history = [S::EnRoute, S::OnSite, S::Completed]
            .into_iter()
            .zip([a, b, a])
            .map(|(to, at)| StatusChange {
                from: S::New,
                to,
                by: UserId::from_parts(1, 9),
                at,
                location: None,
                technician: person(0),
                crew: Vec::new(),
                note: None,
            })
            .collect();
        records.push(Record::Job(job));
    }
    let all = Period {
        from: NaiveDate::MIN,
        to: NaiveDate::MAX,
    };
    let k = compute(&records, &all);
    assert!(k.org.figures.completed > 0);
    assert!(!csv(&k, &Names::default()).is_empty());
    assert_eq!(week_start(NaiveDate::MIN), NaiveDate::MIN);
}

/// A plain job to change by hand.
fn plain_job(n: u128) -> Job {
    Job {
        id: JobId::from_parts(1, n),
        org: org(),
        store: store_id(1),
        customer: crate::ids::CustomerId::from_parts(1, 1),
        asset: None,
        service_address: Address::default(),
        service_type: ServiceType::Repair,
        description: String::new(),
        required_skills: Vec::new(),
        estimated_minutes: 60,
        priority: Priority::Normal,
        windows: Vec::new(),
        sla_deadline: t0(),
        technician: None,
        crew_size: 1,
        crew: Vec::new(),
        planned_start: None,
        status: JobStatus::New,
        follow_up: None,
        cancel_reason: None,
        completion: None,
        history: Vec::new(),
        created_at: t0(),
        created_by: UserId::from_parts(1, 9),
    }
}
