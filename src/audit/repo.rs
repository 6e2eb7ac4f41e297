//! Audit queries: the one insert every area's writes share, and the list.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::model::{AuditEntry, AuditEvent};
use crate::clock;
use crate::db::schema::audit_events;
use crate::db::{AuditEventId, DbConnection, TenantId, UserId};
use crate::pagination::PageRequest;

/// Inserts an event.
pub fn insert(
    conn: &mut DbConnection,
    tenant: &TenantId,
    entry: AuditEntry<'_>,
) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(AuditEventId::new()),
            audit_events::tenant_id.eq(tenant),
            audit_events::actor_id.eq(entry.actor),
            audit_events::action.eq(entry.action),
            audit_events::target_type.eq(entry.target_type),
            audit_events::target_id.eq(entry.target_id),
            audit_events::reason.eq(entry.reason),
            audit_events::request_id.eq(entry.meta.request_id.as_deref()),
            audit_events::ip.eq(entry.meta.ip.as_deref()),
            audit_events::created_at.eq(clock::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// Filters of the audit list.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    /// Only this actor.
    pub actor_id: Option<UserId>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this target.
    pub target_id: Option<String>,
    /// At or after.
    pub from: Option<NaiveDateTime>,
    /// Before.
    pub to: Option<NaiveDateTime>,
}

/// One page of the tenant's events, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &AuditFilter,
    page: &PageRequest,
) -> QueryResult<Vec<AuditEvent>> {
    let mut query = audit_events::table
        .filter(audit_events::tenant_id.eq(tenant))
        .select(AuditEvent::as_select())
        .into_boxed();
    if let Some(actor) = &filter.actor_id {
        query = query.filter(audit_events::actor_id.eq(actor.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(target) = &filter.target_id {
        query = query.filter(audit_events::target_id.eq(target.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_events::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_events::created_at.lt(to));
    }
    crate::paginate!(query, audit_events, page).load(conn)
}
