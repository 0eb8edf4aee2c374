//! A technician's day in order, with arrival estimates the phone can compute offline.

use chrono::{DateTime, Duration, Utc};

use super::{Job, JobStatus};
use crate::places::LatLng;

/// Straight-line distance times a detour factor at city driving speed: good enough for an
/// ETA on a phone with no signal. Dispatch uses its own, richer travel model.
#[must_use]
pub fn travel_minutes(from: LatLng, to: LatLng) -> i64 {
    const DETOUR: f64 = 1.4;
    const KM_PER_HOUR: f64 = 22.0;
    let km = from.distance_m(&to) / 1000.0 * DETOUR;
    (km / KM_PER_HOUR * 60.0).ceil() as i64
}

/// Arrival estimates for jobs already in visiting order, starting from `position` at `now`.
#[must_use]
pub fn etas(now: DateTime<Utc>, position: Option<LatLng>, jobs: &[&Job]) -> Vec<DateTime<Utc>> {
    let mut at = now;
    let mut here = position;
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        let arrival = if job.status == JobStatus::OnSite {
            job.history
                .iter()
                .rev()
                .find(|h| h.to == JobStatus::OnSite)
                .map_or(now, |h| h.at)
        } else {
            let travel = match (here, job.service_address.location) {
                (Some(a), Some(b)) => travel_minutes(a, b),
                _ => 20,
            };
            let earliest = job
                .windows
                .iter()
                .map(|w| w.start)
                .filter(|s| *s >= at)
                .min();
            let reach = at + Duration::minutes(travel);
            earliest.map_or(reach, |s| s.max(reach))
        };
        out.push(arrival);
        at = arrival.max(now) + Duration::minutes(i64::from(job.estimated_minutes));
        here = job.service_address.location.or(here);
    }
    out
}
