//! Every screen of every role, in both languages: every word comes from a table and reads in
//! the person's language, and nothing else in the view model changes with the language.
//!
//! A tour drives a model to each screen and state worth seeing (a form with an error, a
//! notice, a refused change) and renders it in English and in Chinese. Each rendering is
//! walked as JSON:
//! - a [`Word`] (an object whose only key is `text`) must not be empty, and in Chinese must
//!   hold Chinese characters: an English word there is a word the tables missed;
//! - any other string is data, an id or a code, and must be the same in both languages (a
//!   string that changes with the language is a word not typed as one) and sit under a key
//!   listed in [`DATA_KEYS`], so that every new text field is classed as a word or as data.

use serde_json::Value;

use super::dispatcher::AlertKind;
use super::{DispatcherScreen, Screen, ViewModel, Word};
use crate::model::dispatch_board::{DispatchProblem, PlanEvent};
use crate::model::fake_shell::drive;
use crate::model::lookup::FormField;
use crate::model::tests::{signed_in, t0, user_with};
use crate::model::{Event, Lang, Lifecycle, LookupEvent, Model, Notice, SignInForm};
use domain::jobs::JobStatus;
use domain::org::Role;
use domain::words::Label;

/// Keys whose strings are data (typed by a person or read from a record), ids, codes for the
/// shell's logic (enum values, CSS hooks), times and numbers shown as digits.
const DATA_KEYS: &[&str] = &[
    // — a customer's value: the typed stage and risk (worded beside), the scores as codes —
    "lifecycle",
    "churn",
    // — the numbers: figures as digits and units, file names, the CSV's text —
    "total",
    "week",
    "cells",
    "csv",
    "csv_name",
    "kpi",
    "rfm_text",
    "what",
    // — the admin console: what is typed in its forms, and the records' own values —
    // — imports: the columns of the file as it is, and the fields they fill (worded beside) —
    "target",
    "choice",
    "letter",
    "header",
    "samples",
    "break_at",
    "break_minutes",
    "home_lat",
    "home_lng",
    "lat",
    "lng",
    "login",
    "max_jobs",
    "name_en",
    "name_zh",
    "roles",
    "standard",
    "stores",
    "stores_text",
    "time_zone",
    "user",
    // — frame —
    "id",
    "role",
    "screen",
    "user_name",
    "last_synced",
    "state",
    "lang",
    "endonym",
    "code",
    // — technician —
    "number",
    "date",
    "customer",
    "customer_name",
    "address",
    "description",
    "window",
    "eta",
    "sla_deadline",
    "status",
    "service",
    "priority",
    "tier",
    "kind",
    "action",
    "from",
    "to",
    "at",
    "by",
    "note",
    "notes",
    "product",
    "serial_number",
    "maintenance_due",
    "shown",
    "dial",
    "parts",
    "item",
    "value",
    "reason",
    // — sales —
    "name",
    "lead",
    "customer",
    "job",
    "stage",
    "source",
    "title",
    "due",
    "reason",
    "note",
    "choice",
    "outcome",
    "lost_reason",
    "won_value",
    "phone",
    "model",
    "shown",
    "next_follow_up",
    "at",
    "text",
    "author",
    // — dispatcher —
    "technician",
    "job",
    "customer",
    "kind",
    "hours",
    "day",
    "signature",
    "sort",
    "store",
    "photos",
    "time",
    "eta",
    "code",
    "error_field",
    "minutes",
    "skills",
    "window_day",
    "window_from",
    "window_to",
    // (a job card on the board, as the technician's screens show it)
    "action",
    "address",
    "customer_name",
    "description",
    "priority",
    "service",
    "sla_deadline",
    "status",
    "tier",
    "window",
    // — the board's map: a marker's numbers and names, what it stands for —
    "hint",
    "Job",
    "Technician",
    // — search and the customer form —
    "query",
    "customer",
    "editing",
    "field",
    "value",
    "place",
    "text",
    "phones",
    "province",
    "city",
    "district",
    "street",
    "detail",
    // — conflicts —
    "who_name",
    "typed",
    // — settings —
    "key",
    "capacity",
];

/// Screens still being moved onto the tables (issue 11): skipped until their area is done.
const NOT_YET: &[&str] = &[];

/// What a tour collects at each stop: a name for the failure message and the view model in
/// English and in Chinese.
type Stop = (String, Value, Value);

fn stop(name: &str, model: &mut Model) -> Stop {
    let was = model.language;
    let en = render(model, Lang::English);
    let zh = render(model, Lang::SimplifiedChinese);
    model.language = was;
    (name.to_owned(), en, zh)
}

fn frame_tour() -> Vec<Stop> {
    let mut stops = Vec::new();
    let mut m = Model {
        lifecycle: Lifecycle::SignedOut(SignInForm::default()),
        ..Model::default()
    };
    stops.push(stop("sign-in", &mut m));
    m.lifecycle = Lifecycle::SignedOut(SignInForm {
        error: Some(Label::WrongLoginOrPassword.into()),
        code_needed: true,
        ..SignInForm::default()
    });
    stops.push(stop("sign-in asking for a code", &mut m));
    m.lifecycle = Lifecycle::Starting;
    stops.push(stop("loading", &mut m));

    let mut m = signed_in(user_with(Role::Technician));
    for notice in [
        Notice::Said(Label::RemoteWipe),
        Notice::NotSaved("QuotaExceededError".into()),
        Notice::ServerRefusedChanges(2),
        Notice::ServerRefused("Bad Request".into()),
        Notice::OthersChanges(3),
        Notice::Unreadable(vec!["rounds/replica".into()]),
        Notice::ClockOff { minutes: -185 },
        Notice::ClockOff { minutes: 12 },
        Notice::JobMoved {
            job: "J-7K3QM-9M2XH".into(),
            address: "徐汇区 漕溪北路 1200 号".into(),
        },
    ] {
        m.notice = Some(notice);
        stops.push(stop("a notice", &mut m));
    }
    m.sync.problem = Some(Label::OfflineKept.into());
    stops.push(stop("offline", &mut m));
    stops
}

fn lookup_tour() -> Vec<Stop> {
    let mut stops = Vec::new();
    for role in [Role::Sales, Role::Technician, Role::Dispatcher] {
        let mut m = signed_in(user_with(role));
        let some = m
            .replica
            .customers()
            .next()
            .cloned()
            .expect("demo customers");
        // By name, by phone, by address, by number: each match says where it matched.
        let phone = some
            .phones
            .first()
            .map(|p| p.raw.clone())
            .unwrap_or_default();
        for q in [
            some.name.chars().take(2).collect::<String>(),
            phone
                .chars()
                .rev()
                .take(4)
                .collect::<String>()
                .chars()
                .rev()
                .collect(),
            some.address.street.clone(),
            some.number(),
            "zzzz-nothing".into(),
        ] {
            drive(&mut m, Event::Lookup(LookupEvent::Query(q)), t0());
            stops.push(stop("search results", &mut m));
        }
        drive(&mut m, Event::Lookup(LookupEvent::NewCustomer), t0());
        stops.push(stop("an empty customer form", &mut m));
        drive(&mut m, Event::Lookup(LookupEvent::SaveCustomer), t0());
        stops.push(stop("the customer form without a name", &mut m));
        // The same phone as a customer on file: the form warns of a duplicate.
        for (field, text) in [
            (FormField::Name, some.name.clone()),
            (FormField::Phones, phone.clone()),
            (FormField::Street, some.address.street.clone()),
        ] {
            drive(
                &mut m,
                Event::Lookup(LookupEvent::Type { field, text }),
                t0(),
            );
        }
        stops.push(stop("a customer form with a likely duplicate", &mut m));
        drive(
            &mut m,
            Event::Lookup(LookupEvent::Type {
                field: FormField::Name,
                text: "Ada Quimby ".repeat(30),
            }),
            t0(),
        );
        drive(&mut m, Event::Lookup(LookupEvent::SaveCustomer), t0());
        stops.push(stop("a customer form refused by apply", &mut m));
        drive(&mut m, Event::Lookup(LookupEvent::CloseCustomer), t0());
        let me = m.user().cloned().expect("signed in");
        let mine = m
            .replica
            .customers()
            .find(|c| me.manages_store(c.store) || c.owner == Some(me.id))
            .map(|c| c.id);
        if let Some(mine) = mine {
            drive(&mut m, Event::Lookup(LookupEvent::EditCustomer(mine)), t0());
            stops.push(stop("editing a customer", &mut m));
        }
    }
    stops
}

/// The technician with the most assigned jobs, so a tour can work two of them.
fn busy_technician(m: &domain::ops::MemoryRecords) -> domain::ids::UserId {
    let assigned = |t| {
        m.jobs()
            .filter(|j| j.technician == Some(t) && j.status == JobStatus::Assigned)
            .count()
    };
    m.users()
        .filter(|u| u.roles == vec![Role::Technician])
        .map(|u| u.id)
        .max_by_key(|&t| assigned(t))
        .expect("a technician")
}

/// The technician's day, a job worked from the road to the completion form (refused by the
/// form's checks and by `apply`, then done), another ending in a follow-up, and a day
/// without jobs.
fn technician_tour() -> Vec<Stop> {
    use crate::model::TechnicianEvent as T;
    use crate::model::technician::{CompletionDraft, FollowUpDraft};
    use domain::jobs::{FollowUpKind, JobAction};
    use domain::ops::Record;

    let mut stops = Vec::new();
    let mut m = signed_in(busy_technician);
    let me = m.user().map(|u| u.id);
    let mine: Vec<_> = m
        .replica
        .jobs()
        .filter(|j| j.technician == me && j.status == JobStatus::Assigned)
        .cloned()
        .collect();
    assert!(mine.len() >= 2, "two jobs to work");
    stops.push(stop("my day", &mut m));

    // The first job's customer has an asset in each warranty state and an earlier visit.
    let job = &mine[0];
    let today = t0().date_naive();
    let demo_asset = m.replica.iter().find_map(|r| match r {
        Record::Asset(a) => Some(a.clone()),
        _ => None,
    });
    let asset = demo_asset.expect("the demo has assets");
    for (n, end) in [
        (1, None),
        (2, Some(today + chrono::Days::new(30))),
        (3, Some(today + chrono::Days::new(1))),
        (4, Some(today)),
        (5, Some(today - chrono::Days::new(1))),
    ] {
        m.replica.insert(Record::Asset(domain::customers::Asset {
            id: domain::ids::AssetId::from_parts(1, n),
            customer: job.customer,
            warranty_end: end,
            maintenance_interval_days: Some(182),
            ..asset.clone()
        }));
    }
    let mut visit = mine[1].clone();
    visit.id = domain::ids::JobId::from_parts(1, 99);
    visit.customer = job.customer;
    visit.status = JobStatus::Completed;
    visit.completion = Some(domain::jobs::Completion {
        notes: "Tuned to A440".into(),
        satisfaction: Some(4),
        ..Default::default()
    });
    m.replica.insert(Record::Job(visit));

    let go = |m: &mut Model, e: T| drive(m, Event::Technician(e), t0());
    go(&mut m, T::OpenJob(job.id));
    stops.push(stop("a job's detail", &mut m));
    go(&mut m, T::Act(JobAction::StartTravel));
    go(&mut m, T::Act(JobAction::Arrive));
    go(&mut m, T::Act(JobAction::Complete));
    let draft = CompletionDraft {
        notes: "Replaced two hammer felts".into(),
        parts: "hammer felt x2\nfelt x0".into(),
        satisfaction: Some(4),
        first_visit_fix: false,
    };
    go(&mut m, T::CompletionDraft(draft.clone()));
    stops.push(stop("the completion form with a draft", &mut m));
    go(&mut m, T::SubmitCompletion);
    stops.push(stop("a completion refused: a part's count", &mut m));
    for refused in [
        CompletionDraft {
            parts: "x2".into(),
            ..draft.clone()
        },
        CompletionDraft {
            parts: "felt\n".repeat(51),
            ..draft.clone()
        },
        CompletionDraft {
            parts: "a".repeat(201),
            ..draft.clone()
        },
        CompletionDraft {
            satisfaction: Some(9),
            ..draft.clone()
        },
        CompletionDraft {
            notes: "n".repeat(4001),
            ..draft.clone()
        },
        // Passes the form's checks; `apply` refuses it.
        CompletionDraft {
            notes: "bell\u{7}".into(),
            ..draft.clone()
        },
    ] {
        go(&mut m, T::CompletionDraft(refused));
        go(&mut m, T::SubmitCompletion);
        stops.push(stop("a completion refused", &mut m));
    }
    go(
        &mut m,
        T::CompletionDraft(CompletionDraft {
            parts: "hammer felt x2".into(),
            satisfaction: None,
            ..draft
        }),
    );
    go(&mut m, T::SubmitCompletion);
    stops.push(stop("a job completed", &mut m));

    // The second ends waiting for parts.
    go(&mut m, T::OpenJob(mine[1].id));
    go(&mut m, T::Act(JobAction::StartTravel));
    go(&mut m, T::Act(JobAction::Arrive));
    go(&mut m, T::Act(JobAction::NeedFollowUp));
    stops.push(stop("the follow-up form", &mut m));
    go(&mut m, T::SubmitFollowUp);
    stops.push(stop("a follow-up refused: no reason", &mut m));
    go(
        &mut m,
        T::FollowUpDraft(FollowUpDraft {
            kind: FollowUpKind::Parts,
            reason: "r".repeat(201),
        }),
    );
    go(&mut m, T::SubmitFollowUp);
    stops.push(stop("a follow-up refused: too long", &mut m));
    go(
        &mut m,
        T::FollowUpDraft(FollowUpDraft {
            kind: FollowUpKind::ReturnVisit,
            reason: "Needs a new damper".into(),
        }),
    );
    go(&mut m, T::SubmitFollowUp);
    stops.push(stop("a job waiting for a return visit", &mut m));
    go(&mut m, T::CloseJob);
    stops.push(stop("my day with a job waiting", &mut m));

    // The server refuses the last change: the job is marked refused, with the reason.
    let last = m.outbox.ops().last().expect("changes wait").id;
    let error = domain::ops::OpError::Conflict(domain::ops::Clash::RefusedBefore);
    let cursor = m.cursor;
    drive(
        &mut m,
        Event::internal(crate::model::Internal::Synced(Ok(
            domain::sync::SyncResponse {
                results: vec![domain::sync::OpResult {
                    op: last,
                    status: domain::sync::OpStatus::Rejected {
                        message: String::new(),
                        error,
                    },
                }],
                changes: vec![],
                cursor,
                more: false,
                server_time: None,
                wipe: false,
                reset: false,
            },
        ))),
        t0(),
    );
    stops.push(stop("a change refused by the server", &mut m));

    // A day without jobs.
    let all: Vec<_> = m
        .replica
        .jobs()
        .filter(|j| j.technician == me)
        .cloned()
        .collect();
    for mut j in all {
        j.technician = None;
        m.replica.insert(Record::Job(j));
    }
    stops.push(stop("a day without jobs", &mut m));
    stops
}

/// The dispatcher's console, and an admin's (the same board): the queue, the technicians'
/// days, every kind of alert, a suggestion and a plan with every kind of reason, each problem
/// the panel can have, the new-job form refused in each way, and manual (re)assignment.
fn dispatcher_tour() -> Vec<Stop> {
    use crate::model::DispatcherEvent as D;
    use crate::model::job_form::{JobDraft, JobFormEvent as F};

    let mut stops = Vec::new();
    for role in [Role::Dispatcher, Role::Admin] {
        let mut m = signed_in(user_with(role));
        if role == Role::Admin {
            stops.push(stop("the admin console", &mut m));
            crate::model::numbers::update(&mut m, crate::model::numbers::NumbersEvent::Weeks(13));
            assert!(
                m.numbers.computed.is_some(),
                "the numbers are worked out for the console"
            );
            stops.push(stop("the admin console with its numbers", &mut m));
            m.console = crate::model::back_office::ConsolePage::Board;
        }
        stops.push(stop("the board", &mut m));
        raise_every_alert(&mut m);
        let kinds: Vec<AlertKind> = match ViewModel::from(&m).screen {
            Screen::Dispatcher(DispatcherScreen::Board(b)) => {
                b.alerts.iter().map(|a| a.kind).collect()
            }
            other => panic!("{role:?} sees {other:?}"),
        };
        for kind in [
            AlertKind::Backlog,
            AlertKind::SlaBreached,
            AlertKind::SlaAtRisk,
        ] {
            assert!(kinds.contains(&kind), "{kind:?}");
        }
        stops.push(stop("the board with every alert", &mut m));

        let Some(job) = queued_job(&m) else {
            panic!("the demo has jobs waiting");
        };
        let dispatch = |m: &mut Model, e| drive(m, Event::Dispatcher(e), t0());
        dispatch(&mut m, D::Suggest(job));
        assert!(m.dispatch.suggestion.is_some(), "{:?}", m.dispatch.problem);
        stops.push(stop("a suggestion", &mut m));
        m.dispatch.suggestion = Some(dispatch_samples::suggestion(&m, job));
        stops.push(stop("a suggestion with every reason", &mut m));
        // Assigning by hand against a warning, confirmed before a reason was typed.
        let sample = dispatch_samples::suggestion(&m, job);
        let ruled_out = sample.excluded[0].technician;
        m.dispatch = Default::default();
        m.dispatch.confirm = Some(crate::model::dispatch_board::AssignCheck {
            short_crew: None,
            technician: ruled_out,
            suggestion: sample,
            reason: "as typed".into(),
            needs_reason: true,
        });
        stops.push(stop("an assignment against a warning", &mut m));
        m.dispatch = Default::default();
        // The confirmation of an assignment, with its undo.
        let (done, by) = m
            .replica
            .jobs()
            .find_map(|j| Some((j.id, j.technician?)))
            .expect("an assigned job");
        m.assigned = Some(crate::model::dispatch_board::Assigned {
            crew: Vec::new(),
            previous_crew: Vec::new(),
            job: done,
            technician: by,
            previous: None,
            eta: Some(t0()),
        });
        stops.push(stop("an assignment confirmed", &mut m));
        m.assigned = None;
        // A completed job opened from the board: its completion and who did what, where.
        let done = m
            .replica
            .jobs()
            .find(|j| j.completion.is_some() && j.history.iter().any(|h| h.location.is_some()))
            .map(|j| j.id)
            .expect("a completed job with located steps");
        dispatch(&mut m, D::OpenJob(done));
        stops.push(stop("a completed job opened on the board", &mut m));
        dispatch(&mut m, D::CloseJob);
        dispatch(&mut m, D::Plan(PlanEvent::Propose));
        assert!(m.dispatch.proposal.is_some(), "{:?}", m.dispatch.problem);
        stops.push(stop("a proposed plan", &mut m));
        m.dispatch.proposal = Some(dispatch_samples::proposal(&m, job));
        m.dispatch.problem = Some(DispatchProblem::Stale);
        stops.push(stop("a plan with every change and reason", &mut m));
        for p in dispatch_samples::problems() {
            m.dispatch = Default::default();
            m.dispatch.problem = Some(p);
            stops.push(stop("a dispatch problem", &mut m));
        }
        dispatch(&mut m, D::Plan(PlanEvent::Dismiss));

        // The new-job form, refused on the device and by `apply`, with the draft kept.
        let customer = m.replica.jobs().find(|j| j.id == job).map(|j| j.customer);
        let skill = m.replica.iter().find_map(|r| match r {
            domain::ops::Record::Technician(t) => t.skills.first().cloned(),
            _ => None,
        });
        let draft = JobDraft {
            customer,
            minutes: "abc".into(),
            description: "Pedal squeaks".into(),
            skills: skill.into_iter().map(|s| s.0).collect(),
            ..JobDraft::default()
        };
        let mut typed = |m: &mut Model, name: &str, change: &dyn Fn(&mut JobDraft)| {
            let mut d = draft.clone();
            change(&mut d);
            for e in d.typed_over(&m.job_form.draft.clone()) {
                dispatch(m, D::JobForm(e));
            }
            dispatch(m, D::JobForm(F::Create));
            assert!(m.job_form.error.is_some(), "{name}");
            stops.push(stop(name, m));
        };
        typed(&mut m, "new job: minutes that do not read", &|_| {});
        typed(&mut m, "new job: refused by apply", &|d| {
            d.minutes = "60".into();
            d.description = "x".repeat(4_001);
        });
        typed(&mut m, "new job: half a window", &|d| {
            d.minutes = "60".into();
            d.window_from = "10:00".into();
        });
        typed(&mut m, "new job: a window that ends first", &|d| {
            d.minutes = "60".into();
            d.window_day = "2026-11-24".into();
            d.window_from = "12:00".into();
            d.window_to = "10:00".into();
        });
        dispatch(&mut m, D::JobForm(F::Clear));
        dispatch(&mut m, D::JobForm(F::Create));
        stops.push(stop("new job: no customer", &mut m));

        // Assigned by hand, moved, and back to the queue.
        let techs: Vec<_> = m
            .replica
            .users()
            .filter(|u| u.has(Role::Technician))
            .map(|u| u.id)
            .take(2)
            .collect();
        for technician in &techs {
            dispatch(
                &mut m,
                D::Assign {
                    job,
                    technician: *technician,
                },
            );
            stops.push(stop("assigned by hand", &mut m));
        }
        dispatch(&mut m, D::Unassign(job));
        stops.push(stop("unassigned", &mut m));
        // No reason yet: refused by `apply`, said on the card.
        dispatch(&mut m, D::Cancel(job));
        stops.push(stop("a cancellation without a reason", &mut m));
        dispatch(
            &mut m,
            D::CancelReason {
                job,
                reason: "Customer moved".into(),
            },
        );
        stops.push(stop("a cancellation reason typed", &mut m));
        dispatch(&mut m, D::Cancel(job));
        stops.push(stop("cancelled", &mut m));
    }
    stops
}

/// A job waiting in the queue of the signed-in dispatcher.
fn queued_job(m: &Model) -> Option<domain::ids::JobId> {
    let me = m.user()?;
    m.replica
        .jobs()
        .filter(|j| me.manages_store(j.store) && j.technician.is_none() && j.is_open())
        .find(|j| j.service_address.location.is_some())
        .map(|j| j.id)
}

/// One job past its SLA deadline, one close to it, and more waiting than the organization
/// alerts above.
fn raise_every_alert(m: &mut Model) {
    use domain::jobs::JobStatus;
    use domain::ops::Record;
    let Some(me) = m.user().cloned() else {
        return;
    };
    let mut open: Vec<_> = m
        .replica
        .jobs()
        .filter(|j| me.manages_store(j.store) && j.is_open() && j.status != JobStatus::OnSite)
        .take(2)
        .cloned()
        .collect();
    for (j, hours) in open.iter_mut().zip([-1, 1]) {
        j.sla_deadline = t0() + chrono::Duration::hours(hours);
        m.replica.insert(Record::Job(j.clone()));
    }
    let org = m.replica.iter().find_map(|r| match r {
        Record::Org(o) => Some(o.clone()),
        _ => None,
    });
    if let Some(mut o) = org {
        o.settings.backlog_alert_threshold = 1;
        m.replica.insert(Record::Org(o));
    }
}

/// One follow-up of each kind of reason the rules give (and a manual one, and a rule one
/// stored before rules said why), overdue, due today and upcoming.
fn every_reason(m: &mut Model) {
    use domain::followups::rules::Rule;
    use domain::followups::{FollowUp, FollowUpStatus, Reason, Subject, Why};
    use domain::ids::{AssetId, FollowUpId};
    use domain::ops::Record;

    let me = m.user().cloned().expect("signed in");
    // A manager's follow-ups are about their reps' leads and customers.
    let lead = m.replica.leads().find(|l| l.owner == me.id);
    let lead = lead
        .or_else(|| m.replica.leads().next())
        .expect("leads")
        .clone();
    let customer = m.replica.customers().find(|c| c.owner == Some(me.id));
    let customer = customer.or_else(|| m.replica.customers().next());
    let customer = customer.expect("customers").clone();
    let job = m.replica.jobs().next().expect("jobs").clone();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).expect("a date");
    let at = |hours: i64| t0() + chrono::Duration::hours(hours);
    let asset = AssetId(uuid::Uuid::nil());
    let (l, c, j) = (
        Subject::Lead(lead.id),
        Subject::Customer(customer.id),
        Subject::Job(job.id),
    );
    let some = |why| Some(why);
    let all = [
        (
            l,
            Some(Rule::FirstContact),
            some(Why::FirstContact {
                interest: lead.interest.category.clone(),
            }),
            at(-50),
            "",
        ),
        (
            l,
            Some(Rule::Cadence),
            some(Why::Cadence { step: 3, of: 4 }),
            at(2),
            "",
        ),
        (
            l,
            Some(Rule::StaleLead),
            some(Why::NoContact { days: 30 }),
            at(80),
            "",
        ),
        (
            j,
            Some(Rule::SatisfactionCall),
            some(Why::JobDone { job: job.number() }),
            at(-30),
            "",
        ),
        (
            j,
            Some(Rule::LowScoreRep),
            some(Why::LowScore {
                job: job.number(),
                score: 2,
            }),
            at(3),
            "",
        ),
        (
            c,
            Some(Rule::Churn),
            some(Why::NoPurchase {
                since: day(1),
                months: 18,
            }),
            at(4),
            "",
        ),
        (
            c,
            Some(Rule::VipCheckIn),
            some(Why::Vip { spend: 1_280_000 }),
            at(100),
            "",
        ),
        (
            c,
            Some(Rule::Maintenance(asset)),
            some(Why::ServiceDue {
                product: "Yamaha U1".into(),
                serial: "U1-001".into(),
                due: day(7),
            }),
            at(5),
            "",
        ),
        (
            c,
            Some(Rule::Warranty(asset)),
            some(Why::WarrantyEnds {
                product: "Yamaha U1".into(),
                serial: "U1-001".into(),
                end: day(9),
            }),
            at(200),
            "",
        ),
        (
            c,
            Some(Rule::Birthday),
            some(Why::Birthday { day: day(7) }),
            at(150),
            "",
        ),
        (
            c,
            Some(Rule::StaleLeadManager),
            None,
            at(6),
            "Cadence step 3 of 4",
        ),
        (l, None, None, at(-3), "bring the brochure"),
    ];
    for (subject, rule, why, due_at, note) in all {
        m.replica.insert(Record::FollowUp(FollowUp {
            id: FollowUpId::new(),
            org: me.org,
            store: customer.store,
            subject,
            due_at,
            reason: rule.map_or(Reason::Manual, |r| r.reason()),
            owner: me.id,
            status: FollowUpStatus::Open,
            note: note.into(),
            why,
            created_at: t0() - chrono::Duration::days(3),
            previous_owners: Vec::new(),
        }));
    }
}

fn sales_tour() -> Vec<Stop> {
    use crate::model::sales::{CardField, LeadField};
    use crate::model::{FollowUpEvent, SalesEvent};
    use crate::view::{SalesScreen, Screen};
    use domain::followups::rules::Snooze;
    use domain::leads::{InteractionKind, Stage};

    let mut stops = Vec::new();
    let mut m = signed_in(|r| {
        r.leads()
            .find(|l| l.stage == Stage::New)
            .map(|l| l.owner)
            .expect("a new lead")
    });
    every_reason(&mut m);
    drive(&mut m, Event::DismissNotice, t0());
    stops.push(stop(
        "follow-ups with every reason, and the pipeline",
        &mut m,
    ));

    let Screen::Sales(SalesScreen::FollowUps(list)) = ViewModel::from(&m).screen else {
        panic!("the follow-ups")
    };
    let card = list.today[0].id;
    for (field, value) in [
        (CardField::Outcome, "回电 called back"),
        (CardField::Due, "next week"),
    ] {
        let value = value.into();
        drive(
            &mut m,
            Event::Sales(SalesEvent::TypeOnCard {
                id: card,
                field,
                value,
            }),
            t0(),
        );
    }
    drive(&mut m, Event::Sales(SalesEvent::RescheduleCard(card)), t0());
    stops.push(stop("a card refusing a time it cannot read", &mut m));
    let snooze = FollowUpEvent::Snooze {
        id: list.overdue[0].id,
        choice: Snooze::TomorrowMorning,
    };
    drive(&mut m, Event::FollowUps(snooze), t0());
    stops.push(stop("a snoozed follow-up", &mut m));

    // The lead: moved on with a call, then each refusal of its form.
    let me = m.user().map(|u| u.id);
    let lead = m
        .replica
        .leads()
        .find(|l| Some(l.owner) == me && l.stage == Stage::New)
        .map(|l| l.id)
        .expect("a new lead");
    drive(&mut m, Event::Sales(SalesEvent::OpenLead(lead)), t0());
    stops.push(stop("a new lead", &mut m));
    let typed = |m: &mut Model, fields: &[(LeadField, &str)]| {
        for (field, value) in fields {
            let (field, value) = (*field, value.to_string());
            drive(
                m,
                Event::Sales(SalesEvent::TypeOnLead { field, value }),
                t0(),
            );
        }
    };
    typed(&mut m, &[(LeadField::Outcome, "想要 U1 wants a U1")]);
    drive(
        &mut m,
        Event::Sales(SalesEvent::LogOnLead(InteractionKind::Call)),
        t0(),
    );
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Qualified)),
        t0(),
    );
    stops.push(stop("a lead with its timeline", &mut m));
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Lost)),
        t0(),
    );
    stops.push(stop("lost without a reason", &mut m));
    typed(&mut m, &[(LeadField::WonValue, "a lot")]);
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Won)),
        t0(),
    );
    stops.push(stop("won with a value that is not an amount", &mut m));
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::New)),
        t0(),
    );
    stops.push(stop("a move the pipeline does not allow", &mut m));
    let too_long = "太贵 ".repeat(100);
    typed(
        &mut m,
        &[
            (LeadField::WonValue, ""),
            (LeadField::LostReason, &too_long),
        ],
    );
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Lost)),
        t0(),
    );
    stops.push(stop("a move refused by the pipeline's checks", &mut m));
    drive(&mut m, Event::Sales(SalesEvent::ScheduleOnLead), t0());
    stops.push(stop("a follow-up without a time", &mut m));
    typed(
        &mut m,
        &[
            (LeadField::LostReason, ""),
            (LeadField::WonValue, "12,800"),
            (LeadField::Due, "2026-11-25T10:00"),
            (LeadField::Note, "带上目录 brochure"),
        ],
    );
    drive(&mut m, Event::Sales(SalesEvent::ScheduleOnLead), t0());
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Won)),
        t0(),
    );
    stops.push(stop("a won lead", &mut m));
    drive(&mut m, Event::Sales(SalesEvent::CloseLead), t0());
    stops.push(stop("the pipeline with a won lead", &mut m));

    // A store manager has the escalations and the stale leads of the store's reps.
    let mut manager = signed_in(|r| {
        r.users()
            .find(|u| u.roles.contains(&Role::Dispatcher))
            .map(|u| u.id)
            .expect("a dispatcher")
    });
    every_reason(&mut manager);
    stops.push(stop("a manager's follow-ups", &mut manager));
    stops
}

/// Every tour; each area adds its own.
fn tours() -> Vec<Stop> {
    let mut stops = frame_tour();
    // — technician —
    stops.extend(technician_tour());
    // — sales —
    stops.extend(sales_tour());
    // — dispatcher —
    stops.extend(dispatcher_tour());
    // — search and the customer form —
    stops.extend(lookup_tour());
    // — conflicts —
    stops.extend(conflicts_tour());
    stops
}

/// The conflict inbox of every role: empty, then with a conflict on every field, once as an
/// author of it (keep mine, keep theirs) and once as the store's dispatcher (keep this).
fn conflicts_tour() -> Vec<Stop> {
    use domain::conflicts::{Conflict, FieldValue, Side};
    use domain::ids::{ConflictId, OpId};
    use domain::ops::customers::CustomerField;
    use domain::ops::{Record, RecordKey};

    let mut stops = Vec::new();
    for role in [Role::Technician, Role::Sales, Role::Dispatcher] {
        let mut m = signed_in(user_with(role));
        stops.push(stop("an empty conflict inbox", &mut m));
        let me = m.user().expect("signed in").clone();
        let customer = m
            .replica
            .customers()
            .find(|c| !c.phones.is_empty() && me.stores.contains(&c.store))
            .cloned()
            .expect("a customer of the store");
        let other = m
            .replica
            .users()
            .find(|u| u.id != me.id)
            .map(|u| u.id)
            .expect("a colleague");
        for (n, field) in CustomerField::ALL.into_iter().enumerate() {
            let value = FieldValue::of(&customer, field);
            let side = |by, minutes| Side {
                value: value.clone(),
                by,
                at: t0() - chrono::Duration::minutes(minutes),
                op: OpId::new(),
            };
            // The dispatcher sees someone else's conflict; the others their own.
            let author = if role == Role::Dispatcher {
                other
            } else {
                me.id
            };
            m.replica.insert(Record::Conflict(Conflict {
                id: ConflictId(uuid::Uuid::from_u128(1000 + n as u128)),
                org: me.org,
                store: customer.store,
                record: RecordKey::Customer(customer.id),
                field,
                kept: side(other, 5),
                set_aside: side(author, 20),
                resolution: None,
            }));
        }
        stops.push(stop(
            "a conflict inbox with a conflict on every field",
            &mut m,
        ));
    }
    stops
}

fn render(model: &mut Model, lang: Lang) -> Value {
    model.language = lang;
    serde_json::to_value(ViewModel::from(&*model)).expect("the view model serialises")
}

fn chinese(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c))
}

/// The one-key object `{"text": ...}` a [`Word`] serialises to.
fn as_word(v: &Value) -> Option<&str> {
    match v {
        Value::Object(o) if o.len() == 1 => o.get("text")?.as_str(),
        _ => None,
    }
}

/// Walks both renderings side by side; `key` is the nearest object key above.
fn walk(stop: &str, path: &str, key: &str, en: &Value, zh: &Value, faults: &mut Vec<String>) {
    // The one thing besides words that follows the language is which language it is.
    if NOT_YET.iter().any(|p| path.starts_with(p)) || path == ".language" {
        return;
    }
    if let (Some(e), Some(z)) = (as_word(en), as_word(zh)) {
        if e.trim().is_empty() || z.trim().is_empty() {
            faults.push(format!("{stop}: {path}: an empty word"));
        }
        if !chinese(z) {
            faults.push(format!("{stop}: {path}: {z:?} is not Chinese"));
        }
        return;
    }
    match (en, zh) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    Some(vb) => walk(stop, &format!("{path}.{k}"), k, va, vb, faults),
                    None => faults.push(format!("{stop}: {path}.{k}: only in English")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                faults.push(format!("{stop}: {path}: lists of different lengths"));
            }
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                walk(stop, &format!("{path}[{i}]"), key, va, vb, faults);
            }
        }
        (Value::String(a), Value::String(b)) => {
            if a != b {
                faults.push(format!(
                    "{stop}: {path}: {a:?} / {b:?} changes with the language but is not a Word"
                ));
            } else if !DATA_KEYS.contains(&key) && !a.is_empty() {
                faults.push(format!(
                    "{stop}: {path}: {a:?} under {key:?}: a Word, or data to list in DATA_KEYS?"
                ));
            }
        }
        (a, b) if a != b => faults.push(format!("{stop}: {path}: differs by language")),
        _ => {}
    }
}

/// Answers of the dispatch engine with every kind of reason, which a demo day rarely has all
/// of at once.
mod dispatch_samples;

#[test]
fn every_screen_reads_in_the_persons_language_and_only_words_change_with_it() {
    let mut faults = Vec::new();
    let stops = tours();
    assert!(stops.len() > 10, "the tours reach every screen");
    for (name, en, zh) in stops {
        walk(&name, "", "", &en, &zh, &mut faults);
    }
    faults.sort();
    faults.dedup();
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn every_label_has_a_word_in_each_language() {
    for &label in Label::ALL {
        let en = domain::words::table(Lang::English).label(label);
        let zh = domain::words::table(Lang::SimplifiedChinese).label(label);
        assert!(!en.trim().is_empty() && !chinese(en), "{label:?}: {en:?}");
        assert!(chinese(zh), "{label:?}: {zh:?}");
    }
}

#[test]
fn a_word_is_told_apart_from_data() {
    let v = serde_json::to_value(Word::new("Save")).unwrap();
    assert_eq!(as_word(&v), Some("Save"));
    assert_eq!(as_word(&serde_json::json!("Save")), None);
}

/// Issue 14: the board's follow-up card pages through every item due, ten at a time, and
/// says which it shows; a page past the end shows the last one.
#[test]
fn the_boards_follow_up_card_pages_through_them_all() {
    use domain::followups::{FollowUp, FollowUpStatus, Reason, Subject};
    use domain::ids::FollowUpId;
    use domain::ops::Record;

    let mut m = signed_in(user_with(Role::Dispatcher));
    let me = m.user().cloned().expect("signed in");
    let customer = m.replica.customers().next().expect("customers").clone();
    let board = |m: &Model| match ViewModel::from(m).screen {
        Screen::Dispatcher(DispatcherScreen::Board(b)) => b,
        other => panic!("not the board: {other:?}"),
    };
    for i in 0..23 {
        m.replica.insert(Record::FollowUp(FollowUp {
            id: FollowUpId::new(),
            org: me.org,
            store: customer.store,
            subject: Subject::Customer(customer.id),
            due_at: t0() - chrono::Duration::minutes(i),
            reason: Reason::Manual,
            owner: me.id,
            status: FollowUpStatus::Open,
            note: format!("call back {i}"),
            why: None,
            created_at: t0() - chrono::Duration::days(3),
            previous_owners: Vec::new(),
        }));
    }
    // The rules run at the first event, and may raise more of their own.
    drive(
        &mut m,
        Event::Dispatcher(crate::model::DispatcherEvent::FollowUpsPage(0)),
        t0(),
    );
    let first = board(&m);
    let total = first.follow_ups_page.total as usize;
    assert!(total >= 23);
    assert_eq!(first.follow_ups.len(), 10);
    assert_eq!(first.follow_ups_page.total as usize, total);
    assert_eq!(first.follow_ups_page.pages as usize, total.div_ceil(10));
    assert_eq!(
        first.follow_ups_page.shown.unwrap().text,
        format!("1–10 of {total}")
    );

    let mut seen: Vec<_> = Vec::new();
    for p in 0..first.follow_ups_page.pages {
        drive(
            &mut m,
            Event::Dispatcher(crate::model::DispatcherEvent::FollowUpsPage(p)),
            t0(),
        );
        let b = board(&m);
        assert_eq!(b.follow_ups_page.index, p);
        seen.extend(b.follow_ups.iter().map(|f| f.id));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), total, "every item on some page, once");

    drive(
        &mut m,
        Event::Dispatcher(crate::model::DispatcherEvent::FollowUpsPage(99)),
        t0(),
    );
    let last = board(&m).follow_ups_page;
    assert_eq!(last.index + 1, last.pages, "past the end: the last page");
    m.language = Lang::SimplifiedChinese;
    let zh = board(&m).follow_ups_page.shown.unwrap().text;
    assert!(zh.starts_with("第 "), "in the person's words: {zh}");
}
