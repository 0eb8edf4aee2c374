//! Every cell of the write-rule table against `apply`, the table against `docs/access.md`, and
//! random combinations of roles, records and customer fields.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use demo::{DemoSize, generate_at};
use domain::customers::{CustomerKind, Tier};
use domain::followups::{Reason, Subject};
use domain::ids::{CustomerId, FollowUpId, InteractionId, JobId, LeadId, OpId, StoreId, UserId};
use domain::jobs::{Priority, ServiceType};
use domain::leads::{InteractionKind, Interest, LeadSource, Stage};
use domain::ops::customers::CustomerField as F;
use domain::ops::rules::{Action, Mark, ROLES, TABLE, Whose};
use domain::ops::*;
use domain::org::Role;
use domain::org::User;
use domain::places::{Address, LatLng};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
}

/// Two stores (A, B), an actor per role (acting in A), and for each kind of record one that is
/// the actor's own, one of someone else in A, and one in B.
struct Fixture {
    world: MemoryRecords,
    a: StoreId,
    b: StoreId,
    /// Admin, dispatcher of A, rep of A, technician of A: [`ROLES`] order.
    actors: [User; 4],
    rep_a2: User,
    rep_b: User,
    tech_a2: User,
    tech_b: User,
    /// Own (the rep's, with the technician's job), another rep's in A, one in B; twice each,
    /// for merges.
    customers: [[CustomerId; 2]; 3],
    jobs: [JobId; 3],
    leads: [LeadId; 3],
    /// The actor's own follow-up (per role), another's in A, one in B.
    own_follow_ups: [FollowUpId; 4],
    follow_ups: [FollowUpId; 2],
}

fn at(op: OpKind, actor: UserId) -> Op {
    Op {
        id: OpId::new(),
        actor,
        at: start(),
        location: None,
        kind: op,
    }
}

fn must(world: &mut MemoryRecords, actor: UserId, kind: OpKind) {
    let op = at(kind, actor);
    if let Err(e) = apply(world, &op) {
        panic!("fixture op refused: {e}: {op:?}");
    }
}

fn new_customer(store: StoreId, owner: Option<UserId>, n: usize) -> NewCustomer {
    NewCustomer {
        id: CustomerId::new(),
        store,
        name: format!("客户{n}"),
        phones: vec![format!("138{n:08}")],
        address: Address {
            province: "上海市".into(),
            city: "上海市".into(),
            district: "静安区".into(),
            street: "南京西路".into(),
            detail: format!("{n}号"),
            location: Some(LatLng {
                lat: 31.2,
                lng: 121.4,
            }),
            approximate: false,
        },
        kind: CustomerKind::Individual,
        tags: vec![],
        tier: Tier::Standard,
        marketing_consent: false,
        birthday: None,
        owner,
    }
}

fn new_job(customer: CustomerId) -> NewJob {
    NewJob {
        id: JobId::new(),
        customer,
        asset: None,
        service_address: None,
        service_type: ServiceType::Tuning,
        description: "tune".into(),
        required_skills: vec![],
        estimated_minutes: 60,
        priority: Priority::Normal,
        windows: vec![],
        crew_size: 1,
    }
}

fn new_lead(store: StoreId, owner: Option<UserId>) -> NewLead {
    NewLead {
        id: LeadId::new(),
        store,
        customer: None,
        name: "Walk-in".into(),
        phone: None,
        source: LeadSource::WalkIn,
        interest: Interest {
            category: "piano".into(),
            budget: None,
            model: None,
        },
        owner,
        expected_value: 0,
        next_follow_up_at: None,
    }
}

fn new_follow_up(customer: CustomerId, owner: Option<UserId>) -> NewFollowUp {
    NewFollowUp {
        id: FollowUpId::new(),
        subject: Subject::Customer(customer),
        due_at: start() + chrono::Duration::days(2),
        reason: Reason::Manual,
        owner,
        note: String::new(),
        why: None,
    }
}

fn fixture() -> Fixture {
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 2,
        customers: 6,
        open_jobs: 0,
        past_jobs: 0,
        leads: 0,
    };
    let demo = generate_at(11, start(), &size);
    let mut world = MemoryRecords::new();
    for r in demo.records {
        world.insert(r);
    }
    let stores: Vec<StoreId> = world
        .iter()
        .filter_map(|r| match r {
            Record::Store(s) => Some(s.id),
            _ => None,
        })
        .collect();
    let (a, b) = (stores[0], stores[1]);
    let users: Vec<User> = world.users().cloned().collect();
    let find = |role: Role, store: StoreId, nth: usize| -> User {
        users
            .iter()
            .filter(|u| u.roles == vec![role] && u.in_store(store))
            .nth(nth)
            .unwrap_or_else(|| panic!("no {role:?} #{nth} in the demo"))
            .clone()
    };
    let admin = users
        .iter()
        .find(|u| u.roles.contains(&Role::Admin))
        .unwrap()
        .clone();
    let (disp, rep, tech) = (
        find(Role::Dispatcher, a, 0),
        find(Role::Sales, a, 0),
        find(Role::Technician, a, 0),
    );
    let (rep_a2, rep_b, tech_a2, tech_b) = (
        find(Role::Sales, a, 1),
        find(Role::Sales, b, 0),
        find(Role::Technician, a, 1),
        find(Role::Technician, b, 0),
    );
    let mut n = 0;
    let mut customer = |world: &mut MemoryRecords, store, owner| {
        n += 1;
        let c = new_customer(store, owner, n);
        let id = c.id;
        must(world, admin.id, OpKind::CreateCustomer(c));
        id
    };
    let customers = [
        [
            customer(&mut world, a, Some(rep.id)),
            customer(&mut world, a, Some(rep.id)),
        ],
        [
            customer(&mut world, a, Some(rep_a2.id)),
            customer(&mut world, a, Some(rep_a2.id)),
        ],
        [
            customer(&mut world, b, Some(rep_b.id)),
            customer(&mut world, b, Some(rep_b.id)),
        ],
    ];
    let spare: Vec<CustomerId> = (0..4).map(|_| customer(&mut world, a, None)).collect();
    let spare_b = customer(&mut world, b, None);
    let mut jobs = [JobId::new(); 3];
    for (i, tech_of) in [&tech, &tech_a2, &tech_b].into_iter().enumerate() {
        let job = new_job(customers[i][0]);
        jobs[i] = job.id;
        must(&mut world, admin.id, OpKind::CreateJob(job));
        must(
            &mut world,
            admin.id,
            OpKind::AssignJob {
                job: jobs[i],
                technician: tech_of.id,
                planned_start: None,
                why: None,
                crew: Vec::new(),
            },
        );
    }
    let mut leads = [LeadId::new(); 3];
    for (i, (store, owner)) in [(a, &rep), (a, &rep_a2), (b, &rep_b)]
        .into_iter()
        .enumerate()
    {
        let lead = new_lead(store, Some(owner.id));
        leads[i] = lead.id;
        must(&mut world, admin.id, OpKind::CreateLead(lead));
    }
    let actors = [admin, disp, rep, tech];
    let mut own_follow_ups = [FollowUpId::new(); 4];
    for (i, actor) in actors.iter().enumerate() {
        let f = new_follow_up(spare[i], Some(actor.id));
        own_follow_ups[i] = f.id;
        must(&mut world, actors[0].id, OpKind::CreateFollowUp(f));
    }
    let f_store = new_follow_up(customers[1][1], Some(rep_a2.id));
    let f_other = new_follow_up(spare_b, Some(rep_b.id));
    let follow_ups = [f_store.id, f_other.id];
    must(&mut world, actors[0].id, OpKind::CreateFollowUp(f_store));
    must(&mut world, actors[0].id, OpKind::CreateFollowUp(f_other));
    Fixture {
        world,
        a,
        b,
        actors,
        rep_a2,
        rep_b,
        tech_a2,
        tech_b,
        customers,
        jobs,
        leads,
        own_follow_ups,
        follow_ups,
    }
}

fn index(whose: Whose) -> usize {
    match whose {
        Whose::Own => 0,
        Whose::Store => 1,
        Whose::OtherStore => 2,
    }
}

fn value_of(field: F, fx: &Fixture, whose: Whose) -> CustomerPatch {
    let mut p = CustomerPatch::default();
    match field {
        F::Name => p.name = Some("新名字".into()),
        F::Phones => p.phones = Some(vec!["13912345678".into()]),
        F::Address => p.address = Some(Address::default()),
        F::Kind => p.kind = Some(CustomerKind::Business),
        F::Tags => p.tags = Some(vec!["vip".into()]),
        F::MarketingConsent => p.marketing_consent = Some(true),
        F::Birthday => p.birthday = Some(NaiveDate::from_ymd_opt(1980, 1, 1)),
        F::Tier => p.tier = Some(Tier::Gold),
        F::Owner => {
            p.owner = Some(Some(match whose {
                Whose::OtherStore => fx.rep_b.id,
                _ => fx.rep_a2.id,
            }));
        }
    }
    p
}

fn merged(mut a: CustomerPatch, b: CustomerPatch) -> CustomerPatch {
    a.name = a.name.or(b.name);
    a.phones = a.phones.or(b.phones);
    a.address = a.address.or(b.address);
    a.kind = a.kind.or(b.kind);
    a.tags = a.tags.or(b.tags);
    a.marketing_consent = a.marketing_consent.or(b.marketing_consent);
    a.birthday = a.birthday.or(b.birthday);
    a.tier = a.tier.or(b.tier);
    a.owner = a.owner.or(b.owner);
    a
}

/// The op a row describes, done by the role's actor to a record of the given kind.
fn op_for(fx: &Fixture, action: Action, role: usize, whose: Whose) -> OpKind {
    let i = index(whose);
    let store = if whose == Whose::OtherStore {
        fx.b
    } else {
        fx.a
    };
    let actor = &fx.actors[role];
    let customer = fx.customers[i][0];
    let (other_rep, other_tech) = match whose {
        Whose::OtherStore => (&fx.rep_b, &fx.tech_b),
        _ => (&fx.rep_a2, &fx.tech_a2),
    };
    let follow_up = match whose {
        Whose::Own => fx.own_follow_ups[role],
        Whose::Store => fx.follow_ups[0],
        Whose::OtherStore => fx.follow_ups[1],
    };
    match action {
        Action::CreateCustomer => OpKind::CreateCustomer(new_customer(
            store,
            actor.has(Role::Sales).then_some(actor.id),
            900,
        )),
        Action::CreateCustomerForOthers => {
            OpKind::CreateCustomer(new_customer(store, Some(other_rep.id), 901))
        }
        Action::UpdateCustomer(field) => OpKind::UpdateCustomer {
            customer,
            patch: value_of(field, fx, whose),
            seen: Vec::new(),
        },
        Action::MergeCustomers => OpKind::MergeCustomers {
            keep: customer,
            remove: fx.customers[i][1],
        },
        Action::AddAsset => OpKind::AddAsset(NewAsset {
            id: domain::ids::AssetId::new(),
            customer,
            product: "Upright piano".into(),
            category: "piano".into(),
            serial_number: "S-1".into(),
            purchase_date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            price: 100,
            warranty_end: None,
            last_service: None,
            maintenance_interval_days: None,
        }),
        Action::EraseCustomer => OpKind::EraseCustomer { customer },
        Action::RecordPurchase => OpKind::RecordPurchase(domain::ops::NewPurchase {
            id: domain::ids::PurchaseId::new(),
            customer,
            store: None,
            on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            items: vec![domain::purchases::Item {
                product: "Piano strings".into(),
                quantity: 1,
                amount: 12_000,
                asset: None,
            }],
            amount: 12_000,
            source: domain::purchases::Source::Console,
            receipt: None,
        }),
        Action::CreateJob => OpKind::CreateJob(new_job(customer)),
        Action::AssignJob => OpKind::AssignJob {
            job: fx.jobs[i],
            technician: other_tech.id,
            planned_start: None,
            why: None,
            crew: Vec::new(),
        },
        Action::UnassignJob => OpKind::UnassignJob { job: fx.jobs[i] },
        Action::CancelJob => OpKind::CancelJob {
            job: fx.jobs[i],
            reason: "customer called off".into(),
        },
        Action::FieldStep => OpKind::StartTravel { job: fx.jobs[i] },
        Action::CreateLead => OpKind::CreateLead(new_lead(store, None)),
        Action::CreateLeadForOthers => OpKind::CreateLead(new_lead(store, Some(other_rep.id))),
        Action::MoveLead => OpKind::MoveLead {
            lead: fx.leads[i],
            to: Stage::Contacted,
            lost_reason: None,
            won_value: None,
        },
        Action::LogAboutCustomer | Action::LogAboutJob | Action::LogAboutLead => {
            OpKind::LogInteraction(NewInteraction {
                id: InteractionId::new(),
                kind: InteractionKind::Call,
                outcome: "called".into(),
                customer: (action == Action::LogAboutCustomer).then_some(customer),
                job: (action == Action::LogAboutJob).then_some(fx.jobs[i]),
                lead: (action == Action::LogAboutLead).then_some(fx.leads[i]),
            })
        }
        Action::CreateFollowUp => OpKind::CreateFollowUp(new_follow_up(customer, None)),
        Action::CompleteFollowUp => OpKind::CompleteFollowUp { follow_up },
        Action::ReassignFollowUp => OpKind::ReassignFollowUp {
            follow_up,
            owner: other_rep.id,
        },
        Action::Absence => OpKind::RecordAbsence {
            technician: match whose {
                Whose::Own => actor.id,
                _ => other_tech.id,
            },
            kind: domain::org::AbsenceKind::Sick,
            from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        },
        Action::FollowUpCapacity => OpKind::SetFollowUpCapacity {
            user: match whose {
                Whose::Own => actor.id,
                _ => other_tech.id,
            },
            capacity: Some(30),
        },
        Action::Settings => OpKind::UpdateSettings(domain::org::SettingsPatch {
            backlog_alert_threshold: Some(40),
            ..domain::org::SettingsPatch::default()
        }),
        Action::PlaceCustomer => OpKind::PlaceCustomer {
            customer,
            location: LatLng {
                lat: 31.25,
                lng: 121.45,
            },
        },
        Action::CreateUser => OpKind::CreateUser(NewUser {
            id: UserId::new(),
            name: "新同事".into(),
            login: "new.colleague".into(),
            phone: None,
            roles: vec![Role::Technician],
            stores: vec![store],
        }),
        Action::UpdateUserDetails | Action::UpdateUserStaffing => {
            let person = match whose {
                Whose::Own => actor,
                _ => other_tech,
            };
            let patch = if action == Action::UpdateUserDetails {
                UserPatch {
                    name: Some("改名".into()),
                    phone: Some(Some("13800000000".into())),
                    ..UserPatch::default()
                }
            } else {
                UserPatch {
                    roles: Some(person.roles.clone()),
                    stores: Some(person.stores.clone()),
                    ..UserPatch::default()
                }
            };
            OpKind::UpdateUser {
                user: person.id,
                patch,
            }
        }
        Action::DeactivateUser => OpKind::DeactivateUser {
            user: match whose {
                Whose::Own => actor.id,
                _ => other_tech.id,
            },
            hand_over: HandOver::default(),
        },
        Action::SaveStore => {
            let Some(Record::Store(s)) = fx.world.get(RecordKey::Store(store)).unwrap() else {
                panic!("no store");
            };
            OpKind::SaveStore(StoreDraft {
                id: s.id,
                name: format!("{} (renamed)", s.name),
                address: s.address,
                location: s.location,
                time_zone: s.time_zone,
                opening_hours: s.opening_hours,
            })
        }
        Action::AddStore => {
            let Some(Record::Store(s)) = fx.world.get(RecordKey::Store(fx.a)).unwrap() else {
                panic!("no store");
            };
            OpKind::SaveStore(StoreDraft {
                id: StoreId::new(),
                name: "New store".into(),
                address: s.address,
                location: s.location,
                time_zone: s.time_zone,
                opening_hours: s.opening_hours,
            })
        }
        Action::SaveTechnician => {
            let tech = match whose {
                Whose::Own => actor,
                _ => other_tech,
            };
            let Some(Record::Technician(p)) = fx.world.get(RecordKey::Technician(tech.id)).unwrap()
            else {
                panic!("no profile for {}", tech.name);
            };
            OpKind::SaveTechnician(TechnicianDraft {
                user: p.user,
                store: p.store,
                skills: p.skills,
                home_base: p.home_base,
                working_hours: p.working_hours,
                breaks: p.breaks,
                max_jobs_per_day: 7,
            })
        }
        Action::Catalogue => OpKind::SaveSkill(domain::org::Skill {
            code: "harpsichord".into(),
            name_en: "Harpsichord".into(),
            name_zh: "羽管键琴".into(),
        }),
        Action::SetUserActive => OpKind::SetUserActive {
            user: match whose {
                Whose::Own => actor.id,
                _ => other_tech.id,
            },
            active: false,
        },
    }
}

/// What `apply` answered, as a mark: applied, refused as not allowed, or a fixture mistake.
fn answer(fx: &Fixture, role: usize, kind: OpKind) -> Result<Mark, String> {
    let mut world = fx.world.clone();
    let op = at(kind, fx.actors[role].id);
    match apply(&mut world, &op) {
        Ok(_) => Ok(Mark::Yes),
        Err(OpError::Forbidden(_)) => Ok(Mark::No),
        Err(e) => Err(format!("{e}: {op:?}")),
    }
}

#[test]
fn every_cell_of_the_write_rule_table_holds() {
    let fx = fixture();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for row in TABLE {
        for (role, name) in ROLES.iter().enumerate() {
            for whose in Whose::ALL {
                let expected = row.mark(role, whose);
                if expected == Mark::NotApplicable {
                    continue;
                }
                checked += 1;
                match answer(&fx, role, op_for(&fx, row.op, role, whose)) {
                    Ok(got) if got == expected => {}
                    Ok(got) => wrong.push(format!(
                        "{} by {name:?} on {whose:?}: expected {expected:?}, got {got:?}",
                        row.op.words()
                    )),
                    Err(e) => {
                        wrong.push(format!("{} by {name:?} on {whose:?}: {e}", row.op.words()))
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} cells:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(checked > 250, "{checked}");
}

#[test]
fn docs_hold_the_table_the_code_enforces() {
    let docs = include_str!("../../docs/access.md");
    assert!(
        docs.contains(&domain::ops::rules::markdown()),
        "docs/access.md is out of date; the table is:\n{}",
        domain::ops::rules::markdown()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A patch of several fields is allowed exactly when the table allows each of them.
    #[test]
    fn a_patch_is_allowed_when_every_field_it_sets_is(
        role in 0usize..4,
        whose in prop::sample::select(Whose::ALL.to_vec()),
        fields in prop::sample::subsequence(F::ALL.to_vec(), 1..=F::ALL.len()),
    ) {
        let fx = fixture();
        let marks: Vec<Mark> = fields
            .iter()
            .map(|f| {
                TABLE
                    .iter()
                    .find(|r| r.op == Action::UpdateCustomer(*f))
                    .unwrap()
                    .mark(role, whose)
            })
            .collect();
        prop_assume!(!marks.contains(&Mark::NotApplicable));
        let expected = if marks.iter().all(|m| *m == Mark::Yes) { Mark::Yes } else { Mark::No };
        let patch = fields
            .iter()
            .map(|f| value_of(*f, &fx, whose))
            .fold(CustomerPatch::default(), merged);
        let kind = OpKind::UpdateCustomer { customer: fx.customers[index(whose)][0], patch, seen: Vec::new() };
        prop_assert_eq!(answer(&fx, role, kind), Ok(expected));
    }

    /// Any row, role and record: the same answer as the table, also for a second record of
    /// the same kind (the rule is about whose it is, not which one).
    #[test]
    fn random_cells_agree_with_the_table(
        row in 0usize..TABLE.len(),
        role in 0usize..4,
        whose in prop::sample::select(Whose::ALL.to_vec()),
    ) {
        let row = &TABLE[row];
        let expected = row.mark(role, whose);
        prop_assume!(expected != Mark::NotApplicable);
        let fx = fixture();
        prop_assert_eq!(answer(&fx, role, op_for(&fx, row.op, role, whose)), Ok(expected));
    }
}
