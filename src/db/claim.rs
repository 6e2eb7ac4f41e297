//! Claiming rows of a work queue (webhook deliveries, mail) so that one
//! instance at a time works on each: the one statement that differs by
//! backend, in one place.
//!
//! A claim writes a token and a lease (`claim`, `claimed_until`) on the
//! rows; the worker writes each outcome only where its token still stands,
//! and a lease that lapses (an instance that died mid-send) lets another
//! instance take the row again.

use chrono::NaiveDateTime;

/// A claim on due rows: who holds it, and until when.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    /// The claim's token (unique per claim).
    pub token: &'a str,
    /// When it lapses (another instance may then take the rows).
    pub until: NaiveDateTime,
}

/// `claim_rows!(conn, table, tenant, due, claim)` claims the rows of
/// `table` (which has `tenant_id`, `id`, `claim` and `claimed_until`) whose
/// ids the query `due` selects, and evaluates to `QueryResult<bool>`:
/// whether it claimed any. Run it in a write transaction: on PostgreSQL
/// `due` locks its rows `FOR UPDATE SKIP LOCKED`, so instances claiming at
/// once take disjoint rows without waiting for each other; SQLite's `BEGIN
/// IMMEDIATE` already lets one writer claim at a time.
#[macro_export]
macro_rules! claim_rows {
    ($conn:expr, $table:ident, $tenant:expr, $due:expr, $claim:expr) => {{
        use diesel::prelude::*;
        let conn: &mut $crate::db::DbConnection = $conn;
        let claim = $claim;
        let due = $due;
        let ids: diesel::QueryResult<Vec<String>> = match &mut *conn {
            $crate::db::DbConnection::Postgresql(c) => due.for_update().skip_locked().load(c),
            $crate::db::DbConnection::Sqlite(c) => due.load(c),
        };
        ids.and_then(|ids| {
            if ids.is_empty() {
                return Ok(false);
            }
            diesel::update(
                $table::table
                    .filter($table::tenant_id.eq($tenant))
                    .filter($table::id.eq_any(&ids)),
            )
            .set((
                $table::claim.eq(claim.token),
                $table::claimed_until.eq(claim.until),
            ))
            .execute(conn)
            .map(|_| true)
        })
    }};
}
