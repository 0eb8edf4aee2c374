//! The dispatch panel of the board: technicians ranked for one job with their reasons, or a
//! proposed day with what would change. Worded here; computed in `model::dispatch_board`.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::format::Ctx;
use crate::dispatch::records::{JobSuggestion, PlanChangeKind, PlanProposal};
use crate::ids::{JobId, UserId};
use crate::model::{Language, Model};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct DispatchPanel {
    pub suggestion: Option<SuggestView>,
    pub plan: Option<PlanView>,
    pub problem: Option<String>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SuggestView {
    pub job: JobId,
    pub title: String,
    /// Best first.
    pub candidates: Vec<CandidateView>,
    pub excluded: Vec<ExcludedView>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CandidateView {
    pub technician: UserId,
    pub name: String,
    pub rank: u32,
    /// "10:40".
    pub eta: String,
    /// "+3.2 km, +9 min".
    pub added: String,
    pub reasons: Vec<String>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ExcludedView {
    pub technician: UserId,
    pub name: String,
    pub reason: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PlanView {
    pub title: String,
    /// "41.2 km of driving (now 48.0 km)".
    pub summary: String,
    pub routes: Vec<RouteView>,
    pub changes: Vec<ChangeView>,
    pub unassigned: Vec<UnplacedView>,
    /// Accepting makes this many assignment changes.
    pub changes_to_make: u32,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RouteView {
    pub technician: UserId,
    pub name: String,
    pub stops: Vec<StopView>,
    pub driving: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StopView {
    pub job: Option<JobId>,
    pub label: String,
    /// "09:30–10:30".
    pub time: String,
    pub changed: bool,
    pub fixed: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ChangeView {
    pub job: JobId,
    pub text: String,
    /// Only shown: accepting leaves the job as it is.
    pub informational: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct UnplacedView {
    pub job: JobId,
    pub number: String,
    pub reason: String,
}

pub(super) fn panel(model: &Model, ctx: &Ctx) -> DispatchPanel {
    DispatchPanel {
        suggestion: model
            .dispatch
            .suggestion
            .as_ref()
            .map(|s| suggestion(ctx, s)),
        plan: model.dispatch.proposal.as_ref().map(|p| plan(ctx, p)),
        problem: model.dispatch.problem.clone(),
    }
}

fn km(metres: i64) -> String {
    format!("{:.1} km", metres as f64 / 1000.0)
}

fn suggestion(ctx: &Ctx, s: &JobSuggestion) -> SuggestView {
    SuggestView {
        job: s.job,
        title: match ctx.lang {
            Language::English => format!("Who should take {}?", s.number),
            Language::SimplifiedChinese => format!("谁来接 {}？", s.number),
        },
        candidates: s
            .candidates
            .iter()
            .map(|c| CandidateView {
                technician: c.technician,
                name: c.name.clone(),
                rank: c.rank,
                eta: ctx.when(c.eta),
                added: format!(
                    "+{}, +{} min",
                    km(c.added_metres),
                    (c.added_travel_seconds + 59).div_euclid(60)
                ),
                reasons: c.reasons.clone(),
            })
            .collect(),
        excluded: s
            .excluded
            .iter()
            .map(|e| ExcludedView {
                technician: e.technician,
                name: e.name.clone(),
                reason: e.detail.clone(),
            })
            .collect(),
    }
}

fn plan(ctx: &Ctx, p: &PlanProposal) -> PlanView {
    PlanView {
        title: match ctx.lang {
            Language::English => format!("Proposed plan for {}", ctx.date(p.date)),
            Language::SimplifiedChinese => format!("{} 的排班方案", ctx.date(p.date)),
        },
        summary: format!("{} of driving (now {})", km(p.metres), km(p.current_metres)),
        routes: p
            .routes
            .iter()
            .map(|r| RouteView {
                technician: r.technician,
                name: r.name.clone(),
                stops: r
                    .visits
                    .iter()
                    .map(|v| StopView {
                        job: v.job,
                        label: v.label.clone(),
                        time: format!("{}–{}", ctx.when(v.start), ctx.when(v.end)),
                        changed: v.changed,
                        fixed: v.fixed,
                    })
                    .collect(),
                driving: format!(
                    "{}, {} min",
                    km(r.metres),
                    (r.travel_seconds + 59).div_euclid(60)
                ),
            })
            .collect(),
        changes: p
            .changes
            .iter()
            .map(|c| ChangeView {
                job: c.job,
                text: c.detail.clone(),
                informational: c.kind == PlanChangeKind::Keep,
            })
            .collect(),
        unassigned: p
            .unassigned
            .iter()
            .map(|u| UnplacedView {
                job: u.job,
                number: u.number.clone(),
                reason: u.detail.clone(),
            })
            .collect(),
        changes_to_make: u32::try_from(p.ops().len()).unwrap_or(u32::MAX),
    }
}
