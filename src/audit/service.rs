//! What other areas call to leave an event, in the transaction of the change
//! it records (so there is never a change without its event, nor an event for
//! a change that rolled back), and the admin's list.

use crate::audit::dto::{AuditEventResponse, AuditQuery};
use crate::audit::model::AuditEntry;
use crate::audit::repo;
use crate::auth::TenantCtx;
use crate::db::{DbConnection, TenantId};
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;
use crate::tenants;

/// Writes an event (call inside the transaction of the change it records).
pub fn record(
    conn: &mut DbConnection,
    tenant: &TenantId,
    entry: AuditEntry<'_>,
) -> diesel::QueryResult<()> {
    repo::insert(conn, tenant, entry)
}

/// Records that the admin of `ctx` did `action` to `target_type` `target_id`.
pub fn admin_action(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    action: &str,
    target_type: &str,
    target_id: &str,
    meta: &RequestMeta,
) -> diesel::QueryResult<()> {
    record(
        conn,
        &ctx.tenant_id,
        AuditEntry::new(action, meta)
            .by(&ctx.user_id)
            .on(target_type, target_id),
    )
}

/// One page of the tenant's events matching `query` (its dates on the
/// tenant's calendar), newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    query: AuditQuery,
    page: &PageRequest,
) -> Result<Page<AuditEventResponse>, ApiError> {
    let calendar = tenants::calendar_for(conn, tenant, &[query.from, query.to])?;
    let rows = repo::list(conn, tenant, &query.into_filter(&calendar), page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |e| (e.created_at, e.id.to_string()),
        AuditEventResponse::from,
    ))
}
