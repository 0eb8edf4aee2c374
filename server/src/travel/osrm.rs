//! Travel matrices from an OSRM-compatible `/table` service, cached per pair of places, with the
//! great-circle estimate as fallback so that dispatch keeps working when the router is down.
//!
//! The solver's [`TravelTimes`] is synchronous and runs without I/O, so the matrix is fetched
//! first ([`Osrm::prefetch`]) and the solver then reads the [`Prefetched`] copy.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use vrptw::{Haversine, Leg, Location, Matrix, TravelTimes};

/// Places are compared bit for bit: the same coordinates always come from the same record.
type Key = (u64, u64);

fn key(l: Location) -> Key {
    (l.lat.to_bits(), l.lon.to_bits())
}

#[derive(Debug, thiserror::Error)]
pub enum OsrmError {
    #[error("request failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("router answered {0:?}")]
    Router(String),
    #[error("table has the wrong shape")]
    Shape,
}

#[derive(serde::Deserialize)]
struct Table {
    code: String,
    durations: Option<Vec<Vec<Option<f64>>>>,
    distances: Option<Vec<Vec<Option<f64>>>>,
}

pub struct Osrm {
    base_url: String,
    client: reqwest::Client,
    cache: Mutex<HashMap<(Key, Key), Leg>>,
    fallback: Haversine,
    /// Cache entries kept at most; the cache is dropped whole when full (days are independent).
    capacity: usize,
}

impl Osrm {
    /// `base_url` like `http://127.0.0.1:5000` (no trailing slash needed).
    pub fn new(base_url: &str, timeout: Duration, fallback: Haversine) -> Result<Self, OsrmError> {
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            client: reqwest::Client::builder().timeout(timeout).build()?,
            cache: Mutex::new(HashMap::new()),
            fallback,
            capacity: 4_000_000,
        })
    }

    /// The matrix for `places`, from cache when every pair is known, else in one `/table` call;
    /// great-circle legs when the router fails (those are not cached, so the next call retries).
    pub async fn prefetch(&self, places: &[Location], depart_at: i64) -> Prefetched {
        let cached = self.cached_matrix(places);
        let matrix = match cached {
            Some(m) => m,
            None => match self.fetch(places).await {
                Ok(m) => {
                    self.remember(places, &m);
                    m
                }
                Err(e) => {
                    tracing::warn!(error = %e, "OSRM unavailable, using great-circle travel times");
                    self.fallback.matrix(places, depart_at)
                }
            },
        };
        Prefetched::new(places, matrix, self.fallback.clone())
    }

    fn cached_matrix(&self, places: &[Location]) -> Option<Matrix> {
        let cache = self.cache.lock().ok()?;
        let n = places.len();
        let mut seconds = Vec::with_capacity(n * n);
        let mut metres = Vec::with_capacity(n * n);
        for &a in places {
            for &b in places {
                let leg = cache.get(&(key(a), key(b)))?;
                seconds.push(leg.seconds);
                metres.push(leg.metres);
            }
        }
        Some(Matrix {
            size: n,
            seconds,
            metres,
        })
    }

    fn remember(&self, places: &[Location], m: &Matrix) {
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        if cache.len() + m.seconds.len() > self.capacity {
            cache.clear();
        }
        for (i, &a) in places.iter().enumerate() {
            for (j, &b) in places.iter().enumerate() {
                cache.insert((key(a), key(b)), m.leg(i, j));
            }
        }
    }

    async fn fetch(&self, places: &[Location]) -> Result<Matrix, OsrmError> {
        let n = places.len();
        if n == 0 {
            return Ok(Matrix {
                size: 0,
                seconds: vec![],
                metres: vec![],
            });
        }
        let coords: Vec<String> = places
            .iter()
            .map(|l| format!("{:.6},{:.6}", l.lon, l.lat))
            .collect();
        let url = format!(
            "{}/table/v1/driving/{}?annotations=duration,distance",
            self.base_url,
            coords.join(";")
        );
        let table: Table = self
            .client
            .get(url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        if table.code != "Ok" {
            return Err(OsrmError::Router(table.code));
        }
        let (Some(durations), Some(distances)) = (table.durations, table.distances) else {
            return Err(OsrmError::Shape);
        };
        if durations.len() != n
            || distances.len() != n
            || durations.iter().chain(&distances).any(|row| row.len() != n)
        {
            return Err(OsrmError::Shape);
        }
        let mut seconds = Vec::with_capacity(n * n);
        let mut metres = Vec::with_capacity(n * n);
        for i in 0..n {
            for j in 0..n {
                // OSRM answers null for unroutable pairs; estimate those instead of failing.
                let estimate = || self.fallback.leg(places[i], places[j], 0);
                seconds
                    .push(durations[i][j].map_or_else(|| estimate().seconds, |s| s.ceil() as i64));
                metres
                    .push(distances[i][j].map_or_else(|| estimate().metres, |m| m.round() as i64));
            }
        }
        Ok(Matrix {
            size: n,
            seconds,
            metres,
        })
    }
}

/// A fetched matrix usable as [`TravelTimes`]; places outside it get the fallback estimate.
pub struct Prefetched {
    index: HashMap<Key, usize>,
    matrix: Matrix,
    fallback: Haversine,
}

impl Prefetched {
    fn new(places: &[Location], matrix: Matrix, fallback: Haversine) -> Self {
        let index = places
            .iter()
            .enumerate()
            .map(|(i, &l)| (key(l), i))
            .collect();
        Self {
            index,
            matrix,
            fallback,
        }
    }
}

impl TravelTimes for Prefetched {
    fn leg(&self, from: Location, to: Location, depart_at: i64) -> Leg {
        match (self.index.get(&key(from)), self.index.get(&key(to))) {
            (Some(&a), Some(&b)) => self.matrix.leg(a, b),
            _ => self.fallback.leg(from, to, depart_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::extract::{Path, State};
    use axum::routing::get;
    use vrptw::SpeedProfile;

    use super::*;

    /// Fake router on 127.0.0.1: leg i->j takes 100*i + j seconds and 1000*(i + j) metres,
    /// unroutable (null) from the last place; counts requests.
    async fn fake_osrm() -> (String, Arc<AtomicUsize>) {
        let hits = Arc::new(AtomicUsize::new(0));
        async fn table(
            State(hits): State<Arc<AtomicUsize>>,
            Path(coords): Path<String>,
        ) -> axum::Json<serde_json::Value> {
            hits.fetch_add(1, Ordering::SeqCst);
            let n = coords.split(';').count();
            let durations: Vec<Vec<Option<f64>>> = (0..n)
                .map(|i| {
                    (0..n)
                        .map(|j| (i + 1 < n).then_some((100 * i + j) as f64 + 0.4))
                        .collect()
                })
                .collect();
            let distances: Vec<Vec<f64>> = (0..n)
                .map(|i| (0..n).map(|j| (1000 * (i + j)) as f64).collect())
                .collect();
            axum::Json(serde_json::json!({
                "code": "Ok", "durations": durations, "distances": distances
            }))
        }
        let app = Router::new()
            .route("/table/v1/driving/{coords}", get(table))
            .with_state(hits.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}"), hits)
    }

    fn places() -> Vec<Location> {
        (0..3)
            .map(|i| Location {
                lat: 31.2 + f64::from(i) * 0.01,
                lon: 121.4,
            })
            .collect()
    }

    fn fallback() -> Haversine {
        Haversine {
            detour: 1.0,
            speed: SpeedProfile::constant(10.0),
        }
    }

    #[tokio::test]
    async fn table_is_used_cached_and_nulls_estimated() {
        let (url, hits) = fake_osrm().await;
        let osrm = Osrm::new(&url, Duration::from_secs(5), fallback()).expect("client");
        let p = places();
        let m = osrm.prefetch(&p, 0).await;
        assert_eq!(
            m.leg(p[0], p[1], 0),
            Leg {
                seconds: 2,
                metres: 1000
            }
        );
        assert_eq!(
            m.leg(p[1], p[0], 0),
            Leg {
                seconds: 101,
                metres: 1000
            }
        );
        // The last row has no durations in the fake: great-circle estimate for those only.
        let estimate = fallback().leg(p[2], p[0], 0);
        assert_eq!(
            m.leg(p[2], p[0], 0),
            Leg {
                seconds: estimate.seconds,
                metres: 2000
            }
        );
        let again = osrm.prefetch(&p[..2], 0).await;
        assert_eq!(again.leg(p[1], p[0], 0).seconds, 101);
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "second call served from cache"
        );
    }

    #[tokio::test]
    async fn falls_back_when_the_router_is_down() {
        // Bind then drop a listener to get a local port nobody serves.
        let port = {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            l.local_addr().expect("addr").port()
        };
        let osrm = Osrm::new(
            &format!("http://127.0.0.1:{port}"),
            Duration::from_secs(2),
            fallback(),
        )
        .expect("client");
        let p = places();
        let m = osrm.prefetch(&p, 0).await;
        assert_eq!(m.leg(p[0], p[2], 0), fallback().leg(p[0], p[2], 0));
        assert!(
            osrm.cached_matrix(&p).is_none(),
            "fallback legs are not cached"
        );
    }
}
