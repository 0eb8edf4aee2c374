//! Reading a job's history: its first arrival, its completion, whether it needed a second
//! visit, and the legs a technician spent travelling and on site.
//!
//! The history is read in the order it was written (the order ops were applied), which is
//! the order of the state machine. Its time stamps come from devices, whose clocks may
//! disagree: a leg that would last less than nothing is left out rather than counted as zero,
//! which would pull medians and totals towards zero for a clock's fault.

use chrono::{DateTime, Utc};

use crate::jobs::{JobStatus, StatusChange};

/// What a technician was doing between two steps of the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Leg {
    /// Set out (`EnRoute`) and arrived (`OnSite`).
    Travel,
    /// Arrived and ended the visit, finished (`Completed`) or not (`NeedsFollowUp`).
    OnSite,
}

/// One leg of a job: what it was, the step that ended it (who and when), how long it lasted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Segment<'a> {
    pub(super) leg: Leg,
    pub(super) end: &'a StatusChange,
    pub(super) minutes: u64,
}

/// The legs of a job, in the order they ended. A travel that ended otherwise than by arriving
/// (the job cancelled, or the visit given up on the way) and a visit still under way are not
/// legs: there is no arrival or no end to measure to.
pub(super) fn segments(history: &[StatusChange]) -> impl Iterator<Item = Segment<'_>> {
    history.windows(2).filter_map(|pair| {
        let [start, end] = pair else { return None };
        let leg = leg(start.to, end.to)?;
        let minutes = minutes_between(start.at, end.at)?;
        Some(Segment { leg, end, minutes })
    })
}

/// The leg that two consecutive steps close, if they close one.
fn leg(started: JobStatus, ended: JobStatus) -> Option<Leg> {
    match (started, ended) {
        (JobStatus::EnRoute, JobStatus::OnSite) => Some(Leg::Travel),
        (JobStatus::OnSite, JobStatus::Completed | JobStatus::NeedsFollowUp) => Some(Leg::OnSite),
        _ => None,
    }
}

/// Whole minutes (truncated) from `from` to `to`; `None` when `to` comes first.
pub(super) fn minutes_between(from: DateTime<Utc>, to: DateTime<Utc>) -> Option<u64> {
    if to < from {
        return None;
    }
    u64::try_from((to - from).num_minutes()).ok()
}

/// The step that completed the job. Completed is final, so there is at most one in a history
/// the state machine wrote; the last one is taken should there be more.
pub(super) fn completion(history: &[StatusChange]) -> Option<&StatusChange> {
    history.iter().rev().find(|h| h.to == JobStatus::Completed)
}

/// The first time anyone arrived on site: what the customer waited for.
pub(super) fn first_arrival(history: &[StatusChange]) -> Option<&StatusChange> {
    history.iter().find(|h| h.to == JobStatus::OnSite)
}

/// Whether a visit ended without finishing the job (parts, a return visit). The model has no
/// separate return-visit job: the same job goes to `NeedsFollowUp` and is assigned again, so
/// this one step is what marks both "not fixed the first time" and "a return visit".
pub(super) fn needed_another_visit(history: &[StatusChange]) -> bool {
    history.iter().any(|h| h.to == JobStatus::NeedsFollowUp)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::ids::UserId;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
    }

    /// A history through `steps` (status, minutes after `t0`), each step from the one before.
    fn history(steps: &[(JobStatus, i64)]) -> Vec<StatusChange> {
        let tech = UserId::from_parts(1, 1);
        let mut from = JobStatus::New;
        steps
            .iter()
            .map(|&(to, minutes)| {
                let h = StatusChange {
                    from,
                    to,
                    by: tech,
                    at: t0() + Duration::minutes(minutes),
                    location: None,
                    technician: Some(tech),
                    crew: Vec::new(),
                    note: None,
                };
                from = to;
                h
            })
            .collect()
    }

    fn legs(h: &[StatusChange]) -> Vec<(Leg, u64)> {
        segments(h).map(|s| (s.leg, s.minutes)).collect()
    }

    #[test]
    fn a_straight_visit_is_one_travel_and_one_stay() {
        use JobStatus as S;
        let h = history(&[
            (S::Assigned, 0),
            (S::EnRoute, 10),
            (S::OnSite, 40),
            (S::Completed, 100),
        ]);
        assert_eq!(legs(&h), vec![(Leg::Travel, 30), (Leg::OnSite, 60)]);
        assert_eq!(
            completion(&h).map(|c| c.at),
            Some(t0() + Duration::minutes(100))
        );
        assert_eq!(
            first_arrival(&h).map(|c| c.at),
            Some(t0() + Duration::minutes(40))
        );
        assert!(!needed_another_visit(&h));
    }

    #[test]
    fn a_second_visit_adds_its_legs_and_marks_the_job() {
        use JobStatus as S;
        let h = history(&[
            (S::Assigned, 0),
            (S::EnRoute, 10),
            (S::OnSite, 30),
            (S::NeedsFollowUp, 70),
            (S::Assigned, 80),
            (S::EnRoute, 1_000),
            (S::OnSite, 1_045),
            (S::Completed, 1_135),
        ]);
        assert_eq!(
            legs(&h),
            vec![
                (Leg::Travel, 20),
                (Leg::OnSite, 40),
                (Leg::Travel, 45),
                (Leg::OnSite, 90)
            ]
        );
        assert!(needed_another_visit(&h));
        // The customer waited until the first arrival, not the one that fixed it.
        assert_eq!(
            first_arrival(&h).map(|c| c.at),
            Some(t0() + Duration::minutes(30))
        );
    }

    #[test]
    fn travel_that_never_arrived_and_a_visit_under_way_are_not_legs() {
        use JobStatus as S;
        let cancelled = history(&[(S::Assigned, 0), (S::EnRoute, 10), (S::Cancelled, 25)]);
        assert!(legs(&cancelled).is_empty());
        assert_eq!(completion(&cancelled), None);
        let gave_up = history(&[(S::Assigned, 0), (S::EnRoute, 10), (S::NeedsFollowUp, 25)]);
        assert!(legs(&gave_up).is_empty());
        assert!(needed_another_visit(&gave_up));
        let under_way = history(&[(S::Assigned, 0), (S::EnRoute, 10), (S::OnSite, 25)]);
        assert_eq!(legs(&under_way), vec![(Leg::Travel, 15)]);
        assert_eq!(completion(&under_way), None);
    }

    #[test]
    fn a_leg_against_the_clock_is_left_out_and_seconds_are_truncated() {
        use JobStatus as S;
        let mut h = history(&[(S::EnRoute, 10), (S::OnSite, 5), (S::Completed, 60)]);
        assert_eq!(legs(&h), vec![(Leg::OnSite, 55)]);
        if let Some(last) = h.last_mut() {
            last.at += Duration::seconds(59);
        }
        assert_eq!(legs(&h), vec![(Leg::OnSite, 55)]);
        assert_eq!(minutes_between(t0(), t0()), Some(0));
        assert_eq!(minutes_between(t0(), t0() - Duration::seconds(1)), None);
    }

    #[test]
    fn an_empty_or_one_step_history_has_nothing() {
        assert!(legs(&[]).is_empty());
        let h = history(&[(JobStatus::OnSite, 0)]);
        assert!(legs(&h).is_empty());
        assert!(first_arrival(&h).is_some());
    }
}
