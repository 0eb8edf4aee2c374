//! A custom capability: the device's current position, if the person allowed it.
//!
//! Shells answer from their last known fix rather than waiting for a new one, so that
//! stamping a job step never waits for GPS.

pub mod command;

use crux_core::capability::Operation;
use facet::Facet;
use serde::{Deserialize, Serialize};

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[repr(C)]
pub enum LocationRequest {
    /// The last known position.
    Current,
}

#[derive(Facet, Clone, Debug, Serialize, Deserialize, PartialEq)]
#[repr(C)]
pub enum LocationResponse {
    Known {
        lat: f64,
        lng: f64,
    },
    /// No permission, no fix yet, or no location hardware.
    Unknown,
}

impl Operation for LocationRequest {
    type Output = LocationResponse;
}
