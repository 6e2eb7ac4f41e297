//! The connection pool: our own r2d2 manager that picks the backend from the URL
//! scheme (diesel's derived `establish` tries each backend in turn and would hide
//! the real Postgres error behind SQLite's), and SQLite pragmas (or PostgreSQL's
//! statement cache setting) on every new connection.
//!
//! A checkout does not test the connection (r2d2's default is a `SELECT 1`
//! before every lend: a second round trip on every request). Instead each
//! connection carries a [`ConnectionWatch`] that notes when a statement finds
//! the server gone, and the pool drops such a connection when it comes back.
//! After PostgreSQL restarts, each pooled connection fails the one request
//! that finds it dead (503 `service_unavailable`, with `Retry-After`), and the
//! next request gets a fresh connection.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::{CacheSize, Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::r2d2::{self, CustomizeConnection, ManageConnection, R2D2Connection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{Connection, ConnectionError, PgConnection, SqliteConnection};

use super::connection::{Backend, DbConnection, redact};

/// An r2d2 pool of [`DbConnection`]s.
pub type DbPool = r2d2::Pool<ConnectionManager>;

/// The file path inside a `sqlite://path` or `sqlite:path` URL.
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Opens connections of the backend named by the URL scheme.
#[derive(Debug)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
}

impl ConnectionManager {
    /// A manager for `url`; fails on an unknown scheme.
    pub fn new(url: &str) -> Result<Self, String> {
        Ok(Self {
            url: url.to_string(),
            backend: Backend::from_url(url)?,
        })
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        let conn = match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConnection::Postgresql),
            Backend::Sqlite => {
                let path = sqlite_path(&self.url);
                ensure_parent_dir(path)?;
                SqliteConnection::establish(path).map(DbConnection::Sqlite)
            }
        };
        conn.map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    /// Broken when diesel says so (a transaction left open or failed) or when
    /// a statement found the server gone: diesel's PostgreSQL connection does
    /// not notice a closed socket by itself.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
            || conn
                .instrumentation()
                .downcast_ref::<ConnectionWatch>()
                .is_some_and(|watch| watch.server_gone)
    }
}

/// Watches every statement of one pooled connection: remembers when the
/// server was gone (see [`ConnectionManager::has_broken`]) and feeds the
/// pool's [`QueryCounter`], when it has one.
#[derive(Debug, Default)]
struct ConnectionWatch {
    server_gone: bool,
    counter: Option<QueryCounter>,
}

impl Instrumentation for ConnectionWatch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                if let Some(counter) = &self.counter {
                    counter.started(&query.to_string());
                }
            }
            InstrumentationEvent::FinishQuery {
                error:
                    Some(DieselError::DatabaseError(
                        DatabaseErrorKind::ClosedConnection
                        | DatabaseErrorKind::UnableToSendCommand,
                        _,
                    )),
                ..
            } => self.server_gone = true,
            _ => {}
        }
    }
}

/// Creates the directory of a SQLite file on first run (`data/` by default).
fn ensure_parent_dir(path: &str) -> Result<(), r2d2::Error> {
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => std::fs::create_dir_all(dir)
            .map_err(|e| {
                r2d2::Error::ConnectionError(ConnectionError::BadConnection(format!(
                    "cannot create {}: {e}",
                    dir.display()
                )))
            }),
        _ => Ok(()),
    }
}

/// Counts every statement a connection runs (for the query-count tests that
/// prove list endpoints have no N+1, and for anyone who wants the number), and
/// when built with [`QueryCounter::recording`] keeps their SQL too (for the
/// test that checks every statement's shape names its tenant).
#[derive(Debug, Clone, Default)]
pub struct QueryCounter {
    count: Arc<AtomicUsize>,
    statements: Option<Arc<Mutex<Vec<String>>>>,
}

impl QueryCounter {
    /// A counter that also records each statement's SQL (binds left out).
    pub fn recording() -> Self {
        Self {
            count: Arc::default(),
            statements: Some(Arc::default()),
        }
    }

    /// Statements run so far.
    pub fn get(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// The SQL of the statements run so far (empty unless recording).
    pub fn statements(&self) -> Vec<String> {
        self.statements.as_ref().map_or_else(Vec::new, |log| {
            log.lock().unwrap_or_else(|e| e.into_inner()).clone()
        })
    }

    /// Counts one statement (`text` is diesel's rendering: SQL, then binds).
    fn started(&self, text: &str) {
        self.count.fetch_add(1, Ordering::SeqCst);
        if let Some(log) = &self.statements {
            let sql = text.split(" -- binds: ").next().unwrap_or_default();
            log.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(sql.to_string());
        }
    }
}

/// Prepares every new connection.
///
/// SQLite: a deferred transaction that later writes loses with "database is
/// locked"; WAL plus a busy timeout and `BEGIN IMMEDIATE` (see `write_tx`) make
/// concurrent writers queue instead.
///
/// PostgreSQL without prepared statements: diesel names the statements it
/// caches (`__diesel_stmt_N`), which is state of the server connection. Behind
/// a pooler in transaction mode (PgBouncer before 1.21) the next transaction
/// may run on another server connection, where the name is unknown or taken.
/// With the cache disabled diesel uses the unnamed statement, which lives only
/// for the one query.
#[derive(Debug)]
struct ConnectionSetup {
    counter: Option<QueryCounter>,
    prepared_statements: bool,
}

impl CustomizeConnection<DbConnection, r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.set_instrumentation(ConnectionWatch {
            server_gone: false,
            counter: self.counter.clone(),
        });
        match conn {
            DbConnection::Sqlite(c) => c
                .batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?,
            DbConnection::Postgresql(c) if !self.prepared_statements => {
                c.set_prepared_statement_cache_size(CacheSize::Disabled);
            }
            DbConnection::Postgresql(_) => {}
        }
        Ok(())
    }
}

/// Opens one connection outside any pool, prepared like the pool's
/// (`prepared_statements`: see `database.prepared_statements`).
pub fn establish(url: &str, prepared_statements: bool) -> Result<DbConnection, String> {
    let mut conn = ConnectionManager::new(url)?
        .connect()
        .map_err(|e| format!("cannot connect to {}: {e}", redact(url)))?;
    let setup = ConnectionSetup {
        counter: None,
        prepared_statements,
    };
    setup
        .on_acquire(&mut conn)
        .map_err(|e| format!("cannot configure the connection: {e}"))?;
    Ok(conn)
}

/// Pool sizing and timeouts, from `[database]` in the configuration.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// Maximum open connections.
    pub max_size: u32,
    /// How long a checkout waits before the request answers 503.
    pub timeout: Duration,
    /// Counts the statements of every pooled connection, when set.
    pub query_counter: Option<QueryCounter>,
    /// Whether PostgreSQL connections cache named prepared statements.
    pub prepared_statements: bool,
}

/// Builds the pool. `connect_now` opens one connection first, so that a bad URL or
/// an unreachable server fails start-up with the real cause instead of a timeout.
pub fn build_pool(url: &str, settings: &PoolSettings, connect_now: bool) -> Result<DbPool, String> {
    if connect_now {
        establish(url, settings.prepared_statements)?;
    }
    let manager = ConnectionManager::new(url)?;
    let builder = r2d2::Pool::builder()
        .max_size(settings.max_size)
        .min_idle(Some(0))
        .test_on_check_out(false)
        .connection_timeout(settings.timeout)
        .connection_customizer(Box::new(ConnectionSetup {
            counter: settings.query_counter.clone(),
            prepared_statements: settings.prepared_statements,
        }));
    Ok(builder.build_unchecked(manager))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_comes_from_the_scheme() {
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("sqlite://data/x.db").unwrap(),
            Backend::Sqlite
        );
        assert!(Backend::from_url("mysql://x").is_err());
        assert_eq!(sqlite_path("sqlite://data/x.db"), "data/x.db");
        assert_eq!(sqlite_path("sqlite:///tmp/x.db"), "/tmp/x.db");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/hearth"),
            "postgres://app:***@db:5432/hearth"
        );
        assert_eq!(
            redact("postgres://app@db/hearth"),
            "postgres://app@db/hearth"
        );
    }
}
