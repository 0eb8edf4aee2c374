//! The new-job form: what is typed is read by the core, and survives every refusal.

use proptest::prelude::*;

use super::*;
use crate::model::fake_shell::drive;
use crate::model::tests::{signed_in, t0, user_with};
use crate::model::{DispatcherEvent, Lang};
use crate::view::{DispatcherScreen, Screen, ViewModel};
use domain::org::Role;

proptest! {
    #[test]
    fn minutes_never_panic_and_only_5_to_1440_pass(typed in any::<String>()) {
        if let Some(n) = parse_minutes(&typed) {
            prop_assert!(MINUTES.contains(&n), "{typed:?} gave {n}");
        }
    }

    #[test]
    fn every_number_reads_as_itself_when_in_range(n in any::<i64>()) {
        let expected = u32::try_from(n).ok().filter(|n| MINUTES.contains(n));
        prop_assert_eq!(parse_minutes(&n.to_string()), expected);
    }

    #[test]
    fn times_and_days_never_panic(typed in any::<String>()) {
        let _ = (parse_clock(&typed), parse_day(&typed));
    }
}

#[test]
fn minutes_as_people_type_them() {
    for (typed, read) in [
        ("60", Some(60)),
        (" 90 ", Some(90)),
        ("５", Some(5)),
        ("1440", Some(1440)),
        ("-30", None),
        ("abc", None),
        ("", None),
        ("4", None),
        ("1441", None),
        ("1.5", None),
        ("99999999999999999999", None),
    ] {
        assert_eq!(parse_minutes(typed), read, "{typed:?}");
    }
    assert_eq!(parse_clock("9:30"), NaiveTime::from_hms_opt(9, 30, 0));
    assert_eq!(parse_clock("１７：００"), NaiveTime::from_hms_opt(17, 0, 0));
    assert_eq!(parse_clock("25:00"), None);
}

fn dispatcher() -> Model {
    signed_in(user_with(Role::Dispatcher))
}

fn customer(model: &Model) -> CustomerId {
    let me = model.user().unwrap().clone();
    model
        .replica
        .customers()
        .find(|c| me.manages_store(c.store) && c.merged_into.is_none())
        .unwrap()
        .id
}

fn send(model: &mut Model, e: JobFormEvent) {
    drive(model, Event::Dispatcher(DispatcherEvent::JobForm(e)), t0());
}

/// Types the draft into the form, field by field.
fn type_in(model: &mut Model, draft: &JobDraft) {
    for e in draft.typed_over(&model.job_form.draft.clone()) {
        send(model, e);
    }
}

fn form_view(model: &Model) -> crate::view::job_form::NewJobView {
    match ViewModel::from(model).screen {
        Screen::Dispatcher(DispatcherScreen::Board(b)) => b.job_form,
        other => panic!("not the board: {other:?}"),
    }
}

fn jobs(model: &Model) -> usize {
    model.replica.jobs().count()
}

#[test]
fn minutes_that_do_not_read_keep_the_draft_and_name_the_field() {
    let mut model = dispatcher();
    let long = "说明".repeat(1_500);
    for minutes in ["-30", "abc", ""] {
        let draft = JobDraft {
            customer: Some(customer(&model)),
            minutes: minutes.into(),
            description: long.clone(),
            ..JobDraft::default()
        };
        type_in(&mut model, &draft);
        let (before, pending) = (jobs(&model), model.outbox.len());
        send(&mut model, JobFormEvent::Create);
        assert_eq!((jobs(&model), model.outbox.len()), (before, pending));
        assert_eq!(model.job_form.draft, draft, "nothing typed is lost");
        let view = form_view(&model);
        assert_eq!(view.draft, draft);
        assert_eq!(view.error_field, Some(JobField::Minutes));
        assert_eq!(
            view.error.unwrap().text,
            "Give the visit's length in minutes, from 5 to 1440."
        );
        model.language = Lang::SimplifiedChinese;
        assert!(form_view(&model).error.unwrap().contains("分钟"));
        model.language = Lang::English;
    }
    // Fixing the field clears what was said about it.
    send(&mut model, JobFormEvent::Set(JobEdit::Minutes("45".into())));
    assert_eq!(form_view(&model).error, None);
}

#[test]
fn a_job_refused_by_apply_keeps_its_long_description_and_the_reason() {
    let mut model = dispatcher();
    // One character over the 4,000 `apply` takes.
    let description = "x".repeat(4_001);
    let draft = JobDraft {
        customer: Some(customer(&model)),
        description,
        ..JobDraft::default()
    };
    type_in(&mut model, &draft);
    let before = jobs(&model);
    send(&mut model, JobFormEvent::Create);
    assert_eq!(jobs(&model), before, "refused");
    assert_eq!(model.job_form.draft, draft);
    assert_eq!(model.job_form.saving, None);
    assert_eq!(model.notice, None, "said on the form, not as a notice");
    let view = form_view(&model);
    assert_eq!(view.error_field, Some(JobField::Description));
    assert!(view.error.is_some());
    assert!(view.can_create, "may try again");
}

#[test]
fn a_job_is_made_from_the_typed_window_in_the_store_zone_and_the_form_empties() {
    let mut model = dispatcher();
    let customer = customer(&model);
    let draft = JobDraft {
        customer: Some(customer),
        minutes: "９０".into(),
        description: "Pedal squeaks".into(),
        window_day: "2026-11-24".into(),
        window_from: "10:00".into(),
        window_to: "12:30".into(),
        ..JobDraft::default()
    };
    type_in(&mut model, &draft);
    send(&mut model, JobFormEvent::Create);
    assert_eq!(model.job_form, JobForm::default(), "emptied once applied");
    let job = model
        .replica
        .jobs()
        .find(|j| j.description == "Pedal squeaks")
        .expect("created");
    assert_eq!(job.estimated_minutes, 90);
    let Some(Record::Store(shop)) = model.replica.record(&RecordKey::Store(job.store)) else {
        panic!("no store");
    };
    let local = |h, m| {
        shop.time_zone
            .with_ymd_and_hms(2026, 11, 24, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(
        job.windows,
        vec![TimeWindow {
            start: local(10, 0),
            end: local(12, 30)
        }]
    );
}

#[test]
fn windows_that_do_not_read_are_refused_on_the_field() {
    let mut model = dispatcher();
    let cases = [
        ("", "10:00", "", JobField::WindowTo, "Give both"),
        ("2026-13-01", "10:00", "11:00", JobField::WindowDay, "day"),
        ("", "10:00", "later", JobField::WindowTo, "end"),
        ("", "11:00", "10:00", JobField::WindowTo, "end after"),
    ];
    for (day, from, to, field, words) in cases {
        let draft = JobDraft {
            customer: Some(customer(&model)),
            window_day: day.into(),
            window_from: from.into(),
            window_to: to.into(),
            ..JobDraft::default()
        };
        type_in(&mut model, &draft);
        send(&mut model, JobFormEvent::Create);
        let view = form_view(&model);
        assert_eq!(view.draft, draft);
        assert_eq!(view.error_field, Some(field), "{draft:?}");
        assert!(view.error.unwrap().contains(words), "{draft:?}");
    }
    // No customer yet: said, and nothing else is lost.
    send(&mut model, JobFormEvent::Clear);
    send(&mut model, JobFormEvent::Create);
    assert_eq!(form_view(&model).error_field, Some(JobField::Customer));
}
