//! The search box and the customer form, driven like a shell would.

use super::super::fake_shell::drive;
use super::super::tests::{signed_in, t0, user_with};
use super::*;
use crate::model::Internal;
use crate::view::ViewModel;
use domain::customers::Customer;
use domain::lookup::MatchedField;
use domain::sync::{Change, OpResult, OpStatus, SyncResponse};

fn search(model: &mut Model, q: &str) -> ViewModel {
    drive(model, Event::Lookup(LookupEvent::Query(q.into())), t0());
    ViewModel::from(&*model)
}

fn found(vm: &ViewModel, id: CustomerId) -> bool {
    vm.lookup.results.iter().any(|r| r.customer == id)
}

/// What a fresh index over the model's replica answers: the incremental one must agree.
fn fresh(model: &Model, q: &str) -> Vec<CustomerId> {
    let ctx = SearchContext {
        now: model.now,
        location: model.location,
    };
    Index::build(model.replica.iter())
        .search(q, &ctx, MAX_RESULTS)
        .into_iter()
        .map(|h| h.customer)
        .collect()
}

fn shown(vm: &ViewModel) -> Vec<CustomerId> {
    vm.lookup.results.iter().map(|r| r.customer).collect()
}

fn a_customer(model: &Model) -> Customer {
    model
        .replica
        .customers()
        .find(|c| c.merged_into.is_none() && !c.phones.is_empty())
        .cloned()
        .unwrap()
}

#[test]
fn every_role_finds_a_customer_by_name_and_phone_with_highlights() {
    for role in [Role::Technician, Role::Sales, Role::Dispatcher] {
        let mut model = signed_in(user_with(role));
        let c = a_customer(&model);
        let vm = search(&mut model, &c.name);
        assert_eq!(vm.lookup.results[0].customer, c.id, "{role:?}");
        let name = &vm.lookup.results[0].matched[0];
        assert_eq!(name.field, "Name");
        let marked: String = name
            .parts
            .iter()
            .filter(|p| p.highlight)
            .map(|p| p.text.as_str())
            .collect();
        assert!(!marked.is_empty(), "{:?}", name.parts);

        let digits = c.phones[0].national();
        let vm = search(&mut model, &digits[digits.len() - 6..]);
        let hit = vm
            .lookup
            .results
            .iter()
            .find(|r| r.customer == c.id)
            .unwrap();
        assert!(hit.matched.iter().any(|m| m.field == "Phone"), "{hit:?}");
        assert!(
            model.lookup.hits[0]
                .matched
                .iter()
                .any(|m| matches!(m.field, MatchedField::Phone { .. }))
        );

        let vm = search(&mut model, "");
        assert!(vm.lookup.results.is_empty() && !vm.lookup.nothing_found);
        let vm = search(&mut model, "qqqqqqqqqq");
        assert!(vm.lookup.nothing_found);
    }
}

#[test]
fn a_new_customer_warns_of_duplicates_before_saving_and_is_found_after() {
    let mut model = signed_in(user_with(Role::Sales));
    let existing = a_customer(&model);
    drive(&mut model, Event::Lookup(LookupEvent::NewCustomer), t0());
    let draft = CustomerDraft {
        name: "Ada Quimby".into(),
        phones: vec![existing.phones[0].raw.clone()],
        address: existing.address.clone(),
    };
    let queued = model.outbox.len();
    let out = drive(
        &mut model,
        Event::Lookup(LookupEvent::Draft(draft.clone())),
        t0(),
    );
    assert!(
        out.http.is_empty(),
        "nothing is sent while the form is edited"
    );
    assert_eq!(model.outbox.len(), queued);
    let form = ViewModel::from(&model).lookup.form.unwrap();
    assert_eq!(form.duplicates.len(), 1, "{:?}", form.duplicates);
    assert_eq!(form.duplicates[0].customer, existing.id);
    assert_eq!(form.duplicates[0].reason, "Same phone number");
    // A rep may not merge customers (a manager of both stores may, `ops::merge`): the form
    // warns and offers no merge that would only be refused.
    assert!(!form.can_merge);

    // Another number: no warning.
    let other = CustomerDraft {
        phones: vec!["13000000017".into()],
        ..draft
    };
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Draft(other.clone())),
        t0(),
    );
    assert!(
        ViewModel::from(&model)
            .lookup
            .form
            .unwrap()
            .duplicates
            .is_empty()
    );

    let before = model.outbox.len();
    let nameless = CustomerDraft {
        name: " ".into(),
        ..model.lookup.form.as_ref().unwrap().draft.clone()
    };
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Draft(nameless)),
        t0(),
    );
    drive(&mut model, Event::Lookup(LookupEvent::SaveCustomer), t0());
    assert_eq!(model.outbox.len(), before, "not saved without a name");
    assert!(model.lookup.form.is_some(), "and the form stays open");
    drive(&mut model, Event::Lookup(LookupEvent::Draft(other)), t0());
    drive(&mut model, Event::Lookup(LookupEvent::SaveCustomer), t0());
    assert!(
        model
            .outbox
            .ops()
            .skip(before)
            .any(|o| matches!(o.kind, OpKind::CreateCustomer(_)))
    );
    assert!(ViewModel::from(&model).lookup.form.is_none());
    let vm = search(&mut model, "ada quim");
    let created = model
        .replica
        .customers()
        .find(|c| c.name == "Ada Quimby")
        .unwrap()
        .id;
    assert_eq!(shown(&vm), vec![created]);
    assert_eq!(
        shown(&search(&mut model, "0000001")),
        fresh(&model, "0000001")
    );
}

#[test]
fn editing_warns_of_a_similar_name_nearby_but_not_of_itself() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    let a = a_customer(&model);
    let me = model.user().unwrap().clone();
    let b = model
        .replica
        .customers()
        .find(|c| c.id != a.id && c.merged_into.is_none() && me.manages_store(c.store))
        .cloned()
        .unwrap();
    drive(
        &mut model,
        Event::Lookup(LookupEvent::EditCustomer(b.id)),
        t0(),
    );
    assert!(
        model
            .lookup
            .form
            .as_ref()
            .unwrap()
            .duplicates
            .iter()
            .all(|d| d.customer != b.id),
        "a customer is not its own duplicate"
    );
    // The rep retypes b with a's name and address.
    let draft = CustomerDraft {
        name: a.name.clone(),
        phones: b.phones.iter().map(|p| p.raw.clone()).collect(),
        address: a.address.clone(),
    };
    drive(&mut model, Event::Lookup(LookupEvent::Draft(draft)), t0());
    let form = ViewModel::from(&model).lookup.form.unwrap();
    assert!(
        form.duplicates
            .iter()
            .any(|d| d.customer == a.id && d.reason == "Similar name nearby"),
        "{:?}",
        form.duplicates
    );
}

#[test]
fn the_index_follows_local_ops_sync_and_rejections() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    let c = a_customer(&model);
    assert!(found(&search(&mut model, &c.name), c.id));

    // The server renamed the customer: after the sync settles, the new name finds them.
    let mut renamed = c.clone();
    renamed.name = "Zebulon Farquhar".into();
    drive(
        &mut model,
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![],
            changes: vec![Change::Put {
                record: Box::new(Record::Customer(renamed)),
            }],
            cursor: 3,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        }))),
        t0(),
    );
    let vm = search(&mut model, "zebulon");
    assert_eq!(shown(&vm), vec![c.id], "the results refresh on sync");
    assert_eq!(shown(&vm), fresh(&model, "zebulon"));

    // A customer created on the device is found at once; when the server refuses it, the
    // rollback takes it out of the index too.
    drive(&mut model, Event::Lookup(LookupEvent::NewCustomer), t0());
    let draft = CustomerDraft {
        name: "Ottoline Brackenbury".into(),
        phones: vec!["13900001111".into()],
        address: c.address.clone(),
    };
    drive(&mut model, Event::Lookup(LookupEvent::Draft(draft)), t0());
    drive(&mut model, Event::Lookup(LookupEvent::SaveCustomer), t0());
    let vm = search(&mut model, "ottoline");
    assert_eq!(vm.lookup.results.len(), 1);
    let op = model
        .outbox
        .ops()
        .find(|o| matches!(o.kind, OpKind::CreateCustomer(_)))
        .unwrap()
        .clone();
    drive(
        &mut model,
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![OpResult {
                op: op.id,
                status: OpStatus::Rejected {
                    message: "no".into(),
                    error: domain::ops::OpError::Conflict(domain::ops::Clash::CustomerMerged),
                },
            }],
            changes: vec![],
            cursor: 4,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        }))),
        t0(),
    );
    let vm = ViewModel::from(&model);
    assert!(vm.lookup.nothing_found, "{:?}", vm.lookup.results);
    assert!(fresh(&model, "ottoline").is_empty());
}

#[test]
fn a_merge_from_the_warning_leaves_one_customer() {
    let mut model = signed_in(|m| {
        m.users()
            .find(|u| u.roles.contains(&Role::Admin))
            .map(|u| u.id)
            .unwrap()
    });
    let live: Vec<Customer> = model
        .replica
        .customers()
        .filter(|c| c.merged_into.is_none())
        .take(2)
        .cloned()
        .collect();
    let (keep, remove) = (live[0].clone(), live[1].clone());
    assert!(found(&search(&mut model, &remove.name), remove.id));
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Merge {
            keep: keep.id,
            remove: remove.id,
        }),
        t0(),
    );
    assert!(
        model
            .outbox
            .ops()
            .any(|o| matches!(o.kind, OpKind::MergeCustomers { .. })),
        "{:?}",
        model.notice
    );
    let vm = ViewModel::from(&model);
    assert!(!found(&vm, remove.id), "refreshed after the merge");
    // The removed customer's number now leads to the kept one.
    assert_eq!(shown(&search(&mut model, &remove.number()))[0], keep.id);
}

#[test]
fn the_index_is_built_right_after_the_first_screen_from_the_stored_replica() {
    let model = signed_in(user_with(Role::Sales));
    let c = a_customer(&model);
    let mut restarted = Model::default();
    let loaded = super::super::storage::Loaded {
        replica: Some(super::super::storage::StoredReplica {
            cursor: 1,
            records: model.replica.clone(),
            owner: model.replica_owner,
        }),
        session: model.session().cloned(),
        ..Default::default()
    };
    drive(
        &mut restarted,
        Event::internal(Internal::Loaded(Box::new(loaded))),
        t0(),
    );
    // The first screen comes first: at a chain's size the index takes longer than the rest
    // of a restart.
    assert!(restarted.lookup.index.is_none());
    // The next event (the storage estimate's answer, which always follows the first render).
    drive(&mut restarted, Event::internal(Internal::Usage(None)), t0());
    assert_eq!(
        restarted.lookup.index.as_ref().map(Index::len),
        Some(
            model
                .replica
                .customers()
                .filter(|c| c.merged_into.is_none())
                .count()
        ),
        "built before the first keystroke"
    );
    assert!(found(&search(&mut restarted, &c.name), c.id));
}

#[test]
fn a_customer_another_device_created_offline_shows_as_a_pair_after_sync() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    // One of the dispatcher's own store: pairs are shown to those who may merge them.
    let me = model.user().cloned().unwrap();
    let existing = model
        .replica
        .customers()
        .find(|c| c.merged_into.is_none() && !c.phones.is_empty() && me.manages_store(c.store))
        .cloned()
        .unwrap();
    let mut twin = existing.clone();
    twin.id = CustomerId::new();
    twin.name = format!("{} ", existing.name);
    let sync = |twin: &Customer| {
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![],
            changes: vec![Change::Put {
                record: Box::new(Record::Customer(twin.clone())),
            }],
            cursor: 5,
            more: false,
            server_time: None,
            wipe: false,
            reset: false,
        })))
    };
    drive(&mut model, sync(&twin), t0());
    let pairs = ViewModel::from(&model).lookup.possible_duplicates;
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let ids = [pairs[0].a.customer, pairs[0].b.customer];
    assert!(ids.contains(&existing.id) && ids.contains(&twin.id));
    assert_eq!(pairs[0].a.reason, "Same phone number");

    // Technicians are not shown pairs they cannot merge.
    let mut tech = signed_in(user_with(Role::Technician));
    drive(&mut tech, sync(&twin), t0());
    assert!(ViewModel::from(&tech).lookup.possible_duplicates.is_empty());

    // "Not duplicates" hides the pair, also when the twin changes again.
    drive(
        &mut model,
        Event::Lookup(LookupEvent::NotDuplicates {
            a: twin.id,
            b: existing.id,
        }),
        t0(),
    );
    assert!(
        ViewModel::from(&model)
            .lookup
            .possible_duplicates
            .is_empty()
    );
    twin.name.push('.');
    drive(&mut model, sync(&twin), t0());
    assert!(
        ViewModel::from(&model)
            .lookup
            .possible_duplicates
            .is_empty()
    );

    // Merging clears a pair.
    let mut triplet = existing.clone();
    triplet.id = CustomerId::new();
    drive(&mut model, sync(&triplet), t0());
    // With both the existing customer and the twin.
    assert_eq!(ViewModel::from(&model).lookup.possible_duplicates.len(), 2);
    let admin = signed_in(|m| {
        m.users()
            .find(|u| u.roles.contains(&Role::Admin))
            .map(|u| u.id)
            .unwrap()
    });
    model.lifecycle = admin.lifecycle;
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Merge {
            keep: existing.id,
            remove: triplet.id,
        }),
        t0(),
    );
    assert!(
        ViewModel::from(&model)
            .lookup
            .possible_duplicates
            .is_empty(),
        "{:?}",
        model.notice
    );
}

#[test]
fn a_refused_save_keeps_the_form_open_with_everything_typed() {
    let mut model = signed_in(user_with(Role::Sales));
    drive(&mut model, Event::Lookup(LookupEvent::NewCustomer), t0());
    // Longer than a name may be: `apply` refuses it on the device.
    let draft = CustomerDraft {
        name: "Ada Quimby ".repeat(30),
        phones: vec!["13000000017".into()],
        ..CustomerDraft::default()
    };
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Draft(draft.clone())),
        t0(),
    );
    let queued = model.outbox.len();
    drive(&mut model, Event::Lookup(LookupEvent::SaveCustomer), t0());
    assert_eq!(model.outbox.len(), queued, "nothing was queued");
    let form = ViewModel::from(&model)
        .lookup
        .form
        .expect("the form is still open");
    assert_eq!(form.draft, draft, "nothing typed is lost");
    assert!(!form.saving);
    let error = form.error.expect("the reason is on the form");
    assert!(error.contains("name"), "{error}");

    // Fixing the name clears the error; the save then closes the form.
    let fixed = CustomerDraft {
        name: "Ada Quimby".into(),
        ..draft
    };
    drive(&mut model, Event::Lookup(LookupEvent::Draft(fixed)), t0());
    assert_eq!(
        ViewModel::from(&model).lookup.form.unwrap().error,
        None,
        "editing clears the old reason"
    );
    drive(&mut model, Event::Lookup(LookupEvent::SaveCustomer), t0());
    assert_eq!(model.outbox.len(), queued + 1);
    assert!(ViewModel::from(&model).lookup.form.is_none());
}

#[test]
fn only_customers_this_person_may_edit_offer_editing() {
    let mut model = signed_in(user_with(Role::Sales));
    let me = model.user().unwrap().clone();
    let theirs = model
        .replica
        .customers()
        .find(|c| c.owner.is_some() && c.owner != Some(me.id))
        .cloned()
        .unwrap();
    let vm = search(&mut model, &theirs.name);
    let shown = vm
        .lookup
        .results
        .iter()
        .find(|r| r.customer == theirs.id)
        .expect("found by name");
    assert!(!shown.editable);
    drive(
        &mut model,
        Event::Lookup(LookupEvent::EditCustomer(theirs.id)),
        t0(),
    );
    assert!(
        model.lookup.form.is_none(),
        "no form for someone else's customer"
    );
    assert!(model.notice.is_some());
}

#[test]
fn the_phone_field_is_read_by_the_core_and_a_manager_is_offered_the_merge() {
    let mut model = signed_in(user_with(Role::Dispatcher));
    let me = model.user().cloned().unwrap();
    let mut mine = model
        .replica
        .customers()
        .filter(|c| c.merged_into.is_none() && !c.phones.is_empty() && me.manages_store(c.store))
        .cloned();
    let (a, b) = (mine.next().unwrap(), mine.next().unwrap());
    drop(mine);
    drive(
        &mut model,
        Event::Lookup(LookupEvent::EditCustomer(a.id)),
        t0(),
    );
    let typed = format!("{}，  ; 010-1234 5678、", b.phones[0].raw);
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Type {
            field: FormField::Phones,
            text: typed.clone(),
        }),
        t0(),
    );
    let form = ViewModel::from(&model).lookup.form.unwrap();
    assert_eq!(
        form.draft.phones,
        vec![b.phones[0].raw.clone(), "010-1234 5678".to_owned()],
        "separators of both languages, blanks dropped"
    );
    let shown = form
        .fields
        .iter()
        .find(|f| f.field == FormField::Phones)
        .unwrap();
    assert_eq!(shown.value, typed, "the field shows what was typed");
    assert!(form.duplicates.iter().any(|d| d.customer == b.id));
    assert!(form.can_merge, "a dispatcher manages both customers' store");
}

/// Issue 16, item 5: a customer typed with an address in words only is put at their
/// district's centre, flagged approximate, so that their jobs can be suggested at once.
#[test]
fn a_customer_typed_in_words_only_is_placed_at_the_districts_centre() {
    let mut model = signed_in(user_with(Role::Sales));
    drive(&mut model, Event::Lookup(LookupEvent::NewCustomer), t0());
    let draft = CustomerDraft {
        name: "顾客甲".into(),
        phones: vec!["13000000029".into()],
        address: domain::places::Address {
            province: "上海市".into(),
            city: "上海市".into(),
            district: "徐汇区".into(),
            street: "漕溪北路".into(),
            detail: "88号".into(),
            ..domain::places::Address::default()
        },
    };
    drive(
        &mut model,
        Event::Lookup(LookupEvent::Draft(draft.clone())),
        t0(),
    );
    drive(&mut model, Event::Lookup(LookupEvent::SaveCustomer), t0());
    let made = model
        .replica
        .customers()
        .find(|c| c.name == "顾客甲")
        .expect("saved");
    assert!(made.address.approximate);
    assert_eq!(
        made.address.location,
        domain::places::districts::centre(&draft.address)
    );
}
