//! The technician's forms in the core: what was typed survives every refusal, and the
//! refusal is said on the form in the person's language.

use super::*;
use crate::model::fake_shell::drive;
use crate::model::tests::{signed_in, t0};
use crate::model::{Lang, Record};
use crate::view::technician::{JobDetailView, JobFormView};
use crate::view::{Screen, TechnicianScreen, ViewModel};
use domain::jobs::{JobStatus, PartUsed};
use domain::ops::{OpError, RecordKey};
use domain::org::Role;

/// A technician with an assigned job, and that job.
fn technician_with_a_job() -> (Model, JobId) {
    let model = signed_in(|m| {
        m.jobs()
            .find(|j| j.status == JobStatus::Assigned)
            .and_then(|j| j.technician)
            .expect("an assigned job")
    });
    let me = model.user().map(|u| u.id);
    let job = model
        .replica
        .jobs()
        .find(|j| j.technician == me && j.status == JobStatus::Assigned)
        .map(|j| j.id)
        .expect("their job");
    (model, job)
}

fn go(model: &mut Model, event: TechnicianEvent) {
    drive(model, Event::Technician(event), t0());
}

fn detail(model: &Model) -> JobDetailView {
    match ViewModel::from(model).screen {
        Screen::Technician(TechnicianScreen::Job(d)) => d,
        other => panic!("not a job's detail: {other:?}"),
    }
}

fn status(model: &Model, job: JobId) -> Option<JobStatus> {
    match model.replica.record(&RecordKey::Job(job)) {
        Some(Record::Job(j)) => Some(j.status),
        _ => None,
    }
}

fn draft(parts: &str) -> CompletionDraft {
    CompletionDraft {
        notes: "Regulated the action".into(),
        parts: parts.into(),
        satisfaction: Some(4),
        first_visit_fix: false,
    }
}

/// The completion form of the open job, with its draft and error.
fn completion_form(model: &Model) -> (CompletionDraft, Option<String>) {
    match detail(model).form {
        Some(JobFormView::Completion(f)) => (f.draft, f.error.map(|w| w.text)),
        other => panic!("no completion form: {other:?}"),
    }
}

/// Opens the job and takes it to the customer's door.
fn on_site(model: &mut Model, job: JobId) {
    go(model, TechnicianEvent::OpenJob(job));
    go(model, TechnicianEvent::Act(JobAction::StartTravel));
    go(model, TechnicianEvent::Act(JobAction::Arrive));
    assert_eq!(status(model, job), Some(JobStatus::OnSite));
}

#[test]
fn a_part_count_refused_keeps_the_form_and_the_draft_and_names_the_line() {
    let (mut model, job) = technician_with_a_job();
    on_site(&mut model, job);
    go(&mut model, TechnicianEvent::Act(JobAction::Complete));
    let typed = draft("hammer felt x2\n\nstring x0");
    go(&mut model, TechnicianEvent::CompletionDraft(typed.clone()));
    go(&mut model, TechnicianEvent::SubmitCompletion);

    assert_eq!(model.outbox.len(), 2, "only the two steps before");
    assert_eq!(status(&model, job), Some(JobStatus::OnSite));
    let (kept, error) = completion_form(&model);
    assert_eq!(kept, typed);
    let error = error.expect("a reason");
    assert!(
        error.starts_with("Parts used, line 3") && error.contains("string x0"),
        "{error}"
    );
    model.language = Lang::SimplifiedChinese;
    let (_, error) = completion_form(&model);
    assert!(error.is_some_and(|e| e.contains("使用配件第 3 行")));

    // Fixed, it is completed with the parts as read, and the form closes.
    go(
        &mut model,
        TechnicianEvent::CompletionDraft(draft("hammer felt x2\n\nstring ×3")),
    );
    go(&mut model, TechnicianEvent::SubmitCompletion);
    assert_eq!(status(&model, job), Some(JobStatus::Completed));
    let done = model.replica.jobs().find(|j| j.id == job).cloned();
    let completion = done.and_then(|j| j.completion).expect("a completion");
    assert_eq!(
        completion.parts,
        vec![
            PartUsed {
                item: "hammer felt".into(),
                quantity: 2
            },
            PartUsed {
                item: "string".into(),
                quantity: 3
            },
        ]
    );
    assert_eq!(
        (completion.satisfaction, completion.first_visit_fix),
        (Some(4), false)
    );
    assert_eq!(detail(&model).form, None);
}

#[test]
fn a_completion_refused_on_this_device_is_said_on_the_form_with_the_draft_kept() {
    let (mut model, job) = technician_with_a_job();
    go(&mut model, TechnicianEvent::OpenJob(job));
    go(&mut model, TechnicianEvent::Act(JobAction::Complete));
    let typed = draft("felt");
    go(&mut model, TechnicianEvent::CompletionDraft(typed.clone()));
    // Not yet on site: `apply` refuses.
    go(&mut model, TechnicianEvent::SubmitCompletion);

    assert_eq!(model.outbox.len(), 0);
    assert_eq!(status(&model, job), Some(JobStatus::Assigned));
    assert!(
        matches!(
            &model.ui().unwrap().field.error,
            Some(FormProblem::Notice(Notice::Refused(
                OpError::Transition { .. }
            )))
        ),
        "{:?}",
        model.ui().unwrap().field.error
    );
    assert_eq!(model.notice, None, "said on the form, not in the banner");
    let (kept, error) = completion_form(&model);
    assert_eq!(kept, typed);
    assert!(error.is_some_and(|e| !e.is_empty()));

    // Closing the form keeps the draft for when it is opened again.
    go(&mut model, TechnicianEvent::CloseForm);
    assert_eq!(detail(&model).form, None);
    go(&mut model, TechnicianEvent::Act(JobAction::Complete));
    assert_eq!(completion_form(&model), (typed, None));
}

#[test]
fn a_score_outside_one_to_five_and_overlong_notes_are_refused_with_the_fields_label() {
    let (mut model, job) = technician_with_a_job();
    on_site(&mut model, job);
    go(&mut model, TechnicianEvent::Act(JobAction::Complete));
    for (typed, said) in [
        (
            CompletionDraft {
                satisfaction: Some(0),
                ..draft("")
            },
            "Customer satisfaction:",
        ),
        (
            CompletionDraft {
                notes: "n".repeat(NOTES_MAX + 1),
                ..draft("")
            },
            "Notes:",
        ),
    ] {
        go(&mut model, TechnicianEvent::CompletionDraft(typed.clone()));
        go(&mut model, TechnicianEvent::SubmitCompletion);
        let (kept, error) = completion_form(&model);
        assert_eq!(kept, typed);
        assert!(
            error.as_deref().is_some_and(|e| e.starts_with(said)),
            "{error:?}"
        );
        assert_eq!(status(&model, job), Some(JobStatus::OnSite));
    }
}

#[test]
fn a_follow_up_needs_a_reason_and_keeps_the_kind_chosen() {
    let (mut model, job) = technician_with_a_job();
    on_site(&mut model, job);
    go(&mut model, TechnicianEvent::Act(JobAction::NeedFollowUp));
    let typed = FollowUpDraft {
        kind: FollowUpKind::ReturnVisit,
        reason: "  ".into(),
    };
    go(&mut model, TechnicianEvent::FollowUpDraft(typed.clone()));
    go(&mut model, TechnicianEvent::SubmitFollowUp);
    let Some(JobFormView::FollowUp(form)) = detail(&model).form else {
        panic!("the follow-up form stays open")
    };
    assert_eq!(form.draft, typed);
    assert_eq!(
        form.error.map(|w| w.text).as_deref(),
        Some(domain::words::table(Lang::English).label(Label::EnterFollowUpReason))
    );
    assert_eq!(form.kinds.len(), 2);

    go(
        &mut model,
        TechnicianEvent::FollowUpDraft(FollowUpDraft {
            reason: " Customer away; call first ".into(),
            ..typed
        }),
    );
    go(&mut model, TechnicianEvent::SubmitFollowUp);
    let done = model.replica.jobs().find(|j| j.id == job).cloned();
    let need = done.and_then(|j| j.follow_up).expect("a follow-up");
    assert_eq!(
        need,
        FollowUpNeed {
            kind: FollowUpKind::ReturnVisit,
            reason: "Customer away; call first".into()
        }
    );
    assert_eq!(detail(&model).form, None);
}

#[test]
fn drafts_belong_to_their_job() {
    let (mut model, job) = technician_with_a_job();
    let other = model
        .replica
        .jobs()
        .find(|j| j.id != job && j.technician == model.user().map(|u| u.id))
        .map(|j| j.id)
        .expect("another job");
    go(&mut model, TechnicianEvent::OpenJob(job));
    go(&mut model, TechnicianEvent::Act(JobAction::Complete));
    go(&mut model, TechnicianEvent::CompletionDraft(draft("felt")));
    go(&mut model, TechnicianEvent::CloseJob);
    go(&mut model, TechnicianEvent::OpenJob(job));
    go(&mut model, TechnicianEvent::Act(JobAction::Complete));
    assert_eq!(completion_form(&model).0, draft("felt"), "kept on its job");
    go(&mut model, TechnicianEvent::OpenJob(other));
    assert_eq!(detail(&model).form, None);
    go(&mut model, TechnicianEvent::SubmitCompletion);
    assert_eq!(model.outbox.len(), 0, "no form open: nothing sent");
    go(&mut model, TechnicianEvent::Act(JobAction::Complete));
    assert_eq!(completion_form(&model).0, CompletionDraft::default());
}

#[test]
fn a_technician_who_also_runs_the_store_sees_only_field_steps_here() {
    let (mut model, job) = technician_with_a_job();
    let Some(mut me) = model.user().cloned() else {
        panic!("signed in")
    };
    me.roles.push(Role::Dispatcher);
    model.replica.insert(Record::User(me));
    go(&mut model, TechnicianEvent::OpenJob(job));
    let actions: Vec<JobAction> = detail(&model)
        .card
        .actions
        .iter()
        .map(|a| a.action)
        .collect();
    assert!(!actions.is_empty());
    assert!(actions.iter().all(|a| a.is_field_action()), "{actions:?}");
    // The office's steps are not taken from here.
    go(&mut model, TechnicianEvent::Act(JobAction::Cancel));
    assert_eq!(status(&model, job), Some(JobStatus::Assigned));
}

#[test]
fn phones_come_ready_to_show_and_dial() {
    let (mut model, job) = technician_with_a_job();
    go(&mut model, TechnicianEvent::OpenJob(job));
    let phones = detail(&model).customer.phones;
    assert!(!phones.is_empty());
    for p in phones {
        assert!(!p.shown.is_empty());
        assert!(p.dial.starts_with("tel:+"), "{}", p.dial);
    }
}

/// The job's customer, as the replica holds it.
fn customer_of(
    model: &Model,
    job: domain::ids::JobId,
) -> (domain::ids::CustomerId, domain::customers::Customer) {
    let customer = match model.replica.record(&RecordKey::Job(job)) {
        Some(Record::Job(j)) => j.customer,
        _ => unreachable!(),
    };
    match model.replica.record(&RecordKey::Customer(customer)) {
        Some(Record::Customer(c)) => (customer, c.clone()),
        _ => panic!("no customer"),
    }
}

/// Issue 16, item 5: a customer with no map position is put on the map from the technician's
/// phone at the door, in one tap (one op); the open job goes there too. With no position
/// known, the technician is told why nothing happened.
#[test]
fn the_technician_puts_a_customer_with_no_position_on_the_map_from_the_door() {
    use crate::effects::location::LocationResponse;
    use crate::model::fake_shell::FakeShell;
    let (mut model, job) = technician_with_a_job();
    // As if typed in the app: an address in words only.
    let (customer, mut c) = customer_of(&model, job);
    c.address.location = None;
    model.replica.insert(Record::Customer(c.clone()));
    let Some(Record::Job(mut j)) = model.replica.record(&RecordKey::Job(job)).cloned() else {
        panic!("no job");
    };
    j.service_address = c.address;
    model.replica.insert(Record::Job(j));
    on_site(&mut model, job);
    let offer = detail(&model).card.place_customer.expect("offered");
    assert_eq!(offer.customer, customer);
    assert!(
        offer.why.text.contains("no map position"),
        "{}",
        offer.why.text
    );

    // No position known: said, and nothing queued.
    let queued = model.outbox.len();
    let blind = FakeShell {
        location: LocationResponse::Unknown,
        ..FakeShell::at(t0())
    };
    blind.run(
        &mut model,
        Event::Technician(TechnicianEvent::PlaceCustomer(customer)),
    );
    assert_eq!(model.outbox.len(), queued);
    assert_eq!(
        model.notice,
        Some(Notice::Said(domain::words::Label::PositionUnknown))
    );

    go(&mut model, TechnicianEvent::PlaceCustomer(customer));
    assert_eq!(model.outbox.len(), queued + 1);
    let here = domain::places::LatLng {
        lat: 31.2,
        lng: 121.45,
    };
    match model.replica.record(&RecordKey::Customer(customer)) {
        Some(Record::Customer(c)) => assert_eq!(c.address.location, Some(here)),
        _ => panic!("no customer"),
    }
    match model.replica.record(&RecordKey::Job(job)) {
        Some(Record::Job(j)) => assert_eq!(j.service_address.location, Some(here)),
        _ => panic!("no job"),
    }
    assert!(
        detail(&model).card.place_customer.is_none(),
        "on the map now"
    );
}

/// Issue 16, item 5: a customer placed only at their district's centre (an import without
/// positions) is offered for confirmation at the door; confirmed, the flag goes.
#[test]
fn the_technician_confirms_a_position_that_is_only_the_districts_centre() {
    let (mut model, job) = technician_with_a_job();
    let (customer, mut c) = customer_of(&model, job);
    c.address.approximate = true;
    model.replica.insert(Record::Customer(c));
    on_site(&mut model, job);
    let offer = detail(&model).card.place_customer.expect("offered");
    assert!(
        offer.why.text.contains("centre of the customer's district"),
        "{}",
        offer.why.text
    );
    go(&mut model, TechnicianEvent::PlaceCustomer(customer));
    match model.replica.record(&RecordKey::Customer(customer)) {
        Some(Record::Customer(c)) => assert!(!c.address.approximate),
        _ => panic!("no customer"),
    }
    assert!(detail(&model).card.place_customer.is_none(), "confirmed");
}
