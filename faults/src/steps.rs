//! What the people and the network do in a run, for proptest to generate.

use domain::jobs::JobStatus;
use domain::ops::Record;
use domain::org::{Role, User};
use proptest::prelude::*;
use shared::model::{DispatcherEvent, Event, TechnicianEvent};

use crate::{Broken, Fault, World};

/// Two technicians of one store and its dispatcher, who reassigns their jobs meanwhile.
pub fn people(users: &[User]) -> Vec<User> {
    let dispatcher = users
        .iter()
        .find(|u| u.roles == vec![Role::Dispatcher])
        .cloned()
        .expect("a dispatcher");
    let store = dispatcher.stores[0];
    let mut picked: Vec<User> = users
        .iter()
        .filter(|u| u.roles == vec![Role::Technician] && u.stores.contains(&store))
        .take(2)
        .cloned()
        .collect();
    picked.push(dispatcher);
    picked
}

#[derive(Clone, Debug)]
pub enum Step {
    /// The person on a device works a job (by index among what their device shows).
    Work { device: usize, job: usize, step: u8 },
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
    let fault = prop_oneof![
        4 => Just(Fault::None),
        1 => Just(Fault::DropRequest),
        1 => Just(Fault::DropResponse),
        1 => Just(Fault::Duplicate),
    ];
    prop_oneof![
        6 => (0..3usize, 0..8usize, 0..4u8).prop_map(|(device, job, step)| Step::Work { device, job, step }),
        6 => (0..3usize, fault).prop_map(|(device, fault)| Step::Deliver { device, fault }),
        4 => (0..3usize, 1..4usize).prop_map(|(device, n)| Step::Write { device, n }),
        3 => (0..3usize).prop_map(|device| Step::Sync { device }),
        1 => (0..3usize).prop_map(|device| Step::Restart { device }),
        1 => Just(Step::Orphans),
        1 => Just(Step::Crash),
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

/// Runs the steps, then lets everything settle and checks the world.
pub fn run(world: &mut World, steps: Vec<Step>) -> Result<(), Broken> {
    // Everyone's first sync, untroubled.
    world.settle()?;
    for s in steps {
        match s {
            Step::Work { device, job, step } => {
                if let Some(event) = work(world, device, job, step) {
                    world.act(device, event);
                }
            }
            Step::Deliver { device, fault } => world.deliver(device, fault)?,
            Step::Write { device, n } => world.write(device, n),
            Step::Sync { device } => world.act(device, Event::SyncNow),
            Step::Restart { device } => world.restart(device),
            Step::Orphans => world.deliver_orphans()?,
            Step::Crash => world.crash_server()?,
        }
    }
    world.settle()?;
    world.check()
}
