//! What a technician does on a house call: open a job, set off, arrive, finish.
//!
//! The completion and follow-up forms live here, not in the shell: the core holds what was
//! typed, reads the parts list itself, and keeps the form open with the draft and the reason
//! whenever a step is refused (by the checks below, or by `apply` on this device), so a
//! refusal never loses the notes typed at the customer's door.

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Internal, Model, Notice, commit};
use crate::effects::Effect;
use domain::ids::{CustomerId, JobId};
use domain::jobs::parts::{PartsError, parse_parts};
use domain::jobs::{Completion, FollowUpKind, FollowUpNeed, JobAction};
use domain::ops::OpKind;
use domain::words::Label;

/// The limits `apply` holds these fields to, checked first so the refusal names the field.
const NOTES_MAX: usize = 4_000;
const REASON_MAX: usize = 200;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum TechnicianEvent {
    OpenJob(JobId),
    CloseJob,
    /// A step offered on the open job (`JobCard::actions`): setting off and arriving are taken
    /// at once; completing and asking for a follow-up open their form.
    Act(JobAction),
    StartTravel(JobId),
    Arrive(JobId),
    /// The completion form as it is now, sent as it is typed.
    CompletionDraft(CompletionDraft),
    /// Complete the open job with the completion form's draft.
    SubmitCompletion,
    /// The follow-up form as it is now.
    FollowUpDraft(FollowUpDraft),
    /// Mark the open job as needing a follow-up, with the follow-up form's draft.
    SubmitFollowUp,
    /// Put the open form away; what was typed is kept until another job is opened.
    CloseForm,
    /// Put the job's customer on the map where the phone is now (at the door).
    PlaceCustomer(CustomerId),
}

/// The completion form as typed.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CompletionDraft {
    pub notes: String,
    /// One part per line, as typed ("felt x2"); read by [`parse_parts`] on submit.
    pub parts: String,
    /// `None`: the customer was not asked.
    pub satisfaction: Option<u8>,
    pub first_visit_fix: bool,
}

impl Default for CompletionDraft {
    // Most visits end with a happy customer and the job done.
    fn default() -> Self {
        Self {
            notes: String::new(),
            parts: String::new(),
            satisfaction: Some(5),
            first_visit_fix: true,
        }
    }
}

/// The follow-up form as typed.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FollowUpDraft {
    pub kind: FollowUpKind,
    pub reason: String,
}

impl Default for FollowUpDraft {
    fn default() -> Self {
        Self {
            kind: FollowUpKind::Parts,
            reason: String::new(),
        }
    }
}

/// Which form is open on the job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldForm {
    Completion,
    FollowUp,
}

/// Why the open form was refused; the view words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormProblem {
    Parts(PartsError),
    Notice(Notice),
}

/// The forms of the job being worked, and what was typed in them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldForms {
    /// The job the drafts belong to; opening another job starts them afresh.
    pub job: Option<JobId>,
    pub open: Option<FieldForm>,
    pub completion: CompletionDraft,
    pub follow_up: FollowUpDraft,
    /// Submitted and waiting for the local apply; the form closes only once it is applied.
    pub saving: bool,
    pub error: Option<FormProblem>,
}

impl FieldForms {
    fn for_job(&mut self, job: JobId) {
        if self.job != Some(job) {
            *self = FieldForms {
                job: Some(job),
                ..FieldForms::default()
            };
        }
    }

    fn open(&mut self, form: FieldForm) {
        self.open = Some(form);
        self.error = None;
        self.saving = false;
    }
}

pub fn update(model: &mut Model, event: TechnicianEvent) -> Command<Effect, Event> {
    if let TechnicianEvent::SubmitCompletion | TechnicianEvent::SubmitFollowUp = event {
        let form = match event {
            TechnicianEvent::SubmitCompletion => FieldForm::Completion,
            _ => FieldForm::FollowUp,
        };
        return submit(model, form);
    }
    if let TechnicianEvent::PlaceCustomer(customer) = event {
        return Command::new(move |ctx| async move {
            let location = crate::effects::location::command::current()
                .into_future(ctx.clone())
                .await;
            ctx.send_event(Event::internal(Internal::PlaceHere { customer, location }));
        });
    }
    let Some(ui) = model.ui_mut() else {
        return Command::done();
    };
    let forms = &mut ui.field;
    match event {
        TechnicianEvent::OpenJob(job) => {
            ui.job = Some(job);
            forms.for_job(job);
            render()
        }
        TechnicianEvent::CloseJob => {
            ui.job = None;
            forms.open = None;
            render()
        }
        TechnicianEvent::Act(action) => {
            let Some(job) = ui.job else {
                return Command::done();
            };
            forms.for_job(job);
            match action {
                JobAction::StartTravel => commit::request(OpKind::StartTravel { job }),
                JobAction::Arrive => commit::request(OpKind::Arrive { job }),
                JobAction::Complete => {
                    forms.open(FieldForm::Completion);
                    render()
                }
                JobAction::NeedFollowUp => {
                    forms.open(FieldForm::FollowUp);
                    render()
                }
                // The office's steps have their own screens.
                JobAction::Assign | JobAction::Unassign | JobAction::Cancel => Command::done(),
            }
        }
        TechnicianEvent::StartTravel(job) => commit::request(OpKind::StartTravel { job }),
        TechnicianEvent::Arrive(job) => commit::request(OpKind::Arrive { job }),
        TechnicianEvent::CompletionDraft(draft) => {
            forms.completion = draft;
            forms.error = None;
            render()
        }
        TechnicianEvent::FollowUpDraft(draft) => {
            forms.follow_up = draft;
            forms.error = None;
            render()
        }
        TechnicianEvent::SubmitCompletion
        | TechnicianEvent::SubmitFollowUp
        | TechnicianEvent::PlaceCustomer(_) => Command::done(),
        TechnicianEvent::CloseForm => {
            forms.open = None;
            forms.error = None;
            render()
        }
    }
}

/// Checks the open form and sends its step to be committed; a refusal keeps the form open
/// with the draft and says why.
fn submit(model: &mut Model, form: FieldForm) -> Command<Effect, Event> {
    let Some(ui) = model.ui_mut() else {
        return Command::done();
    };
    let forms = &mut ui.field;
    let job = match (ui.job, forms.job) {
        (Some(open), Some(drafted)) if open == drafted && forms.open == Some(form) => open,
        _ => return Command::done(),
    };
    let step = match form {
        FieldForm::Completion => {
            completion(&forms.completion).map(|completion| OpKind::CompleteJob { job, completion })
        }
        FieldForm::FollowUp => {
            follow_up(&forms.follow_up).map(|need| OpKind::NeedFollowUp { job, need })
        }
    };
    match step {
        Ok(kind) => {
            forms.saving = true;
            forms.error = None;
            commit::request(kind)
        }
        Err(problem) => {
            forms.error = Some(problem);
            render()
        }
    }
}

fn completion(draft: &CompletionDraft) -> Result<Completion, FormProblem> {
    let said = |label: Label| FormProblem::Notice(Notice::Said(label));
    if draft.notes.chars().count() > NOTES_MAX {
        return Err(said(Label::CompletionNotesTooLong));
    }
    if draft.satisfaction.is_some_and(|s| !(1..=5).contains(&s)) {
        return Err(said(Label::SatisfactionRange));
    }
    let parts = parse_parts(&draft.parts).map_err(FormProblem::Parts)?;
    Ok(Completion {
        notes: draft.notes.trim().to_owned(),
        parts,
        satisfaction: draft.satisfaction,
        first_visit_fix: draft.first_visit_fix,
        ..Completion::default()
    })
}

fn follow_up(draft: &FollowUpDraft) -> Result<FollowUpNeed, FormProblem> {
    let said = |label: Label| Err(FormProblem::Notice(Notice::Said(label)));
    let reason = draft.reason.trim();
    if reason.is_empty() {
        return said(Label::EnterFollowUpReason);
    }
    if reason.chars().count() > REASON_MAX {
        return said(Label::FollowUpReasonTooLong);
    }
    Ok(FollowUpNeed {
        kind: draft.kind,
        reason: reason.to_owned(),
    })
}

impl Model {
    /// Whether `kind` is the step of a technician's form (so its outcome is said there).
    pub(super) fn is_field_form_step(kind: &OpKind) -> bool {
        matches!(
            kind,
            OpKind::CompleteJob { .. } | OpKind::NeedFollowUp { .. }
        )
    }

    /// The local apply of a form's step is done: the form closes, or stays open with the
    /// draft and the reason. `false`: no step was waiting.
    pub(super) fn field_form_saved(&mut self, outcome: Result<(), Notice>) -> bool {
        let Some(forms) = self.ui_mut().map(|ui| &mut ui.field) else {
            return false;
        };
        if !forms.saving {
            return false;
        }
        match outcome {
            Ok(()) => {
                *forms = FieldForms {
                    job: forms.job,
                    ..FieldForms::default()
                }
            }
            Err(reason) => {
                forms.saving = false;
                forms.error = Some(FormProblem::Notice(reason));
            }
        }
        true
    }
}

#[cfg(test)]
mod tests;

impl Model {
    /// The phone's position, answered for [`TechnicianEvent::PlaceCustomer`]: one op, or the
    /// reason there is none.
    pub(super) fn place_here(
        &mut self,
        customer: CustomerId,
        location: Option<domain::places::LatLng>,
    ) -> Command<Effect, Event> {
        match location {
            Some(location) => commit::request(OpKind::PlaceCustomer { customer, location }),
            None => {
                self.notice = Some(Label::PositionUnknown.into());
                render()
            }
        }
    }
}
