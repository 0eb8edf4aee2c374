//! "Who should take this job?": the engine's ranking turned into technicians, instants and
//! reasons a dispatcher can read.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use domain::ids::{JobId, UserId};
use domain::jobs::JobStatus;
use vrptw::suggest::{Exclusion, suggest};
use vrptw::travel::TravelTimes;

use crate::*;

impl Day {
    /// Ranks the day's technicians for one job, with reasons for each.
    pub fn suggest(
        &self,
        board: &Board,
        job: JobId,
        travel: &dyn TravelTimes,
    ) -> Result<JobSuggestion, DayError> {
        if let Some((_, why)) = self.skipped.iter().find(|(j, _)| j.id == job) {
            return Err(match why {
                SkipReason::NoPosition => DayError::JobWithoutPosition,
                SkipReason::WaitingForParts => DayError::JobWaitingForParts,
            });
        }
        if let Some(e) = self.elsewhere.get(&job) {
            return Err(e.clone());
        }
        let Some(info) = self.jobs.iter().find(|j| j.id == job) else {
            return Err(DayError::UnknownJob);
        };
        if matches!(info.status, JobStatus::EnRoute | JobStatus::OnSite) {
            return Err(DayError::JobUnderway);
        }
        let pid = job_id(job);
        let Some(target) = board.problem.jobs().iter().find(|j| j.id == pid) else {
            return Err(DayError::UnknownJob);
        };
        let s = suggest(&board.problem, &board.current, target, travel);
        let candidates = s
            .candidates
            .iter()
            .enumerate()
            .filter_map(|(rank, c)| {
                let t = self.tech(&c.technician)?;
                let moved: Vec<MovedVisit> = c
                    .moved
                    .iter()
                    .filter_map(|m| {
                        let i = self.info(&m.job)?;
                        Some(MovedVisit {
                            job: i.id,
                            number: i.number.clone(),
                            from: self.at(m.from),
                            to: self.at(m.to),
                        })
                    })
                    .collect();
                let mut reasons = vec![format!(
                    "adds {} and {} of driving",
                    km(c.added_metres),
                    minutes(c.added_travel_seconds)
                )];
                reasons.push(format!("can start at {}", self.clock(c.eta)));
                if let Some(slack) = c.sla_slack {
                    reasons.push(if slack >= 0 {
                        format!("finishes {} before the SLA deadline", minutes(slack))
                    } else {
                        format!("misses the SLA deadline by {}", minutes(-slack))
                    });
                }
                reasons.push(
                    match moved.iter().map(|m| (m.to - m.from).num_seconds()).max() {
                        None => "no other visit moves".to_owned(),
                        Some(most) => format!(
                            "moves {} later visit{} by up to {}",
                            moved.len(),
                            if moved.len() == 1 { "" } else { "s" },
                            minutes(most)
                        ),
                    },
                );
                if info.technician == Some(t.user) {
                    reasons.push("already assigned".to_owned());
                }
                Some(TechnicianOption {
                    technician: t.user,
                    name: t.name.clone(),
                    rank: rank as u32 + 1,
                    arrival: self.at(c.arrival),
                    eta: self.at(c.eta),
                    added_travel_seconds: c.added_travel_seconds,
                    added_metres: c.added_metres,
                    sla_slack_minutes: c.sla_slack.map(|s| s.div_euclid(60)),
                    moved,
                    reasons,
                })
            })
            .collect();
        let mut excluded: Vec<ExcludedTechnician> = s
            .excluded
            .iter()
            .filter_map(|e| {
                let t = self.tech(&e.technician)?;
                let (reason, detail) = self.exclusion(t, &e.reason);
                Some(ExcludedTechnician {
                    technician: t.user,
                    name: t.name.clone(),
                    reason,
                    detail,
                })
            })
            .collect();
        excluded.extend(self.off.iter().map(|(u, name)| ExcludedTechnician {
            technician: *u,
            name: name.clone(),
            reason: ExclusionReason::OffThatDay,
            detail: format!("does not work on {}", self.date.format("%A %Y-%m-%d")),
        }));
        Ok(JobSuggestion {
            job,
            number: info.number.clone(),
            date: self.date,
            candidates,
            excluded,
        })
    }

    fn exclusion(&self, t: &TechInfo, e: &Exclusion) -> (ExclusionReason, String) {
        match e {
            Exclusion::MissingSkill(skills) => (
                ExclusionReason::MissingSkills {
                    skills: skills.clone(),
                },
                format!("lacks {}", skills.join(", ")),
            ),
            Exclusion::PinnedToOther => (
                ExclusionReason::PinnedToOther,
                "the job stays with its assigned technician".to_owned(),
            ),
            Exclusion::OutsideShift => (
                ExclusionReason::OutsideShift,
                format!(
                    "works {}–{}; the job's windows are outside those hours",
                    self.clock(t.shift.0),
                    self.clock(t.shift.1)
                ),
            ),
            Exclusion::WindowUnreachable => (
                ExclusionReason::WindowUnreachable,
                "cannot reach it within its window without making another visit late or \
                 working past the end of the shift"
                    .to_owned(),
            ),
            Exclusion::OverMaxJobs => (
                ExclusionReason::OverMaxJobs,
                format!(
                    "already has the most jobs allowed in a day ({})",
                    t.max_jobs
                ),
            ),
            Exclusion::OverCapacity => (
                ExclusionReason::OverCapacity,
                "the van has no room for the job's load".to_owned(),
            ),
        }
    }
}

/// A job that would move if the suggestion is taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MovedVisit {
    pub job: JobId,
    pub number: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// One technician who could take the job, cheapest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianOption {
    pub technician: UserId,
    pub name: String,
    /// 1 for the best.
    pub rank: u32,
    pub arrival: DateTime<Utc>,
    /// When work would start.
    pub eta: DateTime<Utc>,
    pub added_travel_seconds: i64,
    pub added_metres: i64,
    /// Minutes between finishing and the SLA deadline; negative when it would be late.
    pub sla_slack_minutes: Option<i64>,
    /// Later visits of the technician whose start would move.
    pub moved: Vec<MovedVisit>,
    /// Why, in words: added driving, start time, SLA slack, visits moved.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExclusionReason {
    MissingSkills { skills: Vec<String> },
    PinnedToOther,
    OffThatDay,
    OutsideShift,
    WindowUnreachable,
    OverMaxJobs,
    OverCapacity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExcludedTechnician {
    pub technician: UserId,
    pub name: String,
    pub reason: ExclusionReason,
    pub detail: String,
}

/// "Who should take this job?"
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobSuggestion {
    pub job: JobId,
    pub number: String,
    pub date: NaiveDate,
    pub candidates: Vec<TechnicianOption>,
    pub excluded: Vec<ExcludedTechnician>,
}
