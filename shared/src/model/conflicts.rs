//! The conflict inbox, for every role: the conflicts the server sent this person (they are
//! an author of one of the two edits, or dispatch the record's store; `server/src/access.rs`)
//! and those a replay on this device made, open ones only. One tap settles one: keep the value
//! on the record, put back the one set aside, or use a value typed in the inbox. Each is a
//! `ResolveConflict` op through [`commit`], like any other change.
//!
//! [`Model::in_conflict`] tells whether a record has an open conflict, for the per-record sync
//! status ("in conflict").

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Model, commit};
use crate::effects::Effect;
use domain::conflicts::{Choice, Conflict, EditedValue};
use domain::ids::ConflictId;
use domain::ops::customers::CustomerField;
use domain::ops::{OpKind, Record, RecordKey};
use domain::words::Label;

use super::Event;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum ConflictEvent {
    /// Keep the value the record holds now (the later edit).
    KeepKept(ConflictId),
    /// Put back the value that was set aside (the earlier edit).
    KeepSetAside(ConflictId),
    /// Settle with a value typed in the inbox: the name, the phone numbers as the customer
    /// form reads them, or the street.
    UseTyped { id: ConflictId, text: String },
}

pub fn update(model: &mut Model, event: ConflictEvent) -> Command<Effect, Event> {
    let (id, choice) = match event {
        ConflictEvent::KeepKept(id) => (id, Choice::Kept),
        ConflictEvent::KeepSetAside(id) => (id, Choice::SetAside),
        ConflictEvent::UseTyped { id, text } => {
            let Some(typed) = model.typed_value(id, text) else {
                model.notice = Some(Label::CustomerNotOnDevice.into());
                return render();
            };
            (id, Choice::Edit(typed))
        }
    };
    commit::request(OpKind::ResolveConflict {
        conflict: id,
        choice,
    })
}

impl Model {
    /// The open conflicts on this device, the most recent edit first.
    #[must_use]
    pub fn open_conflicts(&self) -> Vec<&Conflict> {
        let mut open: Vec<&Conflict> = self.replica.conflicts().filter(|c| c.is_open()).collect();
        open.sort_by_key(|c| std::cmp::Reverse((c.kept.at, c.id)));
        open
    }

    /// Whether a record has a conflict nobody settled yet.
    #[must_use]
    pub fn in_conflict(&self, key: RecordKey) -> bool {
        self.replica.in_conflict(key)
    }

    /// A typed value as an edit of the conflict's field; `None` when the conflict or its
    /// customer is not on this device, or the field is not one the inbox edits.
    fn typed_value(&self, id: ConflictId, text: String) -> Option<EditedValue> {
        let Some(Record::Conflict(c)) = self.replica.record(&RecordKey::Conflict(id)) else {
            return None;
        };
        Some(match c.field {
            CustomerField::Name => EditedValue::Name(text),
            CustomerField::Phones => EditedValue::Phones(super::lookup::phones_in(&text)),
            CustomerField::Address => {
                let Some(Record::Customer(customer)) = self.replica.record(&c.record) else {
                    return None;
                };
                let mut address = customer.address.clone();
                address.street = text;
                EditedValue::Address(address)
            }
            _ => return None,
        })
    }
}

/// Whether the inbox offers to type a value for this field (the others are settled by
/// keeping one of the two).
#[must_use]
pub fn editable(field: CustomerField) -> bool {
    matches!(
        field,
        CustomerField::Name | CustomerField::Phones | CustomerField::Address
    )
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::model::fake_shell::drive;
    use crate::model::lookup::{FormField, LookupEvent};
    use crate::model::tests::{signed_in, t0};
    use crate::model::{Internal, Lang};
    use crate::view::ViewModel;
    use domain::conflicts::{FieldEdit, FieldValue};
    use domain::customers::{Customer, Phone};
    use domain::ids::OpId;
    use domain::ops::Op;
    use domain::sync::{Change, SyncResponse};

    fn arrives(model: &mut Model, record: Record) {
        let page = SyncResponse {
            results: vec![],
            changes: vec![Change::Put {
                record: Box::new(record),
            }],
            cursor: 3,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        };
        drive(model, Event::internal(Internal::Synced(Ok(page))), t0());
    }

    fn update_op(model: &Model) -> Op {
        model
            .outbox
            .ops()
            .find(|o| matches!(o.kind, OpKind::UpdateCustomer { .. }))
            .cloned()
            .expect("the edit is queued")
    }

    fn customer(model: &Model, id: domain::ids::CustomerId) -> Customer {
        match model.replica.record(&RecordKey::Customer(id)) {
            Some(Record::Customer(c)) => c.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// The rep edits a customer's phone while the dispatcher's newer edit of it arrives: the
    /// op says what the rep saw when the form opened (not what arrived meanwhile, and not
    /// again on replay), the crossing shows in the inbox with both values and who made each,
    /// and one tap settles it with a `ResolveConflict` op.
    #[test]
    fn a_crossed_edit_reaches_the_inbox_and_one_tap_settles_it() {
        let mut model = signed_in(|r| {
            r.customers()
                .find(|c| c.owner.is_some() && !c.phones.is_empty())
                .and_then(|c| c.owner)
                .unwrap()
        });
        let me = model.user().unwrap().id;
        let before = model
            .replica
            .customers()
            .find(|c| c.owner == Some(me) && !c.phones.is_empty())
            .cloned()
            .unwrap();
        let dispatcher = model
            .replica
            .users()
            .find(|u| u.roles == vec![domain::org::Role::Dispatcher])
            .map(|u| u.id)
            .unwrap();
        drive(
            &mut model,
            Event::Lookup(LookupEvent::EditCustomer(before.id)),
            t0(),
        );

        // While the form is open, the dispatcher's edit (made half an hour later, by the
        // server's clock) arrives.
        let mut theirs = before.clone();
        theirs.phones = vec![Phone::parse("13900000002")];
        theirs.edits = vec![FieldEdit {
            field: CustomerField::Phones,
            by: dispatcher,
            at: t0() + Duration::minutes(30),
            op: OpId::new(),
        }];
        arrives(&mut model, Record::Customer(theirs.clone()));

        drive(
            &mut model,
            Event::Lookup(LookupEvent::Type {
                field: FormField::Phones,
                text: "13800000001".into(),
            }),
            t0(),
        );
        drive(&mut model, Event::Lookup(LookupEvent::SaveCustomer), t0());
        let op = update_op(&model);
        let OpKind::UpdateCustomer { seen, .. } = &op.kind else {
            unreachable!()
        };
        assert!(
            seen.contains(&FieldValue::Phones(before.phones.clone())),
            "what the form showed, not what arrived: {seen:?}"
        );

        // The dispatcher's edit is the later one: it stays; the rep's is set aside, shown.
        assert_eq!(
            customer(&model, before.id).phones[0].digits(),
            "8613900000002"
        );
        assert!(model.in_conflict(RecordKey::Customer(before.id)));
        let vm = ViewModel::from(&model);
        assert_eq!(vm.conflicts.count, 1);
        let card = &vm.conflicts.items[0];
        assert_eq!(card.customer_name, before.name);
        assert_eq!(card.field_name, "Phone numbers");
        assert_eq!(card.sides[0].value, "13900000002");
        assert_eq!(card.sides[0].who, "A colleague");
        assert_eq!(card.sides[0].keep, "Keep theirs");
        assert!(card.sides[0].on_record);
        assert_eq!(card.sides[1].value, "13800000001");
        assert_eq!(card.sides[1].who, "You");
        assert_eq!(card.sides[1].keep, "Keep mine");
        model.language = Lang::SimplifiedChinese;
        let zh = ViewModel::from(&model);
        assert_eq!(zh.conflicts.items[0].sides[1].keep, "保留我的");
        model.language = Lang::English;

        // Another sync replays the queued edit on top of what arrived: the same op, the same
        // `seen`, the same conflict.
        arrives(&mut model, Record::Customer(theirs));
        assert_eq!(update_op(&model), op, "a retry is the same op");
        assert_eq!(model.open_conflicts().len(), 1);

        // One tap: keep mine.
        let id = card.id;
        drive(
            &mut model,
            Event::Conflicts(ConflictEvent::KeepSetAside(id)),
            t0() + Duration::hours(1),
        );
        assert!(model.outbox.ops().any(|o| o.kind
            == OpKind::ResolveConflict {
                conflict: id,
                choice: Choice::SetAside,
            }));
        assert_eq!(
            customer(&model, before.id).phones[0].digits(),
            "8613800000001"
        );
        assert_eq!(ViewModel::from(&model).conflicts.count, 0);
        assert!(!model.in_conflict(RecordKey::Customer(before.id)));
    }
}
