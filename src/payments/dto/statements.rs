//! Statements and settlement summaries.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::datetime::Bound;

/// `from` and `to` of statements and summaries.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RangeQuery {
    /// From this time, inclusive (a date: from that local day's first moment).
    #[param(value_type = Option<Bound>)]
    pub from: Option<Bound>,
    /// Until this time, exclusive (a date: through the end of that local day).
    #[param(value_type = Option<Bound>)]
    pub to: Option<Bound>,
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
        /// Credit paid back to the household (money out; adds to the balance).
        Refund = "refund",
        /// A refund voided (the credit is back).
        RefundVoid = "refund_void",
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
    /// Its description (charges) or receipt number (payments, refunds).
    pub description: String,
    /// When.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// What it adds to the balance (charges and refunds positive, payments
    /// negative).
    pub amount: i64,
    /// Charges minus payments plus refunds up to and including this line.
    pub balance: i64,
}

/// A household's statement.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"currency": "EUR", "balance_due": 1500, "credit": 0,
    "opening_balance": 0, "entries": [
        {"kind": "charge", "id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a81", "description": "December dues",
         "at": "2026-11-22T08:30:00Z", "amount": 2500, "balance": 2500},
        {"kind": "payment", "id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a91", "description": "R-000123",
         "at": "2026-11-23T10:00:00Z", "amount": -1000, "balance": 1500}],
    "points": {"members": [{"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "display_name": "Ann",
        "balance": 120, "earned": 45}], "balance": 120, "earned": 45}}))]
pub struct StatementResponse {
    /// ISO 4217 currency.
    pub currency: String,
    /// Owed on live charges now.
    pub balance_due: i64,
    /// Paid but not yet used on a charge, now.
    pub credit: i64,
    /// The balance before `from` (0 without it).
    pub opening_balance: i64,
    /// Charges, payments and their voids in order, with the running balance.
    pub entries: Vec<StatementLine>,
    /// The points side: each member's balance now and points earned in the
    /// statement's range, and the household's totals.
    pub points: StatementPoints,
}

/// One member's points on a household statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberPoints {
    /// The member.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// Their name.
    pub display_name: String,
    /// Their points balance now.
    pub balance: i64,
    /// Points they earned in the statement's range (all time without one).
    pub earned: i64,
}

/// The points side of a household statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementPoints {
    /// The household's current members, by name.
    pub members: Vec<MemberPoints>,
    /// Their balances together.
    pub balance: i64,
    /// What they earned in the range together.
    pub earned: i64,
}

/// Totals of one payment method or one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Totals {
    /// The method, or the day (`YYYY-MM-DD`, the tenant's local date).
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
    "by_day": [{"key": "2026-11-21", "count": 3, "amount": 7500}],
    "refunds_count": 1, "refunds_total": 500, "voided_refunds_count": 0,
    "refunds_by_method": [{"key": "cash", "count": 1, "amount": 500}], "net_total": 7000,
    "net_by_day": [{"key": "2026-11-21", "count": 4, "amount": 7000}]}))]
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
    /// Completed payments per local day received (the organisation's time zone).
    pub by_day: Vec<Totals>,
    /// Completed refunds issued in the range.
    pub refunds_count: i64,
    /// Their sum.
    pub refunds_total: i64,
    /// Voided refunds issued in the range.
    pub voided_refunds_count: i64,
    /// Completed refunds per method.
    pub refunds_by_method: Vec<Totals>,
    /// Money in minus money out: `total - refunds_total`.
    pub net_total: i64,
    /// Per local day: completed payments minus completed refunds (`count`
    /// counts both).
    pub net_by_day: Vec<Totals>,
}

/// A line of `settlement.csv`: one local day's money in and out.
#[derive(Debug)]
pub struct SettlementRow {
    /// The day, on the organisation's calendar.
    pub local_date: chrono::NaiveDate,
    /// The organisation's currency.
    pub currency: String,
    /// Completed payments received that day.
    pub payments_count: i64,
    /// Their sum, in minor units.
    pub payments_total: i64,
    /// Standing refunds issued that day.
    pub refunds_count: i64,
    /// Their sum, in minor units.
    pub refunds_total: i64,
}

impl crate::export::ExportRow for SettlementRow {
    const HEADER: &'static [&'static str] = &[
        "local_date",
        "currency",
        "payments_count",
        "payments_total",
        "refunds_count",
        "refunds_total",
        "net_total",
    ];

    fn cells(&self) -> Vec<crate::export::Cell> {
        use crate::export::Cell;
        vec![
            Cell::Date(self.local_date),
            Cell::Text(self.currency.clone()),
            Cell::Int(self.payments_count),
            Cell::Int(self.payments_total),
            Cell::Int(self.refunds_count),
            Cell::Int(self.refunds_total),
            Cell::Int(self.payments_total - self.refunds_total),
        ]
    }

    fn position(&self) -> crate::export::Position {
        (
            self.local_date.and_time(chrono::NaiveTime::MIN),
            String::new(),
        )
    }
}
