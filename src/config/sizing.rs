//! How many threads and connections one instance runs, from the settings and
//! the machine's cores.
//!
//! Every request that touches the database runs its diesel calls on actix's
//! blocking threads, each holding one pooled connection. A blocking thread
//! beyond the pool can only wait for a connection, yet it is one more thread
//! for the scheduler: with the old unbounded default (512 per worker) a 2-core
//! instance ran 80–124 threads under 64 connections, and when other processes
//! shared the cores the catalogue's p99 seen by clients was 143–443 ms while
//! the handlers' own p99 was 32–43 ms (the tail was scheduling, not work). So
//! each worker may run its share of the pools (the primary's, and the
//! replica's when there is one), plus its share of the password hashes (which
//! hold no connection), and no more.

/// The resolved sizes of one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizing {
    /// actix workers (async threads that parse requests and run handlers).
    pub workers: usize,
    /// Pooled database connections (to the primary; as many again to the
    /// replica when there is one).
    pub pool_size: u32,
    /// Concurrent password hashes.
    pub password_hashes: usize,
    /// Blocking threads each worker may run (one per pooled connection of its
    /// share: database work never waits for a thread; password hashing has
    /// threads of its own).
    pub blocking_threads_per_worker: usize,
}

/// Connections per core when `database.pool_size = 0`: a request spends most
/// of its time waiting on PostgreSQL, so a few connections per core keep the
/// cores busy without queueing work inside the database.
pub const CONNECTIONS_PER_CORE: u32 = 4;

impl Sizing {
    /// Resolves the zero ("derive it") settings against `cores`.
    pub fn resolve(
        workers: usize,
        pool_size: u32,
        replica: bool,
        password_hashes: usize,
        cores: usize,
    ) -> Self {
        let workers = if workers == 0 { cores.max(1) } else { workers };
        let pool_size = derived_pool_size(pool_size, cores);
        let password_hashes = derived_password_hashes(password_hashes, cores);
        let share = |total: usize| total.div_ceil(workers);
        let pools = if replica { 2 } else { 1 };
        let connections = usize::try_from(pool_size).map_or(usize::MAX, |n| n * pools);
        Self {
            workers,
            pool_size,
            password_hashes,
            blocking_threads_per_worker: share(connections),
        }
    }
}

/// The cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `database.pool_size`, with 0 meaning [`CONNECTIONS_PER_CORE`] per core.
pub fn derived_pool_size(setting: u32, cores: usize) -> u32 {
    match setting {
        0 => CONNECTIONS_PER_CORE.saturating_mul(u32::try_from(cores.max(1)).unwrap_or(u32::MAX)),
        n => n,
    }
}

/// `auth.password_hash_concurrency`, with 0 meaning one fewer than the cores
/// (at least one): with a permit per core a login flood kept both cores of the
/// benchmark machine busy hashing and the catalogue's p99 more than doubled
/// (bench/README.md); one core stays for everything else.
pub fn derived_password_hashes(setting: usize, cores: usize) -> usize {
    match setting {
        0 => cores.saturating_sub(1).max(1),
        n => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_derived_from_the_cores() {
        let s = Sizing::resolve(0, 0, false, 0, 2);
        assert_eq!(s.workers, 2);
        assert_eq!(s.pool_size, 8);
        assert_eq!(s.password_hashes, 1);
        // 8 connections over 2 workers: 4 threads each.
        assert_eq!(s.blocking_threads_per_worker, 4);
    }

    #[test]
    fn explicit_values_win_and_shares_round_up() {
        let s = Sizing::resolve(3, 16, false, 2, 8);
        assert_eq!((s.workers, s.pool_size, s.password_hashes), (3, 16, 2));
        assert_eq!(s.blocking_threads_per_worker, 6);
    }

    #[test]
    fn a_replica_pool_gets_its_threads_too() {
        let s = Sizing::resolve(2, 8, true, 1, 2);
        assert_eq!(s.blocking_threads_per_worker, 8);
    }

    #[test]
    fn one_core_still_gets_a_hash_slot_and_a_connection() {
        let s = Sizing::resolve(0, 0, false, 0, 1);
        assert_eq!((s.workers, s.pool_size, s.password_hashes), (1, 4, 1));
        assert_eq!(s.blocking_threads_per_worker, 4);
    }
}
