//! A deterministic, seeded demo organization: a Shanghai music-and-tools retail chain with
//! three stores, thirty technicians, thousands of customers with assets, open jobs, leads,
//! interactions and follow-ups. Tests, benches and `serve --demo` all use it.

mod names;
mod rng;

use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use domain::customers::{Asset, Customer, CustomerKind, Phone, Tier};
use domain::followups::{FollowUp, FollowUpStatus, Reason, Subject};
use domain::ids::{
    AssetId, CustomerId, FollowUpId, InteractionId, JobId, LeadId, OrgId, StoreId, UserId,
};
use domain::jobs::{
    Completion, Job, JobStatus, PartUsed, Priority, ServiceType, StatusChange, TimeWindow, sla,
};
use domain::leads::{Interaction, InteractionKind, Interest, Lead, LeadSource, Stage, StageChange};
use domain::ops::Record;
use domain::org::{
    Break, OrgSettings, Organization, Role, Skill, SkillCode, Store, TechnicianProfile, User,
    WeeklyHours,
};
use domain::places::{Address, LatLng};

pub use rng::Rng;

/// Every demo account uses this password; `serve --demo` prints it with the logins.
pub const DEMO_PASSWORD: &str = "rounds-demo";

pub struct Demo {
    pub org: OrgId,
    pub records: Vec<Record>,
    pub logins: Vec<DemoLogin>,
}

#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub login: String,
    pub password: String,
    pub user: UserId,
    pub roles: Vec<Role>,
}

/// Sizes of the generated organization.
#[derive(Clone, Debug)]
pub struct DemoSize {
    pub technicians_per_store: usize,
    pub reps_per_store: usize,
    pub customers: usize,
    pub open_jobs: usize,
    pub past_jobs: usize,
    pub leads: usize,
}

impl Default for DemoSize {
    fn default() -> Self {
        Self {
            technicians_per_store: 10,
            reps_per_store: 4,
            customers: 5_000,
            open_jobs: 300,
            past_jobs: 1_200,
            leads: 500,
        }
    }
}

/// The demo organization as of 2026-11-23 08:00 in Shanghai, so that tests see the same data.
#[must_use]
pub fn generate(seed: u64) -> Demo {
    let anchor = Shanghai
        .with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .single()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    generate_at(seed, anchor, &DemoSize::default())
}

const SKILLS: &[(&str, &str, &str)] = &[
    ("piano-tuning", "Piano tuning", "钢琴调律"),
    ("piano-repair", "Piano repair", "钢琴维修"),
    ("string-repair", "String instrument repair", "弦乐器维修"),
    ("wind-repair", "Wind instrument repair", "管乐器维修"),
    ("power-tool-repair", "Power tool repair", "电动工具维修"),
    ("appliance-install", "Appliance installation", "家电安装"),
];

struct Product {
    name: &'static str,
    category: &'static str,
    skill: &'static str,
    price: i64,
    warranty_years: u64,
    interval_days: Option<u32>,
}

const PRODUCTS: &[Product] = &[
    Product {
        name: "Yamaha U1 upright piano",
        category: "piano",
        skill: "piano-tuning",
        price: 4_280_000,
        warranty_years: 5,
        interval_days: Some(182),
    },
    Product {
        name: "Kawai K-300 upright piano",
        category: "piano",
        skill: "piano-tuning",
        price: 3_650_000,
        warranty_years: 5,
        interval_days: Some(182),
    },
    Product {
        name: "Pearl River UP118 珠江钢琴",
        category: "piano",
        skill: "piano-tuning",
        price: 1_680_000,
        warranty_years: 3,
        interval_days: Some(182),
    },
    Product {
        name: "Steinway Model B grand",
        category: "piano",
        skill: "piano-tuning",
        price: 98_000_000,
        warranty_years: 5,
        interval_days: Some(120),
    },
    Product {
        name: "Yamaha C3X grand piano",
        category: "piano",
        skill: "piano-tuning",
        price: 22_800_000,
        warranty_years: 5,
        interval_days: Some(150),
    },
    Product {
        name: "Stentor Student II violin",
        category: "violin",
        skill: "string-repair",
        price: 180_000,
        warranty_years: 1,
        interval_days: Some(365),
    },
    Product {
        name: "Yamaha FG800 guitar",
        category: "guitar",
        skill: "string-repair",
        price: 168_000,
        warranty_years: 1,
        interval_days: None,
    },
    Product {
        name: "Yamaha YAS-280 saxophone",
        category: "wind",
        skill: "wind-repair",
        price: 980_000,
        warranty_years: 2,
        interval_days: Some(365),
    },
    Product {
        name: "Bosch GSB 18V-55 drill",
        category: "power-tool",
        skill: "power-tool-repair",
        price: 89_900,
        warranty_years: 2,
        interval_days: None,
    },
    Product {
        name: "Makita DHP484 drill",
        category: "power-tool",
        skill: "power-tool-repair",
        price: 129_900,
        warranty_years: 2,
        interval_days: None,
    },
    Product {
        name: "Daikin FTXM35 air conditioner",
        category: "appliance",
        skill: "appliance-install",
        price: 699_900,
        warranty_years: 3,
        interval_days: Some(365),
    },
    Product {
        name: "Bosch SMS4 dishwasher",
        category: "appliance",
        skill: "appliance-install",
        price: 459_900,
        warranty_years: 2,
        interval_days: None,
    },
];

/// Generates the demo organization with the given sizes, dated relative to `now`.
#[must_use]
pub fn generate_at(seed: u64, now: DateTime<Utc>, size: &DemoSize) -> Demo {
    let mut g = Gen {
        rng: Rng::new(seed),
        now,
        records: Vec::new(),
        logins: Vec::new(),
    };
    let org = OrgId::from_parts(ms(now) - 400 * 86_400_000, g.rng.u128());
    g.records.push(Record::Org(Organization {
        id: org,
        name: "和声琴行 Harmony Music & Tools".into(),
        skills: SKILLS
            .iter()
            .map(|(code, en, zh)| Skill {
                code: SkillCode::from(*code),
                name_en: (*en).into(),
                name_zh: (*zh).into(),
            })
            .collect(),
        settings: OrgSettings::default(),
    }));
    let stores = g.stores(org);
    let store_ids: Vec<StoreId> = stores.iter().map(|s| s.id).collect();
    g.user(
        org,
        "admin",
        "管理员 Admin",
        vec![Role::Admin],
        store_ids.clone(),
    );
    let mut techs: Vec<Vec<UserId>> = Vec::new();
    let mut reps: Vec<Vec<UserId>> = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let n = i + 1;
        let d = g.user(
            org,
            &format!("dispatch{n}"),
            &format!("调度员{n} Dispatcher"),
            vec![Role::Dispatcher],
            vec![store.id],
        );
        let _ = d;
        let mut ts = Vec::new();
        for k in 0..size.technicians_per_store {
            let idx = i * size.technicians_per_store + k + 1;
            ts.push(g.technician(org, store, idx));
        }
        techs.push(ts);
        let mut rs = Vec::new();
        for k in 0..size.reps_per_store {
            let idx = i * size.reps_per_store + k + 1;
            let name = if g.rng.chance(0.7) {
                names::chinese_name(&mut g.rng)
            } else {
                names::english_name(&mut g.rng)
            };
            rs.push(g.user(
                org,
                &format!("sales{idx:02}"),
                &name,
                vec![Role::Sales],
                vec![store.id],
            ));
        }
        reps.push(rs);
    }
    let customers = customers_with(&mut g.rng, now, size.customers, &store_ids, org, &reps);
    let mut assets_of: Vec<Vec<Asset>> = Vec::with_capacity(customers.len());
    for c in &customers {
        assets_of.push(g.assets(c));
    }
    for (c, assets) in customers.iter().zip(&assets_of) {
        g.records.push(Record::Customer(c.clone()));
        for a in assets {
            g.records.push(Record::Asset(a.clone()));
        }
    }
    let tier_of = |c: &Customer| c.tier;
    for k in 0..size.past_jobs {
        let ci = g.rng.below(customers.len() as u64) as usize;
        let si = store_ids
            .iter()
            .position(|s| *s == customers[ci].store)
            .unwrap_or(0);
        let tech = *g.rng.pick(&techs[si]);
        g.past_job(
            &customers[ci],
            &assets_of[ci],
            tech,
            k,
            tier_of(&customers[ci]),
        );
    }
    for k in 0..size.open_jobs {
        let ci = g.rng.below(customers.len() as u64) as usize;
        let si = store_ids
            .iter()
            .position(|s| *s == customers[ci].store)
            .unwrap_or(0);
        let dispatcher =
            g.logins[1 + si * (1 + size.technicians_per_store + size.reps_per_store)].user;
        g.open_job(&customers[ci], &assets_of[ci], &techs[si], dispatcher, k);
    }
    for _ in 0..size.leads {
        let si = g.rng.below(store_ids.len() as u64) as usize;
        let owner = *g.rng.pick(&reps[si]);
        let known = if g.rng.chance(0.4) {
            Some(&customers[g.rng.below(customers.len() as u64) as usize])
        } else {
            None
        };
        g.lead(org, store_ids[si], owner, known);
    }
    Demo {
        org,
        records: g.records,
        logins: g.logins,
    }
}

/// `n` customers spread over the stores, for scale tests and benches (no owners).
#[must_use]
pub fn customers(seed: u64, n: usize, stores: &[StoreId], org: OrgId) -> Vec<Customer> {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    customers_with(&mut Rng::new(seed), now, n, stores, org, &[])
}

fn customers_with(
    rng: &mut Rng,
    now: DateTime<Utc>,
    n: usize,
    stores: &[StoreId],
    org: OrgId,
    reps: &[Vec<UserId>],
) -> Vec<Customer> {
    (0..n)
        .map(|_| {
            let si = rng.below(stores.len().max(1) as u64) as usize;
            customer(
                rng,
                now,
                org,
                stores.get(si).copied().unwrap_or_default(),
                reps.get(si),
            )
        })
        .collect()
}

fn customer(
    rng: &mut Rng,
    now: DateTime<Utc>,
    org: OrgId,
    store: StoreId,
    reps: Option<&Vec<UserId>>,
) -> Customer {
    let english = rng.chance(0.3);
    let kind = match rng.below(100) {
        0..=89 => CustomerKind::Individual,
        90..=95 => CustomerKind::Institution,
        _ => CustomerKind::Business,
    };
    let district = rng.pick(names::DISTRICTS);
    let name = match kind {
        CustomerKind::Individual if english => names::english_name(rng),
        CustomerKind::Individual => names::chinese_name(rng),
        CustomerKind::Institution if english => {
            format!("Shanghai {} School", rng.pick(names::LAST_NAMES))
        }
        CustomerKind::Institution => format!(
            "上海市{}{}中学",
            &district.zh[..district.zh.len() - 3],
            rng.pick(&["第一", "第二", "实验", "外国语", "育才"])
        ),
        CustomerKind::Business if english => {
            format!("{} & Co. Music Studio", rng.pick(names::LAST_NAMES))
        }
        CustomerKind::Business => format!(
            "{}{}琴房",
            rng.pick(names::SURNAMES),
            rng.pick(names::GIVEN)
        ),
    };
    let mut phones = vec![if english && rng.chance(0.4) {
        names::foreign_phone(rng)
    } else {
        names::mobile(rng)
    }];
    if rng.chance(0.15) {
        phones.push(names::landline(rng));
    }
    let (street_zh, street_en) = *rng.pick(district.streets);
    let number = rng.range(1, 1999);
    let room = rng.range(101, 2804);
    let location = LatLng {
        lat: district.lat + (rng.unit() - 0.5) * 0.05,
        lng: district.lng + (rng.unit() - 0.5) * 0.06,
    };
    let address = if english {
        Address {
            province: "Shanghai".into(),
            city: "Shanghai".into(),
            district: district.en.into(),
            street: street_en.into(),
            detail: format!("No. {number}, Apt {room}"),
            location: Some(location),
        }
    } else {
        Address {
            province: "上海市".into(),
            city: "上海市".into(),
            district: district.zh.into(),
            street: street_zh.into(),
            detail: format!("{number}号{}室", room),
            location: Some(location),
        }
    };
    let tier = match rng.below(100) {
        0..=59 => Tier::Standard,
        60..=84 => Tier::Silver,
        85..=95 => Tier::Gold,
        _ => Tier::Diamond,
    };
    let created = now - Duration::days(rng.range(1, 1500));
    let birthday = (kind == CustomerKind::Individual && rng.chance(0.5))
        .then(|| {
            NaiveDate::from_ymd_opt(
                rng.range(1950, 2015) as i32,
                rng.range(1, 12) as u32,
                rng.range(1, 28) as u32,
            )
        })
        .flatten();
    let mut tags = Vec::new();
    if kind == CustomerKind::Institution {
        tags.push("school".to_owned());
    }
    if tier == Tier::Diamond {
        tags.push("vip".to_owned());
    }
    Customer {
        id: CustomerId::from_parts(ms(created), rng.u128()),
        org,
        store,
        name,
        phones: phones.iter().map(|p| Phone::parse(p)).collect(),
        address,
        kind,
        tags,
        tier,
        marketing_consent: rng.chance(0.6),
        birthday,
        owner: reps.filter(|r| !r.is_empty()).map(|r| *rng.pick(r)),
        created_at: created,
        merged_into: None,
        previous_owners: Vec::new(),
    }
}

fn ms(t: DateTime<Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).unwrap_or(0)
}

struct Gen {
    rng: Rng,
    now: DateTime<Utc>,
    records: Vec<Record>,
    logins: Vec<DemoLogin>,
}

impl Gen {
    fn stores(&mut self, org: OrgId) -> Vec<Store> {
        let specs = [
            (
                "徐汇旗舰店 Xuhui Flagship",
                "徐汇区",
                "衡山路",
                "12号",
                31.2049,
                121.4457,
            ),
            (
                "静安店 Jing'an",
                "静安区",
                "南京西路",
                "1788号",
                31.2240,
                121.4520,
            ),
            (
                "浦东店 Pudong",
                "浦东新区",
                "世纪大道",
                "1168号",
                31.2295,
                121.5280,
            ),
        ];
        let mut out = Vec::new();
        for (name, district, street, detail, lat, lng) in specs {
            let location = LatLng { lat, lng };
            let s = Store {
                id: StoreId::from_parts(ms(self.now) - 390 * 86_400_000, self.rng.u128()),
                org,
                name: name.into(),
                address: Address {
                    province: "上海市".into(),
                    city: "上海市".into(),
                    district: district.into(),
                    street: street.into(),
                    detail: detail.into(),
                    location: Some(location),
                },
                location,
                time_zone: Shanghai,
                opening_hours: WeeklyHours::uniform(&[1, 2, 3, 4, 5, 6, 7], 9 * 60, 21 * 60),
            };
            self.records.push(Record::Store(s.clone()));
            out.push(s);
        }
        out
    }

    fn user(
        &mut self,
        org: OrgId,
        login: &str,
        name: &str,
        roles: Vec<Role>,
        stores: Vec<StoreId>,
    ) -> UserId {
        let id = UserId::from_parts(ms(self.now) - 380 * 86_400_000, self.rng.u128());
        self.records.push(Record::User(User {
            id,
            org,
            name: name.into(),
            login: login.into(),
            phone: Some(names::mobile(&mut self.rng)),
            roles: roles.clone(),
            stores,
            active: true,
        }));
        self.logins.push(DemoLogin {
            login: login.into(),
            password: DEMO_PASSWORD.into(),
            user: id,
            roles,
        });
        id
    }

    fn technician(&mut self, org: OrgId, store: &Store, idx: usize) -> UserId {
        let name = if self.rng.chance(0.8) {
            names::chinese_name(&mut self.rng)
        } else {
            names::english_name(&mut self.rng)
        };
        let id = self.user(
            org,
            &format!("tech{idx:02}"),
            &name,
            vec![Role::Technician],
            vec![store.id],
        );
        // Every technician has a main trade and sometimes a second one.
        let main = idx % SKILLS.len();
        let mut skills = vec![SkillCode::from(SKILLS[main].0)];
        if main == 1 {
            skills.push(SkillCode::from("piano-tuning"));
        }
        if self.rng.chance(0.4) {
            let extra = SkillCode::from(self.rng.pick(SKILLS).0);
            if !skills.contains(&extra) {
                skills.push(extra);
            }
        }
        let (days, start, end): (&[u8], u16, u16) = if idx.is_multiple_of(3) {
            (&[2, 3, 4, 5, 6, 7], 10 * 60, 19 * 60)
        } else {
            (&[1, 2, 3, 4, 5, 6], 8 * 60 + 30, 17 * 60 + 30)
        };
        self.records.push(Record::Technician(TechnicianProfile {
            user: id,
            org,
            store: store.id,
            skills,
            home_base: LatLng {
                lat: store.location.lat + (self.rng.unit() - 0.5) * 0.12,
                lng: store.location.lng + (self.rng.unit() - 0.5) * 0.14,
            },
            working_hours: WeeklyHours::uniform(days, start, end),
            breaks: vec![Break {
                start: 12 * 60,
                minutes: 45,
            }],
            max_jobs_per_day: self.rng.range(5, 8) as u8,
        }));
        id
    }

    fn assets(&mut self, c: &Customer) -> Vec<Asset> {
        let n = match self.rng.below(10) {
            0..=3 => 1,
            4..=7 => 2,
            _ => 3,
        } + usize::from(c.kind == CustomerKind::Institution) * 3;
        (0..n)
            .map(|_| {
                let p = self.rng.pick(PRODUCTS);
                let bought = (self.now - Duration::days(self.rng.range(20, 2200))).date_naive();
                let last_service = p.interval_days.and_then(|_| {
                    self.rng.chance(0.7).then(|| {
                        bought
                            .max((self.now - Duration::days(self.rng.range(10, 400))).date_naive())
                    })
                });
                Asset {
                    id: AssetId::from_parts(ms(self.now) - 10, self.rng.u128()),
                    org: c.org,
                    customer: c.id,
                    product: p.name.into(),
                    category: p.category.into(),
                    serial_number: format!(
                        "{}{:08}",
                        &p.category[..2].to_uppercase(),
                        self.rng.below(100_000_000)
                    ),
                    purchase_date: bought,
                    price: p.price,
                    warranty_end: bought.checked_add_days(Days::new(365 * p.warranty_years)),
                    last_service,
                    maintenance_interval_days: p.interval_days,
                }
            })
            .collect()
    }

    fn job_basics(
        &mut self,
        c: &Customer,
        assets: &[Asset],
        created: DateTime<Utc>,
        creator: UserId,
    ) -> Job {
        let asset = (!assets.is_empty()).then(|| self.rng.pick(assets).clone());
        let skill = asset
            .as_ref()
            .and_then(|a| PRODUCTS.iter().find(|p| p.name == a.product))
            .map_or("piano-tuning", |p| p.skill);
        let service_type = match (skill, self.rng.below(10)) {
            ("piano-tuning", 0..=6) => ServiceType::Tuning,
            ("appliance-install", 0..=5) => ServiceType::Installation,
            (_, 0) => ServiceType::EmergencyRepair,
            (_, 1..=2) => ServiceType::Maintenance,
            (_, 3) => ServiceType::Inspection,
            _ => ServiceType::Repair,
        };
        let mut skills = vec![SkillCode::from(skill)];
        if service_type == ServiceType::Repair && skill == "piano-tuning" {
            skills = vec![SkillCode::from("piano-repair")];
        }
        let priority = match (service_type, self.rng.below(10)) {
            (ServiceType::EmergencyRepair, _) => Priority::Urgent,
            (_, 0) => Priority::High,
            (_, 1) => Priority::Low,
            _ => Priority::Normal,
        };
        let description = match service_type {
            ServiceType::Tuning => "定期调律 Routine tuning",
            ServiceType::Repair => "按键卡住/异响 Sticking key or noise",
            ServiceType::EmergencyRepair => {
                "紧急维修：演出前故障 Emergency repair before a performance"
            }
            ServiceType::Installation => "送货安装 Delivery and installation",
            ServiceType::Maintenance => "保养 Maintenance visit",
            ServiceType::Inspection => "检查评估 Inspection",
        };
        Job {
            id: JobId::from_parts(ms(created), self.rng.u128()),
            org: c.org,
            store: c.store,
            customer: c.id,
            asset: asset.map(|a| a.id),
            service_address: c.address.clone(),
            service_type,
            description: description.into(),
            required_skills: skills,
            estimated_minutes: match service_type {
                ServiceType::Tuning => 90,
                ServiceType::Installation => 120,
                ServiceType::Inspection => 45,
                _ => 60 + 15 * self.rng.range(0, 4) as u32,
            },
            priority,
            windows: Vec::new(),
            sla_deadline: sla::deadline(created, c.tier, service_type, priority),
            technician: None,
            planned_start: None,
            status: JobStatus::New,
            follow_up: None,
            cancel_reason: None,
            completion: None,
            history: Vec::new(),
            created_at: created,
            created_by: creator,
        }
    }

    fn past_job(&mut self, c: &Customer, assets: &[Asset], tech: UserId, _k: usize, _tier: Tier) {
        let created = self.now
            - Duration::days(self.rng.range(3, 360))
            - Duration::hours(self.rng.range(0, 10));
        let mut job = self.job_basics(c, assets, created, tech);
        let start = created + Duration::hours(self.rng.range(18, 96));
        job.technician = Some(tech);
        job.planned_start = Some(start);
        let cancelled = self.rng.chance(0.05);
        let steps: &[(JobStatus, JobStatus, i64)] = if cancelled {
            &[(JobStatus::New, JobStatus::Cancelled, 60)]
        } else {
            &[
                (JobStatus::New, JobStatus::Assigned, 0),
                (JobStatus::Assigned, JobStatus::EnRoute, 0),
                (JobStatus::EnRoute, JobStatus::OnSite, 30),
                (JobStatus::OnSite, JobStatus::Completed, 120),
            ]
        };
        for (from, to, offset) in steps {
            job.history.push(StatusChange {
                from: *from,
                to: *to,
                by: tech,
                at: start + Duration::minutes(*offset),
                location: job.service_address.location,
                technician: Some(tech),
                note: None,
            });
        }
        if cancelled {
            job.status = JobStatus::Cancelled;
            job.technician = None;
            job.planned_start = None;
            job.cancel_reason = Some("客户取消 Customer cancelled".into());
        } else {
            job.status = JobStatus::Completed;
            let score = match self.rng.below(20) {
                0 => 2,
                1..=2 => 3,
                3..=8 => 4,
                _ => 5,
            };
            job.completion = Some(Completion {
                notes: "已完成，客户满意 Done".into(),
                parts: if self.rng.chance(0.3) {
                    vec![PartUsed {
                        item: "琴弦 String set".into(),
                        quantity: 1,
                    }]
                } else {
                    Vec::new()
                },
                photos: Vec::new(),
                signature: Some(format!("sig-{}", job.id)),
                satisfaction: Some(score),
                first_visit_fix: self.rng.chance(0.85),
            });
        }
        self.records.push(Record::Job(job));
    }

    fn open_job(
        &mut self,
        c: &Customer,
        assets: &[Asset],
        techs: &[UserId],
        dispatcher: UserId,
        k: usize,
    ) {
        let created = self.now - Duration::hours(self.rng.range(1, 120));
        let mut job = self.job_basics(c, assets, created, dispatcher);
        // Customer windows: today or in the next few days, two to four hours long, local time.
        let day = self.rng.range(0, 4);
        let start_hour = self.rng.range(9, 15);
        let local_day = self.now.with_timezone(&Shanghai).date_naive() + Days::new(day as u64);
        if let Some(ws) = Shanghai
            .from_local_datetime(
                &local_day
                    .and_hms_opt(start_hour as u32, 0, 0)
                    .unwrap_or_default(),
            )
            .single()
        {
            let ws = ws.with_timezone(&Utc);
            job.windows.push(TimeWindow {
                start: ws,
                end: ws + Duration::hours(self.rng.range(2, 4)),
            });
        }
        // About half are assigned; a few of today's are already under way.
        let assigned = k.is_multiple_of(2);
        if assigned && !techs.is_empty() {
            let tech = techs[k / 2 % techs.len()];
            job.technician = Some(tech);
            job.planned_start = job.windows.first().map(|w| w.start);
            let push = |job: &mut Job, from, to, at| {
                job.history.push(StatusChange {
                    from,
                    to,
                    by: dispatcher,
                    at,
                    location: None,
                    technician: Some(tech),
                    note: None,
                });
                job.status = to;
            };
            push(
                &mut job,
                JobStatus::New,
                JobStatus::Assigned,
                created + Duration::minutes(20),
            );
            if day == 0 && k.is_multiple_of(10) {
                let at = self.now;
                push(&mut job, JobStatus::Assigned, JobStatus::EnRoute, at);
            }
        }
        self.records.push(Record::Job(job));
    }

    fn lead(&mut self, org: OrgId, store: StoreId, owner: UserId, known: Option<&Customer>) {
        let created = self.now
            - Duration::days(self.rng.range(0, 90))
            - Duration::hours(self.rng.range(0, 20));
        let stage = match self.rng.below(20) {
            0..=5 => Stage::New,
            6..=10 => Stage::Contacted,
            11..=13 => Stage::Qualified,
            14..=15 => Stage::Proposal,
            16..=17 => Stage::Won,
            _ => Stage::Lost,
        };
        let p = self.rng.pick(PRODUCTS);
        let name = known.map_or_else(
            || {
                if self.rng.chance(0.7) {
                    names::chinese_name(&mut self.rng)
                } else {
                    names::english_name(&mut self.rng)
                }
            },
            |c| c.name.clone(),
        );
        let id = LeadId::from_parts(ms(created), self.rng.u128());
        let mut history = Vec::new();
        let mut at = created;
        for s in Stage::ALL
            .iter()
            .copied()
            .filter(|s| *s != Stage::Lost && *s < stage && s.is_open())
        {
            let next = Stage::ALL
                .iter()
                .copied()
                .find(|n| *n > s && *n <= stage && n.is_open())
                .unwrap_or(stage);
            at += Duration::hours(self.rng.range(4, 72));
            history.push(StageChange {
                from: s,
                to: if next == Stage::Won || stage == Stage::Lost && next > stage {
                    stage
                } else {
                    next
                },
                by: owner,
                at,
            });
        }
        if stage == Stage::Lost || stage == Stage::Won {
            // Make the last step land on the final stage.
            if let Some(last) = history.last_mut() {
                last.to = stage;
            } else {
                history.push(StageChange {
                    from: Stage::New,
                    to: stage,
                    by: owner,
                    at: at + Duration::hours(5),
                });
            }
        }
        let at = history.last().map_or(created, |h| h.at).min(self.now);
        let value = p.price * self.rng.range(1, 2);
        let lead = Lead {
            id,
            org,
            store,
            customer: known.map(|c| c.id),
            name,
            phone: Some(Phone::parse(
                &known
                    .and_then(|c| c.phones.first())
                    .map_or_else(|| names::mobile(&mut self.rng), |p| p.raw.clone()),
            )),
            source: *self.rng.pick(&[
                LeadSource::WalkIn,
                LeadSource::Phone,
                LeadSource::Website,
                LeadSource::Referral,
                LeadSource::Event,
                LeadSource::Campaign,
            ]),
            interest: Interest {
                category: p.category.into(),
                budget: Some(p.price),
                model: Some(p.name.into()),
            },
            stage,
            owner,
            expected_value: value,
            next_follow_up_at: stage
                .is_open()
                .then(|| self.now + Duration::hours(self.rng.range(-72, 240))),
            lost_reason: (stage == Stage::Lost).then(|| "价格太高 Price too high".to_owned()),
            won_value: (stage == Stage::Won).then_some(value),
            created_at: created,
            stage_changed_at: at,
            history,
        };
        // Interactions along the way, and an open follow-up for open leads.
        if stage != Stage::New {
            for i in 0..self.rng.range(1, 4) {
                let when = (created + Duration::hours(6 + i * 30)).min(self.now);
                self.records.push(Record::Interaction(Interaction {
                    id: InteractionId::from_parts(ms(when), self.rng.u128()),
                    org,
                    kind: *self.rng.pick(&[
                        InteractionKind::Call,
                        InteractionKind::Visit,
                        InteractionKind::Message,
                    ]),
                    outcome: (*self.rng.pick(&[
                        "介绍了产品 Presented the product",
                        "约了到店试琴 Booked a showroom visit",
                        "客户在比较价格 Comparing prices",
                        "未接通 No answer",
                    ]))
                    .into(),
                    at: when,
                    author: owner,
                    customer: lead.customer,
                    lead: Some(id),
                    job: None,
                }));
            }
        }
        if let Some(due) = lead.next_follow_up_at {
            self.records.push(Record::FollowUp(FollowUp {
                id: FollowUpId::from_parts(ms(created), self.rng.u128()),
                org,
                store,
                subject: Subject::Lead(id),
                due_at: due,
                reason: Reason::Manual,
                owner,
                status: FollowUpStatus::Open,
                note: format!(
                    "跟进 Follow up: {}",
                    lead.interest.model.clone().unwrap_or_default()
                ),
                created_at: created,
                previous_owners: Vec::new(),
            }));
        }
        self.records.push(Record::Lead(lead));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_demo_is_deterministic_and_has_the_promised_size() {
        let a = generate(7);
        let b = generate(7);
        assert_eq!(a.records, b.records);
        let count = |f: fn(&Record) -> bool| a.records.iter().filter(|r| f(r)).count();
        assert_eq!(count(|r| matches!(r, Record::Store(_))), 3);
        assert_eq!(count(|r| matches!(r, Record::Technician(_))), 30);
        assert_eq!(count(|r| matches!(r, Record::Customer(_))), 5_000);
        assert_eq!(count(|r| matches!(r, Record::Job(j) if j.is_open())), 300);
        assert_eq!(count(|r| matches!(r, Record::Lead(_))), 500);
        assert!(count(|r| matches!(r, Record::FollowUp(_))) > 100);
        assert_ne!(generate(8).records, a.records);
    }

    #[test]
    fn demo_records_keep_the_invariants_apply_keeps() {
        let demo = generate(1);
        let keys: HashSet<_> = demo.records.iter().map(Record::key).collect();
        assert_eq!(keys.len(), demo.records.len(), "ids are unique");
        for r in &demo.records {
            assert_eq!(r.org(), demo.org);
            match r {
                Record::Job(j) => {
                    assert_eq!(
                        j.status.needs_technician(),
                        j.technician.is_some(),
                        "{:?}",
                        j.status
                    );
                    assert_eq!(j.status == JobStatus::Completed, j.completion.is_some());
                    assert!(keys.contains(&domain::ops::RecordKey::Customer(j.customer)));
                }
                Record::Lead(l) => {
                    assert_eq!(l.stage == Stage::Lost, l.lost_reason.is_some());
                    for h in &l.history {
                        assert!(h.from.can_move_to(h.to), "{:?} -> {:?}", h.from, h.to);
                    }
                }
                Record::Customer(c) => {
                    assert!(c.address.location.is_some_and(|p| p.is_valid()));
                    assert!(c.phones.iter().all(|p| p.e164.is_some()), "{:?}", c.phones);
                }
                _ => {}
            }
        }
        // Chinese and English names both present.
        let names: Vec<&str> = demo
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Customer(c) => Some(c.name.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            names
                .iter()
                .any(|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        );
        assert!(names.iter().any(|n| n.is_ascii()));
    }
}
