//! One customer lookup index per organization, in memory, derived from the store.
//!
//! Each index remembers the change-log position it has seen; before it answers, it takes in
//! every change since (the log holds every applied op's records and every import), so a
//! search never misses a customer whose creating op was acknowledged. Built for every
//! organization when the server starts, in the background, so the first search is not a
//! full build.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::ids::{CustomerId, OrgId, StoreId, UserId};
use domain::lookup::{Hit, Index, SearchContext};
use domain::ops::{Record, RecordKind};

use crate::store::{Error, Seq, Store};

/// Change-log entries read per step while catching up.
const CATCH_UP_STEP: usize = 5_000;

/// The indexes of all organizations.
#[derive(Default)]
pub struct Lookups {
    orgs: Mutex<HashMap<OrgId, Arc<Mutex<OrgIndex>>>>,
}

/// An organization's index and what scope checks need without reading each record.
#[derive(Default)]
struct OrgIndex {
    index: Index,
    seen: Seq,
    /// Store and owning rep of every customer: the pieces [`crate::access::Scope`] decides a
    /// customer's visibility on, so hits outside the caller's scope are dropped before ranking.
    owners: HashMap<CustomerId, (StoreId, Option<UserId>)>,
}

fn indexed(kind: RecordKind) -> bool {
    matches!(
        kind,
        RecordKind::Customer
            | RecordKind::Lead
            | RecordKind::Asset
            | RecordKind::Job
            | RecordKind::Interaction
    )
}

impl OrgIndex {
    /// Takes in every change after `seen`, up to the durable head.
    fn catch_up(&mut self, store: &dyn Store, org: OrgId) -> Result<(), Error> {
        let first_build = self.seen == 0 && self.index.is_empty();
        let mut bulk: Vec<Record> = Vec::new();
        loop {
            let page = store.changes(org, self.seen, CATCH_UP_STEP, &|kind, _| indexed(kind))?;
            for (_, r) in page.entries {
                if let Record::Customer(c) = &r {
                    self.owners.insert(c.id, (c.store, c.owner));
                }
                if first_build {
                    bulk.push(r);
                } else {
                    self.index.upsert(&r);
                }
            }
            let done = page.last >= page.head || page.last == self.seen;
            self.seen = page.last;
            if done {
                break;
            }
        }
        if first_build {
            // The bulk build is several times faster than one upsert per record.
            self.index = Index::build(&bulk);
        }
        Ok(())
    }
}

impl Lookups {
    fn org(&self, org: OrgId) -> Arc<Mutex<OrgIndex>> {
        self.orgs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(org)
            .or_default()
            .clone()
    }

    /// Builds every organization's index (at start-up, off the async runtime).
    pub fn warm(&self, store: &dyn Store) -> Result<(), Error> {
        for org in store.orgs()? {
            let ix = self.org(org);
            let mut ix = ix.lock().unwrap_or_else(PoisonError::into_inner);
            ix.catch_up(store, org)?;
        }
        Ok(())
    }

    /// Takes in every change of `org` up to now.
    pub fn catch_up(&self, store: &dyn Store, org: OrgId) -> Result<(), Error> {
        let ix = self.org(org);
        let mut ix = ix.lock().unwrap_or_else(PoisonError::into_inner);
        ix.catch_up(store, org)
    }

    /// Customers of `org` who look like `probe`, as far as the index has caught up (an import
    /// asks for each of its customers after one [`Lookups::catch_up`]).
    pub fn duplicates(
        &self,
        org: OrgId,
        probe: &domain::lookup::Probe<'_>,
    ) -> Vec<domain::lookup::Duplicate> {
        let ix = self.org(org);
        let ix = ix.lock().unwrap_or_else(PoisonError::into_inner);
        domain::lookup::duplicates(&ix.index, probe, 3)
    }

    /// The best `limit` customers of `org` for `query` among those `visible` says the caller
    /// may see (given the customer's id, store and owner), after catching up with the log.
    pub fn search(
        &self,
        store: &dyn Store,
        org: OrgId,
        query: &str,
        ctx: &SearchContext,
        limit: usize,
        visible: impl Fn(CustomerId, StoreId, Option<UserId>) -> bool,
    ) -> Result<Vec<Hit>, Error> {
        let ix = self.org(org);
        let mut ix = ix.lock().unwrap_or_else(PoisonError::into_inner);
        ix.catch_up(store, org)?;
        let owners = &ix.owners;
        Ok(ix.index.search_where(query, ctx, limit, |id| {
            owners
                .get(&id)
                .is_some_and(|(store, owner)| visible(id, *store, *owner))
        }))
    }
}
