//! "My day": the technician's jobs in order, and the detail of one job.

use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use crate::model::technician::{
    CompletionDraft, FieldForm, FieldForms, FollowUpDraft, FormProblem,
};
use domain::customers::{CustomerKind, Phone, Tier, WarrantyStatus};
use domain::ids::{CustomerId, JobId};
use domain::jobs::Job;
use domain::jobs::{Completion, FollowUpKind, JobAction, JobStatus, Priority, ServiceType, day};
use domain::ops::records::Link;
use domain::ops::{Record, RecordKey};
use domain::places::LatLng;
use domain::words::Label;

super::words::label_set! {
    /// The technician's screens: my day, one job, the completion form.
    TechnicianLabels {
        my_day: MyDay,
        eta: Eta,
        window: Window,
        sla_by: SlaBy,
        no_jobs_today: NoJobsToday,
        waiting: WaitingForPartsOrVisit,
        assets: CustomerAssets,
        warranty: AssetWarranty,
        maintenance_due: AssetMaintenanceDue,
        last_visits: LastVisits,
        purchases: CustomerPurchases,
        history: JobHistory,
        completion: CompletionForm,
        notes: CompletionNotes,
        parts_used: PartsUsed,
        parts_hint: PartsHint,
        satisfaction: CustomerSatisfaction,
        first_visit_fix: FirstVisitFix,
        complete_job: CompleteJob,
        follow_up: FollowUpForm,
        reason: FollowUpReason,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per render and moved to the shell whole; boxes would buy nothing"
)]
#[repr(C)]
pub enum TechnicianScreen {
    MyDay(MyDayView),
    Job(JobDetailView),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MyDayView {
    pub date: String,
    pub jobs: Vec<JobCard>,
    /// Said in place of the jobs when there are none.
    pub empty: Option<Word>,
    /// Jobs waiting for parts or a return visit, kept in view so they are not forgotten.
    pub waiting: Vec<JobCard>,
}

/// One job as a row: enough to recognise it and act on it.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct JobCard {
    pub id: JobId,
    pub number: String,
    pub status: JobStatus,
    pub status_word: Word,
    pub service: ServiceType,
    pub service_word: Word,
    pub priority: Priority,
    pub priority_word: Word,
    pub customer: CustomerId,
    pub customer_name: String,
    pub tier: Tier,
    pub tier_word: Word,
    pub address: String,
    pub window: Option<String>,
    pub eta: Option<String>,
    pub eta_ms: Option<i64>,
    /// When the visit is meant to start, for placing it on a timeline: the ETA when known,
    /// else the planned start, else the start of the customer's window (Unix ms).
    pub start_ms: Option<i64>,
    /// How long the visit is expected to take.
    pub minutes: u32,
    pub sla_deadline: String,
    pub sla_at_risk: bool,
    pub sla_breached: bool,
    pub technician: Option<String>,
    /// For a job that needs more than one technician: "Crew of 2: 郑洋 and 王芳", or
    /// "Needs 2 technicians at once" before it has its crew.
    pub crew: Option<Word>,
    pub description: String,
    /// Where the job is, for the map; `None` when the address was never located.
    pub position: Option<LatLng>,
    /// What the state machine allows now, for the person looking.
    pub actions: Vec<ActionButton>,
    /// The reason typed for cancelling this job, and why the last try was refused; `None`
    /// until a reason is typed.
    pub cancel: Option<CancelView>,
    /// Whether a change to it waits to sync or was refused.
    pub sync: super::record_sync::RecordSync,
    /// Put the customer on the map: the technician on an open job, from the phone, when the
    /// customer has no position or theirs is far from where the phone arrived; the customer's
    /// staff, on the board's map, when the customer has none.
    pub place_customer: Option<PlaceCustomerView>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CancelView {
    /// As typed.
    pub reason: String,
    pub error: Option<Word>,
}

/// A step a person may take on a job, with its button's words.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ActionButton {
    pub action: JobAction,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct JobDetailView {
    pub card: JobCard,
    pub customer: CustomerSummary,
    pub history: Vec<HistoryLine>,
    pub completion: Option<Completion>,
    /// The form open on the job, with what was typed; `None` when none is.
    pub form: Option<JobFormView>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PlaceCustomerView {
    pub customer: CustomerId,
    /// Why it is offered.
    pub why: Word,
    pub action: Word,
    /// Where the position comes from: the phone (`TechnicianEvent::PlaceCustomer`) or a click
    /// on the board's map (`MapEvent::Placing`).
    pub from: PlaceFrom,
}

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum PlaceFrom {
    Phone,
    Map,
}

/// Further than this from the customer's map position, a technician on site is asked whether
/// the position should be where they stand.
const FAR_FROM_MAP_M: f64 = 300.0;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum JobFormView {
    Completion(CompletionFormView),
    FollowUp(FollowUpFormView),
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CompletionFormView {
    pub draft: CompletionDraft,
    /// The scores to choose from, best first, then "not asked".
    pub satisfaction: Vec<ScoreChoice>,
    /// Submitted, waiting to be applied on this device.
    pub saving: bool,
    /// Why the last submit was refused; the draft is as typed.
    pub error: Option<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ScoreChoice {
    pub score: Option<u8>,
    /// The choice's value in a form control: the score's digit, empty for "not asked".
    pub value: String,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FollowUpFormView {
    pub draft: FollowUpDraft,
    pub kinds: Vec<FollowUpKindChoice>,
    pub saving: bool,
    pub error: Option<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FollowUpKindChoice {
    pub kind: FollowUpKind,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub name: String,
    pub number: String,
    pub kind: CustomerKind,
    pub kind_word: Word,
    pub tier: Tier,
    pub tier_word: Word,
    pub phones: Vec<PhoneLine>,
    pub address: String,
    pub assets: Vec<AssetLine>,
    pub last_visits: Vec<VisitLine>,
    /// How the customer is doing: stage, churn risk, scores, latest purchases; `None` when
    /// the customer is not on this device.
    pub value: Option<super::value::ValueView>,
    /// Their privacy requests, for the office that may act on them; `None` for others.
    pub privacy: Option<PrivacyView>,
    /// A purchase typed for them, for those who may record one; `None` for others.
    pub purchase: Option<PurchaseFormView>,
}

/// The purchase form on the card: its button, and once open its fields as typed.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PurchaseFormView {
    pub title: Word,
    pub open: bool,
    pub fields: Vec<PurchaseFieldView>,
    pub error: Option<Word>,
    pub save: Word,
    pub close: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PurchaseFieldView {
    pub field: crate::model::purchase_form::PurchaseField,
    pub label: Word,
    pub value: String,
}

/// Export and erasure of the customer's data, as the viewer's role allows.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PrivacyView {
    pub export_json: Word,
    pub export_csv: Word,
    pub exporting: bool,
    /// A fetched export to save: the file's name and text, and the button's words.
    pub download: Option<Download>,
    /// Admins only.
    pub erase: Option<Word>,
    /// While the erasure waits for a confirmation: the confirming and the keeping button.
    pub confirm: Option<Word>,
    pub keep: Word,
    /// Said once the customer was erased.
    pub erased: Option<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Download {
    pub name: String,
    pub text: String,
    pub save: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AssetLine {
    pub product: String,
    pub serial_number: String,
    pub warranty: Word,
    pub under_warranty: bool,
    pub maintenance_due: Option<String>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PhoneLine {
    /// As typed on the customer's record.
    pub shown: String,
    /// A `tel:` link that dials it.
    pub dial: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct VisitLine {
    pub date: String,
    pub service: ServiceType,
    pub service_word: Word,
    pub status: JobStatus,
    pub status_word: Word,
    pub satisfaction: Option<u8>,
    pub notes: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct HistoryLine {
    pub at: String,
    pub from: JobStatus,
    pub from_word: Word,
    pub to: JobStatus,
    pub to_word: Word,
    pub by: String,
    pub note: Option<String>,
    /// Where the step was taken, against the job's address: "at the address", "2.4 km from
    /// the address"; `None` when the phone did not know.
    pub place: Option<Word>,
}

pub(super) fn screen(model: &Model, ctx: &Ctx) -> TechnicianScreen {
    let Some(me) = model.user().map(|u| u.id) else {
        return TechnicianScreen::MyDay(MyDayView {
            date: String::new(),
            jobs: vec![],
            empty: Some(Word::label(ctx.t, Label::NoJobsToday)),
            waiting: vec![],
        });
    };
    let mine: Vec<&Job> = model.replica.jobs().filter(|j| j.works_on(me)).collect();
    if let Some(id) = model.open_job()
        && let Some(job) = mine.iter().find(|j| j.id == id)
    {
        return TechnicianScreen::Job(detail(model, ctx, job));
    }
    let today = ctx.today();
    let mut day: Vec<&Job> = mine
        .iter()
        .copied()
        .filter(|j| match j.status {
            JobStatus::EnRoute | JobStatus::OnSite => true,
            JobStatus::Assigned => j
                .planned_start
                .or(j.windows.first().map(|w| w.start))
                .is_none_or(|t| ctx.local_date(t) <= today),
            _ => false,
        })
        .collect();
    // Under way first, then by plan.
    day.sort_by_key(|j| {
        (
            progress_rank(j.status),
            j.planned_start.or(j.windows.first().map(|w| w.start)),
            j.id,
        )
    });
    let etas = day::etas(ctx.now, model.location, &day);
    let jobs: Vec<JobCard> = day
        .iter()
        .zip(etas)
        .map(|(j, eta)| field_card(model, ctx, j, Some(eta)))
        .collect();
    let waiting = mine
        .iter()
        .filter(|j| j.status == JobStatus::NeedsFollowUp)
        .map(|j| field_card(model, ctx, j, None))
        .collect();
    TechnicianScreen::MyDay(MyDayView {
        date: ctx.date(today),
        empty: jobs
            .is_empty()
            .then(|| Word::label(ctx.t, Label::NoJobsToday)),
        jobs,
        waiting,
    })
}

fn progress_rank(s: JobStatus) -> u8 {
    match s {
        JobStatus::OnSite => 0,
        JobStatus::EnRoute => 1,
        _ => 2,
    }
}

/// A job as a card on the technician's screens: only the steps taken in the field, even for a
/// technician who also runs the store (the office's steps are on the dispatcher's screens).
fn field_card(model: &Model, ctx: &Ctx, job: &Job, eta: Option<DateTime<Utc>>) -> JobCard {
    let mut card = card(model, ctx, job, eta);
    card.actions.retain(|a| a.action.is_field_action());
    card
}

fn crew(model: &Model, ctx: &Ctx, job: &Job) -> Option<Word> {
    if job.crew_size <= 1 {
        return None;
    }
    if job.crew.is_empty() {
        return Some(Word::new(ctx.t.crew_needed(job.crew_size)));
    }
    let names: Vec<String> = job
        .workers()
        .map(|u| match model.replica.record(&RecordKey::User(u)) {
            Some(Record::User(u)) => u.name.clone(),
            _ => ctx
                .t
                .label(domain::words::Label::AnotherTechnician)
                .to_owned(),
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Some(Word::new(
        ctx.t.crew_of(job.crew_size, &ctx.t.people(&names)),
    ))
}

/// A job as a card; the actions shown are those the viewer's role may take.
pub(crate) fn card(model: &Model, ctx: &Ctx, job: &Job, eta: Option<DateTime<Utc>>) -> JobCard {
    let customer = match model.replica.record(&RecordKey::Customer(job.customer)) {
        Some(Record::Customer(c)) => Some(c),
        _ => None,
    };
    let user = model.user();
    let is_tech = user.is_some_and(|u| job.works_on(u.id));
    let office = user.is_some_and(|u| u.manages_store(job.store));
    let actions = job
        .status
        .allowed()
        .into_iter()
        .filter(|a| {
            if a.is_field_action() {
                is_tech || office
            } else {
                office
            }
        })
        .map(|action| ActionButton {
            action,
            label: Word::new(ctx.t.action(action)),
        })
        .collect();
    let minutes_left = (job.sla_deadline - ctx.now).num_minutes();
    let tier = customer.map_or(Tier::Standard, |c| c.tier);
    JobCard {
        place_customer: place_customer(model, ctx, job, customer),
        id: job.id,
        number: job.number(),
        status: job.status,
        status_word: Word::new(ctx.t.status(job.status)),
        service: job.service_type,
        service_word: Word::new(ctx.t.service(job.service_type)),
        priority: job.priority,
        priority_word: Word::new(ctx.t.priority(job.priority)),
        customer: job.customer,
        customer_name: customer.map_or_else(|| "—".to_owned(), |c| c.name.clone()),
        tier,
        tier_word: Word::new(ctx.t.tier(tier)),
        address: job.service_address.one_line(),
        window: job
            .windows
            .first()
            .map(|w| format!("{} – {}", ctx.when(w.start), ctx.when(w.end))),
        eta: eta.map(|t| ctx.when(t)),
        eta_ms: eta.map(|t| t.timestamp_millis()),
        start_ms: eta
            .or(job.planned_start)
            .or(job.windows.first().map(|w| w.start))
            .map(|t| t.timestamp_millis()),
        minutes: job.estimated_minutes,
        sla_deadline: ctx.when(job.sla_deadline),
        sla_at_risk: job.is_open() && minutes_left < ctx.sla_risk_minutes(),
        sla_breached: job.is_open() && minutes_left < 0,
        technician: job
            .technician
            .and_then(|t| match model.replica.record(&RecordKey::User(t)) {
                Some(Record::User(u)) => Some(u.name.clone()),
                _ => None,
            }),
        crew: crew(model, ctx, job),
        description: job.description.clone(),
        position: job.service_address.location,
        actions,
        cancel: model.cancels.get(&job.id).map(|d| CancelView {
            reason: d.reason.clone(),
            error: d.error.as_ref().map(|n| super::notice(ctx.t, n)),
        }),
        sync: ctx.sync(RecordKey::Job(job.id)),
    }
}

fn purchase_form(
    model: &Model,
    ctx: &Ctx,
    c: &domain::customers::Customer,
) -> Option<PurchaseFormView> {
    use crate::model::purchase_form::PurchaseField as F;
    let me = model.user()?;
    let may = me.manages_store(c.store)
        || (me.has(domain::org::Role::Sales) && me.in_store(c.store) && c.owner == Some(me.id));
    if !may || c.merged_into.is_some() {
        return None;
    }
    let f = &model.purchase_form;
    let open = f.customer == Some(c.id);
    let field = |field, label, value: &String| PurchaseFieldView {
        field,
        label: Word::label(ctx.t, label),
        value: value.clone(),
    };
    Some(PurchaseFormView {
        title: Word::label(ctx.t, Label::PurchaseRecord),
        open,
        fields: if open {
            vec![
                field(F::Product, Label::PurchaseProduct, &f.product),
                field(F::Quantity, Label::PurchaseQuantity, &f.quantity),
                field(F::Amount, Label::PurchaseAmount, &f.amount),
                field(F::Date, Label::PurchaseDate, &f.date),
                field(F::Receipt, Label::PurchaseReceipt, &f.receipt),
            ]
        } else {
            Vec::new()
        },
        error: f.error.filter(|_| open).map(|l| Word::label(ctx.t, l)),
        save: Word::label(ctx.t, Label::Save),
        close: Word::label(ctx.t, Label::Close),
    })
}

fn privacy(model: &Model, ctx: &Ctx, c: &domain::customers::Customer) -> Option<PrivacyView> {
    let me = model.user()?;
    if !me.manages_store(c.store) {
        return None;
    }
    let p = &model.privacy;
    let admin = me.has(domain::org::Role::Admin) && c.erased.is_none();
    Some(PrivacyView {
        export_json: Word::label(ctx.t, Label::PrivacyExportJson),
        export_csv: Word::label(ctx.t, Label::PrivacyExportCsv),
        exporting: p.exporting == Some(c.id),
        download: p
            .export
            .as_ref()
            .filter(|(who, _, _)| *who == c.id)
            .map(|(_, name, text)| Download {
                name: name.clone(),
                text: text.clone(),
                save: Word::label(ctx.t, Label::PrivacySave),
            }),
        erase: admin.then(|| Word::label(ctx.t, Label::PrivacyErase)),
        confirm: (admin && p.confirming == Some(c.id))
            .then(|| Word::label(ctx.t, Label::PrivacyConfirmErase)),
        keep: Word::label(ctx.t, Label::PrivacyKeep),
        erased: c.erased.map(|_| Word::label(ctx.t, Label::PrivacyErased)),
    })
}

pub(super) fn detail(model: &Model, ctx: &Ctx, job: &Job) -> JobDetailView {
    let card = field_card(model, ctx, job, None);
    let customer = match model.replica.record(&RecordKey::Customer(job.customer)) {
        Some(Record::Customer(c)) => Some(c),
        _ => None,
    };
    let today = ctx.today();
    let mut assets = Vec::new();
    let mut visits: Vec<(DateTime<Utc>, VisitLine)> = Vec::new();
    for r in model.replica.linked(Link::Customer(job.customer)) {
        match r {
            Record::Asset(a) => {
                let warranty = a.warranty(today);
                assets.push(AssetLine {
                    product: a.product.clone(),
                    serial_number: a.serial_number.clone(),
                    warranty: Word::new(ctx.t.warranty(warranty)),
                    under_warranty: matches!(warranty, WarrantyStatus::Active { .. }),
                    maintenance_due: a.maintenance_due().map(|d| ctx.date(d)),
                });
            }
            Record::Job(j) if j.id != job.id && !j.is_open() => {
                let at = j.history.last().map_or(j.created_at, |h| h.at);
                visits.push((
                    at,
                    VisitLine {
                        date: ctx.date(ctx.local_date(at)),
                        service: j.service_type,
                        service_word: Word::new(ctx.t.service(j.service_type)),
                        status: j.status,
                        status_word: Word::new(ctx.t.status(j.status)),
                        satisfaction: j.completion.as_ref().and_then(|c| c.satisfaction),
                        notes: j
                            .completion
                            .as_ref()
                            .map(|c| c.notes.clone())
                            .unwrap_or_default(),
                    },
                ));
            }
            _ => {}
        }
    }
    visits.sort_by_key(|v| std::cmp::Reverse(v.0));
    let user_name = |id| match model.replica.record(&RecordKey::User(id)) {
        Some(Record::User(u)) => u.name.clone(),
        _ => "—".to_owned(),
    };
    let kind = customer.map_or(CustomerKind::Individual, |c| c.kind);
    let tier = customer.map_or(Tier::Standard, |c| c.tier);
    JobDetailView {
        form: model.ui().and_then(|ui| form(ctx, &ui.field, job.id)),
        card,
        customer: CustomerSummary {
            id: job.customer,
            name: customer.map_or_else(|| "—".into(), |c| c.name.clone()),
            number: customer.map(|c| c.number()).unwrap_or_default(),
            kind,
            kind_word: Word::new(ctx.t.customer_kind(kind)),
            tier,
            tier_word: Word::new(ctx.t.tier(tier)),
            phones: customer
                .map(|c| c.phones.iter().map(phone_line).collect())
                .unwrap_or_default(),
            address: job.service_address.one_line(),
            assets,
            last_visits: visits.into_iter().take(5).map(|(_, v)| v).collect(),
            value: customer.map(|c| super::value::view(model, ctx, c)),
            privacy: customer.and_then(|c| privacy(model, ctx, c)),
            purchase: customer.and_then(|c| purchase_form(model, ctx, c)),
        },
        history: job
            .history
            .iter()
            .map(|h| HistoryLine {
                at: ctx.when(h.at),
                from: h.from,
                from_word: Word::new(ctx.t.status(h.from)),
                to: h.to,
                to_word: Word::new(ctx.t.status(h.to)),
                by: user_name(h.by),
                note: h.note.clone(),
                place: h.location.map(|at| {
                    Word::new(
                        ctx.t.step_place(
                            job.service_address
                                .location
                                .map(|a| a.distance_m(&at).round() as i64),
                        ),
                    )
                }),
            })
            .collect(),
        completion: job.completion.clone(),
    }
}

fn place_customer(
    model: &Model,
    ctx: &Ctx,
    job: &Job,
    customer: Option<&domain::customers::Customer>,
) -> Option<PlaceCustomerView> {
    let me = model.user()?;
    let c = customer?;
    // An erased customer's position went with their data: nobody is asked to put it back.
    if !job.is_open() || c.erased.is_some() {
        return None;
    }
    if !job.workers().any(|w| w == me.id) {
        // At the desk: the customer's staff pick the place on the board's map.
        let desk =
            me.manages_store(c.store) && (c.address.location.is_none() || c.address.approximate);
        let why = if c.address.location.is_none() {
            Label::NotOnMap
        } else {
            Label::ApproximateOnMap
        };
        return desk.then(|| PlaceCustomerView {
            customer: c.id,
            why: Word::label(ctx.t, why),
            action: Word::label(ctx.t, Label::PickOnMap),
            from: PlaceFrom::Map,
        });
    }
    // Where the phone was at this job's last step (arriving, say).
    let seen_here = job
        .history
        .iter()
        .rev()
        .find(|h| h.by == me.id)
        .and_then(|h| h.location);
    let why = match (c.address.location, seen_here) {
        (None, _) => Label::NotOnMap,
        // Only the district's centre: the technician at the door confirms the place.
        (Some(_), _) if c.address.approximate => Label::ApproximateOnMap,
        (Some(on_map), Some(here))
            if job.status == domain::jobs::JobStatus::OnSite
                && on_map.distance_m(&here) > FAR_FROM_MAP_M =>
        {
            Label::FarFromMap
        }
        _ => return None,
    };
    Some(PlaceCustomerView {
        customer: c.id,
        why: Word::label(ctx.t, why),
        action: Word::label(ctx.t, Label::PlaceCustomerHere),
        from: PlaceFrom::Phone,
    })
}

/// A number as typed, with a link that dials it: the international form when it is known.
fn phone_line(p: &Phone) -> PhoneLine {
    let number = p.e164.clone().unwrap_or_else(|| {
        p.raw
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    });
    PhoneLine {
        shown: p.raw.clone(),
        dial: format!("tel:{number}"),
    }
}

/// The form open on `job`, with its draft and, after a refusal, why.
fn form(ctx: &Ctx, forms: &FieldForms, job: JobId) -> Option<JobFormView> {
    if forms.job != Some(job) {
        return None;
    }
    let error = forms.error.as_ref().map(|e| match e {
        FormProblem::Parts(e) => Word::new(ctx.t.parts_error(e)),
        FormProblem::Notice(n) => super::notice(ctx.t, n),
    });
    Some(match forms.open? {
        FieldForm::Completion => JobFormView::Completion(CompletionFormView {
            draft: forms.completion.clone(),
            satisfaction: [Some(5), Some(4), Some(3), Some(2), Some(1), None]
                .into_iter()
                .map(|score| ScoreChoice {
                    score,
                    value: score.map(|s| s.to_string()).unwrap_or_default(),
                    label: Word::new(ctx.t.satisfaction_choice(score)),
                })
                .collect(),
            saving: forms.saving,
            error,
        }),
        FieldForm::FollowUp => JobFormView::FollowUp(FollowUpFormView {
            draft: forms.follow_up.clone(),
            kinds: [FollowUpKind::Parts, FollowUpKind::ReturnVisit]
                .into_iter()
                .map(|kind| FollowUpKindChoice {
                    kind,
                    label: Word::new(ctx.t.follow_up_kind(kind)),
                })
                .collect(),
            saving: forms.saving,
            error,
        }),
    })
}
