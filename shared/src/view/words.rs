//! How the view model carries words: [`Word`] for text from a language's table, plain
//! `String` for data (a name, an address, a note) shown as typed; and [`Labels`], the fixed
//! words of every screen, so that no shell keeps a word table of its own.

use facet::Facet;
use serde::{Deserialize, Serialize};

use domain::words::{Label, Table};

/// Text from a language's table ([`domain::words`]), possibly with data in it ("New customer
/// 王芳"). Its own type, so that a test can find every word the view model holds and check
/// that it is in the person's language.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub text: String,
}

impl Word {
    #[must_use]
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }

    #[must_use]
    pub fn label(t: &dyn Table, label: Label) -> Self {
        Self::new(t.label(label))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Read as the text it holds, so shells and tests can treat it as a `&str`.
impl std::ops::Deref for Word {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl std::fmt::Display for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Declares one screen area's fixed words: a struct of [`Word`]s, one field per [`Label`].
macro_rules! label_set {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $label:ident,)* }) => {
        $(#[$meta])*
        #[derive(facet::Facet, serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
        pub struct $name {
            $(pub $field: $crate::view::Word,)*
        }

        impl $name {
            pub(crate) fn new(t: &dyn domain::words::Table) -> Self {
                Self {
                    $($field: $crate::view::Word::label(t, domain::words::Label::$label),)*
                }
            }
        }
    };
}
pub(crate) use label_set;

label_set! {
    /// The frame around every screen: sign-in, the top bar, sync, notices.
    FrameLabels {
        app_name: AppName,
        tagline: Tagline,
        sign_in: SignIn,
        signing_in: SigningIn,
        login: Login,
        password: Password,
        sign_out: SignOut,
        loading: Loading,
        online: Online,
        live: Live,
        offline: Offline,
        syncing: Syncing,
        sync_now: SyncNow,
        last_synced: LastSynced,
        dismiss: Dismiss,
        refused: Refused,
        close: Close,
        back: Back,
        save: Save,
        cancel: Cancel,
        language: Language,
        reminders: Reminders,
        allow_notifications: AllowNotifications,
    }
}

/// The fixed words of every screen, in the person's language.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Labels {
    pub frame: FrameLabels,
    pub technician: super::technician::TechnicianLabels,
    pub sales: super::sales::SalesLabels,
    pub dispatcher: super::dispatcher::DispatcherLabels,
    pub lookup: super::lookup::LookupLabels,
    pub conflicts: super::conflicts::ConflictLabels,
    pub back_office: super::back_office::BackOfficeLabels,
    pub imports: super::imports::ImportLabels,
}

impl Labels {
    #[must_use]
    pub fn new(t: &dyn Table) -> Self {
        Self {
            frame: FrameLabels::new(t),
            technician: super::technician::TechnicianLabels::new(t),
            sales: super::sales::SalesLabels::new(t),
            dispatcher: super::dispatcher::DispatcherLabels::new(t),
            lookup: super::lookup::LookupLabels::new(t),
            conflicts: super::conflicts::ConflictLabels::new(t),
            back_office: super::back_office::BackOfficeLabels::new(t),
            imports: super::imports::ImportLabels::new(t),
        }
    }
}
