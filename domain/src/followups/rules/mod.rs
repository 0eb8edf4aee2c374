//! Follow-up rules: which follow-ups the data calls for at a given moment.
//!
//! Pure and deterministic: [`triggers`] reads the records and the time and nothing else (no
//! Crux, no clock, no randomness), so every device that holds the same records and asks at
//! the same moment gets the same answer. Each trigger occurrence (this job's satisfaction
//! call, this lead's third cadence step, this year's birthday) has a follow-up id derived
//! from the organization, the subject, the rule and the occurrence ([`follow_up_id`]): two
//! devices that both notice it make the same `CreateFollowUp`, and the second is a no-op.
//!
//! All local reasoning (working hours, "2 days later", opening time) is in the store's zone
//! through [`Calendar`]. Settings are data ([`FollowUpRules`]) kept on the organization.

pub mod calendar;
// A tiny organization for rule tests; the Crux app's follow-up tests use it too (feature
// `fixture`, turned on by `shared`'s dev-dependency).
#[cfg(any(test, feature = "fixture"))]
pub mod fixture;
mod settings;
mod standing;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::{FollowUp, FollowUpStatus, Reason, Subject, Why};
use crate::customers::{Asset, Customer};
use crate::ids::{AssetId, CustomerId, FollowUpId, OrgId, StoreId, UserId};
use crate::jobs::{Job, JobStatus};
use crate::leads::{Interaction, Lead};
use crate::ops::records::Link;
use crate::ops::{MemoryRecords, NewFollowUp, Record, RecordKind};
use crate::org::{Organization, Role, Store, User};
use crate::purchases::Purchase;

pub use calendar::{Calendar, Snooze};
pub use settings::{
    ChurnRule, FollowUpRules, LowScoreRule, NewLeadRule, SatisfactionRule, StaleLeadRule,
    StoreManager, Switch, VipRule, WarrantyRule,
};
pub use standing::Standing;

/// The rules, each a [`Reason::Rule`] key. Per-asset rules carry the asset, because a
/// customer with two pianos needs two tuning reminders and there is one open follow-up per
/// subject and reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    FirstContact,
    Cadence,
    StaleLead,
    StaleLeadManager,
    SatisfactionCall,
    LowScoreEscalation,
    LowScoreRep,
    Churn,
    WinBack,
    VipCheckIn,
    Maintenance(AssetId),
    Warranty(AssetId),
    Birthday,
}

const MAINTENANCE: &str = "maintenance-due";
const WARRANTY: &str = "warranty-ending";

impl Rule {
    /// The key stored in [`Reason::Rule`].
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            Rule::FirstContact => "lead-first-contact".into(),
            Rule::Cadence => "lead-cadence".into(),
            Rule::StaleLead => "lead-stale".into(),
            Rule::StaleLeadManager => "lead-stale-manager".into(),
            Rule::SatisfactionCall => "satisfaction-call".into(),
            Rule::LowScoreEscalation => "low-score-escalation".into(),
            Rule::LowScoreRep => "low-score-rep".into(),
            Rule::Churn => "churn-risk".into(),
            Rule::WinBack => "win-back".into(),
            Rule::VipCheckIn => "vip-check-in".into(),
            Rule::Maintenance(a) => format!("{MAINTENANCE}:{}", a.0),
            Rule::Warranty(a) => format!("{WARRANTY}:{}", a.0),
            Rule::Birthday => "birthday".into(),
        }
    }

    #[must_use]
    pub fn reason(&self) -> Reason {
        Reason::Rule(self.key())
    }

    /// The rule behind a reason; `None` for manual follow-ups and unknown keys (a newer
    /// app version's rule is left alone, not misread).
    #[must_use]
    pub fn of(reason: &Reason) -> Option<Rule> {
        let Reason::Rule(key) = reason else {
            return None;
        };
        let simple = [
            Rule::FirstContact,
            Rule::Cadence,
            Rule::StaleLead,
            Rule::StaleLeadManager,
            Rule::SatisfactionCall,
            Rule::LowScoreEscalation,
            Rule::LowScoreRep,
            Rule::Churn,
            Rule::WinBack,
            Rule::VipCheckIn,
            Rule::Birthday,
        ];
        if let Some(r) = simple.into_iter().find(|r| r.key() == *key) {
            return Some(r);
        }
        let (prefix, id) = key.split_once(':')?;
        let asset = AssetId(Uuid::parse_str(id).ok()?);
        match prefix {
            MAINTENANCE => Some(Rule::Maintenance(asset)),
            WARRANTY => Some(Rule::Warranty(asset)),
            _ => None,
        }
    }

    /// 0 is the most urgent: what to do first among follow-ups due at the same time.
    #[must_use]
    pub fn urgency(&self) -> u8 {
        match self {
            Rule::LowScoreEscalation | Rule::LowScoreRep => 0,
            Rule::FirstContact => 1,
            Rule::Cadence | Rule::SatisfactionCall | Rule::Warranty(_) | Rule::Birthday => 2,
            Rule::Churn | Rule::WinBack | Rule::VipCheckIn | Rule::Maintenance(_) => 3,
            Rule::StaleLead | Rule::StaleLeadManager => 4,
        }
    }

    /// Lead follow-ups that any contact with the lead, or a stage move, satisfies (see
    /// `ops::leads`): the reminder asked for exactly that.
    #[must_use]
    pub fn is_lead_contact(&self) -> bool {
        matches!(
            self,
            Rule::FirstContact | Rule::Cadence | Rule::StaleLead | Rule::StaleLeadManager
        )
    }
}

/// One follow-up the rules call for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub id: FollowUpId,
    pub org: OrgId,
    pub store: StoreId,
    pub subject: Subject,
    pub rule: Rule,
    pub owner: UserId,
    pub due_at: DateTime<Utc>,
    /// After this it is not worth raising any more (a one-off trigger nobody saw in time).
    pub expires: Option<DateTime<Utc>>,
    /// What the rule saw; the view words it.
    pub why: Why,
}

impl Proposal {
    /// The op body that creates it.
    #[must_use]
    pub fn new_follow_up(&self) -> NewFollowUp {
        NewFollowUp {
            id: self.id,
            subject: self.subject,
            due_at: self.due_at,
            reason: self.rule.reason(),
            owner: Some(self.owner),
            note: String::new(),
            why: Some(self.why.clone()),
        }
    }

    /// Whether `user`'s device should make it: their own follow-ups, and for a store
    /// manager (dispatcher) everything of their stores. A device only makes what it will see
    /// afterwards, so it can tell that the follow-up exists and never makes it twice. Admins
    /// make only their own: an organization-wide device would otherwise make everyone's.
    #[must_use]
    pub fn is_for(&self, user: &User) -> bool {
        user.active
            && user.org == self.org
            && (self.owner == user.id || (user.has(Role::Dispatcher) && user.in_store(self.store)))
    }
}

/// The deterministic id of one trigger occurrence (UUID v5, stable across devices, app
/// versions and platforms).
#[must_use]
pub fn follow_up_id(org: OrgId, subject: Subject, rule: &Rule, occurrence: &str) -> FollowUpId {
    const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2b57_5d0e_4f0b_9a3e_7c11_d2a4_8e90);
    let subject = match subject {
        Subject::Customer(c) => format!("customer:{}", c.0),
        Subject::Lead(l) => format!("lead:{}", l.0),
        Subject::Job(j) => format!("job:{}", j.0),
    };
    let name = format!("{}|{subject}|{}|{occurrence}", org.0, rule.key());
    FollowUpId(Uuid::new_v5(&NAMESPACE, name.as_bytes()))
}

/// The follow-ups to create now: every trigger whose time has come (within
/// `create_ahead_days` of being due, not past its expiry), that no follow-up exists for yet
/// (by id, in any state), and whose subject has no open follow-up for the same reason.
/// At most one per subject and reason, sorted by id.
#[must_use]
pub fn due(records: &MemoryRecords, now: DateTime<Utc>) -> Vec<Proposal> {
    let open: BTreeSet<(Subject, Reason)> = records
        .follow_ups()
        .filter(|f| f.is_open())
        .map(|f| (f.subject, f.reason.clone()))
        .collect();
    let mut best: BTreeMap<(Subject, String), Proposal> = BTreeMap::new();
    for p in World::new(records, now, true).all() {
        if records
            .record(&crate::ops::RecordKey::FollowUp(p.id))
            .is_some()
            || open.contains(&(p.subject, p.rule.reason()))
        {
            continue;
        }
        keep_earliest(&mut best, p);
    }
    let mut out: Vec<Proposal> = best.into_values().collect();
    out.sort_by_key(|p| p.id);
    out
}

/// Keeps one proposal per subject and rule: the one due first (then the lowest id), so that
/// every device picks the same.
fn keep_earliest<P: std::borrow::Borrow<Proposal>>(
    best: &mut BTreeMap<(Subject, String), P>,
    p: P,
) {
    let (subject, rule, due_at, id) = {
        let q = p.borrow();
        (q.subject, q.rule.key(), q.due_at, q.id)
    };
    match best.get(&(subject, rule.clone())) {
        Some(q) if (q.borrow().due_at, q.borrow().id) <= (due_at, id) => {}
        _ => {
            best.insert((subject, rule), p);
        }
    }
}

/// Every trigger occurrence the records imply at `now`, whether or not a follow-up exists
/// for it yet and however far it is from being due.
#[must_use]
pub fn triggers(records: &MemoryRecords, now: DateTime<Utc>) -> Vec<Proposal> {
    World::new(records, now, false).all()
}

/// What the rules read, gathered once.
struct World<'a> {
    records: &'a MemoryRecords,
    now: DateTime<Utc>,
    orgs: HashMap<OrgId, &'a Organization>,
    stores: HashMap<StoreId, (&'a Store, Calendar)>,
    users: Vec<&'a User>,
    defaults: FollowUpRules,
    /// Only triggers whose creation window is open at `now` (see [`due`]): the id and the
    /// reason's data, the costly parts, are made for those alone.
    in_window: bool,
}

impl<'a> World<'a> {
    fn new(records: &'a MemoryRecords, now: DateTime<Utc>, in_window: bool) -> Self {
        let mut orgs = HashMap::new();
        let mut stores = HashMap::new();
        let mut users = Vec::new();
        let globals = [
            RecordKind::Organization,
            RecordKind::Store,
            RecordKind::User,
        ];
        for r in globals.into_iter().flat_map(|k| records.of_kind(k)) {
            match r {
                Record::Org(o) => {
                    orgs.insert(o.id, o);
                }
                Record::Store(s) => {
                    stores.insert(s.id, (s, Calendar::of(s)));
                }
                Record::User(u) if u.active => users.push(u),
                _ => {}
            }
        }
        users.sort_by(|a, b| a.login.cmp(&b.login).then(a.id.cmp(&b.id)));
        Self {
            records,
            now,
            orgs,
            stores,
            users,
            defaults: FollowUpRules::default(),
            in_window,
        }
    }

    fn all(&self) -> Vec<Proposal> {
        let mut out = Vec::new();
        let subjects = [RecordKind::Lead, RecordKind::Job, RecordKind::Customer];
        for r in subjects.into_iter().flat_map(|k| self.records.of_kind(k)) {
            self.record_rules(r, &mut out);
        }
        out
    }

    /// The triggers of one subject record (a lead, a job or a customer; nothing for others).
    fn record_rules(&self, r: &Record, out: &mut Vec<Proposal>) {
        match r {
            Record::Lead(l) => self.lead_rules(l, out),
            Record::Job(j) => self.job_rules(j, out),
            Record::Customer(c) => self.customer_rules(c, out),
            _ => {}
        }
    }

    /// The first midnight after `now` in any store: what reads the date is stale from then.
    fn next_midnight(&self) -> DateTime<Utc> {
        self.stores
            .values()
            .filter_map(|(_, cal)| {
                let tomorrow = cal.local_date(self.now).succ_opt()?;
                Some(cal.at(tomorrow, 0))
            })
            .min()
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The organization's rules: who the store managers are.
    fn org_rules(&self, org: OrgId) -> &FollowUpRules {
        self.orgs
            .get(&org)
            .map_or(&self.defaults, |o| &o.settings.follow_up_rules)
    }

    /// The rules a store works by: its own, else the organization's.
    fn rules(&self, org: OrgId, store: StoreId) -> &FollowUpRules {
        self.orgs
            .get(&org)
            .map_or(&self.defaults, |o| o.settings.rules_for(store))
    }

    fn calendar(&self, store: StoreId) -> Option<&Calendar> {
        self.stores.get(&store).map(|(_, c)| c)
    }

    /// The store manager: the one the settings name, else the store's first dispatcher by
    /// login, else the organization's first admin. Devices that cannot see the store's users
    /// (reps) get `None`, and do not make the manager's follow-ups: the manager's device does.
    fn manager(&self, org: OrgId, store: StoreId) -> Option<UserId> {
        if let Some(m) = self
            .org_rules(org)
            .managers
            .iter()
            .find(|m| m.store == store)
        {
            let inactive = self
                .records
                .record(&crate::ops::RecordKey::User(m.user))
                .is_some_and(|r| !matches!(r, Record::User(u) if u.active));
            if !inactive {
                return Some(m.user);
            }
        }
        let in_org = |u: &&&User| u.org == org;
        self.users
            .iter()
            .filter(in_org)
            .find(|u| u.has(Role::Dispatcher) && u.in_store(store))
            .or_else(|| {
                self.users
                    .iter()
                    .filter(in_org)
                    .find(|u| u.has(Role::Admin))
            })
            .map(|u| u.id)
    }

    fn customer(&self, id: CustomerId) -> Option<&'a Customer> {
        match self.records.record(&crate::ops::RecordKey::Customer(id)) {
            Some(Record::Customer(c)) => Some(c),
            _ => None,
        }
    }

    fn lead_interactions(&self, lead: &Lead) -> impl Iterator<Item = &'a Interaction> {
        self.records
            .linked(Link::Subject(Subject::Lead(lead.id)))
            .filter_map(|r| match r {
                Record::Interaction(i) => Some(i),
                _ => None,
            })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the fields of one proposal; every rule calls it"
    )]
    fn push(
        &self,
        out: &mut Vec<Proposal>,
        org: OrgId,
        store: StoreId,
        subject: Subject,
        rule: Rule,
        occurrence: &str,
        owner: Option<UserId>,
        due_at: DateTime<Utc>,
        expires: Option<DateTime<Utc>>,
        why: impl FnOnce() -> Why,
    ) {
        let Some(owner) = owner else { return };
        if self.in_window {
            let ahead = Duration::days(i64::from(self.rules(org, store).create_ahead_days));
            if self.now < due_at - ahead || expires.is_some_and(|e| self.now > e) {
                return;
            }
        }
        let why = why();
        out.push(Proposal {
            id: follow_up_id(org, subject, &rule, occurrence),
            org,
            store,
            subject,
            rule,
            owner,
            due_at,
            expires,
            why,
        });
    }

    fn catch_up(&self, org: OrgId, store: StoreId, due: DateTime<Utc>) -> Option<DateTime<Utc>> {
        Some(due + Duration::days(i64::from(self.rules(org, store).catch_up_days)))
    }

    fn lead_rules(&self, lead: &Lead, out: &mut Vec<Proposal>) {
        if !lead.stage.is_open() {
            return;
        }
        let Some(cal) = self.calendar(lead.store) else {
            return;
        };
        let rules = self.rules(lead.org, lead.store);
        let subject = Subject::Lead(lead.id);
        let touches: Vec<DateTime<Utc>> = self.lead_interactions(lead).map(|i| i.at).collect();
        let nr = &rules.new_lead;
        if nr.enabled {
            if touches.is_empty() && lead.stage == crate::leads::Stage::New {
                let due =
                    cal.add_working_minutes(lead.created_at, nr.first_contact_working_minutes);
                self.push(
                    out,
                    lead.org,
                    lead.store,
                    subject,
                    Rule::FirstContact,
                    "",
                    Some(lead.owner),
                    due,
                    self.catch_up(lead.org, lead.store, due),
                    || Why::FirstContact {
                        interest: lead.interest.category.clone(),
                    },
                );
            } else {
                // The cadence restarts whenever the stage moves; the move is the first touch
                // of the new stage, and each contact after it advances one step.
                let since = lead.stage_changed_at;
                let after: Vec<DateTime<Utc>> =
                    touches.iter().copied().filter(|t| *t > since).collect();
                let step = after.len();
                if let Some(days) = nr.cadence_days.get(step) {
                    let anchor = after.iter().copied().max().unwrap_or(since).max(since);
                    let due = cal.next_open(cal.add_days(anchor, *days));
                    self.push(
                        out,
                        lead.org,
                        lead.store,
                        subject,
                        Rule::Cadence,
                        &format!("{:?}:{}:{step}", lead.stage, since.timestamp_millis()),
                        Some(lead.owner),
                        due,
                        self.catch_up(lead.org, lead.store, due),
                        || Why::Cadence {
                            step: u32::try_from(step + 1).unwrap_or(u32::MAX),
                            of: u32::try_from(nr.cadence_days.len()).unwrap_or(u32::MAX),
                        },
                    );
                }
            }
        }
        let sr = &rules.stale_lead;
        if sr.enabled {
            let last = touches
                .iter()
                .copied()
                .chain([lead.created_at, lead.stage_changed_at])
                .max()
                .unwrap_or(lead.created_at);
            let due = cal.next_open(cal.add_days(last, sr.after_days));
            let occurrence = last.timestamp_millis().to_string();
            let why = || Why::NoContact {
                days: sr.after_days,
            };
            self.push(
                out,
                lead.org,
                lead.store,
                subject,
                Rule::StaleLead,
                &occurrence,
                Some(lead.owner),
                due,
                None,
                why,
            );
            let manager = self.manager(lead.org, lead.store);
            if sr.tell_manager && manager != Some(lead.owner) {
                self.push(
                    out,
                    lead.org,
                    lead.store,
                    subject,
                    Rule::StaleLeadManager,
                    &occurrence,
                    manager,
                    due,
                    None,
                    why,
                );
            }
        }
    }

    fn job_rules(&self, job: &Job, out: &mut Vec<Proposal>) {
        if job.status != JobStatus::Completed {
            return;
        }
        let Some(completed_at) = job
            .history
            .iter()
            .rev()
            .find(|h| h.to == JobStatus::Completed)
            .map(|h| h.at)
        else {
            return;
        };
        let Some(cal) = self.calendar(job.store) else {
            return;
        };
        let rules = self.rules(job.org, job.store);
        let subject = Subject::Job(job.id);
        let rep = self.customer(job.customer).and_then(|c| c.owner);
        let manager = self.manager(job.org, job.store);
        if rules.satisfaction_call.enabled {
            let due = cal.next_open(cal.add_days(completed_at, rules.satisfaction_call.after_days));
            self.push(
                out,
                job.org,
                job.store,
                subject,
                Rule::SatisfactionCall,
                "",
                rep.or(manager),
                due,
                self.catch_up(job.org, job.store, due),
                || Why::JobDone { job: job.number() },
            );
        }
        let ls = &rules.low_score;
        let score = job.completion.as_ref().and_then(|c| c.satisfaction);
        if ls.enabled
            && let Some(score) = score
            && score <= ls.max_score
        {
            let due = completed_at + Duration::hours(i64::from(ls.within_hours));
            let why = || Why::LowScore {
                job: job.number(),
                score,
            };
            self.push(
                out,
                job.org,
                job.store,
                subject,
                Rule::LowScoreEscalation,
                "",
                manager,
                due,
                self.catch_up(job.org, job.store, due),
                why,
            );
            if ls.tell_rep && rep != manager {
                self.push(
                    out,
                    job.org,
                    job.store,
                    subject,
                    Rule::LowScoreRep,
                    "",
                    rep,
                    due,
                    self.catch_up(job.org, job.store, due),
                    why,
                );
            }
        }
    }

    fn customer_rules(&self, c: &Customer, out: &mut Vec<Proposal>) {
        if c.merged_into.is_some() {
            return;
        }
        let Some(cal) = self.calendar(c.store) else {
            return;
        };
        let rules = self.rules(c.org, c.store);
        let today = cal.local_date(self.now);
        let subject = Subject::Customer(c.id);
        let mut assets: Vec<&Asset> = Vec::new();
        let mut purchases: Vec<&Purchase> = Vec::new();
        let mut jobs: Vec<&Job> = Vec::new();
        let mut touches: Vec<DateTime<Utc>> = Vec::new();
        for r in self.records.linked(Link::Customer(c.id)) {
            match r {
                Record::Asset(a) => assets.push(a),
                Record::Purchase(p) => purchases.push(p),
                Record::Job(j) => jobs.push(j),
                Record::Interaction(i) => touches.push(i.at),
                _ => {}
            }
        }
        let completed = |j: &&Job| -> Option<NaiveDate> {
            (j.status == JobStatus::Completed)
                .then(|| {
                    j.history
                        .iter()
                        .rev()
                        .find(|h| h.to == JobStatus::Completed)
                })
                .flatten()
                .map(|h| cal.local_date(h.at))
        };
        let manager = self.manager(c.org, c.store);

        if rules.churn.enabled || rules.win_back.enabled {
            let bought =
                crate::purchases::history(purchases.iter().copied(), assets.iter().copied());
            let visits: Vec<NaiveDate> = jobs.iter().filter_map(completed).collect();
            let settings = self.orgs.get(&c.org).map(|o| &o.settings.customer_value);
            let defaults = crate::purchases::value::ValueSettings::default();
            let v = crate::purchases::value::value(
                &crate::purchases::value::Activity {
                    purchases: &bought,
                    visits: &visits,
                    created: cal.local_date(c.created_at),
                },
                today,
                settings.unwrap_or(&defaults),
            );
            // Each is keyed by the day the customer was last active: a purchase or a visit
            // later starts a new occurrence, and the old one is history.
            let since = v.last_active;
            if rules.churn.enabled {
                self.push(
                    out,
                    c.org,
                    c.store,
                    subject,
                    Rule::Churn,
                    &since.to_string(),
                    c.owner,
                    cal.opening_on(v.high_from),
                    None,
                    || Why::ChurnRisk {
                        since,
                        usual_gap_days: v.usual_gap_days,
                    },
                );
            }
            // Marketing: only to those who agreed to it.
            if rules.win_back.enabled && c.marketing_consent {
                self.push(
                    out,
                    c.org,
                    c.store,
                    subject,
                    Rule::WinBack,
                    &since.to_string(),
                    c.owner.or(manager),
                    cal.opening_on(v.lapses_on),
                    None,
                    || Why::Lapsed { since },
                );
            }
        }

        let vip = &rules.vip;
        if vip.enabled {
            let year_ago = today.checked_sub_days(Days::new(365)).unwrap_or(today);
            let spend: i64 = assets
                .iter()
                .filter(|a| a.purchase_date > year_ago && a.purchase_date <= today)
                .map(|a| a.price.max(0))
                .fold(0i64, i64::saturating_add);
            if spend > vip.annual_spend_over {
                let done_check_ins =
                    self.records
                        .linked(Link::Subject(subject))
                        .filter_map(|r| match r {
                            Record::FollowUp(FollowUp {
                                reason,
                                status: FollowUpStatus::Done { at },
                                ..
                            }) if Rule::of(reason) == Some(Rule::VipCheckIn) => Some(*at),
                            _ => None,
                        });
                let purchases = assets.iter().map(|a| cal.opening_on(a.purchase_date));
                let anchor = touches
                    .iter()
                    .copied()
                    .chain(done_check_ins)
                    .chain(purchases)
                    .max();
                if let Some(anchor) = anchor {
                    self.push(
                        out,
                        c.org,
                        c.store,
                        subject,
                        Rule::VipCheckIn,
                        &anchor.timestamp_millis().to_string(),
                        c.owner,
                        cal.next_open(cal.add_days(anchor, vip.every_days)),
                        None,
                        || Why::Vip { spend },
                    );
                }
            }
        }

        for a in &assets {
            let asset_jobs = || jobs.iter().filter(|j| j.asset == Some(a.id));
            if rules.maintenance.enabled
                && let Some(interval) = a.maintenance_interval_days
                && !asset_jobs().any(|j| j.is_open())
            {
                // A completed visit on the asset counts as its service even if nobody
                // updated the asset's last service date.
                let last = a
                    .last_service
                    .into_iter()
                    .chain(asset_jobs().filter_map(completed))
                    .max()
                    .unwrap_or(a.purchase_date);
                if let Some(due) = last.checked_add_days(Days::new(u64::from(interval))) {
                    self.push(
                        out,
                        c.org,
                        c.store,
                        subject,
                        Rule::Maintenance(a.id),
                        &due.to_string(),
                        c.owner.or(manager),
                        cal.opening_on(due),
                        None,
                        || Why::ServiceDue {
                            product: a.product.clone(),
                            serial: a.serial_number.clone(),
                            due,
                        },
                    );
                }
            }
            let wr = &rules.warranty;
            if wr.enabled
                && let Some(end) = a.warranty_end
                && let Some(from) = end.checked_sub_days(Days::new(u64::from(wr.days_before)))
            {
                self.push(
                    out,
                    c.org,
                    c.store,
                    subject,
                    Rule::Warranty(a.id),
                    &end.to_string(),
                    c.owner.or(manager),
                    cal.opening_on(from),
                    end.succ_opt().map(|d| cal.at(d, 0)),
                    || Why::WarrantyEnds {
                        product: a.product.clone(),
                        serial: a.serial_number.clone(),
                        end,
                    },
                );
            }
        }

        if rules.birthday.enabled
            && c.marketing_consent
            && let Some(born) = c.birthday
        {
            for year in [today.year() - 1, today.year(), today.year() + 1] {
                let Some(day) = birthday_in(born, year) else {
                    continue;
                };
                let due = cal.opening_on(day);
                self.push(
                    out,
                    c.org,
                    c.store,
                    subject,
                    Rule::Birthday,
                    &year.to_string(),
                    c.owner,
                    due,
                    day.succ_opt().map(|d| cal.at(d, 0)),
                    || Why::Birthday { day },
                );
            }
        }
    }
}

/// The birthday in a given year; 29 February is celebrated on 28 February otherwise.
fn birthday_in(born: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, born.month(), born.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, born.month(), born.day().saturating_sub(1)))
}
