//! Work orders: creation with the SLA promise, assignment, and the technician's steps.

use chrono::{DateTime, Utc};

use super::customers::visible_customer;
use super::records::RecordsExt;
use super::{
    Ctx, Denied, Field, NewJob, OpError, Problem, Record, RecordKey, RecordKind, Records, checks,
};
use crate::ids::{JobId, UserId};
use crate::jobs::{Completion, FollowUpNeed, Job, JobAction, JobStatus, StatusChange, sla};
use crate::org::Role;

pub(super) fn create<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewJob,
) -> Result<Vec<RecordKey>, OpError> {
    let customer = visible_customer(records, ctx, new.customer)?;
    if customer.merged_into.is_some() {
        return Err(OpError::invalid(Field::JobCustomer, Problem::Merged));
    }
    // A job copies the customer's address for the technician: only those who may read it.
    super::customers::may_work_on(ctx, &customer)?;
    super::fresh(records, RecordKey::Job(new.id))?;
    checks::text(Field::Description, &new.description)?;
    if !(5..=24 * 60).contains(&new.estimated_minutes) {
        return Err(OpError::invalid(
            Field::EstimatedMinutes,
            Problem::OutOfRange {
                min: 5,
                max: 24 * 60,
            },
        ));
    }
    checks::list(Field::Windows, &new.windows, 10)?;
    for (i, w) in new.windows.iter().enumerate() {
        if w.end <= w.start {
            return Err(OpError::invalid(Field::Window(i), Problem::EndsBeforeStart));
        }
    }
    if !(1..=crate::jobs::MAX_CREW).contains(&new.crew_size) {
        return Err(OpError::invalid(
            Field::CrewSize,
            Problem::OutOfRange {
                min: 1,
                max: i64::from(crate::jobs::MAX_CREW),
            },
        ));
    }
    checks::list(Field::RequiredSkills, &new.required_skills, 10)?;
    let org = records.org(ctx.actor.org)?;
    for (i, s) in new.required_skills.iter().enumerate() {
        if !org.skills.iter().any(|k| &k.code == s) {
            return Err(OpError::invalid(
                Field::RequiredSkill(i),
                Problem::UnknownSkill { code: s.clone() },
            ));
        }
    }
    if let Some(asset) = new.asset {
        let a = records.asset(asset)?;
        if a.customer != customer.id {
            return Err(OpError::invalid(
                Field::JobAsset,
                Problem::OtherCustomersAsset,
            ));
        }
    }
    let service_address = match &new.service_address {
        Some(a) => {
            checks::address(Field::ServiceAddress, a)?;
            a.clone()
        }
        None => customer.address.clone(),
    };
    let job = Job {
        id: new.id,
        org: ctx.actor.org,
        store: customer.store,
        customer: customer.id,
        asset: new.asset,
        service_address,
        service_type: new.service_type,
        description: new.description.clone(),
        required_skills: new.required_skills.clone(),
        estimated_minutes: new.estimated_minutes,
        priority: new.priority,
        windows: new.windows.clone(),
        sla_deadline: sla::deadline_in(
            &org.settings,
            ctx.op.at,
            customer.tier,
            new.service_type,
            new.priority,
        ),
        technician: None,
        crew_size: new.crew_size,
        crew: Vec::new(),
        planned_start: None,
        status: JobStatus::New,
        follow_up: None,
        cancel_reason: None,
        completion: None,
        history: Vec::new(),
        created_at: ctx.op.at,
        created_by: ctx.actor.id,
    };
    records.put(Record::Job(job))?;
    Ok(vec![RecordKey::Job(new.id)])
}

/// Who an assignment gives the job to: the technician it is assigned to, and the others of
/// its crew.
pub(super) struct Crew<'a> {
    pub(super) lead: UserId,
    pub(super) others: &'a [UserId],
}

pub(super) fn assign<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: JobId,
    crew: Crew,
    planned_start: Option<DateTime<Utc>>,
    why: Option<&str>,
) -> Result<Vec<RecordKey>, OpError> {
    let mut job = visible_job(records, ctx, id)?;
    office(ctx, &job)?;
    let to = next(&job, JobAction::Assign)?;
    let why = why.map(str::trim).filter(|w| !w.is_empty());
    if let Some(w) = why {
        checks::text(Field::AssignReason, w)?;
    }
    let wanted = usize::from(job.crew_size.max(1)) - 1;
    if crew.others.len() > wanted {
        return Err(OpError::invalid(
            Field::Crew,
            Problem::TooMany { max: wanted },
        ));
    }
    let mut seen = vec![crew.lead];
    for &t in crew.others {
        if seen.contains(&t) {
            return Err(OpError::invalid(Field::Crew, Problem::Repeated));
        }
        seen.push(t);
    }
    // A piano move sent with one pair of hands is a choice the dispatcher makes knowingly.
    if crew.others.len() < wanted && why.is_none() {
        return Err(OpError::invalid(
            Field::Crew,
            Problem::CrewShortWithoutReason,
        ));
    }
    for (field, technician) in std::iter::once((Field::Technician, crew.lead))
        .chain(crew.others.iter().map(|&t| (Field::Crew, t)))
    {
        let tech = records.user(technician)?;
        if tech.org != job.org || !tech.has(Role::Technician) {
            return Err(OpError::invalid(field, Problem::NotATechnician));
        }
        if !tech.in_store(job.store) {
            return Err(OpError::invalid(field, Problem::TechnicianOfOtherStore));
        }
        // A tuning job must not reach a power-tool technician by a slip of the hand (issue
        // 14): the dispatcher may still send them, saying why.
        let lacking = match records.get(RecordKey::Technician(technician))? {
            Some(Record::Technician(p)) => {
                job.required_skills.iter().any(|s| !p.skills.contains(s))
            }
            _ => !job.required_skills.is_empty(),
        };
        if lacking && why.is_none() {
            return Err(OpError::invalid(field, Problem::LacksSkillWithoutReason));
        }
    }
    let note = why.map(str::to_owned).or_else(|| {
        job.technician
            .filter(|t| *t != crew.lead)
            .map(|_| "reassigned".to_owned())
    });
    job.technician = Some(crew.lead);
    job.crew = crew.others.to_vec();
    job.planned_start = planned_start;
    transition(&mut job, ctx, to, note);
    records.put(Record::Job(job))?;
    Ok(vec![RecordKey::Job(id)])
}

pub(super) fn unassign<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: JobId,
) -> Result<Vec<RecordKey>, OpError> {
    let mut job = visible_job(records, ctx, id)?;
    office(ctx, &job)?;
    let to = next(&job, JobAction::Unassign)?;
    transition(&mut job, ctx, to, None);
    job.technician = None;
    job.crew.clear();
    job.planned_start = None;
    records.put(Record::Job(job))?;
    Ok(vec![RecordKey::Job(id)])
}

/// A leaver's place on a job not yet started: taken by `to`, or, with nobody named, the job
/// goes back to the queue (a crew job too: a crew short of one is the dispatcher's to make
/// up, not the remaining members' to go without).
pub(super) fn hand_over(job: &mut Job, ctx: &Ctx, leaver: UserId, to: Option<UserId>) {
    let note = Some("handed over: the technician left".to_owned());
    match to {
        Some(t) => {
            if job.technician == Some(leaver) {
                job.technician = Some(t);
            }
            for w in &mut job.crew {
                if *w == leaver {
                    *w = t;
                }
            }
            transition(job, ctx, JobStatus::Assigned, note);
        }
        None => {
            job.technician = None;
            job.crew.clear();
            job.planned_start = None;
            transition(job, ctx, JobStatus::New, note);
        }
    }
}

pub(super) fn cancel<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: JobId,
    reason: &str,
) -> Result<Vec<RecordKey>, OpError> {
    let mut job = visible_job(records, ctx, id)?;
    office(ctx, &job)?;
    checks::name(Field::CancelReason, reason)?;
    let to = next(&job, JobAction::Cancel)?;
    job.cancel_reason = Some(reason.trim().to_owned());
    transition(&mut job, ctx, to, Some(reason.trim().to_owned()));
    // A cancelled visit must leave the technician's day; the history keeps who had it.
    job.technician = None;
    job.crew.clear();
    job.planned_start = None;
    super::erasure::finish_erasure(records, &mut job)?;
    records.put(Record::Job(job))?;
    Ok(vec![RecordKey::Job(id)])
}

pub(super) enum Step<'a> {
    Travel,
    Arrive,
    Complete(&'a Completion),
    NeedFollowUp(&'a FollowUpNeed),
}

/// The technician's own steps. The office may record them on the technician's behalf
/// (a phone call from the field), and the history says who did.
pub(super) fn field_step<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: JobId,
    step: Step,
) -> Result<Vec<RecordKey>, OpError> {
    let mut job = visible_job(records, ctx, id)?;
    let mut is_own = ctx.has(Role::Technician) && job.works_on(ctx.actor.id);
    let mut taken_back = false;
    if !is_own && ctx.has(Role::Technician) && worked_before_reassignment(&job, ctx.actor.id) {
        // A completion made offline stands against a reassignment made meanwhile: the
        // technician who held the job before it was reassigned, and went on working it
        // without knowing, keeps it (the new technician has not set out yet). The history
        // says so, and the other technician's device drops the job at its next sync.
        job.technician = Some(ctx.actor.id);
        is_own = true;
        taken_back = true;
    }
    if !is_own && !ctx.actor.manages_store(job.store) {
        return Err(OpError::Forbidden(Denied::OnlyAssignedTechnician));
    }
    let (action, note) = match step {
        Step::Travel => (JobAction::StartTravel, None),
        Step::Arrive => (JobAction::Arrive, None),
        Step::Complete(c) => {
            completion(c)?;
            (JobAction::Complete, None)
        }
        Step::NeedFollowUp(n) => {
            checks::name(Field::FollowUpNeed, &n.reason)?;
            (JobAction::NeedFollowUp, Some(n.reason.trim().to_owned()))
        }
    };
    let to = next(&job, action)?;
    let note = if taken_back {
        Some(note.map_or_else(|| TAKEN_BACK.to_owned(), |n| format!("{TAKEN_BACK}: {n}")))
    } else {
        note
    };
    match step {
        Step::Complete(c) => job.completion = Some(c.clone()),
        Step::NeedFollowUp(n) => job.follow_up = Some(n.clone()),
        Step::Travel | Step::Arrive => {}
    }
    transition(&mut job, ctx, to, note);
    super::erasure::finish_erasure(records, &mut job)?;
    records.put(Record::Job(job))?;
    Ok(vec![RecordKey::Job(id)])
}

/// The history note of a step that took a job back from a reassignment (data, like
/// "reassigned": the history is read by the office as it was written).
pub const TAKEN_BACK: &str = "worked offline before the reassignment reached the device";

/// Whether `tech` held the job until it was reassigned to someone who has not set out yet.
fn worked_before_reassignment(job: &Job, tech: UserId) -> bool {
    job.status == JobStatus::Assigned
        && job
            .history
            .iter()
            .rev()
            .map(|h| h.technician)
            .find(|t| *t != job.technician)
            == Some(Some(tech))
}

fn completion(c: &Completion) -> Result<(), OpError> {
    checks::text(Field::CompletionNotes, &c.notes)?;
    checks::list(Field::Parts, &c.parts, 50)?;
    for (i, p) in c.parts.iter().enumerate() {
        checks::name(Field::PartItem(i), &p.item)?;
        if !(1..=10_000).contains(&p.quantity) {
            return Err(OpError::invalid(
                Field::PartQuantity(i),
                Problem::OutOfRange {
                    min: 1,
                    max: 10_000,
                },
            ));
        }
    }
    checks::list(Field::Photos, &c.photos, 20)?;
    for (i, p) in c.photos.iter().enumerate() {
        checks::name(Field::Photo(i), p)?;
    }
    if let Some(s) = &c.signature {
        checks::name(Field::Signature, s)?;
    }
    if let Some(score) = c.satisfaction
        && !(1..=5).contains(&score)
    {
        return Err(OpError::invalid(
            Field::Satisfaction,
            Problem::OutOfRange { min: 1, max: 5 },
        ));
    }
    Ok(())
}

pub(super) fn visible_job<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    id: JobId,
) -> Result<Job, OpError> {
    let job = records.job(id)?;
    if job.org != ctx.actor.org {
        return Err(OpError::NotFound {
            kind: RecordKind::Job,
            id: id.0,
        });
    }
    Ok(job)
}

fn office(ctx: &Ctx, job: &Job) -> Result<(), OpError> {
    if ctx.actor.manages_store(job.store) {
        Ok(())
    } else {
        Err(OpError::Forbidden(Denied::OnlyDispatcherOfStore))
    }
}

fn next(job: &Job, action: JobAction) -> Result<JobStatus, OpError> {
    job.status
        .after(action)
        .ok_or_else(|| OpError::transition(job.status, action))
}

fn transition(job: &mut Job, ctx: &Ctx, to: JobStatus, note: Option<String>) {
    job.history.push(StatusChange {
        from: job.status,
        to,
        by: ctx.actor.id,
        at: ctx.op.at,
        location: ctx.op.location,
        technician: job.technician,
        crew: job.crew.clone(),
        note,
    });
    job.status = to;
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::followups::rules::fixture::Fixture;
    use crate::jobs::{Priority, ServiceType};
    use crate::ops::{MemoryRecords, OpKind};

    /// Issue 14: a tuning job went to a power-tool technician with no warning. The dispatcher
    /// may still send someone without the skill, but only saying why; the reason stays in the
    /// job's history.
    #[test]
    fn a_technician_without_the_skill_takes_the_job_only_with_a_reason() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (manager, tech) = (fx.manager, fx.tech);
        let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        let at = |m: i64| t0 + Duration::minutes(m);
        let customer = fx.customer(t0, None, false, None);
        let id = JobId::from_parts(1_750_000_000_000, 78);
        fx.op(
            manager,
            at(0),
            OpKind::CreateJob(NewJob {
                id,
                customer,
                asset: None,
                service_address: None,
                service_type: ServiceType::Tuning,
                description: "Tuning".into(),
                required_skills: vec![],
                estimated_minutes: 60,
                priority: Priority::Normal,
                windows: vec![],
                crew_size: 1,
            }),
        )
        .unwrap();
        let job = |r: &MemoryRecords| match r.record(&RecordKey::Job(id)) {
            Some(Record::Job(j)) => j.clone(),
            _ => panic!("no job"),
        };
        let mut needs = job(&fx.records);
        needs.required_skills = vec!["piano-tuning".into()];
        fx.records.insert(Record::Job(needs));
        let assign = |why: Option<&str>| OpKind::AssignJob {
            job: id,
            technician: tech,
            planned_start: None,
            why: why.map(Into::into),
            crew: Vec::new(),
        };
        let refused = Err(OpError::invalid(
            Field::Technician,
            Problem::LacksSkillWithoutReason,
        ));
        assert_eq!(fx.op(manager, at(1), assign(None)).map(|_| ()), refused);
        assert_eq!(
            fx.op(manager, at(2), assign(Some("  "))).map(|_| ()),
            refused
        );
        let long = "x".repeat(100_000);
        assert!(matches!(
            fx.op(manager, at(2), assign(Some(&long))),
            Err(OpError::Invalid {
                field: Field::AssignReason,
                ..
            })
        ));
        assert_eq!(job(&fx.records).technician, None, "nothing changed");

        let why = "the only one free today; a regulation any of us can do";
        fx.op(manager, at(3), assign(Some(why))).unwrap();
        let j = job(&fx.records);
        assert_eq!(j.technician, Some(tech));
        assert_eq!(j.history.last().and_then(|h| h.note.as_deref()), Some(why));
    }

    /// A piano move needs two: the assignment names both, each checked like the technician,
    /// and the other may record the steps as the technician may. Fewer only with a reason.
    #[test]
    fn a_crew_job_is_assigned_to_a_whole_crew_who_may_each_work_it() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (manager, tech, rep) = (fx.manager, fx.tech, fx.rep);
        let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        let at = |m: i64| t0 + Duration::minutes(m);
        // A second technician of the store, and a third who is not in the crew.
        let mut others = Vec::new();
        for n in [901, 902] {
            let id = UserId(uuid::Uuid::from_u128(n));
            let Some(Record::User(mut u)) = fx.records.record(&RecordKey::User(tech)).cloned()
            else {
                panic!("the fixture's technician")
            };
            u.id = id;
            u.login = format!("tech{n}");
            fx.records.insert(Record::User(u));
            if let Some(Record::Technician(mut p)) =
                fx.records.record(&RecordKey::Technician(tech)).cloned()
            {
                p.user = id;
                fx.records.insert(Record::Technician(p));
            }
            others.push(id);
        }
        let (mate, outsider) = (others[0], others[1]);
        let customer = fx.customer(t0, None, false, None);
        let id = JobId::from_parts(1_750_000_000_000, 79);
        let new = |crew_size| NewJob {
            id,
            customer,
            asset: None,
            service_address: None,
            service_type: ServiceType::Tuning,
            description: "Move the grand piano upstairs".into(),
            required_skills: vec![],
            estimated_minutes: 90,
            priority: Priority::Normal,
            windows: vec![],
            crew_size,
        };
        assert!(matches!(
            fx.op(manager, at(0), OpKind::CreateJob(new(9))),
            Err(OpError::Invalid {
                field: Field::CrewSize,
                ..
            })
        ));
        fx.op(manager, at(0), OpKind::CreateJob(new(2))).unwrap();
        let assign = |crew: Vec<UserId>, why: Option<&str>| OpKind::AssignJob {
            job: id,
            technician: tech,
            planned_start: Some(at(120)),
            why: why.map(Into::into),
            crew,
        };
        assert_eq!(
            fx.op(manager, at(1), assign(vec![], None)).map(|_| ()),
            Err(OpError::invalid(
                Field::Crew,
                Problem::CrewShortWithoutReason
            ))
        );
        assert_eq!(
            fx.op(manager, at(1), assign(vec![tech], None)).map(|_| ()),
            Err(OpError::invalid(Field::Crew, Problem::Repeated))
        );
        assert_eq!(
            fx.op(manager, at(1), assign(vec![mate, outsider], None))
                .map(|_| ()),
            Err(OpError::invalid(Field::Crew, Problem::TooMany { max: 1 }))
        );
        assert_eq!(
            fx.op(manager, at(1), assign(vec![rep], None)).map(|_| ()),
            Err(OpError::invalid(Field::Crew, Problem::NotATechnician))
        );
        fx.op(manager, at(2), assign(vec![mate], None)).unwrap();
        let job = |fx: &Fixture| match fx.records.record(&RecordKey::Job(id)) {
            Some(Record::Job(j)) => j.clone(),
            _ => panic!("no job"),
        };
        let j = job(&fx);
        assert_eq!((j.technician, j.crew.clone()), (Some(tech), vec![mate]));
        assert!(j.works_on(mate) && !j.works_on(outsider));
        assert_eq!(j.history.last().map(|h| h.crew.clone()), Some(vec![mate]));
        // The crew mate sets out; someone outside the crew may not.
        assert_eq!(
            fx.op(outsider, at(3), OpKind::StartTravel { job: id })
                .map(|_| ()),
            Err(OpError::Forbidden(Denied::OnlyAssignedTechnician))
        );
        fx.op(mate, at(3), OpKind::StartTravel { job: id }).unwrap();
        assert_eq!(job(&fx).status, JobStatus::EnRoute);
        assert_eq!(
            job(&fx).technician,
            Some(tech),
            "the job stays the technician's"
        );
    }
}
