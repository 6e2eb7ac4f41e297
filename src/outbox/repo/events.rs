//! Event queries: the insert every area's writes share, the list, and the
//! lookups deliveries make.

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Text, Timestamp};

use crate::db::schema::webhook_events;
use crate::db::{DbConnection, TenantId, WebhookEventId};
use crate::outbox::model::{DeliveryStatus, OutboxEvent, WebhookEventType};
use crate::pagination::PageRequest;

/// Inserts the events (a whole batch in one statement per chunk).
pub fn insert(conn: &mut DbConnection, events: &[OutboxEvent]) -> QueryResult<()> {
    crate::insert_rows!(conn, webhook_events::table, events).map(drop)
}

/// Inserts one event and plans its deliveries to the tenant's enabled
/// endpoints that subscribe to its type, in one statement (a data-modifying
/// `WITH`, which SQLite lacks): the write paths that tell one event save the
/// round trip of reading the endpoints first. The subscription test is
/// `WebhookEndpoint::subscribes` in SQL (`event_types` is space-separated).
/// Returns how many deliveries were planned.
pub fn insert_planned(conn: &mut PgConnection, event: &OutboxEvent) -> QueryResult<usize> {
    PlannedEvent(event).execute(conn)
}

/// The statement of [`insert_planned`]; its text never changes, so
/// PostgreSQL prepares it once per connection.
struct PlannedEvent<'a>(&'a OutboxEvent);

impl QueryId for PlannedEvent<'_> {
    type QueryId = PlannedEvent<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl RunQueryDsl<PgConnection> for PlannedEvent<'_> {}

impl QueryFragment<Pg> for PlannedEvent<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let event = self.0;
        out.push_sql(
            "WITH event AS (INSERT INTO webhook_events (id, tenant_id, type, data, created_at) \
             VALUES (",
        );
        out.push_bind_param::<Text, str>(event.id.as_str())?;
        out.push_sql(", ");
        out.push_bind_param::<Text, str>(event.tenant_id.as_str())?;
        out.push_sql(", ");
        out.push_bind_param::<Text, str>(event.event_type.as_str())?;
        out.push_sql(", ");
        out.push_bind_param::<Text, str>(&event.data)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, NaiveDateTime>(&event.created_at)?;
        out.push_sql(
            ") RETURNING id, tenant_id, type, created_at) \
             INSERT INTO webhook_deliveries \
             (id, tenant_id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at) \
             SELECT gen_random_uuid()::text, event.tenant_id, endpoint.id, event.id, ",
        );
        out.push_bind_param::<Text, str>(DeliveryStatus::Pending.as_str())?;
        out.push_sql(
            ", 0, event.created_at, event.created_at \
             FROM event JOIN webhook_endpoints endpoint ON endpoint.tenant_id = event.tenant_id \
             WHERE endpoint.tenant_id = ",
        );
        // The tenant again, as a value: a sharded database routes on it.
        out.push_bind_param::<Text, str>(event.tenant_id.as_str())?;
        out.push_sql(
            " AND endpoint.disabled_at IS NULL \
             AND strpos(' ' || endpoint.event_types || ' ', ' ' || event.type || ' ') > 0",
        );
        Ok(())
    }
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
