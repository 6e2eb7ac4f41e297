//! Mail use-cases: writing messages (`post`), sending them (`postman`,
//! which speaks SMTP through `smtp`), and forgetting old ones ([`purge`]).

pub mod post;
pub mod postman;
pub mod smtp;

use crate::db::DbConnection;
use crate::error::ApiError;
use crate::mail::repo;
use crate::tenants;

/// Deletes every tenant's messages older than `retention_days` (the
/// outbox's retention); returns how many.
pub fn purge(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    retention_days: u64,
) -> Result<usize, ApiError> {
    Ok(tenants::purge_older_than(
        conn,
        now,
        retention_days,
        repo::delete_before,
    )?)
}
