//! Crux command tests: one full flow per role, driven through `Model::update` with the
//! shell's side played here (time, location and storage answered; HTTP inspected).

use chrono::{DateTime, Duration, TimeZone, Utc};
use crux_time::TimeRequest;

use super::fake_shell::drive;
use super::*;
use crate::effects::store::Table;
use crate::view::{DispatcherScreen, SalesScreen, Screen, TechnicianScreen, ViewModel, Word};

const BAD_SERVER: &str = "The server address of this app is not valid; ask your administrator.";
use demo::{DemoSize, generate_at};
use domain::customers::Tier;
use domain::followups::{Reason, Subject};
use domain::ids::UserId;
use domain::jobs::{Completion, JobAction, JobStatus, PartUsed, Priority, ServiceType};
use domain::leads::{InteractionKind, Stage};
use domain::ops::Record;
use domain::sync::{OpResult, OpStatus, SyncResponse};

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
}

/// Picks the first user whose only role is `role`.
pub(crate) fn user_with(role: Role) -> impl Fn(&MemoryRecords) -> UserId {
    move |m| {
        m.users()
            .find(|u| u.roles == vec![role])
            .map(|u| u.id)
            .unwrap()
    }
}

/// A signed-in model over a small demo organization.
pub(crate) fn signed_in(pick: impl Fn(&MemoryRecords) -> UserId) -> Model {
    let size = DemoSize {
        technicians_per_store: 3,
        reps_per_store: 2,
        customers: 60,
        open_jobs: 40,
        past_jobs: 20,
        leads: 30,
    };
    let demo = generate_at(11, t0(), &size);
    let mut replica = MemoryRecords::new();
    for r in demo.records {
        replica.insert(r);
    }
    let user_id = pick(&replica);
    let user = replica.users().find(|u| u.id == user_id).cloned().unwrap();
    Model {
        server_url: "http://127.0.0.1:9".into(),
        device_id: "test-device".into(),
        lifecycle: Lifecycle::Active(Box::new(Active::new(Session {
            access_token: "a".into(),
            refresh_token: "r".into(),
            expires_in: 900,
            second_factor_setup: false,
            device_token: None,
            user,
        }))),
        replica,
        replica_owner: Some(user_id),
        now: t0(),
        clock_known: true,
        ..Model::default()
    }
}

fn view(model: &Model) -> ViewModel {
    ViewModel::from(model)
}

/// A technician signed in, and one of their jobs that is assigned and not started.
pub(crate) fn technician_with_an_assigned_job() -> (Model, domain::ids::JobId) {
    let model = signed_in(|m| {
        m.jobs()
            .find(|j| j.status == JobStatus::Assigned)
            .and_then(|j| j.technician)
            .unwrap()
    });
    let me = model.user().map(|u| u.id);
    let job = model
        .replica
        .jobs()
        .find(|j| j.technician == me && j.status == JobStatus::Assigned)
        .unwrap()
        .id;
    (model, job)
}

#[test]
fn technician_goes_en_route_on_site_and_completes_with_parts_and_score() {
    let (mut model, job) = technician_with_an_assigned_job();
    let me = model.user().unwrap().id;

    let out = drive(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
        t0(),
    );
    assert_eq!(job_status(&model, job), JobStatus::EnRoute);
    assert!(
        !out.written(Table::Outbox).is_empty(),
        "the outbox is saved on every change"
    );
    assert_eq!(out.http.len(), 1, "a sync starts");
    assert!(out.http[0].url.ends_with("/v1/sync"));
    let body: serde_json::Value = serde_json::from_slice(&out.http[0].body).unwrap();
    assert_eq!(
        body["ops"][0]["kind"]["StartTravel"]["job"],
        serde_json::json!(job)
    );
    let history = model
        .replica
        .jobs()
        .find(|j| j.id == job)
        .unwrap()
        .history
        .last()
        .cloned()
        .unwrap();
    assert_eq!((history.by, history.at), (me, t0()));
    assert!(history.location.is_some(), "field steps record where");

    drive(
        &mut model,
        Event::Technician(TechnicianEvent::Arrive(job)),
        t0() + Duration::minutes(25),
    );
    let completion = Completion {
        notes: "Regulated the action, replaced two hammer felts".into(),
        parts: vec![PartUsed {
            item: "hammer felt".into(),
            quantity: 2,
        }],
        satisfaction: Some(5),
        first_visit_fix: true,
        ..Completion::default()
    };
    // The form is the core's: opened from the job's step, filled as typed, submitted.
    for event in [
        TechnicianEvent::OpenJob(job),
        TechnicianEvent::Act(JobAction::Complete),
        TechnicianEvent::CompletionDraft(technician::CompletionDraft {
            notes: completion.notes.clone(),
            parts: "hammer felt x2".into(),
            satisfaction: Some(5),
            first_visit_fix: true,
        }),
    ] {
        drive(&mut model, Event::Technician(event), t0());
    }
    let out = drive(
        &mut model,
        Event::Technician(TechnicianEvent::SubmitCompletion),
        t0() + Duration::minutes(115),
    );
    assert!(
        out.http.is_empty(),
        "one sync at a time; the next runs when this one answers"
    );
    let done = model.replica.jobs().find(|j| j.id == job).unwrap();
    assert_eq!(done.status, JobStatus::Completed);
    assert_eq!(done.completion.as_ref(), Some(&completion));
    assert_eq!(view(&model).pending_changes, 3);

    // The server acknowledges all three; the banner clears and nothing is lost.
    let results = model
        .outbox
        .ops()
        .map(|op| OpResult {
            op: op.id,
            status: OpStatus::Applied { changed: vec![] },
        })
        .collect();
    let server_job = model
        .replica
        .record(&domain::ops::RecordKey::Job(job))
        .cloned()
        .unwrap();
    drive(
        &mut model,
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results,
            changes: vec![domain::sync::Change::Put {
                record: Box::new(server_job),
            }],
            cursor: 42,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        }))),
        t0(),
    );
    assert_eq!(view(&model).pending_changes, 0);
    assert_eq!(model.cursor, 42);
    assert_eq!(job_status(&model, job), JobStatus::Completed);
    drive(
        &mut model,
        Event::Technician(TechnicianEvent::CloseJob),
        t0(),
    );
    let Screen::Technician(TechnicianScreen::MyDay(day)) = view(&model).screen else {
        panic!("my day")
    };
    assert!(
        day.jobs.iter().all(|c| c.id != job),
        "a completed job leaves the day"
    );
}

#[test]
fn a_field_step_the_state_machine_forbids_is_refused_in_words() {
    let (mut model, job) = technician_with_an_assigned_job();
    let out = drive(
        &mut model,
        Event::Technician(TechnicianEvent::Arrive(job)),
        t0(),
    );
    assert!(out.http.is_empty());
    assert_eq!(model.outbox.len(), 0);
    assert_eq!(
        view(&model).notice.as_deref(),
        Some("A job that is assigned cannot be marked on site; sync to see where it stands now.")
    );
}

#[test]
fn rep_logs_a_call_schedules_the_next_follow_up_and_moves_the_lead() {
    let mut model = signed_in(|m| m.leads().find(|l| l.stage == Stage::New).unwrap().owner);
    let me = model.user().unwrap().id;
    let lead = model
        .replica
        .leads()
        .find(|l| l.owner == me && l.stage == Stage::New)
        .unwrap()
        .id;

    drive(
        &mut model,
        Event::Sales(SalesEvent::LogInteraction {
            lead: Some(lead),
            customer: None,
            kind: InteractionKind::Call,
            outcome: "Wants a Yamaha U1, visiting Saturday".into(),
        }),
        t0(),
    );
    assert_eq!(
        lead_stage(&model, lead),
        Stage::Contacted,
        "the first contact moves a new lead on"
    );

    let due = t0() + Duration::days(3);
    drive(
        &mut model,
        Event::Sales(SalesEvent::ScheduleFollowUp {
            lead,
            due_ms: due.timestamp_millis(),
            note: "confirm the visit".into(),
        }),
        t0(),
    );
    drive(
        &mut model,
        Event::Sales(SalesEvent::MoveLead {
            lead,
            to: Stage::Qualified,
            lost_reason: None,
            won_value: None,
        }),
        t0(),
    );
    assert_eq!(lead_stage(&model, lead), Stage::Qualified);

    let Screen::Sales(SalesScreen::FollowUps(fu)) = view(&model).screen else {
        panic!("follow-ups")
    };
    let card = fu
        .upcoming
        .iter()
        .find(|c| c.lead == Some(lead) && c.reason == "manual")
        .expect("the new follow-up is upcoming");
    assert_eq!(card.due_ms, due.timestamp_millis());
    let qualified = fu
        .pipeline
        .iter()
        .find(|s| s.stage == Stage::Qualified)
        .unwrap();
    assert!(qualified.count >= 1);

    // Scheduling again moves the open follow-up rather than adding a second one.
    let later = due + Duration::days(1);
    drive(
        &mut model,
        Event::Sales(SalesEvent::ScheduleFollowUp {
            lead,
            due_ms: later.timestamp_millis(),
            note: String::new(),
        }),
        t0(),
    );
    let open: Vec<_> = model
        .replica
        .follow_ups()
        .filter(|f| f.subject == Subject::Lead(lead) && f.is_open() && f.reason == Reason::Manual)
        .collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].due_at, later);

    drive(&mut model, Event::Sales(SalesEvent::OpenLead(lead)), t0());
    let Screen::Sales(SalesScreen::Lead(detail)) = view(&model).screen else {
        panic!("lead detail")
    };
    assert!(detail.timeline.iter().any(|e| e.text.contains("Yamaha U1")));
    assert!(
        detail
            .timeline
            .iter()
            .any(|e| e.kind == "Stage"
                && e.change.as_deref().is_some_and(|c| c.contains("Qualified")))
    );
    assert!(!detail.next_stages.iter().any(|m| m.stage == Stage::New));
}

#[test]
fn dispatcher_sees_a_new_urgent_job_for_a_diamond_customer_at_the_top() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Dispatcher)).unwrap().id);
    let me = model.user().unwrap().clone();
    // Keep only queued jobs due later than the new one will be, so its place is certain.
    let soon: Vec<_> = model
        .replica
        .jobs()
        .filter(|j| j.technician.is_none() && j.sla_deadline <= t0() + Duration::hours(25))
        .map(|j| j.id)
        .collect();
    for id in soon {
        model.replica.remove(&domain::ops::RecordKey::Job(id));
    }
    let diamond = model
        .replica
        .customers()
        .find(|c| me.in_store(c.store))
        .unwrap()
        .id;
    let mut c = match model
        .replica
        .record(&domain::ops::RecordKey::Customer(diamond))
    {
        Some(Record::Customer(c)) => c.clone(),
        _ => unreachable!(),
    };
    c.tier = Tier::Diamond;
    model.replica.insert(Record::Customer(c));

    let draft = job_form::JobDraft {
        customer: Some(diamond),
        service: ServiceType::EmergencyRepair,
        priority: Priority::Urgent,
        description: "Concert tonight, key stuck".into(),
        minutes: "60".into(),
        skills: vec!["piano-repair".into()],
        ..job_form::JobDraft::default()
    };
    for e in draft
        .typed_over(&job_form::JobDraft::default())
        .into_iter()
        .chain([job_form::JobFormEvent::Create])
    {
        drive(
            &mut model,
            Event::Dispatcher(DispatcherEvent::JobForm(e)),
            t0(),
        );
    }
    let Screen::Dispatcher(DispatcherScreen::Board(board)) = view(&model).screen else {
        panic!("board")
    };
    let top = &board.unassigned[0];
    assert_eq!(top.customer, diamond);
    assert_eq!(top.priority, Priority::Urgent);
    assert!(board.unassigned.len() > 1);
    let new_job = model.replica.jobs().find(|j| j.id == top.id).unwrap();
    assert_eq!(
        new_job.sla_deadline,
        t0() + Duration::hours(24),
        "diamond emergency repair: within 24 h"
    );
}

#[test]
fn offline_sync_keeps_changes_and_schedules_a_retry() {
    let (mut model, job) = technician_with_an_assigned_job();
    drive(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
        t0(),
    );
    let mut cmd = model.update(Event::internal(Internal::Synced(Err(
        sync::Failure::Offline("no route".into()),
    ))));
    let timers = cmd.effects().filter(|e| matches!(e, Effect::Time(r) if matches!(r.operation, TimeRequest::NotifyAfter { .. }))).count();
    assert_eq!(timers, 1, "a retry is scheduled");
    let vm = view(&model);
    assert!(!vm.sync.online);
    assert_eq!(vm.pending_changes, 1);
    assert_eq!(
        job_status(&model, job),
        JobStatus::EnRoute,
        "the local change stays visible"
    );
}

#[test]
fn a_rejected_op_is_undone_locally_and_its_reason_shown() {
    let (mut model, job) = technician_with_an_assigned_job();
    drive(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
        t0(),
    );
    let op = model.outbox.ops().next().unwrap().id;
    let error = domain::ops::OpError::Forbidden(domain::ops::Denied::OnlyAssignedTechnician);
    let results = vec![OpResult {
        op,
        status: OpStatus::Rejected {
            message: error.to_string(),
            error,
        },
    }];
    drive(&mut model, synced(results, None, false), t0());
    assert_eq!(job_status(&model, job), JobStatus::Assigned);
    let vm = view(&model);
    assert_eq!(vm.pending_changes, 0);
    assert_eq!(vm.rejected.len(), 1);
    assert!(
        vm.rejected[0]
            .reason
            .contains("Only the technician assigned to this job"),
        "{:?}",
        vm.rejected[0].reason
    );
}

/// Issue 12: each record says where it stands: waiting to sync, refused with the reason, or
/// synced (nothing shown).
#[test]
fn a_job_card_says_whether_its_change_waits_was_refused_or_is_synced() {
    use crate::view::record_sync::SyncState;
    let card = |model: &Model, job| {
        let vm = view(model);
        let Screen::Technician(TechnicianScreen::MyDay(day)) = vm.screen else {
            panic!("my day")
        };
        day.jobs
            .into_iter()
            .chain(day.waiting)
            .find(|c| c.id == job)
            .expect("on the day")
            .sync
    };
    let (mut model, job) = technician_with_an_assigned_job();
    assert_eq!(card(&model, job).state, SyncState::Synced);
    assert_eq!(card(&model, job).words, None);
    drive(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
        t0(),
    );
    let waiting = card(&model, job);
    assert_eq!(waiting.state, SyncState::Waiting);
    assert_eq!(waiting.words.as_deref(), Some("Waiting to sync"));
    let other = model
        .replica
        .jobs()
        .find(|j| j.id != job && j.technician == model.user().map(|u| u.id) && j.is_open())
        .map(|j| j.id);
    if let Some(other) = other {
        assert_eq!(
            card(&model, other).state,
            SyncState::Synced,
            "only the job changed"
        );
    }

    let op = model.outbox.ops().next().unwrap().id;
    let error = domain::ops::OpError::Forbidden(domain::ops::Denied::OnlyAssignedTechnician);
    let results = vec![OpResult {
        op,
        status: OpStatus::Rejected {
            message: String::new(),
            error,
        },
    }];
    drive(&mut model, synced(results, None, false), t0());
    let refused = card(&model, job);
    assert_eq!(refused.state, SyncState::Refused);
    let words = refused.words.expect("why");
    assert!(words.contains("Only the technician assigned"), "{words}");
    model.language = Lang::SimplifiedChinese;
    let words = card(&model, job).words.expect("why");
    assert!(words.starts_with("服务器未保存"), "{words}");

    // Dismissed: back to what the server has.
    drive(&mut model, Event::DismissNotice, t0());
    assert_eq!(card(&model, job).state, SyncState::Synced);
}

#[test]
fn an_op_the_server_could_not_store_stays_queued_and_shown_as_done() {
    let (mut model, job) = technician_with_an_assigned_job();
    drive(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
        t0(),
    );
    let op = model.outbox.ops().next().unwrap().id;
    let error = domain::ops::OpError::Unavailable("disk full".into());
    drive(
        &mut model,
        synced(
            vec![OpResult {
                op,
                status: OpStatus::Rejected {
                    message: error.to_string(),
                    error,
                },
            }],
            None,
            false,
        ),
        t0(),
    );
    assert_eq!(job_status(&model, job), JobStatus::EnRoute, "not undone");
    assert_eq!(
        model.outbox.ops().map(|o| o.id).collect::<Vec<_>>(),
        vec![op]
    );
    assert!(
        view(&model).rejected.is_empty(),
        "nothing to tell: it goes again"
    );
}

/// Issue 12: the office corrects the address of the customer a technician is driving to; the
/// technician hears of it at the next sync.
#[test]
fn a_technician_on_the_road_is_told_when_the_address_changes() {
    let (mut model, job) = technician_with_an_assigned_job();
    drive(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
        t0(),
    );
    let op = model.outbox.ops().next().unwrap().id;
    let Some(Record::Job(mut moved)) = model.replica.record(&RecordKey::Job(job)).cloned() else {
        panic!("the job")
    };
    moved.service_address.street = "Corrected Street".into();
    drive(
        &mut model,
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![OpResult {
                op,
                status: OpStatus::Applied { changed: vec![] },
            }],
            changes: vec![domain::sync::Change::Put {
                record: Box::new(Record::Job(moved.clone())),
            }],
            cursor: 9,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        }))),
        t0(),
    );
    let notice = view(&model).notice.expect("told");
    assert!(notice.contains(&moved.number()), "{notice}");
    assert!(notice.contains("Corrected Street"), "{notice}");
}

fn job_status(model: &Model, job: domain::ids::JobId) -> JobStatus {
    model.replica.jobs().find(|j| j.id == job).unwrap().status
}

fn lead_stage(model: &Model, lead: domain::ids::LeadId) -> Stage {
    model.replica.leads().find(|l| l.id == lead).unwrap().stage
}

#[test]
fn a_bad_server_address_is_a_message_not_a_panic() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Sales)).unwrap().id);
    model.server_url = "not a url".into();
    let out = drive(&mut model, Event::SyncNow, t0());
    assert!(out.http.is_empty());
    assert!(view(&model).sync.problem.unwrap().contains("not valid"));
    model.lifecycle = Lifecycle::SignedOut(SignInForm::default());
    drive(
        &mut model,
        Event::SignIn {
            login: "sales01".into(),
            password: "x".into(),
            code: String::new(),
        },
        t0(),
    );
    assert!(
        view(&model).screen
            == Screen::SignIn(crate::view::SignInView {
                error: Some(Word::new(BAD_SERVER)),
                busy: false,
                code: None,
            })
    );
}

#[test]
fn a_signed_in_device_pulls_changes_every_few_seconds_unasked() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Dispatcher)).unwrap().id);
    let mut cmd = model.update(Event::internal(Internal::Poll));
    let effects: Vec<Effect> = cmd.effects().collect();
    let polls_again = effects.iter().any(|e| {
        matches!(e, Effect::Time(r) if matches!(r.operation,
            TimeRequest::NotifyAfter { duration, .. }
                if std::time::Duration::from(duration) == sync::POLL))
    });
    assert!(polls_again, "the next pull is scheduled");
    let syncs: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Http(r) => Some(r.operation.url.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(syncs.len(), 1);
    assert!(syncs[0].ends_with("/v1/sync"));

    // Signed out: the timer keeps running, nothing is sent.
    let _ = model.update(Event::SignOut);
    let mut cmd = model.update(Event::internal(Internal::Poll));
    assert!(!cmd.effects().any(|e| matches!(e, Effect::Http(_))));
}

#[test]
fn the_board_shows_a_job_completed_today_and_where_its_technician_was() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Dispatcher)).unwrap().id);
    let me = model.user().unwrap().clone();
    let job = model
        .replica
        .jobs()
        .find(|j| j.status == JobStatus::Assigned && me.manages_store(j.store))
        .unwrap()
        .clone();
    let tech = job.technician.unwrap();
    // The technician's steps, as their device would sync them.
    let mut done = job.clone();
    for (to, minutes) in [
        (JobStatus::EnRoute, 5),
        (JobStatus::OnSite, 30),
        (JobStatus::Completed, 90),
    ] {
        done.history.push(domain::jobs::StatusChange {
            from: done.status,
            to,
            by: tech,
            at: t0() + Duration::minutes(minutes),
            location: Some(domain::places::LatLng {
                lat: 31.23,
                lng: 121.47,
            }),
            technician: Some(tech),
            note: None,
            crew: Vec::new(),
        });
        done.status = to;
    }
    done.completion = Some(Completion {
        satisfaction: Some(2),
        ..Completion::default()
    });
    model.replica.insert(Record::Job(done));
    model.now = t0() + Duration::minutes(95);

    let Screen::Dispatcher(DispatcherScreen::Board(board)) = view(&model).screen else {
        panic!("board")
    };
    let day = board.technicians.iter().find(|t| t.id == tech).unwrap();
    assert!(day.jobs.iter().all(|c| c.id != job.id), "no longer planned");
    assert_eq!(day.done.len(), 1);
    assert_eq!(
        (day.done[0].id, day.done[0].status),
        (job.id, JobStatus::Completed)
    );
    assert_eq!(
        day.position,
        Some(domain::places::LatLng {
            lat: 31.23,
            lng: 121.47
        })
    );
    assert!(
        board.technicians.iter().all(|t| t.position.is_some()),
        "everyone else at their home base"
    );
    // The timelines span at least 08:00–20:00 in the store's zone and hold every visit of today.
    assert!(board.day_end_ms - board.day_start_ms >= 12 * 3_600_000);
    for c in board.technicians.iter().flat_map(|t| t.jobs.iter()) {
        if let Some(s) = c
            .start_ms
            .filter(|s| *s >= board.day_start_ms - 8 * 3_600_000)
        {
            assert!(
                s >= board.day_start_ms,
                "{} starts before the span",
                c.number
            );
            assert!(
                s + i64::from(c.minutes) * 60_000 <= board.day_end_ms,
                "{} ends after the span",
                c.number
            );
        }
    }
}

#[test]
fn the_rep_sees_every_open_lead_in_its_pipeline_column() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Sales)).unwrap().id);
    let me = model.user().unwrap().id;
    let Screen::Sales(SalesScreen::FollowUps(f)) = view(&model).screen else {
        panic!("follow-ups")
    };
    let mine: Vec<_> = model
        .replica
        .leads()
        .filter(|l| l.owner == me && l.stage.is_open())
        .collect();
    assert!(!mine.is_empty());
    for l in &mine {
        let column = f.pipeline.iter().find(|c| c.stage == l.stage).unwrap();
        assert!(column.leads.iter().any(|c| c.id == l.id), "{}", l.name);
    }
    for column in &f.pipeline {
        if column.stage.is_open() {
            assert_eq!(column.leads.len() as u32, column.count);
        } else {
            assert!(column.leads.is_empty(), "won and lost are counted only");
        }
    }
    // A card opens the lead.
    let lead = mine[0].id;
    drive(&mut model, Event::Sales(SalesEvent::OpenLead(lead)), t0());
    assert!(matches!(view(&model).screen, Screen::Sales(SalesScreen::Lead(ref l)) if l.id == lead));
}

#[test]
fn the_view_model_speaks_the_language_the_person_chose() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Dispatcher)).unwrap().id);
    let chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let alerts = |model: &Model| {
        let Screen::Dispatcher(DispatcherScreen::Board(b)) = view(model).screen else {
            panic!("board")
        };
        b.alerts.into_iter().map(|a| a.message).collect::<Vec<_>>()
    };
    let english = alerts(&model);
    assert!(!english.is_empty());
    assert!(english.iter().all(|a| !chinese(a)), "{english:?}");

    drive(
        &mut model,
        Event::SetLanguage(Lang::SimplifiedChinese),
        t0(),
    );
    let zh = alerts(&model);
    assert_eq!(zh.len(), english.len());
    assert!(zh.iter().all(|a| chinese(a)), "{zh:?}");

    // The choice is the device's: signing out keeps it, and the sign-in screen speaks it.
    drive(&mut model, Event::SignOut, t0());
    assert_eq!(model.language, Lang::SimplifiedChinese);
    let out = drive(
        &mut model,
        Event::SignIn {
            login: "x".into(),
            password: "y".into(),
            code: String::new(),
        },
        t0(),
    );
    assert_eq!(out.http.len(), 1);
}

fn a_customer_op(model: &Model) -> OpKind {
    let user = model.user().unwrap();
    OpKind::CreateCustomer(domain::ops::NewCustomer {
        id: domain::ids::CustomerId::new(),
        store: user.stores[0],
        name: "Ada Quimby".into(),
        phones: vec!["13800001111".into()],
        address: Default::default(),
        kind: domain::customers::CustomerKind::Individual,
        tags: vec![],
        tier: Tier::Standard,
        marketing_consent: false,
        birthday: None,
        owner: None,
    })
}

fn synced(results: Vec<OpResult>, server_time: Option<DateTime<Utc>>, wipe: bool) -> Event {
    Event::internal(Internal::Synced(Ok(SyncResponse {
        results,
        changes: vec![],
        cursor: 7,
        more: false,
        server_time,
        wipe,
        reset: false,
    })))
}

/// Issue 10: the server refuses ops stamped ahead of its clock, so a phone whose clock runs
/// fast learns the difference at each sync and stamps its ops with the server's time.
#[test]
fn ops_are_stamped_with_the_clock_the_server_keeps() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    let fast_by = Duration::minutes(47);
    drive(
        &mut model,
        synced(vec![], Some(t0() - fast_by), false),
        t0(),
    );
    assert_eq!(model.clock_offset, -fast_by);
    let kind = a_customer_op(&model);
    drive(
        &mut model,
        Event::internal(Internal::Commit {
            kind,
            at: t0() + Duration::hours(2),
            location: None,
        }),
        t0() + Duration::hours(2),
    );
    let op = model
        .outbox
        .ops()
        .find(|o| matches!(o.kind, OpKind::CreateCustomer(_)))
        .expect("committed")
        .clone();
    assert_eq!(op.at, t0() + Duration::hours(2) - fast_by);
    // A nonsense answer (years off) is not taken as the server's clock.
    drive(
        &mut model,
        synced(vec![], Some(t0() + Duration::days(4000)), false),
        t0(),
    );
    assert_eq!(model.clock_offset, -fast_by);
}

#[test]
fn the_servers_clock_is_remembered_for_a_restart_with_no_signal() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    let fast_by = Duration::minutes(47);
    let out = drive(
        &mut model,
        synced(vec![], Some(t0() - fast_by), false),
        t0(),
    );
    assert!(
        out.written(Table::Meta)
            .contains(&storage::CLOCK_OFFSET.to_owned())
    );
    // The person is told their phone's clock is wrong, in their words.
    let told = view(&model).notice.expect("told");
    assert!(told.contains("47 minutes fast"), "{told}");
    // The same offset again is not written again.
    let out = drive(
        &mut model,
        synced(vec![], Some(t0() - fast_by), false),
        t0(),
    );
    assert!(
        !out.written(Table::Meta)
            .contains(&storage::CLOCK_OFFSET.to_owned())
    );

    let mut restarted = Model::default();
    drive(
        &mut restarted,
        Event::internal(Internal::Loaded(Box::new(storage::Loaded {
            session: model.session().cloned(),
            clock_offset_ms: Some(-fast_by.num_milliseconds()),
            ..Default::default()
        }))),
        t0(),
    );
    assert_eq!(restarted.clock_offset, -fast_by);
    // A stored offset of years is not believed.
    let mut broken = Model::default();
    drive(
        &mut broken,
        Event::internal(Internal::Loaded(Box::new(storage::Loaded {
            clock_offset_ms: Some(Duration::days(4000).num_milliseconds()),
            ..Default::default()
        }))),
        t0(),
    );
    assert_eq!(broken.clock_offset, Duration::zero());
}

/// Issue 10: a lost phone signed out remotely sends what it still has, then keeps nothing.
#[test]
fn a_device_signed_out_remotely_sends_its_queue_then_wipes_itself() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    for _ in 0..2 {
        let kind = a_customer_op(&model);
        drive(
            &mut model,
            Event::internal(Internal::Commit {
                kind,
                at: t0(),
                location: None,
            }),
            t0(),
        );
    }
    // Housekeeping queues rule follow-ups too: everything is pending.
    let ops: Vec<_> = model.outbox.ops().map(|o| o.id).collect();
    assert!(ops.len() >= 2);
    let applied = |op| OpResult {
        op,
        status: OpStatus::Applied { changed: vec![] },
    };
    // The server took all but the last op: that one still goes out before the wipe.
    let (last, first) = ops.split_last().unwrap();
    let out = drive(
        &mut model,
        synced(first.iter().copied().map(applied).collect(), None, true),
        t0(),
    );
    assert!(model.is_active());
    assert_eq!(model.outbox.ops().count(), 1);
    assert!(
        out.http.iter().any(|r| r.url.ends_with("/v1/sync")),
        "pushes the rest"
    );
    drive(&mut model, synced(vec![applied(*last)], None, true), t0());
    assert!(matches!(model.lifecycle, Lifecycle::SignedOut(_)));
    assert!(model.session().is_none() && model.replica.is_empty());
    assert_eq!(model.outbox.ops().count(), 0);
    assert_eq!(model.cursor, 0);
    assert!(
        view(&model)
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("signed out")
    );
    assert_eq!(view(&model).pending_changes, 0);
}

/// Sends a sign-in and answers its one HTTP request with `status` and `body`; returns the
/// request's JSON body (`None`: the core sent nothing).
fn sign_in_answered(
    model: &mut Model,
    code: &str,
    status: u16,
    body: &serde_json::Value,
) -> Option<serde_json::Value> {
    use crux_http::protocol::{HttpResponse, HttpResult};
    let mut cmd = model.update(Event::SignIn {
        login: " admin ".into(),
        password: "rounds-demo".into(),
        code: code.into(),
    });
    let mut sent = None;
    let mut queue: Vec<Event> = Vec::new();
    for effect in cmd.effects() {
        if let Effect::Http(mut req) = effect {
            sent = Some(serde_json::from_slice(&req.operation.body).unwrap());
            req.resolve(HttpResult::Ok(
                HttpResponse::status(status)
                    .header("content-type", "application/problem+json")
                    .body(body.to_string())
                    .build(),
            ))
            .unwrap();
        }
    }
    queue.extend(cmd.events());
    for ev in queue {
        drive(model, ev, t0());
    }
    sent
}

fn sign_in_view(model: &Model) -> crate::view::SignInView {
    match view(model).screen {
        Screen::SignIn(s) => s,
        other => panic!("not the sign-in screen: {other:?}"),
    }
}

#[test]
fn an_admin_signs_in_in_two_steps_when_the_server_asks_for_a_code() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Admin)).unwrap().id);
    let session = model.session().cloned().unwrap();
    drive(&mut model, Event::SignOut, t0());
    assert_eq!(sign_in_view(&model).code, None, "no code field until asked");

    // Step one: the password is right, the server wants a code.
    let needs_code = serde_json::json!({
        "type": "urn:rounds:problem:second_factor_required", "title": "Unauthorized",
        "status": 401, "detail": "enter the code of your authenticator app",
    });
    let sent = sign_in_answered(&mut model, "", 401, &needs_code).unwrap();
    assert_eq!(sent["login"], "admin");
    assert!(sent.get("otp").is_none(), "{sent}");
    let v = sign_in_view(&model);
    let field = v.code.expect("the screen asks for the code");
    assert_eq!(field.label, "6-digit code");
    assert!(v.error.unwrap().contains("6-digit code"));
    assert!(matches!(model.lifecycle, Lifecycle::SignedOut(_)));

    // Submitting without the code asks for it again, without a request.
    assert!(sign_in_answered(&mut model, "  ", 500, &serde_json::Value::Null).is_none());
    assert!(sign_in_view(&model).code.is_some());

    // A wrong code: said so, the field stays.
    let sent = sign_in_answered(&mut model, " 123456 ", 401, &needs_code).unwrap();
    assert_eq!(sent["otp"], "123456");
    let v = sign_in_view(&model);
    assert!(v.code.is_some());
    assert!(v.error.unwrap().contains("not right"));

    // The words come from the core in the person's language.
    drive(
        &mut model,
        Event::SetLanguage(Lang::SimplifiedChinese),
        t0(),
    );
    let v = sign_in_view(&model);
    assert_eq!(v.code.unwrap().label, "6 位验证码");
    drive(&mut model, Event::SetLanguage(Lang::English), t0());

    // The right code signs in.
    let ok = serde_json::to_value(&session).unwrap();
    let sent = sign_in_answered(&mut model, "654321", 200, &ok).unwrap();
    assert_eq!(sent["otp"], "654321");
    assert!(model.is_active());
    assert!(!matches!(&model.lifecycle, Lifecycle::SignedOut(f) if f.code_needed));

    // After signing out, a wrong password clears the code step.
    drive(&mut model, Event::SignOut, t0());
    let wrong = serde_json::json!({"type": "about:blank", "title": "Unauthorized",
        "status": 401, "detail": "wrong login or password"});
    sign_in_answered(&mut model, "", 401, &needs_code);
    sign_in_answered(&mut model, "111111", 401, &wrong);
    let v = sign_in_view(&model);
    assert_eq!(v.code, None);
    assert_eq!(v.error.as_deref(), Some("Wrong login or password."));
}

/// Issue 10: a device that signed in before says so at its next sign-in (so that other
/// people's failed attempts from the same address cannot hold it up), and a remote wipe
/// forgets it.
#[test]
fn a_sign_in_names_the_device_and_brings_its_proof_from_the_last_one() {
    let mut model = signed_in(|m| m.users().find(|u| u.has(Role::Admin)).unwrap().id);
    let mut session = model.session().cloned().unwrap();
    drive(&mut model, Event::SignOut, t0());
    session.device_token = Some("proof-1".into());
    let sent = sign_in_answered(
        &mut model,
        "",
        200,
        &serde_json::to_value(&session).unwrap(),
    )
    .unwrap();
    assert_eq!(sent["device_id"], "test-device");
    assert!(sent.get("device_token").is_none(), "none yet: {sent}");
    assert_eq!(model.device_trust.as_ref().unwrap().token, "proof-1");

    drive(&mut model, Event::SignOut, t0());
    session.device_token = Some("proof-2".into());
    let sent = sign_in_answered(
        &mut model,
        "",
        200,
        &serde_json::to_value(&session).unwrap(),
    )
    .unwrap();
    assert_eq!(
        sent["device_token"], "proof-1",
        "the last proof goes with the login"
    );
    assert_eq!(model.device_trust.as_ref().unwrap().token, "proof-2");

    drive(&mut model, synced(vec![], None, true), t0());
    assert_eq!(
        model.device_trust, None,
        "a wiped device is a stranger again"
    );
}

/// A shared shop tablet: a session that expires keeps what the person typed; signing out
/// forgets it, and a colleague signing in next starts from nothing of theirs (a colleague's
/// replica holds this person's user record too, so the device records whose replica it is).
#[test]
fn the_next_person_at_a_shared_device_sees_nothing_of_the_last() {
    let mut model = signed_in(user_with(Role::Sales));
    let first = model.session().cloned().unwrap();
    let colleague = model
        .replica
        .users()
        .find(|u| u.id != first.user.id && u.stores == first.user.stores)
        .cloned()
        .expect("a colleague in the same store");
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Query("王".into())),
        t0(),
    );
    drive(&mut model, Event::Lookup(LookupEvent::NewCustomer), t0());

    // The session expires and the same person signs in again: nothing is lost.
    model.lifecycle = Lifecycle::SignedOut(SignInForm::default());
    drive(
        &mut model,
        Event::internal(Internal::SignedIn(Ok(first.clone()))),
        t0(),
    );
    assert_eq!(model.lookup.query, "王");
    assert!(model.lookup.form.is_some());
    assert!(!model.replica.is_empty());

    // Signing out forgets what was open; the colleague gets none of the replica.
    drive(&mut model, Event::SignOut, t0());
    assert!(model.lookup.query.is_empty() && model.lookup.form.is_none());
    // (Everything the first person did has reached the server: the rule follow-ups the
    // device raised for them would otherwise, rightly, keep the colleague out.)
    model.outbox = Outbox::default();
    let mut theirs = first;
    theirs.user = colleague;
    drive(
        &mut model,
        Event::internal(Internal::SignedIn(Ok(theirs))),
        t0(),
    );
    assert!(model.is_active());
    assert!(model.replica.is_empty(), "the last person's data is gone");
    assert_eq!(model.cursor, 0, "fetched afresh");
}

/// The reason for cancelling a job lives in the core: a refusal says why on the card and
/// keeps what was typed; a cancellation that goes through forgets it.
#[test]
fn a_cancel_reason_survives_a_refusal_and_goes_with_the_cancellation() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    let me = model.user().cloned().unwrap();
    let job = model
        .replica
        .jobs()
        .find(|j| me.manages_store(j.store) && j.status == JobStatus::New)
        .map(|j| j.id)
        .expect("a job waiting in the queue");
    let card = |model: &Model| {
        let Screen::Dispatcher(DispatcherScreen::Board(b)) = view(model).screen else {
            panic!("board")
        };
        b.unassigned.into_iter().find(|c| c.id == job)
    };
    drive(
        &mut model,
        Event::Dispatcher(DispatcherEvent::Cancel(job)),
        t0(),
    );
    assert_eq!(
        job_status(&model, job),
        JobStatus::New,
        "no reason, no cancellation"
    );
    let refused = card(&model)
        .and_then(|c| c.cancel)
        .expect("said on the card");
    assert!(refused.error.is_some());

    let typed = "The customer sold the piano ".repeat(3);
    drive(
        &mut model,
        Event::Dispatcher(DispatcherEvent::CancelReason {
            job,
            reason: typed.clone(),
        }),
        t0(),
    );
    let draft = card(&model).and_then(|c| c.cancel).unwrap();
    assert_eq!((draft.reason.as_str(), draft.error), (typed.as_str(), None));

    drive(
        &mut model,
        Event::Dispatcher(DispatcherEvent::Cancel(job)),
        t0(),
    );
    assert_eq!(job_status(&model, job), JobStatus::Cancelled);
    assert!(model.cancels.is_empty(), "the reason went with the op");
}

/// Issue 12: the rule follow-ups a device raises by itself are housekeeping; the header counts
/// only what the person changed.
#[test]
fn rule_follow_ups_are_not_counted_as_the_persons_unsynced_changes() {
    let mut raised = None;
    for role in [Role::Sales, Role::Dispatcher, Role::Admin] {
        let mut model = signed_in(user_with(role));
        drive(&mut model, Event::SyncNow, t0());
        if model.outbox.ops().any(super::followups::is_rule_made) {
            raised = Some(model);
            break;
        }
    }
    let mut model = raised.expect("some role's device raises rule follow-ups on the demo");
    assert_eq!(view(&model).pending_changes, 0);
    assert!(view(&model).pending_words.is_none());
    let kind = a_customer_op(&model);
    drive(
        &mut model,
        Event::internal(Internal::Commit {
            kind,
            at: t0(),
            location: None,
        }),
        t0(),
    );
    assert_eq!(
        view(&model).pending_changes,
        1,
        "the person's own change counts"
    );
}

/// A device whose clock is hours fast signs in for the first time: it raises no rule
/// follow-ups until a sync has told it the server's time, and then stamps them with it (the
/// server refuses ops from the future).
#[test]
fn rule_follow_ups_wait_for_the_servers_clock_and_are_stamped_with_it() {
    let fast_by = Duration::hours(3);
    for role in [Role::Sales, Role::Dispatcher, Role::Admin] {
        let mut model = signed_in(user_with(role));
        model.clock_known = false;
        let device_now = t0() + fast_by;
        model.now = device_now;
        drive(&mut model, Event::SyncNow, device_now);
        assert!(
            !model.outbox.ops().any(super::followups::is_rule_made),
            "nothing raised before the clock is known"
        );
        drive(&mut model, synced(vec![], Some(t0()), false), device_now);
        let raised: Vec<_> = model
            .outbox
            .ops()
            .filter(|o| super::followups::is_rule_made(o))
            .collect();
        if raised.is_empty() {
            continue;
        }
        for op in raised {
            assert!(
                (op.at - t0()).num_minutes().abs() <= 1,
                "stamped with the server's time: {}",
                op.at
            );
        }
        return;
    }
    panic!("some role's device raises rule follow-ups on the demo");
}

/// A first sync comes in pages; the page that acknowledges a change may not carry the record
/// it changed. Until a later page does, the change stays on screen instead of vanishing.
#[test]
fn an_acknowledged_change_stays_until_its_record_arrives_in_a_later_page() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    let kind = a_customer_op(&model);
    let OpKind::CreateCustomer(new) = &kind else {
        panic!("a new customer")
    };
    let id = new.id;
    drive(
        &mut model,
        Event::internal(Internal::Commit {
            kind,
            at: t0(),
            location: None,
        }),
        t0(),
    );
    let op = model.outbox.ops().next().unwrap().id;
    let page = |changes| {
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![OpResult {
                op,
                status: OpStatus::Applied {
                    changed: vec![RecordKey::Customer(id)],
                },
            }],
            changes,
            cursor: 9,
            more: true,
            server_time: None,
            wipe: false,
            reset: false,
        })))
    };
    drive(&mut model, page(vec![]), t0());
    assert!(!model.outbox.ops().any(|o| o.id == op), "acknowledged");
    assert!(
        model.replica.record(&RecordKey::Customer(id)).is_some(),
        "still shown while its record is on its way"
    );
}
