//! A small organization worked out by hand: two stores in Shanghai (UTC+8, no daylight
//! saving), two technicians and a sales rep, over two ISO weeks, Monday 2 March to Sunday
//! 15 March 2026 (W10 and W11). Every time below is Shanghai time; the comments give the
//! arithmetic behind each expected figure.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use super::*;
use crate::customers::{Asset, Customer, CustomerKind, Tier};
use crate::followups::{FollowUp, FollowUpStatus, Reason, Subject};
use crate::ids::{
    AssetId, CustomerId, FollowUpId, JobId, LeadId, OrgId, PurchaseId, StoreId, UserId,
};
use crate::jobs::{Job, JobStatus, Priority, ServiceType, StatusChange};
use crate::leads::{Interest, Lead, LeadSource, Stage, StageChange};
use crate::org::{Role, Store, User, WeeklyHours};
use crate::places::{Address, LatLng};
use crate::purchases::{Item, Purchase, Source};

const MILLIS: u64 = 1_772_400_000_000;

fn org() -> OrgId {
    OrgId::from_parts(MILLIS, 1)
}
/// Jing'an, the first store.
fn s1() -> StoreId {
    StoreId::from_parts(MILLIS, 1)
}
/// Pudong, the second.
fn s2() -> StoreId {
    StoreId::from_parts(MILLIS, 2)
}
/// Wang Wei, technician.
fn t1() -> UserId {
    UserId::from_parts(MILLIS, 1)
}
/// Li Na, technician in both stores.
fn t2() -> UserId {
    UserId::from_parts(MILLIS, 2)
}
/// Zhao Min, sales rep.
fn rep() -> UserId {
    UserId::from_parts(MILLIS, 3)
}
fn customer_id(n: u128) -> CustomerId {
    CustomerId::from_parts(MILLIS, n)
}

/// Shanghai local time in 2026.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).unwrap()
}

fn period() -> Period {
    Period {
        from: day(3, 2),
        to: day(3, 15),
    }
}

fn store(id: StoreId, name: &str) -> Record {
    Record::Store(Store {
        id,
        org: org(),
        name: name.into(),
        address: Address::default(),
        location: LatLng {
            lat: 31.23,
            lng: 121.47,
        },
        time_zone: Shanghai,
        opening_hours: WeeklyHours::default(),
    })
}

fn user(id: UserId, name: &str, role: Role) -> Record {
    Record::User(User {
        id,
        org: org(),
        name: name.into(),
        login: name.to_lowercase().replace(' ', "."),
        phone: None,
        roles: vec![role],
        stores: vec![s1(), s2()],
        active: true,
        follow_up_capacity: None,
    })
}

fn customer(n: u128, store: StoreId) -> Record {
    Record::Customer(Customer {
        id: customer_id(n),
        org: org(),
        store,
        name: format!("Customer {n}"),
        phones: Vec::new(),
        address: Address::default(),
        kind: CustomerKind::Individual,
        tags: Vec::new(),
        tier: Tier::Standard,
        marketing_consent: false,
        birthday: None,
        owner: None,
        created_at: at(1, 1, 9, 0),
        merged_into: None,
        previous_owners: Vec::new(),
        edits: Vec::new(),
        erased: None,
    })
}

/// A job of `tech` through `steps`, each from the status before; its status is the last one.
fn job(
    n: u128,
    store: StoreId,
    tech: UserId,
    created: DateTime<Utc>,
    deadline: DateTime<Utc>,
    steps: &[(JobStatus, DateTime<Utc>)],
) -> Record {
    let mut from = JobStatus::New;
    let history: Vec<StatusChange> = steps
        .iter()
        .map(|&(to, at)| {
            let h = StatusChange {
                from,
                to,
                by: tech,
                at,
                location: None,
                technician: Some(tech),
                crew: Vec::new(),
                note: None,
            };
            from = to;
            h
        })
        .collect();
    Record::Job(Job {
        id: JobId::from_parts(MILLIS, n),
        org: org(),
        store,
        customer: customer_id(1),
        asset: None,
        service_address: Address::default(),
        service_type: ServiceType::Repair,
        description: "Sticky keys".into(),
        required_skills: Vec::new(),
        estimated_minutes: 60,
        priority: Priority::Normal,
        windows: Vec::new(),
        sla_deadline: deadline,
        technician: Some(tech),
        crew_size: 1,
        crew: Vec::new(),
        planned_start: None,
        status: from,
        follow_up: None,
        cancel_reason: None,
        completion: None,
        history,
        created_at: created,
        created_by: rep(),
    })
}

fn follow_up(n: u128, owner: UserId, due: DateTime<Utc>, status: FollowUpStatus) -> Record {
    Record::FollowUp(FollowUp {
        id: FollowUpId::from_parts(MILLIS, n),
        org: org(),
        store: s1(),
        subject: Subject::Customer(customer_id(1)),
        due_at: due,
        reason: Reason::Manual,
        owner,
        status,
        note: String::new(),
        why: None,
        created_at: at(2, 1, 9, 0),
        previous_owners: Vec::new(),
    })
}

fn done(at: DateTime<Utc>) -> FollowUpStatus {
    FollowUpStatus::Done { at }
}

/// A lead of the rep, created at `created` and moved to `stage` at `closed` (with no history
/// when `closed` is `None`: a lead stored before histories, closed at `stage_changed_at`).
fn lead(
    n: u128,
    store: StoreId,
    source: LeadSource,
    created: DateTime<Utc>,
    stage: Stage,
    closed: Option<DateTime<Utc>>,
    stage_changed_at: DateTime<Utc>,
) -> Record {
    let history = closed
        .map(|at| {
            vec![
                StageChange {
                    from: Stage::New,
                    to: Stage::Qualified,
                    by: rep(),
                    at: created,
                },
                StageChange {
                    from: Stage::Qualified,
                    to: stage,
                    by: rep(),
                    at,
                },
            ]
        })
        .unwrap_or_default();
    Record::Lead(Lead {
        id: LeadId::from_parts(MILLIS, n),
        org: org(),
        store,
        customer: None,
        name: format!("Lead {n}"),
        phone: None,
        source,
        interest: Interest::default(),
        stage,
        owner: rep(),
        expected_value: 1_000_000,
        next_follow_up_at: None,
        lost_reason: (stage == Stage::Lost).then(|| "Bought elsewhere".into()),
        won_value: (stage == Stage::Won).then_some(1_000_000),
        created_at: created,
        stage_changed_at,
        history,
    })
}

fn purchase(
    n: u128,
    customer: u128,
    store: StoreId,
    on: NaiveDate,
    asset: Option<AssetId>,
) -> Record {
    Record::Purchase(Purchase {
        id: PurchaseId::from_parts(MILLIS, n),
        org: org(),
        customer: customer_id(customer),
        store,
        on,
        items: vec![Item {
            product: "Piano".into(),
            quantity: 1,
            amount: 2_000_000,
            asset,
        }],
        amount: 2_000_000,
        source: Source::Console,
        receipt: None,
        recorded_by: rep(),
        recorded_at: at(3, 1, 9, 0),
    })
}

fn asset_id(n: u128) -> AssetId {
    AssetId::from_parts(MILLIS, n)
}

fn asset(n: u128, customer: u128, bought: NaiveDate) -> Record {
    Record::Asset(Asset {
        id: asset_id(n),
        org: org(),
        customer: customer_id(customer),
        product: "Upright piano".into(),
        category: "piano".into(),
        serial_number: format!("SN-{n}"),
        purchase_date: bought,
        price: 2_000_000,
        warranty_end: None,
        last_service: None,
        maintenance_interval_days: None,
    })
}

fn fixture() -> Vec<Record> {
    use JobStatus::{Assigned, Cancelled, Completed, EnRoute, NeedsFollowUp, OnSite};
    vec![
        store(s1(), "静安 Jing'an"),
        store(s2(), "Pudong, Lujiazui"),
        user(t1(), "Wang Wei", Role::Technician),
        user(t2(), "Li Na", Role::Technician),
        user(rep(), "Zhao Min", Role::Sales),
        customer(1, s1()),
        customer(2, s1()),
        customer(3, s1()),
        customer(4, s2()),
        customer(5, s1()),
        // J0: completed Sunday 1 March at 23:59, the day before the period: nothing counts.
        job(
            0,
            s1(),
            t2(),
            at(3, 1, 20, 0),
            at(3, 2, 20, 0),
            &[
                (Assigned, at(3, 1, 20, 5)),
                (EnRoute, at(3, 1, 22, 30)),
                (OnSite, at(3, 1, 23, 0)),
                (Completed, at(3, 1, 23, 59)),
            ],
        ),
        // J1: Wang, one visit on Monday 2 March, before its deadline.
        job(
            1,
            s1(),
            t1(),
            at(3, 2, 9, 0),
            at(3, 3, 9, 0),
            &[
                (Assigned, at(3, 2, 9, 10)),
                (EnRoute, at(3, 2, 10, 0)),
                (OnSite, at(3, 2, 10, 30)),
                (Completed, at(3, 2, 11, 30)),
            ],
        ),
        // J2: Wang; a part was missing on Tuesday, done on Thursday 5 March after its
        // deadline (Wednesday 08:00).
        job(
            2,
            s1(),
            t1(),
            at(3, 2, 8, 0),
            at(3, 4, 8, 0),
            &[
                (Assigned, at(3, 2, 8, 30)),
                (EnRoute, at(3, 3, 9, 0)),
                (OnSite, at(3, 3, 9, 20)),
                (NeedsFollowUp, at(3, 3, 10, 0)),
                (Assigned, at(3, 4, 8, 0)),
                (EnRoute, at(3, 5, 13, 0)),
                (OnSite, at(3, 5, 13, 45)),
                (Completed, at(3, 5, 15, 15)),
            ],
        ),
        // J3: Li, Wednesday 4 March.
        job(
            3,
            s1(),
            t2(),
            at(3, 3, 14, 0),
            at(3, 4, 12, 0),
            &[
                (Assigned, at(3, 3, 14, 30)),
                (EnRoute, at(3, 4, 9, 0)),
                (OnSite, at(3, 4, 9, 40)),
                (Completed, at(3, 4, 10, 40)),
            ],
        ),
        // J10: Li again on Wednesday 4 March, completed at the very minute of its deadline.
        job(
            10,
            s1(),
            t2(),
            at(3, 4, 11, 0),
            at(3, 4, 13, 0),
            &[
                (Assigned, at(3, 4, 11, 5)),
                (EnRoute, at(3, 4, 11, 30)),
                (OnSite, at(3, 4, 12, 0)),
                (Completed, at(3, 4, 13, 0)),
            ],
        ),
        // J4: Li, just after midnight on Monday 9 March: Sunday 8 March in UTC (W10), but
        // Monday in Shanghai, so W11.
        job(
            4,
            s1(),
            t2(),
            at(3, 8, 20, 0),
            at(3, 9, 20, 0),
            &[
                (Assigned, at(3, 8, 20, 10)),
                (EnRoute, at(3, 9, 0, 30)),
                (OnSite, at(3, 9, 1, 0)),
                (Completed, at(3, 9, 1, 50)),
            ],
        ),
        // J5: Wang set out, then the job was cancelled: the travel never arrived, nothing counts.
        job(
            5,
            s1(),
            t1(),
            at(3, 10, 9, 0),
            at(3, 11, 9, 0),
            &[
                (Assigned, at(3, 10, 9, 5)),
                (EnRoute, at(3, 10, 10, 0)),
                (Cancelled, at(3, 10, 10, 15)),
            ],
        ),
        // J6: Wang is on site now: the arrival and the travel count, no completion yet.
        job(
            6,
            s1(),
            t1(),
            at(3, 11, 9, 0),
            at(3, 12, 9, 0),
            &[
                (Assigned, at(3, 11, 9, 5)),
                (EnRoute, at(3, 11, 10, 0)),
                (OnSite, at(3, 11, 10, 25)),
            ],
        ),
        // J7: Wang, Wednesday 11 March, an hour after its deadline.
        job(
            7,
            s1(),
            t1(),
            at(3, 11, 13, 0),
            at(3, 11, 15, 0),
            &[
                (Assigned, at(3, 11, 13, 5)),
                (EnRoute, at(3, 11, 14, 0)),
                (OnSite, at(3, 11, 14, 30)),
                (Completed, at(3, 11, 16, 0)),
            ],
        ),
        // J8: Wang arrived on Sunday 15 March at 23:00 (in the period) and completed on
        // Monday 16 March (not): the arrival and the travel count, the visit and the
        // completion do not.
        job(
            8,
            s1(),
            t1(),
            at(3, 15, 20, 0),
            at(3, 16, 20, 0),
            &[
                (Assigned, at(3, 15, 20, 5)),
                (EnRoute, at(3, 15, 22, 0)),
                (OnSite, at(3, 15, 23, 0)),
                (Completed, at(3, 16, 0, 30)),
            ],
        ),
        // J9: Li in Pudong, Thursday 12 March.
        job(
            9,
            s2(),
            t2(),
            at(3, 12, 9, 0),
            at(3, 13, 9, 0),
            &[
                (Assigned, at(3, 12, 9, 5)),
                (EnRoute, at(3, 12, 10, 0)),
                (OnSite, at(3, 12, 10, 20)),
                (Completed, at(3, 12, 11, 0)),
            ],
        ),
        // F1: Wang's, due Tuesday 10:00, done Tuesday 21:00: on time (the same local day).
        follow_up(1, t1(), at(3, 3, 10, 0), done(at(3, 3, 21, 0))),
        // F2: the rep's, due Wednesday 18:00, done Thursday 00:30: late in Shanghai, though
        // both are Wednesday 4 March in UTC. Thursday is in W10.
        follow_up(2, rep(), at(3, 4, 18, 0), done(at(3, 5, 0, 30))),
        // F3: the rep's, due Tuesday 10 March, done early on Monday 9 March: on time, W11.
        follow_up(3, rep(), at(3, 10, 9, 0), done(at(3, 9, 17, 0))),
        // F4: open; F7: snoozed. Neither is done, neither counts.
        follow_up(4, rep(), at(3, 6, 9, 0), FollowUpStatus::Open),
        follow_up(
            7,
            rep(),
            at(3, 6, 9, 0),
            FollowUpStatus::Snoozed {
                until: at(3, 20, 9, 0),
            },
        ),
        // F5: the rep's, due Sunday 1 March, done Monday 2 March at 06:00 (still 1 March in
        // UTC): late, and in the period, W10.
        follow_up(5, rep(), at(3, 1, 10, 0), done(at(3, 2, 6, 0))),
        // F6: Wang's, done Monday 16 March: after the period.
        follow_up(6, t1(), at(3, 13, 9, 0), done(at(3, 16, 9, 0))),
        // L1: walk-in won Tuesday 3 March; created 20 February 10:00, so 11 days 5 hours: 11.
        lead(
            1,
            s1(),
            LeadSource::WalkIn,
            at(2, 20, 10, 0),
            Stage::Won,
            Some(at(3, 3, 15, 0)),
            at(3, 3, 15, 0),
        ),
        // L2: walk-in lost Friday 6 March.
        lead(
            2,
            s1(),
            LeadSource::WalkIn,
            at(3, 2, 9, 0),
            Stage::Lost,
            Some(at(3, 6, 10, 0)),
            at(3, 6, 10, 0),
        ),
        // L3: referral won Tuesday 10 March; created 1 January 10:00: 31 + 28 + 9 days and an
        // hour, 68.
        lead(
            3,
            s1(),
            LeadSource::Referral,
            at(1, 1, 10, 0),
            Stage::Won,
            Some(at(3, 10, 11, 0)),
            at(3, 10, 11, 0),
        ),
        // L4: referral won Thursday 12 March 09:00; created 5 March 10:00: 6 days 23 hours, 6.
        lead(
            4,
            s1(),
            LeadSource::Referral,
            at(3, 5, 10, 0),
            Stage::Won,
            Some(at(3, 12, 9, 0)),
            at(3, 12, 9, 0),
        ),
        // L5: referral won 27 February, before the period.
        lead(
            5,
            s1(),
            LeadSource::Referral,
            at(2, 1, 10, 0),
            Stage::Won,
            Some(at(2, 27, 10, 0)),
            at(2, 27, 10, 0),
        ),
        // L6: website, still open.
        lead(
            6,
            s1(),
            LeadSource::Website,
            at(3, 3, 10, 0),
            Stage::Qualified,
            None,
            at(3, 4, 10, 0),
        ),
        // L7: walk-in in Pudong, won a day after it came in.
        lead(
            7,
            s2(),
            LeadSource::WalkIn,
            at(3, 11, 10, 0),
            Stage::Won,
            Some(at(3, 12, 10, 0)),
            at(3, 12, 10, 0),
        ),
        // L8: phone, won, stored without a history: closed at its stage change, Monday
        // 9 March 12:00; created 2 March 12:00: 7 days.
        lead(
            8,
            s1(),
            LeadSource::Phone,
            at(3, 2, 12, 0),
            Stage::Won,
            None,
            at(3, 9, 12, 0),
        ),
        // L9: website, lost Monday 16 March 00:30 (Sunday in UTC): after the period.
        lead(
            9,
            s1(),
            LeadSource::Website,
            at(3, 3, 10, 0),
            Stage::Lost,
            Some(at(3, 16, 0, 30)),
            at(3, 16, 0, 30),
        ),
        // C1 bought twice in Jing'an.
        purchase(1, 1, s1(), day(3, 3), None),
        purchase(2, 1, s1(), day(3, 12), None),
        // C2 bought once in the period (and once before it).
        purchase(3, 2, s1(), day(3, 5), None),
        purchase(30, 2, s1(), day(2, 20), None),
        // C3 bought a piano (A2, named by the receipt: one purchase, not two) and has an older
        // kind of asset, A1, that no receipt names: a purchase of its own, in C3's store.
        purchase(4, 3, s1(), day(3, 7), Some(asset_id(2))),
        asset(2, 3, day(3, 7)),
        asset(1, 3, day(3, 14)),
        // C4 bought once in each store: no repeat in either, a repeat in the organization.
        purchase(5, 4, s2(), day(3, 9), None),
        purchase(6, 4, s1(), day(3, 10), None),
        // C5's asset was bought after the period; C9's customer is unknown: neither counts.
        asset(3, 5, day(3, 20)),
        asset(4, 9, day(3, 5)),
    ]
}

fn kpis() -> Kpis {
    compute(&fixture(), &period())
}

fn w10() -> NaiveDate {
    day(3, 2)
}
fn w11() -> NaiveDate {
    day(3, 9)
}

fn row(k: &Kpis, store: StoreId, who: Option<UserId>, week: NaiveDate) -> Figures {
    k.rows
        .get(&RowKey { store, who, week })
        .cloned()
        .unwrap_or_else(|| panic!("no row for {store} {who:?} {week}"))
}

fn lead_figures(closed: u32, won: u32, cycle: &[i64]) -> LeadFigures {
    LeadFigures {
        closed,
        won,
        cycle_days: Median::of(cycle.to_vec()),
    }
}

#[test]
fn the_ids_sort_as_the_fixture_expects() {
    assert!(s1() < s2());
    assert!(t1() < t2() && t2() < rep());
    assert_eq!(week_start(day(3, 8)), w10());
    assert_eq!(week_start(day(3, 9)), w11());
    assert_eq!(week_start(day(3, 15)), w11());
}

#[test]
fn jingan_week_10() {
    let f = row(&kpis(), s1(), None, w10());
    // J1, J2, J3, J10 completed; J2 needed a second visit: 3 of 4 fixed first time.
    assert_eq!((f.completed, f.first_time_fixes), (4, 3));
    assert_eq!(f.first_time_fix().per_mille(), Some(750));
    // J2 missed its deadline; J10 met it to the minute: 3 of 4.
    assert_eq!(f.within_sla, 3);
    assert_eq!(f.sla_compliance().per_mille(), Some(750));
    // Wang on 2 and 5 March, Li on 4 March (twice): 3 working days, 4 jobs, 1.33 a day.
    assert_eq!(f.working_days, 3);
    assert_eq!(f.jobs_per_day().value(), Some(4.0 / 3.0));
    // First arrivals: J1 90 min, J2 25 h 20 = 1520, J3 19 h 40 = 1180, J10 60.
    // Sorted 60, 90, 1180, 1520: the median is halfway between 90 and 1180, 635.
    assert_eq!(f.response_minutes.count, 4);
    assert_eq!(f.response_minutes.value(), Some(635.0));
    // Travel: J1 30, J2 20 + 45, J3 40, J10 30 = 165. On site: J1 60, J2 40 + 90, J3 60,
    // J10 60 = 310. Travel's share: 165 / 475 = 347 per mille.
    assert_eq!((f.travel_minutes, f.on_site_minutes), (165, 310));
    assert_eq!(f.travel_share().per_mille(), Some(347));
    // F1 on time; F2 and F5 late: 1 of 3.
    assert_eq!((f.follow_ups_done, f.follow_ups_on_time), (3, 1));
    assert_eq!(f.follow_up_on_time().per_mille(), Some(333));
    // L1 won (11 days), L2 lost.
    assert_eq!(f.leads.len(), 1);
    assert_eq!(f.lead_source(LeadSource::WalkIn), lead_figures(2, 1, &[11]));
    assert_eq!(
        f.lead_source(LeadSource::WalkIn).conversion().per_mille(),
        Some(500)
    );
}

#[test]
fn jingan_week_11() {
    let f = row(&kpis(), s1(), None, w11());
    // J4 (Monday in Shanghai) and J7 completed, both at the first visit; J7 an hour late.
    assert_eq!((f.completed, f.first_time_fixes, f.within_sla), (2, 2, 1));
    assert_eq!(f.first_time_fix().per_mille(), Some(1_000));
    assert_eq!(f.sla_compliance().per_mille(), Some(500));
    // Li on 9 March, Wang on 11 March: 2 jobs on 2 days.
    assert_eq!(f.working_days, 2);
    assert_eq!(f.jobs_per_day().value(), Some(1.0));
    // First arrivals: J4 300 (20:00 to 01:00), J6 85, J7 90, J8 180 (the arrival is in the
    // period though the completion is not). Sorted 85, 90, 180, 300: median 135.
    assert_eq!(f.response_minutes.count, 4);
    assert_eq!(f.response_minutes.value(), Some(135.0));
    // Travel: J4 30, J6 25, J7 30, J8 60 = 145 (J5's ended in a cancellation). On site: J4
    // 50, J7 90 = 140 (J6 still there, J8's visit ended on the 16th). 145 / 285 = 509.
    assert_eq!((f.travel_minutes, f.on_site_minutes), (145, 140));
    assert_eq!(f.travel_share().per_mille(), Some(509));
    // F3 done early.
    assert_eq!((f.follow_ups_done, f.follow_ups_on_time), (1, 1));
    // L3 (68 days) and L4 (6 days) won: median 37. L8 won in 7 days.
    assert_eq!(
        f.lead_source(LeadSource::Referral),
        lead_figures(2, 2, &[68, 6])
    );
    assert_eq!(
        f.lead_source(LeadSource::Referral).cycle_days.value(),
        Some(37.0)
    );
    assert_eq!(f.lead_source(LeadSource::Phone), lead_figures(1, 1, &[7]));
    // L9 closed on the 16th in Shanghai.
    assert_eq!(f.lead_source(LeadSource::Website), LeadFigures::default());
}

#[test]
fn each_person_week_in_jingan() {
    let k = kpis();
    let wang = row(&k, s1(), Some(t1()), w10());
    // J1 and J2: one first-time fix, one within its SLA, on 2 and 5 March.
    assert_eq!(
        (wang.completed, wang.first_time_fixes, wang.within_sla),
        (2, 1, 1)
    );
    assert_eq!(wang.first_time_fix().per_mille(), Some(500));
    assert_eq!(wang.working_days, 2);
    // Arrivals 90 and 1520: median 805.
    assert_eq!(wang.response_minutes.value(), Some(805.0));
    // Travel 30 + 20 + 45 = 95; on site 60 + 40 + 90 = 190. F1 on time.
    assert_eq!((wang.travel_minutes, wang.on_site_minutes), (95, 190));
    assert_eq!((wang.follow_ups_done, wang.follow_ups_on_time), (1, 1));
    assert!(wang.leads.is_empty());

    let li = row(&k, s1(), Some(t2()), w10());
    // J3 and J10, both on 4 March: 2 jobs on 1 day.
    assert_eq!(
        (li.completed, li.first_time_fixes, li.within_sla),
        (2, 2, 2)
    );
    assert_eq!(li.jobs_per_day().value(), Some(2.0));
    // Arrivals 1180 and 60: median 620. Travel 40 + 30, on site 60 + 60.
    assert_eq!(li.response_minutes.value(), Some(620.0));
    assert_eq!((li.travel_minutes, li.on_site_minutes), (70, 120));

    let zhao = row(&k, s1(), Some(rep()), w10());
    // F2 and F5, both late: 0 of 2. L1 and L2.
    assert_eq!((zhao.follow_ups_done, zhao.follow_ups_on_time), (2, 0));
    assert_eq!(zhao.follow_up_on_time().per_mille(), Some(0));
    assert_eq!(
        zhao.lead_source(LeadSource::WalkIn),
        lead_figures(2, 1, &[11])
    );
    assert_eq!(zhao.completed, 0);
    assert_eq!(zhao.first_time_fix().per_mille(), None);
    assert_eq!(zhao.response_minutes.value(), None);

    let wang = row(&k, s1(), Some(t1()), w11());
    // J7 only, late. Arrivals J6 85, J7 90, J8 180: median 90. Travel 25 + 30 + 60.
    assert_eq!(
        (wang.completed, wang.first_time_fixes, wang.within_sla),
        (1, 1, 0)
    );
    assert_eq!(wang.sla_compliance().per_mille(), Some(0));
    assert_eq!(wang.response_minutes.value(), Some(90.0));
    assert_eq!((wang.travel_minutes, wang.on_site_minutes), (115, 90));

    let li = row(&k, s1(), Some(t2()), w11());
    assert_eq!(
        (li.completed, li.first_time_fixes, li.within_sla),
        (1, 1, 1)
    );
    assert_eq!(li.response_minutes.middle, Some((300, 300)));
    assert_eq!((li.travel_minutes, li.on_site_minutes), (30, 50));

    let zhao = row(&k, s1(), Some(rep()), w11());
    assert_eq!((zhao.follow_ups_done, zhao.follow_ups_on_time), (1, 1));
    assert_eq!(zhao.leads.len(), 2);
}

#[test]
fn jingan_over_the_period() {
    let k = kpis();
    let t = &k.stores[&s1()];
    let f = &t.figures;
    // 4 + 2 completed; 3 + 2 first-time fixes: 833 per mille; 3 + 1 within SLA: 667.
    assert_eq!((f.completed, f.first_time_fixes, f.within_sla), (6, 5, 4));
    assert_eq!(f.first_time_fix().per_mille(), Some(833));
    assert_eq!(f.sla_compliance().per_mille(), Some(667));
    // 3 + 2 working days: 6 / 5 = 1.2 jobs a day.
    assert_eq!(f.working_days, 5);
    assert_eq!(f.jobs_per_day().value(), Some(1.2));
    // The median of all eight arrivals, not of the weeks' medians (635 and 135): sorted 60,
    // 85, 90, 90, 180, 300, 1180, 1520, halfway between 90 and 180, 135.
    assert_eq!(f.response_minutes.count, 8);
    assert_eq!(f.response_minutes.value(), Some(135.0));
    // 165 + 145 travel, 310 + 140 on site: 310 / 760 = 408 per mille.
    assert_eq!((f.travel_minutes, f.on_site_minutes), (310, 450));
    assert_eq!(f.travel_share().per_mille(), Some(408));
    // 3 + 1 follow-ups, 1 + 1 on time.
    assert_eq!(f.follow_up_on_time(), Rate::new(2u32, 4u32));
    assert_eq!(f.lead_source(LeadSource::WalkIn), lead_figures(2, 1, &[11]));
    assert_eq!(
        f.lead_source(LeadSource::Referral),
        lead_figures(2, 2, &[6, 68])
    );
    assert_eq!(f.lead_source(LeadSource::Phone), lead_figures(1, 1, &[7]));
    // Buyers: C1 (twice), C2 (once in the period), C3 (P4 and the asset A1), C4 (once
    // here): 2 of 4 bought again.
    assert_eq!(
        t.buyers,
        Buyers {
            customers: 4,
            repeat: 2
        }
    );
    assert_eq!(t.buyers.repeat_rate().per_mille(), Some(500));

    let wang = &k.people[&(s1(), t1())];
    // J1, J2, J7: 2 first-time fixes, 1 within its SLA, on 3 days. Arrivals 90, 1520, 85,
    // 90, 180: median 90. Travel 95 + 115, on site 190 + 90.
    assert_eq!(
        (wang.completed, wang.first_time_fixes, wang.within_sla),
        (3, 2, 1)
    );
    assert_eq!(wang.first_time_fix().per_mille(), Some(667));
    assert_eq!(wang.sla_compliance().per_mille(), Some(333));
    assert_eq!(wang.working_days, 3);
    assert_eq!(wang.response_minutes.value(), Some(90.0));
    assert_eq!((wang.travel_minutes, wang.on_site_minutes), (210, 280));
    let li = &k.people[&(s1(), t2())];
    // J3, J10, J4 on 4 and 9 March: 1.5 a day. Arrivals 1180, 60, 300: median 300.
    assert_eq!(li.jobs_per_day().value(), Some(1.5));
    assert_eq!(li.response_minutes.value(), Some(300.0));
    assert_eq!((li.travel_minutes, li.on_site_minutes), (100, 170));
    let zhao = &k.people[&(s1(), rep())];
    assert_eq!(zhao.follow_up_on_time(), Rate::new(1u32, 3u32));
    assert_eq!(zhao.follow_up_on_time().per_mille(), Some(333));
}

#[test]
fn pudong_and_the_organization() {
    let k = kpis();
    let pudong = &k.stores[&s2()];
    let f = &pudong.figures;
    // J9: Li, 40 minutes on site after 20 on the road, 80 minutes after it was made.
    assert_eq!(
        (
            f.completed,
            f.first_time_fixes,
            f.within_sla,
            f.working_days
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(f.response_minutes.value(), Some(80.0));
    assert_eq!((f.travel_minutes, f.on_site_minutes), (20, 40));
    assert_eq!(f.travel_share().per_mille(), Some(333));
    assert_eq!(f.follow_up_on_time().per_mille(), None);
    assert_eq!(f.lead_source(LeadSource::WalkIn), lead_figures(1, 1, &[1]));
    // C4 bought once here.
    assert_eq!(
        pudong.buyers,
        Buyers {
            customers: 1,
            repeat: 0
        }
    );
    assert_eq!(pudong.buyers.repeat_rate().per_mille(), Some(0));
    assert_eq!(
        row(&k, s2(), Some(t2()), w11()),
        row(&k, s2(), None, w11()).without_leads()
    );
    assert_eq!(k.rows.keys().filter(|r| r.store == s2()).count(), 3);

    let org = &k.org;
    let f = &org.figures;
    // 6 + 1 completed, 5 + 1 first time (857), 4 + 1 within SLA (714).
    assert_eq!((f.completed, f.first_time_fixes, f.within_sla), (7, 6, 5));
    assert_eq!(f.first_time_fix().per_mille(), Some(857));
    assert_eq!(f.sla_compliance().per_mille(), Some(714));
    // Wang 2, 5, 11 March; Li 4, 9, 12 March: 6 days, 7 / 6 jobs a day.
    assert_eq!(f.working_days, 6);
    // Nine arrivals, sorted 60, 80, 85, 90, 90, 180, 300, 1180, 1520: the fifth, 90.
    assert_eq!(f.response_minutes.count, 9);
    assert_eq!(f.response_minutes.value(), Some(90.0));
    // 310 + 20 travel, 450 + 40 on site: 330 / 820 = 402 per mille.
    assert_eq!((f.travel_minutes, f.on_site_minutes), (330, 490));
    assert_eq!(f.travel_share().per_mille(), Some(402));
    // Walk-ins: L1 won (11 days), L2 lost, L7 won (1 day): 2 of 3 (667), median 6.
    assert_eq!(
        f.lead_source(LeadSource::WalkIn),
        lead_figures(3, 2, &[11, 1])
    );
    assert_eq!(
        f.lead_source(LeadSource::WalkIn).conversion().per_mille(),
        Some(667)
    );
    assert_eq!(
        f.lead_source(LeadSource::WalkIn).cycle_days.value(),
        Some(6.0)
    );
    // C1, C3 and C4 (once in each store) bought again, C2 did not: 3 of 4.
    assert_eq!(
        org.buyers,
        Buyers {
            customers: 4,
            repeat: 3
        }
    );
    assert_eq!(org.buyers.repeat_rate().per_mille(), Some(750));
}

impl Figures {
    /// The same figures without the leads (a person's row holds only their own leads).
    fn without_leads(mut self) -> Self {
        self.leads.clear();
        self
    }
}

#[test]
fn the_order_of_the_records_does_not_matter() {
    let mut records = fixture();
    records.reverse();
    assert_eq!(compute(&records, &period()), kpis());
}

#[test]
fn a_store_missing_from_the_records_is_read_in_utc() {
    let records: Vec<Record> = fixture()
        .into_iter()
        .filter(|r| !matches!(r, Record::Store(s) if s.id == s1()))
        .collect();
    let k = compute(&records, &period());
    // J4 completed on Sunday 8 March at 17:50 UTC: W10 when read in UTC.
    assert_eq!(row(&k, s1(), Some(t2()), w10()).completed, 3);
    assert!(k.stores.contains_key(&s1()));
}

#[test]
fn an_empty_period_or_organization_has_no_rows() {
    let empty = Period {
        from: day(3, 15),
        to: day(3, 2),
    };
    let k = compute(&fixture(), &empty);
    assert!(k.rows.is_empty() && k.people.is_empty());
    assert_eq!(k.stores.len(), 2);
    assert_eq!(k.org, Totals::default());
    let none = compute(std::iter::empty(), &period());
    assert!(none.stores.is_empty());
    assert_eq!(none.org.figures.first_time_fix().per_mille(), None);
}

/// The cells of one CSV line (the fixture's names are quoted only for the comma in
/// Pudong's, which no line split here holds).
fn cells(line: &str) -> Vec<&str> {
    line.split(',').collect()
}

#[test]
fn the_csv_has_a_line_per_store_person_and_week() {
    let k = kpis();
    let text = csv(&k, &Names::of(&fixture()));
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        lines[0],
        "level,store_id,store,person_id,person,week_start,iso_week,\
         completed_jobs,first_time_fixes,first_time_fix_per_mille,\
         within_sla,sla_compliance_per_mille,arrivals,response_median_minutes,\
         travel_minutes,on_site_minutes,travel_share_per_mille,working_days,jobs_per_day,\
         follow_ups_done,follow_ups_on_time,follow_up_on_time_per_mille,\
         leads_walk_in_closed,leads_walk_in_won,leads_walk_in_conversion_per_mille,\
         leads_walk_in_cycle_median_days,\
         leads_phone_closed,leads_phone_won,leads_phone_conversion_per_mille,\
         leads_phone_cycle_median_days,\
         leads_website_closed,leads_website_won,leads_website_conversion_per_mille,\
         leads_website_cycle_median_days,\
         leads_referral_closed,leads_referral_won,leads_referral_conversion_per_mille,\
         leads_referral_cycle_median_days,\
         leads_event_closed,leads_event_won,leads_event_conversion_per_mille,\
         leads_event_cycle_median_days,\
         leads_campaign_closed,leads_campaign_won,leads_campaign_conversion_per_mille,\
         leads_campaign_cycle_median_days,\
         buying_customers,repeat_customers,repeat_purchase_per_mille"
    );
    // Jing'an: 2 store weeks, 3 people in 2 weeks each, the store's and 3 people's periods.
    // Pudong: 1 store week, Li's and the rep's weeks, the store's and their periods. Then
    // the organization: 8 + 4 + 3 + 3 + 1 lines after the header.
    assert_eq!(lines.len(), 1 + 8 + 4 + 3 + 3 + 1);
    let columns = cells(lines[0]).len();
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("Pudong") || cells(l).len() == columns)
    );

    let (s1, t1) = (s1(), t1());
    // The first line: Jing'an's week 10, as worked out in `jingan_week_10`.
    assert_eq!(
        lines[1],
        format!(
            "week,{s1},静安 Jing'an,,,2026-03-02,2026-W10,\
             4,3,750,3,750,4,635,165,310,347,3,1.33,3,1,333,\
             2,1,500,11,0,0,,,0,0,,,0,0,,,0,0,,,0,0,,,,,"
        )
    );
    // Wang's week 10 (after the store's two weeks).
    assert_eq!(
        lines[3],
        format!(
            "week,{s1},静安 Jing'an,{t1},Wang Wei,2026-03-02,2026-W10,\
             2,1,500,1,500,2,805,95,190,333,2,1.00,1,1,1000,\
             0,0,,,0,0,,,0,0,,,0,0,,,0,0,,,0,0,,,,,"
        )
    );
    // Jing'an's period, as in `jingan_over_the_period`.
    assert_eq!(
        lines[9],
        format!(
            "period,{s1},静安 Jing'an,,,,,\
             6,5,833,4,667,8,135,310,450,408,5,1.20,4,2,500,\
             2,1,500,11,1,1,1000,7,0,0,,,2,2,1000,37,0,0,,,0,0,,,4,2,500"
        )
    );
    // Pudong's name holds a comma: quoted.
    assert!(lines[13].starts_with(&format!("week,{},\"Pudong, Lujiazui\",,,", s2())));
    // The organization, last.
    assert_eq!(
        lines[19],
        "period,,,,,,,\
         7,6,857,5,714,9,90,330,490,402,6,1.17,4,2,500,\
         3,2,667,6,1,1,1000,7,0,0,,,2,2,1000,37,0,0,,,0,0,,,4,3,750"
    );
}

#[test]
fn a_median_between_two_whole_units_is_written_with_its_half() {
    // Two arrivals, 60 and 1181 minutes: halfway is 620.5.
    let figures = Figures {
        response_minutes: Median::of(vec![60, 1_181]),
        ..Figures::default()
    };
    let k = Kpis {
        period: period(),
        rows: BTreeMap::new(),
        people: BTreeMap::new(),
        stores: BTreeMap::new(),
        org: Totals {
            figures,
            buyers: Buyers::default(),
        },
    };
    let text = csv(&k, &Names::default());
    let org = text.split_terminator("\r\n").nth(1).unwrap();
    assert_eq!(cells(org)[12..14], ["2", "620.5"]);
    // Nothing to divide: empty cells, not zeros.
    assert_eq!(cells(org)[9], "");
    assert_eq!(cells(org)[18], "");
}
