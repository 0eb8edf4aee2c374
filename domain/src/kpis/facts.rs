//! Records turned into facts: what happened, to which store and person, on which local day.
//! A fact is placed by the step that closes it (a job's completion, a leg's end, a follow-up
//! done, a lead closed), read in its store's zone.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::history::{self, Leg};
use crate::customers::{Asset, Customer};
use crate::followups::{FollowUp, FollowUpStatus};
use crate::ids::{AssetId, CustomerId, StoreId, UserId};
use crate::jobs::{Job, JobStatus};
use crate::leads::{Lead, LeadSource, Stage};
use crate::purchases::Purchase;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fact {
    Completed {
        first_time: bool,
        within_sla: bool,
    },
    /// The first arrival; no minutes when it is stamped before the job was made.
    Arrived {
        response_minutes: Option<i64>,
    },
    Travelled {
        minutes: u64,
    },
    OnSite {
        minutes: u64,
    },
    FollowUpDone {
        on_time: bool,
    },
    /// No cycle for a lost lead, or a win stamped before the lead was made.
    LeadClosed {
        source: LeadSource,
        won: bool,
        cycle_days: Option<i64>,
    },
}

/// A fact with where, who and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Placed {
    pub(super) store: StoreId,
    pub(super) who: Option<UserId>,
    /// The local day, in the store's zone, of the step that closes the fact.
    pub(super) day: NaiveDate,
    pub(super) fact: Fact,
}

/// The local date of `at` in `zone`. Not `with_timezone`, which panics when the local time
/// falls past the calendar's ends (a time stamp of the last UTC day, read east of UTC); there
/// the UTC date is as good as any.
pub(super) fn local_day(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    let utc = at.naive_utc();
    let offset = zone.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset).unwrap_or(utc).date()
}

/// The facts of one job: its completion, its first arrival, its legs. Cancelled jobs are
/// never completed; the arrival and the legs they had before the cancellation still count,
/// since the customer waited and the technician travelled and worked.
pub(super) fn of_job(job: &Job, zone: Tz) -> Vec<Placed> {
    let placed = |at: DateTime<Utc>, who: Option<UserId>, fact: Fact| Placed {
        store: job.store,
        who,
        day: local_day(at, zone),
        fact,
    };
    let mut out = Vec::new();
    if job.status == JobStatus::Completed
        && let Some(done) = history::completion(&job.history)
    {
        let fact = Fact::Completed {
            first_time: !history::needed_another_visit(&job.history),
            within_sla: done.at <= job.sla_deadline,
        };
        out.push(placed(done.at, done.technician, fact));
    }
    if let Some(arrival) = history::first_arrival(&job.history) {
        let response_minutes = history::minutes_between(job.created_at, arrival.at)
            .and_then(|m| i64::try_from(m).ok());
        let fact = Fact::Arrived { response_minutes };
        out.push(placed(arrival.at, arrival.technician, fact));
    }
    for s in history::segments(&job.history) {
        let fact = match s.leg {
            Leg::Travel => Fact::Travelled { minutes: s.minutes },
            Leg::OnSite => Fact::OnSite { minutes: s.minutes },
        };
        out.push(placed(s.end.at, s.end.technician, fact));
    }
    out
}

/// A follow-up done, placed on the day it was done. On time means done by the end of the
/// local day it was due, as the rep's pipeline counts it; a snooze does not move the day.
pub(super) fn of_follow_up(f: &FollowUp, zone: Tz) -> Option<Placed> {
    let FollowUpStatus::Done { at } = f.status else {
        return None;
    };
    let day = local_day(at, zone);
    Some(Placed {
        store: f.store,
        who: Some(f.owner),
        day,
        fact: Fact::FollowUpDone {
            on_time: day <= local_day(f.due_at, zone),
        },
    })
}

/// A lead won or lost, placed on the day it closed, counted for its owner.
pub(super) fn of_lead(l: &Lead, zone: Tz) -> Option<Placed> {
    if l.stage.is_open() {
        return None;
    }
    let closed_at = closed_at(l);
    let won = l.stage == Stage::Won;
    let cycle_days =
        (won && closed_at >= l.created_at).then(|| (closed_at - l.created_at).num_days());
    Some(Placed {
        store: l.store,
        who: Some(l.owner),
        day: local_day(closed_at, zone),
        fact: Fact::LeadClosed {
            source: l.source,
            won,
            cycle_days,
        },
    })
}

/// When the lead reached its final stage: the step in its history, else (leads stored without
/// one) the time its stage last changed.
fn closed_at(l: &Lead) -> DateTime<Utc> {
    l.history
        .iter()
        .rev()
        .find(|h| h.to == l.stage)
        .map_or(l.stage_changed_at, |h| h.at)
}

/// One purchase as the repeat-purchase rate sees it: who bought, where, on which local day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Sale {
    pub(super) store: StoreId,
    pub(super) customer: CustomerId,
    pub(super) on: NaiveDate,
}

/// Every purchase, as `purchases::history` counts them: the purchase records, and each asset
/// no purchase record of its customer names (bought before purchases were records), sold by
/// the customer's store. An asset whose customer is unknown cannot be placed and is left out.
pub(super) fn sales(
    purchases: &[&Purchase],
    assets: &[&Asset],
    customers: &BTreeMap<CustomerId, &Customer>,
) -> Vec<Sale> {
    let named: BTreeSet<(CustomerId, AssetId)> = purchases
        .iter()
        .flat_map(|p| p.items.iter().filter_map(|i| Some((p.customer, i.asset?))))
        .collect();
    let recorded = purchases.iter().map(|p| Sale {
        store: p.store,
        customer: p.customer,
        on: p.on,
    });
    let legacy = assets
        .iter()
        .filter(|a| !named.contains(&(a.customer, a.id)))
        .filter_map(|a| {
            Some(Sale {
                store: customers.get(&a.customer)?.store,
                customer: a.customer,
                on: a.purchase_date,
            })
        });
    recorded.chain(legacy).collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_day_is_read_in_the_zone_with_its_daylight_saving() {
        let ny = Tz::America__New_York;
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        // 23:30 in New York on the eve of the change (UTC-5) and on its day (UTC-4).
        let before = Utc.with_ymd_and_hms(2026, 3, 8, 4, 30, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 9, 3, 30, 0).unwrap();
        assert_eq!(local_day(before, ny), day(7));
        assert_eq!(local_day(after, ny), day(8));
        assert_eq!(local_day(after, Tz::Asia__Shanghai), day(9));
        assert_eq!(local_day(after, Tz::UTC), day(9));
    }

    #[test]
    fn the_ends_of_the_calendar_read_as_their_utc_day() {
        let last = DateTime::<Utc>::MAX_UTC;
        assert_eq!(local_day(last, Tz::Asia__Shanghai), last.date_naive());
        let first = DateTime::<Utc>::MIN_UTC;
        assert_eq!(local_day(first, Tz::America__New_York), first.date_naive());
    }
}
