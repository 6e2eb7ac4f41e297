//! Payment bodies

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::calendar::Calendar;
use crate::datetime::Bound;
use crate::db::{ChargeId, HouseholdId};
use crate::payments::model::{Payment, PaymentMethod, PaymentStatus, receipt_label};
use crate::payments::repo::MoneyFilter;

/// Filters of `GET /admin/payments` and `GET /admin/refunds`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MoneyQuery {
    /// Only this household's.
    #[param(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<HouseholdId>,
    /// Only this method.
    pub method: Option<PaymentMethod>,
    /// Received (payments) or issued (refunds) at or after this time; a
    /// date: from that local day on.
    #[param(value_type = Option<Bound>)]
    pub from: Option<Bound>,
    /// Received or issued before this time; a date: through that local day.
    #[param(value_type = Option<Bound>)]
    pub to: Option<Bound>,
    /// Only in this status.
    pub status: Option<PaymentStatus>,
}

impl MoneyQuery {
    /// The filter asked for, its dates read on the tenant's `calendar`.
    pub fn into_filter(self, calendar: &Calendar) -> MoneyFilter {
        let (from, to) = calendar.span(self.from, self.to);
        MoneyFilter {
            household_id: self.household_id,
            method: self.method,
            from,
            to,
            status: self.status,
        }
    }
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

/// One charge a payment paid when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReceiptLine {
    /// The charge.
    #[schema(value_type = String, format = Uuid)]
    pub charge_id: String,
    /// What the charge was for, as it read then.
    pub description: String,
    /// How much of the payment went to it.
    pub amount: i64,
}

/// What a receipt says, fixed when the payment is recorded: a parent who
/// printed it last month reads the same today, whatever was voided since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReceiptDocument {
    /// Receipt number (`R-000123`), sequential per organisation, never reused.
    pub receipt_number: String,
    /// When the receipt was issued (the payment recorded).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: NaiveDateTime,
    /// The organisation's name then.
    pub organisation: String,
    /// The payment.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The household that paid.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: String,
    /// Its name then.
    pub household_name: String,
    /// Amount in minor units.
    pub amount: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// How it was paid.
    pub method: PaymentMethod,
    /// The payer's or bank's reference.
    pub reference: Option<String>,
    /// When the money was received.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: NaiveDateTime,
    /// The charges it paid.
    pub allocations: Vec<ReceiptLine>,
    /// What it left as household credit.
    pub unapplied_amount: i64,
}

/// A receipt: the document as issued, and whether it still stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptResponse {
    /// The document, unchanged since it was issued.
    #[serde(flatten)]
    pub document: ReceiptDocument,
    /// `completed`, or `void` once the payment was voided (the document
    /// itself does not change).
    pub status: PaymentStatus,
    /// When the payment was voided.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub voided_at: Option<NaiveDateTime>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// A line of `payments.csv`: a payment, its household's name and its local date.
#[derive(Debug)]
pub struct PaymentRow {
    /// The payment.
    pub payment: crate::payments::model::Payment,
    /// Its household's name.
    pub household_name: String,
    /// The day it was received on the organisation's calendar.
    pub local_date: chrono::NaiveDate,
}

impl crate::export::ExportRow for PaymentRow {
    const HEADER: &'static [&'static str] = &[
        "receipt_number",
        "payment_id",
        "received_at",
        "local_date",
        "household_id",
        "household_name",
        "amount",
        "currency",
        "method",
        "reference",
        "status",
        "voided_at",
        "void_reason",
        "recorded_by",
    ];

    fn cells(&self) -> Vec<crate::export::Cell> {
        use crate::export::Cell;
        let p = &self.payment;
        vec![
            Cell::Text(crate::payments::model::receipt_label(p.receipt_number)),
            Cell::Text(p.id.to_string()),
            Cell::At(p.received_at),
            Cell::Date(self.local_date),
            Cell::Text(p.household_id.to_string()),
            Cell::Text(self.household_name.clone()),
            Cell::Int(p.amount),
            Cell::Text(p.currency.clone()),
            Cell::Text(p.method.as_str().to_string()),
            Cell::text(p.reference.clone()),
            Cell::Text(p.status.as_str().to_string()),
            Cell::at(p.voided_at),
            Cell::text(p.void_reason.clone()),
            Cell::text(p.recorded_by.as_ref().map(ToString::to_string)),
        ]
    }

    fn position(&self) -> crate::export::Position {
        (self.payment.received_at, self.payment.id.to_string())
    }
}
