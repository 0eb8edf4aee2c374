//! The configured geocoding service (AMap, Baidu or a Nominatim-compatible API; `--geocoder`),
//! asked over HTTP for the positions of imported customers whose file gave none. What to ask
//! and what an answer means is `domain::places::geocode`; this sends the requests, a few at a
//! time, and remembers answers by address for the process's life (a till's export repeats the
//! same addresses). A customer the service cannot place keeps its district's centre, flagged
//! approximate; a service that fails leaves the import as it was planned.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use domain::ops::{Op, OpKind};
use domain::places::Address;
use domain::places::geocode::{Found, GeocodeError, Service};

/// Requests in flight at once: the services' free tiers allow a handful a second.
const AT_ONCE: usize = 4;

pub struct Geocoder {
    service: Service,
    http: reqwest::Client,
    cache: Mutex<HashMap<String, Option<Found>>>,
}

#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    #[error(transparent)]
    Service(#[from] GeocodeError),
    #[error("the geocoding service could not be reached: {0}")]
    Unreachable(String),
}

impl Geocoder {
    pub fn new(service: Service, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            // Nominatim's usage policy asks every client to say who it is.
            .user_agent(concat!("Rounds/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Geocoder {
            service,
            http,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The position of `address`, if the service finds one.
    pub async fn locate(&self, address: &Address) -> Result<Option<Found>, LocateError> {
        let Some(url) = self.service.url(address) else {
            return Ok(None);
        };
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&url)
        {
            return Ok(*hit);
        }
        let res = self
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| LocateError::Unreachable(e.without_url().to_string()))?;
        if !res.status().is_success() {
            return Err(LocateError::Unreachable(format!("HTTP {}", res.status())));
        }
        let body = res
            .bytes()
            .await
            .map_err(|e| LocateError::Unreachable(e.without_url().to_string()))?;
        let found = self.service.parse(&body)?;
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(url, found);
        Ok(found)
    }

    /// Gives the new customers of `ops` that have no position, or only their district's
    /// centre, the position the service finds. A service that fails is logged once and the
    /// rest is left as planned.
    pub async fn place(self: &Arc<Self>, ops: &mut [Op]) {
        let wanted: Vec<usize> = ops
            .iter()
            .enumerate()
            .filter(|(_, op)| {
                matches!(&op.kind, OpKind::CreateCustomer(c)
                    if c.address.location.is_none() || c.address.approximate)
            })
            .map(|(i, _)| i)
            .collect();
        for chunk in wanted.chunks(AT_ONCE) {
            let mut asks = tokio::task::JoinSet::new();
            for &i in chunk {
                let OpKind::CreateCustomer(c) = &ops[i].kind else {
                    continue;
                };
                let (me, address) = (self.clone(), c.address.clone());
                asks.spawn(async move { (i, me.locate(&address).await) });
            }
            while let Some(joined) = asks.join_next().await {
                let Ok((i, answer)) = joined else { continue };
                match answer {
                    Ok(Some(found)) => {
                        if let OpKind::CreateCustomer(c) = &mut ops[i].kind {
                            // A service that placed only the district is no better than the
                            // table: either way the place is to be confirmed.
                            if found.precise || c.address.location.is_none() {
                                c.address.location = Some(found.at);
                                c.address.approximate = !found.precise;
                            }
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "geocoding failed; the import keeps district centres");
                        return;
                    }
                }
            }
        }
    }
}
