//! Rounds' Crux app: the logic every screen runs, shared by every shell (web, iOS, Android).
//! The domain it works on is the `domain` crate; the dispatch board's answers come from
//! `dispatch` over the `vrptw` engine.

pub mod app;
pub mod effects;
pub mod model;
pub mod view;

pub use app::Rounds;
pub use crux_core::Core;
pub use effects::Effect;
pub use model::Event;
pub use view::ViewModel;

// The native shells' bridge: uniffi's scaffolding must sit at the crate root.
#[cfg(feature = "uniffi")]
pub mod ffi;
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
