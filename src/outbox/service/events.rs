//! What other areas call to tell the outside, in the transaction of the
//! change the event describes (which also plans each event's webhook
//! deliveries), and the admin's list.

use serde::Serialize;

use crate::clock;
use crate::db::{DbConnection, TenantId, WebhookEventId};
use crate::error::ApiError;
use crate::outbox::dto::{WebhookEventQuery, WebhookEventResponse};
use crate::outbox::model::{OutboxEvent, WebhookEventType};
use crate::outbox::repo;
use crate::outbox::service::delivery;
use crate::pagination::{Page, PageRequest};
use crate::tenants;

/// Writes an event whose `data` is `resource` as the API returns it (call
/// inside the transaction of the change it describes).
pub fn emit(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event_type: WebhookEventType,
    resource: &impl Serialize,
) -> Result<(), ApiError> {
    if let DbConnection::Postgresql(pg) = conn {
        // One statement for the event and its deliveries.
        let event = event_of(tenant, event_type, resource, clock::now())?;
        return Ok(repo::insert_planned(pg, &event).map(drop)?);
    }
    emit_all(conn, tenant, event_type, [resource])
}

/// Writes one `event_type` event per resource, in one statement per chunk
/// (a bulk change such as an import).
pub fn emit_all<R: Serialize>(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event_type: WebhookEventType,
    resources: impl IntoIterator<Item = R>,
) -> Result<(), ApiError> {
    let events = write(conn, tenant, event_type, resources)?;
    delivery::plan(conn, tenant, &events)
}

/// Writes the events, planning no delivery (the caller plans them).
pub(super) fn write<R: Serialize>(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event_type: WebhookEventType,
    resources: impl IntoIterator<Item = R>,
) -> Result<Vec<OutboxEvent>, ApiError> {
    let created_at = clock::now();
    let events = resources
        .into_iter()
        .map(|resource| event_of(tenant, event_type, &resource, created_at))
        .collect::<Result<Vec<_>, ApiError>>()?;
    repo::insert(conn, &events)?;
    Ok(events)
}

/// The event telling `resource`, written at `created_at`.
fn event_of(
    tenant: &TenantId,
    event_type: WebhookEventType,
    resource: &impl Serialize,
    created_at: chrono::NaiveDateTime,
) -> Result<OutboxEvent, ApiError> {
    let data = serde_json::to_string(resource)
        .map_err(|e| ApiError::internal(format!("cannot serialise a {event_type} event: {e}")))?;
    Ok(OutboxEvent {
        id: WebhookEventId::new(),
        tenant_id: tenant.clone(),
        event_type,
        data,
        created_at,
    })
}

/// Deletes the events older than `retention_days` at `now`, one tenant at a
/// time (each delete stays on one tenant's shard); returns how many.
pub fn purge(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    retention_days: u64,
) -> Result<usize, ApiError> {
    Ok(tenants::purge_older_than(
        conn,
        now,
        retention_days,
        repo::delete_before,
    )?)
}

/// One page of the tenant's events matching `query` (its dates on the
/// tenant's calendar), newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    query: WebhookEventQuery,
    page: &PageRequest,
) -> Result<Page<WebhookEventResponse>, ApiError> {
    let calendar = tenants::calendar_for(conn, tenant, &[query.from, query.to])?;
    let rows = repo::list(conn, tenant, &query.into_filter(&calendar), page)?;
    let events: Vec<WebhookEventResponse> = rows
        .into_iter()
        .map(WebhookEventResponse::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Page::from_rows(
        events,
        page,
        |e| (e.created_at, e.id.clone()),
        |e| e,
    ))
}
