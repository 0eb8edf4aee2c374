use crux_core::{App, Command};

use crate::effects::Effect;
use crate::model::{Event, Model};
use crate::view::ViewModel;

/// The Crux app: all logic is on [`Model::update`] and `From<&Model> for ViewModel`.
#[derive(Default)]
pub struct Rounds;

impl App for Rounds {
    type Event = Event;
    type Model = Model;
    type ViewModel = ViewModel;
    type Effect = Effect;

    fn update(&self, event: Event, model: &mut Model) -> Command<Effect, Event> {
        model.update(event)
    }

    fn view(&self, model: &Model) -> ViewModel {
        model.into()
    }
}

#[cfg(all(test, feature = "facet_typegen"))]
mod typegen_tests {
    use crux_core::type_generation::facet::TypeRegistry;

    /// Shell types are generated from these derives; a type the generator cannot describe
    /// would break every shell, so registration is checked here.
    #[test]
    fn every_shell_facing_type_registers() {
        let registry = TypeRegistry::new()
            .register_app::<super::Rounds>()
            .expect("app types register")
            .build();
        assert!(registry.is_ok(), "{:?}", registry.err());
    }
}
