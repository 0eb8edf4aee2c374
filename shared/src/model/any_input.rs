//! The core never panics on input: random sequences of shell events, with ids real and made
//! up, strings of any Unicode, instants at the ends of time, and every effect answered with
//! whatever a broken network or a corrupted store might hand back. After each step the view
//! model must still be built and the replica must still be the device's only truth.

use chrono::{DateTime, Utc};
use proptest::prelude::*;

use super::absences::AbsenceEvent;
use super::fake_shell::{Device, FakeShell, Reply};
use super::job_form::{JobEdit, JobFormEvent};
use super::tests::{signed_in, t0};
use super::*;
use crate::effects::store::Table;
use crate::view::ViewModel;
use domain::followups::rules::Snooze;
use domain::ids::{CustomerId, FollowUpId, JobId, LeadId, UserId};
use domain::jobs::{FollowUpKind, JobAction, Priority, ServiceType};
use domain::leads::{InteractionKind, Stage};
use domain::ops::MemoryRecords;
use domain::org::Role;

/// One thing that happens to the app.
#[derive(Clone, Debug)]
enum Step {
    /// An event as the shell would send it (serialized, since `Event` is not `Clone`).
    Shell(String),
    /// The stored state is read back as these bytes (as after a crash or a bad upgrade).
    Restart(Vec<u8>),
    Clock(i64),
    Answers(Reply),
}

/// Ids: mostly ones the replica has, sometimes made up.
#[derive(Clone, Debug)]
struct Ids {
    jobs: Vec<JobId>,
    customers: Vec<CustomerId>,
    leads: Vec<LeadId>,
    follow_ups: Vec<FollowUpId>,
    users: Vec<UserId>,
}

impl Ids {
    fn of(m: &MemoryRecords) -> Self {
        Self {
            jobs: m.jobs().map(|j| j.id).collect(),
            customers: m.customers().map(|c| c.id).collect(),
            leads: m.leads().map(|l| l.id).collect(),
            follow_ups: m.follow_ups().map(|f| f.id).collect(),
            users: m.users().map(|u| u.id).collect(),
        }
    }
}

fn pick<T: Copy>(pool: &[T], n: usize, made_up: impl Fn(u128) -> T) -> T {
    if pool.is_empty() || n.is_multiple_of(7) {
        made_up(n as u128)
    } else {
        pool[n % pool.len()]
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        Just(String::new()),
        Just("张三 zs 13800138000 静安区".to_string()),
        "[a-z ]{0,12}",
        // Longer than any field may be.
        "[x]{4001,4100}",
    ]
}

/// An instant as a form field would show it; empty for none.
fn typed(ms: Option<i64>, format: &str) -> String {
    ms.and_then(DateTime::<Utc>::from_timestamp_millis)
        .map(|t| t.format(format).to_string())
        .unwrap_or_default()
}

fn millis() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0i64),
        -8_640_000_000_000_000i64..8_640_000_000_000_000i64,
        // Around the test's now, where most real values are.
        1_795_000_000_000i64..1_797_000_000_000i64,
    ]
}

fn step(ids: Ids) -> impl Strategy<Value = Step> {
    let n = any::<usize>();
    let i = ids.clone();
    let technician =
        (0..10u8, n, text(), proptest::option::of(0u8..=9)).prop_map(move |(k, n, s, score)| {
            let job = pick(&i.jobs, n, |x| JobId::from_parts(1, x));
            Event::Technician(match k {
                0 => TechnicianEvent::OpenJob(job),
                1 => TechnicianEvent::CloseJob,
                2 => TechnicianEvent::StartTravel(job),
                3 => TechnicianEvent::Arrive(job),
                4 => TechnicianEvent::Act(JobAction::ALL[n % JobAction::ALL.len()]),
                5 => TechnicianEvent::CompletionDraft(technician::CompletionDraft {
                    notes: s.clone(),
                    // Parts as typed: the text itself, or a line with a count of any size.
                    parts: if n.is_multiple_of(2) {
                        s
                    } else {
                        format!("{s} x{n}")
                    },
                    satisfaction: score,
                    first_visit_fix: n.is_multiple_of(3),
                }),
                6 => TechnicianEvent::SubmitCompletion,
                7 => TechnicianEvent::FollowUpDraft(technician::FollowUpDraft {
                    kind: if n.is_multiple_of(2) {
                        FollowUpKind::Parts
                    } else {
                        FollowUpKind::ReturnVisit
                    },
                    reason: s,
                }),
                8 => TechnicianEvent::SubmitFollowUp,
                _ => TechnicianEvent::CloseForm,
            })
        });
    let i = ids.clone();
    let sales = (0..14u8, n, text(), millis(), any::<Option<i64>>()).prop_map(
        move |(k, n, s, ms, value)| {
            let lead = pick(&i.leads, n, |x| LeadId::from_parts(2, x));
            let follow_up = pick(&i.follow_ups, n, |x| FollowUpId::from_parts(3, x));
            let stages = Stage::ALL;
            let kinds = [
                InteractionKind::Call,
                InteractionKind::Visit,
                InteractionKind::Message,
                InteractionKind::Note,
            ];
            Event::Sales(match k {
                0 => SalesEvent::OpenLead(lead),
                1 => SalesEvent::CloseLead,
                2 => SalesEvent::LogInteraction {
                    lead: (!n.is_multiple_of(3)).then_some(lead),
                    customer: (n.is_multiple_of(2))
                        .then(|| pick(&i.customers, n, |x| CustomerId::from_parts(4, x))),
                    kind: kinds[n % kinds.len()],
                    outcome: s,
                },
                3 => SalesEvent::ScheduleFollowUp {
                    lead,
                    due_ms: ms,
                    note: s,
                },
                4 => SalesEvent::MoveLead {
                    lead,
                    to: stages[n % stages.len()],
                    lost_reason: (n.is_multiple_of(2)).then_some(s),
                    won_value: value,
                },
                5 => SalesEvent::CompleteFollowUp(follow_up),
                6 => SalesEvent::TypeOnLead {
                    field: [
                        sales::LeadField::Outcome,
                        sales::LeadField::LostReason,
                        sales::LeadField::WonValue,
                        sales::LeadField::Due,
                        sales::LeadField::Note,
                    ][n % 5],
                    value: s,
                },
                7 => SalesEvent::LogOnLead(kinds[n % kinds.len()]),
                8 => SalesEvent::MoveOpenLead(stages[n % stages.len()]),
                9 => SalesEvent::ScheduleOnLead,
                10 => SalesEvent::TypeOnCard {
                    id: follow_up,
                    field: [sales::CardField::Outcome, sales::CardField::Due][n % 2],
                    value: s,
                },
                11 => SalesEvent::LogOnCard {
                    id: follow_up,
                    kind: kinds[n % kinds.len()],
                },
                12 => SalesEvent::RescheduleCard(follow_up),
                _ => SalesEvent::SnoozeFollowUp {
                    id: follow_up,
                    until_ms: ms,
                },
            })
        },
    );
    let i = ids.clone();
    let dispatcher = (
        0..15u8,
        n,
        text(),
        any::<u32>(),
        proptest::option::of(millis()),
        proptest::option::of(millis()),
    )
        .prop_map(move |(k, n, s, minutes, from, to)| {
            let job = pick(&i.jobs, n, |x| JobId::from_parts(5, x));
            let technician = pick(&i.users, n / 3, |x| UserId(uuid::Uuid::from_u128(x)));
            Event::Dispatcher(match k {
                // The form as a person might type it: numbers and times, or anything.
                // A field as a person might type it: numbers and times, or anything.
                0 => DispatcherEvent::JobForm(JobFormEvent::Set(match n % 9 {
                    0 => JobEdit::Customer(Some(pick(&i.customers, n, |x| {
                        CustomerId::from_parts(6, x)
                    }))),
                    1 => JobEdit::Service(
                        [
                            ServiceType::Tuning,
                            ServiceType::Repair,
                            ServiceType::EmergencyRepair,
                            ServiceType::Installation,
                        ][n / 9 % 4],
                    ),
                    2 => JobEdit::Priority(
                        [Priority::Low, Priority::Normal, Priority::Urgent][n / 9 % 3],
                    ),
                    3 if n.is_multiple_of(2) => JobEdit::Minutes(minutes.to_string()),
                    3 => JobEdit::Minutes(s),
                    4 => JobEdit::Description(s),
                    5 => JobEdit::Skill {
                        code: s,
                        required: n.is_multiple_of(2),
                    },
                    6 if n.is_multiple_of(2) => JobEdit::WindowDay(s),
                    6 => JobEdit::WindowDay(typed(from, "%Y-%m-%d")),
                    7 => JobEdit::WindowFrom(typed(from, "%H:%M")),
                    _ => JobEdit::WindowTo(typed(to, "%H:%M")),
                })),
                8 => DispatcherEvent::JobForm(JobFormEvent::Create),
                9 => DispatcherEvent::JobForm(JobFormEvent::Clear),
                1 => DispatcherEvent::Assign { job, technician },
                2 => DispatcherEvent::Unassign(job),
                3 => DispatcherEvent::CancelReason { job, reason: s },
                10 => DispatcherEvent::Cancel(job),
                11 => DispatcherEvent::FollowUpsPage(minutes),
                12 => DispatcherEvent::Absence(match n % 7 {
                    0 => AbsenceEvent::Open(technician),
                    1 => AbsenceEvent::Kind(domain::org::AbsenceKind::ALL[n / 7 % 3]),
                    2 => AbsenceEvent::From(s),
                    3 => AbsenceEvent::To(typed(from, "%Y-%m-%d")),
                    4 => AbsenceEvent::Save,
                    5 => AbsenceEvent::Back(technician),
                    _ => AbsenceEvent::Close,
                }),
                13 => DispatcherEvent::Absence(AbsenceEvent::Save),
                14 => DispatcherEvent::RepBacklog(n.is_multiple_of(3).then_some(technician)),
                4 => DispatcherEvent::Suggest(job),
                5 => DispatcherEvent::Plan(dispatch_board::PlanEvent::Propose),
                6 => DispatcherEvent::Plan(dispatch_board::PlanEvent::Accept),
                _ => DispatcherEvent::Plan(dispatch_board::PlanEvent::Dismiss),
            })
        });
    let i = ids.clone();
    // The map's events, with sizes and distances of any size, and picks of real and made-up
    // jobs and technicians.
    let map = (
        0..7u8,
        n,
        any::<i32>(),
        any::<i32>(),
        any::<i32>(),
        proptest::collection::vec(any::<usize>(), 0..6),
    )
        .prop_map(move |(k, n, a, b, c, members)| {
            let item = |m: usize| {
                if m.is_multiple_of(2) {
                    map::MapItem::Job(pick(&i.jobs, m, |x| JobId::from_parts(9, x)))
                } else {
                    map::MapItem::Technician(pick(&i.users, m, |x| {
                        UserId(uuid::Uuid::from_u128(x))
                    }))
                }
            };
            Event::Dispatcher(DispatcherEvent::Map(match k {
                0 => map::MapEvent::Pan { dx: a, dy: b },
                1 if n.is_multiple_of(2) => map::MapEvent::Zoom {
                    steps: a % 4,
                    at_x: b % 700,
                    at_y: c % 500,
                },
                1 => map::MapEvent::Zoom {
                    steps: a,
                    at_x: b,
                    at_y: c,
                },
                2 => map::MapEvent::Fit,
                3 => map::MapEvent::Resize {
                    width: a.unsigned_abs(),
                    height: b.unsigned_abs(),
                },
                4 => map::MapEvent::Pick(map::MapPick::Item(item(n))),
                5 => map::MapEvent::Pick(map::MapPick::Cluster(
                    members.into_iter().map(item).collect(),
                )),
                _ => map::MapEvent::Pick(map::MapPick::Clear),
            }))
        });
    let i = ids.clone();
    let follow_ups = (0..5u8, n, millis(), any::<u16>()).prop_map(move |(k, n, ms, h)| {
        let id = pick(&i.follow_ups, n, |x| FollowUpId::from_parts(7, x));
        Event::FollowUps(match k {
            0 => FollowUpEvent::Complete(id),
            1 => FollowUpEvent::Snooze {
                id,
                choice: [Snooze::Hours(h), Snooze::TomorrowMorning, Snooze::Days(h)][n % 3],
            },
            2 => FollowUpEvent::Reschedule { id, due_ms: ms },
            3 => FollowUpEvent::Reassign {
                id,
                owner: pick(&i.users, n / 5, |x| UserId(uuid::Uuid::from_u128(x))),
            },
            _ => FollowUpEvent::BookMaintenanceVisit(id),
        })
    });
    let i = ids;
    let search = (0..8u8, n, text(), proptest::collection::vec(text(), 0..3)).prop_map(
        move |(k, n, s, phones)| {
            let c = |m: usize| pick(&i.customers, m, |x| CustomerId::from_parts(8, x));
            Event::Lookup(match k {
                0 | 1 => LookupEvent::Query(s),
                2 => LookupEvent::NewCustomer,
                3 => LookupEvent::EditCustomer(c(n)),
                4 => LookupEvent::Draft(CustomerDraft {
                    name: s,
                    phones,
                    ..CustomerDraft::default()
                }),
                5 => LookupEvent::SaveCustomer,
                6 => LookupEvent::Merge {
                    keep: c(n),
                    remove: c(n / 2),
                },
                _ => LookupEvent::NotDuplicates {
                    a: c(n),
                    b: c(n + 1),
                },
            })
        },
    );
    let conflicts = (0..3u8, any::<u128>(), text()).prop_map(|(k, n, text)| {
        let id = domain::ids::ConflictId(uuid::Uuid::from_u128(n));
        Event::Conflicts(match k {
            0 => crate::model::ConflictEvent::KeepKept(id),
            1 => crate::model::ConflictEvent::KeepSetAside(id),
            _ => crate::model::ConflictEvent::UseTyped { id, text },
        })
    });
    let general = (0..8u8, text(), text()).prop_map(|(k, a, b)| match k {
        0 => Event::Start {
            server_url: a,
            device_id: b,
        },
        1 => Event::SignIn {
            login: a,
            password: b,
            code: String::new(),
        },
        2 => Event::SyncNow,
        3 => Event::Online,
        4 => Event::DismissNotice,
        5 => Event::SetLanguage(Lang::SimplifiedChinese),
        6 => Event::ShowRole([Role::Technician, Role::Sales, Role::Dispatcher][a.len() % 3]),
        _ => Event::SignOut,
    });
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        Just(b"{}".to_vec()),
        Just(br#"{"results":[],"changes":[],"cursor":18446744073709551615,"more":true}"#.to_vec()),
        Just(br#"{"results":[{"op":"not-a-uuid"}],"changes":[{"Gone":{}}]}"#.to_vec()),
        Just(br#"{"type":"about:blank","title":"Unauthorized","status":401}"#.to_vec()),
    ];
    prop_oneof![
        6 => prop_oneof![technician, sales, dispatcher, map, follow_ups, search, conflicts, general]
            .prop_map(|e| Step::Shell(serde_json::to_string(&e).expect("events serialize"))),
        1 => proptest::collection::vec(any::<u8>(), 0..48).prop_map(Step::Restart),
        1 => millis().prop_map(Step::Clock),
        1 => prop_oneof![
            (prop_oneof![Just(200u16), Just(401), Just(409), Just(422), Just(500), 100u16..600], body)
                .prop_map(|(s, b)| Step::Answers(Reply::Http(s, b))),
            Just(Step::Answers(Reply::Offline)),
        ],
    ]
}

/// The ids of the demo organization every case starts from.
fn demo_ids() -> Ids {
    Ids::of(&signed_in(|m| m.users().next().unwrap().id).replica)
}

/// Runs an event to quiescence, answering effects as `reply`, `stored`, `device` and `clock`
/// say.
fn run(
    model: &mut Model,
    event: Event,
    clock: DateTime<Utc>,
    reply: &Reply,
    stored: &[u8],
    device: &Device,
) {
    let shell = FakeShell {
        http: Some(reply.clone()),
        stored: Some(stored.to_vec()),
        device: Some(device.clone()),
        // Bounded: a core that keeps asking (a retry loop answered at once) must not hang
        // the test.
        budget: Some(200),
        ..FakeShell::at(clock)
    };
    shell.run(model, event);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_input_makes_the_core_panic(
        role in 0usize..3,
        steps in proptest::collection::vec(step(demo_ids()), 1..25),
    ) {
        let role = [Role::Technician, Role::Sales, Role::Dispatcher][role];
        let mut model = signed_in(move |m| {
            m.users().find(|u| u.roles == vec![role]).unwrap().id
        });
        let mut clock = t0();
        let mut reply = Reply::Offline;
        let mut stored: Vec<u8> = Vec::new();
        let device = Device::default();
        for s in steps {
            match s {
                Step::Shell(json) => {
                    let event: Event = serde_json::from_str(&json).expect("events deserialize");
                    run(&mut model, event, clock, &reply, &stored, &device);
                }
                Step::Restart(bytes) => {
                    // The bytes land in the old key-value store and, as any value, in each
                    // table of the device database (what a disk error or a cut write leaves).
                    for (table, key) in [
                        (Table::Meta, storage::SESSION.to_owned()),
                        (Table::Meta, storage::REPLICA.to_owned()),
                        (Table::Outbox, storage::op_key(7)),
                        (Table::Outbox, String::from_utf8_lossy(&bytes).into_owned()),
                        (Table::Replica, storage::record_key(&domain::ops::RecordKey::Org(
                            domain::ids::OrgId::new(),
                        ))),
                    ] {
                        if bytes.first().is_some_and(|b| b % 2 == 0) {
                            device.tables().tables.entry(table).or_default().insert(key, bytes.clone());
                        }
                    }
                    stored = bytes;
                    let event = Event::Start {
                        server_url: "http://127.0.0.1:9".into(),
                        device_id: "fuzz".into(),
                    };
                    run(&mut model, event, clock, &reply, &stored, &device);
                }
                Step::Clock(ms) => {
                    // A shell's clock reads after 1970 (crux_time's instants cannot say otherwise).
                    if let Some(t) = DateTime::<Utc>::from_timestamp_millis(ms.max(0)) {
                        clock = t;
                    }
                    run(&mut model, Event::SyncNow, clock, &reply, &stored, &device);
                }
                Step::Answers(r) => reply = r,
            }
            // The view is always there to show, and says something in both languages.
            let vm = ViewModel::from(&model);
            prop_assert!(serde_json::to_vec(&vm).is_ok());
        }
    }
}
