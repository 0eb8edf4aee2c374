//! China's map coordinate systems. Maps published in China must show GCJ-02 ("Mars
//! coordinates"), a position shifted from WGS-84 by a nonlinear offset of up to a few hundred
//! metres; Baidu adds its own shift on top (BD-09). Rounds keeps WGS-84 (what phones' GPS and
//! OpenStreetMap use) and converts what AMap (GCJ-02) and Baidu (BD-09) give or take.
//!
//! The forward transform is the published one; its inverse has no closed form and is found
//! by fixed-point iteration to well under a metre. Outside China the offset is zero.

use super::LatLng;

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;
const X_PI: f64 = std::f64::consts::PI * 3000.0 / 180.0;

/// Roughly mainland China's bounding box, where GCJ-02 applies.
#[must_use]
pub fn in_china(p: LatLng) -> bool {
    (73.66..=135.05).contains(&p.lng) && (3.86..=53.55).contains(&p.lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lng(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS-84 to GCJ-02.
#[must_use]
pub fn wgs84_to_gcj02(p: LatLng) -> LatLng {
    if !in_china(p) {
        return p;
    }
    use std::f64::consts::PI;
    let d_lat = transform_lat(p.lng - 105.0, p.lat - 35.0);
    let d_lng = transform_lng(p.lng - 105.0, p.lat - 35.0);
    let rad = p.lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    LatLng {
        lat: p.lat + (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI),
        lng: p.lng + (d_lng * 180.0) / (A / sqrt_magic * rad.cos() * PI),
    }
}

/// GCJ-02 to WGS-84, by iterating the forward transform.
#[must_use]
pub fn gcj02_to_wgs84(p: LatLng) -> LatLng {
    if !in_china(p) {
        return p;
    }
    let mut guess = p;
    for _ in 0..10 {
        let there = wgs84_to_gcj02(guess);
        let (d_lat, d_lng) = (there.lat - p.lat, there.lng - p.lng);
        guess = LatLng {
            lat: guess.lat - d_lat,
            lng: guess.lng - d_lng,
        };
        if d_lat.abs() < 1e-9 && d_lng.abs() < 1e-9 {
            break;
        }
    }
    guess
}

/// BD-09 (Baidu) to GCJ-02.
#[must_use]
pub fn bd09_to_gcj02(p: LatLng) -> LatLng {
    let (x, y) = (p.lng - 0.0065, p.lat - 0.006);
    let z = (x * x + y * y).sqrt() - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000_003 * (x * X_PI).cos();
    LatLng {
        lat: z * theta.sin(),
        lng: z * theta.cos(),
    }
}

/// GCJ-02 to BD-09.
#[must_use]
pub fn gcj02_to_bd09(p: LatLng) -> LatLng {
    let (x, y) = (p.lng, p.lat);
    let z = (x * x + y * y).sqrt() + 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) + 0.000_003 * (x * X_PI).cos();
    LatLng {
        lat: z * theta.sin() + 0.006,
        lng: z * theta.cos() + 0.0065,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_people_s_square_as_amap_shows_it() {
        // WGS-84 of People's Square (OpenStreetMap) and its GCJ-02 as AMap gives it: the
        // shift in Shanghai is about 500 m, mostly east.
        let wgs = LatLng {
            lat: 31.232_42,
            lng: 121.469_26,
        };
        let gcj = wgs84_to_gcj02(wgs);
        let shift = wgs.distance_m(&gcj);
        assert!((400.0..700.0).contains(&shift), "{shift}");
        assert!(gcj.lng > wgs.lng && gcj.lat < wgs.lat);
        let back = gcj02_to_wgs84(gcj);
        assert!(back.distance_m(&wgs) < 0.05, "{back:?}");
    }

    #[test]
    fn outside_china_nothing_moves() {
        let berlin = LatLng {
            lat: 52.52,
            lng: 13.405,
        };
        assert_eq!(wgs84_to_gcj02(berlin), berlin);
        assert_eq!(gcj02_to_wgs84(berlin), berlin);
    }

    proptest! {
        #[test]
        fn conversions_round_trip_within_a_metre(lat in 18.0f64..53.0, lng in 74.0f64..134.0) {
            let wgs = LatLng { lat, lng };
            let gcj = wgs84_to_gcj02(wgs);
            prop_assert!(gcj02_to_wgs84(gcj).distance_m(&wgs) < 1.0);
            let bd = gcj02_to_bd09(gcj);
            prop_assert!(bd09_to_gcj02(bd).distance_m(&gcj) < 1.0);
            // The shifts are hundreds of metres at most, never kilometres.
            prop_assert!(gcj.distance_m(&wgs) < 1_500.0);
        }
    }
}
