//! Delivery queries: planning, the claim (through `db::claim`), outcomes,
//! and the admin's list with attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::claim::Claim;
use crate::db::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::db::{DbConnection, TenantId, WebhookDeliveryId, WebhookEndpointId};
use crate::outbox::model::{DeliveryStatus, WebhookAttempt, WebhookDelivery};
use crate::pagination::PageRequest;

/// Inserts planned deliveries (in the transaction of their events).
pub fn insert_deliveries(conn: &mut DbConnection, rows: &[WebhookDelivery]) -> QueryResult<()> {
    crate::insert_rows!(conn, webhook_deliveries::table, rows).map(drop)
}

/// Whether the tenant has a pending delivery due at `now`: a cheap read
/// (on the partial index of pending deliveries) that spares an idle look
/// the write transaction of [`claim_due`].
pub fn any_due(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant))
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .select(webhook_deliveries::id)
        .first::<WebhookDeliveryId>(conn)
        .optional()
        .map(|found| found.is_some())
}

/// Claims up to `limit` of the tenant's deliveries due at `now` whose
/// endpoint is enabled and which no live claim holds (see `db::claim`: run
/// it in a write transaction), and returns them.
pub fn claim_due(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
    limit: i64,
    claim: Claim<'_>,
) -> QueryResult<Vec<WebhookDelivery>> {
    let enabled = webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant))
        .filter(webhook_endpoints::disabled_at.is_null())
        .select(webhook_endpoints::id);
    let due = webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant))
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(
            webhook_deliveries::claimed_until
                .is_null()
                .or(webhook_deliveries::claimed_until.lt(now)),
        )
        .filter(webhook_deliveries::endpoint_id.eq_any(enabled))
        .order((webhook_deliveries::next_attempt_at, webhook_deliveries::id))
        .limit(limit)
        .select(webhook_deliveries::id);
    if !crate::claim_rows!(conn, webhook_deliveries, tenant, due, claim)? {
        return Ok(Vec::new());
    }
    webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant))
        .filter(webhook_deliveries::claim.eq(claim.token))
        .select(WebhookDelivery::as_select())
        .load(conn)
}

/// Where a delivery stands after an attempt.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// Delivered, failed for good, or pending again.
    pub status: DeliveryStatus,
    /// Attempts of its schedule so far.
    pub attempts: i32,
    /// When it is next due (pending), or stays as it was.
    pub next_attempt_at: NaiveDateTime,
    /// When it was delivered.
    pub delivered_at: Option<NaiveDateTime>,
}

/// Writes the outcome of the attempt made under `token` and releases the
/// claim; false when the claim had lapsed and another took the delivery.
pub fn finish_delivery(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &WebhookDeliveryId,
    token: &str,
    outcome: Outcome,
) -> QueryResult<bool> {
    let updated = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::tenant_id.eq(tenant))
            .filter(webhook_deliveries::id.eq(id))
            .filter(webhook_deliveries::claim.eq(token)),
    )
    .set((
        webhook_deliveries::status.eq(outcome.status),
        webhook_deliveries::attempts.eq(outcome.attempts),
        webhook_deliveries::next_attempt_at.eq(outcome.next_attempt_at),
        webhook_deliveries::delivered_at.eq(outcome.delivered_at),
        webhook_deliveries::claim.eq(None::<String>),
        webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Makes the delivery due at `now` with a new schedule (a manual retry);
/// false when the tenant has no such delivery.
pub fn reschedule_delivery(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &WebhookDeliveryId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::tenant_id.eq(tenant))
            .filter(webhook_deliveries::id.eq(id)),
    )
    .set((
        webhook_deliveries::status.eq(DeliveryStatus::Pending),
        webhook_deliveries::attempts.eq(0),
        webhook_deliveries::next_attempt_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The tenant's delivery `id`.
pub fn delivery(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &WebhookDeliveryId,
) -> QueryResult<Option<WebhookDelivery>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant))
        .filter(webhook_deliveries::id.eq(id))
        .select(WebhookDelivery::as_select())
        .first(conn)
        .optional()
}

/// One page of an endpoint's deliveries, newest first.
pub fn deliveries_of_endpoint(
    conn: &mut DbConnection,
    tenant: &TenantId,
    endpoint: &WebhookEndpointId,
    page: &PageRequest,
) -> QueryResult<Vec<WebhookDelivery>> {
    let query = webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant))
        .filter(webhook_deliveries::endpoint_id.eq(endpoint))
        .select(WebhookDelivery::as_select())
        .into_boxed();
    crate::paginate!(query, webhook_deliveries, page).load(conn)
}

/// Records an attempt.
pub fn insert_attempt(conn: &mut DbConnection, attempt: &WebhookAttempt) -> QueryResult<()> {
    diesel::insert_into(webhook_attempts::table)
        .values(attempt)
        .execute(conn)
        .map(drop)
}

/// The attempts at these deliveries of the tenant, oldest first.
pub fn attempts_of(
    conn: &mut DbConnection,
    tenant: &TenantId,
    deliveries: &[WebhookDeliveryId],
) -> QueryResult<Vec<WebhookAttempt>> {
    webhook_attempts::table
        .filter(webhook_attempts::tenant_id.eq(tenant))
        .filter(webhook_attempts::delivery_id.eq_any(deliveries))
        .order((webhook_attempts::attempted_at, webhook_attempts::id))
        .select(WebhookAttempt::as_select())
        .load(conn)
}
