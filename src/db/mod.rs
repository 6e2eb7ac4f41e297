//! Storage: one binary, two backends.
//!
//! `DATABASE_URL` picks the backend at run time: `sqlite://path` (the default, an
//! embedded file) or `postgres://…` (production). Everything above this module sees
//! one connection type, [`DbConnection`], and one handle, [`Db`].
//!
//! The rules every area follows:
//! - All diesel calls, the pool checkout included, run inside `web::block` via
//!   [`Db::read`] / [`Db::write`]; never on an actix worker thread.
//! - Every write that reads before it writes goes through [`Db::write`], which runs
//!   the closure in [`write_tx`] (`BEGIN IMMEDIATE` on SQLite).
//! - Concurrency-critical updates are conditional atomic updates checked by their
//!   affected-row count, guarded by unique constraints: MultiBackend has no
//!   `ON CONFLICT`, `RETURNING`, batch insert or `FOR UPDATE`.
//! - A backend-specific statement, where one is really needed, lives in a small
//!   `match` on [`DbConnection`] inside this module (multi-row inserts in
//!   `bulk`, claiming work-queue rows in `claim`); a statement both backends
//!   send alike but the enum cannot express (`RETURNING`, `ON CONFLICT DO
//!   NOTHING`) goes through `concrete`'s macros.

pub mod bulk;
pub mod claim;
pub mod concrete;
mod connection;
mod handle;
mod ids;
pub mod join;
mod migrations;
mod pool;
mod replica;
pub mod schema;
pub mod search;
pub(crate) mod text_column;
mod tx;

pub use connection::{Backend, DbConnection, MultiBackend};
pub use handle::Db;
pub use ids::{
    AllocationId, AttendanceId, AuditEventId, BadgeId, ChargeId, ChargeScheduleId, EventId,
    GroupId, HouseholdId, IdempotencyKeyId, LoginAttemptId, MailMessageId, PaymentId, PointEntryId,
    PointRuleId, RedemptionId, RefreshTokenId, RefundId, ResetCodeId, ResetRequestId, RewardId,
    SessionId, TenantId, UserId, WebhookAttemptId, WebhookDeliveryId, WebhookEndpointId,
    WebhookEventId,
};
pub use migrations::run_migrations;
pub use pool::{DbPool, PoolSettings, QueryCounter, build_pool, establish};
pub use replica::{Replica, ReplicaState};
pub use tx::write_tx;
