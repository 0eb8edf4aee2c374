//! The conflict rule (`crate::conflicts`), inside `apply`: one field of an edit at a time
//! ([`edit_field`]), and settling a conflict ([`resolve`]).
//!
//! The rule: a field the author did not change (the patch holds what they saw) is left alone,
//! so concurrent edits of different fields both survive. A field still as the author saw it
//! is an ordinary edit. A field someone else changed since the author saw it is a conflict:
//! the later edit by `Op::at` stays on the record, whichever arrived last, and a [`Conflict`]
//! keeps both values for the people concerned (both authors, the store's dispatchers, the
//! admins; see `server/src/access.rs`).

use super::customers::{may_change, set_value, values, visible_customer};
use super::records::RecordsExt;
use super::{
    Clash, Ctx, CustomerPatch, Denied, Field, OpError, Problem, Record, RecordKey, Records,
};
use crate::conflicts::{Choice, Conflict, EditedValue, FieldEdit, FieldValue, Resolution, Side};
use crate::customers::Customer;
use crate::ids::{ConflictId, CustomerId};
use crate::ops::AddressPart;
use crate::ops::customers::CustomerField;

/// Applies one field of an edit to `c`; the conflict it makes, if the field crossed another
/// person's edit. `saw`: what the author saw of the field, if the op says.
pub(super) fn edit_field(
    ctx: &Ctx,
    c: &mut Customer,
    value: FieldValue,
    saw: Option<&FieldValue>,
) -> Option<Conflict> {
    let field = value.field();
    if saw.is_some_and(|s| s.same(&value)) {
        // The author left this field as it was (a form sends every field it shows).
        return None;
    }
    let current = FieldValue::of(c, field);
    if current.same(&value) {
        return None;
    }
    let last = c.edits.iter().find(|e| e.field == field).cloned();
    let crossed = match (saw, &last) {
        (Some(s), Some(last)) => !s.same(&current) && last.by != ctx.actor.id,
        // No record of who changed it, or an op that does not say what its author saw: the
        // edit applies, as edits did before conflicts were kept.
        _ => false,
    };
    let Some(last) = last.filter(|_| crossed) else {
        set(ctx, c, &value);
        return None;
    };
    let mine = Side {
        value,
        by: ctx.actor.id,
        at: ctx.op.at,
        op: ctx.op.id,
    };
    let theirs = Side {
        value: current,
        by: last.by,
        at: last.at,
        op: last.op,
    };
    // The later edit by when it was made wins, not by when it arrived; equal times are
    // settled by the op ids, so that every order of arrival gives the same record.
    let (kept, set_aside) = if (ctx.op.at, ctx.op.id) > (last.at, last.op) {
        set(ctx, c, &mine.value);
        (mine, theirs)
    } else {
        (theirs, mine)
    };
    Some(Conflict {
        id: Conflict::id_for(ctx.op.id, field),
        org: c.org,
        store: c.store,
        record: RecordKey::Customer(c.id),
        field,
        kept,
        set_aside,
        resolution: None,
    })
}

/// Sets a field and remembers who set it and when.
fn set(ctx: &Ctx, c: &mut Customer, value: &FieldValue) {
    let field = value.field();
    set_value(c, value);
    c.edits.retain(|e| e.field != field);
    c.edits.push(FieldEdit {
        field,
        by: ctx.actor.id,
        at: ctx.op.at,
        op: ctx.op.id,
    });
    c.edits.sort_by_key(|e| e.field);
}

/// The customer an edit of `id` lands on: `id`, or the record it was merged into.
pub(super) fn current_customer<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    id: CustomerId,
) -> Result<Customer, OpError> {
    let mut c = visible_customer(records, ctx, id)?;
    // Merges never form a cycle (a merged record is never kept); the bound only guards
    // against a damaged store.
    let mut hops = 0;
    while let Some(into) = c.merged_into {
        hops += 1;
        if hops > 32 {
            return Err(OpError::Conflict(Clash::CustomerMerged));
        }
        c = visible_customer(records, ctx, into)?;
    }
    Ok(c)
}

/// Settles a conflict: the people concerned (either author, a manager of the record's store)
/// keep one of the two values or type another; the field's write rule applies as to any
/// edit. The resolution is an op like any other, so it syncs, is audited and replays.
pub(super) fn resolve<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: ConflictId,
    choice: &Choice,
) -> Result<Vec<RecordKey>, OpError> {
    let mut conflict = records.conflict(id)?;
    let concerned =
        conflict.authors().contains(&ctx.actor.id) || ctx.actor.manages_store(conflict.store);
    if !concerned {
        return Err(OpError::Forbidden(Denied::NotPartyToConflict));
    }
    if conflict.resolution.is_some() {
        return Err(OpError::Conflict(Clash::ConflictResolved));
    }
    let RecordKey::Customer(customer) = conflict.record else {
        return Err(OpError::NotFound {
            kind: super::RecordKind::Customer,
            id: conflict.record.uuid(),
        });
    };
    let mut c = current_customer(records, ctx, customer)?;
    may_change(ctx, &c, conflict.field)?;
    let value = match choice {
        Choice::Kept => conflict.kept.value.clone(),
        Choice::SetAside => conflict.set_aside.value.clone(),
        Choice::Edit(typed) => edited(records, ctx, &c, conflict.field, typed)?,
    };
    let old_address = c.address.clone();
    if !FieldValue::of(&c, conflict.field).same(&value) {
        set(ctx, &mut c, &value);
    }
    conflict.resolution = Some(Resolution {
        by: ctx.actor.id,
        at: ctx.op.at,
        op: ctx.op.id,
        choice: choice.clone(),
    });
    let key = RecordKey::Customer(c.id);
    let moved = (c.address != old_address).then(|| c.address.clone());
    let mut touched = vec![RecordKey::Conflict(id), key];
    records.put(Record::Conflict(conflict))?;
    let cid = c.id;
    records.put(Record::Customer(c))?;
    if let Some(address) = moved {
        touched.extend(super::customers::jobs_follow(
            records,
            cid,
            &old_address,
            &address,
        )?);
    }
    Ok(touched)
}

/// A typed value, checked as an edit of the conflict's field.
fn edited<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    c: &Customer,
    field: CustomerField,
    typed: &EditedValue,
) -> Result<FieldValue, OpError> {
    let patch = match (field, typed) {
        (CustomerField::Name, EditedValue::Name(n)) => CustomerPatch {
            name: Some(n.clone()),
            ..CustomerPatch::default()
        },
        (CustomerField::Phones, EditedValue::Phones(p)) => CustomerPatch {
            phones: Some(p.clone()),
            ..CustomerPatch::default()
        },
        (CustomerField::Address, EditedValue::Address(a)) => CustomerPatch {
            address: Some(a.clone()),
            ..CustomerPatch::default()
        },
        (CustomerField::Name, _) => {
            return Err(OpError::invalid(Field::CustomerName, Problem::Missing));
        }
        (CustomerField::Phones, _) => {
            return Err(OpError::invalid(Field::Phones, Problem::Missing));
        }
        (CustomerField::Address, _) => {
            return Err(OpError::invalid(
                Field::Address(AddressPart::Street),
                Problem::Missing,
            ));
        }
        // Other fields are settled by keeping one of the two values.
        (_, _) => return Err(OpError::invalid(Field::OpTime, Problem::Missing)),
    };
    values(records, ctx, c, &patch)?
        .pop()
        .ok_or(OpError::invalid(Field::CustomerName, Problem::Missing))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use proptest::prelude::*;

    use super::*;
    use crate::followups::rules::fixture::Fixture;
    use crate::ids::{OpId, UserId};
    use crate::ops::{Op, OpKind, apply};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
    }

    fn customer(fx: &Fixture, id: CustomerId) -> Customer {
        fx.records.customer(id).unwrap()
    }

    fn seen_of(c: &Customer) -> Vec<FieldValue> {
        [
            CustomerField::Name,
            CustomerField::Phones,
            CustomerField::Address,
        ]
        .into_iter()
        .map(|f| FieldValue::of(c, f))
        .collect()
    }

    /// What the customer form sends: every field it shows, with what its author saw.
    fn form_edit(
        id: u128,
        actor: UserId,
        at: DateTime<Utc>,
        saw: &Customer,
        phones: Option<&str>,
        street: Option<&str>,
    ) -> Op {
        let mut address = saw.address.clone();
        if let Some(s) = street {
            address.street = s.into();
        }
        Op {
            id: OpId::from_parts(1_900_000_000_000, id),
            actor,
            at,
            location: None,
            kind: OpKind::UpdateCustomer {
                customer: saw.id,
                patch: CustomerPatch {
                    name: Some(saw.name.clone()),
                    phones: Some(match phones {
                        Some(p) => vec![p.to_owned()],
                        None => saw.phones.iter().map(|p| p.raw.clone()).collect(),
                    }),
                    address: Some(address),
                    ..CustomerPatch::default()
                },
                seen: seen_of(saw),
            },
        }
    }

    fn conflicts(fx: &Fixture) -> Vec<Conflict> {
        fx.records.conflicts().cloned().collect()
    }

    fn street(c: &Customer) -> &str {
        &c.address.street
    }

    fn phone(c: &Customer) -> String {
        c.phones
            .iter()
            .map(|p| p.digits())
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn an_older_offline_edit_arriving_last_does_not_replace_the_newer_one() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let rep = fx.rep;
        let manager = fx.manager;
        let id = fx.customer(t0(), Some(rep), false, None);
        let before = customer(&fx, id);
        // The rep edits offline at 10:00; the manager edits online at 10:30, and theirs
        // reaches the server first.
        let offline = form_edit(
            1,
            rep,
            t0() + Duration::hours(1),
            &before,
            Some("13800000001"),
            Some("Rep Street"),
        );
        let online = form_edit(
            2,
            manager,
            t0() + Duration::minutes(90),
            &before,
            Some("13900000002"),
            Some("Manager Street"),
        );
        apply(&mut fx.records, &online).unwrap();
        let applied = apply(&mut fx.records, &offline).unwrap();
        let after = customer(&fx, id);
        assert_eq!(phone(&after), "8613900000002", "the newer phone stays");
        assert_eq!(street(&after), "Manager Street", "the newer street stays");
        let mut found = conflicts(&fx);
        found.sort_by_key(|c| c.field);
        assert_eq!(
            found.iter().map(|c| c.field).collect::<Vec<_>>(),
            [CustomerField::Phones, CustomerField::Address]
        );
        for c in &found {
            assert_eq!(c.record, RecordKey::Customer(id));
            assert_eq!((c.kept.by, c.kept.at), (manager, online.at));
            assert_eq!((c.set_aside.by, c.set_aside.at), (rep, offline.at));
            assert!(c.is_open());
            assert!(applied.changed.contains(&RecordKey::Conflict(c.id)));
        }
        assert_eq!(
            found[0].set_aside.value,
            FieldValue::Phones(vec![crate::customers::Phone::parse("13800000001")])
        );
        assert!(fx.records.in_conflict(RecordKey::Customer(id)));
        // The name was sent by both forms but changed by neither: no conflict, no stamp.
        assert!(after.edits.iter().all(|e| e.field != CustomerField::Name));
    }

    #[test]
    fn a_newer_offline_edit_arriving_last_wins_and_keeps_the_older_value() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (rep, manager) = (fx.rep, fx.manager);
        let id = fx.customer(t0(), Some(rep), false, None);
        let before = customer(&fx, id);
        let online = form_edit(
            1,
            manager,
            t0() + Duration::hours(1),
            &before,
            Some("13900000002"),
            None,
        );
        let offline = form_edit(
            2,
            rep,
            t0() + Duration::hours(2),
            &before,
            Some("13800000001"),
            None,
        );
        apply(&mut fx.records, &online).unwrap();
        apply(&mut fx.records, &offline).unwrap();
        assert_eq!(phone(&customer(&fx, id)), "8613800000001");
        let [c] = conflicts(&fx).try_into().unwrap();
        assert_eq!(c.kept.by, rep);
        assert_eq!(c.set_aside.by, manager);
        assert_eq!(c.set_aside.value.as_text(), "13900000002");
    }

    #[test]
    fn concurrent_edits_of_different_fields_both_survive_without_a_conflict() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (rep, manager) = (fx.rep, fx.manager);
        let id = fx.customer(t0(), Some(rep), false, None);
        let before = customer(&fx, id);
        let phone_edit = form_edit(
            1,
            rep,
            t0() + Duration::hours(1),
            &before,
            Some("13800000001"),
            None,
        );
        let street_edit = form_edit(
            2,
            manager,
            t0() + Duration::hours(2),
            &before,
            None,
            Some("New Street"),
        );
        // The older one arrives last: before conflicts were kept, its whole form replaced
        // the street with the one it had seen.
        apply(&mut fx.records, &street_edit).unwrap();
        apply(&mut fx.records, &phone_edit).unwrap();
        let after = customer(&fx, id);
        assert_eq!(phone(&after), "8613800000001");
        assert_eq!(street(&after), "New Street");
        assert!(conflicts(&fx).is_empty());
        assert!(!fx.records.in_conflict(RecordKey::Customer(id)));
    }

    #[test]
    fn an_op_stored_before_conflicts_reads_and_applies_as_it_did() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (rep, manager) = (fx.rep, fx.manager);
        let id = fx.customer(t0(), Some(rep), false, None);
        let before = customer(&fx, id);
        let newer = form_edit(
            1,
            manager,
            t0() + Duration::hours(2),
            &before,
            Some("13900000002"),
            None,
        );
        apply(&mut fx.records, &newer).unwrap();
        let json = format!(
            r#"{{"id":"{}","actor":"{rep}","at":"2026-12-01T03:00:00Z","location":null,
               "kind":{{"UpdateCustomer":{{"customer":"{id}","patch":{{"name":null,
               "phones":["13700000003"],"address":null,"kind":null,"tags":null,"tier":null,
               "marketing_consent":null}}}}}}}}"#,
            OpId::from_parts(1_900_000_000_000, 9)
        );
        let old: Op = serde_json::from_str(&json).unwrap();
        let OpKind::UpdateCustomer { seen, .. } = &old.kind else {
            panic!("an update")
        };
        assert!(seen.is_empty());
        // Its fingerprint (a retry must be the same op) is what it was: `seen` is not written.
        assert!(!serde_json::to_string(&old).unwrap().contains("seen"));
        apply(&mut fx.records, &old).unwrap();
        assert_eq!(phone(&customer(&fx, id)), "8613700000003");
        assert!(conflicts(&fx).is_empty());
    }

    #[test]
    fn an_edit_of_a_merged_customer_follows_to_the_kept_one() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (rep, manager) = (fx.rep, fx.manager);
        let keep = fx.customer(t0(), Some(rep), false, None);
        let remove = fx.customer(t0(), Some(rep), false, None);
        let saw = customer(&fx, remove);
        fx.op(
            manager,
            t0() + Duration::hours(1),
            OpKind::MergeCustomers { keep, remove },
        )
        .unwrap();
        let edit = form_edit(
            1,
            rep,
            t0() + Duration::hours(2),
            &saw,
            None,
            Some("Moved Street"),
        );
        let applied = apply(&mut fx.records, &edit).unwrap();
        assert!(applied.changed.contains(&RecordKey::Customer(keep)));
        assert_eq!(street(&customer(&fx, keep)), "Moved Street");
        assert_eq!(customer(&fx, remove).address.street, saw.address.street);
    }

    fn crossed(fx: &mut Fixture) -> (CustomerId, Conflict) {
        let (rep, manager) = (fx.rep, fx.manager);
        let id = fx.customer(t0(), Some(rep), false, None);
        let before = customer(fx, id);
        let online = form_edit(
            1,
            manager,
            t0() + Duration::hours(2),
            &before,
            Some("13900000002"),
            None,
        );
        let offline = form_edit(
            2,
            rep,
            t0() + Duration::hours(1),
            &before,
            Some("13800000001"),
            None,
        );
        apply(&mut fx.records, &online).unwrap();
        apply(&mut fx.records, &offline).unwrap();
        let [c] = conflicts(fx).try_into().unwrap();
        (id, c)
    }

    fn resolve_op(id: u128, actor: UserId, conflict: ConflictId, choice: Choice) -> Op {
        Op {
            id: OpId::from_parts(1_950_000_000_000, id),
            actor,
            at: t0() + Duration::hours(3),
            location: None,
            kind: OpKind::ResolveConflict { conflict, choice },
        }
    }

    #[test]
    fn keep_mine_puts_the_set_aside_value_back_and_settles_the_conflict_once() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (id, c) = crossed(&mut fx);
        let rep = fx.rep;
        // The rep's value was set aside: "keep mine" is `SetAside` for them.
        let applied = apply(&mut fx.records, &resolve_op(1, rep, c.id, Choice::SetAside)).unwrap();
        assert!(applied.changed.contains(&RecordKey::Conflict(c.id)));
        assert_eq!(phone(&customer(&fx, id)), "8613800000001");
        let settled = fx.records.conflict(c.id).unwrap();
        assert_eq!(settled.resolution.as_ref().map(|r| r.by), Some(rep));
        assert!(!fx.records.in_conflict(RecordKey::Customer(id)));
        let manager = fx.manager;
        assert_eq!(
            apply(&mut fx.records, &resolve_op(2, manager, c.id, Choice::Kept)),
            Err(OpError::Conflict(Clash::ConflictResolved))
        );
        assert_eq!(phone(&customer(&fx, id)), "8613800000001");
    }

    #[test]
    fn edit_settles_with_a_third_value_checked_like_any_edit() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (id, c) = crossed(&mut fx);
        let manager = fx.manager;
        let bad = Choice::Edit(EditedValue::Phones(vec!["not a phone".into()]));
        assert!(matches!(
            apply(&mut fx.records, &resolve_op(1, manager, c.id, bad)),
            Err(OpError::Invalid { .. })
        ));
        let wrong_field = Choice::Edit(EditedValue::Name("Someone".into()));
        assert!(apply(&mut fx.records, &resolve_op(2, manager, c.id, wrong_field)).is_err());
        assert!(fx.records.conflict(c.id).unwrap().is_open());
        let good = Choice::Edit(EditedValue::Phones(vec!["13700000003".into()]));
        apply(&mut fx.records, &resolve_op(3, manager, c.id, good)).unwrap();
        assert_eq!(phone(&customer(&fx, id)), "8613700000003");
    }

    #[test]
    fn only_the_people_concerned_settle_a_conflict() {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (_, c) = crossed(&mut fx);
        let tech = fx.tech;
        assert_eq!(
            apply(&mut fx.records, &resolve_op(1, tech, c.id, Choice::Kept)),
            Err(OpError::Forbidden(Denied::NotPartyToConflict))
        );
        // A second rep of the store, who wrote neither edit.
        let other = UserId::from_parts(1_700_000_000_000, 999);
        let mut u = fx.records.user(fx.rep).unwrap();
        u.id = other;
        fx.records.insert(Record::User(u));
        assert_eq!(
            apply(&mut fx.records, &resolve_op(2, other, c.id, Choice::Kept)),
            Err(OpError::Forbidden(Denied::NotPartyToConflict))
        );
        assert!(fx.records.conflict(c.id).unwrap().is_open());
        let admin = fx.admin;
        apply(&mut fx.records, &resolve_op(3, admin, c.id, Choice::Kept)).unwrap();
    }

    #[test]
    fn a_completion_made_offline_stands_against_a_reassignment_made_meanwhile() {
        use crate::ids::JobId;
        use crate::jobs::{Completion, JobStatus, Priority, ServiceType};
        use crate::ops::NewJob;
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (manager, tech) = (fx.manager, fx.tech);
        let other = UserId::from_parts(1_700_000_000_000, 998);
        let mut u = fx.records.user(tech).unwrap();
        u.id = other;
        fx.records.insert(Record::User(u));
        let customer = fx.customer(t0(), None, false, None);
        let job = JobId::from_parts(1_750_000_000_000, 77);
        let at = |m: i64| t0() + Duration::minutes(m);
        let new_job = |id| NewJob {
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
        };
        fx.op(manager, at(0), OpKind::CreateJob(new_job(job)))
            .unwrap();
        let assign = |t| OpKind::AssignJob {
            job,
            technician: t,
            planned_start: None,
            why: None,
            crew: Vec::new(),
        };
        fx.op(manager, at(1), assign(tech)).unwrap();
        // The technician goes offline and works the job; meanwhile the dispatcher, who does
        // not know, gives it to someone else. The technician's steps arrive afterwards.
        fx.op(manager, at(30), assign(other)).unwrap();
        fx.op(tech, at(10), OpKind::StartTravel { job }).unwrap();
        fx.op(tech, at(20), OpKind::Arrive { job }).unwrap();
        let completion = Completion {
            notes: "tuned".into(),
            ..Completion::default()
        };
        fx.op(tech, at(60), OpKind::CompleteJob { job, completion })
            .unwrap();
        let j = fx.records.job(job).unwrap();
        assert_eq!(j.status, JobStatus::Completed);
        assert_eq!(j.technician, Some(tech));
        assert!(
            j.history
                .iter()
                .any(|h| h.note.as_deref() == Some(super::super::jobs::TAKEN_BACK) && h.by == tech)
        );
        // The other technician cannot take it back the same way once it was worked.
        assert!(fx.op(other, at(70), OpKind::StartTravel { job }).is_err());
        // Nor can a technician who never held the job.
        let job2 = JobId::from_parts(1_750_000_000_000, 78);
        fx.op(manager, at(0), OpKind::CreateJob(new_job(job2)))
            .unwrap();
        fx.op(
            manager,
            at(1),
            OpKind::AssignJob {
                job: job2,
                technician: other,
                planned_start: None,
                why: None,
                crew: Vec::new(),
            },
        )
        .unwrap();
        assert_eq!(
            fx.op(tech, at(2), OpKind::StartTravel { job: job2 }),
            Err(OpError::Forbidden(Denied::OnlyAssignedTechnician))
        );
    }

    /// One edit of a random subset of {phones, street}, at a random time.
    #[derive(Clone, Debug)]
    struct Edit {
        phones: Option<u8>,
        street: Option<u8>,
        minutes: i64,
    }

    fn an_edit() -> impl Strategy<Value = Edit> {
        (
            proptest::option::of(0u8..3),
            proptest::option::of(0u8..3),
            0i64..600,
        )
            .prop_map(|(phones, street, minutes)| Edit {
                phones,
                street,
                minutes,
            })
    }

    /// Two people edit the same customer from what they both saw; the ops arrive in either
    /// order. Returns the customer's phones and street, and the conflicts as (field, kept
    /// author, set-aside author).
    fn play(
        a: &Edit,
        b: &Edit,
        a_first: bool,
    ) -> (String, String, Vec<(CustomerField, UserId, UserId)>) {
        let mut fx = Fixture::new(chrono_tz::Asia::Shanghai);
        let (rep, manager) = (fx.rep, fx.manager);
        let id = fx.customer(t0(), Some(rep), false, None);
        let before = customer(&fx, id);
        let op = |n: u128, who: UserId, e: &Edit| {
            form_edit(
                n,
                who,
                t0() + Duration::minutes(e.minutes),
                &before,
                e.phones.map(|p| format!("1380000000{p}")).as_deref(),
                e.street.map(|s| format!("Street {s}")).as_deref(),
            )
        };
        let (oa, ob) = (op(1, rep, a), op(2, manager, b));
        let order = if a_first { [&oa, &ob] } else { [&ob, &oa] };
        for o in order {
            apply(&mut fx.records, o).unwrap();
        }
        let c = customer(&fx, id);
        let mut found: Vec<_> = conflicts(&fx)
            .into_iter()
            .map(|x| (x.field, x.kept.by, x.set_aside.by))
            .collect();
        found.sort();
        (phone(&c), street(&c).to_owned(), found)
    }

    fn changes(before: &str, to: Option<String>) -> Option<String> {
        to.filter(|v| v != before)
    }

    proptest! {
        #[test]
        fn the_later_edit_wins_whatever_the_order_of_arrival(
            a in an_edit(), b in an_edit()
        ) {
            let first = play(&a, &b, true);
            let second = play(&a, &b, false);
            prop_assert_eq!(&first, &second);
            let (phones, street, found) = first;
            let a_later = (a.minutes, 1) > (b.minutes, 2);
            // Per field: who changed it (to a value other than the one both saw).
            let base_street = "Unter den Linden".to_owned();
            let pa = changes("", a.phones.map(|p| format!("861380000000{p}")));
            let pb = changes("", b.phones.map(|p| format!("861380000000{p}")));
            let sa = changes(&base_street, a.street.map(|s| format!("Street {s}")));
            let sb = changes(&base_street, b.street.map(|s| format!("Street {s}")));
            let mut expected = Vec::new();
            let fx = Fixture::new(chrono_tz::Asia::Shanghai);
            let (rep, manager) = (fx.rep, fx.manager);
            for (field, va, vb, base, got) in [
                (CustomerField::Phones, pa, pb, String::new(), &phones),
                (CustomerField::Address, sa, sb, base_street.clone(), &street),
            ] {
                let want = match (&va, &vb) {
                    (Some(x), Some(y)) if x != y => {
                        // Both changed it, to different values: exactly one conflict, and
                        // the later edit is on the record.
                        expected.push(if a_later {
                            (field, rep, manager)
                        } else {
                            (field, manager, rep)
                        });
                        if a_later { x.clone() } else { y.clone() }
                    }
                    (Some(x), _) => x.clone(),
                    (None, Some(y)) => y.clone(),
                    (None, None) => base,
                };
                prop_assert_eq!(got, &want, "{:?}", field);
            }
            expected.sort();
            prop_assert_eq!(found, expected);
        }
    }
}
