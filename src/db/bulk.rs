//! Inserting many rows at once (rosters, imports, the benchmark seeder); an
//! empty slice sends nothing. The connection enum
//! has no batch insert, so [`insert_rows!`](crate::insert_rows) matches on the
//! backend and lets each concrete connection send multi-row INSERTs.

/// Rows per INSERT: 1,000 rows of up to ~20 columns stay under SQLite's 32,766
/// and PostgreSQL's 65,535 bind parameters.
pub const ROWS_PER_INSERT: usize = 1000;

/// `insert_rows!(conn, table, rows)` inserts the slice `rows` into `table` in
/// chunks of [`ROWS_PER_INSERT`] and evaluates to `QueryResult<usize>`, the
/// number of rows inserted. Run it inside a transaction: a failed chunk then
/// leaves nothing behind.
#[macro_export]
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {{
        use diesel::RunQueryDsl as _;
        let conn: &mut $crate::db::DbConnection = $conn;
        // Summing `QueryResult`s stops at the first failed chunk.
        $rows
            .chunks($crate::db::bulk::ROWS_PER_INSERT)
            .map(|chunk| match &mut *conn {
                $crate::db::DbConnection::Postgresql(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)
                }
                $crate::db::DbConnection::Sqlite(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)
                }
            })
            .sum::<diesel::QueryResult<usize>>()
    }};
}

/// Brings the planner's statistics (and on PostgreSQL the visibility map that
/// lets index-only scans skip the table) up to date after a bulk load, as
/// autovacuum would in time. Outside any transaction: VACUUM refuses to run
/// inside one.
pub fn refresh_statistics(conn: &mut super::connection::DbConnection) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl as _;
    let statement = match conn.backend() {
        super::connection::Backend::Postgres => "VACUUM ANALYZE",
        super::connection::Backend::Sqlite => "ANALYZE",
    };
    diesel::sql_query(statement).execute(conn).map(drop)
}
