//! The bridge the native shells (Android, iOS) call: the core behind three functions, bytes
//! in and bytes out, exported with uniffi.
//!
//! Events, effect requests, their answers and the view model cross as bincode
//! (`crux_core::bridge::Bridge`); the shells' types for them are generated from the `Facet`
//! derives (the `codegen` binary), the functions below by `uniffi-bindgen` from the built
//! library. Three functions and plain bytes keep the FFI surface this small whatever the
//! app grows into: a new event or view model field changes the generated types, never the
//! bindings.

use crux_core::Core;
use crux_core::bridge::{Bridge, EffectId};

use crate::app::Rounds;

/// Why a call across the bridge failed. Only a shell's bug can cause one (bytes that are not
/// an event or an answer of the expected type, an effect id answered twice); the core keeps
/// running, and the shell hears about it as an exception rather than a crash.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum BridgeError {
    #[error("{0}")]
    Bridge(String),
}

impl<F: crux_core::bridge::FfiFormat> From<crux_core::bridge::BridgeError<F>> for BridgeError {
    fn from(e: crux_core::bridge::BridgeError<F>) -> Self {
        BridgeError::Bridge(e.to_string())
    }
}

/// One running core. A shell makes one at launch and keeps it for the life of the process.
#[derive(uniffi::Object)]
pub struct CoreFfi {
    bridge: Bridge<Rounds>,
}

impl Default for CoreFfi {
    fn default() -> Self {
        Self::new()
    }
}

#[uniffi::export]
impl CoreFfi {
    #[uniffi::constructor]
    #[must_use]
    pub fn new() -> Self {
        Self {
            bridge: Bridge::new(Core::new()),
        }
    }

    /// Sends a bincode `Event`; answers the bincode `Requests` (effects to carry out).
    ///
    /// # Errors
    /// When the bytes are not an event.
    pub fn update(&self, event: Vec<u8>) -> Result<Vec<u8>, BridgeError> {
        let mut requests = Vec::new();
        self.bridge.update(&event, &mut requests)?;
        Ok(requests)
    }

    /// Answers the effect request `id` with its bincode output; answers the effect requests
    /// that follow.
    ///
    /// # Errors
    /// When the bytes are not the request's output, or `id` is not waiting for an answer.
    pub fn resolve(&self, id: u32, output: Vec<u8>) -> Result<Vec<u8>, BridgeError> {
        let mut requests = Vec::new();
        self.bridge.resolve(EffectId(id), &output, &mut requests)?;
        Ok(requests)
    }

    /// The bincode `ViewModel`, to render.
    ///
    /// # Errors
    /// Never in practice: a view model always serializes.
    pub fn view(&self) -> Result<Vec<u8>, BridgeError> {
        let mut view = Vec::new();
        self.bridge.view(&mut view)?;
        Ok(view)
    }
}
