//! The dispatcher's new-job form, held in the core: the draft as typed (the minutes and the
//! customer's window are text until Create), read and checked here, and kept with the reason
//! when it is refused, here or by `apply`. The shell only shows the draft and sends it back.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, Notice, commit};
use crate::effects::Effect;
use domain::ids::{CustomerId, JobId};
use domain::jobs::{Priority, ServiceType, TimeWindow};
use domain::ops::{NewJob, OpError, OpKind, Record, RecordKey};
use domain::org::SkillCode;
use domain::words::Label;

/// The lengths of a visit `apply` accepts, in minutes (`domain::ops::jobs::create`).
pub const MINUTES: std::ops::RangeInclusive<u32> = 5..=24 * 60;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum JobFormEvent {
    /// One field as it is now, sent as the person types.
    Set(JobEdit),
    /// Create the job from the form.
    Create,
    /// Start over with an empty form.
    Clear,
}

/// The new-job form as typed.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct JobDraft {
    pub customer: Option<CustomerId>,
    pub service: ServiceType,
    pub priority: Priority,
    /// The visit's length in minutes, as typed.
    pub minutes: String,
    pub description: String,
    /// Codes of the organization's skill catalogue.
    pub skills: Vec<String>,
    /// Technicians it needs at once (a piano move: 2).
    pub crew_size: u8,
    /// The customer's window in the store's zone, as typed: a day (`2026-11-23`; empty for
    /// today) and two clock times (`09:30`). Both times empty: no window.
    pub window_day: String,
    pub window_from: String,
    pub window_to: String,
}

impl Default for JobDraft {
    fn default() -> Self {
        Self {
            customer: None,
            service: ServiceType::Repair,
            priority: Priority::Normal,
            minutes: "60".into(),
            description: String::new(),
            skills: Vec::new(),
            crew_size: 1,
            window_day: String::new(),
            window_from: String::new(),
            window_to: String::new(),
        }
    }
}

/// One change to the form. Shells send the field that changed, never the whole form: a form
/// rebuilt from a view a frame old would undo what was typed in another field since.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum JobEdit {
    Customer(Option<CustomerId>),
    Service(ServiceType),
    Priority(Priority),
    Minutes(String),
    Description(String),
    /// A skill of the catalogue required or not.
    Skill {
        code: String,
        required: bool,
    },
    WindowDay(String),
    WindowFrom(String),
    WindowTo(String),
    /// Technicians the job needs at once; kept within 1 to `domain::jobs::MAX_CREW`.
    CrewSize(u8),
}

impl JobDraft {
    pub fn apply(&mut self, edit: JobEdit) {
        match edit {
            JobEdit::Customer(c) => self.customer = c,
            JobEdit::Service(s) => self.service = s,
            JobEdit::Priority(p) => self.priority = p,
            JobEdit::Minutes(m) => self.minutes = m,
            JobEdit::Description(d) => self.description = d,
            JobEdit::Skill { code, required } => {
                self.skills.retain(|c| *c != code);
                if required {
                    self.skills.push(code);
                }
            }
            JobEdit::WindowDay(d) => self.window_day = d,
            JobEdit::WindowFrom(t) => self.window_from = t,
            JobEdit::WindowTo(t) => self.window_to = t,
            JobEdit::CrewSize(n) => self.crew_size = n.clamp(1, domain::jobs::MAX_CREW),
        }
    }

    /// The edits that make the form `before` this draft, as a person would type them.
    #[cfg(test)]
    pub fn typed_over(&self, before: &JobDraft) -> Vec<JobFormEvent> {
        let mut edits = vec![
            JobEdit::Customer(self.customer),
            JobEdit::Service(self.service),
            JobEdit::Priority(self.priority),
            JobEdit::Minutes(self.minutes.clone()),
            JobEdit::Description(self.description.clone()),
            JobEdit::CrewSize(self.crew_size),
        ];
        for code in &before.skills {
            edits.push(JobEdit::Skill {
                code: code.clone(),
                required: false,
            });
        }
        for code in &self.skills {
            edits.push(JobEdit::Skill {
                code: code.clone(),
                required: true,
            });
        }
        edits.extend([
            JobEdit::WindowDay(self.window_day.clone()),
            JobEdit::WindowFrom(self.window_from.clone()),
            JobEdit::WindowTo(self.window_to.clone()),
        ]);
        edits.into_iter().map(JobFormEvent::Set).collect()
    }
}

/// A field of the form, so that a shell can point at the one an error is about.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum JobField {
    Customer,
    Minutes,
    Description,
    Skills,
    WindowDay,
    WindowFrom,
    WindowTo,
}

/// Why the form was not saved, and the field to fix when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct FormError {
    pub field: Option<JobField>,
    pub notice: Notice,
}

impl FormError {
    fn on(field: JobField, label: Label) -> Self {
        Self {
            field: Some(field),
            notice: Notice::Said(label),
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct JobForm {
    pub draft: JobDraft,
    pub error: Option<FormError>,
    /// The job being created: the form empties only once `apply` took it.
    pub saving: Option<JobId>,
}

pub fn update(model: &mut Model, event: JobFormEvent) -> Command<Effect, Event> {
    let form = &mut model.job_form;
    match event {
        JobFormEvent::Set(edit) => {
            let mut draft = form.draft.clone();
            draft.apply(edit);
            // An error stays until what it is about changes.
            if let Some(e) = &form.error
                && e.field.is_none_or(|f| changed(f, &form.draft, &draft))
            {
                form.error = None;
            }
            form.draft = draft;
            render()
        }
        JobFormEvent::Create if form.saving.is_some() => render(),
        JobFormEvent::Create => match new_job(model) {
            Ok(new) => {
                model.job_form.saving = Some(new.id);
                model.job_form.error = None;
                commit::request(OpKind::CreateJob(new))
            }
            Err(e) => {
                model.job_form.error = Some(e);
                render()
            }
        },
        JobFormEvent::Clear => {
            *form = JobForm::default();
            render()
        }
    }
}

fn changed(field: JobField, a: &JobDraft, b: &JobDraft) -> bool {
    match field {
        JobField::Customer => a.customer != b.customer,
        JobField::Minutes => a.minutes != b.minutes,
        JobField::Description => a.description != b.description,
        JobField::Skills => a.skills != b.skills,
        JobField::WindowDay | JobField::WindowFrom | JobField::WindowTo => {
            (&a.window_day, &a.window_from, &a.window_to)
                != (&b.window_day, &b.window_from, &b.window_to)
        }
    }
}

impl Model {
    /// Hears how creating the form's job went. Returns whether the form took the outcome (it
    /// is then said on the form, beside what was typed, rather than as a notice).
    pub(super) fn job_saved(&mut self, job: JobId, outcome: Result<(), Notice>) -> bool {
        if self.job_form.saving != Some(job) {
            return false;
        }
        match outcome {
            Ok(()) => self.job_form = JobForm::default(),
            Err(notice) => {
                self.job_form.saving = None;
                let field = match &notice {
                    Notice::Refused(e) => refused_field(e),
                    _ => None,
                };
                self.job_form.error = Some(FormError { field, notice });
            }
        }
        true
    }
}

/// The field `apply` named in a refusal, when it is one of the form's.
fn refused_field(e: &OpError) -> Option<JobField> {
    let OpError::Invalid { field, .. } = e else {
        return None;
    };
    use domain::ops::Field as F;
    match field {
        F::JobCustomer => Some(JobField::Customer),
        F::Description => Some(JobField::Description),
        F::EstimatedMinutes => Some(JobField::Minutes),
        F::RequiredSkills | F::RequiredSkill(_) => Some(JobField::Skills),
        F::Windows | F::Window(_) => Some(JobField::WindowFrom),
        _ => None,
    }
}

/// The job the draft describes, or why it cannot be made yet.
fn new_job(model: &Model) -> Result<NewJob, FormError> {
    let d = &model.job_form.draft;
    let customer = d
        .customer
        .ok_or(FormError::on(JobField::Customer, Label::PickCustomer))?;
    let estimated_minutes =
        parse_minutes(&d.minutes).ok_or(FormError::on(JobField::Minutes, Label::MinutesRange))?;
    let windows = window(d, store_zone(model, customer), model.now)?
        .into_iter()
        .collect();
    Ok(NewJob {
        id: JobId::new(),
        customer,
        asset: None,
        service_address: None,
        service_type: d.service,
        description: d.description.clone(),
        required_skills: d.skills.iter().map(|s| SkillCode(s.clone())).collect(),
        estimated_minutes,
        priority: d.priority,
        windows,
        crew_size: d.crew_size.clamp(1, domain::jobs::MAX_CREW),
    })
}

/// The zone the customer's store keeps time in (the window is typed in it).
fn store_zone(model: &Model, customer: CustomerId) -> Tz {
    let store = match model.replica.record(&RecordKey::Customer(customer)) {
        Some(Record::Customer(c)) => Some(c.store),
        _ => model.user().and_then(|u| u.stores.first().copied()),
    };
    match store.and_then(|s| model.replica.record(&RecordKey::Store(s))) {
        Some(Record::Store(s)) => s.time_zone,
        _ => Tz::UTC,
    }
}

/// Digits as typed on any keyboard: Chinese input methods often give full-width ones.
fn ascii(typed: &str) -> String {
    typed
        .trim()
        .chars()
        .map(|c| match c {
            // The full-width forms of ASCII sit at a fixed distance from it.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A visit's length as typed, in whole minutes within [`MINUTES`].
#[must_use]
pub fn parse_minutes(typed: &str) -> Option<u32> {
    let n: u32 = ascii(typed).parse().ok()?;
    MINUTES.contains(&n).then_some(n)
}

/// A clock time as typed: `9:30`, `09:30`.
#[must_use]
pub fn parse_clock(typed: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(&ascii(typed), "%H:%M").ok()
}

/// A day as typed: `2026-11-23`.
#[must_use]
pub fn parse_day(typed: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&ascii(typed), "%Y-%m-%d").ok()
}

/// The customer's window from the draft, in the store's zone `tz`; `None` when none was given.
fn window(d: &JobDraft, tz: Tz, now: DateTime<Utc>) -> Result<Option<TimeWindow>, FormError> {
    let (from, to) = (d.window_from.trim(), d.window_to.trim());
    if from.is_empty() && to.is_empty() {
        return if d.window_day.trim().is_empty() {
            Ok(None)
        } else {
            Err(FormError::on(JobField::WindowFrom, Label::WindowBothEnds))
        };
    }
    if from.is_empty() || to.is_empty() {
        let missing = if from.is_empty() {
            JobField::WindowFrom
        } else {
            JobField::WindowTo
        };
        return Err(FormError::on(missing, Label::WindowBothEnds));
    }
    let day = if d.window_day.trim().is_empty() {
        now.with_timezone(&tz).date_naive()
    } else {
        parse_day(&d.window_day).ok_or(FormError::on(JobField::WindowDay, Label::WindowDayBad))?
    };
    // A time the zone skips (a spring-forward hour) is as unreadable as a typo.
    let at = |typed: &str, field, label| {
        parse_clock(typed)
            .and_then(|t| tz.from_local_datetime(&day.and_time(t)).earliest())
            .map(|t| t.with_timezone(&Utc))
            .ok_or(FormError::on(field, label))
    };
    let start = at(from, JobField::WindowFrom, Label::WindowStartBad)?;
    let end = at(to, JobField::WindowTo, Label::WindowEndBad)?;
    if end <= start {
        return Err(FormError::on(JobField::WindowTo, Label::WindowOrder));
    }
    Ok(Some(TimeWindow { start, end }))
}

#[cfg(test)]
mod tests;
