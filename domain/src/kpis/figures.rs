//! The figures of one group (a store's week, a person's week, a store's period...): counts
//! that add up across groups, and medians computed from the group's own values.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::facts::Fact;
use crate::ids::UserId;
use crate::leads::LeadSource;

/// A rate kept as its two counts. Totals add the counts and derive the rate again: an
/// average of weekly rates would weigh a quiet week like a busy one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rate {
    pub num: u64,
    pub den: u64,
}

impl Rate {
    #[must_use]
    pub fn new(num: impl Into<u64>, den: impl Into<u64>) -> Self {
        Self {
            num: num.into(),
            den: den.into(),
        }
    }

    /// `num / den`; `None` when nothing was counted.
    #[must_use]
    #[expect(
        clippy::cast_precision_loss,
        reason = "counts of events are far below 2^52, where f64 is still exact"
    )]
    pub fn value(self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 / self.den as f64)
    }

    /// `num / den` in thousandths, rounded half up; `None` when nothing was counted.
    #[must_use]
    pub fn per_mille(self) -> Option<u64> {
        if self.den == 0 {
            return None;
        }
        let (num, den) = (u128::from(self.num), u128::from(self.den));
        u64::try_from((num * 1_000 + den / 2) / den).ok()
    }
}

/// The median of a group's values, kept as the two middle values (the same one twice for an
/// odd count), so that it stays exact in whole units and needs no list once computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Median {
    /// How many values it is the median of.
    pub count: u32,
    /// The lower and upper middle values; `None` when there were none.
    pub middle: Option<(i64, i64)>,
}

impl Median {
    #[must_use]
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        let count = u32::try_from(values.len()).unwrap_or(u32::MAX);
        let half = values.len() / 2;
        let middle = if values.len() % 2 == 1 {
            values.get(half).map(|v| (*v, *v))
        } else {
            half.checked_sub(1)
                .and_then(|lower| Some((*values.get(lower)?, *values.get(half)?)))
        };
        Self { count, middle }
    }

    /// The median: the middle value, or halfway between the two middle ones.
    #[must_use]
    #[expect(
        clippy::cast_precision_loss,
        reason = "minutes and days are far below 2^52, where f64 is still exact"
    )]
    pub fn value(&self) -> Option<f64> {
        self.middle
            .map(|(lower, upper)| (lower as f64 + upper as f64) / 2.0)
    }
}

/// Leads of one source closed in the group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeadFigures {
    /// Won or lost.
    pub closed: u32,
    pub won: u32,
    /// Whole days from creation to the win, over the won leads.
    pub cycle_days: Median,
}

impl LeadFigures {
    /// Won of closed.
    #[must_use]
    pub fn conversion(&self) -> Rate {
        Rate::new(self.won, self.closed)
    }
}

/// The figures of one group. Every field but the medians is a count, and a total's count is
/// the sum of its parts' (a store's weeks, a person's weeks); `working_days` counts distinct
/// days, so the organization's is not the sum of its stores' (see [`super::Kpis::org`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Jobs completed.
    pub completed: u32,
    /// ... of which without a visit that ended unfinished.
    pub first_time_fixes: u32,
    /// ... of which completed by their SLA deadline.
    pub within_sla: u32,
    /// Distinct (technician, local day) pairs with at least one completion.
    pub working_days: u32,
    /// Minutes from a job's creation to its first arrival, over the jobs first reached.
    pub response_minutes: Median,
    /// Minutes from setting out to arriving.
    pub travel_minutes: u64,
    /// Minutes from arriving to ending the visit (finished or not).
    pub on_site_minutes: u64,
    /// Follow-ups done.
    pub follow_ups_done: u32,
    /// ... of which by the end of the local day they were due.
    pub follow_ups_on_time: u32,
    /// Leads closed, by source; a source with no closed lead is absent.
    pub leads: BTreeMap<LeadSource, LeadFigures>,
}

impl Figures {
    /// First-time fixes of completed jobs.
    #[must_use]
    pub fn first_time_fix(&self) -> Rate {
        Rate::new(self.first_time_fixes, self.completed)
    }

    /// Jobs completed within their SLA, of the completed jobs (every job has a deadline:
    /// it is set when the job is made).
    #[must_use]
    pub fn sla_compliance(&self) -> Rate {
        Rate::new(self.within_sla, self.completed)
    }

    /// Completed jobs per working day (`value`; not a proportion, so not per mille).
    #[must_use]
    pub fn jobs_per_day(&self) -> Rate {
        Rate::new(self.completed, self.working_days)
    }

    /// Travel's share of the time spent travelling and on site.
    #[must_use]
    pub fn travel_share(&self) -> Rate {
        Rate::new(
            self.travel_minutes,
            self.travel_minutes.saturating_add(self.on_site_minutes),
        )
    }

    /// Follow-ups done on time, of those done.
    #[must_use]
    pub fn follow_up_on_time(&self) -> Rate {
        Rate::new(self.follow_ups_on_time, self.follow_ups_done)
    }

    /// The figures of one lead source (zeros when none of its leads closed).
    #[must_use]
    pub fn lead_source(&self, source: LeadSource) -> LeadFigures {
        self.leads.get(&source).copied().unwrap_or_default()
    }
}

/// A group's facts while they are gathered: what its medians and distinct days need.
#[derive(Debug, Default)]
pub(super) struct Tally {
    completed: u32,
    first_time_fixes: u32,
    within_sla: u32,
    days: BTreeSet<(Option<UserId>, NaiveDate)>,
    response: Vec<i64>,
    travel: u64,
    on_site: u64,
    follow_ups_done: u32,
    follow_ups_on_time: u32,
    leads: BTreeMap<LeadSource, LeadTally>,
}

#[derive(Debug, Default)]
struct LeadTally {
    closed: u32,
    won: u32,
    cycle_days: Vec<i64>,
}

/// Counting one more; saturating, since no input may make the figures panic.
fn inc(n: &mut u32, yes: bool) {
    if yes {
        *n = n.saturating_add(1);
    }
}

impl Tally {
    /// Counts one fact of `who` on the local `day`.
    pub(super) fn add(&mut self, fact: &Fact, who: Option<UserId>, day: NaiveDate) {
        match *fact {
            Fact::Completed {
                first_time,
                within_sla,
            } => {
                inc(&mut self.completed, true);
                inc(&mut self.first_time_fixes, first_time);
                inc(&mut self.within_sla, within_sla);
                self.days.insert((who, day));
            }
            Fact::Arrived { response_minutes } => {
                self.response.extend(response_minutes);
            }
            Fact::Travelled { minutes } => self.travel = self.travel.saturating_add(minutes),
            Fact::OnSite { minutes } => self.on_site = self.on_site.saturating_add(minutes),
            Fact::FollowUpDone { on_time } => {
                inc(&mut self.follow_ups_done, true);
                inc(&mut self.follow_ups_on_time, on_time);
            }
            Fact::LeadClosed {
                source,
                won,
                cycle_days,
            } => {
                let l = self.leads.entry(source).or_default();
                inc(&mut l.closed, true);
                inc(&mut l.won, won);
                l.cycle_days.extend(cycle_days);
            }
        }
    }

    pub(super) fn finish(self) -> Figures {
        Figures {
            completed: self.completed,
            first_time_fixes: self.first_time_fixes,
            within_sla: self.within_sla,
            working_days: u32::try_from(self.days.len()).unwrap_or(u32::MAX),
            response_minutes: Median::of(self.response),
            travel_minutes: self.travel,
            on_site_minutes: self.on_site,
            follow_ups_done: self.follow_ups_done,
            follow_ups_on_time: self.follow_ups_on_time,
            leads: self
                .leads
                .into_iter()
                .map(|(source, l)| {
                    let figures = LeadFigures {
                        closed: l.closed,
                        won: l.won,
                        cycle_days: Median::of(l.cycle_days),
                    };
                    (source, figures)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_and_never_divide_by_zero() {
        assert_eq!(Rate::new(5u32, 6u32).per_mille(), Some(833));
        assert_eq!(Rate::new(2u32, 3u32).per_mille(), Some(667));
        assert_eq!(Rate::new(1u32, 8u32).per_mille(), Some(125));
        assert_eq!(Rate::new(1u32, 2000u32).per_mille(), Some(1));
        assert_eq!(Rate::new(0u32, 0u32).per_mille(), None);
        assert_eq!(Rate::new(3u32, 0u32).value(), None);
        assert_eq!(Rate::new(u64::MAX, u64::MAX).per_mille(), Some(1_000));
        assert_eq!(Rate::new(u64::MAX, 1u64).per_mille(), None);
        assert_eq!(Rate::new(7u32, 2u32).value(), Some(3.5));
    }

    #[test]
    fn the_median_is_the_middle_or_halfway_between_the_two_middles() {
        assert_eq!(Median::of(vec![]).value(), None);
        assert_eq!(Median::of(vec![]).count, 0);
        assert_eq!(Median::of(vec![7]).middle, Some((7, 7)));
        assert_eq!(
            Median::of(vec![1_520, 90, 60, 1_180]).middle,
            Some((90, 1_180))
        );
        assert_eq!(Median::of(vec![1_520, 90, 60, 1_180]).value(), Some(635.0));
        assert_eq!(Median::of(vec![3, 1, 2]).value(), Some(2.0));
        assert_eq!(Median::of(vec![1, 2]).value(), Some(1.5));
        assert_eq!(
            Median::of(vec![i64::MAX, i64::MAX]).value(),
            Some(9_223_372_036_854_775_807.0)
        );
    }
}
