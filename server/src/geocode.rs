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
    http: ureq::Agent,
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
    #[must_use]
    pub fn new(service: Service, timeout: Duration) -> Self {
        let http: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            // Nominatim's usage policy asks every client to say who it is.
            .user_agent(concat!("Rounds/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Geocoder {
            service,
            http,
            cache: Mutex::new(HashMap::new()),
        }
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
        // A blocking client (its TLS is rustls with ring), off the async runtime.
        let (agent, asked) = (self.http.clone(), url.clone());
        let body = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
            let mut res = agent.get(&asked).call().map_err(|e| e.to_string())?;
            res.body_mut().read_to_vec().map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| LocateError::Unreachable(e.to_string()))?
        // The error names the URL, which holds the key: only its kind is kept.
        .map_err(|e| LocateError::Unreachable(e.split(':').next().unwrap_or("error").to_owned()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use domain::places::geocode::Provider;

    /// An HTTPS service that cannot be reached is a refusal in words, never a panic, and its
    /// key does not appear in the error (it is in the URL).
    #[tokio::test]
    async fn an_unreachable_https_service_is_an_error_without_the_key() {
        let g = Geocoder::new(
            Service {
                provider: Provider::AMap,
                base: "https://127.0.0.1:1".into(),
                key: Some("SECRET-KEY".into()),
            },
            Duration::from_secs(2),
        );
        let address = Address {
            district: "徐汇区".into(),
            ..Address::default()
        };
        let e = g.locate(&address).await.unwrap_err();
        assert!(matches!(e, LocateError::Unreachable(_)), "{e}");
        assert!(!e.to_string().contains("SECRET"), "{e}");
    }
}
