//! Payments request and response bodies.

use crate::datetime::{Date, Timestamp};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::{ChargeId, HouseholdId};
use crate::payments::model::{
    Charge, ChargeStatus, Payment, PaymentMethod, PaymentStatus, receipt_label,
};
use crate::validation::not_blank;

/// `POST /admin/charges`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21",
    "description": "December dues", "amount": 2500, "due_date": "2026-12-31"}))]
pub struct CreateChargeRequest {
    /// The household that owes it.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: HouseholdId,
    /// What for, 1-200 characters.
    #[validate(
        length(
            min = 1,
            max = 200,
            code = "invalid_length",
            message = "must be 1-200 characters"
        ),
        custom(function = "not_blank")
    )]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub description: String,
    /// Amount in minor units of the tenant's currency, 1-100000000000.
    #[validate(range(
        min = 1,
        max = 100_000_000_000_i64,
        code = "out_of_range",
        message = "must be 1-100000000000"
    ))]
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount: i64,
    /// When it is due (`YYYY-MM-DD`).
    pub due_date: Date,
}

/// `POST /admin/charges/batch`: either `household_ids` or `all_active: true`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"all_active": true, "description": "December dues", "amount": 2500,
    "due_date": "2026-12-31"}))]
pub struct BatchChargeRequest {
    /// The households to charge (1-500).
    #[validate(length(
        min = 1,
        max = 500,
        code = "invalid_length",
        message = "must hold 1-500 households"
    ))]
    #[schema(value_type = Option<Vec<uuid::Uuid>>, min_items = 1, max_items = 500)]
    pub household_ids: Option<Vec<HouseholdId>>,
    /// `true`: every household that is not archived.
    pub all_active: Option<bool>,
    /// What for, 1-200 characters.
    #[validate(
        length(
            min = 1,
            max = 200,
            code = "invalid_length",
            message = "must be 1-200 characters"
        ),
        custom(function = "not_blank")
    )]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub description: String,
    /// Amount per household, 1-100000000000.
    #[validate(range(
        min = 1,
        max = 100_000_000_000_i64,
        code = "out_of_range",
        message = "must be 1-100000000000"
    ))]
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount: i64,
    /// When it is due (`YYYY-MM-DD`).
    pub due_date: Date,
}

/// `POST /admin/charges/{id}/void` and `POST /admin/payments/{id}/void`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Issued twice"}))]
pub struct VoidRequest {
    /// Why (required, kept in the audit trail).
    #[validate(
        length(
            min = 1,
            max = 200,
            code = "invalid_length",
            message = "must be 1-200 characters"
        ),
        custom(function = "not_blank")
    )]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub reason: String,
}

/// Filters of `GET /admin/charges`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChargesQuery {
    /// Only this household's.
    #[param(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<HouseholdId>,
    /// Only in this status.
    pub status: Option<ChargeStatus>,
    /// Only due before this day (`YYYY-MM-DD`).
    pub due_before: Option<Date>,
    /// Page size, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque cursor from the previous page.
    #[param(max_length = 200)]
    pub cursor: Option<String>,
}

/// A charge.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a81",
    "household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "description": "December dues",
    "amount": 2500, "amount_paid": 1000, "currency": "EUR", "due_date": "2026-12-31",
    "status": "partially_paid", "void_reason": null, "created_at": "2026-11-22T08:30:00Z"}))]
pub struct ChargeResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The household that owes it.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: String,
    /// What for.
    pub description: String,
    /// Amount in minor units.
    pub amount: i64,
    /// Paid towards it so far.
    pub amount_paid: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// When it is due.
    #[schema(value_type = String, format = Date)]
    pub due_date: NaiveDate,
    /// Status.
    pub status: ChargeStatus,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// When it was issued.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl From<Charge> for ChargeResponse {
    fn from(c: Charge) -> Self {
        Self {
            status: c.status,
            id: c.id.into(),
            household_id: c.household_id.into(),
            description: c.description,
            amount: c.amount,
            amount_paid: c.amount_paid,
            currency: c.currency,
            due_date: c.due_date,
            void_reason: c.void_reason,
            created_at: c.created_at,
        }
    }
}

/// The charges a batch issued.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchChargeResponse {
    /// One per household, in request order (or by household for `all_active`).
    pub charges: Vec<ChargeResponse>,
}

/// `POST /admin/payments`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "amount": 5000,
    "method": "bank_transfer", "reference": "TRX-2026-1182", "received_at": "2026-11-21T15:00:00Z"}))]
pub struct CreatePaymentRequest {
    /// The household that paid.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: HouseholdId,
    /// Amount in minor units of the tenant's currency, 1-100000000000.
    #[validate(range(
        min = 1,
        max = 100_000_000_000_i64,
        code = "out_of_range",
        message = "must be 1-100000000000"
    ))]
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount: i64,
    /// How it was paid.
    pub method: PaymentMethod,
    /// The payer's or bank's reference, up to 100 characters.
    #[validate(length(
        max = 100,
        code = "invalid_length",
        message = "must be at most 100 characters"
    ))]
    #[schema(max_length = 100)]
    pub reference: Option<String>,
    /// When the money was received (default now; not in the future).
    pub received_at: Option<Timestamp>,
    /// Charges to pay, in order (1-100); absent: open charges, oldest due first.
    #[validate(length(
        min = 1,
        max = 100,
        code = "invalid_length",
        message = "must hold 1-100 charges"
    ))]
    #[schema(value_type = Option<Vec<uuid::Uuid>>, min_items = 1, max_items = 100)]
    pub charge_ids: Option<Vec<ChargeId>>,
}

/// Filters of `GET /admin/payments`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PaymentsQuery {
    /// Only this household's.
    #[param(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<HouseholdId>,
    /// Only this method.
    pub method: Option<PaymentMethod>,
    /// Received at or after (RFC 3339).
    pub from: Option<Timestamp>,
    /// Received before (RFC 3339).
    pub to: Option<Timestamp>,
    /// Only in this status.
    pub status: Option<PaymentStatus>,
    /// Page size, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque cursor from the previous page.
    #[param(max_length = 200)]
    pub cursor: Option<String>,
}

/// Where part of a payment went.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationResponse {
    /// The charge.
    #[schema(value_type = String, format = Uuid)]
    pub charge_id: String,
    /// How much of the payment it holds.
    pub amount: i64,
}

/// A payment.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a91",
    "household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "amount": 5000, "currency": "EUR",
    "method": "bank_transfer", "reference": "TRX-2026-1182", "received_at": "2026-11-21T15:00:00Z",
    "receipt_number": "R-000123", "status": "completed", "void_reason": null,
    "allocations": [{"charge_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a81", "amount": 2500}],
    "unapplied_amount": 2500}))]
pub struct PaymentResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The household that paid.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: String,
    /// Amount in minor units.
    pub amount: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// How.
    pub method: PaymentMethod,
    /// Reference.
    pub reference: Option<String>,
    /// When the money was received.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: NaiveDateTime,
    /// Receipt number, sequential per organisation and never reused.
    pub receipt_number: String,
    /// Status.
    pub status: PaymentStatus,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// The charges it pays now (none once void).
    pub allocations: Vec<AllocationResponse>,
    /// What it left as household credit (not yet used on a charge).
    pub unapplied_amount: i64,
}

impl PaymentResponse {
    /// The response for `payment` whose money sits at `held` (charge or credit).
    pub fn new(payment: Payment, held: &[(Option<ChargeId>, i64)]) -> Self {
        Self {
            status: payment.status,
            method: payment.method,
            id: payment.id.into(),
            household_id: payment.household_id.into(),
            amount: payment.amount,
            currency: payment.currency,
            reference: payment.reference,
            received_at: payment.received_at,
            receipt_number: receipt_label(payment.receipt_number),
            void_reason: payment.void_reason,
            allocations: held
                .iter()
                .filter_map(|(charge, amount)| {
                    charge.as_ref().map(|c| AllocationResponse {
                        charge_id: c.to_string(),
                        amount: *amount,
                    })
                })
                .collect(),
            unapplied_amount: held
                .iter()
                .filter(|(c, _)| c.is_none())
                .map(|(_, a)| a)
                .sum(),
        }
    }
}

/// A receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptResponse {
    /// The organisation's name.
    pub organisation: String,
    /// The household's name.
    pub household_name: String,
    /// The payment.
    #[serde(flatten)]
    pub payment: PaymentResponse,
}

/// `from` and `to` of statements and summaries.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RangeQuery {
    /// From this time (RFC 3339, inclusive).
    pub from: Option<Timestamp>,
    /// Until this time (RFC 3339, exclusive).
    pub to: Option<Timestamp>,
}

crate::text_enum::text_enum!(
    /// What a statement line records.
    LineKind {
        /// A charge issued (adds to the balance).
        Charge = "charge",
        /// A charge voided (takes it back).
        ChargeVoid = "charge_void",
        /// A payment received (lowers the balance).
        Payment = "payment",
        /// A payment voided (takes it back).
        PaymentVoid = "payment_void",
    }
);

/// One line of a statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementLine {
    /// What happened.
    pub kind: LineKind,
    /// The charge or payment.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Its description (charges) or receipt number (payments).
    pub description: String,
    /// When.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// What it adds to the balance (charges positive, payments negative).
    pub amount: i64,
    /// Charges minus payments up to and including this line.
    pub balance: i64,
}

/// A household's statement.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"currency": "EUR", "balance_due": 1500, "credit": 0,
    "opening_balance": 0, "entries": [
        {"kind": "charge", "id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a81", "description": "December dues",
         "at": "2026-11-22T08:30:00Z", "amount": 2500, "balance": 2500},
        {"kind": "payment", "id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a91", "description": "R-000123",
         "at": "2026-11-23T10:00:00Z", "amount": -1000, "balance": 1500}]}))]
pub struct StatementResponse {
    /// ISO 4217 currency.
    pub currency: String,
    /// Owed on live charges now.
    pub balance_due: i64,
    /// Paid but not yet used on a charge, now.
    pub credit: i64,
    /// Charges minus payments before `from` (0 without it).
    pub opening_balance: i64,
    /// Charges, payments and their voids in order, with the running balance.
    pub entries: Vec<StatementLine>,
}

/// Totals of one payment method or one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Totals {
    /// The method or the day (`YYYY-MM-DD`, UTC).
    pub key: String,
    /// Completed payments.
    pub count: i64,
    /// Their sum.
    pub amount: i64,
}

/// A settlement summary.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"currency": "EUR", "from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z",
    "count": 3, "total": 7500, "voided_count": 1, "voided_total": 1000,
    "by_method": [{"key": "cash", "count": 2, "amount": 5000}, {"key": "card", "count": 1, "amount": 2500}],
    "by_day": [{"key": "2026-11-21", "count": 3, "amount": 7500}]}))]
pub struct SettlementSummary {
    /// ISO 4217 currency.
    pub currency: String,
    /// Start of the range.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub from: NaiveDateTime,
    /// End of the range (exclusive).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub to: NaiveDateTime,
    /// Completed payments received in the range.
    pub count: i64,
    /// Their sum.
    pub total: i64,
    /// Voided payments received in the range.
    pub voided_count: i64,
    /// Their sum.
    pub voided_total: i64,
    /// Completed payments per method.
    pub by_method: Vec<Totals>,
    /// Completed payments per day received (UTC).
    pub by_day: Vec<Totals>,
}
