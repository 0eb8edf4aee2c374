//! Scheduled backups: one every `every`, counted from the newest backup in the folder, so a
//! restart neither takes an extra one nor skips one.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::{Backups, list};

/// How long to wait after a failed backup before trying again.
const RETRY: Duration = Duration::from_secs(15 * 60);

/// Runs until the process ends.
pub fn run(backups: Arc<Backups>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(dir) = backups.dir().map(std::path::Path::to_path_buf) else {
            return;
        };
        let every_chrono = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::MAX);
        loop {
            let newest = list(&dir)
                .ok()
                .and_then(|all| all.last().map(|(at, _)| *at));
            let due = newest.map_or_else(Utc::now, |at| at + every_chrono);
            let wait = (due - Utc::now()).to_std().unwrap_or(Duration::ZERO);
            tokio::time::sleep(wait).await;
            if let Err(e) = backups.take(None, None).await {
                tracing::error!(error = %e, "the scheduled backup failed");
                tokio::time::sleep(RETRY.min(every)).await;
            }
        }
    })
}
