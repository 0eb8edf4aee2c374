use domain::org::Role;

use super::*;
use crate::model::DispatcherEvent;
use crate::model::fake_shell::drive;
use crate::model::tests::{signed_in, t0, user_with};
use crate::view::dispatcher::BoardView;
use crate::view::{DispatcherScreen, Screen, ViewModel};

fn board(m: &Model) -> BoardView {
    match ViewModel::from(m).screen {
        Screen::Dispatcher(DispatcherScreen::Board(b)) => b,
        other => panic!("not the board: {other:?}"),
    }
}

fn send(m: &mut Model, e: AbsenceEvent) {
    drive(m, Event::Dispatcher(DispatcherEvent::Absence(e)), t0());
}

/// Issue 14: marking a technician sick for the day shown records it and opens the re-plan,
/// their jobs given to others; nothing moves before Accept. Days that do not read are said on
/// the form; "back at work" takes it back.
#[test]
fn a_technician_marked_sick_has_their_day_planned_for_others() {
    let mut m = signed_in(user_with(Role::Dispatcher));
    let b = board(&m);
    let tech = b
        .technicians
        .iter()
        .find(|t| {
            t.jobs
                .iter()
                .any(|j| j.status == domain::jobs::JobStatus::Assigned)
        })
        .expect("a technician with work today")
        .clone();
    // A colleague who can do what they do (in the demo each has skills of their own; the
    // plan would otherwise say, rightly, that nobody working has the skills).
    let colleague = b
        .technicians
        .iter()
        .find(|t| t.id != tech.id)
        .expect("a colleague")
        .id;
    let key = |u| domain::ops::RecordKey::Technician(u);
    let Some(domain::ops::Record::Technician(theirs)) = m.replica.record(&key(tech.id)).cloned()
    else {
        panic!("a profile")
    };
    let Some(domain::ops::Record::Technician(mut other)) =
        m.replica.record(&key(colleague)).cloned()
    else {
        panic!("a profile")
    };
    other.skills.extend(theirs.skills);
    other.max_jobs_per_day = 20;
    m.replica.insert(domain::ops::Record::Technician(other));
    assert_eq!(tech.away, None);

    send(&mut m, AbsenceEvent::Open(tech.id));
    send(&mut m, AbsenceEvent::To("someday".into()));
    send(&mut m, AbsenceEvent::Save);
    let form = board(&m).absence.expect("the form stays");
    assert_eq!(form.to, "someday", "what was typed stays");
    assert_eq!(
        form.error.expect("said").text,
        "Give the first and the last day away."
    );
    assert!(
        !m.outbox
            .ops()
            .any(|o| matches!(o.kind, OpKind::RecordAbsence { .. })),
        "nothing recorded"
    );

    let day = board(&m).day;
    send(&mut m, AbsenceEvent::To(day.clone()));
    send(&mut m, AbsenceEvent::Save);
    let b = board(&m);
    assert!(b.absence.is_none(), "recorded: the form closes");
    let away = b.technicians.iter().find(|t| t.id == tech.id).unwrap();
    assert_eq!(
        away.away.as_ref().map(|w| w.text.as_str()),
        Some("off sick")
    );
    let plan = b.dispatch.plan.expect("the re-plan opens at once");
    // Each of their jobs not under way goes to someone else, or is said to be left out.
    let theirs: Vec<_> = tech
        .jobs
        .iter()
        .filter(|j| j.status == domain::jobs::JobStatus::Assigned)
        .map(|j| j.number.clone())
        .collect();
    assert!(!theirs.is_empty());
    let routes: Vec<(String, Vec<String>)> = plan
        .routes
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                r.stops.iter().filter_map(|s| s.number.clone()).collect(),
            )
        })
        .collect();
    let unplaced: Vec<String> = plan.unassigned.iter().map(|u| format!("{u:?}")).collect();
    for number in &theirs {
        let elsewhere = routes
            .iter()
            .any(|(who, stops)| *who != tech.name && stops.contains(number));
        let said = unplaced.iter().any(|u| u.contains(number.as_str()));
        assert!(elsewhere || said, "{number}: {routes:?} {unplaced:?}");
        assert!(
            !routes
                .iter()
                .any(|(who, stops)| *who == tech.name && stops.contains(number)),
            "not with the one away"
        );
    }
    assert!(
        plan.changes
            .iter()
            .any(|c| theirs.iter().any(|n| c.text.text.contains(n.as_str()))),
        "at least one of their jobs moves: {unplaced:?}"
    );
    // Nothing moved yet: the jobs are still theirs until the plan is accepted.
    assert_eq!(
        board(&m)
            .technicians
            .iter()
            .find(|t| t.id == tech.id)
            .unwrap()
            .jobs
            .len(),
        tech.jobs.len()
    );

    send(&mut m, AbsenceEvent::Back(tech.id));
    let back = board(&m);
    assert_eq!(
        back.technicians
            .iter()
            .find(|t| t.id == tech.id)
            .unwrap()
            .away,
        None
    );
}
