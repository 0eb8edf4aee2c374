//! The dispatch panel of the board: technicians ranked for one job with their reasons, or a
//! proposed day with what would change. Worded here; computed in `model::dispatch_board`.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::format::Ctx;
use crate::model::{Lang, Model};
use dispatch::{
    ExclusionReason, JobSuggestion, PlanChange, PlanChangeKind, PlanProposal, TechnicianOption,
    UnplacedReason,
};
use domain::ids::{JobId, UserId};

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

/// A duration in Chinese: "23 分钟", "1 小时 5 分钟" (rounded up to the minute).
fn duration_zh(seconds: i64) -> String {
    let m = (seconds + 59).div_euclid(60);
    if m >= 60 {
        format!("{} 小时 {} 分钟", m / 60, m % 60)
    } else {
        format!("{m} 分钟")
    }
}

/// The dispatch engine's reasons (English in `TechnicianOption::reasons`), worded from the
/// same numbers in Chinese.
fn reasons_zh(ctx: &Ctx, c: &TechnicianOption) -> Vec<String> {
    let mut reasons = vec![
        format!(
            "增加 {} 和 {} 车程",
            km(c.added_metres),
            duration_zh(c.added_travel_seconds)
        ),
        format!("{} 可开始", ctx.when(c.eta)),
    ];
    if let Some(slack) = c.sla_slack_minutes {
        reasons.push(if slack >= 0 {
            format!("比服务时限早 {} 完成", duration_zh(slack * 60))
        } else {
            format!("超出服务时限 {}", duration_zh(-slack * 60))
        });
    }
    reasons.push(
        match c.moved.iter().map(|m| (m.to - m.from).num_seconds()).max() {
            None => "其他上门不受影响".to_owned(),
            Some(most) => format!(
                "推迟后续 {} 个上门，最多 {}",
                c.moved.len(),
                duration_zh(most)
            ),
        },
    );
    if c.reasons.iter().any(|r| r == "already assigned") {
        reasons.push("已派给此技师".to_owned());
    }
    reasons
}

fn exclusion_zh(reason: &ExclusionReason) -> String {
    match reason {
        ExclusionReason::MissingSkills { skills } => format!("缺少技能：{}", skills.join("、")),
        ExclusionReason::PinnedToOther => "工单保留给已派的技师".to_owned(),
        ExclusionReason::OffThatDay => "当天不上班".to_owned(),
        ExclusionReason::OutsideShift => "工单时间窗不在其工作时间内".to_owned(),
        ExclusionReason::WindowUnreachable => {
            "无法在时间窗内赶到（会让其他上门迟到或超出下班时间）".to_owned()
        }
        ExclusionReason::OverMaxJobs => "当天工单已达上限".to_owned(),
        ExclusionReason::OverCapacity => "车辆装不下该工单的货物".to_owned(),
    }
}

fn change_zh(ctx: &Ctx, p: &PlanProposal, c: &PlanChange) -> String {
    let name = |id: Option<UserId>| {
        p.routes
            .iter()
            .find(|r| Some(r.technician) == id)
            .map_or_else(|| "另一位技师".to_owned(), |r| r.name.clone())
    };
    let at = c
        .planned_start
        .map_or_else(|| "未定时间".to_owned(), |t| ctx.when(t));
    match c.kind {
        PlanChangeKind::Assign => format!("{} 派给 {}，{} 开始", c.number, name(c.technician), at),
        PlanChangeKind::Reassign { from } => format!(
            "{} 从 {} 改派给 {}，{} 开始",
            c.number,
            name(Some(from)),
            name(c.technician),
            at
        ),
        PlanChangeKind::Retime { from } => format!(
            "{}（{}）从 {} 改到 {}",
            c.number,
            name(c.technician),
            from.map_or_else(|| "未定时间".to_owned(), |t| ctx.when(t)),
            at
        ),
        PlanChangeKind::Keep => format!("{} 方案中排不下，保持原样", c.number),
    }
}

fn unplaced_zh(reason: UnplacedReason) -> &'static str {
    match reason {
        UnplacedReason::NoQualifiedTechnician => "当天上班的技师都没有所需技能",
        UnplacedReason::OutsideShift => "时间窗不在任何合格技师的工作时间内",
        UnplacedReason::WindowUnreachable => "没有合格技师能在时间窗内赶到",
        UnplacedReason::OverMaxJobs => "合格技师当天工单都已满",
        UnplacedReason::OverCapacity => "合格技师的车辆都装不下",
        UnplacedReason::NoRoomInPlan => "单独可以安排，但当天已满：需要挪走别的工单",
        UnplacedReason::NoPosition => "服务地址没有地图位置",
        UnplacedReason::WaitingForParts => "等待配件",
    }
}

fn suggestion(ctx: &Ctx, s: &JobSuggestion) -> SuggestView {
    SuggestView {
        job: s.job,
        title: match ctx.lang {
            Lang::English => format!("Who should take {}?", s.number),
            Lang::SimplifiedChinese => format!("谁来接 {}？", s.number),
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
                    "+{}, +{} {}",
                    km(c.added_metres),
                    (c.added_travel_seconds + 59).div_euclid(60),
                    ctx.w("min", "分钟")
                ),
                reasons: match ctx.lang {
                    Lang::English => c.reasons.clone(),
                    Lang::SimplifiedChinese => reasons_zh(ctx, c),
                },
            })
            .collect(),
        excluded: s
            .excluded
            .iter()
            .map(|e| ExcludedView {
                technician: e.technician,
                name: e.name.clone(),
                reason: match ctx.lang {
                    Lang::English => e.detail.clone(),
                    Lang::SimplifiedChinese => exclusion_zh(&e.reason),
                },
            })
            .collect(),
    }
}

fn plan(ctx: &Ctx, p: &PlanProposal) -> PlanView {
    PlanView {
        title: match ctx.lang {
            Lang::English => format!("Proposed plan for {}", ctx.date(p.date)),
            Lang::SimplifiedChinese => format!("{} 的排班方案", ctx.date(p.date)),
        },
        summary: match ctx.lang {
            Lang::English => {
                format!("{} of driving (now {})", km(p.metres), km(p.current_metres))
            }
            Lang::SimplifiedChinese => {
                format!("车程 {}（现为 {}）", km(p.metres), km(p.current_metres))
            }
        },
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
                        label: match (v.job, ctx.lang) {
                            (None, Lang::SimplifiedChinese) => "休息".to_owned(),
                            _ => v.label.clone(),
                        },
                        time: format!("{}–{}", ctx.when(v.start), ctx.when(v.end)),
                        changed: v.changed,
                        fixed: v.fixed,
                    })
                    .collect(),
                driving: format!(
                    "{}, {} {}",
                    km(r.metres),
                    (r.travel_seconds + 59).div_euclid(60),
                    ctx.w("min", "分钟")
                ),
            })
            .collect(),
        changes: p
            .changes
            .iter()
            .map(|c| ChangeView {
                job: c.job,
                text: match ctx.lang {
                    Lang::English => c.detail.clone(),
                    Lang::SimplifiedChinese => change_zh(ctx, p, c),
                },
                informational: c.kind == PlanChangeKind::Keep,
            })
            .collect(),
        unassigned: p
            .unassigned
            .iter()
            .map(|u| UnplacedView {
                job: u.job,
                number: u.number.clone(),
                reason: match ctx.lang {
                    Lang::English => u.detail.clone(),
                    Lang::SimplifiedChinese => unplaced_zh(u.reason).to_owned(),
                },
            })
            .collect(),
        changes_to_make: u32::try_from(p.ops().len()).unwrap_or(u32::MAX),
    }
}
