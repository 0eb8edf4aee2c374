//! A tiny organization for rule tests, built through `apply` wherever an op exists, so that
//! the records look exactly like the ones devices hold.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::customers::{CustomerKind, Tier};
use crate::followups::{FollowUp, Subject};
use crate::ids::{AssetId, CustomerId, InteractionId, JobId, LeadId, OpId, OrgId, StoreId, UserId};
use crate::jobs::{Completion, Priority, ServiceType};
use crate::leads::{InteractionKind, Interest, LeadSource};
use crate::ops::{
    Applied, MemoryRecords, NewAsset, NewCustomer, NewInteraction, NewJob, NewLead, Op, OpError,
    OpKind, Record, apply,
};
use crate::org::{OrgSettings, Organization, Role, Store, TechnicianProfile, User, WeeklyHours};
use crate::places::{Address, LatLng};

pub struct Fixture {
    pub records: MemoryRecords,
    pub org: OrgId,
    pub store: StoreId,
    pub admin: UserId,
    pub manager: UserId,
    pub rep: UserId,
    pub tech: UserId,
    n: u128,
}

fn address() -> Address {
    Address {
        province: "Berlin".into(),
        city: "Berlin".into(),
        district: "Mitte".into(),
        street: "Unter den Linden".into(),
        detail: "1".into(),
        location: Some(LatLng {
            lat: 52.517,
            lng: 13.389,
        }),
        approximate: false,
    }
}

impl Fixture {
    /// One store open Monday to Saturday, 09:00 to 18:00 local, in `tz`.
    pub fn new(tz: Tz) -> Self {
        let mut n = 1u128;
        let mut next = || {
            n += 1;
            n
        };
        let org = OrgId::from_parts(1_700_000_000_000, next());
        let store = StoreId::from_parts(1_700_000_000_000, next());
        let mut records = MemoryRecords::new();
        records.insert(Record::Org(Organization {
            id: org,
            name: "Test".into(),
            skills: vec![],
            settings: OrgSettings::default(),
        }));
        records.insert(Record::Store(Store {
            id: store,
            org,
            name: "Mitte".into(),
            address: address(),
            location: LatLng {
                lat: 52.517,
                lng: 13.389,
            },
            time_zone: tz,
            opening_hours: WeeklyHours::uniform(&[1, 2, 3, 4, 5, 6], 9 * 60, 18 * 60),
        }));
        let mut user = |login: &str, role: Role| {
            let id = UserId::from_parts(1_700_000_000_000, next());
            records.insert(Record::User(User {
                id,
                org,
                name: login.into(),
                login: login.into(),
                phone: None,
                roles: vec![role],
                stores: vec![store],
                active: true,
                follow_up_capacity: None,
            }));
            id
        };
        let admin = user("admin", Role::Admin);
        let manager = user("manager", Role::Dispatcher);
        let rep = user("rep", Role::Sales);
        let tech = user("tech", Role::Technician);
        records.insert(Record::Technician(TechnicianProfile {
            user: tech,
            org,
            store,
            skills: vec![],
            home_base: LatLng {
                lat: 52.5,
                lng: 13.4,
            },
            working_hours: WeeklyHours::uniform(&[1, 2, 3, 4, 5], 8 * 60, 17 * 60),
            breaks: vec![],
            max_jobs_per_day: 6,
            absences: Vec::new(),
        }));
        Self {
            records,
            org,
            store,
            admin,
            manager,
            rep,
            tech,
            n,
        }
    }

    #[expect(
        clippy::should_implement_trait,
        reason = "a counter of fresh id parts, not an iterator"
    )]
    pub fn next(&mut self) -> u128 {
        self.n += 1;
        self.n
    }

    pub fn op(
        &mut self,
        actor: UserId,
        at: DateTime<Utc>,
        kind: OpKind,
    ) -> Result<Applied, OpError> {
        let op = Op {
            id: OpId::from_parts(1_800_000_000_000, self.next()),
            actor,
            at,
            location: None,
            kind,
        };
        apply(&mut self.records, &op)
    }

    pub fn customer(
        &mut self,
        at: DateTime<Utc>,
        owner: Option<UserId>,
        consent: bool,
        birthday: Option<NaiveDate>,
    ) -> CustomerId {
        let id = CustomerId::from_parts(1_750_000_000_000, self.next());
        let store = self.store;
        self.op(
            self.manager,
            at,
            OpKind::CreateCustomer(NewCustomer {
                id,
                store,
                name: format!("Customer {}", self.n),
                phones: vec![],
                address: address(),
                kind: CustomerKind::Individual,
                tags: vec![],
                tier: Tier::Standard,
                marketing_consent: consent,
                birthday,
                owner,
            }),
        )
        .expect("customer");
        id
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "a test fixture that mirrors the asset's fields"
    )]
    pub fn asset(
        &mut self,
        at: DateTime<Utc>,
        customer: CustomerId,
        purchase_date: NaiveDate,
        price: i64,
        warranty_end: Option<NaiveDate>,
        maintenance_interval_days: Option<u32>,
        last_service: Option<NaiveDate>,
    ) -> AssetId {
        let id = AssetId::from_parts(1_750_000_000_000, self.next());
        self.op(
            self.manager,
            at,
            OpKind::AddAsset(NewAsset {
                id,
                customer,
                product: "Upright piano".into(),
                category: "piano".into(),
                serial_number: format!("SN{}", self.n),
                purchase_date,
                price,
                warranty_end,
                last_service,
                maintenance_interval_days,
            }),
        )
        .expect("asset");
        id
    }

    /// A sale of `amount` (minor units) to the customer on `on`, recorded at `at`.
    pub fn purchase(
        &mut self,
        at: DateTime<Utc>,
        customer: CustomerId,
        on: NaiveDate,
        amount: i64,
    ) {
        let id = crate::ids::PurchaseId::from_parts(1_750_000_000_000, self.next());
        self.op(
            self.manager,
            at,
            OpKind::RecordPurchase(crate::ops::NewPurchase {
                id,
                customer,
                store: None,
                on,
                items: vec![crate::purchases::Item {
                    product: "Piano strings".into(),
                    quantity: 1,
                    amount,
                    asset: None,
                }],
                amount,
                source: crate::purchases::Source::Console,
                receipt: None,
            }),
        )
        .expect("purchase");
    }

    /// A job created, assigned and completed by the technician at `done`.
    pub fn completed_job(
        &mut self,
        done: DateTime<Utc>,
        customer: CustomerId,
        asset: Option<AssetId>,
        score: Option<u8>,
    ) -> JobId {
        let id = JobId::from_parts(1_750_000_000_000, self.next());
        let start = done - Duration::hours(3);
        let (m, t) = (self.manager, self.tech);
        self.op(
            m,
            start,
            OpKind::CreateJob(NewJob {
                id,
                customer,
                asset,
                service_address: None,
                service_type: ServiceType::Tuning,
                description: "Tuning".into(),
                required_skills: vec![],
                estimated_minutes: 90,
                priority: Priority::Normal,
                windows: vec![],
                crew_size: 1,
            }),
        )
        .expect("job");
        self.op(
            m,
            start,
            OpKind::AssignJob {
                job: id,
                technician: t,
                planned_start: None,
                why: None,
                crew: Vec::new(),
            },
        )
        .expect("assign");
        self.op(t, start, OpKind::StartTravel { job: id })
            .expect("travel");
        self.op(t, start, OpKind::Arrive { job: id })
            .expect("arrive");
        self.op(
            t,
            done,
            OpKind::CompleteJob {
                job: id,
                completion: Completion {
                    notes: "done".into(),
                    satisfaction: score,
                    first_visit_fix: true,
                    ..Completion::default()
                },
            },
        )
        .expect("complete");
        id
    }

    pub fn lead(&mut self, at: DateTime<Utc>, owner: UserId) -> LeadId {
        let id = LeadId::from_parts(1_750_000_000_000, self.next());
        let store = self.store;
        self.op(
            owner,
            at,
            OpKind::CreateLead(NewLead {
                id,
                store,
                customer: None,
                name: format!("Lead {}", self.n),
                phone: None,
                source: LeadSource::WalkIn,
                interest: Interest {
                    category: "piano".into(),
                    budget: None,
                    model: None,
                },
                owner: None,
                expected_value: 3_000_000,
                next_follow_up_at: None,
            }),
        )
        .expect("lead");
        id
    }

    pub fn touch(&mut self, at: DateTime<Utc>, lead: LeadId, who: UserId) {
        let id = InteractionId::from_parts(1_750_000_000_000, self.next());
        self.op(
            who,
            at,
            OpKind::LogInteraction(NewInteraction {
                id,
                kind: InteractionKind::Call,
                outcome: "called".into(),
                customer: None,
                lead: Some(lead),
                job: None,
            }),
        )
        .expect("touch");
    }

    pub fn follow_ups_of(&self, subject: Subject) -> Vec<&FollowUp> {
        self.records
            .follow_ups()
            .filter(|f| f.subject == subject)
            .collect()
    }
}
