//! Jobs that need more than one technician at once (a piano move, an installation).
//!
//! The engine routes one technician per visit, so a job for a crew of `n` goes into the
//! problem as `n` copies: the job itself and `n - 1` twins with the same place, length and
//! windows. Copies must start together. Rather than teach the solver synchronised visits,
//! crews are placed first, each at the earliest time that suits a whole crew ([`crew_options`]),
//! and then pinned (technician and start) while the solver plans everything else around
//! them. A crew job that no `n` technicians can reach together is left out whole, never
//! half-staffed.

use std::collections::BTreeMap;

use domain::ids::JobId;
use vrptw::problem::{self as p, Problem};
use vrptw::solution::{Plan, VisitKind};
use vrptw::suggest::{Candidate, Exclusion, suggest};
use vrptw::travel::TravelTimes;

/// Separates a twin's suffix from the job's id in the problem.
const TWIN: char = '#';

/// The problem's id of copy `k` (1 and up) of a crew job.
pub(crate) fn twin(job: JobId, k: u8) -> p::JobId {
    p::JobId(format!("{}{TWIN}{k}", job.0))
}

/// The problem's id of copy `k` of the job whose own id is `lead` (0: the job itself).
pub(crate) fn copy_id(lead: &p::JobId, k: u8) -> p::JobId {
    if k == 0 {
        lead.clone()
    } else {
        p::JobId(format!("{}{TWIN}{k}", lead.0))
    }
}

/// The job id a problem id is a copy of, and which copy (0 for the job itself).
pub(crate) fn split(id: &p::JobId) -> (&str, u8) {
    match id.0.split_once(TWIN) {
        Some((base, k)) => (base, k.parse().unwrap_or(0)),
        None => (&id.0, 0),
    }
}

/// `plan` without any visit to a copy of `lead`'s job.
pub(crate) fn without(plan: &Plan, lead: &p::JobId) -> Plan {
    let mut out = plan.clone();
    for r in &mut out.routes {
        r.visits
            .retain(|v| !matches!(&v.kind, VisitKind::Job(id) if split(id).0 == lead.0));
    }
    out
}

/// A crew that can do a job together: who, when work starts, and what it costs each.
#[derive(Debug, Clone)]
pub(crate) struct CrewOption {
    /// Work starts, in the problem's seconds.
    pub(crate) start: i64,
    /// Cheapest first; the first is the one the job is assigned to.
    pub(crate) members: Vec<Candidate>,
}

impl CrewOption {
    pub(crate) fn added_metres(&self) -> i64 {
        self.members.iter().map(|c| c.added_metres).sum()
    }
}

/// Crews of `size` for `job` against `plan` (which must not hold the job), best first: at
/// each time some technician could start it, the `size` cheapest who can all start then.
/// Returns too why each technician who could never take it cannot.
pub(crate) fn crew_options(
    problem: &Problem,
    plan: &Plan,
    job: &p::Job,
    size: u8,
    travel: &dyn TravelTimes,
) -> (Vec<CrewOption>, Vec<(p::TechnicianId, Exclusion)>) {
    let size = usize::from(size.max(1));
    let mut free = job.clone();
    free.pinned_start = None;
    free.pinned_technician = None;
    let alone = suggest(problem, plan, &free, travel);
    let excluded = alone
        .excluded
        .iter()
        .map(|e| (e.technician.clone(), e.reason.clone()))
        .collect();
    // Times at which someone can start, each tried once; a crew's start is one of them (the
    // latest member's earliest start).
    let mut starts: Vec<i64> = alone.candidates.iter().map(|c| c.eta).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut best: BTreeMap<Vec<p::TechnicianId>, CrewOption> = BTreeMap::new();
    for start in starts {
        let mut at = free.clone();
        at.pinned_start = Some(start);
        let s = suggest(problem, plan, &at, travel);
        if s.candidates.len() < size {
            continue;
        }
        let members: Vec<Candidate> = s.candidates.into_iter().take(size).collect();
        let mut who: Vec<p::TechnicianId> = members.iter().map(|c| c.technician.clone()).collect();
        who.sort();
        let option = CrewOption { start, members };
        // The same crew later in the day is only worth showing if it costs less.
        match best.get(&who) {
            Some(b) if (b.added_metres(), b.start) <= (option.added_metres(), option.start) => {}
            _ => {
                best.insert(who, option);
            }
        }
    }
    let mut options: Vec<CrewOption> = best.into_values().collect();
    options.sort_by_key(|o| (o.added_metres(), o.start));
    (options, excluded)
}

/// The crew `who` (in that order) for `job` starting at `start`, if every one of them can.
pub(crate) fn crew_at(
    problem: &Problem,
    plan: &Plan,
    job: &p::Job,
    who: &[p::TechnicianId],
    start: i64,
    travel: &dyn TravelTimes,
) -> Option<CrewOption> {
    let mut at = job.clone();
    at.pinned_technician = None;
    at.pinned_start = Some(start);
    let s = suggest(problem, plan, &at, travel);
    let members = who
        .iter()
        .map(|t| s.candidates.iter().find(|c| c.technician == *t).cloned())
        .collect::<Option<Vec<_>>>()?;
    Some(CrewOption { start, members })
}

/// The plan's crew jobs (those with twins), most urgent first.
pub(crate) fn crew_jobs(problem: &Problem) -> Vec<(p::JobId, u8)> {
    let mut counts: BTreeMap<&str, (u8, u8, i64)> = BTreeMap::new();
    for j in problem.jobs() {
        let (base, _) = split(&j.id);
        let e = counts
            .entry(base)
            .or_insert((0, j.priority, j.sla_deadline.unwrap_or(i64::MAX)));
        e.0 += 1;
    }
    let mut out: Vec<(p::JobId, u8, u8, i64)> = counts
        .into_iter()
        .filter(|(_, (n, _, _))| *n > 1)
        .map(|(base, (n, prio, sla))| (p::JobId(base.to_owned()), n, prio, sla))
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then(a.3.cmp(&b.3)).then(a.0.cmp(&b.0)));
    out.into_iter().map(|(id, n, _, _)| (id, n)).collect()
}

/// Solver routes hold each copy at most once; a plan that holds only some copies of a crew
/// job has it half-staffed. The ids of such jobs.
pub(crate) fn half_staffed(problem: &Problem, plan: &Plan) -> Vec<p::JobId> {
    let mut placed: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &plan.routes {
        for id in r.jobs() {
            *placed.entry(split(id).0).or_default() += 1;
        }
    }
    crew_jobs(problem)
        .into_iter()
        .filter(|(id, n)| {
            placed
                .get(id.0.as_str())
                .is_some_and(|k| *k < usize::from(*n))
        })
        .map(|(id, _)| id)
        .collect()
}
