//! Geocoding services' protocols, without the network: the request to send for an address and
//! what an answer means, for AMap (高德, GCJ-02), Baidu (百度, BD-09) and any
//! Nominatim-compatible API (OpenStreetMap's, or one run in-house; WGS-84). The server sends
//! the requests (`server/src/geocode.rs`); positions come back in WGS-84, as Rounds keeps them.

use serde::{Deserialize, Serialize};

use super::{Address, LatLng, china};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Provider {
    AMap,
    Baidu,
    Nominatim,
}

impl std::str::FromStr for Provider {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "amap" | "gaode" => Ok(Provider::AMap),
            "baidu" => Ok(Provider::Baidu),
            "nominatim" | "osm" => Ok(Provider::Nominatim),
            other => Err(format!(
                "unknown geocoder {other:?}: use amap, baidu or nominatim"
            )),
        }
    }
}

/// A configured service: which protocol, where, with which key (AMap's `key`, Baidu's `ak`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub provider: Provider,
    /// `https://restapi.amap.com`, `https://api.map.baidu.com`,
    /// `https://nominatim.openstreetmap.org`, or a server of one's own.
    pub base: String,
    pub key: Option<String>,
}

/// A position a service found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Found {
    /// WGS-84.
    pub at: LatLng,
    /// To the building or the street; `false` when the service only placed the district or
    /// the city (kept then as approximate).
    pub precise: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GeocodeError {
    /// The service refused (a wrong key, a quota used up): its own words.
    #[error("the geocoding service refused: {0}")]
    Refused(String),
    #[error("the geocoding service answered something unreadable: {0}")]
    Unreadable(String),
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Service {
    /// The URL to GET for `address`; `None` when the address has nothing to look up.
    #[must_use]
    pub fn url(&self, address: &Address) -> Option<String> {
        let line = [
            &address.province,
            &address.city,
            &address.district,
            &address.street,
            &address.detail,
        ]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim())
        .collect::<Vec<_>>();
        if line.is_empty() {
            return None;
        }
        let base = self.base.trim_end_matches('/');
        let key = self.key.as_deref().map(encode).unwrap_or_default();
        Some(match self.provider {
            // Chinese addresses are written largest unit first, without spaces.
            Provider::AMap => format!(
                "{base}/v3/geocode/geo?key={key}&output=JSON&address={}&city={}",
                encode(&line.concat()),
                encode(address.city.trim())
            ),
            Provider::Baidu => format!(
                "{base}/geocoding/v3/?output=json&ak={key}&address={}&city={}",
                encode(&line.concat()),
                encode(address.city.trim())
            ),
            // Nominatim reads free text smallest unit first, comma-separated.
            Provider::Nominatim => {
                let mut parts = line.clone();
                parts.reverse();
                format!(
                    "{base}/search?format=jsonv2&limit=1&q={}",
                    encode(&parts.join(", "))
                )
            }
        })
    }

    /// What the service's answer says: a position, nothing found (`Ok(None)`), or a refusal.
    pub fn parse(&self, body: &[u8]) -> Result<Option<Found>, GeocodeError> {
        let unreadable = |e: &dyn std::fmt::Display| GeocodeError::Unreadable(e.to_string());
        let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| unreadable(&e))?;
        match self.provider {
            Provider::AMap => amap(&v),
            Provider::Baidu => baidu(&v),
            Provider::Nominatim => nominatim(&v),
        }
    }
}

fn valid(p: LatLng) -> Result<LatLng, GeocodeError> {
    if p.is_valid() {
        Ok(p)
    } else {
        Err(GeocodeError::Unreadable(format!(
            "no place on earth: {p:?}"
        )))
    }
}

/// `{"status":"1","count":"1","geocodes":[{"location":"121.43,31.18","level":"门牌号"}]}`;
/// `status` `"0"` is a refusal with its reason in `info`.
fn amap(v: &serde_json::Value) -> Result<Option<Found>, GeocodeError> {
    if v["status"] != "1" {
        return Err(GeocodeError::Refused(
            v["info"].as_str().unwrap_or("status 0").to_owned(),
        ));
    }
    let Some(first) = v["geocodes"].as_array().and_then(|g| g.first()) else {
        return Ok(None);
    };
    let location = first["location"].as_str().unwrap_or_default();
    let Some((lng, lat)) = location.split_once(',') else {
        return Ok(None);
    };
    let (Ok(lng), Ok(lat)) = (lng.trim().parse::<f64>(), lat.trim().parse::<f64>()) else {
        return Err(GeocodeError::Unreadable(location.to_owned()));
    };
    let level = first["level"].as_str().unwrap_or_default();
    Ok(Some(Found {
        at: valid(china::gcj02_to_wgs84(LatLng { lat, lng }))?,
        precise: matches!(
            level,
            "门牌号" | "兴趣点" | "道路交叉路口" | "道路" | "单元号" | "楼栋"
        ),
    }))
}

/// `{"status":0,"result":{"location":{"lng":..,"lat":..},"precise":1,"level":"门址"}}` in
/// BD-09; a status other than 0 is a refusal, but for "no result" (which Baidu also sends with a
/// status).
fn baidu(v: &serde_json::Value) -> Result<Option<Found>, GeocodeError> {
    let status = v["status"].as_i64().unwrap_or(-1);
    if status != 0 {
        let msg = v["msg"]
            .as_str()
            .or_else(|| v["message"].as_str())
            .unwrap_or("refused");
        if msg.contains("无相关结果") || msg.contains("No result") {
            return Ok(None);
        }
        return Err(GeocodeError::Refused(format!("{status}: {msg}")));
    }
    let loc = &v["result"]["location"];
    let (Some(lng), Some(lat)) = (loc["lng"].as_f64(), loc["lat"].as_f64()) else {
        return Ok(None);
    };
    let gcj = china::bd09_to_gcj02(LatLng { lat, lng });
    Ok(Some(Found {
        at: valid(china::gcj02_to_wgs84(gcj))?,
        precise: v["result"]["precise"].as_i64() == Some(1),
    }))
}

/// `[{"lat":"31.23","lon":"121.47","place_rank":30}]`, in WGS-84; `[]` is nothing found.
fn nominatim(v: &serde_json::Value) -> Result<Option<Found>, GeocodeError> {
    let Some(list) = v.as_array() else {
        return Err(GeocodeError::Refused(
            v["error"].as_str().unwrap_or("not a list").to_owned(),
        ));
    };
    let Some(first) = list.first() else {
        return Ok(None);
    };
    let num = |k: &str| {
        first[k]
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .or_else(|| first[k].as_f64())
    };
    let (Some(lat), Some(lng)) = (num("lat"), num("lon")) else {
        return Err(GeocodeError::Unreadable("no lat and lon".into()));
    };
    Ok(Some(Found {
        at: valid(LatLng { lat, lng })?,
        precise: first["place_rank"].as_i64().unwrap_or(0) >= 26,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn service(provider: Provider) -> Service {
        Service {
            provider,
            base: "http://127.0.0.1:9/".into(),
            key: Some("k e y".into()),
        }
    }

    fn xuhui() -> Address {
        Address {
            province: "上海市".into(),
            city: "上海市".into(),
            district: "徐汇区".into(),
            street: "漕溪北路".into(),
            detail: "88号".into(),
            ..Address::default()
        }
    }

    #[test]
    fn requests_as_each_service_reads_them() {
        let amap = service(Provider::AMap).url(&xuhui()).unwrap();
        assert!(
            amap.starts_with(
                "http://127.0.0.1:9/v3/geocode/geo?key=k%20e%20y&output=JSON&address=%E4%B8%8A"
            ),
            "{amap}"
        );
        let nominatim = service(Provider::Nominatim).url(&xuhui()).unwrap();
        assert!(nominatim.contains("q=88%E5%8F%B7%2C%20"), "{nominatim}");
        assert_eq!(service(Provider::Baidu).url(&Address::default()), None);
    }

    #[test]
    fn answers_in_each_coordinate_system_come_back_in_wgs84() {
        // The same place as each service gives it (GCJ-02, BD-09, WGS-84).
        let wgs = LatLng {
            lat: 31.190_5,
            lng: 121.431_7,
        };
        let gcj = china::wgs84_to_gcj02(wgs);
        let bd = china::gcj02_to_bd09(gcj);
        let amap = format!(
            r#"{{"status":"1","info":"OK","count":"1","geocodes":[{{"location":"{},{}","level":"门牌号"}}]}}"#,
            gcj.lng, gcj.lat
        );
        let baidu = format!(
            r#"{{"status":0,"result":{{"location":{{"lng":{},"lat":{}}},"precise":1,"confidence":80,"level":"门址"}}}}"#,
            bd.lng, bd.lat
        );
        let osm = format!(
            r#"[{{"lat":"{}","lon":"{}","place_rank":30}}]"#,
            wgs.lat, wgs.lng
        );
        for (p, body) in [
            (Provider::AMap, amap),
            (Provider::Baidu, baidu),
            (Provider::Nominatim, osm),
        ] {
            let found = service(p).parse(body.as_bytes()).unwrap().unwrap();
            assert!(found.at.distance_m(&wgs) < 1.0, "{p:?}: {found:?}");
            assert!(found.precise);
        }
    }

    #[test]
    fn nothing_found_and_refusals() {
        let amap = service(Provider::AMap);
        assert_eq!(
            amap.parse(br#"{"status":"1","count":"0","geocodes":[]}"#),
            Ok(None)
        );
        assert_eq!(
            amap.parse(br#"{"status":"0","info":"INVALID_USER_KEY"}"#),
            Err(GeocodeError::Refused("INVALID_USER_KEY".into()))
        );
        let baidu = service(Provider::Baidu);
        assert_eq!(
            baidu.parse(r#"{"status":1,"msg":"Internal Service Error:无相关结果"}"#.as_bytes()),
            Ok(None)
        );
        assert!(matches!(
            baidu.parse(br#"{"status":240,"message":"APP ak invalid"}"#),
            Err(GeocodeError::Refused(_))
        ));
        assert_eq!(service(Provider::Nominatim).parse(b"[]"), Ok(None));
        assert!(matches!(
            service(Provider::Nominatim).parse(b"<html>"),
            Err(GeocodeError::Unreadable(_))
        ));
    }

    proptest! {
        #[test]
        fn parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            for p in [Provider::AMap, Provider::Baidu, Provider::Nominatim] {
                let _ = service(p).parse(&body);
            }
        }
    }
}
