//! What a sync does, without HTTP: apply the ops a device pushes ([`push`]), tell a device
//! signed out remotely to wipe itself ([`remote_wipe`]), and send the records that changed
//! since its cursor ([`pull`], the feed). `http/sync.rs` parses the request, calls these in
//! that order and answers.
//!
//! **Invariant:** the feed sends only what [`Scope`] lets the caller see, masked as it
//! says, and says `Gone` for what the caller may have seen and no longer may; the personal
//! data it sends unmasked is listed for the caller to audit before the answer leaves.

use std::collections::HashSet;

use chrono::Utc;
use domain::ops::records::Link;
use domain::ops::{Denied, Op, OpError, Record, RecordKey};
use domain::org::{Role, User};
use domain::sync::{Change, OpResult, OpStatus, SyncResponse};
use domain::words::Table;

use crate::access::{Scope, Visibility};
use crate::store::{AuditEntry, AuditWhat, Error, Seq, Store, Submission};

/// Most changes one response carries; first syncs are paged.
pub const PAGE: usize = 500;
/// Most change-log entries one response looks at, so that a request's work stays bounded
/// even when little of the log is visible to the caller.
pub const SCAN: usize = 5_000;

/// Applies `ops` from `user`'s `device` and answers each, in order.
///
/// An op speaks for its actor: nobody may send ops in someone else's name. Such ops are
/// answered but not applied, and not remembered (they are not that person's ops); each
/// attempt is audited. An op already applied answers with its first outcome.
/// Refusals are worded from `words`, the table of the caller's language.
pub async fn push(
    store: &dyn Store,
    user: &User,
    device: &str,
    ops: &[Op],
    words: &dyn Table,
    erasures: &crate::privacy::ErasureLog,
) -> Result<Vec<OpResult>, Error> {
    let own: Vec<Op> = ops
        .iter()
        .filter(|op| op.actor == user.id)
        .cloned()
        .collect();
    let outcomes = if own.is_empty() {
        Vec::new()
    } else {
        // Logged first: an erasure that is applied is always there for a restore to redo.
        // (Only an admin's: anyone else's is refused by `apply` and has nothing to redo.)
        if user.has(domain::org::Role::Admin) {
            erasures.append(user.org, &own).map_err(Error::io)?;
        }
        let outcomes = store
            .apply(Submission {
                org: user.org,
                device: device.to_owned(),
                ops: own.clone(),
            })
            .await?;
        crate::privacy::after_applied(store, user.org, &own, &outcomes).await?;
        outcomes
    };
    let forged: Vec<AuditEntry> = ops
        .iter()
        .filter(|op| op.actor != user.id)
        .map(|op| AuditEntry {
            seq: 0,
            at: Utc::now(),
            actor: user.id,
            device: device.to_owned(),
            what: AuditWhat::Op {
                op: op.id,
                kind: crate::store::kind_name(op),
                made_at: op.at,
                applied: false,
                detail: format!("refused: sent in the name of another user ({})", op.actor),
                changed: Vec::new(),
                changes: Vec::new(),
            },
        })
        .collect();
    if !forged.is_empty() {
        tracing::warn!(user = %user.id, ops = forged.len(), "ops sent in another user's name");
        store.audit(user.org, forged).await?;
    }
    let mut outcomes = outcomes.into_iter();
    Ok(ops
        .iter()
        .map(|op| OpResult {
            op: op.id,
            status: if op.actor != user.id {
                OpStatus::worded(Err(OpError::Forbidden(Denied::NotYourOp)), words)
            } else {
                OpStatus::worded(
                    outcomes.next().unwrap_or_else(|| {
                        Err(OpError::Unavailable("no outcome was recorded".into()))
                    }),
                    words,
                )
            },
        })
        .collect())
}

/// Whether `device` was signed out remotely (a lost phone). Then it is sent nothing more but
/// the order to wipe itself ([`wiped`]); that order is audited here. Its pushes still count:
/// call this after [`push`].
pub async fn remote_wipe(store: &dyn Store, user: &User, device: &str) -> Result<bool, Error> {
    if store.device_sign_out(user.org, device)?.is_none() {
        return Ok(false);
    }
    let entry = AuditEntry {
        seq: 0,
        at: Utc::now(),
        actor: user.id,
        device: device.to_owned(),
        what: AuditWhat::DeviceSignOut {
            user: user.id,
            device_id: device.to_owned(),
            wiped: true,
        },
    };
    store.audit(user.org, vec![entry]).await?;
    Ok(true)
}

/// The answer to a device that [`remote_wipe`] found signed out: its push results, no
/// changes, its own cursor back.
#[must_use]
pub fn wiped(results: Vec<OpResult>, cursor: Seq) -> SyncResponse {
    SyncResponse {
        results,
        changes: Vec::new(),
        cursor,
        more: false,
        server_time: Some(Utc::now()),
        wipe: true,
        reset: false,
    }
}

/// One page of the feed.
#[derive(Debug, Default)]
pub struct Feed {
    /// Oldest first; each record at most once.
    pub changes: Vec<Change>,
    /// Where the next page starts.
    pub cursor: Seq,
    /// Another page is waiting.
    pub more: bool,
    /// Records whose personal data this page sends unmasked: audit them before answering.
    pub unmasked: Vec<RecordKey>,
    /// The cursor was past the log's end (a restored server): start again from 0.
    pub reset: bool,
}

impl Feed {
    /// The sync answer carrying this page after the push `results`.
    #[must_use]
    pub fn answer(self, results: Vec<OpResult>) -> SyncResponse {
        SyncResponse {
            results,
            changes: self.changes,
            cursor: self.cursor,
            more: self.more,
            server_time: Some(Utc::now()),
            wipe: false,
            reset: self.reset,
        }
    }
}

/// The records the caller may see that changed after `cursor`, masked as their role
/// requires, at most [`PAGE`] of them and looking at most at [`SCAN`] log entries.
///
/// Reads the store synchronously: call it off the async runtime.
pub fn pull(store: &dyn Store, scope: &Scope, cursor: Seq) -> Result<Feed, Error> {
    pull_page(store, scope, cursor, PAGE, SCAN)
}

fn pull_page(
    store: &dyn Store,
    scope: &Scope,
    cursor: Seq,
    page_size: usize,
    scan: usize,
) -> Result<Feed, Error> {
    // Technicians (most devices) read only their feeds; office roles scan the log.
    let page = match scope.feed_parties() {
        Some(parties) => store.feed(scope.user.org, &parties, cursor, scan)?,
        None => store.changes(scope.user.org, cursor, scan, &|kind, hint| {
            scope.might_see(kind, hint)
        })?,
    };
    if cursor > page.head {
        // Nothing this device holds past the head exists here: the log was restored from a
        // backup taken before its last sync. A cursor it kept would skip the changes that
        // will be numbered up to it again.
        return Ok(Feed {
            changes: Vec::new(),
            cursor: 0,
            more: true,
            unmasked: Vec::new(),
            reset: true,
        });
    }
    let mut changes = Vec::new();
    let mut unmasked = Vec::new();
    let mut sent = HashSet::new();
    let mut last = page.last;
    for (seq, record) in page.entries {
        if changes.len() >= page_size {
            last = seq - 1;
            break;
        }
        let key = record.key();
        if !sent.insert(key) {
            continue;
        }
        if let Some(v) = scope.view(store, record.clone())? {
            if v.unmasked_personal {
                unmasked.push(key);
            }
            // A job that just became a technician's brings its customer and the customer's
            // assets and purchases, whose own changes may be older than the device's cursor.
            let mut companions: Vec<RecordKey> = match &v.record {
                Record::Job(j) if j.works_on(scope.user.id) => {
                    std::iter::once(RecordKey::Customer(j.customer))
                        .chain(crate::access::customer_history(store, j.customer)?)
                        .collect()
                }
                _ => Vec::new(),
            };
            // A customer handed from one rep to another takes its jobs along: the new owner's
            // device gets them, the previous owner's drops them. Their own changes may be older
            // than the cursor, so they travel with the customer's. (A first sync has nothing
            // to drop and reads every job anyway.)
            if let Record::Customer(c) = &v.record
                && cursor > 0
                && scope.user.has(Role::Sales)
                && !c.previous_owners.is_empty()
                && (c.owner == Some(scope.user.id) || c.previous_owners.contains(&scope.user.id))
            {
                for dep in store.linked(Link::Customer(c.id))? {
                    if !matches!(dep, RecordKey::Job(_)) || sent.contains(&dep) {
                        continue;
                    }
                    let hidden = match store.get(dep)? {
                        Some(r) => scope.visibility(store, &r)? == Visibility::Hidden,
                        None => true,
                    };
                    if hidden {
                        sent.insert(dep);
                        changes.push(Change::Gone { key: dep });
                    } else {
                        companions.push(dep);
                    }
                }
            }
            changes.push(Change::Put {
                record: Box::new(v.record),
            });
            companions.retain(|dep| sent.insert(*dep));
            for r in store.get_many(&companions)?.into_iter().flatten() {
                let dep = r.key();
                if let Some(dv) = scope.view(store, r)? {
                    if dv.unmasked_personal {
                        unmasked.push(dep);
                    }
                    changes.push(Change::Put {
                        record: Box::new(dv.record),
                    });
                }
            }
        } else if scope.may_have_seen(&record) {
            changes.push(Change::Gone { key });
            for dep in scope.dependents(store, &record)? {
                if !sent.insert(dep) {
                    continue;
                }
                match store
                    .get(dep)?
                    .map(|r| scope.view(store, r))
                    .transpose()?
                    .flatten()
                {
                    // Still in view (through another job), perhaps no longer unmasked: the
                    // device must not keep more than the viewer may now read.
                    Some(dv) => {
                        if dv.unmasked_personal {
                            unmasked.push(dep);
                        }
                        changes.push(Change::Put {
                            record: Box::new(dv.record),
                        });
                    }
                    None => changes.push(Change::Gone { key: dep }),
                }
            }
        }
    }
    Ok(Feed {
        changes,
        cursor: last,
        more: last < page.head,
        unmasked,
        reset: false,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use demo::{DemoSize, generate_at};
    use domain::ids::OpId;
    use domain::jobs::{Job, JobStatus};
    use domain::ops::{Op, OpKind, Record, RecordKey};
    use domain::org::{Role, User};
    use domain::sync::Change;

    use super::{Feed, pull, pull_page, push};
    use crate::access::Scope;
    use crate::store::{SledStore, Store};

    struct Org {
        _dir: tempfile::TempDir,
        store: SledStore,
        records: Vec<Record>,
    }

    async fn org() -> Org {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let size = DemoSize {
            technicians_per_store: 3,
            reps_per_store: 2,
            customers: 60,
            open_jobs: 30,
            past_jobs: 20,
            leads: 20,
        };
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
        let records = generate_at(7, now, &size).records;
        store.import(records.clone()).await.unwrap();
        Org {
            _dir: dir,
            store,
            records,
        }
    }

    impl Org {
        fn users(&self) -> impl Iterator<Item = &User> {
            self.records.iter().filter_map(|r| match r {
                Record::User(u) => Some(u),
                _ => None,
            })
        }

        fn jobs(&self) -> impl Iterator<Item = &Job> {
            self.records.iter().filter_map(|r| match r {
                Record::Job(j) => Some(j),
                _ => None,
            })
        }

        fn scope(&self, user: &User) -> Scope {
            Scope::load(&self.store, user.clone()).unwrap()
        }

        /// Every page from `cursor` on, `page_size` changes at most each.
        fn pull_all(&self, user: &User, mut cursor: u64, page_size: usize) -> (Vec<Feed>, u64) {
            let mut pages = Vec::new();
            loop {
                let scope = self.scope(user);
                let feed = pull_page(&self.store, &scope, cursor, page_size, 50).unwrap();
                cursor = feed.cursor;
                let more = feed.more;
                pages.push(feed);
                if !more {
                    return (pages, cursor);
                }
            }
        }

        async fn send(&self, user: &User, kind: OpKind) {
            let op = Op {
                id: OpId::new(),
                actor: user.id,
                at: Utc::now(),
                location: None,
                kind,
            };
            let results = push(
                &self.store,
                user,
                "test",
                &[op],
                &domain::words::En,
                &crate::privacy::ErasureLog::default(),
            )
            .await
            .unwrap();
            assert!(
                matches!(results[0].status, domain::sync::OpStatus::Applied { .. }),
                "{:?}",
                results[0].status
            );
        }
    }

    fn puts(pages: &[Feed]) -> Vec<RecordKey> {
        let mut keys: Vec<RecordKey> = pages
            .iter()
            .flat_map(|p| &p.changes)
            .filter_map(|c| match c {
                Change::Put { record } => Some(record.key()),
                Change::Gone { .. } => None,
            })
            .collect();
        keys.sort_by_key(|k| k.uuid());
        keys.dedup();
        keys
    }

    #[tokio::test]
    async fn small_pages_carry_what_one_large_page_does() {
        let o = org().await;
        for role in [Role::Dispatcher, Role::Technician, Role::Sales] {
            // For a technician, the one with most jobs, so that their feed spans pages.
            let user = o
                .users()
                .filter(|u| u.roles == [role])
                .max_by_key(|u| o.jobs().filter(|j| j.technician == Some(u.id)).count())
                .unwrap();
            let (one, _) = o.pull_all(user, 0, 100_000);
            let (small, _) = o.pull_all(user, 0, 7);
            assert!(small.len() > one.len(), "{role:?}");
            // A page may carry a new job's customer and all their assets beyond its size.
            let most_assets = o
                .records
                .iter()
                .filter_map(|r| match r {
                    Record::Asset(a) => Some(a.customer),
                    _ => None,
                })
                .fold(std::collections::HashMap::new(), |mut m, c| {
                    *m.entry(c).or_insert(0usize) += 1;
                    m
                })
                .into_values()
                .max()
                .unwrap_or(0);
            assert!(
                small.iter().all(|p| p.changes.len() <= 7 + 1 + most_assets),
                "{role:?}"
            );
            assert_eq!(puts(&one), puts(&small), "{role:?}");
        }
    }

    #[tokio::test]
    async fn a_job_that_becomes_a_technicians_brings_its_customer_and_leaves_with_it() {
        let o = org().await;
        // A new job whose customer has no other job of the technician's: the customer's own
        // changes are older than the technician's cursor.
        let (job, tech, other) = o
            .jobs()
            .filter(|j| j.status == JobStatus::New)
            .find_map(|j| {
                let mut techs = o.users().filter(|u| {
                    u.roles == [Role::Technician]
                        && u.in_store(j.store)
                        && !o
                            .jobs()
                            .any(|k| k.customer == j.customer && k.technician == Some(u.id))
                });
                Some((j, techs.next()?, techs.next()?))
            })
            .unwrap();
        let dispatcher = o
            .users()
            .find(|u| u.roles == [Role::Dispatcher] && u.in_store(job.store))
            .unwrap();
        let (_, cursor) = o.pull_all(tech, 0, super::PAGE);

        o.send(
            dispatcher,
            OpKind::AssignJob {
                job: job.id,
                technician: tech.id,
                planned_start: None,
                why: Some("covering for a colleague".into()),
                crew: Vec::new(),
            },
        )
        .await;
        let feed = pull(&o.store, &o.scope(tech), cursor).unwrap();
        let customer = RecordKey::Customer(job.customer);
        // With every asset of the customer: a technician sees them all (history, warranty).
        let assets: Vec<RecordKey> = o
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Asset(a) if a.customer == job.customer => Some(RecordKey::Asset(a.id)),
                _ => None,
            })
            .collect();
        assert!(
            job.asset
                .is_none_or(|a| assets.contains(&RecordKey::Asset(a)))
        );
        assert_eq!(puts(std::slice::from_ref(&feed)), {
            let mut k = vec![RecordKey::Job(job.id), customer];
            k.extend(assets.iter().copied());
            k.sort_by_key(|k| k.uuid());
            k
        });
        // An open job's customer goes out unmasked, and is audited.
        assert!(feed.unmasked.contains(&customer), "{:?}", feed.unmasked);

        o.send(
            dispatcher,
            OpKind::AssignJob {
                job: job.id,
                technician: other.id,
                planned_start: None,
                why: Some("covering for a colleague".into()),
                crew: Vec::new(),
            },
        )
        .await;
        let feed = pull(&o.store, &o.scope(tech), feed.cursor).unwrap();
        let gone: Vec<RecordKey> = feed
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::Gone { key } => Some(*key),
                Change::Put { .. } => None,
            })
            .collect();
        let mut expected = vec![RecordKey::Job(job.id), customer];
        expected.extend(assets.iter().copied());
        let sorted = |mut v: Vec<RecordKey>| {
            v.sort_by_key(|k| k.uuid());
            v
        };
        assert_eq!(sorted(gone), sorted(expected));
        assert!(feed.unmasked.is_empty());
    }

    /// A crew job: the one beside the technician reads it and its customer (unmasked while
    /// open) like the technician, and loses both once taken off the crew.
    #[tokio::test]
    async fn a_crew_member_sees_the_job_and_its_customer_and_loses_them_when_taken_off() {
        let o = org().await;
        let (job, techs) = o
            .jobs()
            .filter(|j| j.status == JobStatus::New)
            .find_map(|j| {
                let techs: Vec<&User> = o
                    .users()
                    .filter(|u| {
                        u.roles == [Role::Technician]
                            && u.in_store(j.store)
                            && !o
                                .jobs()
                                .any(|k| k.customer == j.customer && k.works_on(u.id))
                    })
                    .collect();
                (techs.len() >= 3).then_some((j, techs))
            })
            .unwrap();
        let (lead, mate, third) = (techs[0], techs[1], techs[2]);
        let mut piano = job.clone();
        piano.crew_size = 2;
        piano.required_skills.clear();
        o.store.import(vec![Record::Job(piano)]).await.unwrap();
        let dispatcher = o
            .users()
            .find(|u| u.roles == [Role::Dispatcher] && u.in_store(job.store))
            .unwrap();
        let (_, cursor) = o.pull_all(mate, 0, super::PAGE);
        let assign = |crew| OpKind::AssignJob {
            job: job.id,
            technician: lead.id,
            planned_start: None,
            why: None,
            crew,
        };
        o.send(dispatcher, assign(vec![mate.id])).await;
        let feed = pull(&o.store, &o.scope(mate), cursor).unwrap();
        let customer = RecordKey::Customer(job.customer);
        let put = puts(std::slice::from_ref(&feed));
        assert!(
            put.contains(&RecordKey::Job(job.id)) && put.contains(&customer),
            "{put:?}"
        );
        assert!(feed.unmasked.contains(&customer), "{:?}", feed.unmasked);
        // Taken off the crew: the job and its customer leave the device.
        o.send(dispatcher, assign(vec![third.id])).await;
        let feed = pull(&o.store, &o.scope(mate), feed.cursor).unwrap();
        let gone: Vec<RecordKey> = feed
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::Gone { key } => Some(*key),
                Change::Put { .. } => None,
            })
            .collect();
        assert!(
            gone.contains(&RecordKey::Job(job.id)) && gone.contains(&customer),
            "{gone:?}"
        );
        assert!(feed.unmasked.is_empty());
        let third_feed = pull(&o.store, &o.scope(third), 0).unwrap();
        assert!(puts(std::slice::from_ref(&third_feed)).contains(&RecordKey::Job(job.id)));
    }

    /// Found by the fault tests: a technician who keeps a finished job of a customer must not
    /// keep the customer unmasked once the open job that justified it goes to someone else.
    #[tokio::test]
    async fn a_job_moved_away_leaves_its_customer_only_as_the_technician_may_still_see_it() {
        let o = org().await;
        // A technician with a finished job of a customer, and a colleague in the same store.
        let (done, tech, other) = o
            .jobs()
            .filter(|j| j.status == JobStatus::Completed)
            .find_map(|j| {
                let tech = o.users().find(|u| Some(u.id) == j.technician)?;
                let open_for_them = o.jobs().any(|k| {
                    k.customer == j.customer && k.technician == Some(tech.id) && k.is_open()
                });
                let other = o.users().find(|u| {
                    u.roles == [Role::Technician] && u.in_store(j.store) && u.id != tech.id
                })?;
                (!open_for_them).then_some((j, tech, other))
            })
            .expect("a finished job");
        let dispatcher = o
            .users()
            .find(|u| u.roles == [Role::Dispatcher] && u.in_store(done.store))
            .unwrap();
        let job = domain::ids::JobId::new();
        o.send(
            dispatcher,
            OpKind::CreateJob(domain::ops::NewJob {
                id: job,
                customer: done.customer,
                asset: None,
                service_address: None,
                service_type: done.service_type,
                description: "Back again".into(),
                required_skills: Vec::new(),
                estimated_minutes: 60,
                priority: done.priority,
                windows: Vec::new(),
                crew_size: 1,
            }),
        )
        .await;
        o.send(
            dispatcher,
            OpKind::AssignJob {
                job,
                technician: tech.id,
                planned_start: None,
                why: Some("covering for a colleague".into()),
                crew: Vec::new(),
            },
        )
        .await;
        let (_, cursor) = o.pull_all(tech, 0, super::PAGE);
        let customer = RecordKey::Customer(done.customer);
        let full = o.store.get(customer).unwrap().unwrap();

        o.send(
            dispatcher,
            OpKind::AssignJob {
                job,
                technician: other.id,
                planned_start: None,
                why: Some("covering for a colleague".into()),
                crew: Vec::new(),
            },
        )
        .await;
        let feed = pull(&o.store, &o.scope(tech), cursor).unwrap();
        let sent = feed.changes.iter().find_map(|c| match c {
            Change::Put { record } if record.key() == customer => Some(record.as_ref().clone()),
            _ => None,
        });
        let Some(Record::Customer(sent)) = sent else {
            panic!("the customer is sent again: {:?}", feed.changes)
        };
        let Record::Customer(full) = full else {
            unreachable!()
        };
        assert_ne!(sent.phones, full.phones, "masked now");
        assert!(
            sent.phones.iter().all(|p| p.raw.contains('*')),
            "{:?}",
            sent.phones
        );
        assert!(!feed.unmasked.contains(&customer));
    }
}
