//! Travel times and distances between places. The solver only sees integer matrices (seconds,
//! metres); where they come from is behind [`TravelTimes`]: great-circle distance here, a road
//! router on the server.

use geo::{Distance, Haversine as GeoHaversine, Point};
use serde::{Deserialize, Serialize};

/// WGS84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

impl Location {
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }
}

/// One trip between two places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    pub seconds: i64,
    pub metres: i64,
}

/// Square row-major matrices over a list of places; asymmetric allowed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub size: usize,
    pub seconds: Vec<i64>,
    pub metres: Vec<i64>,
}

impl Matrix {
    pub fn leg(&self, from: usize, to: usize) -> Leg {
        let i = from * self.size + to;
        Leg {
            seconds: self.seconds[i],
            metres: self.metres[i],
        }
    }
}

pub trait TravelTimes {
    /// Leg leaving `from` at `depart_at` (seconds since the day's midnight).
    fn leg(&self, from: Location, to: Location, depart_at: i64) -> Leg;

    /// All legs between `places`; implementations with a batch service override this.
    fn matrix(&self, places: &[Location], depart_at: i64) -> Matrix {
        let size = places.len();
        let mut seconds = Vec::with_capacity(size * size);
        let mut metres = Vec::with_capacity(size * size);
        for &a in places {
            for &b in places {
                let leg = self.leg(a, b, depart_at);
                seconds.push(leg.seconds);
                metres.push(leg.metres);
            }
        }
        Matrix {
            size,
            seconds,
            metres,
        }
    }
}

/// Speed by time of day: `(from second of day, metres per second)` steps, sorted; before the
/// first step the first speed applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedProfile {
    pub steps: Vec<(i64, f64)>,
}

impl SpeedProfile {
    pub fn constant(metres_per_second: f64) -> Self {
        Self {
            steps: vec![(0, metres_per_second)],
        }
    }

    /// Slower in the morning and evening rush hours of a typical city.
    pub fn city() -> Self {
        let kmh = |v: f64| v / 3.6;
        Self {
            steps: vec![
                (0, kmh(35.0)),
                (7 * 3600, kmh(18.0)),
                (10 * 3600, kmh(25.0)),
                (17 * 3600, kmh(17.0)),
                (20 * 3600, kmh(30.0)),
            ],
        }
    }

    pub fn at(&self, second_of_day: i64) -> f64 {
        let t = second_of_day.rem_euclid(86_400);
        let mut speed = self.steps.first().map_or(10.0, |s| s.1);
        for &(from, v) in &self.steps {
            if from <= t {
                speed = v;
            }
        }
        if speed.is_finite() && speed > 0.1 {
            speed
        } else {
            0.1
        }
    }
}

/// Great-circle distance stretched by a road-detour factor, driven at the profile's speed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Haversine {
    pub detour: f64,
    pub speed: SpeedProfile,
}

impl Default for Haversine {
    fn default() -> Self {
        Self {
            detour: 1.3,
            speed: SpeedProfile::city(),
        }
    }
}

impl TravelTimes for Haversine {
    fn leg(&self, from: Location, to: Location, depart_at: i64) -> Leg {
        let metres = GeoHaversine
            .distance(Point::new(from.lon, from.lat), Point::new(to.lon, to.lat))
            * self.detour.max(1.0);
        let seconds = metres / self.speed.at(depart_at);
        Leg {
            seconds: seconds.ceil() as i64,
            metres: metres.round() as i64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_scales_with_detour_and_rush_hour() {
        let a = Location {
            lat: 31.2304,
            lon: 121.4737,
        };
        let b = Location {
            lat: 31.2404,
            lon: 121.4737,
        };
        let straight = Haversine {
            detour: 1.0,
            speed: SpeedProfile::constant(10.0),
        };
        let leg = straight.leg(a, b, 0);
        // 0.01 degree of latitude is about 1112 m.
        assert!((1100..1125).contains(&leg.metres), "{leg:?}");
        assert_eq!(leg.seconds, (leg.metres as f64 / 10.0).ceil() as i64);
        let city = Haversine::default();
        let night = city.leg(a, b, 3 * 3600);
        let rush = city.leg(a, b, 8 * 3600);
        assert_eq!(night.metres, rush.metres);
        assert!(rush.seconds > night.seconds);
        assert_eq!(city.leg(a, a, 0), Leg::default());
        let m = city.matrix(&[a, b], 0);
        assert_eq!(m.leg(0, 1), city.leg(a, b, 0));
    }
}
