//! The event as integrators receive it (in the list and in every webhook
//! delivery), and the list's filters.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::{IntoParams, ToSchema};

use crate::calendar::Calendar;
use crate::datetime::Bound;
use crate::error::ApiError;
use crate::outbox::model::{OutboxEvent, WebhookEventType};
use crate::outbox::repo::EventFilter;

/// An event: what happened, and the resource it happened to exactly as the
/// API returns it. A webhook delivery's body is this object; its `id` is the
/// delivery's `webhook-id`, the same on every retry, which receivers dedupe on.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "type": "points.adjusted", "created_at": "2026-11-22T08:30:00Z",
    "tenant": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a00",
    "data": {"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6c",
        "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "household_id": null, "amount": -15,
        "balance_after": 108, "kind": "adjustment", "reason": "Counted twice at the drop-off",
        "rule_id": null, "quantity": null, "source": null, "reverses_id": null,
        "actor_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a02", "created_at": "2026-11-22T08:30:00Z"}}))]
pub struct WebhookEventResponse {
    /// Id; the `webhook-id` header of its deliveries.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: WebhookEventType,
    /// When (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::NaiveDateTime,
    /// The organisation's id.
    #[schema(value_type = String, format = Uuid)]
    pub tenant: String,
    /// The resource as `GET` on it answers at the moment of the event: a ledger
    /// entry, a redemption, an attendance record, a charge, a payment, a
    /// refund or a user, by `type`.
    #[schema(value_type = Object)]
    pub data: Box<RawValue>,
}

impl TryFrom<OutboxEvent> for WebhookEventResponse {
    type Error = ApiError;

    fn try_from(e: OutboxEvent) -> Result<Self, ApiError> {
        let data = RawValue::from_string(e.data)
            .map_err(|err| ApiError::internal(format!("event {} holds bad JSON: {err}", e.id)))?;
        Ok(Self {
            id: e.id.into(),
            event_type: e.event_type,
            created_at: e.created_at,
            tenant: e.tenant_id.into(),
            data,
        })
    }
}

/// Filters of `GET /admin/webhook-events`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WebhookEventQuery {
    /// Only events of this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<WebhookEventType>,
    /// Events at or after this time (a date: from that local day on).
    #[param(value_type = Option<Bound>)]
    pub from: Option<Bound>,
    /// Events before this time (a date: through that local day).
    #[param(value_type = Option<Bound>)]
    pub to: Option<Bound>,
}

impl WebhookEventQuery {
    /// The filter asked for, its dates read on the tenant's `calendar`.
    pub fn into_filter(self, calendar: &Calendar) -> EventFilter {
        let (from, to) = calendar.span(self.from, self.to);
        EventFilter {
            event_type: self.event_type,
            from,
            to,
        }
    }
}
