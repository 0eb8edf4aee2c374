//! The dispatch panel of the board: technicians ranked for one job with their reasons, or a
//! proposed day with what would change. Computed in `model::dispatch_board` as typed reasons;
//! worded here from the person's table.

use chrono::{DateTime, Datelike, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use crate::model::dispatch_board::{AssignCheck, DispatchProblem};
use dispatch::{
    CandidateReason, DayError, ExclusionReason, JobSuggestion, PlanChange, PlanChangeKind,
    PlanProposal, UnplacedReason,
};
use domain::ids::{JobId, UserId};
use domain::ops::{Record, RecordKey};
use domain::words::{Label, Table};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct DispatchPanel {
    pub suggestion: Option<SuggestView>,
    pub plan: Option<PlanView>,
    pub problem: Option<Word>,
    /// An assignment by hand the dispatcher is warned about, to confirm with a reason.
    pub confirm: Option<ConfirmView>,
}

/// "Assign J-… to 郑洋 anyway?", with why not, a reason to type, and the two ways out.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ConfirmView {
    pub job: JobId,
    pub technician: UserId,
    pub title: Word,
    /// Each thing the assignment goes against: a missing skill, hours, the window, the SLA.
    pub warnings: Vec<Word>,
    /// As typed; sent back with `DispatcherEvent::AssignReason`.
    pub reason: String,
    /// Shown when Confirm was pressed with no reason.
    pub error: Option<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SuggestView {
    pub job: JobId,
    pub title: Word,
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
    pub added: Word,
    pub reasons: Vec<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ExcludedView {
    pub technician: UserId,
    pub name: String,
    pub reason: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PlanView {
    pub title: Word,
    /// "41.2 km of driving (now 48.0 km)".
    pub summary: Word,
    pub routes: Vec<RouteView>,
    pub changes: Vec<ChangeView>,
    pub unassigned: Vec<UnplacedView>,
    /// Accepting makes this many assignment changes.
    pub changes_to_make: u32,
    /// The accept button, with how many changes it makes.
    pub accept: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RouteView {
    pub technician: UserId,
    pub name: String,
    pub stops: Vec<StopView>,
    pub driving: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StopView {
    /// `None` for a break.
    pub job: Option<JobId>,
    pub number: Option<String>,
    /// "Break", for a break.
    pub rest: Option<Word>,
    /// "09:30–10:30".
    pub time: String,
    pub changed: bool,
    pub fixed: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ChangeView {
    pub job: JobId,
    pub text: Word,
    /// Only shown: accepting leaves the job as it is.
    pub informational: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct UnplacedView {
    pub job: JobId,
    pub number: String,
    pub reason: Word,
}

pub(super) fn panel(model: &Model, ctx: &Ctx) -> DispatchPanel {
    DispatchPanel {
        suggestion: model
            .dispatch
            .suggestion
            .as_ref()
            .map(|s| suggestion(ctx, s)),
        plan: model
            .dispatch
            .proposal
            .as_ref()
            .map(|p| plan(model, ctx, p)),
        problem: model.dispatch.problem.as_ref().map(|p| problem(ctx.t, p)),
        confirm: model
            .dispatch
            .confirm
            .as_ref()
            .map(|c| confirm(model, ctx, c)),
    }
}

fn confirm(model: &Model, ctx: &Ctx, c: &AssignCheck) -> ConfirmView {
    let s = &c.suggestion;
    let name = match model.replica.record(&RecordKey::User(c.technician)) {
        Some(Record::User(u)) => u.name.clone(),
        _ => ctx.t.label(Label::AnotherTechnician).to_owned(),
    };
    let (excluded, late) = c.warnings();
    let mut warnings: Vec<Word> = excluded.map(|e| exclusion(ctx, s, e)).into_iter().collect();
    if let Some(seconds) = late {
        warnings.push(reason(ctx, &CandidateReason::MissesSla { seconds }));
    }
    if let Some(size) = c.short_crew {
        warnings.push(Word::new(ctx.t.crew_needed(size)));
    }
    ConfirmView {
        job: s.job,
        technician: c.technician,
        title: Word::new(ctx.t.assign_anyway(&s.number, &name)),
        warnings,
        reason: c.reason.clone(),
        error: c
            .needs_reason
            .then(|| Word::label(ctx.t, Label::SayWhyAssign)),
    }
}

/// A local clock time, "10:40": the day is the suggestion's or the plan's.
fn clock(ctx: &Ctx, t: DateTime<Utc>) -> String {
    t.with_timezone(&ctx.tz).format("%H:%M").to_string()
}

fn problem(t: &dyn Table, p: &DispatchProblem) -> Word {
    let label = |l| Word::label(t, l);
    match p {
        DispatchProblem::NotAllowed => label(Label::DispatchNotAllowed),
        DispatchProblem::StoreMissing => label(Label::DispatchStoreMissing),
        DispatchProblem::NoJob => label(Label::DispatchNoJob),
        DispatchProblem::NoStore => label(Label::DispatchNoStore),
        DispatchProblem::Stale => label(Label::DispatchStale),
        DispatchProblem::Day(e) => label(day_error(e)),
        DispatchProblem::NoSuggestion { job, why } => {
            Word::new(t.no_suggestion(job, t.label(day_error(why))))
        }
    }
}

fn day_error(e: &DayError) -> Label {
    match e {
        DayError::DayOver => Label::DispatchDayOver,
        DayError::UnknownJob => Label::DispatchNoJob,
        DayError::JobClosed => Label::DispatchJobClosed,
        DayError::JobNotOnDay => Label::DispatchJobNotOnDay,
        DayError::JobUnderway => Label::DispatchJobUnderway,
        DayError::JobWithoutPosition => Label::DispatchJobNoPosition,
        DayError::JobWaitingForParts => Label::DispatchJobWaitingForParts,
        // Records no person can fix from the board (a broken time window, say).
        _ => Label::DispatchDayInvalid,
    }
}

fn reason(ctx: &Ctx, r: &CandidateReason) -> Word {
    let t = ctx.t;
    Word::new(match r {
        CandidateReason::AddedDriving { metres, seconds } => t.reason_driving(*metres, *seconds),
        CandidateReason::StartsAt { at } => t.reason_starts_at(&clock(ctx, *at)),
        CandidateReason::BeforeSla { seconds } => t.reason_before_sla(*seconds),
        CandidateReason::MissesSla { seconds } => t.reason_misses_sla(*seconds),
        CandidateReason::NothingMoves => t.label(Label::NothingMoves).to_owned(),
        CandidateReason::MovesVisits {
            count,
            most_seconds,
        } => t.reason_moves(*count, *most_seconds),
        CandidateReason::BringsForward {
            count,
            most_seconds,
        } => t.reason_brings_forward(*count, *most_seconds),
        CandidateReason::AlreadyAssigned => t.label(Label::AlreadyAssigned).to_owned(),
    })
}

fn exclusion(ctx: &Ctx, s: &JobSuggestion, e: &ExclusionReason) -> Word {
    let t = ctx.t;
    Word::new(match e {
        ExclusionReason::MissingSkills { skills } => {
            let names: Vec<&str> = skills.iter().map(|c| skill_name(ctx, c)).collect();
            t.missing_skills(&names)
        }
        ExclusionReason::PinnedToOther => t.label(Label::PinnedToOther).to_owned(),
        ExclusionReason::OffThatDay => t.off_that_day(s.date.weekday()),
        ExclusionReason::Away { kind } => t.away(*kind).to_owned(),
        ExclusionReason::OutsideShift { from, to } => {
            t.outside_shift(&clock(ctx, *from), &clock(ctx, *to))
        }
        ExclusionReason::WindowUnreachable => t.label(Label::WindowUnreachable).to_owned(),
        ExclusionReason::OverMaxJobs { max } => t.over_max_jobs(*max),
        ExclusionReason::OverCapacity => t.label(Label::OverCapacity).to_owned(),
    })
}

/// A skill's name in the person's language, from the organization's catalogue; the code when
/// the catalogue does not know it (a skill removed since).
pub(super) fn skill_name<'a>(ctx: &Ctx<'a>, code: &'a str) -> &'a str {
    ctx.org
        .and_then(|o| o.skills.iter().find(|s| s.code.0 == code))
        .map_or(code, |s| ctx.t.skill(s))
}

fn unplaced(t: &dyn Table, r: UnplacedReason) -> String {
    match r {
        UnplacedReason::NoCrew { size } => t.unplaced_no_crew(size),
        other => t.label(unplaced_label(other)).to_owned(),
    }
}

fn unplaced_label(r: UnplacedReason) -> Label {
    match r {
        UnplacedReason::NoCrew { .. } => Label::UnplacedNoRoom,
        UnplacedReason::NoQualifiedTechnician => Label::UnplacedNoSkills,
        UnplacedReason::OutsideShift => Label::UnplacedOutsideShift,
        UnplacedReason::WindowUnreachable => Label::UnplacedUnreachable,
        UnplacedReason::OverMaxJobs => Label::UnplacedOverMaxJobs,
        UnplacedReason::OverCapacity => Label::UnplacedOverCapacity,
        UnplacedReason::NoRoomInPlan => Label::UnplacedNoRoom,
        UnplacedReason::NoPosition => Label::UnplacedNoPosition,
        UnplacedReason::WaitingForParts => Label::UnplacedWaitingForParts,
    }
}

fn suggestion(ctx: &Ctx, s: &JobSuggestion) -> SuggestView {
    SuggestView {
        job: s.job,
        title: Word::new(ctx.t.who_should_take(&s.number)),
        candidates: s
            .candidates
            .iter()
            .map(|c| CandidateView {
                technician: c.technician,
                // A crew job's option is a whole crew: "郑洋 and 王芳".
                name: {
                    let names: Vec<&str> = std::iter::once(c.name.as_str())
                        .chain(c.crew.iter().map(|m| m.name.as_str()))
                        .collect();
                    ctx.t.people(&names)
                },
                rank: c.rank,
                eta: ctx.when(c.eta),
                added: Word::new(ctx.t.added_driving(c.added_metres, c.added_travel_seconds)),
                reasons: c.reasons.iter().map(|r| reason(ctx, r)).collect(),
            })
            .collect(),
        excluded: s
            .excluded
            .iter()
            .map(|e| ExcludedView {
                technician: e.technician,
                name: e.name.clone(),
                reason: exclusion(ctx, s, &e.reason),
            })
            .collect(),
    }
}

/// A technician's name: from the proposal's routes, else the replica (someone off that day).
fn name_of(model: &Model, ctx: &Ctx, p: &PlanProposal, id: Option<UserId>) -> String {
    let route = p.routes.iter().find(|r| Some(r.technician) == id);
    let user = || match id.and_then(|u| model.replica.record(&RecordKey::User(u))) {
        Some(Record::User(u)) => Some(u.name.clone()),
        _ => None,
    };
    route
        .map(|r| r.name.clone())
        .or_else(user)
        .unwrap_or_else(|| ctx.t.label(Label::AnotherTechnician).to_owned())
}

fn change(model: &Model, ctx: &Ctx, p: &PlanProposal, c: &PlanChange) -> Word {
    let t = ctx.t;
    // A crew job's change names the whole crew where it names the technician.
    let name = |id: Option<UserId>| {
        let lead = name_of(model, ctx, p, id);
        if id != c.technician || c.crew.is_empty() {
            return lead;
        }
        let mut names = vec![lead];
        names.extend(c.crew.iter().map(|u| name_of(model, ctx, p, Some(*u))));
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        t.people(&names)
    };
    let at = c.planned_start.map(|s| clock(ctx, s));
    let at = at.as_deref().unwrap_or("–");
    Word::new(match c.kind {
        PlanChangeKind::Assign => t.change_assign(&c.number, &name(c.technician), at),
        PlanChangeKind::Reassign { from } => {
            t.change_reassign(&c.number, &name(Some(from)), &name(c.technician), at)
        }
        PlanChangeKind::Retime { from } => {
            let from = from.map(|f| clock(ctx, f));
            t.change_retime(&c.number, &name(c.technician), from.as_deref(), at)
        }
        PlanChangeKind::Keep => {
            let why = p
                .unassigned
                .iter()
                .find(|u| u.job == c.job)
                .map_or(UnplacedReason::NoRoomInPlan, |u| u.reason);
            t.change_keep(&c.number, &name(c.technician), &unplaced(t, why))
        }
        PlanChangeKind::NewCrew => t.change_crew(&c.number, &name(c.technician), at),
    })
}

fn plan(model: &Model, ctx: &Ctx, p: &PlanProposal) -> PlanView {
    let t = ctx.t;
    let changes_to_make = u32::try_from(p.ops().len()).unwrap_or(u32::MAX);
    PlanView {
        title: Word::new(t.proposed_plan(&ctx.date(p.date))),
        summary: Word::new(t.plan_driving(p.metres, p.current_metres)),
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
                        number: v.number.clone(),
                        rest: v.job.is_none().then(|| Word::label(t, Label::BreakStop)),
                        time: format!("{}–{}", ctx.when(v.start), ctx.when(v.end)),
                        changed: v.changed,
                        fixed: v.fixed,
                    })
                    .collect(),
                driving: Word::new(t.route_driving(r.metres, r.travel_seconds)),
            })
            .collect(),
        changes: p
            .changes
            .iter()
            .map(|c| ChangeView {
                job: c.job,
                text: change(model, ctx, p, c),
                informational: c.kind == PlanChangeKind::Keep,
            })
            .collect(),
        unassigned: p
            .unassigned
            .iter()
            .map(|u| UnplacedView {
                job: u.job,
                number: u.number.clone(),
                reason: Word::new(unplaced(t, u.reason)),
            })
            .collect(),
        changes_to_make,
        accept: Word::new(t.accept_plan(changes_to_make)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::model::tests::{signed_in, t0, user_with};
    use domain::org::Role;

    /// Words `f` in English and in Chinese, for the dispatcher of the demo organization.
    fn both(f: impl Fn(&Ctx) -> Word) -> (String, String) {
        let mut model = signed_in(user_with(Role::Dispatcher));
        let en = f(&Ctx::new(&model)).text;
        model.language = Lang::SimplifiedChinese;
        (en, f(&Ctx::new(&model)).text)
    }

    #[test]
    fn reasons_are_worded_with_their_numbers_in_both_languages() {
        let driving = CandidateReason::AddedDriving {
            metres: 3_240,
            seconds: 3_661,
        };
        assert_eq!(
            both(|ctx| reason(ctx, &driving)),
            (
                "adds 3.2 km and 1 h 2 min of driving".to_owned(),
                "增加 3.2 公里 和 1 小时 2 分钟 车程".to_owned()
            )
        );
        let moves = CandidateReason::MovesVisits {
            count: 1,
            most_seconds: 600,
        };
        assert_eq!(
            both(|ctx| reason(ctx, &moves)),
            (
                "moves 1 later visit by up to 10 min".to_owned(),
                "推迟后续 1 个上门，最多 10 分钟".to_owned()
            )
        );
        let late = CandidateReason::MissesSla { seconds: 59 };
        let (en, zh) = both(|ctx| reason(ctx, &late));
        assert_eq!(en, "misses the SLA deadline by 1 min", "rounded up");
        assert_eq!(zh, "超出服务时限 1 分钟");
    }

    #[test]
    fn exclusions_name_the_day_and_the_skills_in_the_persons_language() {
        let model = signed_in(user_with(Role::Dispatcher));
        let ctx = Ctx::new(&model);
        let skill = ctx.org.unwrap().skills[0].clone();
        let monday = JobSuggestion {
            job: JobId::new(),
            number: "J-1".into(),
            // t0 is a Monday.
            date: t0().date_naive(),
            candidates: vec![],
            excluded: vec![],
        };
        let off = both(|ctx| exclusion(ctx, &monday, &ExclusionReason::OffThatDay));
        assert_eq!(
            off,
            (
                "does not work on Monday".to_owned(),
                "周一不上班".to_owned()
            )
        );
        let missing = ExclusionReason::MissingSkills {
            skills: vec![skill.code.0.clone(), "gone-from-catalogue".into()],
        };
        let (en, zh) = both(|ctx| exclusion(ctx, &monday, &missing));
        assert_eq!(en, format!("lacks {}, gone-from-catalogue", skill.name_en));
        assert_eq!(
            zh,
            format!("缺少技能：{}、gone-from-catalogue", skill.name_zh)
        );
    }

    #[test]
    fn a_job_that_cannot_be_suggested_says_why() {
        let p = DispatchProblem::NoSuggestion {
            job: "J-7".into(),
            why: DayError::JobUnderway,
        };
        let (en, zh) = both(|ctx| problem(ctx.t, &p));
        assert_eq!(en, "No suggestion for J-7. The job is already under way.");
        assert_eq!(zh, "无法为 J-7 推荐技师。该工单已在进行中。");
    }
}
