//! Audit queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::audit_events;
use crate::db::{AuditEventId, DbConnection, TenantId, UserId};
use crate::pagination::PageRequest;
use crate::request_context::RequestMeta;

/// An event to record.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// Who acted (none for anonymous events such as a failed login).
    pub actor: Option<&'a UserId>,
    /// What happened, `area.verb` (`user.suspend`, `auth.login_failed`).
    pub action: &'a str,
    /// Kind of thing acted on (`user`, `session`).
    pub target_type: Option<&'a str>,
    /// Id of the thing acted on.
    pub target_id: Option<&'a str>,
    /// The reason given, if any.
    pub reason: Option<&'a str>,
    /// Request id and client IP.
    pub meta: &'a RequestMeta,
}

impl<'a> AuditEntry<'a> {
    /// An event for `action` in the current request.
    pub fn new(action: &'a str, meta: &'a RequestMeta) -> Self {
        Self {
            actor: None,
            action,
            target_type: None,
            target_id: None,
            reason: None,
            meta,
        }
    }

    /// Who acted.
    pub fn by(mut self, actor: &'a UserId) -> Self {
        self.actor = Some(actor);
        self
    }

    /// What was acted on.
    pub fn on(mut self, target_type: &'a str, target_id: &'a str) -> Self {
        self.target_type = Some(target_type);
        self.target_id = Some(target_id);
        self
    }

    /// The reason given.
    pub fn because(mut self, reason: &'a str) -> Self {
        self.reason = Some(reason);
        self
    }
}

/// Writes an event (call inside the transaction of the change it records).
pub fn record(
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

/// Records that the admin of `ctx` did `action` to `target_type` `target_id`.
pub fn admin_action(
    conn: &mut DbConnection,
    ctx: &crate::auth::TenantCtx,
    action: &str,
    target_type: &str,
    target_id: &str,
    meta: &RequestMeta,
) -> QueryResult<()> {
    record(
        conn,
        &ctx.tenant_id,
        AuditEntry::new(action, meta)
            .by(&ctx.user_id)
            .on(target_type, target_id),
    )
}

/// A stored event.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    /// Id.
    pub id: AuditEventId,
    /// Actor.
    pub actor_id: Option<UserId>,
    /// Action.
    pub action: String,
    /// Target kind.
    pub target_type: Option<String>,
    /// Target id.
    pub target_id: Option<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// Client IP.
    pub ip: Option<String>,
    /// Time.
    pub created_at: NaiveDateTime,
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
