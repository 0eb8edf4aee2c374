//! What the back-office tests share: a small demo organization in memory, ops made by one of
//! its people at one moment, a job of a customer.
#![allow(dead_code, reason = "each test file uses the helpers it needs")]

use chrono::{DateTime, TimeZone, Utc};
use demo::{DemoSize, generate_at};
use domain::ids::{CustomerId, JobId, OpId};
use domain::jobs::{Priority, ServiceType};
use domain::ops::{Applied, MemoryRecords, NewJob, Op, OpError, OpKind, apply};
use domain::org::User;

/// 2026-12-01 10:00 in Shanghai.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
}

/// A demo organization of three stores, with no jobs or leads unless asked for.
pub fn world(
    seed: u64,
    technicians_per_store: usize,
    reps_per_store: usize,
    customers: usize,
) -> MemoryRecords {
    let size = DemoSize {
        technicians_per_store,
        reps_per_store,
        customers,
        open_jobs: 0,
        past_jobs: 0,
        leads: 0,
    };
    let mut world = MemoryRecords::new();
    for r in generate_at(seed, start(), &size).records {
        world.insert(r);
    }
    world
}

/// `kind` made by `actor` at [`start`], applied.
pub fn run(world: &mut MemoryRecords, actor: &User, kind: OpKind) -> Result<Applied, OpError> {
    let op = Op {
        id: OpId::new(),
        actor: actor.id,
        at: start(),
        location: None,
        kind,
    };
    apply(world, &op)
}

/// An hour's job at the customer's address, with no window and no skills.
pub fn job(customer: CustomerId, service: ServiceType, priority: Priority) -> NewJob {
    NewJob {
        id: JobId::new(),
        customer,
        asset: None,
        service_address: None,
        service_type: service,
        description: "E2E job".into(),
        required_skills: vec![],
        estimated_minutes: 60,
        priority,
        windows: vec![],
        crew_size: 1,
    }
}
