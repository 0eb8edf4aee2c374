//! "Who should take this job?": the engine's ranking turned into technicians, instants and
//! typed reasons (worded by the client, in its person's language).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use domain::ids::{JobId, UserId};
use domain::jobs::JobStatus;
use vrptw::suggest::{Candidate, Exclusion, suggest};
use vrptw::travel::TravelTimes;

use crate::*;

/// What taking the job does to the technician's later visits, each figure positive: pushed
/// later, and (where the detour moves driving to faster hours) brought forward.
fn moves(moved: &[MovedVisit]) -> Vec<CandidateReason> {
    let shifts: Vec<i64> = moved
        .iter()
        .map(|m| (m.to - m.from).num_seconds())
        .collect();
    let count = |f: &dyn Fn(i64) -> bool| {
        u32::try_from(shifts.iter().filter(|s| f(**s)).count()).unwrap_or(u32::MAX)
    };
    let mut out = Vec::new();
    if let Some(most) = shifts.iter().copied().filter(|s| *s > 0).max() {
        out.push(CandidateReason::MovesVisits {
            count: count(&|s| s > 0),
            most_seconds: most,
        });
    }
    if let Some(least) = shifts.iter().copied().filter(|s| *s < 0).min() {
        out.push(CandidateReason::BringsForward {
            count: count(&|s| s < 0),
            most_seconds: -least,
        });
    }
    if out.is_empty() {
        out.push(CandidateReason::NothingMoves);
    }
    out
}

/// Crews offered for a crew job: the best few, not every combination.
const MAX_CREW_OPTIONS: usize = 6;

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
        // A crew job: each option is a whole crew at one start, summed as one candidate.
        let (s, crews) = if info.crew_size > 1 {
            let plan = crew::without(&board.current, &pid);
            let (options, excluded) =
                crew::crew_options(&board.problem, &plan, target, info.crew_size, travel);
            let mut candidates = Vec::new();
            let mut crews: Vec<Vec<vrptw::problem::TechnicianId>> = Vec::new();
            for o in options.iter().take(MAX_CREW_OPTIONS) {
                let lead = &o.members[0];
                let mut moved: Vec<vrptw::suggest::MovedJob> =
                    o.members.iter().flat_map(|m| m.moved.clone()).collect();
                moved.dedup_by(|a, b| a.job == b.job);
                candidates.push(Candidate {
                    added_metres: o.added_metres(),
                    added_travel_seconds: o.members.iter().map(|m| m.added_travel_seconds).sum(),
                    moved,
                    ..lead.clone()
                });
                crews.push(
                    o.members[1..]
                        .iter()
                        .map(|m| m.technician.clone())
                        .collect(),
                );
            }
            let excluded = excluded
                .into_iter()
                .map(|(technician, reason)| vrptw::suggest::Excluded { technician, reason })
                .collect();
            (
                vrptw::suggest::Suggestion {
                    candidates,
                    excluded,
                },
                crews,
            )
        } else {
            (
                suggest(&board.problem, &board.current, target, travel),
                Vec::new(),
            )
        };
        let candidates = s
            .candidates
            .iter()
            .enumerate()
            .filter_map(|(rank, c)| {
                let t = self.tech(&c.technician)?;
                let crew: Vec<CrewMate> = crews
                    .get(rank)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| {
                        let m = self.tech(id)?;
                        Some(CrewMate {
                            technician: m.user,
                            name: m.name.clone(),
                        })
                    })
                    .collect();
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
                let mut reasons = vec![
                    CandidateReason::AddedDriving {
                        metres: c.added_metres,
                        seconds: c.added_travel_seconds,
                    },
                    CandidateReason::StartsAt { at: self.at(c.eta) },
                ];
                if let Some(slack) = c.sla_slack {
                    reasons.push(if slack >= 0 {
                        CandidateReason::BeforeSla { seconds: slack }
                    } else {
                        CandidateReason::MissesSla { seconds: -slack }
                    });
                }
                reasons.extend(moves(&moved));
                if info.technician == Some(t.user)
                    && crew
                        .iter()
                        .map(|m| m.technician)
                        .eq(info.crew.iter().copied())
                {
                    reasons.push(CandidateReason::AlreadyAssigned);
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
                    crew,
                })
            })
            .collect();
        let mut excluded: Vec<ExcludedTechnician> = s
            .excluded
            .iter()
            .filter_map(|e| {
                let t = self.tech(&e.technician)?;
                Some(ExcludedTechnician {
                    technician: t.user,
                    name: t.name.clone(),
                    reason: self.exclusion(t, &e.reason),
                })
            })
            .collect();
        excluded.extend(self.off.iter().map(|(u, name, away)| ExcludedTechnician {
            technician: *u,
            name: name.clone(),
            reason: away.map_or(ExclusionReason::OffThatDay, |kind| ExclusionReason::Away {
                kind,
            }),
        }));
        Ok(JobSuggestion {
            job,
            number: info.number.clone(),
            date: self.date,
            candidates,
            excluded,
        })
    }

    fn exclusion(&self, t: &TechInfo, e: &Exclusion) -> ExclusionReason {
        match e {
            Exclusion::MissingSkill(skills) => ExclusionReason::MissingSkills {
                skills: skills.clone(),
            },
            Exclusion::PinnedToOther => ExclusionReason::PinnedToOther,
            Exclusion::OutsideShift => ExclusionReason::OutsideShift {
                from: self.at(t.shift.0),
                to: self.at(t.shift.1),
            },
            Exclusion::WindowUnreachable => ExclusionReason::WindowUnreachable,
            Exclusion::OverMaxJobs => ExclusionReason::OverMaxJobs { max: t.max_jobs },
            Exclusion::OverCapacity => ExclusionReason::OverCapacity,
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
    /// Why: added driving, start time, SLA slack, visits moved.
    pub reasons: Vec<CandidateReason>,
    /// For a job that needs a crew, the others who start it at the same time (driving and
    /// moved visits above are the whole crew's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crew: Vec<CrewMate>,
}

/// Someone who works a crew job beside the technician it is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrewMate {
    pub technician: UserId,
    pub name: String,
}

/// One reason a technician ranks where they do, as data: the client words it in its person's
/// language (`shared::view::suggest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CandidateReason {
    /// The detour the job adds to the technician's day.
    AddedDriving { metres: i64, seconds: i64 },
    /// When work on the job would start.
    StartsAt { at: DateTime<Utc> },
    /// Done this long before the SLA deadline.
    BeforeSla { seconds: i64 },
    /// Done this long after the SLA deadline.
    MissesSla { seconds: i64 },
    /// No other visit of the technician moves.
    NothingMoves,
    /// This many later visits start later, the furthest by `most_seconds` (positive).
    MovesVisits { count: u32, most_seconds: i64 },
    /// This many later visits start earlier, the furthest by `most_seconds` (positive): the
    /// detour moves the driving after it to faster hours.
    BringsForward { count: u32, most_seconds: i64 },
    /// The job is this technician's already.
    AlreadyAssigned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExclusionReason {
    /// Skill codes of the catalogue the technician lacks.
    MissingSkills { skills: Vec<String> },
    /// The job stays with its assigned technician.
    PinnedToOther,
    /// Not working on the suggestion's date.
    OffThatDay,
    /// Away that day: sick, on leave, at training.
    Away { kind: domain::org::AbsenceKind },
    /// The job's windows fall outside the technician's hours, `from` to `to`.
    OutsideShift {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// Cannot get there within a window without making another visit late or working late.
    WindowUnreachable,
    /// Already has the most jobs allowed in a day.
    OverMaxJobs { max: u32 },
    /// The van has no room for the job's load.
    OverCapacity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExcludedTechnician {
    pub technician: UserId,
    pub name: String,
    pub reason: ExclusionReason,
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
