//! [`Db`], the handle every area holds: it runs blocking database work off the
//! async workers, in a write transaction when asked, and on the read replica
//! when a read tolerates lag.

use std::sync::Arc;

use actix_web::web;

use super::connection::{Backend, DbConnection};
use super::pool::DbPool;
use super::replica::{Replica, ReplicaState};
use super::tx::write_tx;
use crate::error::ApiError;
use crate::request_context;

/// The application's database handle: a pool plus the rule that every diesel call
/// runs on the blocking thread pool, and the read replica when there is one.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    backend: Backend,
    replica: Option<Arc<Replica>>,
}

impl Db {
    /// Wraps a pool whose connections talk to `backend`.
    pub fn new(pool: DbPool, backend: Backend) -> Self {
        Self {
            pool,
            backend,
            replica: None,
        }
    }

    /// This handle, with [`Db::read_may_lag`] served by `replica`.
    pub fn with_replica(self, replica: Replica) -> Self {
        Self {
            replica: Some(Arc::new(replica)),
            ..self
        }
    }

    /// The backend behind this handle.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The underlying pool (CLI commands and tests use it directly).
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// Runs `f` with a pooled connection on the blocking pool, outside any
    /// transaction. For reads, and for single-statement writes.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// Like [`Db::read`], for a read that may be a moment behind the primary:
    /// served by the replica when one is configured and up, unless the caller
    /// wrote recently (see `db::replica`). `f` may run twice (replica, then
    /// primary), so it only reads.
    ///
    /// The routes that read this way: the leaderboards, the members' reward
    /// catalogue and event list, points statements (a member's entries, the
    /// admin ledger), payment statements and the payments summary, and the
    /// attendance summary of an event.
    pub async fn read_may_lag<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: Fn(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let Some(replica) = self.replica.clone() else {
            return self.read(f).await;
        };
        if replica.wrote_recently(request_context::caller()) {
            return self.read(f).await;
        }
        let pool = self.pool.clone();
        web::block(move || match replica.try_read(&f) {
            Some(answer) => answer,
            None => f(&mut *pool.get()?),
        })
        .await?
    }

    /// Remembers that `caller` wrote, so its next reads see the primary.
    pub fn note_write(&self, caller: u64) {
        if let Some(replica) = &self.replica {
            replica.note_write(caller);
        }
    }

    /// Pings the replica, if any (blocking: call it inside [`Db::read`]).
    pub fn probe_replica(&self) -> ReplicaState {
        self.replica
            .as_ref()
            .map_or(ReplicaState::None, |replica| replica.probe())
    }

    /// Runs `f` inside a write transaction (see [`write_tx`]): everything it does
    /// commits together or not at all.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.read(move |conn| write_tx(conn, f)).await
    }
}
