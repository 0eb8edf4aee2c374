//! Travel times for dispatch: where they come from (an OSRM-compatible road router when one
//! is configured, great-circle estimates otherwise). The engine is `vrptw`.

pub mod osrm;

use std::time::Duration;

use vrptw::{Haversine, Leg, Location, Matrix, TravelTimes};

use osrm::{Osrm, OsrmError, Prefetched};

/// The travel-time source of the running server.
pub enum Travel {
    Haversine(Haversine),
    Osrm(Osrm),
}

impl Travel {
    /// OSRM at `url` when given, else great-circle distance with the default detour and speeds.
    pub fn new(osrm_url: Option<&str>, timeout: Duration) -> Result<Self, OsrmError> {
        Ok(match osrm_url {
            Some(url) => Travel::Osrm(Osrm::new(url, timeout, Haversine::default())?),
            None => Travel::Haversine(Haversine::default()),
        })
    }

    /// Travel times for one request over `places`: the road matrix is fetched (or read from
    /// the cache) here, before the synchronous solver runs.
    pub async fn for_places(&self, places: &[Location], depart_at: i64) -> DayTravel {
        match self {
            Travel::Haversine(h) => DayTravel::Haversine(h.clone()),
            Travel::Osrm(o) => {
                let mut unique: Vec<Location> = Vec::with_capacity(places.len());
                for p in places {
                    if !unique.iter().any(|u| u == p) {
                        unique.push(*p);
                    }
                }
                DayTravel::Prefetched(o.prefetch(&unique, depart_at).await)
            }
        }
    }
}

/// Travel times for one request, owned so that they can move into a blocking task.
pub enum DayTravel {
    Haversine(Haversine),
    Prefetched(Prefetched),
}

impl TravelTimes for DayTravel {
    fn leg(&self, from: Location, to: Location, depart_at: i64) -> Leg {
        match self {
            DayTravel::Haversine(h) => h.leg(from, to, depart_at),
            DayTravel::Prefetched(p) => p.leg(from, to, depart_at),
        }
    }

    fn matrix(&self, places: &[Location], depart_at: i64) -> Matrix {
        match self {
            DayTravel::Haversine(h) => h.matrix(places, depart_at),
            DayTravel::Prefetched(p) => p.matrix(places, depart_at),
        }
    }
}
