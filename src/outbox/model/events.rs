//! Outbox events: their types, and the stored row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::webhook_events;
use crate::db::{TenantId, WebhookEventId};
use crate::text_enum::text_enum;

text_enum!(
    /// What happened. `data` is the resource the API returns for it. (Each
    /// variant names its text twice: serde's `snake_case` has no dots.)
    WebhookEventType {
        /// Points were awarded (directly, by rule, or for attendance): a ledger entry.
        #[serde(rename = "points.awarded")]
        PointsAwarded = "points.awarded",
        /// An admin adjusted a balance: a ledger entry.
        #[serde(rename = "points.adjusted")]
        PointsAdjusted = "points.adjusted",
        /// An entry was reversed: the reversing ledger entry.
        #[serde(rename = "points.reversed")]
        PointsReversed = "points.reversed",
        /// A member redeemed a reward: the redemption.
        #[serde(rename = "redemption.created")]
        RedemptionCreated = "redemption.created",
        /// A redemption was handed over: the redemption.
        #[serde(rename = "redemption.fulfilled")]
        RedemptionFulfilled = "redemption.fulfilled",
        /// A redemption was cancelled and its points given back: the redemption.
        #[serde(rename = "redemption.cancelled")]
        RedemptionCancelled = "redemption.cancelled",
        /// A redemption was rejected and its points given back: the redemption.
        #[serde(rename = "redemption.rejected")]
        RedemptionRejected = "redemption.rejected",
        /// A member was marked or scanned at an event: the attendance record.
        #[serde(rename = "attendance.recorded")]
        AttendanceRecorded = "attendance.recorded",
        /// A mark was changed: the attendance record as it now stands.
        #[serde(rename = "attendance.corrected")]
        AttendanceCorrected = "attendance.corrected",
        /// A charge was issued (by an admin or a schedule): the charge.
        #[serde(rename = "charge.issued")]
        ChargeIssued = "charge.issued",
        /// A charge was voided: the charge.
        #[serde(rename = "charge.voided")]
        ChargeVoided = "charge.voided",
        /// A payment was recorded: the payment.
        #[serde(rename = "payment.recorded")]
        PaymentRecorded = "payment.recorded",
        /// A payment was voided: the payment.
        #[serde(rename = "payment.voided")]
        PaymentVoided = "payment.voided",
        /// Credit was paid back: the refund.
        #[serde(rename = "refund.issued")]
        RefundIssued = "refund.issued",
        /// A refund was voided: the refund.
        #[serde(rename = "refund.voided")]
        RefundVoided = "refund.voided",
        /// A member joined a household: the user.
        #[serde(rename = "member.joined")]
        MemberJoined = "member.joined",
        /// A member left a household: the user.
        #[serde(rename = "member.left")]
        MemberLeft = "member.left",
        /// An admin asked for a test delivery (`POST /admin/webhooks/{id}/test`):
        /// the endpoint. Sent to that endpoint only; nobody subscribes to it.
        #[serde(rename = "webhook.test")]
        WebhookTest = "webhook.test",
    }
);

impl WebhookEventType {
    /// Every type an endpoint may subscribe to, in canonical order.
    pub const SUBSCRIBABLE: [WebhookEventType; 17] = [
        Self::PointsAwarded,
        Self::PointsAdjusted,
        Self::PointsReversed,
        Self::RedemptionCreated,
        Self::RedemptionFulfilled,
        Self::RedemptionCancelled,
        Self::RedemptionRejected,
        Self::AttendanceRecorded,
        Self::AttendanceCorrected,
        Self::ChargeIssued,
        Self::ChargeVoided,
        Self::PaymentRecorded,
        Self::PaymentVoided,
        Self::RefundIssued,
        Self::RefundVoided,
        Self::MemberJoined,
        Self::MemberLeft,
    ];
}

/// A stored event. (Inserted in bulk: without `treat_none_as_default_value`
/// SQLite would take a batch one row per statement.)
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_events, treat_none_as_default_value = false)]
pub struct OutboxEvent {
    /// Id (the `webhook-id` of its deliveries).
    pub id: WebhookEventId,
    /// Whose.
    pub tenant_id: TenantId,
    /// What happened.
    pub event_type: WebhookEventType,
    /// The resource as the API returned it (JSON text, byte for byte).
    pub data: String,
    /// When it was written (UTC; the commit follows within the transaction).
    pub created_at: NaiveDateTime,
}
