//! A streaming replica for reads that tolerate lag (`database.replica_url`).
//!
//! Which reads go there is decided where they are made: [`Db::read_may_lag`]
//! (its doc lists the routes). Two rules keep it from surprising anyone:
//!
//! - **Read your own writes.** A caller whose request with an unsafe method
//!   (POST, PUT, PATCH, DELETE) finished on this instance within
//!   `database.read_your_writes_secs` reads from the primary. The caller is
//!   the credential it presents (a hash of the `Authorization` header), so a
//!   member who redeemed sees the redemption on the next screen. This memory is
//!   per instance: behind a load balancer that is not sticky, a read landing on
//!   another instance may be as stale as the replica (docs/SCALING.md).
//! - **A replica that is down costs nothing but load.** A checkout that fails,
//!   or a read whose connection no longer answers, marks the replica down for
//!   [`RETRY_AFTER`]; the read runs again on the primary and succeeds there.
//!   `/health/ready` then says `degraded`, not down.
//!
//! [`Db::read_may_lag`]: super::Db::read_may_lag

use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::r2d2::R2D2Connection;

use super::connection::DbConnection;
use super::pool::DbPool;
use crate::error::ApiError;
use crate::ttl_cache::TtlCache;

/// How long a replica that failed is left alone before a read tries it again.
pub const RETRY_AFTER: Duration = Duration::from_secs(10);

/// How long a read waits for a replica connection before it goes to the
/// primary instead (the primary's checkout has its own, longer timeout).
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_millis(500);

/// The replica's pool, whether it is believed up, and who wrote recently.
pub struct Replica {
    pool: DbPool,
    down_since: Mutex<Option<Instant>>,
    recent_writers: TtlCache<u64, ()>,
}

/// What `/health/ready` reports about the replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicaState {
    /// No replica is configured.
    None,
    /// The replica answered.
    Up,
    /// The replica did not answer; its reads go to the primary.
    Down,
}

impl Replica {
    /// A replica reached through `pool`, remembering writers for `read_your_writes`.
    pub fn new(pool: DbPool, read_your_writes: Duration) -> Self {
        Self {
            pool,
            down_since: Mutex::new(None),
            recent_writers: TtlCache::new(read_your_writes),
        }
    }

    fn down_since(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.down_since.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn mark_down(&self) {
        let mut since = self.down_since();
        if since.is_none() {
            log::warn!("read replica unreachable: its reads go to the primary");
        }
        *since = Some(Instant::now());
    }

    fn mark_up(&self) {
        if self.down_since().take().is_some() {
            log::info!("read replica reachable again");
        }
    }

    /// Whether a read may try the replica now.
    fn worth_trying(&self) -> bool {
        self.down_since()
            .is_none_or(|since| since.elapsed() >= RETRY_AFTER)
    }

    /// Remembers that `caller` just wrote.
    pub fn note_write(&self, caller: u64) {
        self.recent_writers.put(caller, ());
    }

    /// Whether `caller`'s reads should see the primary now.
    pub fn wrote_recently(&self, caller: Option<u64>) -> bool {
        caller.is_some_and(|c| self.recent_writers.get(&c).is_some())
    }

    /// Runs `read` on the replica. `None` when the replica could not serve
    /// it (it is then marked down and the caller runs `read` on the primary);
    /// errors of the read itself (not found, bad input) are returned as they are.
    pub fn try_read<T>(
        &self,
        read: &impl Fn(&mut DbConnection) -> Result<T, ApiError>,
    ) -> Option<Result<T, ApiError>> {
        if !self.worth_trying() {
            return None;
        }
        let Ok(mut conn) = self.pool.get_timeout(CHECKOUT_TIMEOUT) else {
            self.mark_down();
            return None;
        };
        match read(&mut conn) {
            Ok(value) => {
                self.mark_up();
                Some(Ok(value))
            }
            // The read failed: its own answer if the replica still answers,
            // the primary's if the connection died under it.
            Err(e) if conn.ping().is_ok() => Some(Err(e)),
            Err(_) => {
                self.mark_down();
                None
            }
        }
    }

    /// Pings the replica (for `/health/ready`), updating what reads believe.
    pub fn probe(&self) -> ReplicaState {
        let answered = self
            .pool
            .get_timeout(CHECKOUT_TIMEOUT)
            .is_ok_and(|mut conn| conn.ping().is_ok());
        if answered {
            self.mark_up();
            ReplicaState::Up
        } else {
            self.mark_down();
            ReplicaState::Down
        }
    }
}
