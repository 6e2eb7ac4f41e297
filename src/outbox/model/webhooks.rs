//! Webhook endpoints, the deliveries of events to them, and each attempt.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::events::WebhookEventType;
use crate::db::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::db::{TenantId, WebhookAttemptId, WebhookDeliveryId, WebhookEndpointId, WebhookEventId};
use crate::text_enum::text_enum;

/// A receiver an admin registered.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_endpoints)]
pub struct WebhookEndpoint {
    /// Id.
    pub id: WebhookEndpointId,
    /// Whose.
    pub tenant_id: TenantId,
    /// Where deliveries are POSTed.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The types it receives, space-separated in canonical order.
    pub event_types: String,
    /// The `whsec_…` secret deliveries are signed with.
    pub secret: String,
    /// The secret before the last rotation, signing too until `previous_secret_until`.
    pub previous_secret: Option<String>,
    /// When the previous secret stops signing.
    pub previous_secret_until: Option<NaiveDateTime>,
    /// When it was disabled (by an admin, or after its deliveries kept failing).
    pub disabled_at: Option<NaiveDateTime>,
    /// Why.
    pub disabled_reason: Option<String>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

impl WebhookEndpoint {
    /// The types it receives.
    pub fn event_types(&self) -> Vec<WebhookEventType> {
        self.event_types
            .split(' ')
            .filter_map(|t| t.parse().ok())
            .collect()
    }

    /// Whether it receives events of `event_type`.
    pub fn subscribes(&self, event_type: WebhookEventType) -> bool {
        self.event_types
            .split(' ')
            .any(|t| t == event_type.as_str())
    }

    /// The previous secret, while it still signs at `now`.
    pub fn live_previous_secret(&self, now: NaiveDateTime) -> Option<&str> {
        match (&self.previous_secret, self.previous_secret_until) {
            (Some(secret), Some(until)) if now < until => Some(secret),
            _ => None,
        }
    }
}

/// `event_types` as stored: the canonical order, each once.
pub fn stored_event_types(types: &[WebhookEventType]) -> String {
    WebhookEventType::SUBSCRIBABLE
        .iter()
        .filter(|t| types.contains(t))
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

text_enum!(
    /// Where a delivery stands.
    DeliveryStatus {
        /// Waiting for its next attempt.
        Pending = "pending",
        /// The receiver answered 2xx.
        Delivered = "delivered",
        /// Every attempt of its schedule failed.
        Failed = "failed",
    }
);

/// One event to one endpoint.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries, treat_none_as_default_value = false)]
pub struct WebhookDelivery {
    /// Id.
    pub id: WebhookDeliveryId,
    /// Whose.
    pub tenant_id: TenantId,
    /// To which endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// Which event (its id is the `webhook-id`).
    pub event_id: WebhookEventId,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts of the current schedule.
    pub attempts: i32,
    /// When it is next due (while pending).
    pub next_attempt_at: NaiveDateTime,
    /// The claim of the instance attempting it now.
    pub claim: Option<String>,
    /// Until when that claim holds.
    pub claimed_until: Option<NaiveDateTime>,
    /// When the receiver accepted it.
    pub delivered_at: Option<NaiveDateTime>,
    /// Planned (in the transaction of its event).
    pub created_at: NaiveDateTime,
}

/// One attempt at a delivery.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_attempts, treat_none_as_default_value = false)]
pub struct WebhookAttempt {
    /// Id.
    pub id: WebhookAttemptId,
    /// Whose.
    pub tenant_id: TenantId,
    /// Of which delivery.
    pub delivery_id: WebhookDeliveryId,
    /// When it was sent.
    pub attempted_at: NaiveDateTime,
    /// The receiver's status code, if it answered.
    pub status_code: Option<i32>,
    /// How long until it answered or failed.
    pub latency_ms: i64,
    /// Why it failed (no answer, a refused target, a non-2xx status).
    pub error: Option<String>,
}
