//! The rules' answer for one person's device, kept current as the replica changes.
//!
//! [`super::due`] reads the whole replica; on a dispatcher's phone with a quarter of a million
//! records that is most of a second, and the device asks after every tap and every sync page.
//! [`Standing`] works each subject's triggers out once and then again only for the subjects a
//! change can reach, which the replica's journal names ([`MemoryRecords::changed_since`]):
//!
//! - a lead, job or customer that changed, or was added or removed;
//! - what a changed record is attached to, before and after the change (its links): the
//!   customer of an asset, job or interaction, the lead of an interaction, the subject of a
//!   follow-up; these are exactly what the rules read through `linked`;
//! - a customer's jobs when the customer changes (a job's rules read its customer's owner).
//!
//! Everything else the rules read is global (the organization's settings, stores and their
//! calendars, users and their roles) or the date (a customer's spend over the last year,
//! which birthdays are near): a change to the first, a new day in any store, the clock going
//! back, or another person works everything out again. [`Standing::due`] answers what
//! [`super::due`] answers, filtered to what the person's device makes ([`Proposal::is_for`]);
//! the property test in `tests.rs` holds the two together.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{Proposal, World};
use crate::followups::Subject;
use crate::ids::FollowUpId;
use crate::ops::records::Link;
use crate::ops::{Mark, MemoryRecords, Record, RecordKey, RecordKind};
use crate::org::User;

/// The person's triggers that have no follow-up yet and have not expired, by when they may
/// first be made.
#[derive(Debug, Default)]
pub struct Standing {
    /// What the answer was worked out for; `None` before the first time.
    basis: Option<Basis>,
    /// Triggers of this person without a follow-up in the replica whose creation window is
    /// open (it opens at `due_at` less the organization's `create_ahead_days`), by that moment.
    waiting: BTreeMap<(DateTime<Utc>, FollowUpId), Proposal>,
    /// Those whose window opens later, by that moment, with only their subject: a chain's
    /// replica has hundreds of thousands (next year's birthdays, every asset's next service),
    /// and each is worked out again when its window opens.
    later: BTreeMap<(DateTime<Utc>, FollowUpId), Subject>,
    /// Each subject's entries in `waiting` and `later`, to take them out when it is worked out
    /// again.
    of: HashMap<Subject, Vec<(DateTime<Utc>, FollowUpId)>>,
}

#[derive(Debug)]
struct Basis {
    user: User,
    mark: Mark,
    /// The clock at the last refresh: if it goes back, expired triggers are not expired.
    at: DateTime<Utc>,
    /// The first midnight in any store after `at`: customer triggers read the date.
    until: DateTime<Utc>,
}

impl Standing {
    /// Brings the answer up to date with the replica, the clock and the person.
    pub fn refresh(&mut self, records: &MemoryRecords, now: DateTime<Utc>, user: &User) {
        let world = World::new(records, now, false);
        let changed: Option<BTreeSet<Subject>> = match &self.basis {
            Some(b) if b.user == *user && b.at <= now && now < b.until => {
                records.changed_since(b.mark).and_then(|changes| {
                    let mut subjects = BTreeSet::new();
                    for c in changes {
                        if !reaches(records, c.key, &c.links_before, &mut subjects) {
                            return None;
                        }
                    }
                    Some(subjects)
                })
            }
            _ => None,
        };
        match changed {
            Some(mut subjects) => {
                // Windows opened since.
                let opened = ..=(now, FollowUpId(Uuid::max()));
                subjects.extend(self.later.range(opened).map(|(_, s)| *s));
                for s in subjects {
                    self.work_out(&world, records, s, user);
                }
                self.drop_expired(now);
            }
            None => {
                self.waiting.clear();
                self.later.clear();
                self.of.clear();
                let kinds = [RecordKind::Lead, RecordKind::Job, RecordKind::Customer];
                for r in kinds.into_iter().flat_map(|k| records.of_kind(k)) {
                    if let Some(s) = subject_of(r.key()) {
                        self.work_out(&world, records, s, user);
                    }
                }
            }
        }
        self.basis = Some(Basis {
            user: user.clone(),
            mark: records.mark(),
            at: now,
            until: world.next_midnight(),
        });
    }

    /// The follow-ups to create now, as [`super::due`] has them, of those this person's
    /// device makes. Call [`Standing::refresh`] first.
    #[must_use]
    pub fn due(&self, records: &MemoryRecords, now: DateTime<Utc>) -> Vec<Proposal> {
        let mut best: BTreeMap<(Subject, String), &Proposal> = BTreeMap::new();
        let open_now = ..=(now, FollowUpId(Uuid::max()));
        for p in self.waiting.range(open_now).map(|(_, p)| p) {
            if p.expires.is_some_and(|e| now > e)
                || records.record(&RecordKey::FollowUp(p.id)).is_some()
                || has_open(records, p.subject, &p.rule.reason())
            {
                continue;
            }
            super::keep_earliest(&mut best, p);
        }
        let mut out: Vec<Proposal> = best.into_values().cloned().collect();
        out.sort_by_key(|p| p.id);
        out
    }

    /// Forgets triggers that expired since they were worked out (a one-off nobody saw in
    /// time). Only the clock going back brings them back, and that works everything out again.
    fn drop_expired(&mut self, now: DateTime<Utc>) {
        let expired: Vec<_> = self
            .waiting
            .range(..=(now, FollowUpId(Uuid::max())))
            .filter(|(_, p)| p.expires.is_some_and(|e| now > e))
            .map(|(k, p)| (*k, p.subject))
            .collect();
        for (k, s) in expired {
            self.waiting.remove(&k);
            if let Some(keys) = self.of.get_mut(&s) {
                keys.retain(|x| *x != k);
                if keys.is_empty() {
                    self.of.remove(&s);
                }
            }
        }
    }

    /// Works out one subject's triggers again, replacing what it had.
    fn work_out(&mut self, world: &World, records: &MemoryRecords, s: Subject, user: &User) {
        for k in self.of.remove(&s).into_iter().flatten() {
            self.waiting.remove(&k);
            self.later.remove(&k);
        }
        let Some(record) = records.record(&subject_key(s)) else {
            return;
        };
        let mut found = Vec::new();
        world.record_rules(record, &mut found);
        let mut mine = Vec::new();
        for p in found {
            // Expired ones are most of a long history (every old job's satisfaction call):
            // kept, they would be most of this structure's memory.
            if !p.is_for(user)
                || p.expires.is_some_and(|e| world.now > e)
                || records.record(&RecordKey::FollowUp(p.id)).is_some()
            {
                continue;
            }
            let ahead = Duration::days(i64::from(world.rules(p.org, p.store).create_ahead_days));
            let key = (p.due_at - ahead, p.id);
            mine.push(key);
            if key.0 <= world.now {
                self.waiting.insert(key, p);
            } else {
                self.later.insert(key, s);
            }
        }
        if !mine.is_empty() {
            self.of.insert(s, mine);
        }
    }
}

/// Adds the subjects a change can reach; `false` for a change that reaches everything.
fn reaches(
    records: &MemoryRecords,
    key: RecordKey,
    links_before: &[Link],
    out: &mut BTreeSet<Subject>,
) -> bool {
    if matches!(
        key,
        RecordKey::Org(_) | RecordKey::Store(_) | RecordKey::User(_)
    ) {
        return false;
    }
    out.extend(subject_of(key));
    let now = records.record(&key);
    let links_now = now.map(Record::links).unwrap_or_default();
    for l in links_before.iter().chain(&links_now) {
        match *l {
            Link::Customer(c) => {
                out.insert(Subject::Customer(c));
            }
            Link::Subject(s) => {
                out.insert(s);
            }
            // Who holds a record is no subject a rule is about.
            Link::Holder(_) => {}
        }
    }
    if let RecordKey::Customer(c) = key {
        out.extend(records.linked(Link::Customer(c)).filter_map(|r| match r {
            Record::Job(j) => Some(Subject::Job(j.id)),
            _ => None,
        }));
    }
    true
}

fn has_open(records: &MemoryRecords, subject: Subject, reason: &crate::followups::Reason) -> bool {
    records
        .linked(Link::Subject(subject))
        .any(|r| matches!(r, Record::FollowUp(f) if f.is_open() && f.reason == *reason))
}

fn subject_of(key: RecordKey) -> Option<Subject> {
    match key {
        RecordKey::Lead(id) => Some(Subject::Lead(id)),
        RecordKey::Job(id) => Some(Subject::Job(id)),
        RecordKey::Customer(id) => Some(Subject::Customer(id)),
        _ => None,
    }
}

fn subject_key(s: Subject) -> RecordKey {
    match s {
        Subject::Lead(id) => RecordKey::Lead(id),
        Subject::Job(id) => RecordKey::Job(id),
        Subject::Customer(id) => RecordKey::Customer(id),
    }
}

#[cfg(test)]
mod tests;
