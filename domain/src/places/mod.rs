//! Where things are: geographic points and structured (Chinese-style) postal addresses;
//! China's map coordinate systems (`china`), the district centres (`districts`) and the
//! geocoding services' protocols (`geocode`).

pub mod china;
pub mod districts;
pub mod geocode;

use facet::Facet;
use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

/// A WGS84 coordinate. Kept as our own type (not `geo::Point`) so that it serialises as
/// `{lat, lng}` for every shell and cannot be confused with an (x, y) = (lng, lat) pair.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Facet)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatLng {
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lng: f64,
}

impl LatLng {
    /// Whether the coordinate is a real place on earth (and not NaN).
    #[must_use]
    pub fn is_valid(&self) -> bool {
        (-90.0..=90.0).contains(&self.lat) && (-180.0..=180.0).contains(&self.lng)
    }

    #[must_use]
    pub fn point(&self) -> Point<f64> {
        Point::new(self.lng, self.lat)
    }

    /// Great-circle distance in metres.
    #[must_use]
    pub fn distance_m(&self, other: &LatLng) -> f64 {
        Haversine.distance(self.point(), other.point())
    }
}

impl From<LatLng> for Point<f64> {
    fn from(p: LatLng) -> Self {
        p.point()
    }
}

/// A structured address as Chinese retailers record it (province > city > district > street >
/// detail), which also holds Western addresses (state > city > district > street > unit).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Facet)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub province: String,
    pub city: String,
    pub district: String,
    pub street: String,
    /// Building, floor, room: the part hidden from roles that do not need it.
    pub detail: String,
    pub location: Option<LatLng>,
    /// The location is only the district's centre (`districts`), until someone places the
    /// customer on the map or at the door.
    #[serde(default)]
    pub approximate: bool,
}

/// JSON leaves `approximate` out when it is false, so that records and ops stored before it
/// existed read, and fingerprint (`Op::fingerprint`), exactly as they did; bincode (the native
/// shells' bridge) has no optional fields, so it always carries it.
impl Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let skip = s.is_human_readable() && !self.approximate;
        let mut st = s.serialize_struct("Address", if skip { 6 } else { 7 })?;
        st.serialize_field("province", &self.province)?;
        st.serialize_field("city", &self.city)?;
        st.serialize_field("district", &self.district)?;
        st.serialize_field("street", &self.street)?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("location", &self.location)?;
        if skip {
            st.skip_field("approximate")?;
        } else {
            st.serialize_field("approximate", &self.approximate)?;
        }
        st.end()
    }
}

impl Address {
    /// One line, largest unit first for Chinese text, as written on a delivery note.
    #[must_use]
    pub fn one_line(&self) -> String {
        [
            &self.province,
            &self.city,
            &self.district,
            &self.street,
            &self.detail,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_leaves_out_a_precise_flag_and_reads_it_back() {
        let mut a = Address {
            district: "徐汇区".into(),
            ..Address::default()
        };
        let json = serde_json::to_string(&a).unwrap();
        assert!(!json.contains("approximate"), "{json}");
        assert_eq!(serde_json::from_str::<Address>(&json).unwrap(), a);
        a.approximate = true;
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Address>(&json).unwrap(), a);
    }

    #[test]
    fn peoples_square_to_lujiazui_is_under_three_km() {
        let peoples_square = LatLng {
            lat: 31.2304,
            lng: 121.4737,
        };
        let lujiazui = LatLng {
            lat: 31.2397,
            lng: 121.4998,
        };
        let d = peoples_square.distance_m(&lujiazui);
        assert!((2_500.0..3_000.0).contains(&d), "{d}");
    }

    #[test]
    fn rejects_impossible_coordinates() {
        assert!(
            !LatLng {
                lat: 91.0,
                lng: 0.0
            }
            .is_valid()
        );
        assert!(
            !LatLng {
                lat: f64::NAN,
                lng: 0.0
            }
            .is_valid()
        );
        assert!(
            LatLng {
                lat: -33.9,
                lng: 151.2
            }
            .is_valid()
        );
    }
}
