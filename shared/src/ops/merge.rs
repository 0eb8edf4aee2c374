//! Merging two records of one customer: everything that pointed at the removed record moves
//! to the kept one with its own history intact, phones and tags are combined, and the removed
//! record stays (marked `merged_into`) so old links and printed customer numbers still resolve.
//! The merge is auditable twice: the op itself in the log, and a note on the kept customer's
//! timeline saying what was merged.
//!
//! Two rules hold after a merge as after any other op: a customer has at most
//! [`MAX_PHONES`] phones (the kept record's come first; numbers that do not fit are named in
//! the note and stay on the merged-away record), and there is at most one open follow-up per
//! subject and reason (a moved follow-up that would be a second one is closed as done, with a
//! note saying which one covers it).

use super::customers::{MAX_PHONES, visible_customer};
use super::records::Link;
use super::{Ctx, OpError, Query, Record, RecordKey, Records};
use crate::followups::{FollowUpStatus, Reason, Subject};
use crate::ids::{CustomerId, InteractionId};
use crate::leads::{Interaction, InteractionKind};

pub(super) fn merge<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    keep: CustomerId,
    remove: CustomerId,
) -> Result<Vec<RecordKey>, OpError> {
    if keep == remove {
        return Err(OpError::invalid(
            "remove",
            "is the same customer as the one to keep",
        ));
    }
    let mut kept = visible_customer(records, ctx, keep)?;
    let mut gone = visible_customer(records, ctx, remove)?;
    if kept.merged_into.is_some() {
        return Err(OpError::Conflict(
            "the customer to keep was itself merged into another record".into(),
        ));
    }
    if gone.merged_into.is_some() {
        return Err(OpError::Conflict(
            "this customer was already merged into another record".into(),
        ));
    }
    // A merge moves one record's phones, position and jobs onto another: whoever merges must
    // already see both unmasked, which is the managers of both stores.
    for c in [&kept, &gone] {
        if !ctx.actor.manages_store(c.store) {
            return Err(OpError::Forbidden(
                "only a manager of both customers' stores can merge them".into(),
            ));
        }
    }

    // The note's id derives from the op's (UUID v5), so the device and the server write the
    // same one; it is checked like any new id, so a chosen op id cannot aim at a record.
    let note_id = note_id(ctx.op);
    super::fresh(records, RecordKey::Interaction(note_id))?;

    // The kept customer's open follow-ups, by reason: a moved one with the same reason would
    // be a second open follow-up for the same thing.
    let mut open_on_kept: Vec<(Reason, String)> = Vec::new();
    for key in records.find(Query::LinkedTo(Link::Subject(Subject::Customer(keep))))? {
        if let Some(Record::FollowUp(f)) = records.get(key)?
            && f.is_open()
        {
            open_on_kept.push((f.reason.clone(), f.id.to_string()));
        }
    }

    let mut changed = Vec::new();
    let mut moved = 0usize;
    let mut closed = 0usize;
    for key in records.find(Query::LinkedTo(Link::Customer(remove)))? {
        let record = match records.get(key)? {
            Some(Record::Asset(mut a)) => {
                a.customer = keep;
                Record::Asset(a)
            }
            Some(Record::Job(mut j)) => {
                j.customer = keep;
                Record::Job(j)
            }
            Some(Record::Lead(mut l)) => {
                l.customer = Some(keep);
                Record::Lead(l)
            }
            Some(Record::Interaction(mut i)) => {
                i.customer = Some(keep);
                Record::Interaction(i)
            }
            Some(Record::FollowUp(mut f)) => {
                if f.subject == Subject::Customer(remove) {
                    f.subject = Subject::Customer(keep);
                    if f.is_open() {
                        if let Some((_, covering)) =
                            open_on_kept.iter().find(|(r, _)| *r == f.reason)
                        {
                            f.status = FollowUpStatus::Done { at: ctx.op.at };
                            let why = format!(
                                "Closed when {} was merged into {}: follow-up {covering} covers it.",
                                gone.number(),
                                kept.number()
                            );
                            f.note = if f.note.is_empty() {
                                why
                            } else {
                                format!("{}\n{why}", f.note)
                            };
                            closed += 1;
                        } else {
                            open_on_kept.push((f.reason.clone(), f.id.to_string()));
                        }
                    }
                }
                Record::FollowUp(f)
            }
            _ => continue,
        };
        records.put(record)?;
        changed.push(key);
        moved += 1;
    }

    let mut left_out = Vec::new();
    for p in &gone.phones {
        if kept.phones.iter().any(|q| q.digits() == p.digits()) {
            continue;
        }
        if kept.phones.len() < MAX_PHONES {
            kept.phones.push(p.clone());
        } else {
            left_out.push(p.raw.clone());
        }
    }
    for t in &gone.tags {
        if !kept.tags.contains(t) {
            kept.tags.push(t.clone());
        }
    }
    kept.birthday = kept.birthday.or(gone.birthday);
    kept.owner = kept.owner.or(gone.owner);
    kept.marketing_consent &= gone.marketing_consent;
    if kept.address.location.is_none() {
        kept.address.location = gone.address.location;
    }
    gone.merged_into = Some(keep);

    let note = Interaction {
        id: note_id,
        org: ctx.actor.org,
        kind: InteractionKind::Note,
        outcome: {
            let mut s = format!(
                "Merged {} ({}) into this customer: {} linked records moved.",
                gone.number(),
                gone.name,
                moved
            );
            if closed > 0 {
                s.push_str(&format!(
                    " {closed} follow-up(s) closed as already covered here."
                ));
            }
            if !left_out.is_empty() {
                s.push_str(&format!(
                    " Phones not kept (at most {MAX_PHONES}): {}.",
                    left_out.join(", ")
                ));
            }
            s
        },
        at: ctx.op.at,
        author: ctx.actor.id,
        customer: Some(keep),
        lead: None,
        job: None,
    };
    changed.push(RecordKey::Interaction(note.id));
    records.put(Record::Interaction(note))?;
    records.put(Record::Customer(kept))?;
    records.put(Record::Customer(gone))?;
    changed.push(RecordKey::Customer(keep));
    changed.push(RecordKey::Customer(remove));
    Ok(changed)
}

fn note_id(op: &super::Op) -> InteractionId {
    InteractionId(uuid::Uuid::new_v5(&op.id.0, b"rounds/merge-note"))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    use super::super::{MemoryRecords, Op, OpKind, apply};
    use super::*;
    use crate::demo::{DemoSize, generate_at};
    use crate::ids::{OpId, UserId};
    use crate::lookup::{Index, SearchContext};
    use crate::org::Role;

    type Users = Vec<(UserId, Vec<Role>)>;

    fn world(seed: u64) -> (MemoryRecords, Users, Vec<CustomerId>) {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
        let size = DemoSize {
            technicians_per_store: 1,
            reps_per_store: 1,
            customers: 12,
            open_jobs: 10,
            past_jobs: 10,
            leads: 10,
        };
        let demo = generate_at(seed, now, &size);
        let mut records = MemoryRecords::new();
        for r in demo.records {
            records.insert(r);
        }
        let users = demo.logins.into_iter().map(|l| (l.user, l.roles)).collect();
        let customers = records.customers().map(|c| c.id).collect();
        (records, users, customers)
    }

    fn merge_op(actor: UserId, keep: CustomerId, remove: CustomerId) -> Op {
        Op {
            id: OpId::new(),
            actor,
            at: Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
            location: None,
            kind: OpKind::MergeCustomers { keep, remove },
        }
    }

    fn admin(users: &[(UserId, Vec<Role>)]) -> UserId {
        users
            .iter()
            .find(|(_, r)| r.contains(&Role::Admin))
            .unwrap()
            .0
    }

    /// Every reference to a customer outside its own record.
    fn points_at(r: &Record, c: CustomerId) -> bool {
        match r {
            Record::Asset(a) => a.customer == c,
            Record::Job(j) => j.customer == c,
            Record::Lead(l) => l.customer == Some(c),
            Record::Interaction(i) => i.customer == Some(c),
            Record::FollowUp(f) => f.subject == Subject::Customer(c),
            Record::Customer(other) => other.id != c && other.merged_into == Some(c),
            _ => false,
        }
    }

    fn one_open_per_subject_and_reason(records: &MemoryRecords) -> bool {
        let mut open: Vec<(Subject, Reason)> = records
            .follow_ups()
            .filter(|f| f.is_open())
            .map(|f| (f.subject, f.reason.clone()))
            .collect();
        let n = open.len();
        open.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        open.dedup();
        open.len() == n
    }

    fn op_by(actor: UserId, kind: OpKind) -> Op {
        Op {
            kind,
            ..merge_op(actor, CustomerId::new(), CustomerId::new())
        }
    }

    /// Issue 5's merge edge cases: both customers had an open follow-up for the same reason,
    /// and together more phones than a customer may have.
    #[test]
    fn a_merge_keeps_one_open_follow_up_per_reason_and_at_most_five_phones() {
        let (mut records, users, customers) = world(5);
        let admin = admin(&users);
        let (keep, remove) = (customers[0], customers[1]);
        let due = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let mut follow_ups = Vec::new();
        for (c, digits) in [(keep, "1380000100"), (remove, "1390000200")] {
            let phones = (0..4).map(|i| format!("{digits}{i}")).collect();
            let patch = crate::ops::CustomerPatch {
                phones: Some(phones),
                ..Default::default()
            };
            apply(
                &mut records,
                &op_by(admin, OpKind::UpdateCustomer { customer: c, patch }),
            )
            .unwrap();
            let id = crate::ids::FollowUpId::new();
            follow_ups.push(id);
            let new = crate::ops::NewFollowUp {
                id,
                subject: Subject::Customer(c),
                due_at: due,
                reason: Reason::Manual,
                owner: None,
                note: "call back".into(),
            };
            apply(&mut records, &op_by(admin, OpKind::CreateFollowUp(new))).unwrap();
        }
        assert!(one_open_per_subject_and_reason(&records));

        let merge = merge_op(admin, keep, remove);
        apply(&mut records, &merge).unwrap();

        assert!(one_open_per_subject_and_reason(&records));
        let f = |id| match records.record(&RecordKey::FollowUp(id)) {
            Some(Record::FollowUp(f)) => f.clone(),
            _ => panic!("follow-up kept"),
        };
        let (kept_f, moved_f) = (f(follow_ups[0]), f(follow_ups[1]));
        assert!(kept_f.is_open());
        assert_eq!(
            moved_f.subject,
            Subject::Customer(keep),
            "moved, with its history"
        );
        assert_eq!(moved_f.status, FollowUpStatus::Done { at: merge.at });
        assert!(
            moved_f.note.starts_with("call back\n")
                && moved_f.note.contains(&kept_f.id.to_string()),
            "{}",
            moved_f.note
        );

        let Some(Record::Customer(k)) = records.record(&RecordKey::Customer(keep)) else {
            panic!("kept");
        };
        assert_eq!(k.phones.len(), MAX_PHONES);
        assert!(
            k.phones[..4]
                .iter()
                .all(|p| p.raw.starts_with("1380000100")),
            "the kept customer's phones come first"
        );
        let note = records
            .iter()
            .find_map(|r| match r {
                Record::Interaction(i) if i.id == note_id(&merge) => Some(i.outcome.clone()),
                _ => None,
            })
            .unwrap();
        assert!(
            note.contains("13900002001") && note.contains("1 follow-up(s) closed"),
            "{note}"
        );
        assert!(!note.contains("13900002000"), "kept, so not listed: {note}");
    }

    #[test]
    fn only_office_staff_may_merge_and_not_twice() {
        let (mut records, users, customers) = world(3);
        let tech = users
            .iter()
            .find(|(_, r)| r == &vec![Role::Technician])
            .unwrap()
            .0;
        let (a, b) = (customers[0], customers[1]);
        let err = apply(&mut records, &merge_op(tech, a, b)).unwrap_err();
        assert!(matches!(err, OpError::Forbidden(_)), "{err}");
        let err = apply(&mut records, &merge_op(admin(&users), a, a)).unwrap_err();
        assert!(matches!(err, OpError::Invalid { .. }), "{err}");
        apply(&mut records, &merge_op(admin(&users), a, b)).unwrap();
        let err = apply(&mut records, &merge_op(admin(&users), a, b)).unwrap_err();
        assert!(matches!(err, OpError::Conflict(_)), "{err}");
        let err = apply(&mut records, &merge_op(admin(&users), b, customers[2])).unwrap_err();
        assert!(matches!(err, OpError::Conflict(_)), "{err}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn after_a_merge_nothing_points_at_the_removed_customer(
            seed in 0u64..1000,
            pick in any::<(prop::sample::Index, prop::sample::Index)>(),
        ) {
            let (mut records, users, customers) = world(seed);
            let keep = customers[pick.0.index(customers.len())];
            let remove = customers[pick.1.index(customers.len())];
            prop_assume!(keep != remove);
            let before: Vec<Record> = records.iter().cloned().collect();
            let linked_before = before.iter().filter(|r| points_at(r, remove)).count();
            let mut index = Index::build(records.iter());

            let applied = apply(&mut records, &merge_op(admin(&users), keep, remove)).unwrap();

            prop_assert!(records.iter().all(|r| !points_at(r, remove)));
            prop_assert!(records.find(Query::LinkedTo(Link::Customer(remove))).unwrap().is_empty());
            let kept: Vec<&Record> = records.iter().filter(|r| points_at(r, keep)).collect();
            // Everything moved, plus the note about the merge and the merged record itself.
            let kept_before = before.iter().filter(|r| points_at(r, keep)).count();
            prop_assert_eq!(kept.len(), kept_before + linked_before + 2);
            let Some(Record::Customer(gone)) = records.record(&RecordKey::Customer(remove)) else {
                panic!("the removed record stays");
            };
            prop_assert_eq!(gone.merged_into, Some(keep));
            let Some(Record::Customer(k)) = records.record(&RecordKey::Customer(keep)) else {
                panic!("kept");
            };
            prop_assert!(k.phones.len() <= MAX_PHONES);
            for p in &gone.phones {
                prop_assert!(k.phones.iter().any(|q| q.digits() == p.digits()) || k.phones.len() == MAX_PHONES);
            }
            prop_assert!(one_open_per_subject_and_reason(&records));

            // The index, updated from what the op changed, answers like a fresh one.
            index.refresh(&records, &applied.changed);
            let fresh = Index::build(records.iter());
            let ctx = SearchContext { now: Utc::now(), location: None };
            for q in [gone.name.as_str(), k.name.as_str(), &gone.number(), &k.phones[0].raw] {
                prop_assert_eq!(index.search(q, &ctx, 20), fresh.search(q, &ctx, 20));
                prop_assert!(index.search(q, &ctx, 20).iter().all(|h| h.customer != remove));
            }
        }
    }
}
