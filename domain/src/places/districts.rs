//! The centre of every county-level district of mainland China, from a bundled table
//! (`domain/data/districts.csv`, see `domain/data/SOURCES.md`): the approximate position of
//! a customer whose address names a district and nothing better is known, flagged
//! `Address::approximate` until someone places them on the map or at the door.

use std::sync::OnceLock;

use super::{Address, LatLng, china};

static TABLE: &str = include_str!("../../data/districts.csv");

struct Area {
    code: u64,
    /// The name without its administrative suffix (`徐汇`, `浦东`, `上海`).
    short: &'static str,
    at: LatLng,
}

fn areas() -> &'static [Area] {
    static AREAS: OnceLock<Vec<Area>> = OnceLock::new();
    AREAS.get_or_init(|| {
        TABLE
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.split(',');
                let code = f.next()?.parse().ok()?;
                let name = f.next()?;
                let lng = f.next()?.parse().ok()?;
                let lat = f.next()?.parse().ok()?;
                // The table is AMap's, in GCJ-02; Rounds keeps WGS-84.
                let at = china::gcj02_to_wgs84(LatLng { lat, lng });
                Some(Area {
                    code,
                    short: short(name),
                    at,
                })
            })
            .collect()
    })
}

const SUFFIXES: [&str; 10] = [
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "新区",
    "地区",
    "省",
    "市",
    "区",
    "县",
];

/// A name as people shorten it: 浦东新区 and 浦东 are one district, 上海市 and 上海 one city.
fn short(name: &str) -> &str {
    let name = name.trim();
    SUFFIXES
        .iter()
        .find_map(|s| {
            name.strip_suffix(s)
                .filter(|rest| rest.chars().count() >= 2)
        })
        .unwrap_or(name)
}

/// The centre of the address's district, in WGS-84; `None` when the district is not named,
/// not found, or names several districts the city does not tell apart.
#[must_use]
pub fn centre(address: &Address) -> Option<LatLng> {
    let district = short(&address.district);
    if district.is_empty() {
        return None;
    }
    let all = areas();
    let candidates: Vec<&Area> = all
        .iter()
        .filter(|a| a.code % 1_000_000_000_000 / 1_000_000 % 100 != 0 && a.short == district)
        .collect();
    // The city (or, for Beijing, Shanghai, Tianjin and Chongqing, the province) a district
    // belongs to, by its code.
    let named = |code: u64, name: &str| {
        let name = short(name);
        !name.is_empty() && all.iter().any(|a| a.code == code && a.short == name)
    };
    // The city tells districts of one name apart; a province only when no city is named
    // (Xuzhou and Nanjing both have a 鼓楼区 in Jiangsu).
    let in_place = |a: &&Area| {
        let city = a.code / 100_000_000 * 100_000_000;
        let province = a.code / 10_000_000_000 * 10_000_000_000;
        if short(&address.city).is_empty() {
            named(province, &address.province)
        } else {
            named(city, &address.city) || named(province, &address.city)
        }
    };
    match candidates.as_slice() {
        [] => None,
        [only] => Some(only.at),
        many => {
            let placed: Vec<&&Area> = many.iter().filter(|a| in_place(a)).collect();
            match placed.as_slice() {
                [only] => Some(only.at),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(province: &str, city: &str, district: &str) -> Address {
        Address {
            province: province.into(),
            city: city.into(),
            district: district.into(),
            ..Address::default()
        }
    }

    #[test]
    fn a_district_is_found_by_its_name_long_or_short() {
        let xuhui = centre(&at("上海市", "上海市", "徐汇区")).unwrap();
        assert_eq!(centre(&at("", "", "徐汇")), Some(xuhui));
        // Xuhui's centre is within 5 km of the Xujiahui crossing.
        let xujiahui = LatLng {
            lat: 31.1928,
            lng: 121.4342,
        };
        assert!(xuhui.distance_m(&xujiahui) < 5_000.0, "{xuhui:?}");
        assert!(centre(&at("", "", "浦东")).is_some());
    }

    #[test]
    fn a_name_several_cities_share_needs_the_city() {
        // 鼓楼区 is in Nanjing, Fuzhou, Xuzhou and Kaifeng.
        assert_eq!(centre(&at("", "", "鼓楼区")), None);
        let nanjing = centre(&at("江苏省", "南京市", "鼓楼区")).unwrap();
        let fuzhou = centre(&at("福建省", "福州市", "鼓楼区")).unwrap();
        assert!(nanjing.distance_m(&fuzhou) > 500_000.0);
    }

    #[test]
    fn unknown_or_missing_districts_have_no_centre() {
        assert_eq!(centre(&at("上海市", "上海市", "")), None);
        assert_eq!(centre(&at("", "", "Mitte")), None);
    }

    #[test]
    fn the_table_is_whole() {
        assert!(areas().len() > 3_000);
        assert!(
            areas()
                .iter()
                .all(|a| a.at.is_valid() && china::in_china(a.at))
        );
    }
}
