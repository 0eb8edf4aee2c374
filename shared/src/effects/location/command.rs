use std::future::Future;

use crux_core::Request;
use crux_core::command::RequestBuilder;

use super::{LocationRequest, LocationResponse};
use domain::places::LatLng;

/// The device's last known position; `None` when unknown or implausible.
#[must_use]
pub fn current<Ef, Ev>() -> RequestBuilder<Ef, Ev, impl Future<Output = Option<LatLng>>>
where
    Ef: From<Request<LocationRequest>> + Send + 'static,
    Ev: Send + 'static,
{
    crux_core::Command::request_from_shell(LocationRequest::Current).map(|r| match r {
        LocationResponse::Known { lat, lng } => Some(LatLng { lat, lng }).filter(LatLng::is_valid),
        LocationResponse::Unknown => None,
    })
}
