//! Webhook endpoint request and response bodies, and deliveries.

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::outbox::model::{
    DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType,
};
use crate::validation::explicit_null;

/// `POST /admin/webhooks`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://school.example.org/hearth/webhooks",
    "event_types": ["payment.recorded", "payment.voided"],
    "description": "Bursar's ledger"}))]
pub struct CreateWebhookRequest {
    /// Where deliveries are POSTed: an `https://` URL on a public address
    /// (no credentials, no fragment), up to 2,000 characters.
    #[limit(chars = 1..=2000)]
    pub url: String,
    /// The types to receive, 1-17, each once (`webhook.test` is sent on
    /// request and needs no subscription).
    #[limit(items = 1..=17)]
    pub event_types: Vec<WebhookEventType>,
    /// What it is for, up to 500 characters.
    #[limit(chars = ..=500)]
    pub description: Option<String>,
}

/// `PATCH /admin/webhooks/{id}`: absent fields keep, `null` clears the
/// description.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true}))]
pub struct UpdateWebhookRequest {
    /// New target (checked as at creation).
    #[limit(chars = 1..=2000)]
    pub url: Option<String>,
    /// New types, 1-17, each once.
    #[limit(items = 1..=17)]
    pub event_types: Option<Vec<WebhookEventType>>,
    /// New description; `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(chars = ..=500)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `false` stops deliveries (they wait, pending); `true` resumes them
    /// and clears `disabled_reason`.
    pub enabled: Option<bool>,
}

/// A webhook endpoint (never its secret, which is shown once).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5b01",
    "url": "https://school.example.org/hearth/webhooks",
    "description": "Bursar's ledger", "event_types": ["payment.recorded", "payment.voided"],
    "enabled": false, "disabled_at": "2026-12-05T10:00:00Z",
    "disabled_reason": "14 attempts at delivery 0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5b02 failed; the last: status 503",
    "previous_secret_expires_at": null,
    "created_at": "2026-12-02T08:30:00Z", "updated_at": "2026-12-05T10:00:00Z"}))]
pub struct WebhookResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The types it receives, in canonical order.
    pub event_types: Vec<WebhookEventType>,
    /// Whether deliveries are sent.
    pub enabled: bool,
    /// When it was disabled.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub disabled_at: Option<NaiveDateTime>,
    /// Why: an admin's `PATCH`, or the delivery whose attempts all failed.
    pub disabled_reason: Option<String>,
    /// After a rotation, until when the previous secret signs too.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub previous_secret_expires_at: Option<NaiveDateTime>,
    /// Created (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

impl WebhookResponse {
    /// The endpoint as admins read it at `now`.
    pub fn new(endpoint: &WebhookEndpoint, now: NaiveDateTime) -> Self {
        let rotating = endpoint.live_previous_secret(now).is_some();
        Self {
            id: endpoint.id.to_string(),
            url: endpoint.url.clone(),
            description: endpoint.description.clone(),
            event_types: endpoint.event_types(),
            enabled: endpoint.disabled_at.is_none(),
            disabled_at: endpoint.disabled_at,
            disabled_reason: endpoint.disabled_reason.clone(),
            previous_secret_expires_at: endpoint.previous_secret_until.filter(|_| rotating),
            created_at: endpoint.created_at,
            updated_at: endpoint.updated_at,
        }
    }
}

/// An endpoint with its signing secret: the answer to creating one and to
/// rotating its secret, the only times the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5b01",
    "url": "https://school.example.org/hearth/webhooks", "description": null,
    "event_types": ["payment.recorded"], "enabled": true, "disabled_at": null,
    "disabled_reason": null, "previous_secret_expires_at": null,
    "created_at": "2026-12-02T08:30:00Z", "updated_at": "2026-12-02T08:30:00Z",
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}))]
pub struct WebhookWithSecret {
    /// The endpoint.
    #[serde(flatten)]
    pub webhook: WebhookResponse,
    /// The `whsec_…` secret to verify deliveries with (Standard Webhooks).
    /// Store it now: it is not shown again.
    pub secret: String,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAttemptResponse {
    /// When it was sent (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub attempted_at: NaiveDateTime,
    /// The receiver's status code; `null` when it never answered.
    pub status_code: Option<i32>,
    /// Milliseconds until it answered or failed.
    pub latency_ms: i64,
    /// Why it failed; `null` when it succeeded.
    pub error: Option<String>,
}

impl From<WebhookAttempt> for WebhookAttemptResponse {
    fn from(a: WebhookAttempt) -> Self {
        Self {
            attempted_at: a.attempted_at,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            error: a.error,
        }
    }
}

/// One event's delivery to an endpoint, with every attempt.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5b02",
    "webhook_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5b01",
    "event_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "event_type": "payment.recorded",
    "status": "pending", "next_attempt_at": "2026-12-02T08:31:05Z", "delivered_at": null,
    "created_at": "2026-12-02T08:30:00Z",
    "attempts": [{"attempted_at": "2026-12-02T08:30:01Z", "status_code": 500,
        "latency_ms": 87, "error": "the receiver answered 500"}]}))]
pub struct WebhookDeliveryResponse {
    /// Id (for `POST /admin/webhooks/deliveries/{id}/retry`).
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The endpoint.
    #[schema(value_type = String, format = Uuid)]
    pub webhook_id: String,
    /// The event: the `webhook-id` header of every attempt.
    #[schema(value_type = String, format = Uuid)]
    pub event_id: String,
    /// Its type.
    pub event_type: WebhookEventType,
    /// `pending` (waiting for its next attempt), `delivered`, or `failed`.
    pub status: DeliveryStatus,
    /// When it is next attempted (while pending).
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_attempt_at: Option<NaiveDateTime>,
    /// When the receiver accepted it.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub delivered_at: Option<NaiveDateTime>,
    /// Planned, with its event (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// Every attempt, oldest first (manual retries included).
    pub attempts: Vec<WebhookAttemptResponse>,
}

impl WebhookDeliveryResponse {
    /// The delivery of an event of `event_type`, with its `attempts`.
    pub fn new(
        d: WebhookDelivery,
        event_type: WebhookEventType,
        attempts: Vec<WebhookAttemptResponse>,
    ) -> Self {
        let pending = d.status == DeliveryStatus::Pending;
        Self {
            id: d.id.into(),
            webhook_id: d.endpoint_id.into(),
            event_id: d.event_id.into(),
            event_type,
            status: d.status,
            next_attempt_at: pending.then_some(d.next_attempt_at),
            delivered_at: d.delivered_at,
            created_at: d.created_at,
            attempts,
        }
    }
}
