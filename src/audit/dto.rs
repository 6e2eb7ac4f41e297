//! Audit event responses and list filters.

use crate::calendar::Calendar;
use crate::datetime::Bound;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit::model::AuditEvent;
use crate::audit::repo::AuditFilter;

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "actor_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "action": "user.suspend",
    "target_type": "user", "target_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a02",
    "reason": null, "request_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a03",
    "ip": "203.0.113.7", "created_at": "2026-11-22T08:30:00Z"}))]
pub struct AuditEventResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Who acted; null for anonymous events (a failed login).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub actor_id: Option<String>,
    /// What happened (`user.suspend`, `auth.login_failed`, …).
    pub action: String,
    /// Kind of thing acted on.
    pub target_type: Option<String>,
    /// Id (or, for login events, the email) of the thing acted on.
    pub target_id: Option<String>,
    /// Reason given.
    pub reason: Option<String>,
    /// Request id of the request that caused it.
    pub request_id: Option<String>,
    /// Client IP.
    pub ip: Option<String>,
    /// When (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::NaiveDateTime,
}

impl From<AuditEvent> for AuditEventResponse {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id.into(),
            actor_id: e.actor_id.map(Into::into),
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            reason: e.reason,
            request_id: e.request_id,
            ip: e.ip,
            created_at: e.created_at,
        }
    }
}

/// Filters of `GET /admin/audit-events`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only events by this actor.
    #[param(value_type = Option<String>, format = Uuid)]
    pub actor_id: Option<crate::db::UserId>,
    /// Only this action.
    pub action: Option<String>,
    /// Only events about this target id.
    pub target_id: Option<String>,
    /// Events at or after this time (a date: from that local day on).
    #[param(value_type = Option<Bound>)]
    pub from: Option<Bound>,
    /// Events before this time (a date: through that local day).
    #[param(value_type = Option<Bound>)]
    pub to: Option<Bound>,
}

impl AuditQuery {
    /// The filter asked for, its dates read on the tenant's `calendar`.
    pub fn into_filter(self, calendar: &Calendar) -> AuditFilter {
        let (from, to) = calendar.span(self.from, self.to);
        AuditFilter {
            actor_id: self.actor_id,
            action: self.action,
            target_id: self.target_id,
            from,
            to,
        }
    }
}
