//! The view model: everything a shell shows, already sorted, filtered and worded in the
//! person's language. One screen enum per role, mirroring `model/`. Words come from the
//! tables of `domain::words` and are typed [`Word`]; data (names, addresses, notes) is `String`.

pub mod audit;
pub mod back_office;
pub mod conflicts;
pub mod dispatcher;
pub(crate) mod format;
pub mod imports;
pub mod job_form;
pub mod lookup;
pub mod map;
pub mod numbers;
pub mod pipeline;
pub mod queue;
pub mod record_sync;
pub mod sales;
pub mod settings;
pub mod suggest;
pub mod technician;
#[cfg(test)]
mod tests;
pub mod value;
pub mod words;

use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::model::{Lifecycle, Model, Notice, SignInForm};
use domain::org::Role;
use domain::words::{Label, Table};

pub use dispatcher::{BoardView, DispatcherScreen};
pub(crate) use format::Ctx;
pub use lookup::LookupView;
pub use sales::{FollowUpsView, SalesScreen};
pub use technician::{JobCard, MyDayView, TechnicianScreen};
pub use words::{Labels, Word};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ViewModel {
    pub screen: Screen,
    /// The fixed words of every screen, in the person's language.
    pub labels: Labels,
    /// The language the view is in.
    pub language: domain::words::Lang,
    /// The languages the person can switch between, each named in itself.
    pub languages: Vec<LanguageChoice>,
    pub user_name: Option<String>,
    /// The roles the user can switch between.
    pub roles: Vec<RoleChoice>,
    pub role: Option<Role>,
    /// Changes this person made on this device that the server has not acknowledged yet
    /// (rule follow-ups the device raised by itself are not counted).
    pub pending_changes: u32,
    /// The same, in words ("3 changes waiting to sync"); `None` when there are none.
    pub pending_words: Option<Word>,
    pub sync: SyncView,
    pub notice: Option<Word>,
    pub rejected: Vec<RejectedView>,
    /// Customer search and the customer form, on every role's screens.
    pub lookup: LookupView,
    /// The conflict inbox, on every role's screens; its count goes in the top bar.
    pub conflicts: conflicts::ConflictsView,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LanguageChoice {
    pub lang: domain::words::Lang,
    /// The language's own name for itself: data, the same in every language.
    pub endonym: String,
    /// BCP 47, for the page's `lang` attribute.
    pub code: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RoleChoice {
    pub role: Role,
    pub name: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per render and moved to the shell whole; boxes would buy nothing"
)]
#[repr(C)]
pub enum Screen {
    Loading,
    SignIn(SignInView),
    Technician(TechnicianScreen),
    Sales(SalesScreen),
    Dispatcher(DispatcherScreen),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SignInView {
    pub error: Option<Word>,
    pub busy: bool,
    /// Ask for a second-factor code (the server said this login needs one). `None`: no code
    /// field.
    pub code: Option<CodeField>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CodeField {
    pub label: Word,
    /// Under the field: what to type.
    pub hint: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SyncView {
    pub online: bool,
    /// The server's live channel is open: changes arrive as they happen, not at the next
    /// pull.
    pub live: bool,
    pub syncing: bool,
    pub last_synced: Option<String>,
    pub problem: Option<Word>,
    /// Changes are being written to the device and are not yet safe from a crash.
    pub saving: bool,
    /// How much of the device's storage is used, when it runs short or is full.
    pub storage: Option<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RejectedView {
    pub what: Word,
    pub reason: Word,
}

/// A notice in the person's language.
pub(crate) fn notice(t: &dyn Table, notice: &Notice) -> Word {
    Word::new(match notice {
        Notice::Said(label) => t.label(*label).to_owned(),
        Notice::NotSaved(detail) => t.not_saved(detail),
        Notice::StorageFull => t.storage_full(),
        Notice::Refused(e) => t.op_error(e),
        Notice::ServerRefusedChanges(n) => t.server_refused_changes(*n),
        Notice::ServerRefused(detail) => t.server_refused(detail),
        Notice::OthersChanges(n) => t.others_changes(*n),
        Notice::Unreadable(what) => t.unreadable(what),
        Notice::JobMoved { job, address } => t.job_moved(job, address),
        Notice::ClockOff { minutes } => t.clock_off(*minutes),
    })
}

impl From<&Model> for ViewModel {
    fn from(model: &Model) -> Self {
        let ctx = format::Ctx::new(model);
        let t = ctx.t;
        let sign_in = |form: &SignInForm| {
            Screen::SignIn(SignInView {
                error: form.error.as_ref().map(|n| notice(t, n)),
                busy: form.busy,
                code: form.code_needed.then(|| CodeField {
                    label: Word::label(t, Label::CodeLabel),
                    hint: Word::label(t, Label::CodeHint),
                }),
            })
        };
        let screen = match &model.lifecycle {
            Lifecycle::Starting => Screen::Loading,
            Lifecycle::SignedOut(form) => sign_in(form),
            Lifecycle::Active(_) => match model.role() {
                Some(Role::Technician) => Screen::Technician(technician::screen(model, &ctx)),
                Some(Role::Sales) => Screen::Sales(sales::screen(model, &ctx)),
                Some(Role::Dispatcher | Role::Admin) => {
                    Screen::Dispatcher(dispatcher::screen(model, &ctx))
                }
                None => sign_in(&SignInForm {
                    error: Some(Label::NoRole.into()),
                    ..SignInForm::default()
                }),
            },
        };
        let user = model.user();
        // The person's own changes: the rule follow-ups the device raised on its own are
        // housekeeping, not work the person is waiting to see synced.
        let pending = model
            .outbox
            .ops()
            .filter(|op| !crate::model::followups::is_rule_made(op))
            .count();
        let pending = u32::try_from(pending).unwrap_or(u32::MAX);
        ViewModel {
            screen,
            labels: Labels::new(t),
            language: model.language,
            languages: domain::words::Lang::ALL
                .into_iter()
                .map(|lang| LanguageChoice {
                    lang,
                    endonym: lang.endonym().to_owned(),
                    code: lang.code().to_owned(),
                })
                .collect(),
            user_name: user.map(|u| u.name.clone()),
            roles: user
                .map(|u| {
                    u.roles
                        .iter()
                        .map(|&role| RoleChoice {
                            role,
                            name: Word::new(t.role(role)),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            role: model.role(),
            pending_changes: pending,
            pending_words: match u32::try_from(model.unsaved_ops()).unwrap_or(u32::MAX) {
                0 => (pending > 0).then(|| Word::new(t.pending_changes(pending))),
                unsaved => Some(Word::new(t.saving_changes(unsaved))),
            },
            sync: SyncView {
                online: model.sync.online,
                live: model.view_live(),
                syncing: model.sync.in_flight,
                last_synced: model.sync.last_synced.map(|t| ctx.when(t)),
                problem: model.sync.problem.as_ref().map(|n| notice(t, n)),
                saving: model.unsaved_ops() > 0,
                storage: model
                    .store
                    .usage
                    .filter(|u| u.short() || model.store.full)
                    .map(|u| Word::new(t.storage_usage(u.used, u.quota))),
            },
            notice: model.notice.as_ref().map(|n| notice(t, n)),
            rejected: model
                .rejections
                .iter()
                .map(|r| RejectedView {
                    what: Word::new(format::op_summary(&ctx, &r.op.kind)),
                    reason: Word::new(t.op_error(&r.error)),
                })
                .collect(),
            lookup: lookup::view(model),
            conflicts: conflicts::view(model, &ctx),
        }
    }
}
