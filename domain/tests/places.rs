//! Every customer on the map (issue 16, item 5): a customer made without a position is put on
//! the map from the technician's phone at the door (or picked by their staff), and the jobs
//! going to that address follow, so they can be suggested and planned.

use domain::customers::{CustomerKind, Tier};
use domain::ids::CustomerId;
use domain::jobs::{Priority, ServiceType};
use domain::ops::records::RecordsExt;
use domain::ops::*;
use domain::org::{Role, User};
use domain::places::{Address, LatLng};

mod common;
use common::run;

#[test]
fn the_technician_at_the_door_puts_the_customer_on_the_map_and_the_job_follows() {
    let mut w = common::world(9, 2, 1, 2);
    let people: Vec<User> = w.users().cloned().collect();
    let by = |role: Role| people.iter().find(|u| u.roles == vec![role]).unwrap();
    let dispatcher = by(Role::Dispatcher);
    let store = dispatcher.stores[0];
    let techs: Vec<&User> = people
        .iter()
        .filter(|u| u.roles == vec![Role::Technician] && u.in_store(store))
        .collect();
    // A customer typed in the app: words, no position.
    let customer = CustomerId::new();
    run(
        &mut w,
        dispatcher,
        OpKind::CreateCustomer(NewCustomer {
            id: customer,
            store,
            name: "新客户".into(),
            phones: vec!["13900001111".into()],
            address: Address {
                city: "上海市".into(),
                district: "徐汇区".into(),
                street: "漕溪北路".into(),
                detail: "88号".into(),
                ..Address::default()
            },
            kind: CustomerKind::Individual,
            tags: vec![],
            tier: Tier::Standard,
            marketing_consent: false,
            birthday: None,
            owner: None,
        }),
    )
    .unwrap();
    let new = common::job(customer, ServiceType::Repair, Priority::Normal);
    let job = new.id;
    run(&mut w, dispatcher, OpKind::CreateJob(new)).unwrap();
    assert_eq!(w.job(job).unwrap().service_address.location, None);
    run(
        &mut w,
        dispatcher,
        OpKind::AssignJob {
            job,
            technician: techs[0].id,
            planned_start: None,
            why: Some("no position yet".into()),
            crew: vec![],
        },
    )
    .unwrap();
    let door = LatLng {
        lat: 31.1885,
        lng: 121.4365,
    };
    let place = OpKind::PlaceCustomer {
        customer,
        location: door,
    };
    // Another technician of the store, with no job there, may not.
    assert!(matches!(
        run(&mut w, techs[1], place.clone()),
        Err(OpError::Forbidden(_))
    ));
    run(&mut w, techs[0], place.clone()).unwrap();
    assert_eq!(w.customer(customer).unwrap().address.location, Some(door));
    assert_eq!(
        w.job(job).unwrap().service_address.location,
        Some(door),
        "the open job goes to the same door"
    );
    assert!(
        run(&mut w, techs[0], place).unwrap().changed.is_empty(),
        "the same place again changes nothing"
    );
    let nowhere = OpKind::PlaceCustomer {
        customer,
        location: LatLng {
            lat: 123.0,
            lng: 0.0,
        },
    };
    assert!(matches!(
        run(&mut w, dispatcher, nowhere),
        Err(OpError::Invalid { .. })
    ));
}
