//! Webhook endpoint queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::webhook_endpoints;
use crate::db::{DbConnection, TenantId, WebhookEndpointId};
use crate::outbox::model::WebhookEndpoint;
use crate::pagination::PageRequest;

/// Inserts an endpoint.
pub fn insert_endpoint(conn: &mut DbConnection, endpoint: &WebhookEndpoint) -> QueryResult<()> {
    diesel::insert_into(webhook_endpoints::table)
        .values(endpoint)
        .execute(conn)
        .map(drop)
}

/// The tenant's endpoint `id`.
pub fn endpoint(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &WebhookEndpointId,
) -> QueryResult<Option<WebhookEndpoint>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant))
        .filter(webhook_endpoints::id.eq(id))
        .select(WebhookEndpoint::as_select())
        .first(conn)
        .optional()
}

/// The tenant's endpoints with these ids.
pub fn endpoints_by_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[WebhookEndpointId],
) -> QueryResult<Vec<WebhookEndpoint>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant))
        .filter(webhook_endpoints::id.eq_any(ids))
        .select(WebhookEndpoint::as_select())
        .load(conn)
}

/// The tenant's enabled endpoints (those new events are planned for).
pub fn enabled_endpoints(
    conn: &mut DbConnection,
    tenant: &TenantId,
) -> QueryResult<Vec<WebhookEndpoint>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant))
        .filter(webhook_endpoints::disabled_at.is_null())
        .select(WebhookEndpoint::as_select())
        .load(conn)
}

/// One page of the tenant's endpoints, newest first.
pub fn list_endpoints(
    conn: &mut DbConnection,
    tenant: &TenantId,
    page: &PageRequest,
) -> QueryResult<Vec<WebhookEndpoint>> {
    let query = webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant))
        .select(WebhookEndpoint::as_select())
        .into_boxed();
    crate::paginate!(query, webhook_endpoints, page).load(conn)
}

/// What a change to an endpoint sets (`None` keeps).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = webhook_endpoints)]
pub struct EndpointChange {
    /// New target.
    pub url: Option<String>,
    /// New description (`Some(None)` clears it).
    pub description: Option<Option<String>>,
    /// New types.
    pub event_types: Option<String>,
    /// New secret.
    pub secret: Option<String>,
    /// The secret it replaces.
    pub previous_secret: Option<Option<String>>,
    /// Until when that one signs too.
    pub previous_secret_until: Option<Option<NaiveDateTime>>,
    /// Disabled (`Some(None)` enables).
    pub disabled_at: Option<Option<NaiveDateTime>>,
    /// Why.
    pub disabled_reason: Option<Option<String>>,
    /// Changed.
    pub updated_at: Option<NaiveDateTime>,
}

/// Applies `change` to the tenant's endpoint `id`; false when there is none.
pub fn update_endpoint(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &WebhookEndpointId,
    change: &EndpointChange,
) -> QueryResult<bool> {
    let updated = diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::tenant_id.eq(tenant))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .set(change)
    .execute(conn)?;
    Ok(updated == 1)
}

/// Disables the endpoint for `reason` unless it already is.
pub fn disable_endpoint(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &WebhookEndpointId,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::tenant_id.eq(tenant))
            .filter(webhook_endpoints::id.eq(id))
            .filter(webhook_endpoints::disabled_at.is_null()),
    )
    .set((
        webhook_endpoints::disabled_at.eq(now),
        webhook_endpoints::disabled_reason.eq(reason),
        webhook_endpoints::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Deletes the tenant's endpoint `id` (its deliveries and attempts go with
/// it); false when there is none.
pub fn delete_endpoint(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &WebhookEndpointId,
) -> QueryResult<bool> {
    let deleted = diesel::delete(
        webhook_endpoints::table
            .filter(webhook_endpoints::tenant_id.eq(tenant))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}
