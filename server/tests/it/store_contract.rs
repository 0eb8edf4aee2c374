//! One contract for `Store`, run against both backends: sled in a temp dir, and PostgreSQL in
//! a database of its own on the cluster whose URL is in `ROUNDS_TEST_PG`
//! (`bash scripts/pg.sh start` prints one; `scripts/test.sh` sets it). Without it the
//! PostgreSQL half fails under CI (`CI` set) and is skipped, saying so, elsewhere.
//!
//! Each check is a function over a [`Backend`]; `contract!` runs it once per backend. Below the
//! contract, what only PostgreSQL has: two instances writing one organization at once, and
//! failures the database injects (a trigger raising 40001 / 40P01).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use demo::{DemoSize, generate_at};
use domain::customers::{CustomerKind, Tier};
use domain::ids::{CustomerId, OpId, OrgId, StoreId, UserId};
use domain::ops::records::Link;
use domain::ops::{CustomerPatch, NewCustomer, Op, OpError, OpKind, Record, RecordKey, RecordKind};
use domain::org::{Role, User};
use domain::places::Address;
use server::store::{
    AuditEntry, AuditWhat, DeviceSignOut, ErrorKind, Hint, PgStore, RefreshSession, SecondFactor,
    SecondFactorUse, SledStore, Store, Submission,
};

/// Opens the store under test; again after the previous one was dropped, on the same data.
trait Backend {
    fn open(&self) -> Arc<dyn Store>;
    /// Takes the holder index away as a store written before it existed has none (the store
    /// closed), so that the next open has to fill it in.
    fn forget_holder_index(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>;
}

struct Sled {
    dir: tempfile::TempDir,
}

impl Backend for Sled {
    fn open(&self) -> Arc<dyn Store> {
        // A database just closed (a store dropped, or the raw one a test opened behind it)
        // holds its file lock until its background threads have wound down.
        let mut tries = 0;
        loop {
            match SledStore::open(self.dir.path()) {
                Ok(store) => return Arc::new(store),
                Err(e) if tries < 250 && e.to_string().contains("could not acquire lock") => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("opening the sled store: {e}"),
            }
        }
    }

    fn forget_holder_index(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>> {
        Box::pin(async move {
            // The store's own tree, keyed as `store::keys` writes it: `L` and link tag 5 for a
            // holder link, `M` and a name for a note of what was done once.
            // The store just dropped holds the file lock until its threads wind down.
            let mut tries = 0;
            let db = loop {
                match ::sled::open(self.dir.path()) {
                    Ok(db) => break db,
                    Err(e) if tries < 250 && e.to_string().contains("could not acquire lock") => {
                        tries += 1;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Err(e) => panic!("opening the sled database: {e}"),
                }
            };
            let tree = db.open_tree("rounds").unwrap();
            let mut removed = 0;
            for k in tree.scan_prefix([b'L', 5]).keys() {
                tree.remove(k.unwrap()).unwrap();
                removed += 1;
            }
            assert!(removed > 0, "the index was there to forget");
            assert!(tree.remove(b"Mindex:holder-links").unwrap().is_some());
            db.flush().unwrap();
        })
    }
}

fn sled() -> Sled {
    Sled {
        dir: tempfile::tempdir().unwrap(),
    }
}

pub struct Pg {
    pub url: String,
    /// The database's name on the cluster of `ROUNDS_TEST_PG`.
    pub name: String,
}

impl Backend for Pg {
    fn open(&self) -> Arc<dyn Store> {
        Arc::new(PgStore::open(&self.url).unwrap())
    }

    fn forget_holder_index(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>> {
        Box::pin(async move {
            let sql = self.sql().await;
            let removed = sql
                .execute("DELETE FROM links WHERE link_kind = 5", &[])
                .await
                .unwrap();
            assert!(removed > 0, "the index was there to forget");
            sql.execute("DELETE FROM schema_version WHERE version >= 3", &[])
                .await
                .unwrap();
        })
    }
}

impl Pg {
    pub fn store(&self) -> Arc<PgStore> {
        Arc::new(PgStore::open(&self.url).unwrap())
    }

    /// A plain connection to the test's database, for what a test does behind the store.
    pub async fn sql(&self) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
    }
}

/// The cluster of `ROUNDS_TEST_PG`, with a fresh database for this test; `None` (skip) only
/// outside CI.
#[expect(
    clippy::print_stdout,
    reason = "a skipped half says so where the test's output goes"
)]
pub async fn pg() -> Option<Pg> {
    let Ok(base) = std::env::var("ROUNDS_TEST_PG") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ROUNDS_TEST_PG is not set: the PostgreSQL store's tests need a cluster \
             (export ROUNDS_TEST_PG=$(bash scripts/pg.sh start))"
        );
        println!(
            "skipped: ROUNDS_TEST_PG is not set (export ROUNDS_TEST_PG=$(bash scripts/pg.sh start))"
        );
        return None;
    };
    let name = format!("rounds_test_{}", uuid::Uuid::now_v7().simple());
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("ROUNDS_TEST_PG does not connect");
    let driver = tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    drop(client);
    let _ = driver.await;
    Some(Pg {
        url: with_database(&base, &name),
        name,
    })
}

/// `postgres://who@where/db?opts` with another database.
fn with_database(url: &str, db: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, format!("?{q}")),
        None => (url, String::new()),
    };
    let rest = main
        .strip_prefix("postgres://")
        .or_else(|| main.strip_prefix("postgresql://"))
        .expect("ROUNDS_TEST_PG is a postgres:// URL");
    let authority = rest.split('/').next().unwrap();
    format!("postgres://{authority}/{db}{query}")
}

macro_rules! contract {
    ($($name:ident $([$($flavor:tt)*])?),* $(,)?) => {
        mod on_sled {
            $(
                #[tokio::test $(($($flavor)*))?]
                async fn $name() {
                    super::$name(&super::sled()).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test $(($($flavor)*))?]
                async fn $name() {
                    if let Some(pg) = super::pg().await {
                        super::$name(&pg).await;
                    }
                }
            )*
        }
    };
}

contract! {
    apply_and_replay,
    rejected_op_leaves_nothing,
    changes_page_and_resume,
    feed_pages_by_party,
    list_linked_and_jobs_of,
    audit_is_numbered,
    audit_is_rewritten_and_pruned,
    refresh_is_taken_once,
    second_factor_codes_work_once,
    sessions_and_passwords,
    device_sign_out,
    logins_are_unique,
    survives_reopen,
    raise_head_moves_the_log_up_only,
    holders_are_indexed_and_filled_in_for_older_data,
    concurrent_applies [flavor = "multi_thread", worker_threads = 2],
}

// ---------------------------------------------------------------------------------------------
// Data.

struct Org {
    id: OrgId,
    records: Vec<Record>,
}

impl Org {
    fn admin(&self) -> &User {
        self.users()
            .find(|u| u.roles.contains(&Role::Admin))
            .unwrap()
    }

    fn users(&self) -> impl Iterator<Item = &User> {
        self.records.iter().filter_map(|r| match r {
            Record::User(u) => Some(u),
            _ => None,
        })
    }

    fn store_id(&self) -> StoreId {
        self.records
            .iter()
            .find_map(|r| match r {
                Record::Store(s) => Some(s.id),
                _ => None,
            })
            .unwrap()
    }
}

async fn seeded(store: &dyn Store) -> Org {
    let size = DemoSize {
        technicians_per_store: 2,
        reps_per_store: 1,
        customers: 30,
        open_jobs: 12,
        past_jobs: 8,
        leads: 8,
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
    let demo = generate_at(7, now, &size);
    store.import(demo.records.clone()).await.unwrap();
    Org {
        id: demo.org,
        records: demo.records,
    }
}

fn op(actor: UserId, kind: OpKind) -> Op {
    Op {
        id: OpId::new(),
        actor,
        at: Utc::now(),
        location: None,
        kind,
    }
}

fn new_customer(org: &Org, n: usize) -> (Op, CustomerId) {
    let id = CustomerId::new();
    let kind = OpKind::CreateCustomer(NewCustomer {
        id,
        store: org.store_id(),
        name: format!("Contract customer {n}"),
        phones: vec![format!("1390000{:04}", n % 10_000)],
        address: Address {
            city: "Shanghai".into(),
            ..Address::default()
        },
        kind: CustomerKind::Individual,
        tags: Vec::new(),
        tier: Tier::Standard,
        marketing_consent: false,
        birthday: None,
        owner: None,
    });
    (op(org.admin().id, kind), id)
}

async fn apply_one(store: &dyn Store, org: &Org, op: &Op) -> domain::ops::OpOutcome {
    let mut out = store
        .apply(Submission {
            org: org.id,
            device: "contract".into(),
            ops: vec![op.clone()],
        })
        .await
        .unwrap();
    assert_eq!(out.len(), 1);
    out.remove(0)
}

/// The whole change log from `after`, scanning `step` entries at a time: (seq, record).
fn log_from(store: &dyn Store, org: OrgId, after: u64, step: usize) -> Vec<(u64, Record)> {
    let mut out = Vec::new();
    let mut cursor = after;
    loop {
        let page = store.changes(org, cursor, step, &|_, _| true).unwrap();
        for (seq, _) in &page.entries {
            assert!(
                *seq > cursor && *seq <= page.last,
                "{seq} outside ({cursor}, {}]",
                page.last
            );
        }
        out.extend(page.entries);
        assert!(page.last > cursor || page.last == page.head);
        cursor = page.last;
        if cursor >= page.head {
            return out;
        }
    }
}

fn head(store: &dyn Store, org: OrgId) -> u64 {
    store.changes(org, 0, 0, &|_, _| true).unwrap().head
}

fn audit_entries(store: &dyn Store, org: OrgId) -> Vec<AuditEntry> {
    store.audit_log(org, 0, 100_000).unwrap()
}

fn op_audits(store: &dyn Store, org: OrgId, id: OpId) -> usize {
    audit_entries(store, org)
        .iter()
        .filter(|e| matches!(&e.what, AuditWhat::Op { op, .. } if *op == id))
        .count()
}

// ---------------------------------------------------------------------------------------------
// The contract.

async fn apply_and_replay(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let before = head(store.as_ref(), org.id);
    let (create, id) = new_customer(&org, 1);
    let first = apply_one(store.as_ref(), &org, &create).await;
    let applied = first.clone().expect("created");
    assert!(applied.changed.contains(&RecordKey::Customer(id)));
    let Some(Record::Customer(c)) = store.get(RecordKey::Customer(id)).unwrap() else {
        panic!("the customer is not stored");
    };
    assert_eq!(c.name, "Contract customer 1");
    assert!(head(store.as_ref(), org.id) > before);
    assert_eq!(store.stats().ops, 1);

    // The same op again: its first outcome, and nothing new is written or audited.
    let head_after = head(store.as_ref(), org.id);
    let again = apply_one(store.as_ref(), &org, &create).await;
    assert_eq!(again, first);
    assert_eq!(head(store.as_ref(), org.id), head_after);
    assert_eq!(op_audits(store.as_ref(), org.id, create.id), 1);
    assert_eq!(store.stats().ops, 1);

    // A different op under the same id is refused, and that attempt is on record.
    let mut other = new_customer(&org, 2).0;
    other.id = create.id;
    assert_eq!(
        apply_one(store.as_ref(), &org, &other).await,
        Err(OpError::OpIdUsed)
    );
    assert_eq!(op_audits(store.as_ref(), org.id, create.id), 2);

    // The audit entry of the applied op says what changed, field by field.
    let entry = audit_entries(store.as_ref(), org.id)
        .into_iter()
        .find(|e| matches!(&e.what, AuditWhat::Op { op, applied: true, .. } if *op == create.id))
        .unwrap();
    let AuditWhat::Op { changes, .. } = entry.what else {
        unreachable!()
    };
    assert!(changes.iter().any(|c| c.field == "name"), "{changes:?}");

    // Several ops in one submission: each its own outcome, in order.
    let (a, a_id) = new_customer(&org, 3);
    let rename = op(
        org.admin().id,
        OpKind::UpdateCustomer {
            customer: a_id,
            patch: CustomerPatch {
                name: Some("Renamed in the same submission".into()),
                ..CustomerPatch::default()
            },
            seen: Vec::new(),
        },
    );
    let outs = store
        .apply(Submission {
            org: org.id,
            device: "contract".into(),
            ops: vec![a, rename],
        })
        .await
        .unwrap();
    assert!(outs.iter().all(Result::is_ok), "{outs:?}");
    let Some(Record::Customer(c)) = store.get(RecordKey::Customer(a_id)).unwrap() else {
        panic!()
    };
    assert_eq!(c.name, "Renamed in the same submission");
    // The log keeps one entry per record, at its latest change.
    let log = log_from(store.as_ref(), org.id, 0, 1_000);
    assert_eq!(
        log.iter()
            .filter(|(_, r)| r.key() == RecordKey::Customer(a_id))
            .count(),
        1
    );
}

async fn rejected_op_leaves_nothing(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let before = head(store.as_ref(), org.id);
    // A name that is not a name: refused by apply.
    let (mut bad, id) = new_customer(&org, 1);
    if let OpKind::CreateCustomer(n) = &mut bad.kind {
        n.name = String::new();
    }
    let first = apply_one(store.as_ref(), &org, &bad).await;
    assert!(first.is_err(), "{first:?}");
    assert_eq!(store.get(RecordKey::Customer(id)).unwrap(), None);
    assert_eq!(head(store.as_ref(), org.id), before);
    // Decided all the same: the replay gets the refusal, and it is audited once.
    assert_eq!(apply_one(store.as_ref(), &org, &bad).await, first);
    assert_eq!(op_audits(store.as_ref(), org.id, bad.id), 1);
    // A rejected op in the middle of a submission leaves the others applied.
    let (good1, g1) = new_customer(&org, 2);
    let (good2, g2) = new_customer(&org, 3);
    let (mut bad2, b2) = new_customer(&org, 4);
    if let OpKind::CreateCustomer(n) = &mut bad2.kind {
        n.name = String::new();
    }
    let outs = store
        .apply(Submission {
            org: org.id,
            device: "contract".into(),
            ops: vec![good1, bad2, good2],
        })
        .await
        .unwrap();
    assert!(
        outs[0].is_ok() && outs[1].is_err() && outs[2].is_ok(),
        "{outs:?}"
    );
    assert!(store.get(RecordKey::Customer(g1)).unwrap().is_some());
    assert!(store.get(RecordKey::Customer(g2)).unwrap().is_some());
    assert_eq!(store.get(RecordKey::Customer(b2)).unwrap(), None);
}

/// A copy from another store logs after the cursors devices hold (`migrate`): the head moves
/// up, never down, and what is written next comes after it, durably.
async fn raise_head_moves_the_log_up_only(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let h = head(store.as_ref(), org.id);
    store.raise_head(org.id, h + 1_000).await.unwrap();
    assert_eq!(head(store.as_ref(), org.id), h + 1_000);
    store.raise_head(org.id, h).await.unwrap();
    assert_eq!(head(store.as_ref(), org.id), h + 1_000, "never down");
    let again = org.records[org.records.len() - 1].clone();
    store.import(vec![again.clone()]).await.unwrap();
    let after = log_from(store.as_ref(), org.id, h + 1_000, 100);
    assert_eq!(after.len(), 1);
    assert_eq!((after[0].0, after[0].1.key()), (h + 1_001, again.key()));
    drop(store);
    let store = b.open();
    assert_eq!(head(store.as_ref(), org.id), h + 1_001, "durable");
}

async fn changes_page_and_resume(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    // Every record imported is in the log once, in order.
    let all = log_from(store.as_ref(), org.id, 0, 100_000);
    let keys: Vec<RecordKey> = all.iter().map(|(_, r)| r.key()).collect();
    let unique: HashSet<RecordKey> = keys.iter().copied().collect();
    assert_eq!(keys.len(), unique.len());
    let expected: HashSet<RecordKey> = org.records.iter().map(Record::key).collect();
    assert_eq!(unique, expected);
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
    let h = head(store.as_ref(), org.id);
    assert_eq!(all.last().unwrap().0, h);
    // Small pages carry the same, in the same order.
    let paged = log_from(store.as_ref(), org.id, 0, 7);
    assert_eq!(
        paged.iter().map(|(s, r)| (*s, r.key())).collect::<Vec<_>>(),
        all.iter().map(|(s, r)| (*s, r.key())).collect::<Vec<_>>()
    );
    // A page that stops early says where to go on from.
    let page = store.changes(org.id, 0, 5, &|_, _| true).unwrap();
    assert_eq!(page.entries.len(), 5);
    assert_eq!(page.last, all[5].0 - 1);
    // `wanted` picks by kind and hint, without changing the cursor's way.
    let customers = store
        .changes(org.id, 0, 100_000, &|kind, _| kind == RecordKind::Customer)
        .unwrap();
    assert_eq!(customers.last, h);
    assert!(
        customers
            .entries
            .iter()
            .all(|(_, r)| matches!(r, Record::Customer(_)))
    );
    assert_eq!(
        customers.entries.len(),
        org.records
            .iter()
            .filter(|r| matches!(r, Record::Customer(_)))
            .count()
    );
    // Nothing after the head; a cursor from the future starts over.
    let none = store.changes(org.id, h, 100, &|_, _| true).unwrap();
    assert!(none.entries.is_empty());
    assert_eq!((none.last, none.head), (h, h));
    let over = store
        .changes(org.id, h + 1_000, 100_000, &|_, _| true)
        .unwrap();
    assert_eq!(over.entries.len(), all.len());
    // A change moves a record to the end of the log; a cursor at the old head gets it.
    let c = org
        .records
        .iter()
        .find_map(|r| match r {
            Record::Customer(c) => Some(c.id),
            _ => None,
        })
        .unwrap();
    let rename = op(
        org.admin().id,
        OpKind::UpdateCustomer {
            customer: c,
            patch: CustomerPatch {
                name: Some("Moved to the end".into()),
                ..CustomerPatch::default()
            },
            seen: Vec::new(),
        },
    );
    apply_one(store.as_ref(), &org, &rename).await.unwrap();
    let since = store.changes(org.id, h, 100, &|_, _| true).unwrap();
    assert_eq!(since.entries.len(), 1);
    assert_eq!(since.entries[0].1.key(), RecordKey::Customer(c));
    let again = log_from(store.as_ref(), org.id, 0, 100_000);
    assert_eq!(again.len(), all.len());
    // Another organization's log is its own.
    assert_eq!(head(store.as_ref(), OrgId::new()), 0);
}

async fn feed_pages_by_party(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let all = log_from(store.as_ref(), org.id, 0, 100_000);
    let h = head(store.as_ref(), org.id);
    let tech = org
        .users()
        .find(|u| u.roles == [Role::Technician])
        .unwrap()
        .id;
    let parties = vec![tech.0, org.id.0];
    let expected: Vec<(u64, RecordKey)> = all
        .iter()
        .filter(|(_, r)| {
            Hint::of(r)
                .parties(r.key().kind(), org.id)
                .iter()
                .any(|p| parties.contains(p))
        })
        .map(|(s, r)| (*s, r.key()))
        .collect();
    assert!(expected.len() > 3, "{expected:?}");
    // In pages of 2.
    let mut got = Vec::new();
    let mut cursor = 0;
    loop {
        let page = store.feed(org.id, &parties, cursor, 2).unwrap();
        assert!(page.entries.len() <= 2);
        assert_eq!(page.head, h);
        got.extend(page.entries.iter().map(|(s, r)| (*s, r.key())));
        assert!(page.last > cursor);
        cursor = page.last;
        if cursor >= page.head {
            break;
        }
    }
    assert_eq!(got, expected);
    // At once.
    let one = store.feed(org.id, &parties, 0, 100_000).unwrap();
    assert_eq!(
        one.entries
            .iter()
            .map(|(s, r)| (*s, r.key()))
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(one.last, h);
    // Nobody's feed is empty; a cursor from the future starts over.
    assert!(
        store
            .feed(org.id, &[uuid::Uuid::now_v7()], 0, 10)
            .unwrap()
            .entries
            .is_empty()
    );
    assert_eq!(
        store
            .feed(org.id, &parties, h + 10, 100_000)
            .unwrap()
            .entries
            .len(),
        expected.len()
    );
}

/// Who holds what (`Link::Holder`): kept by every write, and filled in at open for records
/// stored before the index existed, so that a leaver's open work is found either way.
async fn holders_are_indexed_and_filled_in_for_older_data(b: &dyn Backend) {
    let expected = |org: &Org| {
        let mut by: HashMap<UserId, BTreeSet<RecordKey>> = HashMap::new();
        for r in &org.records {
            for l in r.links() {
                if let Link::Holder(u) = l {
                    by.entry(u).or_default().insert(r.key());
                }
            }
        }
        by
    };
    let held = |store: &dyn Store, org: &Org| {
        org.users()
            .map(|u| {
                let keys: BTreeSet<RecordKey> = store
                    .linked(Link::Holder(u.id))
                    .unwrap()
                    .into_iter()
                    .collect();
                (u.id, keys)
            })
            .filter(|(_, k)| !k.is_empty())
            .collect::<HashMap<_, _>>()
    };
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let want = expected(&org);
    assert!(want.len() > 3, "reps own customers, technicians work jobs");
    assert_eq!(held(store.as_ref(), &org), want);
    drop(store);
    b.forget_holder_index().await;
    let store = b.open();
    assert_eq!(held(store.as_ref(), &org), want, "filled in at open");
}

async fn list_linked_and_jobs_of(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    // Every customer, in id order, seven at a time.
    let mut expected: Vec<uuid::Uuid> = org
        .records
        .iter()
        .filter(|r| matches!(r, Record::Customer(_)))
        .map(|r| r.key().uuid())
        .collect();
    expected.sort();
    let mut got = Vec::new();
    let mut after = None;
    loop {
        let page = store.list(org.id, RecordKind::Customer, after, 7).unwrap();
        assert!(page.records.len() <= 7);
        got.extend(page.records.iter().map(|r| r.key().uuid()));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(got, expected);
    assert!(
        store
            .list(OrgId::new(), RecordKind::Customer, None, 10)
            .unwrap()
            .records
            .is_empty()
    );
    // What links to each customer.
    let mut links: HashMap<Link, BTreeSet<RecordKey>> = HashMap::new();
    for r in &org.records {
        for l in r.links() {
            links.entry(l).or_default().insert(r.key());
        }
    }
    assert!(links.values().any(|v| v.len() > 1));
    for (link, keys) in &links {
        let found: BTreeSet<RecordKey> = store.linked(*link).unwrap().into_iter().collect();
        assert_eq!(&found, keys, "{link:?}");
    }
    // Each technician's jobs: theirs, and those they are in the crew of.
    let techs: Vec<UserId> = org
        .users()
        .filter(|u| u.roles.contains(&Role::Technician))
        .map(|u| u.id)
        .collect();
    for t in &techs {
        let mut expected: Vec<_> = org
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Job(j) if j.workers().any(|w| w == *t) => Some(j.id),
                _ => None,
            })
            .collect();
        expected.sort();
        let mut got = store.jobs_of(*t).unwrap();
        got.sort();
        assert_eq!(got, expected);
    }
    assert!(techs.iter().any(|t| !store.jobs_of(*t).unwrap().is_empty()));
    // Several records in one read, in the order asked, absent ones as absent.
    let mut keys: Vec<RecordKey> = org.records.iter().map(Record::key).collect();
    keys.reverse();
    keys.insert(3, RecordKey::Customer(domain::ids::CustomerId::new()));
    keys.push(keys[0]);
    let many = store.get_many(&keys).unwrap();
    assert_eq!(many.len(), keys.len());
    for (k, got) in keys.iter().zip(&many) {
        assert_eq!(got, &store.get(*k).unwrap(), "{k:?}");
    }
    assert!(many[3].is_none() && many.iter().filter(|r| r.is_none()).count() == 1);
    assert!(store.get_many(&[]).unwrap().is_empty());
    // A job handed to another technician moves between their lists (an import, like a
    // migration would write it).
    let Some(Record::Job(mut job)) = org
        .records
        .iter()
        .find(|r| matches!(r, Record::Job(j) if j.technician.is_some()))
        .cloned()
    else {
        panic!()
    };
    let from = job.technician.unwrap();
    let to = *techs.iter().find(|t| **t != from).unwrap();
    let helper = *techs.iter().find(|t| **t != from && **t != to).unwrap();
    job.technician = Some(to);
    job.crew = vec![helper];
    store.import(vec![Record::Job(job.clone())]).await.unwrap();
    assert!(!store.jobs_of(from).unwrap().contains(&job.id));
    assert!(store.jobs_of(to).unwrap().contains(&job.id));
    assert!(store.jobs_of(helper).unwrap().contains(&job.id));
    // The crew member leaves it; the technician keeps it.
    job.crew.clear();
    store.import(vec![Record::Job(job.clone())]).await.unwrap();
    assert!(!store.jobs_of(helper).unwrap().contains(&job.id));
    assert!(store.jobs_of(to).unwrap().contains(&job.id));
    // An asset moved to another customer moves between the links.
    let Some(Record::Asset(mut asset)) = org
        .records
        .iter()
        .find(|r| matches!(r, Record::Asset(_)))
        .cloned()
    else {
        panic!()
    };
    let old = asset.customer;
    let new = org
        .records
        .iter()
        .find_map(|r| match r {
            Record::Customer(c) if c.id != old => Some(c.id),
            _ => None,
        })
        .unwrap();
    asset.customer = new;
    store
        .import(vec![Record::Asset(asset.clone())])
        .await
        .unwrap();
    let key = RecordKey::Asset(asset.id);
    assert!(!store.linked(Link::Customer(old)).unwrap().contains(&key));
    assert!(store.linked(Link::Customer(new)).unwrap().contains(&key));
    // The organization is listed.
    assert_eq!(store.orgs().unwrap(), vec![org.id]);
}

fn search(actor: UserId, n: usize) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: Utc::now(),
        actor,
        device: "console".into(),
        what: AuditWhat::Search {
            // A NUL is a valid JSON string character: the store must keep it.
            query: format!("query {n}\u{0}"),
            results: n,
            masked: 0,
        },
    }
}

async fn audit_is_numbered(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let actor = org.admin().id;
    store
        .audit(org.id, (0..3).map(|n| search(actor, n)).collect())
        .await
        .unwrap();
    let (create, _) = new_customer(&org, 1);
    apply_one(store.as_ref(), &org, &create).await.unwrap();
    // Written concurrently: still one numbering, without gaps.
    let writes: Vec<_> = (3..13)
        .map(|n| store.audit(org.id, vec![search(actor, n)]))
        .collect();
    for w in writes {
        w.await.unwrap();
    }
    let log = audit_entries(store.as_ref(), org.id);
    assert_eq!(log.len(), 14);
    assert_eq!(
        log.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=14).collect::<Vec<_>>()
    );
    assert_eq!(log[0], {
        let mut e = search(actor, 0);
        e.seq = 1;
        e.at = log[0].at;
        e
    });
    assert!(matches!(&log[3].what, AuditWhat::Op { op, .. } if *op == create.id));
    // Paged.
    let page = store.audit_log(org.id, 4, 3).unwrap();
    assert_eq!(
        page.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![5, 6, 7]
    );
    // Another organization's audit is its own.
    store
        .audit(OrgId::new(), vec![search(actor, 99)])
        .await
        .unwrap();
    assert_eq!(audit_entries(store.as_ref(), org.id).len(), 14);
}

/// Erasure rewrites entries in place; retention removes the oldest. Neither renumbers, and
/// neither touches another organization's audit.
async fn audit_is_rewritten_and_pruned(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let actor = org.admin().id;
    store
        .audit(org.id, (0..6).map(|n| search(actor, n)).collect())
        .await
        .unwrap();
    let other = OrgId::new();
    store.audit(other, vec![search(actor, 50)]).await.unwrap();
    let mut third = audit_entries(store.as_ref(), org.id)[2].clone();
    third.what = AuditWhat::Search {
        query: "(erased on request)".into(),
        results: 2,
        masked: 0,
    };
    // An entry that does not exist is not made by a rewrite.
    let mut ghost = third.clone();
    ghost.seq = 99;
    store
        .rewrite_audit(org.id, vec![third.clone(), ghost])
        .await
        .unwrap();
    let log = audit_entries(store.as_ref(), org.id);
    assert_eq!(log.len(), 6);
    assert_eq!(log[2], third);
    assert_eq!(log[1], {
        let mut e = search(actor, 1);
        e.seq = 2;
        e.at = log[1].at;
        e
    });
    store.delete_audit_through(org.id, 4).await.unwrap();
    let log = audit_entries(store.as_ref(), org.id);
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![5, 6]);
    // New entries go on after the highest number ever given.
    store.audit(org.id, vec![search(actor, 7)]).await.unwrap();
    assert_eq!(audit_entries(store.as_ref(), org.id).last().unwrap().seq, 7);
    assert_eq!(audit_entries(store.as_ref(), other).len(), 1);
}

fn session(user: UserId, org: OrgId) -> RefreshSession {
    RefreshSession {
        user,
        org,
        expires_at: Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(),
        epoch: 3,
        second_factor: true,
        device: Some("phone-1".into()),
    }
}

async fn refresh_is_taken_once(b: &dyn Backend) {
    let store = b.open();
    let (user, org) = (UserId::new(), OrgId::new());
    for round in 0..5u8 {
        let hash = [round; 32];
        store.put_refresh(hash, session(user, org)).await.unwrap();
        // Two takers at once: one gets it.
        let (a, b2) = tokio::join!(store.take_refresh(hash), store.take_refresh(hash));
        let (a, b2) = (a.unwrap(), b2.unwrap());
        assert!(a.is_some() != b2.is_some(), "{a:?} {b2:?}");
        assert_eq!(a.or(b2), Some(session(user, org)));
        assert_eq!(store.take_refresh(hash).await.unwrap(), None);
    }
    assert_eq!(store.take_refresh([9; 32]).await.unwrap(), None);
}

async fn second_factor_codes_work_once(b: &dyn Backend) {
    let store = b.open();
    let user = UserId::new();
    assert_eq!(store.second_factor(user).unwrap(), None);
    let pending = SecondFactor {
        secret: vec![1, 2, 3],
        confirmed: false,
        last_step: 0,
        recovery: vec![[7; 32], [8; 32]],
    };
    store
        .put_second_factor(user, Some(pending.clone()))
        .await
        .unwrap();
    assert_eq!(store.second_factor(user).unwrap(), Some(pending.clone()));
    // Not confirmed: no code works.
    assert!(
        !store
            .use_second_factor(user, SecondFactorUse::Step(1))
            .await
            .unwrap()
    );
    let confirmed = SecondFactor {
        confirmed: true,
        last_step: 5,
        ..pending
    };
    store
        .put_second_factor(user, Some(confirmed))
        .await
        .unwrap();
    let step = |s| store.use_second_factor(user, SecondFactorUse::Step(s));
    assert!(!step(5).await.unwrap());
    assert!(!step(4).await.unwrap());
    // Raced: one of the two.
    let (a, b2) = tokio::join!(step(6), step(6));
    assert!(a.unwrap() != b2.unwrap());
    let recovery = |h| store.use_second_factor(user, SecondFactorUse::Recovery(h));
    let (a, b2) = tokio::join!(recovery([7; 32]), recovery([7; 32]));
    assert!(a.unwrap() != b2.unwrap());
    assert!(!recovery([1; 32]).await.unwrap());
    let now = store.second_factor(user).unwrap().unwrap();
    assert_eq!(now.last_step, 6);
    assert_eq!(now.recovery, vec![[8; 32]]);
    store.put_second_factor(user, None).await.unwrap();
    assert_eq!(store.second_factor(user).unwrap(), None);
    assert!(!step(100).await.unwrap());
}

async fn sessions_and_passwords(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let admin = org.admin().clone();
    assert_eq!(store.session_epoch(admin.id).unwrap(), 0);
    // A first password ends nothing; a new one ends every session.
    store.set_password(admin.id, "hash-1".into()).await.unwrap();
    assert_eq!(store.session_epoch(admin.id).unwrap(), 0);
    store.set_password(admin.id, "hash-2".into()).await.unwrap();
    assert_eq!(store.session_epoch(admin.id).unwrap(), 1);
    assert_eq!(store.end_sessions(admin.id).await.unwrap(), 2);
    let (a, b2) = tokio::join!(store.end_sessions(admin.id), store.end_sessions(admin.id));
    let mut both = vec![a.unwrap(), b2.unwrap()];
    both.sort_unstable();
    assert_eq!(both, vec![3, 4]);
    assert_eq!(store.session_epoch(admin.id).unwrap(), 4);
    // Credentials by the one login normalisation, with the latest hash.
    let creds = store
        .credentials(&format!("  {} ", admin.login.to_uppercase()))
        .unwrap()
        .unwrap();
    assert_eq!(creds.user, admin);
    assert_eq!(creds.password_hash.as_deref(), Some("hash-2"));
    assert!(
        store
            .credentials("nobody-has-this-login")
            .unwrap()
            .is_none()
    );
    // A user without a password yet.
    let other = org.users().find(|u| u.id != admin.id).unwrap();
    let creds = store.credentials(&other.login).unwrap().unwrap();
    assert_eq!(creds.password_hash, None);
    // Deactivating a person ends their sessions for good.
    let before = store.session_epoch(other.id).unwrap();
    let off = op(
        admin.id,
        OpKind::SetUserActive {
            user: other.id,
            active: false,
        },
    );
    apply_one(store.as_ref(), &org, &off).await.unwrap();
    assert_eq!(store.session_epoch(other.id).unwrap(), before + 1);
}

async fn device_sign_out(b: &dyn Backend) {
    let store = b.open();
    let (org, user, by) = (OrgId::new(), UserId::new(), UserId::new());
    assert_eq!(store.device_sign_out(org, "phone-1").unwrap(), None);
    let mark = DeviceSignOut {
        user,
        by,
        at: Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap(),
    };
    store
        .sign_out_device(org, "phone-1".into(), mark.clone())
        .await
        .unwrap();
    assert_eq!(store.device_sign_out(org, "phone-1").unwrap(), Some(mark));
    assert_eq!(store.device_sign_out(org, "phone-2").unwrap(), None);
    assert_eq!(
        store.device_sign_out(OrgId::new(), "phone-1").unwrap(),
        None
    );
    // Device ids are the client's: any bytes a string may hold.
    let odd = "dev\u{0}ice/é";
    store
        .sign_out_device(
            org,
            odd.into(),
            DeviceSignOut {
                user,
                by,
                at: Utc::now(),
            },
        )
        .await
        .unwrap();
    assert!(store.device_sign_out(org, odd).unwrap().is_some());
    // The organization's list holds both, and nothing of another organization.
    let mut listed: Vec<String> = store
        .device_sign_outs(org)
        .unwrap()
        .into_iter()
        .map(|(d, m)| {
            assert_eq!(m.user, user);
            d
        })
        .collect();
    listed.sort();
    assert_eq!(listed, [odd.to_owned(), "phone-1".to_owned()]);
    assert!(store.device_sign_outs(OrgId::new()).unwrap().is_empty());
}

async fn logins_are_unique(b: &dyn Backend) {
    let store = b.open();
    let org = seeded(store.as_ref()).await;
    let admin = org.admin().clone();
    let mut thief = org.users().find(|u| u.id != admin.id).unwrap().clone();
    let before = head(store.as_ref(), org.id);
    thief.id = UserId::new();
    thief.login = admin.login.to_uppercase();
    let err = store
        .import(vec![Record::User(thief.clone())])
        .await
        .unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Conflict(_)), "{err}");
    assert_eq!(store.get(RecordKey::User(thief.id)).unwrap(), None);
    assert_eq!(head(store.as_ref(), org.id), before);
    assert_eq!(
        store.credentials(&admin.login).unwrap().unwrap().user.id,
        admin.id
    );
    // The same user imported again keeps their login.
    store
        .import(vec![Record::User(admin.clone())])
        .await
        .unwrap();
    assert_eq!(
        store.credentials(&admin.login).unwrap().unwrap().user.id,
        admin.id
    );
}

async fn survives_reopen(b: &dyn Backend) {
    let store = b.open();
    let key = store.signing_key();
    let org = seeded(store.as_ref()).await;
    let (create, id) = new_customer(&org, 1);
    let first = apply_one(store.as_ref(), &org, &create).await;
    store
        .set_password(org.admin().id, "hash".into())
        .await
        .unwrap();
    store.end_sessions(org.admin().id).await.unwrap();
    store
        .put_refresh([4; 32], session(org.admin().id, org.id))
        .await
        .unwrap();
    let log = log_from(store.as_ref(), org.id, 0, 100_000);
    let audit = audit_entries(store.as_ref(), org.id);
    drop(store);

    let store = b.open();
    assert_eq!(store.signing_key(), key);
    assert!(store.get(RecordKey::Customer(id)).unwrap().is_some());
    assert_eq!(
        log_from(store.as_ref(), org.id, 0, 100_000)
            .iter()
            .map(|(s, r)| (*s, r.key()))
            .collect::<Vec<_>>(),
        log.iter().map(|(s, r)| (*s, r.key())).collect::<Vec<_>>()
    );
    assert_eq!(audit_entries(store.as_ref(), org.id), audit);
    assert_eq!(store.session_epoch(org.admin().id).unwrap(), 1);
    assert!(store.take_refresh([4; 32]).await.unwrap().is_some());
    // The op replayed after the restart: its first outcome, nothing new.
    assert_eq!(apply_one(store.as_ref(), &org, &create).await, first);
    assert_eq!(head(store.as_ref(), org.id), log.last().unwrap().0);
    // Numbering goes on where it stopped.
    let (next, _) = new_customer(&org, 2);
    apply_one(store.as_ref(), &org, &next).await.unwrap();
    assert!(head(store.as_ref(), org.id) > log.last().unwrap().0);
    assert_eq!(
        audit_entries(store.as_ref(), org.id).last().unwrap().seq,
        audit.last().unwrap().seq + 1
    );
}

/// Ops from many tasks at once, and a reader following the log while they commit: every op
/// is applied once, and the reader, going on from each cursor it was given, misses none.
async fn concurrent_applies(b: &dyn Backend) {
    let store = b.open();
    let org = Arc::new(seeded(store.as_ref()).await);
    writers_and_reader(vec![store.clone(), store], org, 16, 8).await;
}

#[expect(
    clippy::print_stdout,
    reason = "the rough throughput goes with the test's output (docs/ARCHITECTURE.md quotes it)"
)]
async fn writers_and_reader(
    stores: Vec<Arc<dyn Store>>,
    org: Arc<Org>,
    tasks: usize,
    per_task: usize,
) {
    let start = head(stores[0].as_ref(), org.id);
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let store = stores[0].clone();
        let done = done.clone();
        let org = org.id;
        tokio::task::spawn_blocking(move || {
            let mut cursor = start;
            let mut seen = HashSet::new();
            loop {
                // Read the flag before the page: a page read after the last commit has it.
                let finished = done.load(Ordering::SeqCst);
                let page = store.changes(org, cursor, 50, &|_, _| true).unwrap();
                for (seq, r) in &page.entries {
                    assert!(*seq > cursor);
                    seen.insert(r.key());
                }
                cursor = page.last;
                if finished && cursor >= page.head {
                    return seen;
                }
                if cursor >= page.head {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        })
    };
    // Tells the reader to finish even when a writer panics (else the runtime would wait for it).
    struct Finish(Arc<AtomicBool>);
    impl Drop for Finish {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    let finish = Finish(done.clone());
    let started = std::time::Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let store = stores[t % stores.len()].clone();
        let org = org.clone();
        handles.push(tokio::spawn(async move {
            let mut made = Vec::new();
            for n in 0..per_task {
                let (create, id) = new_customer(&org, t * 1000 + n);
                let out = apply_one(store.as_ref(), &org, &create).await;
                assert!(out.is_ok(), "{out:?}");
                made.push((create.id, id));
            }
            made
        }));
    }
    let mut made = Vec::new();
    for h in handles {
        made.extend(h.await.unwrap());
    }
    let elapsed = started.elapsed();
    drop(finish);
    let seen = reader.await.unwrap();
    let n = tasks * per_task;
    println!(
        "{n} ops from {tasks} tasks on {} store handle(s): {:.0} ops/s",
        stores.len(),
        n as f64 / elapsed.as_secs_f64()
    );
    let store = stores[0].as_ref();
    for (op_id, id) in &made {
        assert!(
            seen.contains(&RecordKey::Customer(*id)),
            "the reader skipped a change"
        );
        assert_eq!(op_audits(store, org.id, *op_id), 1);
    }
    // The log: strictly increasing, every new customer once.
    let log = log_from(store, org.id, start, 100_000);
    assert!(log.windows(2).all(|w| w[0].0 < w[1].0));
    let new: Vec<_> = log
        .iter()
        .filter(|(_, r)| {
            made.iter()
                .any(|(_, id)| r.key() == RecordKey::Customer(*id))
        })
        .collect();
    assert_eq!(new.len(), n);
    // The audit: numbered without gaps.
    let audit = audit_entries(store, org.id);
    assert_eq!(
        audit.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=audit.len() as u64).collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL only.

/// Two instances on one database, writing one organization at once: sequence order is commit
/// order, so a reader following either misses nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_instances_one_log() {
    let Some(pg) = pg().await else { return };
    let a: Arc<dyn Store> = pg.store();
    let b: Arc<dyn Store> = pg.store();
    let org = Arc::new(seeded(a.as_ref()).await);
    writers_and_reader(vec![a, b], org, 16, 8).await;
}

/// A refresh token raced on two instances works once; so does a second-factor code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_instances_take_once() {
    let Some(pg) = pg().await else { return };
    let (a, b) = (pg.store(), pg.store());
    let (user, org) = (UserId::new(), OrgId::new());
    assert_eq!(a.signing_key(), b.signing_key());
    for round in 0..10u8 {
        let hash = [round; 32];
        a.put_refresh(hash, session(user, org)).await.unwrap();
        let (x, y) = tokio::join!(a.take_refresh(hash), b.take_refresh(hash));
        assert!(x.unwrap().is_some() != y.unwrap().is_some());
    }
    a.put_second_factor(
        user,
        Some(SecondFactor {
            secret: vec![1],
            confirmed: true,
            last_step: 0,
            recovery: vec![],
        }),
    )
    .await
    .unwrap();
    for s in 1..10 {
        let (x, y) = tokio::join!(
            a.use_second_factor(user, SecondFactorUse::Step(s)),
            b.use_second_factor(user, SecondFactorUse::Step(s))
        );
        assert!(x.unwrap() != y.unwrap(), "step {s}");
    }
}

/// Makes the database refuse the next `times` transactions that write an outcome, with
/// `code`: at commit (a deferred constraint trigger, as a serialisable transaction fails) or
/// at the insert. A sequence counts the attempts (sequences are not rolled back).
async fn inject(client: &tokio_postgres::Client, code: &str, times: i64, at_commit: bool) {
    let (timing, level) = if at_commit {
        (
            "AFTER INSERT ON outcomes DEFERRABLE INITIALLY DEFERRED",
            "CONSTRAINT",
        )
    } else {
        ("BEFORE INSERT ON outcomes", "")
    };
    client
        .batch_execute(&format!(
            "DROP TRIGGER IF EXISTS fault ON outcomes;
             DROP SEQUENCE IF EXISTS faults;
             CREATE SEQUENCE faults;
             CREATE OR REPLACE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF nextval('faults') <= {times} THEN
                     RAISE EXCEPTION 'injected by the test' USING ERRCODE = '{code}';
                 END IF;
                 RETURN NEW;
             END $$;
             CREATE {level} TRIGGER fault {timing} FOR EACH ROW EXECUTE FUNCTION fault();"
        ))
        .await
        .unwrap();
}

async fn attempts(client: &tokio_postgres::Client) -> i64 {
    client
        .query_one("SELECT last_value FROM faults", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn postgres_retries_serialisation_failures_and_deadlocks() {
    let Some(pg) = pg().await else { return };
    let store = pg.store();
    let org = seeded(store.as_ref()).await;
    let sql = pg.sql().await;
    for (code, at_commit) in [("40001", true), ("40P01", false), ("40001", false)] {
        inject(&sql, code, 3, at_commit).await;
        let before = head(store.as_ref(), org.id);
        let (create, id) = new_customer(&org, 1);
        let out = apply_one(store.as_ref(), &org, &create).await;
        assert!(out.is_ok(), "{code}: {out:?}");
        // Refused three times, then committed.
        assert_eq!(attempts(&sql).await, 4, "{code}");
        // Once: one record, one change, one outcome, one audit entry.
        assert!(store.get(RecordKey::Customer(id)).unwrap().is_some());
        let log = log_from(store.as_ref(), org.id, before, 1_000);
        assert_eq!(log.len(), 1, "{code}");
        assert_eq!(op_audits(store.as_ref(), org.id, create.id), 1);
        let n: i64 = sql
            .query_one(
                "SELECT count(*) FROM outcomes WHERE op = $1",
                &[&create.id.0],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 1);
        assert_eq!(apply_one(store.as_ref(), &org, &create).await, out);
    }
    // A failure that does not pass: the callers are told, nothing is half-applied, and the
    // same op goes through once the database lets it.
    inject(&sql, "40001", 1_000, true).await;
    let before = head(store.as_ref(), org.id);
    let (create, id) = new_customer(&org, 2);
    let err = store
        .apply(Submission {
            org: org.id,
            device: "contract".into(),
            ops: vec![create.clone()],
        })
        .await
        .unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Io(_)), "{err}");
    assert_eq!(store.get(RecordKey::Customer(id)).unwrap(), None);
    assert_eq!(head(store.as_ref(), org.id), before);
    assert_eq!(op_audits(store.as_ref(), org.id, create.id), 0);
    sql.batch_execute("DROP TRIGGER fault ON outcomes")
        .await
        .unwrap();
    assert!(apply_one(store.as_ref(), &org, &create).await.is_ok());
    assert_eq!(op_audits(store.as_ref(), org.id, create.id), 1);
}

/// Connections cut under the store: a request may fail (as a store error, never a panic) and
/// the store recovers by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_recovers_from_lost_connections() {
    let Some(pg) = pg().await else { return };
    let store = pg.store();
    let org = seeded(store.as_ref()).await;
    let sql = pg.sql().await;
    for n in 0..3 {
        sql.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
        let (create, id) = new_customer(&org, n);
        let mut applied = false;
        for _ in 0..3 {
            match store
                .apply(Submission {
                    org: org.id,
                    device: "contract".into(),
                    ops: vec![create.clone()],
                })
                .await
            {
                Ok(out) => {
                    assert!(out[0].is_ok(), "{out:?}");
                    applied = true;
                    break;
                }
                Err(e) => assert!(matches!(e.kind, ErrorKind::Io(_)), "{e}"),
            }
        }
        assert!(applied);
        let mut read = false;
        for _ in 0..DEAD_READS {
            match store.get(RecordKey::Customer(id)) {
                Ok(r) => {
                    assert!(r.is_some());
                    read = true;
                    break;
                }
                Err(e) => assert!(matches!(e.kind, ErrorKind::Io(_)), "{e}"),
            }
        }
        assert!(read);
        assert_eq!(op_audits(store.as_ref(), org.id, create.id), 1);
    }
}

/// Reads that may meet a pooled connection that was cut (the pool keeps 8) before one works.
const DEAD_READS: usize = 10;

#[tokio::test]
async fn postgres_refuses_a_newer_schema_and_a_wrong_address() {
    let Some(pg) = pg().await else { return };
    drop(pg.store());
    let sql = pg.sql().await;
    sql.execute("INSERT INTO schema_version (version) VALUES (999)", &[])
        .await
        .unwrap();
    let err = PgStore::open(&pg.url)
        .err()
        .expect("a newer schema is refused");
    let said = err.to_string();
    assert!(said.contains("schema version 999"), "{said}");
    assert!(said.contains("newer than this server"), "{said}");
    sql.execute("DELETE FROM schema_version WHERE version = 999", &[])
        .await
        .unwrap();
    drop(pg.store());

    let err = PgStore::open("not a url at all").err().unwrap();
    assert!(matches!(err.kind, ErrorKind::Unusable(_)), "{err}");
    // A port nothing listens on (the password must not be repeated).
    let err = PgStore::open("postgres://rounds:secret-word@127.0.0.1:1/rounds")
        .err()
        .unwrap();
    let said = err.to_string();
    assert!(said.contains("cannot reach"), "{said}");
    assert!(!said.contains("secret-word"), "{said}");
}
