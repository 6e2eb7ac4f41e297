//! Statements both backends send but the connection enum cannot express
//! (`RETURNING`, `ON CONFLICT`): [`on_concrete!`](crate::on_concrete) runs one
//! expression on whichever concrete connection is inside, compiled once for
//! each, so the SQL is the same statement on both.

/// `on_concrete!(conn, c => expression)` evaluates `expression` with `c`
/// bound to the `PgConnection` or `SqliteConnection` inside `conn`.
#[macro_export]
macro_rules! on_concrete {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// `insert_if_absent!(conn, table, values)` inserts `values` into `table`
/// unless a unique constraint already holds that key, and evaluates to
/// `QueryResult<bool>`: whether the row went in.
///
/// On PostgreSQL, when a concurrent transaction has inserted the same key and
/// not yet ended, the statement waits for it: if it commits, nothing is
/// inserted (and a following read sees its row); if it rolls back, ours goes
/// in. SQLite's `BEGIN IMMEDIATE` lets one writer at a time get this far.
#[macro_export]
macro_rules! insert_if_absent {
    ($conn:expr, $table:expr, $values:expr) => {{
        use diesel::RunQueryDsl as _;
        let conn: &mut $crate::db::DbConnection = $conn;
        $crate::on_concrete!(conn, c => diesel::insert_into($table)
            .values($values)
            .on_conflict_do_nothing()
            .execute(c))
        .map(|rows| rows == 1)
    }};
}
