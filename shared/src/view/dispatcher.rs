//! The dispatcher's board: the unassigned queue by SLA deadline, each technician's day,
//! and the alerts that need a decision.

use std::collections::HashMap;

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use super::job_form::NewJobView;
use super::sales::{FollowUpCard, my_follow_ups};
use super::technician::{JobCard, card};
use crate::model::Model;
use domain::ids::{JobId, UserId};
use domain::jobs::{Job, JobStatus};
use domain::ops::Record;
use domain::org::{Role, User};
use domain::places::LatLng;

super::words::label_set! {
    /// The dispatcher's console: the queue, the board, suggestions, plans, the map.
    DispatcherLabels {
        back_office: BackOffice,
        reps_follow_ups: RepsFollowUps,
        unassigned: Unassigned,
        no_jobs_waiting: NoJobsWaiting,
        technicians: Technicians,
        alerts: Alerts,
        map: Map,
        map_without_tiles: MapWithoutTiles,
        map_zoom_in: MapZoomIn,
        map_zoom_out: MapZoomOut,
        map_fit: MapFit,
        map_proposed: MapProposedRoutes,
        suggest: Suggest,
        assign: AssignTechnician,
        reassign: Reassign,
        cancel_reason: CancelReason,
        plan_the_day: PlanTheDay,
        shortcuts: ShortcutsHint,
        any_store: AnyStore,
        any_service: AnyService,
        any_priority: AnyPriority,
        any_skill: AnySkill,
        at_risk_only: AtRiskOnly,
        sort_by: SortBy,
        undo: Undo,
        assign_anyway: AssignAnyway,
        why_assign: WhyAssign,
        keep_as_it_was: KeepAsItWas,
        previous_day: PreviousDay,
        previous_page: PreviousPage,
        away: Away,
        absence_first_day: AbsenceFirstDay,
        absence_last_day: AbsenceLastDay,
        record_absence: RecordAbsence,
        back_at_work: BackAtWork,
        next_page: NextPage,
        next_day: NextDay,
        today: BackToToday,
        board_date: BoardDate,
        not_possible: NotPossible,
        changes: PlanChanges,
        routes: Routes,
        left_unplaced: LeftUnplaced,
        done: MarkDone,
        new_job: NewJob,
        customer: JobCustomer,
        pick_customer: PickCustomer,
        service: JobService,
        priority: JobPriority,
        description: JobDescription,
        minutes: JobMinutes,
        crew: JobCrew,
        skills: JobSkills,
        window: JobWindow,
        window_day: WindowDay,
        window_from: WindowFrom,
        window_to: WindowTo,
        create_job: CreateJob,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per render and moved to the shell whole; boxes would buy nothing"
)]
#[repr(C)]
pub enum DispatcherScreen {
    Board(BoardView),
    /// The admin console: people, stores, profiles, catalogues (`back_office`).
    BackOffice(super::back_office::BackOfficeView),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BoardView {
    /// The jobs waiting for a technician, as the queue's filter shows them (by default every
    /// one, most urgent (earliest SLA deadline) first).
    pub unassigned: Vec<JobCard>,
    /// The queue's filter and order, with their choices.
    pub queue: super::queue::QueueView,
    /// The queued job the keyboard is on (`Shortcut`), for the shell to mark and bring into view.
    pub cursor: Option<JobId>,
    pub technicians: Vec<TechnicianDay>,
    pub alerts: Vec<Alert>,
    pub dispatch: super::suggest::DispatchPanel,
    pub job_form: NewJobView,
    /// A page of the manager's own follow-ups due by the end of today (escalations first).
    pub follow_ups: Vec<FollowUpCard>,
    /// Where that page is among them all ([`FOLLOW_UPS_PER_PAGE`] a page).
    pub follow_ups_page: PageView,
    /// The reps of the dispatcher's stores with their day's load, most waiting first.
    pub reps: Vec<super::sales::RepLoad>,
    /// The backlog of the rep opened (`DispatcherEvent::RepBacklog`): sorted, paged and
    /// handed out like the rep's own.
    pub rep_backlog: Option<super::sales::RepBacklogView>,
    /// The organization's settings, for an admin to change.
    pub settings: Option<super::settings::SettingsView>,
    /// While a customer is being placed: the words that say to click the map.
    pub placing: Option<Word>,
    /// A technician's days away, being recorded.
    pub absence: Option<AbsenceFormView>,
    /// "J-… assigned to 郑洋, arriving 14:20", with an undo, while the assignment stands.
    pub assigned: Option<AssignedView>,
    /// The job the dispatcher opened: its customer, the notes, parts and score of its
    /// completion, and who did what, when and where.
    pub job: Option<super::technician::JobDetailView>,
    /// The day shown and planned, as a date input takes it (`2026-12-08`).
    pub day: String,
    /// The same day in words: "Tomorrow, Tuesday 8 December".
    pub day_title: Word,
    pub is_today: bool,
    /// The span the technicians' timelines cover: the day's 08:00 to 20:00 in the store's zone,
    /// widened to every placed visit (Unix ms).
    pub day_start_ms: i64,
    pub day_end_ms: i64,
    /// The local hour at each whole hour of the span ("08", "09", ...), for the axis.
    pub hours: Vec<String>,
    /// The map of what the board shows, with the board's selection (`map.selected`), which
    /// the queue and the timelines mark too.
    pub map: super::map::MapView,
}

fn absence_form(model: &Model, ctx: &Ctx) -> Option<AbsenceFormView> {
    let f = model.absence.as_ref()?;
    let name = model
        .replica
        .users()
        .find(|u| u.id == f.technician)?
        .name
        .clone();
    Some(AbsenceFormView {
        technician: f.technician,
        name,
        kind: f.kind,
        kinds: domain::org::AbsenceKind::ALL
            .iter()
            .map(|k| AbsenceChoice {
                kind: *k,
                label: Word::new(ctx.t.away(*k)),
            })
            .collect(),
        from: f.from.clone(),
        to: f.to.clone(),
        error: f.error.as_ref().map(|n| super::notice(ctx.t, n)),
        saving: f.saving,
    })
}

/// The board's follow-up card holds this many at a time; the rest are a page away.
pub const FOLLOW_UPS_PER_PAGE: usize = 10;

/// One page of a list: which it is, and which items it shows in words.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct PageView {
    /// From 0; the page asked for, kept within the list.
    pub index: u32,
    pub pages: u32,
    pub total: u32,
    /// "11–20 of 76"; `None` when the list fits on one page.
    pub shown: Option<Word>,
}

/// Page `asked` of `items` (the last page when the list has shrunk below it).
pub(super) fn page<T>(ctx: &Ctx, items: Vec<T>, asked: u32) -> (Vec<T>, PageView) {
    let total = items.len();
    let pages = total.div_ceil(FOLLOW_UPS_PER_PAGE).max(1);
    let index = (asked as usize).min(pages - 1);
    let first = index * FOLLOW_UPS_PER_PAGE;
    let shown: Vec<T> = items
        .into_iter()
        .skip(first)
        .take(FOLLOW_UPS_PER_PAGE)
        .collect();
    let words =
        (pages > 1).then(|| Word::new(ctx.t.page_of(first + 1, first + shown.len(), total)));
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (
        shown,
        PageView {
            index: count(index),
            pages: count(pages),
            total: count(total),
            shown: words,
        },
    )
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AssignedView {
    pub job: JobId,
    pub message: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TechnicianDay {
    pub id: UserId,
    pub name: String,
    /// The skills' names in the person's language.
    pub skills: Vec<Word>,
    pub jobs: Vec<JobCard>,
    /// Jobs this technician completed today, latest first: the board shows work as it is
    /// done, not only what is left.
    pub done: Vec<JobCard>,
    pub planned_minutes: u32,
    /// "planned 2 h 30 min".
    pub planned: Word,
    /// Where the technician was last seen (their last field step of the day shown), else their
    /// home base.
    pub position: Option<LatLng>,
    /// Away on the day shown: "off sick", "on leave", "at training".
    pub away: Option<Word>,
}

/// The form for a technician's days away.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AbsenceFormView {
    pub technician: UserId,
    pub name: String,
    pub kind: domain::org::AbsenceKind,
    pub kinds: Vec<AbsenceChoice>,
    /// The first and last day away, as typed (`2026-12-08`).
    pub from: String,
    pub to: String,
    pub error: Option<Word>,
    pub saving: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AbsenceChoice {
    pub kind: domain::org::AbsenceKind,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    pub message: Word,
    pub job: Option<JobId>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum AlertKind {
    SlaBreached,
    SlaAtRisk,
    Backlog,
}

pub(crate) fn screen(model: &Model, ctx: &Ctx) -> DispatcherScreen {
    use crate::model::back_office::ConsolePage;
    if let Some(me) = model.user() {
        let back_office = match model.console {
            ConsolePage::BackOffice => true,
            ConsolePage::Default => me.has(Role::Admin),
            ConsolePage::Board => false,
        };
        if back_office && let Some(v) = super::back_office::view(model, ctx, me) {
            return DispatcherScreen::BackOffice(v);
        }
    }
    DispatcherScreen::Board(board(model, ctx))
}

/// The board, whichever page is open (the map's events need it).
pub(crate) fn board(model: &Model, ctx: &Ctx) -> BoardView {
    let Some(me) = model.user() else {
        return BoardView {
            unassigned: vec![],
            queue: super::queue::QueueView::default(),
            cursor: None,
            technicians: vec![],
            alerts: vec![],
            dispatch: Default::default(),
            job_form: super::job_form::view(model, ctx),
            follow_ups: vec![],
            follow_ups_page: PageView::default(),
            reps: vec![],
            rep_backlog: None,
            settings: None,
            placing: None,
            absence: None,
            assigned: None,
            job: None,
            day: String::new(),
            day_title: Word::new(String::new()),
            is_today: true,
            day_start_ms: 0,
            day_end_ms: 0,
            hours: vec![],
            map: super::map::MapView::default(),
        };
    };
    let visible = |j: &&Job| me.manages_store(j.store);
    let (queue, waiting) = super::queue::waiting(model, ctx, me);
    let unassigned: Vec<JobCard> = queue.iter().map(|j| card(model, ctx, j, None)).collect();

    let date = model.board_date();
    let is_today = date == ctx.today();
    let (day_from, day_to) = ctx.day_span(date);
    // One pass over the jobs, not one per technician.
    let mut theirs: HashMap<UserId, Vec<&Job>> = HashMap::new();
    for j in model.replica.jobs() {
        for t in j.workers() {
            theirs.entry(t).or_default().push(j);
        }
    }
    let techs: Vec<&User> = model
        .replica
        .users()
        .filter(|u| u.has(Role::Technician) && u.stores.iter().any(|s| me.manages_store(*s)))
        .collect();
    let technicians: Vec<TechnicianDay> = techs
        .iter()
        .map(|t| {
            let all = theirs.get(&t.id).map_or(&[][..], Vec::as_slice);
            // Open, and planned for the day; today also holds what was planned earlier and
            // never done, and what has no time at all.
            let mut jobs: Vec<&Job> = all
                .iter()
                .copied()
                .filter(|j| j.is_open() && j.status != JobStatus::NeedsFollowUp)
                .filter(
                    |j| match j.planned_start.or(j.windows.first().map(|w| w.start)) {
                        None => is_today,
                        Some(s) if is_today => s < day_to,
                        Some(s) => s >= day_from && s < day_to,
                    },
                )
                .collect();
            jobs.sort_by_key(|j| (j.planned_start.or(j.windows.first().map(|w| w.start)), j.id));
            let profile = match model
                .replica
                .record(&domain::ops::RecordKey::Technician(t.id))
            {
                Some(Record::Technician(p)) => Some(p),
                _ => None,
            };
            let skills = profile.map_or_else(Vec::new, |p| {
                p.skills
                    .iter()
                    .map(|s| Word::new(super::suggest::skill_name(ctx, &s.0)))
                    .collect()
            });
            // The day's field steps by this technician, latest last.
            let mut steps: Vec<(chrono::DateTime<chrono::Utc>, &Job, Option<LatLng>)> = all
                .iter()
                .flat_map(|j| {
                    j.history
                        .iter()
                        .filter(|h| h.by == t.id && h.at >= day_from && h.at < day_to)
                        .map(move |h| (h.at, *j, h.location))
                })
                .collect();
            steps.sort_by_key(|s| (s.0, s.1.id));
            let position = steps
                .iter()
                .rev()
                .find_map(|s| s.2)
                .or(profile.map(|p| p.home_base));
            let mut done: Vec<&Job> = Vec::new();
            for (_, j, _) in steps.iter().rev() {
                if j.status == JobStatus::Completed && !done.iter().any(|d| d.id == j.id) {
                    done.push(j);
                }
            }
            let planned_minutes = jobs.iter().map(|j| j.estimated_minutes).sum();
            TechnicianDay {
                id: t.id,
                name: t.name.clone(),
                skills,
                planned_minutes,
                planned: Word::new(ctx.t.planned_minutes(planned_minutes)),
                jobs: jobs.iter().map(|j| card(model, ctx, j, None)).collect(),
                done: done.iter().map(|j| card(model, ctx, j, None)).collect(),
                position,
                away: profile
                    .and_then(|p| p.away_on(date))
                    .map(|a| Word::new(ctx.t.away(a.kind))),
            }
        })
        .collect();

    let mut alerts = Vec::new();
    for j in model.replica.jobs().filter(visible).filter(|j| j.is_open()) {
        let left = (j.sla_deadline - ctx.now).num_minutes();
        if left < 0 {
            alerts.push(Alert {
                kind: AlertKind::SlaBreached,
                message: Word::new(ctx.t.alert_breached(&j.number())),
                job: Some(j.id),
            });
        } else if left < ctx.sla_risk_minutes() && j.status != JobStatus::OnSite {
            alerts.push(Alert {
                kind: AlertKind::SlaAtRisk,
                message: Word::new(ctx.t.alert_at_risk(&j.number(), left)),
                job: Some(j.id),
            });
        }
    }
    let threshold = ctx.org.map_or(25, |o| o.settings.backlog_alert_threshold);
    if waiting > threshold as usize {
        alerts.insert(
            0,
            Alert {
                kind: AlertKind::Backlog,
                message: Word::new(ctx.t.alert_backlog(waiting, threshold)),
                job: None,
            },
        );
    }
    let (mut follow_ups, today, _) = my_follow_ups(model, ctx, me.id);
    follow_ups.extend(today);
    let (follow_ups, follow_ups_page) = page(ctx, follow_ups, model.follow_ups_page);
    let (reps, rep_backlog) = super::sales::reps(model, ctx, me);
    let (day_start_ms, day_end_ms) = timeline_span(ctx, date, &technicians);
    let hours = (day_start_ms..day_end_ms)
        .step_by(3_600_000)
        .filter_map(chrono::DateTime::<chrono::Utc>::from_timestamp_millis)
        .map(|t| t.with_timezone(&ctx.tz).format("%H").to_string())
        .collect();
    let queue = super::queue::view(model, ctx, me, unassigned.len(), waiting);
    let cursor = model
        .queue_cursor
        .filter(|c| unassigned.iter().any(|u| u.id == *c));
    let mut board = BoardView {
        unassigned,
        queue,
        cursor,
        technicians,
        alerts,
        dispatch: super::suggest::panel(model, ctx),
        job_form: super::job_form::view(model, ctx),
        follow_ups,
        follow_ups_page,
        reps,
        rep_backlog,
        settings: super::settings::view(model, ctx, me),
        placing: model
            .map
            .placing
            .map(|_| Word::label(ctx.t, domain::words::Label::ClickMapToPlace)),
        absence: absence_form(model, ctx),
        assigned: assigned(model, ctx),
        job: model
            .open_job()
            .and_then(
                |id| match model.replica.record(&domain::ops::RecordKey::Job(id)) {
                    Some(Record::Job(j)) if me.manages_store(j.store) => Some(j),
                    _ => None,
                },
            )
            .map(|j| super::technician::detail(model, ctx, j)),
        day: date.format("%Y-%m-%d").to_string(),
        day_title: Word::new(ctx.t.board_day(date, (date - ctx.today()).num_days())),
        is_today,
        day_start_ms,
        day_end_ms,
        hours,
        map: super::map::MapView::default(),
    };
    board.map = super::map::layout(&model.map, &super::map::input(model, &board));
    board
}

/// Today 08:00–20:00 local, widened to whole hours around every visit placed today.
/// The confirmation of the last assignment, while it stands (a sync that moved the job, or an
/// undo, ends it).
fn assigned(model: &Model, ctx: &Ctx) -> Option<AssignedView> {
    let a = model.assigned.as_ref()?;
    let Some(Record::Job(job)) = model.replica.record(&domain::ops::RecordKey::Job(a.job)) else {
        return None;
    };
    if job.technician != Some(a.technician) || job.crew != a.crew {
        return None;
    }
    let names: Vec<String> = job
        .workers()
        .map(
            |u| match model.replica.record(&domain::ops::RecordKey::User(u)) {
                Some(Record::User(u)) => u.name.clone(),
                _ => String::new(),
            },
        )
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let name = ctx.t.people(&names);
    let eta = a.eta.map(|t| ctx.when(t));
    Some(AssignedView {
        job: a.job,
        message: Word::new(ctx.t.assigned_to(&job.number(), &name, eta.as_deref())),
    })
}

fn timeline_span(ctx: &Ctx, date: chrono::NaiveDate, technicians: &[TechnicianDay]) -> (i64, i64) {
    let at = |h: u32| {
        date.and_hms_opt(h, 0, 0)
            .and_then(|t| t.and_local_timezone(ctx.tz).earliest())
            .map_or(ctx.now.timestamp_millis(), |t| t.timestamp_millis())
    };
    let (mut start, mut end) = (at(8), at(20));
    const HOUR: i64 = 3_600_000;
    for c in technicians
        .iter()
        .flat_map(|t| t.jobs.iter().chain(&t.done))
    {
        if let Some(s) = c.start_ms {
            let e = s + i64::from(c.minutes) * 60_000;
            if s >= at(0) && s < start {
                start = start - ((start - s + HOUR - 1) / HOUR) * HOUR;
            }
            if e <= at(0) + 26 * HOUR && e > end {
                end = end + ((e - end + HOUR - 1) / HOUR) * HOUR;
            }
        }
    }
    (start, end)
}
