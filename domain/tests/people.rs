//! The back office as ops (issue 16, item 1): people added and changed, a leaver's open work
//! handed over in the one op that deactivates them, stores, technicians' profiles and the
//! catalogues. Who may is the rules table's (`tests/rules.rs`); this is what each op does.

use chrono::{Duration, NaiveDate};
use domain::followups::{Reason, Subject};
use domain::ids::{CustomerId, FollowUpId, JobId, LeadId, StoreId, UserId};
use domain::jobs::{JobStatus, Priority, ServiceType};
use domain::leads::{Interest, LeadSource, Stage};
use domain::ops::records::RecordsExt;
use domain::ops::*;
use domain::org::{Break, DayHours, Role, Skill, SkillCode, User, WeeklyHours};

mod common;
use common::{run, start};

fn world() -> MemoryRecords {
    common::world(5, 2, 2, 6)
}

fn people(world: &MemoryRecords, role: Role) -> Vec<User> {
    let mut v: Vec<User> = world
        .users()
        .filter(|u| u.roles == vec![role])
        .cloned()
        .collect();
    v.sort_by_key(|u| (u.stores.clone(), u.login.clone()));
    v
}

fn refusal(r: Result<Applied, OpError>) -> (Field, Problem) {
    match r {
        Err(OpError::Invalid { field, problem }) => (field, problem),
        other => panic!("expected a field refused, got {other:?}"),
    }
}

fn new_user(login: &str, roles: &[Role], stores: &[StoreId]) -> NewUser {
    NewUser {
        id: UserId::new(),
        name: "陈静".into(),
        login: login.into(),
        phone: Some("139 1234 5678".into()),
        roles: roles.to_vec(),
        stores: stores.to_vec(),
    }
}

#[test]
fn an_admin_adds_a_person_who_is_unique_by_sign_in_name() {
    let mut w = world();
    let admin = &people(&w, Role::Admin)[0];
    let store = people(&w, Role::Technician)[0].stores[0];
    let new = new_user("  Chen.Jing ", &[Role::Technician], &[store]);
    run(&mut w, admin, OpKind::CreateUser(new.clone())).unwrap();
    let made = w.user(new.id).unwrap();
    assert_eq!(made.login, "chen.jing", "kept as it is compared");
    assert!(made.active && made.roles == vec![Role::Technician]);
    assert_eq!(w.login_holder("chen.jing").unwrap(), Some(new.id));

    // The same name in other letters' case is the same sign-in.
    let again = new_user("CHEN.JING", &[Role::Sales], &[store]);
    assert_eq!(
        refusal(run(&mut w, admin, OpKind::CreateUser(again))),
        (Field::Login, Problem::LoginTaken)
    );
    for bad in ["chen jing", "陈静", "a/b"] {
        assert_eq!(
            refusal(run(
                &mut w,
                admin,
                OpKind::CreateUser(new_user(bad, &[Role::Sales], &[store]))
            )),
            (Field::Login, Problem::NotALogin),
            "{bad}"
        );
    }
    assert_eq!(
        refusal(run(
            &mut w,
            admin,
            OpKind::CreateUser(new_user("x1", &[], &[store]))
        )),
        (Field::Roles, Problem::Empty)
    );
    assert_eq!(
        refusal(run(
            &mut w,
            admin,
            OpKind::CreateUser(new_user("x2", &[Role::Sales], &[]))
        )),
        (Field::UserStores, Problem::Empty),
        "only an admin works in no store"
    );
    assert!(
        run(
            &mut w,
            admin,
            OpKind::CreateUser(new_user("x3", &[Role::Admin], &[]))
        )
        .is_ok()
    );
}

#[test]
fn a_dispatcher_staffs_only_their_stores_and_makes_no_admin() {
    let mut w = world();
    let dispatchers = people(&w, Role::Dispatcher);
    let (d, other) = (&dispatchers[0], &dispatchers[1]);
    let (mine, theirs) = (d.stores[0], other.stores[0]);
    assert_ne!(mine, theirs);
    assert!(
        run(
            &mut w,
            d,
            OpKind::CreateUser(new_user("t.new", &[Role::Technician], &[mine]))
        )
        .is_ok()
    );
    for (login, roles, stores, denied) in [
        (
            "t.b",
            vec![Role::Technician],
            vec![theirs],
            Denied::OnlyAdminOrTheirDispatcher,
        ),
        (
            "t.ab",
            vec![Role::Technician],
            vec![mine, theirs],
            Denied::OnlyAdminOrTheirDispatcher,
        ),
        (
            "boss",
            vec![Role::Admin],
            vec![mine],
            Denied::OnlyAdminGrantsAdmin,
        ),
    ] {
        assert_eq!(
            run(
                &mut w,
                d,
                OpKind::CreateUser(new_user(login, &roles, &stores))
            ),
            Err(OpError::Forbidden(denied)),
            "{login}"
        );
    }
    // Moving one of their technicians to a store they do not run is giving it away.
    let tech = people(&w, Role::Technician)
        .into_iter()
        .find(|t| t.stores == vec![mine])
        .unwrap();
    let away = UserPatch {
        stores: Some(vec![theirs]),
        ..UserPatch::default()
    };
    assert_eq!(
        run(
            &mut w,
            d,
            OpKind::UpdateUser {
                user: tech.id,
                patch: away
            }
        ),
        Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher))
    );
}

#[test]
fn people_change_their_own_name_and_phone_but_not_their_own_access() {
    let mut w = world();
    let rep = &people(&w, Role::Sales)[0];
    let admin = &people(&w, Role::Admin)[0];
    let details = UserPatch {
        name: Some("  李娜  ".into()),
        phone: Some(None),
        ..UserPatch::default()
    };
    run(
        &mut w,
        rep,
        OpKind::UpdateUser {
            user: rep.id,
            patch: details,
        },
    )
    .unwrap();
    let after = w.user(rep.id).unwrap();
    assert_eq!(
        (after.name.as_str(), after.phone.as_deref()),
        ("李娜", None)
    );
    for actor in [rep, admin] {
        let raise = UserPatch {
            roles: Some(vec![Role::Admin, Role::Sales]),
            ..UserPatch::default()
        };
        assert_eq!(
            run(
                &mut w,
                actor,
                OpKind::UpdateUser {
                    user: actor.id,
                    patch: raise
                }
            ),
            Err(OpError::Forbidden(Denied::OwnAccount))
        );
    }
    assert_eq!(
        refusal(run(
            &mut w,
            admin,
            OpKind::UpdateUser {
                user: rep.id,
                patch: UserPatch {
                    roles: Some(vec![Role::Sales, Role::Sales]),
                    ..UserPatch::default()
                },
            },
        )),
        (Field::Roles, Problem::Repeated)
    );
}

/// What a leaving rep and a leaving technician hold, made through ops as people would.
struct Held {
    customer: CustomerId,
    lead: LeadId,
    closed_lead: LeadId,
    open_follow_up: FollowUpId,
    done_follow_up: FollowUpId,
    assigned_job: JobId,
    started_job: JobId,
}

fn give_work(w: &mut MemoryRecords, rep: &User, tech: &User, admin: &User) -> Held {
    let store = rep.stores[0];
    let customer = w
        .iter()
        .find_map(|r| match r {
            Record::Customer(c) if c.store == store => Some(c.id),
            _ => None,
        })
        .unwrap();
    run(
        w,
        admin,
        OpKind::UpdateCustomer {
            customer,
            patch: CustomerPatch {
                owner: Some(Some(rep.id)),
                ..CustomerPatch::default()
            },
            seen: Vec::new(),
        },
    )
    .unwrap();
    let lead = |id: LeadId| NewLead {
        id,
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
        owner: Some(rep.id),
        expected_value: 0,
        next_follow_up_at: None,
    };
    let (open_lead, closed_lead) = (LeadId::new(), LeadId::new());
    run(w, admin, OpKind::CreateLead(lead(open_lead))).unwrap();
    run(w, admin, OpKind::CreateLead(lead(closed_lead))).unwrap();
    run(
        w,
        admin,
        OpKind::MoveLead {
            lead: closed_lead,
            to: Stage::Lost,
            lost_reason: Some("bought elsewhere".into()),
            won_value: None,
        },
    )
    .unwrap();
    let follow_up = |id| NewFollowUp {
        id,
        subject: Subject::Customer(customer),
        due_at: start() + Duration::days(1),
        reason: Reason::Manual,
        owner: Some(rep.id),
        note: "call back".into(),
        why: None,
    };
    let (open_f, done_f) = (FollowUpId::new(), FollowUpId::new());
    // One open follow-up per subject: the done one first.
    run(w, admin, OpKind::CreateFollowUp(follow_up(done_f))).unwrap();
    run(w, rep, OpKind::CompleteFollowUp { follow_up: done_f }).unwrap();
    run(w, admin, OpKind::CreateFollowUp(follow_up(open_f))).unwrap();
    let job = |id| NewJob {
        id,
        ..common::job(customer, ServiceType::Tuning, Priority::Normal)
    };
    let (assigned, started) = (JobId::new(), JobId::new());
    for j in [assigned, started] {
        run(w, admin, OpKind::CreateJob(job(j))).unwrap();
        run(
            w,
            admin,
            OpKind::AssignJob {
                job: j,
                technician: tech.id,
                planned_start: None,
                why: Some("test".into()),
                crew: vec![],
            },
        )
        .unwrap();
    }
    run(w, tech, OpKind::StartTravel { job: started }).unwrap();
    Held {
        customer,
        lead: open_lead,
        closed_lead,
        open_follow_up: open_f,
        done_follow_up: done_f,
        assigned_job: assigned,
        started_job: started,
    }
}

#[test]
fn deactivating_hands_every_piece_of_open_work_over_in_one_op() {
    let mut w = world();
    let admin = people(&w, Role::Admin)[0].clone();
    let reps = people(&w, Role::Sales);
    let (rep, heir) = (&reps[0], &reps[1]);
    assert_eq!(rep.stores, heir.stores, "two reps of one store");
    let techs: Vec<User> = people(&w, Role::Technician)
        .into_iter()
        .filter(|t| t.stores == rep.stores)
        .collect();
    let held = give_work(&mut w, rep, &techs[0], &admin);

    // Leads and follow-ups cannot be left with nobody: refused, and nothing changes.
    let before = w.iter().cloned().collect::<Vec<_>>();
    assert_eq!(
        refusal(run(
            &mut w,
            &admin,
            OpKind::DeactivateUser {
                user: rep.id,
                hand_over: HandOver {
                    follow_ups: Some(heir.id),
                    ..HandOver::default()
                },
            },
        )),
        (Field::HandOverLeads, Problem::Missing)
    );
    assert_eq!(w.iter().cloned().collect::<Vec<_>>(), before);

    let applied = run(
        &mut w,
        &admin,
        OpKind::DeactivateUser {
            user: rep.id,
            hand_over: HandOver {
                customers: Some(heir.id),
                leads: Some(heir.id),
                follow_ups: Some(heir.id),
                jobs: None,
            },
        },
    )
    .unwrap();
    assert!(!w.user(rep.id).unwrap().active);
    let customer = w.customer(held.customer).unwrap();
    assert_eq!(customer.owner, Some(heir.id));
    assert!(customer.previous_owners.contains(&rep.id));
    assert_eq!(w.lead(held.lead).unwrap().owner, heir.id);
    assert_eq!(
        w.lead(held.closed_lead).unwrap().owner,
        rep.id,
        "a closed lead is history"
    );
    assert_eq!(w.follow_up(held.open_follow_up).unwrap().owner, heir.id);
    assert_eq!(w.follow_up(held.done_follow_up).unwrap().owner, rep.id);
    assert_eq!(
        applied.changed.len(),
        4,
        "the person, a customer, a lead, a follow-up"
    );

    // The technician: the job not started goes to a colleague; the one under way stays.
    let (tech, colleague) = (&techs[0], &techs[1]);
    run(
        &mut w,
        &admin,
        OpKind::DeactivateUser {
            user: tech.id,
            hand_over: HandOver {
                jobs: Some(colleague.id),
                ..HandOver::default()
            },
        },
    )
    .unwrap();
    let job = w.job(held.assigned_job).unwrap();
    assert_eq!(
        (job.status, job.technician),
        (JobStatus::Assigned, Some(colleague.id))
    );
    let started = w.job(held.started_job).unwrap();
    assert_eq!(
        (started.status, started.technician),
        (JobStatus::EnRoute, Some(tech.id))
    );
}

#[test]
fn a_job_not_started_goes_back_to_the_queue_when_nobody_is_named() {
    let mut w = world();
    let admin = people(&w, Role::Admin)[0].clone();
    let rep = people(&w, Role::Sales)[0].clone();
    let tech = people(&w, Role::Technician)
        .into_iter()
        .find(|t| t.stores == rep.stores)
        .unwrap();
    let held = give_work(&mut w, &rep, &tech, &admin);
    // A rep of another store cannot take this store's leads.
    let stranger = people(&w, Role::Sales)
        .into_iter()
        .find(|r| r.stores != rep.stores)
        .unwrap();
    assert_eq!(
        refusal(run(
            &mut w,
            &admin,
            OpKind::DeactivateUser {
                user: rep.id,
                hand_over: HandOver {
                    leads: Some(stranger.id),
                    follow_ups: Some(stranger.id),
                    ..HandOver::default()
                },
            },
        )),
        (Field::HandOverLeads, Problem::NotOfTheStore)
    );
    run(
        &mut w,
        &admin,
        OpKind::DeactivateUser {
            user: tech.id,
            hand_over: HandOver::default(),
        },
    )
    .unwrap();
    let job = w.job(held.assigned_job).unwrap();
    assert_eq!((job.status, job.technician), (JobStatus::New, None));
    assert!(
        job.history
            .last()
            .unwrap()
            .note
            .as_deref()
            .unwrap()
            .contains("handed over")
    );
}

fn hours() -> WeeklyHours {
    WeeklyHours::uniform(&[1, 2, 3, 4, 5, 6], 9 * 60, 21 * 60)
}

#[test]
fn stores_are_added_by_admins_and_kept_by_their_dispatchers() {
    let mut w = world();
    let admin = people(&w, Role::Admin)[0].clone();
    let d = people(&w, Role::Dispatcher)[0].clone();
    let theirs = w.store(d.stores[0]).unwrap();
    let draft = |id, name: &str| StoreDraft {
        id,
        name: name.into(),
        address: theirs.address.clone(),
        location: theirs.location,
        time_zone: chrono_tz::Asia::Shanghai,
        opening_hours: hours(),
    };
    let new = StoreId::new();
    assert_eq!(
        run(&mut w, &d, OpKind::SaveStore(draft(new, "浦东店"))),
        Err(OpError::Forbidden(Denied::OnlyAdminAddsStores))
    );
    run(&mut w, &admin, OpKind::SaveStore(draft(new, "浦东店"))).unwrap();
    assert_eq!(w.store(new).unwrap().name, "浦东店");
    run(
        &mut w,
        &d,
        OpKind::SaveStore(draft(theirs.id, "静安旗舰店")),
    )
    .unwrap();
    assert_eq!(w.store(theirs.id).unwrap().name, "静安旗舰店");
    assert_eq!(w.store(theirs.id).unwrap().opening_hours, hours());

    let mut overlapping = draft(theirs.id, "x");
    overlapping.opening_hours.0.push(DayHours {
        weekday: 1,
        start: 20 * 60,
        end: 22 * 60,
    });
    assert_eq!(
        refusal(run(&mut w, &d, OpKind::SaveStore(overlapping))),
        (Field::OpeningHours, Problem::BadHours)
    );
    let mut backwards = draft(theirs.id, "x");
    backwards.opening_hours = WeeklyHours::uniform(&[1], 18 * 60, 9 * 60);
    assert_eq!(
        refusal(run(&mut w, &d, OpKind::SaveStore(backwards))),
        (Field::OpeningHours, Problem::EndsBeforeStart)
    );
}

#[test]
fn a_technicians_profile_keeps_their_absences_and_takes_only_known_skills() {
    let mut w = world();
    let d = people(&w, Role::Dispatcher)[0].clone();
    let tech = people(&w, Role::Technician)
        .into_iter()
        .find(|t| t.stores == d.stores)
        .unwrap();
    run(
        &mut w,
        &tech,
        OpKind::RecordAbsence {
            technician: tech.id,
            kind: domain::org::AbsenceKind::Sick,
            from: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        },
    )
    .unwrap();
    let p = w.technician(tech.id).unwrap();
    let draft = |skills: Vec<SkillCode>| TechnicianDraft {
        user: tech.id,
        store: p.store,
        skills,
        home_base: p.home_base,
        working_hours: hours(),
        breaks: vec![Break {
            start: 12 * 60,
            minutes: 45,
        }],
        max_jobs_per_day: 5,
    };
    assert_eq!(
        refusal(run(
            &mut w,
            &d,
            OpKind::SaveTechnician(draft(vec!["juggling".into()]))
        )),
        (
            Field::Skills,
            Problem::UnknownSkill {
                code: "juggling".into()
            }
        )
    );
    run(&mut w, &d, OpKind::SaveTechnician(draft(p.skills.clone()))).unwrap();
    let after = w.technician(tech.id).unwrap();
    assert_eq!(
        (after.max_jobs_per_day, after.working_hours.clone()),
        (5, hours())
    );
    assert_eq!(
        after.absences, p.absences,
        "absences are not the profile's to drop"
    );
    let mut late_break = draft(p.skills.clone());
    late_break.breaks[0].start = 23 * 60 + 30;
    assert_eq!(
        refusal(run(&mut w, &d, OpKind::SaveTechnician(late_break))),
        (Field::Breaks, Problem::BadHours)
    );
    assert_eq!(
        run(
            &mut w,
            &tech,
            OpKind::SaveTechnician(draft(p.skills.clone()))
        ),
        Err(OpError::Forbidden(Denied::OnlyAdminOrTheirDispatcher)),
        "not their own to set"
    );
}

#[test]
fn the_catalogues_grow_and_rename_but_never_lose_a_code() {
    let mut w = world();
    let admin = people(&w, Role::Admin)[0].clone();
    let org = admin.org;
    let skill = |en: &str| Skill {
        code: "harpsichord".into(),
        name_en: en.into(),
        name_zh: "羽管键琴".into(),
    };
    let count = w.org(org).unwrap().skills.len();
    run(&mut w, &admin, OpKind::SaveSkill(skill("Harpsichord"))).unwrap();
    run(
        &mut w,
        &admin,
        OpKind::SaveSkill(skill("Harpsichord voicing")),
    )
    .unwrap();
    let skills = w.org(org).unwrap().skills;
    assert_eq!(skills.len(), count + 1);
    assert_eq!(skills.last().unwrap().name_en, "Harpsichord voicing");
    let unchanged = run(
        &mut w,
        &admin,
        OpKind::SaveSkill(skill("Harpsichord voicing")),
    )
    .unwrap();
    assert!(
        unchanged.changed.is_empty(),
        "the same entry again changes nothing"
    );
    for bad in ["Piano", "piano tuning", "-piano", ""] {
        let mut s = skill("x");
        s.code = bad.into();
        let (field, _) = refusal(run(&mut w, &admin, OpKind::SaveSkill(s)));
        assert_eq!(field, Field::CatalogueCode, "{bad:?}");
    }
    let interest = domain::leads::InterestCategory {
        code: "digital-piano".into(),
        name_en: "Digital pianos".into(),
        name_zh: "   ".into(),
    };
    assert_eq!(
        refusal(run(&mut w, &admin, OpKind::SaveInterest(interest))),
        (Field::NameZh, Problem::Empty)
    );
}
