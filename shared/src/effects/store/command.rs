use std::future::Future;

use crux_core::Request;
use crux_core::command::RequestBuilder;

use super::{Entry, StoreError, StoreRequest, StoreResponse, Table, Write};

/// Every entry of `table`, in key order.
#[must_use]
pub fn load<Ef, Ev>(
    table: Table,
) -> RequestBuilder<Ef, Ev, impl Future<Output = Result<Vec<Entry>, StoreError>>>
where
    Ef: From<Request<StoreRequest>> + Send + 'static,
    Ev: Send + 'static,
{
    crux_core::Command::request_from_shell(StoreRequest::Load { table }).map(|r| match r {
        StoreResponse::Loaded { entries } => Ok(entries),
        other => Err(unexpected(other)),
    })
}

/// Writes the batch at once, all or nothing; `Ok` once it is durable.
#[must_use]
pub fn write<Ef, Ev>(
    writes: Vec<Write>,
) -> RequestBuilder<Ef, Ev, impl Future<Output = Result<(), StoreError>>>
where
    Ef: From<Request<StoreRequest>> + Send + 'static,
    Ev: Send + 'static,
{
    crux_core::Command::request_from_shell(StoreRequest::Write { writes }).map(|r| match r {
        StoreResponse::Written => Ok(()),
        other => Err(unexpected(other)),
    })
}

/// Bytes used and allowed, and whether the data is kept under storage pressure.
#[must_use]
pub fn estimate<Ef, Ev>()
-> RequestBuilder<Ef, Ev, impl Future<Output = Result<(u64, u64, bool), StoreError>>>
where
    Ef: From<Request<StoreRequest>> + Send + 'static,
    Ev: Send + 'static,
{
    crux_core::Command::request_from_shell(StoreRequest::Estimate).map(|r| match r {
        StoreResponse::Estimate {
            used,
            quota,
            persisted,
        } => Ok((used, quota, persisted)),
        other => Err(unexpected(other)),
    })
}

/// A shell's failure, or an answer to another question (a shell bug, reported as such).
fn unexpected(r: StoreResponse) -> StoreError {
    match r {
        StoreResponse::Failed(e) => e,
        other => StoreError::Unavailable(format!("unexpected answer {other:?}")),
    }
}
