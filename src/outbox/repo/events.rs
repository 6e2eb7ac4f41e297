//! Event queries: the insert every area's writes share, the list, and the
//! lookups deliveries make.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::webhook_events;
use crate::db::{DbConnection, TenantId, WebhookEventId};
use crate::outbox::model::{OutboxEvent, WebhookEventType};
use crate::pagination::PageRequest;

/// Inserts the events (a whole batch in one statement per chunk).
pub fn insert(conn: &mut DbConnection, events: &[OutboxEvent]) -> QueryResult<()> {
    crate::insert_rows!(conn, webhook_events::table, events).map(drop)
}

/// Deletes the tenant's events written before `cutoff`; returns how many.
pub fn delete_before(
    conn: &mut DbConnection,
    tenant: &TenantId,
    cutoff: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        webhook_events::table
            .filter(webhook_events::tenant_id.eq(tenant))
            .filter(webhook_events::created_at.lt(cutoff)),
    )
    .execute(conn)
}

/// Filters of the event list.
#[derive(Debug, Default, Clone)]
pub struct EventFilter {
    /// Only this type.
    pub event_type: Option<WebhookEventType>,
    /// At or after.
    pub from: Option<NaiveDateTime>,
    /// Before.
    pub to: Option<NaiveDateTime>,
}

/// One page of the tenant's events, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &EventFilter,
    page: &PageRequest,
) -> QueryResult<Vec<OutboxEvent>> {
    let mut query = webhook_events::table
        .filter(webhook_events::tenant_id.eq(tenant))
        .select(OutboxEvent::as_select())
        .into_boxed();
    if let Some(event_type) = filter.event_type {
        query = query.filter(webhook_events::event_type.eq(event_type));
    }
    if let Some(from) = filter.from {
        query = query.filter(webhook_events::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(webhook_events::created_at.lt(to));
    }
    crate::paginate!(query, webhook_events, page).load(conn)
}

/// The tenant's events with these ids.
pub fn events_by_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[WebhookEventId],
) -> QueryResult<Vec<OutboxEvent>> {
    webhook_events::table
        .filter(webhook_events::tenant_id.eq(tenant))
        .filter(webhook_events::id.eq_any(ids))
        .select(OutboxEvent::as_select())
        .load(conn)
}
