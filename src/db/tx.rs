//! `write_tx`: the one way to run a write that reads before it writes.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::Error as DieselError;

use super::connection::DbConnection;

/// Runs `f` in a transaction suited to writes on each backend, committing when it
/// returns `Ok` and rolling back when it returns `Err`.
///
/// - SQLite: `BEGIN IMMEDIATE` takes the write lock up front. A deferred transaction
///   that reads and then writes fails with "database is locked" when another writer
///   got there first; an immediate one waits (`busy_timeout`) and then proceeds.
/// - PostgreSQL: a plain `BEGIN` (READ COMMITTED). Correctness under concurrency
///   comes from conditional atomic updates checked by their affected-row counts and
///   from unique constraints, not from the isolation level.
///
/// Nested `conn.transaction(..)` calls inside `f` become savepoints, because the
/// transaction is opened through diesel's own transaction manager.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DieselError>,
{
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    type Tm = <DbConnection as diesel::Connection>::TransactionManager;
    match f(conn) {
        Ok(value) => {
            Tm::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => match Tm::rollback_transaction(conn) {
            Ok(()) | Err(DieselError::BrokenTransactionManager) => Err(err),
            Err(rollback_err) => Err(rollback_err.into()),
        },
    }
}
