//! Audit events: the one being written, and the ones stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_events;
use crate::db::{AuditEventId, UserId};
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
