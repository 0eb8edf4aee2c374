//! Follow-ups on the device: working them (done, snooze, reschedule, reassign, book the
//! maintenance visit), raising what the rules call for, and keeping the device's scheduled
//! notifications in step with the person's open follow-ups.
//!
//! After every event that changed the data or the minute, [`Model::follow_up_housekeeping`]
//! runs the pure rules (`followups::rules::due`) over the replica, commits the follow-ups
//! this person's device is responsible for as ordinary ops (the same path as a tap, so they
//! sync and survive restarts), then reconciles the notifications with the [`Notify`]
//! capability. All of it works offline.
//!
//! [`Notify`]: crate::effects::notify

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::sales::{from_ms, invalid_time};
use super::{Event, Internal, Model, commit};
use crate::effects::Effect;
use crate::effects::notify::{Notification, command as notify};
use domain::followups::rules::{self, Calendar, Rule, Snooze};
use domain::followups::{FollowUp, Reason, Subject};
use domain::ids::{FollowUpId, JobId, OpId, UserId};
use domain::jobs::{Priority, ServiceType};
use domain::ops::{NewJob, Op, OpKind, Record, RecordKey};
use domain::org::{OrgSettings, User, WeeklyHours};

type Time = crux_time::command::Time<Effect, Event>;

/// Most rule follow-ups one housekeeping run commits; the rest follow a minute later.
pub const MAX_RULE_OPS_PER_RUN: usize = 100;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum FollowUpEvent {
    Complete(FollowUpId),
    /// Snooze in the store's terms ("tomorrow morning", "in 3 days"); the core works out the
    /// instant in the store's zone, so it is right across a daylight-saving change.
    Snooze {
        id: FollowUpId,
        choice: Snooze,
    },
    /// Move the due time; Unix milliseconds.
    Reschedule {
        id: FollowUpId,
        due_ms: i64,
    },
    /// Give it to someone else in the store (managers only; `apply` checks).
    Reassign {
        id: FollowUpId,
        owner: UserId,
    },
    /// Accept a maintenance reminder: creates the visit (customer and asset filled in) and
    /// closes the reminder.
    BookMaintenanceVisit(FollowUpId),
}

/// The device's follow-up bookkeeping. Not persisted: after a restart the rules run again
/// (their ids are deterministic, so nothing is made twice) and the notifications are
/// cancelled and scheduled afresh.
#[derive(Debug, Default)]
pub struct Reminders {
    /// What the shell has scheduled as far as the core knows; `None` until the first
    /// reconciliation after start, when the core cannot know what an earlier run left.
    scheduled: Option<BTreeMap<FollowUpId, Notification>>,
    /// Rule follow-ups this device already tried to make. One that the server then hides
    /// from the device (reassigned to someone else) must not be made again at every sync.
    tried: BTreeSet<FollowUpId>,
    seen: Option<Fingerprint>,
    /// What `scheduled` was worked out for: the replica then, the person and the language.
    /// From there only the follow-ups a change reaches are worded again: a dispatcher at a
    /// chain's size owns thousands, and this runs after every tap and sync page.
    reconciled: Option<(domain::ops::Mark, UserId, super::Lang)>,
    /// The rules' answer, kept current from the replica's changes: a whole-replica pass per
    /// tap costs most of a second on a dispatcher's device at a chain's size.
    standing: rules::Standing,
}

/// What the housekeeping depends on: the person, the replica's version (it moves with every
/// record that changes, locally or from the server), the rules' clock, by the minute, and the
/// language the reminders are worded in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    user: UserId,
    replica: domain::ops::Mark,
    minute: i64,
    language: super::Lang,
}

pub fn update(model: &mut Model, event: FollowUpEvent) -> Command<Effect, Event> {
    match event {
        FollowUpEvent::Complete(follow_up) => {
            commit::request(OpKind::CompleteFollowUp { follow_up })
        }
        FollowUpEvent::Snooze { id, choice } => {
            let cal = model.calendar_of(id);
            stamped(move |now| {
                vec![OpKind::SnoozeFollowUp {
                    follow_up: id,
                    until: choice.until(&cal, now),
                }]
            })
        }
        FollowUpEvent::Reschedule { id, due_ms } => match from_ms(due_ms) {
            Some(due_at) => commit::request(OpKind::RescheduleFollowUp {
                follow_up: id,
                due_at,
            }),
            None => invalid_time(model),
        },
        FollowUpEvent::Reassign { id, owner } => commit::request(OpKind::ReassignFollowUp {
            follow_up: id,
            owner,
        }),
        FollowUpEvent::BookMaintenanceVisit(id) => match model.maintenance_visit(id) {
            Some(job) => stamped(move |_| {
                vec![
                    OpKind::CreateJob(job),
                    OpKind::CompleteFollowUp { follow_up: id },
                ]
            }),
            None => {
                model.notice = Some(domain::words::Label::NotMaintenance.into());
                render()
            }
        },
    }
}

/// Asks the shell for the time, then commits the ops made from it, in order.
fn stamped(
    make: impl FnOnce(DateTime<Utc>) -> Vec<OpKind> + Send + 'static,
) -> Command<Effect, Event> {
    Command::new(|ctx| async move {
        let now = DateTime::<Utc>::from(Time::now().into_future(ctx.clone()).await);
        for kind in make(now) {
            ctx.send_event(Event::internal(Internal::Commit {
                kind,
                at: now,
                location: None,
            }));
        }
    })
}

/// Whether an op is one the rules made on this device rather than one the person made:
/// its refusal by the server (usually because another device made the same follow-up
/// first) is housekeeping, not something to show as a refused change.
#[must_use]
pub fn is_rule_made(op: &Op) -> bool {
    matches!(&op.kind, OpKind::CreateFollowUp(n) if matches!(n.reason, Reason::Rule(_)))
}

impl Model {
    fn follow_up(&self, id: FollowUpId) -> Option<&FollowUp> {
        match self.replica.record(&RecordKey::FollowUp(id)) {
            Some(Record::FollowUp(f)) => Some(f),
            _ => None,
        }
    }

    /// The calendar of the follow-up's store (UTC and always open when unknown).
    fn calendar_of(&self, id: FollowUpId) -> Calendar {
        self.follow_up(id)
            .and_then(|f| match self.replica.record(&RecordKey::Store(f.store)) {
                Some(Record::Store(s)) => Some(Calendar::of(s)),
                _ => None,
            })
            .unwrap_or(Calendar {
                tz: chrono_tz::Tz::UTC,
                hours: WeeklyHours::default(),
            })
    }

    fn maintenance_visit(&self, id: FollowUpId) -> Option<NewJob> {
        let f = self.follow_up(id)?;
        let Some(Rule::Maintenance(asset)) = Rule::of(&f.reason) else {
            return None;
        };
        let Some(Record::Asset(a)) = self.replica.record(&RecordKey::Asset(asset)) else {
            return None;
        };
        Some(NewJob {
            id: JobId::new(),
            customer: a.customer,
            asset: Some(a.id),
            service_address: None,
            service_type: ServiceType::Maintenance,
            description: domain::words::table(self.language)
                .maintenance_visit(&a.product, &a.serial_number),
            required_skills: Vec::new(),
            estimated_minutes: 60,
            priority: Priority::Normal,
            windows: Vec::new(),
            crew_size: 1,
        })
    }

    fn fingerprint(&self, user: UserId) -> Fingerprint {
        Fingerprint {
            user,
            replica: self.replica.mark(),
            minute: self.now.timestamp() / 60,
            language: self.language,
        }
    }

    /// Raises the follow-ups the rules call for and reconciles the notifications; a no-op
    /// unless the data, the user or the minute changed since the last run.
    pub(super) fn follow_up_housekeeping(&mut self) -> Command<Effect, Event> {
        let user = match (self.is_active(), self.user()) {
            (true, Some(u)) => u.clone(),
            _ => return self.withdraw_reminders(),
        };
        // Until the shell has told the time, "now" is 1970 and every rule would misfire; in
        // the middle of a pull the replica is partial (the last page brings the rest).
        if self.now.timestamp() <= 0 || self.sync.paging {
            return Command::done();
        }
        if self.reminders.seen.as_ref() == Some(&self.fingerprint(user.id)) {
            return Command::done();
        }
        let mut cmds = Vec::new();
        if self.clock_known && self.raise_rule_follow_ups(&user) > 0 {
            cmds.extend([render(), self.save_outbox(), self.sync()]);
        }
        cmds.push(self.reconcile_reminders(&user));
        // Looked at again once the clock is known, whatever else changes by then.
        if self.clock_known {
            self.reminders.seen = Some(self.fingerprint(user.id));
        }
        Command::all(cmds)
    }

    /// Commits the rule follow-ups this device is responsible for; returns how many.
    fn raise_rule_follow_ups(&mut self, user: &User) -> usize {
        let standing = &mut self.reminders.standing;
        standing.refresh(&self.replica, self.now, user);
        let mut mine: Vec<_> = standing
            .due(&self.replica, self.now)
            .into_iter()
            .filter(|p| !self.reminders.tried.contains(&p.id))
            .collect();
        // When rules are first switched on for an organization with history, the backlog
        // comes in slices, most urgent first, instead of one huge outbox.
        mine.sort_by_key(|p| (p.due_at, p.id));
        mine.truncate(MAX_RULE_OPS_PER_RUN);
        let mut made = 0;
        for p in mine {
            self.reminders.tried.insert(p.id);
            let op = Op {
                id: OpId::new(),
                actor: user.id,
                // The server's time, like every op this device makes (see `commit`).
                at: self
                    .now
                    .checked_add_signed(self.clock_offset)
                    .unwrap_or(self.now),
                location: None,
                kind: OpKind::CreateFollowUp(p.new_follow_up()),
            };
            // A follow-up the replica already rules out is simply not made.
            if self.outbox.apply_local(&mut self.replica, op).is_ok() {
                made += 1;
            }
        }
        made
    }

    /// One notification per open follow-up the person owns, at its (snoozed) due time.
    fn reconcile_reminders(&mut self, user: &User) -> Command<Effect, Event> {
        let basis = (self.replica.mark(), user.id, self.language);
        let since = self.reminders.reconciled.replace(basis);
        let reached = match (&self.reminders.scheduled, since) {
            (Some(_), Some((mark, who, language)))
                if who == user.id && language == self.language =>
            {
                self.follow_ups_reached(mark)
            }
            _ => None,
        };
        let mut cmds = Vec::new();
        let ids = match reached {
            Some(ids) => ids,
            None => {
                // After a start the core cannot know what an earlier run left scheduled.
                if self.reminders.scheduled.is_none() {
                    cmds.push(notify::cancel_all());
                    self.reminders.scheduled = Some(BTreeMap::new());
                }
                let mut ids: BTreeSet<FollowUpId> = self
                    .reminders
                    .scheduled
                    .iter()
                    .flat_map(|s| s.keys().copied())
                    .collect();
                ids.extend(
                    self.replica
                        .follow_ups()
                        .filter(|f| f.owner == user.id && f.is_open())
                        .map(|f| f.id),
                );
                ids
            }
        };
        cmds.push(self.reconcile_some(user, &ids));
        Command::all(cmds)
    }

    /// The follow-ups whose reminder a change since `mark` can alter: the follow-up itself,
    /// and those whose words name a lead, customer or job that changed. `None` when that is
    /// not known, or when a change reaches every reminder (the organization's settings, a
    /// store's zone, a user).
    fn follow_ups_reached(&self, mark: domain::ops::Mark) -> Option<BTreeSet<FollowUpId>> {
        use domain::ops::records::Link;
        let about = |subject: Subject, out: &mut BTreeSet<FollowUpId>| {
            out.extend(
                self.replica
                    .linked(Link::Subject(subject))
                    .filter_map(|r| match r {
                        Record::FollowUp(f) => Some(f.id),
                        _ => None,
                    }),
            );
        };
        let mut out = BTreeSet::new();
        for change in self.replica.changed_since(mark)? {
            match change.key {
                RecordKey::FollowUp(id) => {
                    out.insert(id);
                }
                RecordKey::Lead(id) => about(Subject::Lead(id), &mut out),
                RecordKey::Job(id) => about(Subject::Job(id), &mut out),
                RecordKey::Customer(id) => {
                    about(Subject::Customer(id), &mut out);
                    let jobs = self
                        .replica
                        .linked(Link::Customer(id))
                        .filter_map(|r| match r {
                            Record::Job(j) => Some(j.id),
                            _ => None,
                        });
                    for j in jobs.collect::<Vec<_>>() {
                        about(Subject::Job(j), &mut out);
                    }
                }
                RecordKey::Org(_) | RecordKey::Store(_) | RecordKey::User(_) => return None,
                _ => {}
            }
        }
        Some(out)
    }

    /// Brings the reminders of `ids` in line with the replica: one per open follow-up the
    /// person owns, at its (snoozed) due time, from what was scheduled.
    fn reconcile_some(
        &mut self,
        user: &User,
        ids: &BTreeSet<FollowUpId>,
    ) -> Command<Effect, Event> {
        let now_ms = self.now.timestamp_millis();
        let settings = self.org_settings();
        let mut scheduled = self.reminders.scheduled.take().unwrap_or_default();
        let mut cmds = Vec::new();
        for id in ids {
            let wanted = match self.replica.record(&RecordKey::FollowUp(*id)) {
                Some(Record::FollowUp(f)) if f.owner == user.id && f.is_open() => {
                    Some(self.notification(f, &settings))
                }
                _ => None,
            };
            match (scheduled.get(id), wanted) {
                (Some(old), None) => {
                    cmds.push(notify::cancel(old.id.clone()));
                    scheduled.remove(id);
                }
                (None, None) => {}
                (old, Some(n)) => {
                    match old {
                        Some(old) if *old == n => {}
                        _ if n.fire_at_ms > now_ms => cmds.push(notify::schedule(n.clone())),
                        // Moved into the past: what was scheduled is stale; the lists show it.
                        Some(old) => cmds.push(notify::cancel(old.id.clone())),
                        None => {}
                    }
                    scheduled.insert(*id, n);
                }
            }
        }
        self.reminders.scheduled = Some(scheduled);
        Command::all(cmds)
    }

    /// The replica was replaced as a whole: the rules work everything out again from it.
    pub(super) fn forget_standing_rules(&mut self) {
        self.reminders.standing = rules::Standing::default();
    }

    /// After sign-out nothing of that person may pop up on a shared device.
    fn withdraw_reminders(&mut self) -> Command<Effect, Event> {
        self.reminders.seen = None;
        self.reminders.tried.clear();
        self.reminders.standing = rules::Standing::default();
        self.reminders.reconciled = None;
        match &self.reminders.scheduled {
            Some(s) if s.is_empty() => Command::done(),
            _ => {
                self.reminders.scheduled = Some(BTreeMap::new());
                notify::cancel_all()
            }
        }
    }

    /// A reminder in the person's language: what to do and for whom; the rule's story or
    /// the note, and when it is due in the store's zone.
    fn notification(&self, f: &FollowUp, settings: &OrgSettings) -> Notification {
        let t = domain::words::table(self.language);
        let who = match f.subject {
            Subject::Lead(id) => match self.replica.record(&RecordKey::Lead(id)) {
                Some(Record::Lead(l)) => Some(l.name.clone()),
                _ => None,
            },
            Subject::Customer(id) => self.customer_name(id),
            Subject::Job(id) => match self.replica.record(&RecordKey::Job(id)) {
                Some(Record::Job(j)) => self.customer_name(j.customer).or(Some(j.number())),
                _ => None,
            },
        };
        let due = f.effective_due();
        let when = due
            .with_timezone(&self.zone_of(f.store))
            .format("%m-%d %H:%M")
            .to_string();
        let why = f.why.as_ref().map(|w| t.follow_up_why(w, settings));
        let about: Vec<&str> = why
            .as_deref()
            .into_iter()
            .chain(Some(f.note.as_str()).filter(|n| !n.is_empty()))
            .collect();
        Notification {
            id: format!("follow-up:{}", f.id),
            title: t.reminder_title(t.follow_up_task(Rule::of(&f.reason)), who.as_deref()),
            body: t.reminder_body(&about, &when),
            fire_at_ms: due.timestamp_millis(),
        }
    }

    fn customer_name(&self, id: domain::ids::CustomerId) -> Option<String> {
        match self.replica.record(&RecordKey::Customer(id)) {
            Some(Record::Customer(c)) => Some(c.name.clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
