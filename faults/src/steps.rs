//! What the people and the network do in a run, for proptest to generate.

use std::collections::BTreeMap;

use domain::ids::{CustomerId, UserId};
use domain::jobs::JobStatus;
use domain::ops::Record;
use domain::org::{Role, User};
use proptest::prelude::*;
use shared::model::lookup::FormField;
use shared::model::{DispatcherEvent, Event, LookupEvent, TechnicianEvent};

use crate::{Broken, Fault, World};

/// The devices: two technicians of one store (0, 1), its dispatcher (2), who reassigns their
/// jobs meanwhile, and a sales rep of the store (3). The dispatcher and the rep both keep the
/// rep's customers up to date (`ops::customers::may_change`: the store's manager, and the rep
/// who owns the customer; technicians edit no customer), so they are who edits customers.
pub fn people(records: &[Record]) -> Vec<User> {
    let users: Vec<&User> = records
        .iter()
        .filter_map(|r| match r {
            Record::User(u) => Some(u),
            _ => None,
        })
        .collect();
    let dispatcher = users
        .iter()
        .find(|u| u.roles == vec![Role::Dispatcher])
        .map(|u| (*u).clone())
        .expect("a dispatcher");
    let store = dispatcher.stores[0];
    let mut picked: Vec<User> = users
        .iter()
        .filter(|u| u.roles == vec![Role::Technician] && u.stores.contains(&store))
        .take(2)
        .map(|u| (*u).clone())
        .collect();
    picked.push(dispatcher);
    // The store's rep with the most customers: several to choose from.
    let mut owned: BTreeMap<UserId, usize> = BTreeMap::new();
    for r in records {
        if let Record::Customer(c) = r
            && c.store == store
            && let Some(o) = c.owner
        {
            *owned.entry(o).or_default() += 1;
        }
    }
    let rep = users
        .iter()
        .filter(|u| u.roles == vec![Role::Sales] && u.stores.contains(&store))
        .max_by_key(|u| (owned.get(&u.id).copied().unwrap_or(0), u.id))
        .map(|u| (*u).clone())
        .expect("a sales rep");
    picked.push(rep);
    picked
}

/// The devices whose people edit customers (see [`people`]).
const EDITORS: std::ops::Range<usize> = 2..4;

/// How many customers the editors work on: few, so that their edits often cross.
const EDITED: usize = 2;

#[derive(Clone, Debug)]
pub enum Step {
    /// The person on a device works a job (by index among what their device shows).
    Work { device: usize, job: usize, step: u8 },
    /// The person opens the customer form and leaves it open for now: what the form shows
    /// is what their edit will say they saw, whatever arrives meanwhile.
    Open { device: usize, customer: usize },
    /// The person changes one field (name, phones or street) to one of a few values and
    /// saves, in the form they left open or in one they open now.
    Edit {
        device: usize,
        customer: usize,
        field: FormField,
        value: u8,
    },
    /// The network carries a device's oldest request.
    Deliver { device: usize, fault: Fault },
    /// A device's storage finishes some writes.
    Write { device: usize, n: usize },
    /// A device asks to sync.
    Sync { device: usize },
    /// A device restarts, losing unfinished writes.
    Restart { device: usize },
    /// Requests left in flight by restarted devices arrive.
    Orphans,
    /// The server's store crashes and is reopened from its files.
    Crash,
}

pub fn step() -> impl Strategy<Value = Step> {
    step_with_crashes(1)
}

/// The same steps with crashes of the server `crash` times as likely (a cluster of several
/// instances wants more of them to have some down while others serve).
pub fn step_with_crashes(crash: u32) -> impl Strategy<Value = Step> {
    let fault = prop_oneof![
        4 => Just(Fault::None),
        1 => Just(Fault::DropRequest),
        1 => Just(Fault::DropResponse),
        1 => Just(Fault::Duplicate),
    ];
    let field = prop_oneof![
        Just(FormField::Name),
        Just(FormField::Phones),
        Just(FormField::Street),
    ];
    prop_oneof![
        5 => (0..3usize, 0..8usize, 0..4u8).prop_map(|(device, job, step)| Step::Work { device, job, step }),
        2 => (EDITORS, 0..EDITED).prop_map(|(device, customer)| Step::Open { device, customer }),
        5 => (EDITORS, 0..EDITED, field, 0..4u8).prop_map(|(device, customer, field, value)| Step::Edit { device, customer, field, value }),
        7 => (0..4usize, fault).prop_map(|(device, fault)| Step::Deliver { device, fault }),
        4 => (0..4usize, 1..4usize).prop_map(|(device, n)| Step::Write { device, n }),
        3 => (0..4usize).prop_map(|device| Step::Sync { device }),
        1 => (0..4usize).prop_map(|device| Step::Restart { device }),
        1 => Just(Step::Orphans),
        crash => Just(Step::Crash),
    ]
}

/// What the person does: a technician moves their job on; the dispatcher hands a job of the
/// store to the other technician (or takes it back).
fn work(world: &World, device: usize, job: usize, step: u8) -> Option<Event> {
    let me = &world.devices[device].user;
    let records = world.devices[device].stored_records();
    let mut jobs: Vec<_> = records
        .iter()
        .filter_map(|r| match r {
            Record::Job(j) if j.is_open() && j.store == me.stores[0] => Some(j.clone()),
            _ => None,
        })
        .collect();
    jobs.sort_by_key(|j| j.id);
    if me.has(Role::Technician) {
        let mine: Vec<_> = jobs
            .iter()
            .filter(|j| j.technician == Some(me.id))
            .collect();
        let j = mine.get(job % mine.len().max(1))?;
        Some(Event::Technician(match (j.status, step % 2) {
            (JobStatus::Assigned, _) => TechnicianEvent::StartTravel(j.id),
            (JobStatus::EnRoute, _) => TechnicianEvent::Arrive(j.id),
            _ => return None,
        }))
    } else {
        let techs: Vec<_> = world.devices[..2].iter().map(|d| d.user.id).collect();
        let j = jobs.get(job % jobs.len().max(1))?;
        Some(Event::Dispatcher(match step % 3 {
            0 => DispatcherEvent::Unassign(j.id),
            n => DispatcherEvent::Assign {
                job: j.id,
                technician: techs[usize::from(n) - 1],
            },
        }))
    }
}

/// The value typed into a field: one of a few, so that two people sometimes type the same.
fn typed(field: FormField, value: u8) -> String {
    match field {
        FormField::Phones => format!("1380013800{value}"),
        FormField::Street => format!("{value} Edited Street"),
        _ => format!("Edited Name {value}"),
    }
}

/// The customers the editors work on: the rep's, which the dispatcher keeps too.
fn edited(world: &World) -> Vec<CustomerId> {
    let rep = &world.devices[EDITORS.end - 1].user;
    let mut ids: Vec<CustomerId> = world.devices[EDITORS.start]
        .stored_records()
        .iter()
        .filter_map(|r| match r {
            Record::Customer(c) if c.owner == Some(rep.id) && c.merged_into.is_none() => Some(c.id),
            _ => None,
        })
        .collect();
    ids.sort();
    ids.truncate(EDITED);
    ids
}

/// Runs the steps, then lets everything settle and checks the world.
pub fn run(world: &mut World, steps: Vec<Step>) -> Result<(), Broken> {
    // Everyone's first sync, untroubled.
    world.settle()?;
    let customers = edited(world);
    if customers.is_empty() {
        return Err(Broken("the rep has no customers to edit".into()));
    }
    // Whether a device has a customer form open (a restart closes it).
    let mut open = vec![false; world.devices.len()];
    for s in steps {
        match s {
            Step::Work { device, job, step } => {
                if let Some(event) = work(world, device, job, step) {
                    world.act(device, event);
                }
            }
            Step::Open { device, customer } => {
                let id = customers[customer % customers.len()];
                world.act(device, Event::Lookup(LookupEvent::EditCustomer(id)));
                open[device] = true;
            }
            Step::Edit {
                device,
                customer,
                field,
                value,
            } => {
                if !std::mem::take(&mut open[device]) {
                    let id = customers[customer % customers.len()];
                    world.act(device, Event::Lookup(LookupEvent::EditCustomer(id)));
                }
                let text = typed(field, value);
                world.act(device, Event::Lookup(LookupEvent::Type { field, text }));
                world.act(device, Event::Lookup(LookupEvent::SaveCustomer));
            }
            Step::Deliver { device, fault } => world.deliver(device, fault)?,
            Step::Write { device, n } => world.write(device, n),
            Step::Sync { device } => world.act(device, Event::SyncNow),
            Step::Restart { device } => {
                world.restart(device);
                open[device] = false;
            }
            Step::Orphans => world.deliver_orphans()?,
            Step::Crash => world.crash_server()?,
        }
    }
    world.settle()?;
    world.check()
}
