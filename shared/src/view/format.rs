//! Wording shared by the screens: times in the user's store zone, op summaries.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::model::Model;
use domain::ops::{OpKind, Record, RecordKey};
use domain::org::Organization;
use domain::words::Table;

/// The frame every screen is drawn in: now, the local zone, the organization's settings.
pub struct Ctx<'a> {
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub org: Option<&'a Organization>,
    /// The person's language's word table.
    pub t: &'static dyn Table,
    /// Which records wait to sync or were refused.
    marks: super::record_sync::Marks,
}

impl<'a> Ctx<'a> {
    pub fn new(model: &'a Model) -> Self {
        let user = model.user();
        let tz = model.home_zone();
        let org = user.and_then(|u| match model.replica.record(&RecordKey::Org(u.org)) {
            Some(Record::Org(o)) => Some(o),
            _ => None,
        });
        let t = domain::words::table(model.language);
        Self {
            now: model.now,
            tz,
            org,
            t,
            marks: super::record_sync::Marks::of(model, t),
        }
    }

    /// Where the record stands with the server, for its badge.
    pub fn sync(&self, key: RecordKey) -> super::record_sync::RecordSync {
        self.marks.get(key)
    }

    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    /// Where today begins and ends in the store's zone, as instants: comparing instants is
    /// what the board does for every history entry of every job, and a zone conversion each
    /// time costs more than the rest of the board at a chain's size.
    pub fn today_span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        self.day_span(self.today())
    }

    /// Where a day begins and ends in the store's zone, as instants.
    pub fn day_span(&self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(self.tz).earliest())
                .map(|t| t.with_timezone(&Utc))
        };
        let from = start(day).unwrap_or(self.now);
        let to = day
            .succ_opt()
            .and_then(start)
            .unwrap_or(from + chrono::Duration::days(1));
        (from, to)
    }

    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }

    /// "14:30" today, "11-25 14:30" on other days, with the year when it is not this year.
    pub fn when(&self, t: DateTime<Utc>) -> String {
        let local = t.with_timezone(&self.tz);
        let today = self.today();
        if local.date_naive() == today {
            local.format("%H:%M").to_string()
        } else if local.format("%Y").to_string() == today.format("%Y").to_string() {
            local.format("%m-%d %H:%M").to_string()
        } else {
            local.format("%Y-%m-%d %H:%M").to_string()
        }
    }

    pub fn date(&self, d: NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }

    pub fn sla_risk_minutes(&self) -> i64 {
        self.org
            .map_or(240, |o| i64::from(o.settings.sla_risk_minutes))
    }
}

/// A change in a few words, for the list of refused changes.
pub fn op_summary(ctx: &Ctx, kind: &OpKind) -> String {
    ctx.t.op_summary(kind)
}
