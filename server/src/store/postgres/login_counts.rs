//! Sign-in failures counted in the database, so that every instance on it counts the same
//! failures and books the same turns (`auth::RateLimiter`). One short transaction per
//! attempt, on the read pool: it does not wait behind the writer's group commits.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;

use super::{MAX_ATTEMPTS, backoff, db_error, describe, retryable};
use crate::auth::{Counted, LoginCounter, LoginLimits};
use crate::store::Error;

/// Every this many attempts, counters whose window is over are removed (an attacker making
/// up logins must not grow the table without bound).
const SWEEP_EVERY: u64 = 256;

static ATTEMPTS: AtomicU64 = AtomicU64::new(0);

pub(super) async fn count(
    pool: Pool,
    limits: LoginLimits,
    account: Vec<u8>,
    pair: Vec<u8>,
) -> Result<Counted, Error> {
    let sweep = ATTEMPTS
        .fetch_add(1, Ordering::Relaxed)
        .is_multiple_of(SWEEP_EVERY);
    let mut attempt = 0;
    loop {
        let mut client = pool
            .get()
            .await
            .map_err(|e| Error::io(format!("the database cannot be reached: {}", describe(&e))))?;
        match count_once(&mut client, &limits, &account, &pair, sweep).await {
            Ok(c) => return Ok(c),
            Err(e) if retryable(&e) && attempt + 1 < MAX_ATTEMPTS => {
                attempt += 1;
                tokio::time::sleep(backoff(attempt)).await;
            }
            Err(e) => return Err(db_error(&e)),
        }
    }
}

async fn count_once(
    client: &mut deadpool_postgres::Object,
    limits: &LoginLimits,
    account: &[u8],
    pair: &[u8],
    sweep: bool,
) -> Result<Counted, tokio_postgres::Error> {
    let txn = client.transaction().await?;
    // Rows are made, then locked, in key order (every account key sorts before every pair
    // key), so that two attempts never wait on each other's locks in a circle.
    txn.execute(
        "INSERT INTO login_counts (key, start_ms, failures)
         VALUES ($1, 0, 0), ($2, 0, 0) ON CONFLICT (key) DO NOTHING",
        &[&account, &pair],
    )
    .await?;
    let rows = txn
        .query(
            "SELECT key, start_ms, failures, next_turn_ms,
                    (extract(epoch FROM clock_timestamp()) * 1000)::bigint
             FROM login_counts WHERE key = ANY($1) ORDER BY key FOR UPDATE",
            &[&vec![account, pair]],
        )
        .await?;
    let now_ms: i64 = rows.first().map_or(0, |r| r.get(4));
    let now = at(now_ms);
    let read = |key: &[u8]| {
        rows.iter()
            .find(|r| r.get::<_, &[u8]>(0) == key)
            .map_or(LoginCounter::new(now), |r| LoginCounter {
                start: at(r.get(1)),
                failures: u32::try_from(r.get::<_, i32>(2)).unwrap_or(0),
                next_turn: r.get::<_, Option<i64>>(3).map(at),
            })
    };
    let (mut a, mut p) = (read(account), read(pair));
    let counted = limits.count(&mut a, &mut p, now);
    let update = txn
        .prepare_cached(
            "UPDATE login_counts SET start_ms = $2, failures = $3, next_turn_ms = $4 WHERE key = $1",
        )
        .await?;
    for (key, c) in [(account, a), (pair, p)] {
        let failures = i32::try_from(c.failures).unwrap_or(i32::MAX);
        txn.execute(
            &update,
            &[
                &key,
                &c.start.timestamp_millis(),
                &failures,
                &c.next_turn.map(|t| t.timestamp_millis()),
            ],
        )
        .await?;
    }
    if sweep {
        let window = i64::try_from(limits.window.as_millis()).unwrap_or(i64::MAX);
        txn.execute(
            "DELETE FROM login_counts WHERE start_ms < $1::bigint - $2::bigint
               AND coalesce(next_turn_ms, 0) < $1::bigint AND NOT key = ANY($3)",
            &[&now_ms, &window, &vec![account, pair]],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(counted)
}

pub(super) async fn refund(pool: Pool, account: Vec<u8>, pair: Vec<u8>) -> Result<(), Error> {
    let client = pool
        .get()
        .await
        .map_err(|e| Error::io(format!("the database cannot be reached: {}", describe(&e))))?;
    client
        .execute(
            "UPDATE login_counts SET failures = greatest(failures - 1, 0) WHERE key = ANY($1)",
            &[&vec![account, pair]],
        )
        .await
        .map_err(|e| db_error(&e))?;
    Ok(())
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
