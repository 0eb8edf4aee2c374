//! Rounds' shared core: the one domain model, the operations that change it, and the Crux app
//! that every shell (web, iOS, Android) drives.
//!
//! Domain modules (`customers`, `jobs`, `leads`, `followups`, `org`, `places`) know nothing of
//! Crux; [`ops::apply`] is the single place data changes, used by the device and the server.

pub mod customers;
pub mod demo;
pub mod dispatch;
pub mod followups;
pub mod ids;
pub mod jobs;
pub mod leads;
pub mod lookup;
pub mod ops;
pub mod org;
pub mod places;
pub mod sync;

pub mod app;
pub mod effects;
pub mod model;
pub mod view;

pub use app::Rounds;
pub use crux_core::Core;
pub use effects::Effect;
pub use model::Event;
pub use view::ViewModel;
