use chrono::Duration;

use crate::model::Model;
use crate::model::dispatch_board::DispatchProblem;
use crate::model::tests::t0;
use dispatch::*;
use domain::ids::{JobId, StoreId, UserId};
use domain::org::Role;

/// Two technicians of the model's organization, by id and name.
fn two_technicians(m: &Model) -> [(UserId, String); 2] {
    let mut techs = m
        .replica
        .users()
        .filter(|u| u.has(Role::Technician))
        .map(|u| (u.id, u.name.clone()));
    let first = techs.next().expect("a technician");
    let second = techs.next().unwrap_or_else(|| first.clone());
    [first, second]
}

fn number(m: &Model, job: JobId) -> String {
    m.replica
        .jobs()
        .find(|j| j.id == job)
        .map(domain::jobs::Job::number)
        .unwrap_or_default()
}

/// A suggestion whose one candidate has every reason, and one exclusion of each kind.
pub(super) fn suggestion(m: &Model, job: JobId) -> JobSuggestion {
    let [(a, a_name), (b, b_name)] = two_technicians(m);
    let skill = m
        .replica
        .iter()
        .find_map(|r| match r {
            domain::ops::Record::Technician(t) => t.skills.first().map(|s| s.0.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let excluded = [
        ExclusionReason::MissingSkills {
            skills: vec![skill],
        },
        ExclusionReason::PinnedToOther,
        ExclusionReason::OffThatDay,
        ExclusionReason::Away {
            kind: domain::org::AbsenceKind::Sick,
        },
        ExclusionReason::OutsideShift {
            from: t0(),
            to: t0() + Duration::hours(8),
        },
        ExclusionReason::WindowUnreachable,
        ExclusionReason::OverMaxJobs { max: 8 },
        ExclusionReason::OverCapacity,
    ]
    .into_iter()
    .map(|reason| ExcludedTechnician {
        technician: b,
        name: b_name.clone(),
        reason,
    })
    .collect();
    JobSuggestion {
        job,
        number: number(m, job),
        date: t0().date_naive(),
        candidates: vec![TechnicianOption {
            technician: a,
            name: a_name,
            rank: 1,
            arrival: t0(),
            eta: t0() + Duration::minutes(5),
            added_travel_seconds: 540,
            added_metres: 3_200,
            sla_slack_minutes: Some(-20),
            moved: vec![],
            reasons: vec![
                CandidateReason::AddedDriving {
                    metres: 3_200,
                    seconds: 540,
                },
                CandidateReason::StartsAt {
                    at: t0() + Duration::minutes(5),
                },
                CandidateReason::BeforeSla { seconds: 3_700 },
                CandidateReason::MissesSla { seconds: 1_200 },
                CandidateReason::NothingMoves,
                CandidateReason::MovesVisits {
                    count: 2,
                    most_seconds: 900,
                },
                CandidateReason::BringsForward {
                    count: 1,
                    most_seconds: 300,
                },
                CandidateReason::AlreadyAssigned,
            ],
            crew: Vec::new(),
        }],
        excluded,
    }
}

/// A proposal with a change of each kind, a break, and a job left out for each reason.
pub(super) fn proposal(m: &Model, job: JobId) -> PlanProposal {
    let [(a, a_name), (b, _)] = two_technicians(m);
    let number = number(m, job);
    let at = |h| t0() + Duration::hours(h);
    let change = |kind| PlanChange {
        job,
        number: number.clone(),
        technician: Some(a),
        planned_start: Some(at(1)),
        kind,
        crew: Vec::new(),
    };
    let unassigned = [
        UnplacedReason::NoQualifiedTechnician,
        UnplacedReason::OutsideShift,
        UnplacedReason::WindowUnreachable,
        UnplacedReason::OverMaxJobs,
        UnplacedReason::OverCapacity,
        UnplacedReason::NoRoomInPlan,
        UnplacedReason::NoPosition,
        UnplacedReason::WaitingForParts,
    ]
    .into_iter()
    .map(|reason| UnplacedJob {
        job,
        number: number.clone(),
        reason,
    })
    .collect();
    PlanProposal {
        store: StoreId(uuid::Uuid::nil()),
        date: t0().date_naive(),
        routes: vec![ProposedRoute {
            technician: a,
            name: a_name,
            visits: vec![
                ProposedVisit {
                    job: Some(job),
                    number: Some(number.clone()),
                    arrival: at(1),
                    start: at(1),
                    end: at(2),
                    fixed: false,
                    changed: true,
                },
                ProposedVisit {
                    job: None,
                    number: None,
                    arrival: at(3),
                    start: at(3),
                    end: at(4),
                    fixed: false,
                    changed: false,
                },
            ],
            travel_seconds: 1_800,
            metres: 12_000,
        }],
        changes: vec![
            change(PlanChangeKind::Assign),
            change(PlanChangeKind::Reassign { from: b }),
            change(PlanChangeKind::Retime { from: None }),
            change(PlanChangeKind::Retime { from: Some(at(2)) }),
            change(PlanChangeKind::Keep),
        ],
        unassigned,
        metres: 12_000,
        travel_seconds: 1_800,
        current_metres: 15_000,
        current_travel_seconds: 2_400,
    }
}

/// Each thing the dispatch panel can have to say instead of an answer.
pub(super) fn problems() -> Vec<DispatchProblem> {
    let day_errors = [
        DayError::DayOver,
        DayError::UnknownJob,
        DayError::JobClosed,
        DayError::JobNotOnDay,
        DayError::JobUnderway,
        DayError::JobWithoutPosition,
        DayError::JobWaitingForParts,
        DayError::Problem(vrptw::problem::ProblemError::BadLocation("home".into())),
    ];
    let mut out = vec![
        DispatchProblem::NotAllowed,
        DispatchProblem::StoreMissing,
        DispatchProblem::NoJob,
        DispatchProblem::NoStore,
        DispatchProblem::Stale,
    ];
    for why in day_errors {
        out.push(DispatchProblem::Day(why.clone()));
        out.push(DispatchProblem::NoSuggestion {
            job: "J-1".into(),
            why,
        });
    }
    out
}
