//! A deterministic, seeded demo organization: a Shanghai music-and-tools retail chain with
//! three stores, thirty technicians, thousands of customers with assets, open jobs, leads,
//! interactions and follow-ups. Tests, benches and `serve --demo` all use it.

mod names;
mod rng;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use domain::customers::{Asset, Customer, CustomerKind, Phone, Tier};
use domain::followups::Reason;
use domain::followups::Subject;
use domain::followups::rules::{self, Proposal};
use domain::ids::{
    AssetId, CustomerId, FollowUpId, InteractionId, JobId, LeadId, OpId, OrgId, StoreId, UserId,
};
use domain::jobs::{
    Completion, FollowUpKind, FollowUpNeed, PartUsed, Priority, ServiceType, TimeWindow, sla,
};
use domain::leads::{InteractionKind, Interest, InterestCategory, LeadSource, Stage};
use domain::ops::{
    MemoryRecords, NewAsset, NewCustomer, NewFollowUp, NewInteraction, NewJob, NewLead, Op, OpKind,
    Record, apply,
};
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

/// The interest catalogue: the categories of the products below, named in each language.
const INTERESTS: &[(&str, &str, &str)] = &[
    ("piano", "Piano", "钢琴"),
    ("violin", "Violin", "小提琴"),
    ("guitar", "Guitar", "吉他"),
    ("wind", "Wind instrument", "管乐器"),
    ("power-tool", "Power tool", "电动工具"),
    ("appliance", "Home appliance", "家用电器"),
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

/// The demo as bootstrap records and the ops that build everything else, in the order they
/// were applied: [`Script::play`] gives the demo's records again (the replay test checks it).
pub struct Script {
    pub org: OrgId,
    /// What no op creates: the organization, its stores, its people and technician profiles.
    pub bootstrap: Vec<Record>,
    pub ops: Vec<Op>,
    pub logins: Vec<DemoLogin>,
}

impl Script {
    /// Applies the ops over the bootstrap records, as a device replica would.
    ///
    /// # Panics
    /// When `apply` refuses an op: the demo only makes ops the rules accept.
    #[must_use]
    pub fn play(&self) -> MemoryRecords {
        let mut replica = MemoryRecords::new();
        for r in &self.bootstrap {
            replica.insert(r.clone());
        }
        for op in &self.ops {
            accept(&mut replica, op);
        }
        replica
    }
}

fn accept(replica: &mut MemoryRecords, op: &Op) {
    if let Err(e) = apply(replica, op) {
        panic!("the demo made an op that apply refuses ({e}): {op:?}");
    }
}

/// When a demo organization was seeded: its id is a UUID v7 stamped with the generator's
/// `now` (`serve --demo` uses it to tell an operator that the demo's "today" has passed).
#[must_use]
pub fn seeded_at(org: OrgId) -> Option<DateTime<Utc>> {
    let b = org.0.as_bytes();
    let ms = b[..6]
        .iter()
        .fold(0i64, |acc, byte| (acc << 8) | i64::from(*byte));
    DateTime::from_timestamp_millis(ms)
}

/// The store-local day a demo organization was seeded on (the demo's stores are in Shanghai).
#[must_use]
pub fn seeded_on(org: OrgId) -> Option<NaiveDate> {
    seeded_at(org).map(|t| t.with_timezone(&Shanghai).date_naive())
}

/// Generates the demo organization with the given sizes, dated relative to `now`.
///
/// # Panics
/// When an op the demo makes is refused (a bug in the demo).
#[must_use]
pub fn generate_at(seed: u64, now: DateTime<Utc>, size: &DemoSize) -> Demo {
    generate_in_stores(seed, now, size, STORES)
}

/// [`generate_at`] with the first `stores` of the chain's stores only (1 to 3; more are
/// three): every customer, job and lead in fewer stores, so that one dispatcher's scope holds
/// them all (the device benchmark's organization).
///
/// # Panics
/// When an op the demo makes is refused (a bug in the demo).
#[must_use]
pub fn generate_in_stores(seed: u64, now: DateTime<Utc>, size: &DemoSize, stores: usize) -> Demo {
    let (script, replica) = build(seed, now, size, stores);
    Demo {
        org: script.org,
        records: replica.iter().cloned().collect(),
        logins: script.logins,
    }
}

/// The bootstrap records and ops behind [`generate_at`].
#[must_use]
pub fn script_at(seed: u64, now: DateTime<Utc>, size: &DemoSize) -> Script {
    build(seed, now, size, STORES).0
}

/// How many stores the chain has.
const STORES: usize = 3;

/// One store's people, as the generator hands out work.
struct Staff {
    store: Store,
    dispatcher: UserId,
    techs: Vec<TechnicianProfile>,
    reps: Vec<UserId>,
}

fn build(seed: u64, now: DateTime<Utc>, size: &DemoSize, stores: usize) -> (Script, MemoryRecords) {
    let mut g = Gen {
        rng: Rng::new(seed),
        now,
        bootstrap: Vec::new(),
        replica: MemoryRecords::new(),
        ops: Vec::new(),
        logins: Vec::new(),
    };
    let org = OrgId::from_parts(ms(now), g.rng.u128());
    g.boot(Record::Org(Organization {
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
        settings: OrgSettings {
            interests: INTERESTS
                .iter()
                .map(|(code, en, zh)| InterestCategory {
                    code: (*code).into(),
                    name_en: (*en).into(),
                    name_zh: (*zh).into(),
                })
                .collect(),
            ..OrgSettings::default()
        },
    }));
    let stores = g.stores(org, stores);
    let store_ids: Vec<StoreId> = stores.iter().map(|s| s.id).collect();
    g.user(
        org,
        "admin",
        "管理员 Admin",
        vec![Role::Admin],
        store_ids.clone(),
    );
    let mut staff: Vec<Staff> = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let n = i + 1;
        let dispatcher = g.user(
            org,
            &format!("dispatch{n}"),
            &format!("调度员{n} Dispatcher"),
            vec![Role::Dispatcher],
            vec![store.id],
        );
        let mut techs = Vec::new();
        for k in 0..size.technicians_per_store {
            let idx = i * size.technicians_per_store + k + 1;
            techs.push(g.technician(org, store, idx));
        }
        let mut reps = Vec::new();
        for k in 0..size.reps_per_store {
            let idx = i * size.reps_per_store + k + 1;
            let name = if g.rng.chance(0.7) {
                names::chinese_name(&mut g.rng)
            } else {
                names::english_name(&mut g.rng)
            };
            reps.push(g.user(
                org,
                &format!("sales{idx:02}"),
                &name,
                vec![Role::Sales],
                vec![store.id],
            ));
        }
        staff.push(Staff {
            store: store.clone(),
            dispatcher,
            techs,
            reps,
        });
    }
    let reps: Vec<Vec<UserId>> = staff.iter().map(|s| s.reps.clone()).collect();
    let customers = customers_with(&mut g.rng, now, size.customers, &store_ids, org, &reps);
    let mut of_store: Vec<Vec<usize>> = vec![Vec::new(); staff.len()];
    let mut assets_of: Vec<Vec<Asset>> = Vec::with_capacity(customers.len());
    for (ci, c) in customers.iter().enumerate() {
        let si = store_ids.iter().position(|s| *s == c.store).unwrap_or(0);
        of_store[si].push(ci);
        let assets = g.customer_and_assets(c, staff[si].dispatcher);
        assets_of.push(assets);
    }
    let pick = |g: &mut Gen, si: usize| -> Option<usize> {
        let list = &of_store[si];
        (!list.is_empty()).then(|| list[g.rng.below(list.len() as u64) as usize])
    };

    // Today first: every technician's day, then the jobs of the next days and the backlog.
    let backlog = if size.open_jobs >= 100 {
        staff.len() * g.rng.range(8, 14) as usize
    } else {
        size.open_jobs / 4
    };
    let today_cap = size.open_jobs - backlog - (size.open_jobs - backlog) / 3;
    let mut open_left = size.open_jobs;
    let mut done_today = 0;
    let days: Vec<Vec<Vec<Slot>>> = staff
        .iter()
        .map(|s| s.techs.iter().map(|t| g.day_plan(t)).collect())
        .collect();
    let mut today_open = 0;
    let most = days.iter().flatten().map(Vec::len).max().unwrap_or(0);
    for k in 0..most {
        for si in 0..staff.len() {
            for (ti, plan) in days[si].iter().enumerate() {
                let Some(slot) = plan.get(k).copied() else {
                    continue;
                };
                let done = slot.end <= now - Duration::minutes(5);
                if !done && today_open >= today_cap {
                    continue;
                }
                let Some(ci) = pick(&mut g, si) else { continue };
                let tech = staff[si].techs[ti].clone();
                g.today_job(&customers[ci], &assets_of[ci], &staff[si], &tech, slot);
                if done {
                    done_today += 1;
                } else {
                    today_open += 1;
                }
            }
        }
    }
    open_left -= today_open;
    let backlog = backlog.min(open_left);
    for k in 0..open_left {
        let si = k % staff.len();
        let Some(ci) = pick(&mut g, si) else { continue };
        if k < staff.len() && k < backlog {
            // One job per store whose promise runs out within the morning: the board's
            // SLA alert has something to show.
            g.at_risk_job(&customers[ci], &assets_of[ci], &staff[si]);
        } else if k < backlog || staff[si].techs.is_empty() {
            g.waiting_job(&customers[ci], &assets_of[ci], &staff[si]);
        } else {
            let ti = g.rng.below(staff[si].techs.len() as u64) as usize;
            let tech = staff[si].techs[ti].clone();
            g.coming_job(&customers[ci], &assets_of[ci], &staff[si], &tech);
        }
    }
    for _ in 0..size.past_jobs.saturating_sub(done_today) {
        let si = g.rng.below(staff.len() as u64) as usize;
        let Some(ci) = pick(&mut g, si) else { continue };
        if staff[si].techs.is_empty() {
            continue;
        }
        let ti = g.rng.below(staff[si].techs.len() as u64) as usize;
        let tech = staff[si].techs[ti].clone();
        g.past_job(&customers[ci], &assets_of[ci], &staff[si], &tech);
    }
    for _ in 0..size.leads {
        let si = g.rng.below(staff.len() as u64) as usize;
        if staff[si].reps.is_empty() {
            continue;
        }
        let owner = *g.rng.pick(&staff[si].reps);
        let known = if g.rng.chance(0.4) {
            pick(&mut g, si).map(|ci| &customers[ci])
        } else {
            None
        };
        g.lead(staff[si].store.id, owner, known);
    }
    g.work_the_lists();
    let script = Script {
        org,
        bootstrap: g.bootstrap,
        ops: g.ops,
        logins: g.logins,
    };
    (script, g.replica)
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
            approximate: false,
        }
    } else {
        Address {
            province: "上海市".into(),
            city: "上海市".into(),
            district: district.zh.into(),
            street: street_zh.into(),
            detail: format!("{number}号{}室", room),
            location: Some(location),
            approximate: false,
        }
    };
    let tier = match rng.below(100) {
        0..=59 => Tier::Standard,
        60..=84 => Tier::Silver,
        85..=95 => Tier::Gold,
        _ => Tier::Diamond,
    };
    let created = now - Duration::days(rng.range(30, 1500)) - Duration::minutes(rng.range(0, 600));
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
        edits: Vec::new(),
        erased: None,
    }
}

fn ms(t: DateTime<Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).unwrap_or(0)
}

/// A Shanghai wall-clock time on `date` (the demo's stores are all in Shanghai).
fn local(date: NaiveDate, minute: i64) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(minute);
    Shanghai
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&naive), |t| t.with_timezone(&Utc))
}

/// One visit of a technician's day.
#[derive(Clone, Copy, Debug)]
struct Slot {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    minutes: u32,
}

/// What kind of visit a job is, before it is created.
struct JobSpec {
    asset: Option<AssetId>,
    service_type: ServiceType,
    skills: Vec<SkillCode>,
    priority: Priority,
    minutes: u32,
}

struct Gen {
    rng: Rng,
    now: DateTime<Utc>,
    bootstrap: Vec<Record>,
    replica: MemoryRecords,
    ops: Vec<Op>,
    logins: Vec<DemoLogin>,
}

impl Gen {
    fn boot(&mut self, r: Record) {
        self.replica.insert(r.clone());
        self.bootstrap.push(r);
    }

    /// Applies one op stamped `at` (never after `now`); a refusal is a bug in the demo.
    fn op(&mut self, actor: UserId, at: DateTime<Utc>, location: Option<LatLng>, kind: OpKind) {
        assert!(at <= self.now, "a demo op stamped after now: {kind:?}");
        let op = Op {
            id: OpId::from_parts(ms(at), self.rng.u128()),
            actor,
            at,
            location,
            kind,
        };
        accept(&mut self.replica, &op);
        self.ops.push(op);
    }

    fn today(&self) -> NaiveDate {
        self.now.with_timezone(&Shanghai).date_naive()
    }

    fn stores(&mut self, org: OrgId, n: usize) -> Vec<Store> {
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
        for (name, district, street, detail, lat, lng) in specs.into_iter().take(n.max(1)) {
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
                    approximate: false,
                },
                location,
                time_zone: Shanghai,
                opening_hours: WeeklyHours::uniform(&[1, 2, 3, 4, 5, 6, 7], 9 * 60, 21 * 60),
            };
            self.boot(Record::Store(s.clone()));
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
        let phone = Some(names::mobile(&mut self.rng));
        self.boot(Record::User(User {
            id,
            org,
            name: name.into(),
            login: login.into(),
            phone,
            roles: roles.clone(),
            stores,
            active: true,
            follow_up_capacity: None,
        }));
        self.logins.push(DemoLogin {
            login: login.into(),
            password: DEMO_PASSWORD.into(),
            user: id,
            roles,
        });
        id
    }

    fn technician(&mut self, org: OrgId, store: &Store, idx: usize) -> TechnicianProfile {
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
        // Six days a week, two shifts; the day off is never the demo's today, so that every
        // technician has a day to show.
        let today = self.today().weekday().number_from_monday() as usize;
        let off = (today + idx % 6) % 7 + 1;
        let days: Vec<u8> = (1..=7u8).filter(|d| usize::from(*d) != off).collect();
        let (start, end) = if idx.is_multiple_of(3) {
            (10 * 60, 19 * 60)
        } else {
            (8 * 60 + 30, 17 * 60 + 30)
        };
        let profile = TechnicianProfile {
            user: id,
            org,
            store: store.id,
            skills,
            home_base: LatLng {
                lat: store.location.lat + (self.rng.unit() - 0.5) * 0.12,
                lng: store.location.lng + (self.rng.unit() - 0.5) * 0.14,
            },
            working_hours: WeeklyHours::uniform(&days, start, end),
            breaks: vec![Break {
                start: 12 * 60,
                minutes: 45,
            }],
            max_jobs_per_day: self.rng.range(5, 8) as u8,
            absences: Vec::new(),
        };
        self.boot(Record::Technician(profile.clone()));
        profile
    }

    /// The customer, made by its rep (a standard customer of their own) or by the store's
    /// dispatcher, and its assets as the store registered them.
    fn customer_and_assets(&mut self, c: &Customer, dispatcher: UserId) -> Vec<Asset> {
        let by = match c.owner {
            Some(rep) if c.tier == Tier::Standard => rep,
            _ => dispatcher,
        };
        self.op(
            by,
            c.created_at,
            None,
            OpKind::CreateCustomer(NewCustomer {
                id: c.id,
                store: c.store,
                name: c.name.clone(),
                phones: c.phones.iter().map(|p| p.raw.clone()).collect(),
                address: c.address.clone(),
                kind: c.kind,
                tags: c.tags.clone(),
                tier: c.tier,
                marketing_consent: c.marketing_consent,
                birthday: c.birthday,
                owner: c.owner,
            }),
        );
        let n = match self.rng.below(10) {
            0..=3 => 1,
            4..=7 => 2,
            _ => 3,
        } + usize::from(c.kind == CustomerKind::Institution) * 3;
        let first = c.created_at.with_timezone(&Shanghai).date_naive();
        let last = (self.now - Duration::days(20)).date_naive();
        let span = (last - first).num_days().max(0);
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let p = self.rng.pick(PRODUCTS);
            // Bought as a customer of the store, mostly on the first visit.
            let bought = if self.rng.chance(0.5) {
                first
            } else {
                first + Duration::days(self.rng.range(0, span))
            };
            let last_service = p.interval_days.and_then(|_| {
                self.rng.chance(0.7).then(|| {
                    bought.max((self.now - Duration::days(self.rng.range(10, 400))).date_naive())
                })
            });
            // Registered the day of the purchase, or at the visit that serviced it.
            let day = last_service.unwrap_or(bought);
            let at = local(day, 19 * 60 + self.rng.range(0, 90))
                .max(c.created_at + Duration::minutes(1))
                .min(self.now - Duration::hours(1));
            let a = Asset {
                id: AssetId::from_parts(ms(at), self.rng.u128()),
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
            };
            self.op(
                by,
                at,
                None,
                OpKind::AddAsset(NewAsset {
                    id: a.id,
                    customer: a.customer,
                    product: a.product.clone(),
                    category: a.category.clone(),
                    serial_number: a.serial_number.clone(),
                    purchase_date: a.purchase_date,
                    price: a.price,
                    warranty_end: a.warranty_end,
                    last_service: a.last_service,
                    maintenance_interval_days: a.maintenance_interval_days,
                }),
            );
            out.push(a);
        }
        out
    }

    /// What visit the customer needs; for a technician, one their skills cover.
    fn spec(
        &mut self,
        assets: &[Asset],
        tech: Option<&TechnicianProfile>,
        minutes: Option<u32>,
    ) -> JobSpec {
        let skill_of = |a: &Asset| {
            PRODUCTS
                .iter()
                .find(|p| p.name == a.product)
                .map_or("piano-tuning", |p| p.skill)
        };
        let fits: Vec<&Asset> = assets
            .iter()
            .filter(|a| tech.is_none_or(|t| t.skills.contains(&SkillCode::from(skill_of(a)))))
            .collect();
        let asset = (!fits.is_empty()).then(|| *self.rng.pick(&fits));
        let skill = match (asset, tech) {
            (Some(a), _) => skill_of(a).to_owned(),
            (None, Some(t)) => t
                .skills
                .first()
                .map_or("piano-tuning".into(), |s| s.0.clone()),
            (None, None) => "piano-tuning".into(),
        };
        let mut service_type = match (skill.as_str(), self.rng.below(10)) {
            ("piano-tuning", 0..=6) => ServiceType::Tuning,
            ("appliance-install", 0..=5) => ServiceType::Installation,
            (_, 0) => ServiceType::EmergencyRepair,
            (_, 1..=2) => ServiceType::Maintenance,
            (_, 3) => ServiceType::Inspection,
            _ => ServiceType::Repair,
        };
        let mut skills = vec![SkillCode::from(skill.as_str())];
        if service_type == ServiceType::Repair && skill == "piano-tuning" {
            let repair = SkillCode::from("piano-repair");
            if tech.is_none_or(|t| t.skills.contains(&repair)) {
                skills = vec![repair];
            } else {
                service_type = ServiceType::Tuning;
            }
        }
        let priority = match (service_type, self.rng.below(10)) {
            (ServiceType::EmergencyRepair, _) => Priority::Urgent,
            (_, 0) => Priority::High,
            (_, 1) => Priority::Low,
            _ => Priority::Normal,
        };
        let minutes = minutes.unwrap_or(match service_type {
            ServiceType::Tuning => 90,
            ServiceType::Installation => 120,
            ServiceType::Inspection => 45,
            _ => 60 + 15 * self.rng.range(0, 4) as u32,
        });
        JobSpec {
            asset: asset.map(|a| a.id),
            service_type,
            skills,
            priority,
            minutes,
        }
    }

    /// When the job was booked: before its window, no later than `latest`, and early enough
    /// that the window ends before the SLA deadline. A promise that cannot fit is made
    /// less urgent (the customer asked for a later visit); `None` when nothing fits.
    fn booked(
        &mut self,
        tier: Tier,
        spec: &mut JobSpec,
        window_end: DateTime<Utc>,
        latest: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        for attempt in 0..3 {
            if attempt == 1 {
                spec.priority = Priority::Normal;
            }
            if attempt == 2 && spec.service_type != ServiceType::Tuning {
                spec.service_type = ServiceType::Maintenance;
            }
            let hours = sla::hours(tier, spec.service_type, spec.priority);
            let lo = window_end - Duration::hours(i64::from(hours)) + Duration::minutes(1);
            if lo <= latest {
                let from = lo.max(latest - Duration::hours(72));
                let span = (latest - from).num_minutes().max(0);
                return Some(from + Duration::minutes(self.rng.range(0, span)));
            }
        }
        None
    }

    fn description(service_type: ServiceType) -> &'static str {
        match service_type {
            ServiceType::Tuning => "定期调律 Routine tuning",
            ServiceType::Repair => "按键卡住/异响 Sticking key or noise",
            ServiceType::EmergencyRepair => {
                "紧急维修：演出前故障 Emergency repair before a performance"
            }
            ServiceType::Installation => "送货安装 Delivery and installation",
            ServiceType::Maintenance => "保养 Maintenance visit",
            ServiceType::Inspection => "检查评估 Inspection",
        }
    }

    /// Books a job (the store's dispatcher, or sometimes the customer's own rep).
    fn create_job(
        &mut self,
        c: &Customer,
        st: &Staff,
        spec: &JobSpec,
        at: DateTime<Utc>,
        windows: Vec<TimeWindow>,
    ) -> JobId {
        let by = match c.owner {
            Some(rep) if self.rng.chance(0.2) => rep,
            _ => st.dispatcher,
        };
        let id = JobId::from_parts(ms(at), self.rng.u128());
        self.op(
            by,
            at,
            None,
            OpKind::CreateJob(NewJob {
                id,
                customer: c.id,
                asset: spec.asset,
                service_address: None,
                service_type: spec.service_type,
                description: Self::description(spec.service_type).into(),
                required_skills: spec.skills.clone(),
                estimated_minutes: spec.minutes,
                priority: spec.priority,
                windows,
                crew_size: 1,
            }),
        );
        id
    }

    fn assign(
        &mut self,
        st: &Staff,
        job: JobId,
        tech: UserId,
        start: DateTime<Utc>,
        at: DateTime<Utc>,
    ) {
        self.op(
            st.dispatcher,
            at,
            None,
            OpKind::AssignJob {
                job,
                technician: tech,
                planned_start: Some(start),
                why: None,
                crew: Vec::new(),
            },
        );
    }

    fn completion(&mut self, id: JobId) -> Completion {
        let score = match self.rng.below(20) {
            0 => 2,
            1..=2 => 3,
            3..=8 => 4,
            _ => 5,
        };
        Completion {
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
            signature: Some(format!("sig-{id}")),
            satisfaction: Some(score),
            first_visit_fix: self.rng.chance(0.85),
        }
    }

    /// The technician's steps of one visit, as far as `until` (travel, arrival, completion).
    fn visit(
        &mut self,
        tech: &TechnicianProfile,
        job: JobId,
        place: Option<LatLng>,
        slot: Slot,
        until: DateTime<Utc>,
    ) {
        let travel = slot.start - Duration::minutes(25);
        if travel > until {
            return;
        }
        self.op(
            tech.user,
            travel,
            Some(tech.home_base),
            OpKind::StartTravel { job },
        );
        if slot.start > until {
            return;
        }
        self.op(tech.user, slot.start, place, OpKind::Arrive { job });
        if slot.end > until {
            return;
        }
        let completion = self.completion(job);
        self.op(
            tech.user,
            slot.end,
            place,
            OpKind::CompleteJob { job, completion },
        );
    }

    /// Today's visits of one technician, packed into their working hours around the break.
    fn day_plan(&mut self, tech: &TechnicianProfile) -> Vec<Slot> {
        let today = self.today();
        let Some(hours) = tech.working_hours.on(today.weekday()).next().copied() else {
            return Vec::new();
        };
        // Two to four visits: a full day, with room left for what the dispatcher adds today.
        let n = self.rng.range(2, 5).min(i64::from(tech.max_jobs_per_day));
        let mut at = i64::from(hours.start) + 15 * self.rng.range(0, 2);
        let mut out = Vec::new();
        for _ in 0..n {
            let minutes = *self.rng.pick(&[60, 75, 90, 120]);
            if at < 12 * 60 + 45 && at + minutes > 12 * 60 {
                at = 12 * 60 + 45;
            }
            if at + minutes > i64::from(hours.end) {
                break;
            }
            out.push(Slot {
                start: local(today, at),
                end: local(today, at + minutes),
                minutes: minutes as u32,
            });
            at += minutes + 30 + 15 * self.rng.range(0, 2);
        }
        out
    }

    /// A visit of today's plan: done, under way, or ahead, depending on `now`.
    fn today_job(
        &mut self,
        c: &Customer,
        assets: &[Asset],
        st: &Staff,
        tech: &TechnicianProfile,
        slot: Slot,
    ) {
        let mut spec = self.spec(assets, Some(tech), Some(slot.minutes));
        let ws = slot.start - Duration::minutes(15 * self.rng.range(0, 4));
        let we = (ws + Duration::hours(self.rng.range(2, 4))).max(slot.end + Duration::minutes(15));
        let latest = self.now.min(ws) - Duration::minutes(60);
        let (created, windows) = match self.booked(c.tier, &mut spec, we, latest) {
            Some(t) => (t, vec![TimeWindow { start: ws, end: we }]),
            None => (latest, Vec::new()),
        };
        let job = self.create_job(c, st, &spec, created, windows);
        self.assign(
            st,
            job,
            tech.user,
            slot.start,
            created + Duration::minutes(20),
        );
        let now = self.now;
        self.visit(tech, job, c.address.location, slot, now);
    }

    /// A job assigned for one of the next days, in the technician's working hours.
    fn coming_job(&mut self, c: &Customer, assets: &[Asset], st: &Staff, tech: &TechnicianProfile) {
        let mut spec = self.spec(assets, Some(tech), None);
        let mut day = self.today() + Days::new(self.rng.range(1, 4) as u64);
        let hours = loop {
            if let Some(h) = tech.working_hours.on(day.weekday()).next() {
                break *h;
            }
            day = day + Days::new(1);
        };
        let latest_start =
            (i64::from(hours.end) - i64::from(spec.minutes)).max(i64::from(hours.start));
        let minute = i64::from(hours.start)
            + 15 * self
                .rng
                .range(0, (latest_start - i64::from(hours.start)) / 15);
        let start = local(day, minute);
        let ws = start - Duration::minutes(15 * self.rng.range(0, 4));
        let we = start + Duration::minutes(i64::from(spec.minutes) + 30 * self.rng.range(1, 4));
        let latest = self.now - Duration::minutes(30);
        let (created, windows) = match self.booked(c.tier, &mut spec, we, latest) {
            Some(t) => (t, vec![TimeWindow { start: ws, end: we }]),
            None => (latest, Vec::new()),
        };
        let job = self.create_job(c, st, &spec, created, windows);
        self.assign(st, job, tech.user, start, created + Duration::minutes(20));
    }

    /// A job waiting for the dispatcher: booked lately, a window today or in the next days.
    fn waiting_job(&mut self, c: &Customer, assets: &[Asset], st: &Staff) {
        let mut spec = self.spec(assets, None, None);
        let latest = self.now - Duration::minutes(self.rng.range(10, 600));
        let mut windows = Vec::new();
        let mut created = latest;
        if self.rng.chance(0.7) {
            let day = self.today() + Days::new(self.rng.range(0, 3) as u64);
            let ws = local(day, 60 * self.rng.range(9, 17)).max(self.now + Duration::hours(2));
            let we = ws + Duration::hours(self.rng.range(2, 4));
            if let Some(t) = self.booked(c.tier, &mut spec, we, latest) {
                created = t;
                windows.push(TimeWindow { start: ws, end: we });
            }
        }
        self.create_job(c, st, &spec, created, windows);
    }

    /// A waiting job whose SLA deadline is 90 minutes away.
    fn at_risk_job(&mut self, c: &Customer, assets: &[Asset], st: &Staff) {
        let spec = self.spec(assets, None, None);
        let span = sla::deadline(self.now, c.tier, spec.service_type, spec.priority) - self.now;
        let created = self.now - span + Duration::minutes(90);
        self.create_job(c, st, &spec, created.min(self.now), Vec::new());
    }

    /// A visit of the last months: done (sometimes after a second visit for parts), or
    /// cancelled.
    fn past_job(&mut self, c: &Customer, assets: &[Asset], st: &Staff, tech: &TechnicianProfile) {
        let mut spec = self.spec(assets, Some(tech), None);
        let earliest = (c.created_at + Duration::days(1)).max(self.now - Duration::days(360));
        let latest = self.now - Duration::days(8);
        let span = (latest - earliest).num_minutes().max(0);
        let created = earliest + Duration::minutes(self.rng.range(0, span));
        let sla_h = i64::from(sla::hours(c.tier, spec.service_type, spec.priority));
        let start = created + Duration::hours(self.rng.range(4, (sla_h - 4).clamp(5, 96)));
        let slot = Slot {
            start,
            end: start + Duration::minutes(i64::from(spec.minutes)),
            minutes: spec.minutes,
        };
        spec.minutes = slot.minutes;
        let job = self.create_job(c, st, &spec, created, Vec::new());
        self.assign(st, job, tech.user, start, created + Duration::minutes(20));
        if self.rng.chance(0.05) {
            self.op(
                st.dispatcher,
                created + Duration::hours(2),
                None,
                OpKind::CancelJob {
                    job,
                    reason: "客户取消 Customer cancelled".into(),
                },
            );
            return;
        }
        let place = c.address.location;
        if self.rng.chance(0.08) {
            // First visit: a part is missing; the return visit two or three days later.
            self.visit(tech, job, place, slot, slot.start);
            self.op(
                tech.user,
                slot.start + Duration::minutes(30),
                place,
                OpKind::NeedFollowUp {
                    job,
                    need: FollowUpNeed {
                        kind: FollowUpKind::Parts,
                        reason: "需订配件 Part on order".into(),
                    },
                },
            );
            let again = start + Duration::days(self.rng.range(2, 4));
            self.assign(st, job, tech.user, again, slot.start + Duration::hours(3));
            let slot = Slot {
                start: again,
                end: again + Duration::minutes(i64::from(spec.minutes)),
                minutes: spec.minutes,
            };
            self.visit(tech, job, place, slot, slot.end);
        } else {
            self.visit(tech, job, place, slot, slot.end);
        }
    }

    fn lead(&mut self, store: StoreId, owner: UserId, known: Option<&Customer>) {
        let stage = match self.rng.below(20) {
            0..=5 => Stage::New,
            6..=10 => Stage::Contacted,
            11..=13 => Stage::Qualified,
            14..=15 => Stage::Proposal,
            16..=17 => Stage::Won,
            _ => Stage::Lost,
        };
        // The way there: a first contact, the moves, a few more contacts.
        let mut steps: Vec<Option<Stage>> = Vec::new();
        if stage != Stage::New {
            steps.push(None);
            for s in [Stage::Qualified, Stage::Proposal, Stage::Won] {
                if s <= stage && stage != Stage::Lost {
                    steps.push(Some(s));
                }
            }
            if stage == Stage::Lost {
                if self.rng.chance(0.5) {
                    steps.push(Some(Stage::Qualified));
                }
                steps.push(Some(Stage::Lost));
            }
            for _ in 0..self.rng.range(0, 3) {
                let at = self.rng.range(1, steps.len() as i64) as usize;
                if stage.is_open() || at < steps.len() {
                    steps.insert(at.min(steps.len()), None);
                }
            }
        }
        let gaps: Vec<i64> = steps.iter().map(|_| self.rng.range(4, 72)).collect();
        let total: i64 = gaps.iter().sum();
        let created = (self.now
            - Duration::days(self.rng.range(0, 90))
            - Duration::hours(self.rng.range(0, 20)))
        .min(self.now - Duration::hours(total + 1));
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
        let value = p.price * self.rng.range(1, 2);
        let next = stage.is_open().then(|| {
            (self.now + Duration::hours(self.rng.range(-72, 240)))
                .max(created + Duration::hours(total + 1))
        });
        let phone = known
            .and_then(|c| c.phones.first())
            .map_or_else(|| names::mobile(&mut self.rng), |p| p.raw.clone());
        let source = *self.rng.pick(&[
            LeadSource::WalkIn,
            LeadSource::Phone,
            LeadSource::Website,
            LeadSource::Referral,
            LeadSource::Event,
            LeadSource::Campaign,
        ]);
        self.op(
            owner,
            created,
            None,
            OpKind::CreateLead(NewLead {
                id,
                store,
                customer: known.map(|c| c.id),
                name,
                phone: Some(phone),
                source,
                interest: Interest {
                    category: p.category.into(),
                    budget: Some(p.price),
                    model: Some(p.name.into()),
                },
                owner: None,
                expected_value: value,
                next_follow_up_at: next,
            }),
        );
        let mut at = created;
        for (step, gap) in steps.into_iter().zip(gaps) {
            at += Duration::hours(gap);
            let kind = match step {
                None => OpKind::LogInteraction(NewInteraction {
                    id: InteractionId::from_parts(ms(at), self.rng.u128()),
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
                    customer: None,
                    lead: Some(id),
                    job: None,
                }),
                Some(to) => OpKind::MoveLead {
                    lead: id,
                    to,
                    lost_reason: (to == Stage::Lost).then(|| "价格太高 Price too high".to_owned()),
                    won_value: (to == Stage::Won).then_some(value),
                },
            };
            self.op(owner, at, None, kind);
        }
        if let Some(due) = next {
            let follow_up = FollowUpId::from_parts(ms(at), self.rng.u128());
            self.op(
                owner,
                at,
                None,
                OpKind::CreateFollowUp(NewFollowUp {
                    id: follow_up,
                    subject: Subject::Lead(id),
                    due_at: due,
                    reason: Reason::Manual,
                    owner: None,
                    note: format!("跟进 Follow up: {}", p.name),
                    why: None,
                }),
            );
        }
    }

    /// People have been working their lists: of the follow-ups the rules call for, each
    /// person has tens overdue (the most recent ones, some already on their list, the rest
    /// raised by their device when it next starts); the older ones were raised and done.
    fn work_the_lists(&mut self) {
        let now = self.now;
        let mut left: BTreeMap<UserId, i64> = BTreeMap::new();
        for f in self.replica.follow_ups() {
            if f.is_open() && f.effective_due() < now {
                *left.entry(f.owner).or_default() -= 1;
            }
        }
        let mut outstanding: BTreeSet<FollowUpId> = BTreeSet::new();
        for _ in 0..4 {
            let mut overdue: Vec<Proposal> = rules::due(&self.replica, now)
                .into_iter()
                .filter(|p| p.due_at < now && !outstanding.contains(&p.id))
                .collect();
            if overdue.is_empty() {
                break;
            }
            overdue.sort_by_key(|p| (p.owner, Reverse(p.due_at), p.id));
            for p in overdue {
                let quota = match left.get(&p.owner) {
                    Some(q) => *q,
                    None => 0,
                } + OVERDUE_TARGET;
                let create = || OpKind::CreateFollowUp(p.new_follow_up());
                if quota > 0 && !outstanding.contains(&p.id) {
                    *left.entry(p.owner).or_default() -= 1;
                    outstanding.insert(p.id);
                    if self.rng.chance(0.5) {
                        self.op(p.owner, p.due_at, None, create());
                    }
                    continue;
                }
                self.op(p.owner, p.due_at, None, create());
                let done = (now - Duration::hours(self.rng.range(1, 480))).max(p.due_at);
                self.op(
                    p.owner,
                    done,
                    None,
                    OpKind::CompleteFollowUp { follow_up: p.id },
                );
            }
        }
    }
}

/// About how many overdue follow-ups each person has when the demo starts.
const OVERDUE_TARGET: i64 = 25;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use domain::jobs::JobStatus;
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
    fn every_lead_and_product_interest_is_named_in_the_catalogue() {
        let demo = generate(3);
        let Some(Record::Org(org)) = demo.records.iter().find(|r| matches!(r, Record::Org(_)))
        else {
            panic!("an organization")
        };
        for p in PRODUCTS {
            assert!(
                org.settings.interest(p.category).is_some(),
                "{}",
                p.category
            );
        }
        for r in &demo.records {
            if let Record::Lead(l) = r {
                assert!(org.settings.interest(&l.interest.category).is_some());
            }
        }
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
    fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Shanghai
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .expect("a Shanghai time")
    }

    /// What a person faces as overdue when their device has started: their open follow-ups
    /// past due, and the overdue ones the rules make their device raise.
    fn overdue(records: &MemoryRecords, user: &User, now: DateTime<Utc>) -> usize {
        let open = records
            .follow_ups()
            .filter(|f| f.owner == user.id && f.is_open() && f.effective_due() < now)
            .count();
        let raised = rules::due(records, now)
            .iter()
            .filter(|p| p.owner == user.id && p.due_at < now)
            .count();
        open + raised
    }

    /// The working-day properties of one demo at `now`; returns jobs per technician today.
    fn check_working_day(demo: &Demo, now: DateTime<Utc>) -> Vec<usize> {
        let mut replica = MemoryRecords::new();
        for r in &demo.records {
            replica.insert(r.clone());
        }
        let today = now.with_timezone(&Shanghai).date_naive();
        let local_date = |t: DateTime<Utc>| t.with_timezone(&Shanghai).date_naive();
        let mut per_tech = Vec::new();
        for r in &demo.records {
            let Record::Technician(t) = r else { continue };
            let hours = t
                .working_hours
                .on(today.weekday())
                .next()
                .copied()
                .expect("every technician works on the demo's day");
            let day: Vec<_> = replica
                .jobs()
                .filter(|j| {
                    j.technician == Some(t.user)
                        && j.planned_start.is_some_and(|s| local_date(s) == today)
                })
                .collect();
            assert!(!day.is_empty(), "{:?} has no job today", t.user);
            let under_way = day
                .iter()
                .filter(|j| matches!(j.status, JobStatus::EnRoute | JobStatus::OnSite))
                .count();
            assert!(under_way <= 1, "{under_way} jobs under way at once");
            for j in &day {
                let start = j.planned_start.expect("planned");
                let local = start.with_timezone(&Shanghai);
                let minute = local.hour() * 60 + local.minute();
                assert!(
                    u32::from(hours.start) <= minute
                        && minute + j.estimated_minutes <= u32::from(hours.end),
                    "{} at {local} outside {hours:?}",
                    j.number()
                );
                if j.status == JobStatus::Assigned {
                    assert!(start > now, "an assigned job of today is ahead");
                }
                if j.status == JobStatus::Completed {
                    assert!(j.history.iter().all(|h| h.at <= now));
                }
            }
            per_tech.push(day.len());
        }
        for j in replica.jobs() {
            for w in &j.windows {
                assert!(
                    w.start > j.created_at,
                    "{}: window before creation",
                    j.number()
                );
                assert!(
                    w.end <= j.sla_deadline,
                    "{}: window after the SLA",
                    j.number()
                );
            }
            assert!(j.history.windows(2).all(|h| h[0].at <= h[1].at));
        }
        for s in replica.iter().filter_map(|r| match r {
            Record::Store(s) => Some(s.id),
            _ => None,
        }) {
            let waiting = replica
                .jobs()
                .filter(|j| j.store == s && j.status == JobStatus::New)
                .count();
            assert!(waiting <= 25, "{waiting} jobs waiting in one store");
        }
        for u in replica.users().filter(|u| u.has(Role::Sales)) {
            let n = overdue(&replica, u, now);
            assert!((5..=60).contains(&n), "{} has {n} overdue", u.login);
        }
        per_tech
    }

    #[test]
    fn every_technician_has_a_working_day_and_reps_have_tens_overdue() {
        let nows = [
            shanghai(2026, 11, 23, 8, 0),
            shanghai(2026, 11, 23, 11, 40),
            shanghai(2026, 11, 23, 16, 10),
            shanghai(2027, 3, 14, 21, 30),
        ];
        for (seed, now) in [
            (1, nows[0]),
            (2, nows[1]),
            (3, nows[2]),
            (4, nows[3]),
            (5, nows[1]),
        ] {
            let demo = generate_at(seed, now, &DemoSize::default());
            let per_tech = check_working_day(&demo, now);
            assert_eq!(per_tech.len(), 30);
            let done_today = demo
                .records
                .iter()
                .filter(|r| matches!(r, Record::Job(j) if j.status == JobStatus::Completed
                    && j.planned_start.is_some_and(|s| s.with_timezone(&Shanghai).date_naive() == now.with_timezone(&Shanghai).date_naive())))
                .count();
            let local = now.with_timezone(&Shanghai);
            if local.hour() >= 12 {
                assert!(done_today > 0, "some visits are done by {local}");
            } else if local.hour() < 9 {
                assert_eq!(done_today, 0, "nothing is done before the day starts");
            }
        }
    }

    #[test]
    fn the_demo_is_made_of_ops_that_replay_to_the_same_records() {
        let now = shanghai(2026, 11, 23, 14, 0);
        let size = DemoSize {
            customers: 800,
            open_jobs: 120,
            past_jobs: 200,
            leads: 100,
            ..DemoSize::default()
        };
        let script = script_at(9, now, &size);
        assert!(script.bootstrap.iter().all(|r| matches!(
            r,
            Record::Org(_) | Record::Store(_) | Record::User(_) | Record::Technician(_)
        )));
        assert!(script.ops.iter().all(|op| op.at <= now));
        let replayed: Vec<Record> = script.play().iter().cloned().collect();
        assert_eq!(replayed, generate_at(9, now, &size).records);
        assert_eq!(
            seeded_on(script.org),
            Some(now.with_timezone(&Shanghai).date_naive())
        );
    }
}
