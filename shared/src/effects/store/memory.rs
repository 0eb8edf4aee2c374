//! The device database in memory: what every shell's handler must do, in its plainest form.
//! The core's tests, the fault-injection tests and the benchmarks run on it.

use std::collections::BTreeMap;

use super::{Entry, StoreError, StoreRequest, StoreResponse, Table, Write};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryStore {
    pub tables: BTreeMap<Table, BTreeMap<String, Vec<u8>>>,
    /// Every write is refused for lack of room (as a full quota would).
    pub full: bool,
}

impl MemoryStore {
    /// The entries of one table.
    #[must_use]
    pub fn table(&self, table: Table) -> BTreeMap<String, Vec<u8>> {
        self.tables.get(&table).cloned().unwrap_or_default()
    }

    /// Carries out one request, as a shell would: a batch all at once, or not at all.
    pub fn answer(&mut self, request: &StoreRequest) -> StoreResponse {
        match request {
            StoreRequest::Load { table } => StoreResponse::Loaded {
                entries: self
                    .tables
                    .get(table)
                    .into_iter()
                    .flatten()
                    .map(|(key, value)| Entry {
                        key: key.clone(),
                        value: value.clone(),
                    })
                    .collect(),
            },
            StoreRequest::Write { .. } if self.full => StoreResponse::Failed(StoreError::Full),
            StoreRequest::Write { writes } => {
                for w in writes {
                    match w {
                        Write::Put { table, key, value } => {
                            self.tables
                                .entry(*table)
                                .or_default()
                                .insert(key.clone(), value.clone());
                        }
                        Write::Delete { table, key } => {
                            if let Some(t) = self.tables.get_mut(table) {
                                t.remove(key);
                            }
                        }
                        Write::Clear { table } => {
                            self.tables.remove(table);
                        }
                    }
                }
                StoreResponse::Written
            }
            StoreRequest::Estimate => {
                let used = self.used();
                StoreResponse::Estimate {
                    used,
                    quota: if self.full { used } else { 1 << 30 },
                    persisted: true,
                }
            }
        }
    }

    /// Bytes held, keys included.
    #[must_use]
    pub fn used(&self) -> u64 {
        self.tables
            .values()
            .flat_map(|t| t.iter().map(|(k, v)| (k.len() + v.len()) as u64))
            .sum()
    }
}
