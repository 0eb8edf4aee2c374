//! The rep's pipeline in numbers: leads per stage, how long a won lead took, which sources
//! convert, and whether the rep's follow-ups get done on time. Computed from the replica,
//! so the numbers are the rep's own (their leads, their follow-ups) and work offline.

use chrono::{DateTime, Utc};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use domain::followups::{FollowUp, FollowUpStatus};
use domain::ids::{LeadId, UserId};
use domain::leads::{Lead, LeadSource, Stage};

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PipelineStats {
    /// The numbers below in a sentence.
    pub summary: Word,
    /// Average whole days from a lead's creation to its win; `None` before the first win.
    pub conversion_days: Option<u32>,
    /// Sources with at least one closed lead, best rate first.
    pub win_rate_by_source: Vec<SourceRate>,
    /// Follow-ups done by the end of the (store-local) day they were due, in percent of
    /// those done; `None` before the first is done.
    pub on_time_pct: Option<u8>,
    pub done_follow_ups: u32,
    pub done_on_time: u32,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StageCount {
    pub stage: Stage,
    pub stage_word: Word,
    pub count: u32,
    /// Won value for won leads, expected value otherwise.
    pub value: Money,
    /// The leads in an open stage, the next follow-up soonest first (none last), so the
    /// pipeline can be shown as columns; empty for Won and Lost, which are counted only.
    pub leads: Vec<LeadCard>,
}

/// A lead as a card in its pipeline column.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LeadCard {
    pub id: LeadId,
    pub name: String,
    pub expected_value: Money,
    /// The interest category's name in the person's language.
    pub interest: Word,
    pub next_follow_up: Option<String>,
    /// The next follow-up is in the past.
    pub overdue: bool,
    /// Whether a change to the lead waits to sync or was refused.
    pub sync: super::record_sync::RecordSync,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SourceRate {
    pub source: LeadSource,
    /// The source and its numbers in a sentence.
    pub words: Word,
    pub won: u32,
    pub lost: u32,
    /// `won / (won + lost)`, in whole percent.
    pub rate_pct: u8,
}

/// An amount: minor units for sorting and sums, and as shown ("¥12,800").
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Money {
    pub minor: i64,
    pub shown: String,
}

impl Money {
    pub(super) fn of(ctx: &Ctx, minor: i64) -> Self {
        let currency = ctx.org.map_or("CNY", |o| o.settings.currency.as_str());
        Self {
            minor,
            shown: ctx.t.money(minor, currency),
        }
    }
}

/// An interest code's name in the person's language (the code when the catalogue lacks it).
pub(super) fn interest(ctx: &Ctx, code: &str) -> Word {
    Word::new(match ctx.org {
        Some(o) => ctx.t.interest_name(&o.settings, code),
        None => code,
    })
}

/// Leads per stage, with their value.
pub(super) fn stage_counts(model: &Model, ctx: &Ctx, me: UserId) -> Vec<StageCount> {
    let leads: Vec<&Lead> = model.replica.leads().filter(|l| l.owner == me).collect();
    let cards = |stage: Stage| {
        if !stage.is_open() {
            return Vec::new();
        }
        let mut open: Vec<&&Lead> = leads.iter().filter(|l| l.stage == stage).collect();
        open.sort_by_key(|l| {
            (
                l.next_follow_up_at.is_none(),
                l.next_follow_up_at,
                std::cmp::Reverse(l.expected_value),
                l.id,
            )
        });
        open.into_iter()
            .map(|l| LeadCard {
                id: l.id,
                name: l.name.clone(),
                expected_value: Money::of(ctx, l.expected_value),
                interest: interest(ctx, &l.interest.category),
                next_follow_up: l.next_follow_up_at.map(|t| ctx.when(t)),
                overdue: l.next_follow_up_at.is_some_and(|t| t < ctx.now),
                sync: ctx.sync(domain::ops::RecordKey::Lead(l.id)),
            })
            .collect()
    };
    Stage::ALL
        .iter()
        .map(|&stage| {
            let (count, value) =
                leads
                    .iter()
                    .filter(|l| l.stage == stage)
                    .fold((0u32, 0i64), |(c, v), l| {
                        (
                            c.saturating_add(1),
                            v.saturating_add(l.won_value.unwrap_or(l.expected_value)),
                        )
                    });
            StageCount {
                stage,
                stage_word: Word::new(ctx.t.stage(stage)),
                count,
                value: Money::of(ctx, value),
                leads: cards(stage),
            }
        })
        .collect()
}

pub(super) fn stats(model: &Model, ctx: &Ctx, me: UserId) -> PipelineStats {
    let leads: Vec<&Lead> = model.replica.leads().filter(|l| l.owner == me).collect();
    let cycles: Vec<i64> = leads
        .iter()
        .filter(|l| l.stage == Stage::Won)
        .map(|l| (won_at(l) - l.created_at).num_days().max(0))
        .collect();
    let conversion_days = average(&cycles);

    let mut win_rate_by_source: Vec<SourceRate> = Vec::new();
    for l in leads.iter().filter(|l| !l.stage.is_open()) {
        let i = match win_rate_by_source.iter().position(|s| s.source == l.source) {
            Some(i) => i,
            None => {
                win_rate_by_source.push(SourceRate {
                    source: l.source,
                    words: Word::default(),
                    won: 0,
                    lost: 0,
                    rate_pct: 0,
                });
                win_rate_by_source.len() - 1
            }
        };
        let s = &mut win_rate_by_source[i];
        if l.stage == Stage::Won {
            s.won += 1;
        } else {
            s.lost += 1;
        }
    }
    for s in &mut win_rate_by_source {
        s.rate_pct = pct(s.won, s.won + s.lost);
        s.words = Word::new(ctx.t.win_rate(s.source, s.won, s.lost, s.rate_pct));
    }
    win_rate_by_source.sort_by(|a, b| b.rate_pct.cmp(&a.rate_pct).then(a.source.cmp(&b.source)));

    let done: Vec<(&FollowUp, DateTime<Utc>)> = model
        .replica
        .follow_ups()
        .filter(|f| f.owner == me)
        .filter_map(|f| match f.status {
            FollowUpStatus::Done { at } => Some((f, at)),
            _ => None,
        })
        .collect();
    let on_time = done
        .iter()
        .filter(|(f, at)| ctx.local_date(*at) <= ctx.local_date(f.due_at))
        .count();
    let done_follow_ups = u32::try_from(done.len()).unwrap_or(u32::MAX);
    let done_on_time = u32::try_from(on_time).unwrap_or(u32::MAX);
    let on_time_pct = (done_follow_ups > 0).then(|| pct(done_on_time, done_follow_ups));
    PipelineStats {
        summary: Word::new(ctx.t.pipeline_summary(conversion_days, on_time_pct)),
        conversion_days,
        win_rate_by_source,
        on_time_pct,
        done_follow_ups,
        done_on_time,
    }
}

fn won_at(l: &Lead) -> DateTime<Utc> {
    l.history
        .iter()
        .rev()
        .find(|h| h.to == Stage::Won)
        .map_or(l.stage_changed_at, |h| h.at)
}

fn average(days: &[i64]) -> Option<u32> {
    if days.is_empty() {
        return None;
    }
    let n = i64::try_from(days.len()).unwrap_or(i64::MAX);
    let sum: i64 = days.iter().fold(0i64, |a, d| a.saturating_add(*d));
    // Rounded to the nearest day.
    u32::try_from((sum + n / 2) / n).ok()
}

fn pct(part: u32, whole: u32) -> u8 {
    if whole == 0 {
        return 0;
    }
    u8::try_from((u64::from(part) * 100 + u64::from(whole) / 2) / u64::from(whole)).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages_round_to_the_nearest_and_never_divide_by_zero() {
        assert_eq!(pct(1, 3), 33);
        assert_eq!(pct(2, 3), 67);
        assert_eq!(pct(0, 0), 0);
        assert_eq!(pct(5, 5), 100);
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[10, 11]), Some(11));
        assert_eq!(average(&[45]), Some(45));
    }
}
