//! Store-local time for reminders: working hours, "in n days at the same time", and what a
//! snooze choice means, all in the store's IANA zone so that a reminder set for 10:00 still
//! comes at 10:00 after a daylight-saving change.
//!
//! Instants stay UTC; only the arithmetic is local. Local times that do not exist (the hour
//! skipped in spring) move forward to the first instant that does; local times that happen
//! twice (the hour repeated in autumn) take the earlier one.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono::{LocalResult, TimeZone};
use chrono_tz::Tz;
use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::org::{MinuteOfDay, Store, WeeklyHours};

/// How far ahead the next opening is searched for. A store closed for longer than this is
/// treated as always open, so a reminder is never lost to a misconfigured calendar.
const SEARCH_DAYS: u64 = 21;

/// The zone and the hours a store works in.
#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    pub tz: Tz,
    pub hours: WeeklyHours,
}

impl Calendar {
    #[must_use]
    pub fn of(store: &Store) -> Self {
        Self {
            tz: store.time_zone,
            hours: store.opening_hours.clone(),
        }
    }

    /// The instant of a local wall-clock time on a local date.
    #[must_use]
    pub fn at(&self, date: NaiveDate, minute: MinuteOfDay) -> DateTime<Utc> {
        let time =
            NaiveTime::from_num_seconds_from_midnight_opt(u32::from(minute.min(1439)) * 60, 0)
                .unwrap_or(NaiveTime::MIN);
        local_to_utc(self.tz, date.and_time(time))
    }

    #[must_use]
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// The same local wall-clock time `days` later (not `days * 24` hours: across a DST
    /// change the two differ by an hour).
    #[must_use]
    pub fn add_days(&self, at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let local = at.with_timezone(&self.tz).naive_local();
        match local.checked_add_days(Days::new(u64::from(days))) {
            Some(later) => local_to_utc(self.tz, later),
            None => at,
        }
    }

    /// The open intervals of one local date, as instants, in order.
    fn intervals(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut out: Vec<_> = self
            .hours
            .on(date.weekday())
            .filter(|h| h.start < h.end)
            .map(|h| (self.at(date, h.start), self.at(date, h.end)))
            .filter(|(s, e)| s < e)
            .collect();
        out.sort();
        out
    }

    /// `at` if the store is open then, else the next opening. Always open when no hours are
    /// configured.
    #[must_use]
    pub fn next_open(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let start = self.local_date(at);
        for d in 0..=SEARCH_DAYS {
            let Some(date) = start.checked_add_days(Days::new(d)) else {
                break;
            };
            for (s, e) in self.intervals(date) {
                if at < e {
                    return at.max(s);
                }
            }
        }
        at
    }

    /// `minutes` of working time after `from`: time outside opening hours does not count.
    /// "Contact a new lead within 2 working hours" made at 20:30 means by 11:00 the next
    /// morning for a store opening at 09:00.
    #[must_use]
    pub fn add_working_minutes(&self, from: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
        let mut left = Duration::minutes(i64::from(minutes));
        let start = self.local_date(from);
        let mut found_any = false;
        for d in 0..=(SEARCH_DAYS + u64::from(minutes / 60)) {
            let Some(date) = start.checked_add_days(Days::new(d)) else {
                break;
            };
            for (s, e) in self.intervals(date) {
                found_any = true;
                if e <= from {
                    continue;
                }
                let begin = s.max(from);
                let available = e - begin;
                if available >= left {
                    return begin + left;
                }
                left -= available;
            }
            if !found_any && d >= SEARCH_DAYS {
                break;
            }
        }
        from + Duration::minutes(i64::from(minutes))
    }

    /// The first opening on a local date or after it; the date's midnight when the store has
    /// no hours.
    #[must_use]
    pub fn opening_on(&self, date: NaiveDate) -> DateTime<Utc> {
        self.next_open(self.at(date, 0))
    }
}

/// A local wall-clock time as an instant; see the module note on gaps and overlaps.
#[must_use]
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => {
            // In a spring-forward gap: the first existing minute after it. Gaps are at most a
            // few hours in every zone of the tz database.
            for m in 1..=(24 * 60) {
                if let Some(t) = tz
                    .from_local_datetime(&(local + Duration::minutes(m)))
                    .earliest()
                {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

/// What "snooze" means, chosen by the person; the core turns it into an instant in the
/// store's zone.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum Snooze {
    /// A number of hours from now (elapsed time).
    Hours(u16),
    /// The next opening of the store on the following day.
    TomorrowMorning,
    /// The same local time a number of days later, moved into opening hours.
    Days(u16),
}

impl Snooze {
    /// The instant a follow-up snoozed at `now` comes back. Always after `now`.
    #[must_use]
    pub fn until(self, cal: &Calendar, now: DateTime<Utc>) -> DateTime<Utc> {
        let t = match self {
            Snooze::Hours(h) => now + Duration::hours(i64::from(h.max(1))),
            Snooze::TomorrowMorning => match cal.local_date(now).succ_opt() {
                Some(d) => cal.opening_on(d),
                None => now + Duration::days(1),
            },
            Snooze::Days(d) => cal.next_open(cal.add_days(now, u32::from(d.max(1)))),
        };
        t.max(now + Duration::minutes(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    fn berlin() -> Calendar {
        Calendar {
            tz: chrono_tz::Europe::Berlin,
            hours: WeeklyHours::uniform(&[1, 2, 3, 4, 5, 6], 9 * 60, 18 * 60),
        }
    }

    #[test]
    fn two_working_hours_after_closing_end_the_next_morning() {
        let cal = berlin();
        // Friday 2026-03-27 17:30 local (16:30 UTC): 30 minutes today, 90 on Saturday.
        let from = Utc.with_ymd_and_hms(2026, 3, 27, 16, 30, 0).unwrap();
        let due = cal.add_working_minutes(from, 120);
        let local = due.with_timezone(&cal.tz);
        assert_eq!(
            local.date_naive(),
            NaiveDate::from_ymd_opt(2026, 3, 28).unwrap()
        );
        assert_eq!((local.hour(), local.minute()), (10, 30));
        // Saturday 17:00 -> Sunday is closed -> Monday 30 March (now CEST) 10:00.
        let from = cal.at(NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(), 17 * 60);
        let due = cal.add_working_minutes(from, 120).with_timezone(&cal.tz);
        assert_eq!(
            due.date_naive(),
            NaiveDate::from_ymd_opt(2026, 3, 30).unwrap()
        );
        assert_eq!((due.hour(), due.minute()), (10, 0));
    }

    #[test]
    fn a_day_later_keeps_the_wall_clock_across_dst() {
        let cal = berlin();
        // Saturday 2026-03-28 10:00 CET = 09:00 UTC; Sunday 10:00 CEST = 08:00 UTC.
        let sat = Utc.with_ymd_and_hms(2026, 3, 28, 9, 0, 0).unwrap();
        assert_eq!(
            cal.add_days(sat, 1),
            Utc.with_ymd_and_hms(2026, 3, 29, 8, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_skipped_local_time_moves_forward_and_a_repeated_one_takes_the_first() {
        let tz = chrono_tz::America::New_York;
        let gap = NaiveDate::from_ymd_opt(2026, 3, 8)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(
            local_to_utc(tz, gap),
            Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap(),
            "02:30 does not exist; 03:00 EDT does"
        );
        let twice = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(
            local_to_utc(tz, twice),
            Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap()
        );
    }

    #[test]
    fn a_store_without_hours_is_always_open() {
        let cal = Calendar {
            tz: chrono_tz::Asia::Shanghai,
            hours: WeeklyHours::default(),
        };
        let from = Utc.with_ymd_and_hms(2026, 3, 28, 21, 0, 0).unwrap();
        assert_eq!(
            cal.add_working_minutes(from, 120),
            from + Duration::hours(2)
        );
        assert_eq!(cal.next_open(from), from);
    }
}
