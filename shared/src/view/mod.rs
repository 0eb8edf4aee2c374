//! The view model: everything a shell shows, already sorted, filtered and worded.
//! One screen enum per role, mirroring `model/`.

pub mod dispatcher;
mod format;
pub mod pipeline;
pub mod sales;
pub mod search;
pub mod suggest;
pub mod technician;

use facet::Facet;
use serde::{Deserialize, Serialize};

use crate::model::{Model, Phase};
use domain::org::Role;

pub use dispatcher::{BoardView, DispatcherScreen};
pub use sales::{FollowUpsView, SalesScreen};
pub use search::SearchView;
pub use technician::{JobCard, MyDayView, TechnicianScreen};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ViewModel {
    pub screen: Screen,
    pub user_name: Option<String>,
    /// The roles the user can switch between.
    pub roles: Vec<Role>,
    pub role: Option<Role>,
    /// Changes made on this device that the server has not acknowledged yet.
    pub pending_changes: u32,
    pub sync: SyncView,
    pub notice: Option<String>,
    pub rejected: Vec<RejectedView>,
    /// Customer search and the customer form, on every role's screens.
    pub search: SearchView,
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
    pub error: Option<String>,
    pub busy: bool,
    /// Ask for a second-factor code (the server said this login needs one): the field's
    /// label, in the person's language. `None`: no code field.
    pub code: Option<CodeField>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CodeField {
    pub label: String,
    /// Under the field: what to type.
    pub hint: String,
}

impl CodeField {
    fn of(model: &Model) -> Option<Self> {
        let lang = model.language;
        model.ui.code_needed.then(|| CodeField {
            label: lang.pick("6-digit code", "6 位验证码").into(),
            hint: lang
                .pick(
                    "From your authenticator app; or one of your recovery codes.",
                    "来自您的身份验证器应用；也可以输入一个恢复码。",
                )
                .into(),
        })
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SyncView {
    pub online: bool,
    pub syncing: bool,
    pub last_synced: Option<String>,
    pub problem: Option<String>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RejectedView {
    pub what: String,
    pub reason: String,
}

impl From<&Model> for ViewModel {
    fn from(model: &Model) -> Self {
        let ctx = format::Ctx::new(model);
        let screen = match model.phase {
            Phase::Starting => Screen::Loading,
            Phase::SignedOut => Screen::SignIn(SignInView {
                error: model.ui.sign_in_error.clone(),
                busy: model.ui.signing_in,
                code: CodeField::of(model),
            }),
            Phase::Active => match model.role() {
                Some(Role::Technician) => Screen::Technician(technician::screen(model, &ctx)),
                Some(Role::Sales) => Screen::Sales(sales::screen(model, &ctx)),
                Some(Role::Dispatcher | Role::Admin) => {
                    Screen::Dispatcher(dispatcher::screen(model, &ctx))
                }
                None => Screen::SignIn(SignInView {
                    error: Some(
                        model
                            .language
                            .pick(
                                "This account has no role in Rounds yet.",
                                "该账号在巡访中还没有角色。",
                            )
                            .into(),
                    ),
                    busy: false,
                    code: None,
                }),
            },
        };
        let user = model.user();
        ViewModel {
            screen,
            user_name: user.map(|u| u.name.clone()),
            roles: user.map(|u| u.roles.clone()).unwrap_or_default(),
            role: model.role(),
            pending_changes: u32::try_from(model.outbox.len()).unwrap_or(u32::MAX),
            sync: SyncView {
                online: model.sync.online,
                syncing: model.sync.in_flight,
                last_synced: model.sync.last_synced.map(|t| ctx.when(t)),
                problem: model.sync.problem.clone(),
            },
            notice: model.notice.clone(),
            rejected: model
                .rejections
                .iter()
                .map(|r| RejectedView {
                    what: format::op_summary(&r.op.kind),
                    reason: r.message.clone(),
                })
                .collect(),
            search: search::view(model),
        }
    }
}
