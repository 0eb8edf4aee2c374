//! The device database as a phone would keep it: every test runs the core against a
//! [`Device`] that outlives the core, restarts a fresh core on it, and looks at what was
//! written.

use std::collections::BTreeMap;

use super::*;
use crate::effects::store::Table;
use crate::model::TechnicianEvent;
use crate::model::fake_shell::{Device, FakeShell, Outcome, Reply};
use crate::model::tests::{t0, technician_with_an_assigned_job};
use crate::model::{Event, Internal, Model};
use crate::view::ViewModel;
use domain::jobs::JobStatus;
use domain::sync::{OpResult, OpStatus, SyncResponse};

fn phone(device: &Device) -> FakeShell {
    FakeShell {
        device: Some(device.clone()),
        ..FakeShell::at(t0())
    }
}

/// A technician with an assigned job whose first sync (every record, cursor 5) and session
/// are on `device`.
fn synced_technician(device: &Device) -> (Model, domain::ids::JobId) {
    let (mut model, job) = technician_with_an_assigned_job();
    let records: Vec<Record> = model.replica.iter().cloned().collect();
    let shell = phone(device);
    shell.run(&mut model, page_of(records, vec![], 5));
    let session = model.session().cloned().unwrap();
    shell.run(
        &mut model,
        Event::internal(Internal::Refreshed(Ok(session))),
    );
    (model, job)
}

/// [`synced_technician`], who then sets out for the job (one op queued and on the device).
fn on_the_way(device: &Device) -> (Model, domain::ids::JobId) {
    let (mut model, job) = synced_technician(device);
    phone(device).run(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
    );
    (model, job)
}

fn page_of(records: Vec<Record>, results: Vec<OpResult>, cursor: u64) -> Event {
    Event::internal(Internal::Synced(Ok(SyncResponse {
        results,
        changes: records
            .into_iter()
            .map(|r| Change::Put {
                record: Box::new(r),
            })
            .collect(),
        cursor,
        more: false,
        server_time: None,
        wipe: false,
        reset: false,
    })))
}

fn start(shell: &FakeShell) -> (Model, Outcome) {
    let mut model = Model::default();
    let out = shell.run(
        &mut model,
        Event::Start {
            server_url: "http://127.0.0.1:9".into(),
            device_id: "test-device".into(),
        },
    );
    (model, out)
}

fn job_status(model: &Model, job: domain::ids::JobId) -> JobStatus {
    model.replica.jobs().find(|j| j.id == job).unwrap().status
}

fn sync_body(out: &Outcome) -> serde_json::Value {
    let req = out
        .http
        .iter()
        .find(|r| r.url.ends_with("/v1/sync"))
        .expect("a sync");
    serde_json::from_slice(&req.body).unwrap()
}

#[test]
fn a_restart_finds_the_replica_and_the_queued_change_on_the_device() {
    let device = Device::default();
    let (model, job) = on_the_way(&device);
    let shell = phone(&device);
    assert_eq!(
        device.table(Table::Outbox).len(),
        1,
        "the op is on the device"
    );

    // The page was stored as the server sent it, without the local change.
    let stored_job = device
        .table(Table::Replica)
        .get(&record_key(&RecordKey::Job(job)))
        .map(|v| serde_json::from_slice::<Record>(v).unwrap());
    assert!(matches!(stored_job, Some(Record::Job(j)) if j.status == JobStatus::Assigned));

    let (fresh, out) = start(&shell);
    assert!(fresh.is_active(), "the session came back");
    assert_eq!(fresh.cursor, 5);
    assert_eq!(fresh.replica_owner, model.replica_owner);
    assert_eq!(fresh.outbox.len(), 1);
    assert_eq!(
        job_status(&fresh, job),
        JobStatus::EnRoute,
        "the queued change is applied again on the stored replica"
    );
    let differ: Vec<_> = fresh
        .replica
        .iter()
        .filter(|r| model.replica.record(&r.key()) != Some(*r))
        .map(Record::key)
        .collect();
    assert!(
        differ.is_empty(),
        "the same records, change included: {differ:?}"
    );
    assert_eq!(fresh.replica.len(), model.replica.len());
    let body = sync_body(&out);
    assert_eq!(body["cursor"], 5);
    assert_eq!(
        body["ops"].as_array().unwrap().len(),
        1,
        "and it goes to the server"
    );
}

#[test]
fn a_write_costs_what_changed_not_the_replica() {
    let device = Device::default();
    let (mut model, job) = synced_technician(&device);
    let records = device.table(Table::Replica).len();
    assert!(records > 300, "a replica worth measuring ({records})");
    let shell = phone(&device);

    let out = shell.run(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
    );
    assert_eq!(out.written(Table::Outbox).len(), 1);
    assert!(
        out.written(Table::Replica).is_empty(),
        "a change writes its op only"
    );

    // The server acknowledges it and sends the job and one more record.
    let op = model.outbox.ops().next().unwrap().id;
    let mut changed = model.replica.jobs().find(|j| j.id == job).cloned().unwrap();
    changed.status = JobStatus::EnRoute;
    let other = model.replica.customers().next().cloned().unwrap();
    let out = shell.run(
        &mut model,
        page_of(
            vec![Record::Job(changed), Record::Customer(other)],
            vec![OpResult {
                op,
                status: OpStatus::Applied {
                    changed: vec![RecordKey::Job(job)],
                },
            }],
            6,
        ),
    );
    let writes: Vec<&Write> = out
        .store
        .iter()
        .filter_map(|r| match r {
            store::StoreRequest::Write { writes } => Some(writes),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(
        writes.len(),
        4,
        "two records, the cursor, the settled op: {writes:?}"
    );
    assert_eq!(out.written(Table::Outbox), vec![op_key(0)]);
    assert!(device.table(Table::Outbox).is_empty());
    assert_eq!(device.table(Table::Replica).len(), records);

    // A sync that brings nothing writes nothing.
    let out = shell.run(&mut model, page_of(vec![], vec![], 6));
    assert!(
        !out.store
            .iter()
            .any(|r| matches!(r, store::StoreRequest::Write { .. })),
        "{:?}",
        out.store
    );
}

#[test]
fn a_change_shows_as_saving_until_the_device_has_it() {
    let device = Device::default();
    let (mut model, job) = synced_technician(&device);
    // A shell that has not answered the write yet.
    let slow = FakeShell::at(t0());
    slow.run(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
    );
    let view = ViewModel::from(&model);
    assert!(view.sync.saving);
    assert_eq!(
        view.pending_words.as_deref(),
        Some("Saving 1 change on this device…")
    );
    // Answered: it is saved, and waits for the server.
    let written = phone(&device);
    let mut cmd = model.save_outbox();
    assert!(
        cmd.is_done(),
        "nothing new to write while the first write is out"
    );
    written.run(
        &mut model,
        Event::internal(Internal::Stored(Box::new(Stored {
            result: Ok(()),
            added: vec![0],
            removed: vec![],
            replica: false,
            moves_legacy: false,
        }))),
    );
    let view = ViewModel::from(&model);
    assert!(!view.sync.saving);
    assert_eq!(
        view.pending_words.as_deref(),
        Some("1 change waiting to sync")
    );
}

#[test]
fn an_unreadable_replica_is_fetched_again_and_the_queue_is_kept() {
    let device = Device::default();
    on_the_way(&device);
    // Cut one record short, as a crash in the middle of a disk write might.
    {
        let mut db = device.tables();
        let replica = db.tables.get_mut(&Table::Replica).unwrap();
        let (_, value) = replica.iter_mut().nth(3).unwrap();
        value.truncate(value.len() / 2);
    }
    let (fresh, out) = start(&phone(&device));
    assert!(fresh.is_active());
    assert_eq!(fresh.cursor, 0, "everything is fetched again");
    assert!(
        device.table(Table::Replica).is_empty(),
        "the broken copy is dropped"
    );
    assert_eq!(
        device.table(Table::Outbox).len(),
        1,
        "the queued op is kept"
    );
    let body = sync_body(&out);
    assert_eq!(body["cursor"], 0);
    assert_eq!(body["ops"].as_array().unwrap().len(), 1);
    let notice = ViewModel::from(&fresh).notice.expect("told");
    assert!(notice.contains("replica"), "{notice}");
}

#[test]
fn an_unreadable_op_is_told_and_left_on_the_device() {
    let device = Device::default();
    on_the_way(&device);
    let shell = phone(&device);
    device
        .tables()
        .tables
        .get_mut(&Table::Outbox)
        .unwrap()
        .insert(op_key(1), b"{\"id\":".to_vec());
    let (fresh, _) = start(&shell);
    assert_eq!(fresh.outbox.len(), 1, "the readable op is queued");
    assert!(
        ViewModel::from(&fresh).notice.is_some(),
        "the other is told"
    );
    assert_eq!(device.table(Table::Outbox).len(), 2, "and not deleted");
}

#[test]
fn a_full_storage_is_told_with_the_room_used_and_loses_nothing() {
    let device = Device::default();
    let (mut model, job) = synced_technician(&device);
    device.tables().full = true;
    let shell = FakeShell {
        http: Some(Reply::Offline),
        budget: Some(200),
        ..phone(&device)
    };
    shell.run(
        &mut model,
        Event::Technician(TechnicianEvent::StartTravel(job)),
    );
    let view = ViewModel::from(&model);
    let notice = view.notice.expect("told");
    assert!(notice.contains("full"), "{notice}");
    let room = view.sync.storage.expect("the room used is shown");
    assert!(room.contains("MB"), "{room}");
    assert_eq!(model.outbox.len(), 1, "the change is kept in memory");
    assert_eq!(job_status(&model, job), JobStatus::EnRoute);
    assert!(view.sync.saving, "and not called saved");

    // Room again: the next change writes both.
    device.tables().full = false;
    shell.run(&mut model, Event::Technician(TechnicianEvent::Arrive(job)));
    assert_eq!(device.table(Table::Outbox).len(), 2);
    let (fresh, _) = start(&phone(&device));
    assert_eq!(job_status(&fresh, job), JobStatus::OnSite);
}

#[test]
fn a_page_that_could_not_be_written_is_fetched_again_after_a_restart() {
    let device = Device::default();
    let (mut model, _) = synced_technician(&device);
    let shell = phone(&device);
    let mut customer = model.replica.customers().next().cloned().unwrap();
    customer.name = "Page Seven".into();
    device.tables().full = true;
    shell.run(
        &mut model,
        page_of(vec![Record::Customer(customer.clone())], vec![], 7),
    );
    device.tables().full = false;
    customer.name = "Page Eight".into();
    let other = model.replica.customers().nth(1).cloned().unwrap();
    shell.run(
        &mut model,
        page_of(vec![Record::Customer(other)], vec![], 8),
    );
    // The cursor on the device did not pass the page it is missing.
    let (fresh, out) = start(&shell);
    assert_eq!(fresh.cursor, 5);
    assert_eq!(sync_body(&out)["cursor"], 5);
}

#[test]
fn ops_and_the_session_kept_by_older_versions_are_moved_into_the_tables() {
    // What a version before the device database left in localStorage.
    let (mut old, job) = {
        let device = Device::default();
        synced_technician(&device)
    };
    FakeShell::at(t0()).run(
        &mut old,
        Event::Technician(TechnicianEvent::StartTravel(job)),
    );
    #[derive(serde::Serialize)]
    struct OldReplica<'a> {
        cursor: u64,
        records: &'a MemoryRecords,
        owner: Option<UserId>,
    }
    let kv: BTreeMap<String, Vec<u8>> = [
        (
            "rounds/session",
            serde_json::to_vec(old.session().unwrap()).unwrap(),
        ),
        ("rounds/outbox", serde_json::to_vec(&old.outbox).unwrap()),
        (
            "rounds/replica",
            serde_json::to_vec(&OldReplica {
                cursor: 5,
                records: &old.replica,
                owner: old.replica_owner,
            })
            .unwrap(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let device = Device::default();
    let shell = FakeShell {
        kv: Some(kv),
        ..phone(&device)
    };
    let (moved, out) = start(&shell);
    assert!(moved.is_active());
    assert_eq!(moved.outbox.len(), 1, "the queued change is still queued");
    assert_eq!(job_status(&moved, job), JobStatus::EnRoute);
    assert!(!device.table(Table::Replica).is_empty());
    assert!(
        device.table(Table::Meta).contains_key(SESSION),
        "the session is in the tables"
    );
    assert_eq!(
        sync_body(&out)["cursor"],
        0,
        "the old replica had local changes in it: everything is fetched again"
    );
    for key in ["rounds/session", "rounds/outbox", "rounds/replica"] {
        assert!(out.kv_deleted.contains(&key.to_owned()), "{key} removed");
    }

    // Started again: from the tables, not the old keys.
    let (again, _) = start(&phone(&device));
    assert_eq!(again.outbox.len(), 1);
    assert_eq!(job_status(&again, job), JobStatus::EnRoute);
}

#[test]
fn another_person_signing_in_leaves_nothing_of_the_last_on_the_device() {
    let device = Device::default();
    let (mut model, _) = synced_technician(&device);
    let shell = phone(&device);
    let other = model
        .replica
        .users()
        .find(|u| Some(u.id) != model.replica_owner)
        .cloned()
        .unwrap();
    let mut session = model.session().cloned().unwrap();
    session.user = other;
    model.lifecycle = crate::model::Lifecycle::SignedOut(Default::default());
    shell.run(&mut model, Event::internal(Internal::SignedIn(Ok(session))));
    assert!(device.table(Table::Replica).is_empty());
    let (fresh, _) = start(&shell);
    assert!(fresh.replica.is_empty());
    assert_eq!(fresh.cursor, 0);
}

/// A dispatcher's store at a chain's size, in miniature: the board's records are read first
/// and shown, everything else after the first frame; what happens in between waits for it.
#[test]
fn a_large_replica_starts_with_the_board_and_reads_the_rest_after_it() {
    use crate::model::tests::{signed_in, user_with};
    use crate::view::{DispatcherScreen, Screen};
    use domain::org::Role;

    let device = Device::default();
    let mut model = signed_in(user_with(Role::Dispatcher));
    let records: Vec<Record> = model.replica.iter().cloned().collect();
    let shell = phone(&device);
    shell.run(&mut model, page_of(records, vec![], 5));
    let session = model.session().cloned().unwrap();
    shell.run(
        &mut model,
        Event::internal(Internal::Refreshed(Ok(session))),
    );
    // With the follow-ups the rules raised on the device, waiting to be sent.
    let all = model.replica.len();
    assert!(!device.table(Table::Outbox).is_empty());
    let board_then = match ViewModel::from(&model).screen {
        Screen::Dispatcher(DispatcherScreen::Board(b)) => b,
        other => panic!("{other:?}"),
    };

    // Start again on that device, with the second step held back.
    let mut fresh = Model::default();
    fresh.store.two_step_above = 10;
    let paused = FakeShell {
        yields: false,
        ..phone(&device)
    };
    let out = paused.run(
        &mut fresh,
        Event::Start {
            server_url: "http://127.0.0.1:9".into(),
            device_id: "test-device".into(),
        },
    );
    assert!(fresh.loading_rest(), "in two steps");
    assert!(
        fresh.replica.len() < all / 2,
        "{} of {all}",
        fresh.replica.len()
    );
    assert_eq!(fresh.replica.follow_ups().count(), 0);
    assert!(out.http.is_empty(), "the sync waits for the whole replica");
    let Screen::Dispatcher(DispatcherScreen::Board(first)) = ViewModel::from(&fresh).screen else {
        panic!("the board first");
    };
    assert_eq!(
        first.unassigned, board_then.unassigned,
        "the queue, customers named"
    );
    assert_eq!(first.technicians, board_then.technicians);
    // A tap before the rest is read waits for it; nothing is lost.
    let out = paused.run(&mut fresh, Event::SyncNow);
    assert!(out.http.is_empty());

    // The rest, once the frame is out: the whole replica, then the sync and the tap.
    let out = paused.run(&mut fresh, Event::internal(Internal::LoadRest));
    assert!(!fresh.loading_rest());
    assert_eq!(fresh.replica.len(), all);
    assert!(
        fresh
            .replica
            .iter()
            .all(|r| model.replica.record(&r.key()) == Some(r))
    );
    assert!(fresh.lookup.index.is_some(), "search works at once");
    assert!(
        !out.http.is_empty(),
        "the start-up sync, and the one asked for"
    );
    let Screen::Dispatcher(DispatcherScreen::Board(after)) = ViewModel::from(&fresh).screen else {
        panic!("the board");
    };
    assert_eq!(after, board_then);

    // A shell that yields does both steps on its own.
    let mut again = Model::default();
    again.store.two_step_above = 10;
    phone(&device).run(
        &mut again,
        Event::Start {
            server_url: "http://127.0.0.1:9".into(),
            device_id: "test-device".into(),
        },
    );
    assert!(!again.loading_rest());
    assert_eq!(again.replica.len(), all);

    // Pending ops are replayed over the whole replica: then a start is in one step.
    let me = again.user().unwrap().clone();
    let (job, technician) = again
        .replica
        .jobs()
        .filter(|j| j.technician.is_none() && j.is_open() && me.manages_store(j.store))
        .find_map(|j| {
            let able = again.replica.iter().find_map(|r| match r {
                Record::Technician(p)
                    if p.store == j.store
                        && j.required_skills.iter().all(|s| p.skills.contains(s)) =>
                {
                    Some(p.user)
                }
                _ => None,
            })?;
            Some((j.id, able))
        })
        .unwrap();
    phone(&device).run(
        &mut again,
        Event::Dispatcher(crate::model::DispatcherEvent::Assign { job, technician }),
    );
    assert!(
        again
            .outbox
            .ops()
            .any(|op| !crate::model::followups::is_rule_made(op)),
        "{:?}",
        again.notice
    );
    let mut busy = Model::default();
    busy.store.two_step_above = 10;
    paused.run(
        &mut busy,
        Event::Start {
            server_url: "http://127.0.0.1:9".into(),
            device_id: "test-device".into(),
        },
    );
    assert!(!busy.loading_rest());
    assert_eq!(busy.replica.len(), all);
    assert!(
        busy.replica
            .jobs()
            .any(|j| j.id == job && j.technician == Some(technician))
    );
}

/// A server restored from a backup taken before this device's last sync answers `reset`: the
/// device empties its replica (in memory and stored), syncs again from 0, and keeps the change
/// it had not sent yet, which goes out with that sync and is applied again once the job
/// arrives. A restart in between finds the same: an empty replica at cursor 0, the op queued.
#[test]
fn a_server_restored_from_a_backup_makes_the_device_fetch_everything_again_and_keeps_its_queue() {
    let device = Device::default();
    let (mut model, job) = on_the_way(&device);
    let shell = phone(&device);
    let job_record = model.replica.record(&RecordKey::Job(job)).cloned().unwrap();
    let out = shell.run(
        &mut model,
        Event::internal(Internal::Synced(Ok(SyncResponse {
            results: vec![],
            changes: vec![],
            cursor: 0,
            more: true,
            server_time: None,
            wipe: false,
            reset: true,
        }))),
    );
    assert_eq!(model.cursor, 0);
    assert!(
        model.replica.record(&RecordKey::Job(job)).is_none(),
        "nothing of the old replica stays"
    );
    assert!(device.table(Table::Replica).is_empty(), "nor on the device");
    assert_eq!(device.table(Table::Outbox).len(), 1, "the change is kept");
    let body = sync_body(&out);
    assert_eq!(body["cursor"], 0, "everything is asked for again");
    assert_eq!(body["ops"].as_array().unwrap().len(), 1, "with the change");
    let notice = ViewModel::from(&model).notice.unwrap_or_default();
    assert!(notice.contains("restored from a backup"), "{notice}");

    let (fresh, _) = start(&shell);
    assert_eq!((fresh.cursor, fresh.outbox.len()), (0, 1));
    assert!(fresh.replica.record(&RecordKey::Job(job)).is_none());

    // The first page brings the job back: the change is on it again until the server
    // answers for it.
    shell.run(&mut model, page_of(vec![job_record], vec![], 3));
    assert_eq!(job_status(&model, job), JobStatus::EnRoute);
    assert_eq!(model.outbox.len(), 1);
}
