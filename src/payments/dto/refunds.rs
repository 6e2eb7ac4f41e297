//! Refund bodies

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::HouseholdId;
use crate::payments::model::{PaymentMethod, PaymentStatus, Refund, receipt_label};
use crate::validation::not_blank;

/// `POST /admin/refunds`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "amount": 1500,
    "method": "bank_transfer", "reference": "TRX-2026-2210", "reason": "Family moved away"}))]
pub struct CreateRefundRequest {
    /// The household whose credit is paid back.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: HouseholdId,
    /// Amount in minor units of the tenant's currency, 1-100000000000, at
    /// most the household's credit.
    #[limit(range = 1..=100_000_000_000_i64)]
    pub amount: i64,
    /// How the money goes back.
    pub method: PaymentMethod,
    /// The bank's or the cash book's reference, up to 100 characters.
    #[limit(chars = ..=100)]
    pub reference: Option<String>,
    /// Why (required, 1-200 characters, kept in the audit trail).
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub reason: String,
}

/// A refund: household credit paid back. Everything but `status`,
/// `voided_at` and `void_reason` is fixed when it is issued.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5aa1",
    "household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "amount": 1500, "currency": "EUR",
    "method": "bank_transfer", "reference": "TRX-2026-2210", "reason": "Family moved away",
    "receipt_number": "R-000124", "status": "completed", "issued_at": "2026-12-01T09:00:00Z",
    "voided_at": null, "void_reason": null}))]
pub struct RefundResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The household paid back.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: String,
    /// Amount in minor units.
    pub amount: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// How the money went back.
    pub method: PaymentMethod,
    /// Reference.
    pub reference: Option<String>,
    /// Why.
    pub reason: String,
    /// Its number in the organisation's receipt sequence, shared with
    /// payments (sequential, never reused).
    pub receipt_number: String,
    /// `completed`, or `void` once voided (its credit is back).
    pub status: PaymentStatus,
    /// When it was issued.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: NaiveDateTime,
    /// When it was voided.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub voided_at: Option<NaiveDateTime>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

impl From<Refund> for RefundResponse {
    fn from(r: Refund) -> Self {
        Self {
            id: r.id.into(),
            household_id: r.household_id.into(),
            amount: r.amount,
            currency: r.currency,
            method: r.method,
            reference: r.reference,
            reason: r.reason,
            receipt_number: receipt_label(r.receipt_number),
            status: r.status,
            issued_at: r.created_at,
            voided_at: r.voided_at,
            void_reason: r.void_reason,
        }
    }
}
