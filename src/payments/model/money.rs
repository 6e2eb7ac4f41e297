//! Charges, payments, refunds and allocations as stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{charges, payment_allocations, payments, refunds};
use crate::db::{AllocationId, ChargeId, HouseholdId, PaymentId, RefundId, TenantId, UserId};
use crate::text_enum::text_enum;

text_enum!(
    /// Where a charge stands.
    ChargeStatus {
        /// Nothing paid yet.
        Open = "open",
        /// Partly paid.
        PartiallyPaid = "partially_paid",
        /// Paid in full.
        Paid = "paid",
        /// Cancelled; what was paid towards it became credit.
        Void = "void",
    }
);

impl ChargeStatus {
    /// The status of a live charge of `amount` with `paid` allocated to it.
    pub fn of(amount: i64, paid: i64) -> Self {
        if paid == 0 {
            Self::Open
        } else if paid < amount {
            Self::PartiallyPaid
        } else {
            Self::Paid
        }
    }
}

text_enum!(
    /// Where a payment or a refund stands.
    PaymentStatus {
        /// Recorded (a payment allocated, a refund paid out).
        Completed = "completed",
        /// Cancelled; its allocations were reversed.
        Void = "void",
    }
);

text_enum!(
    /// How a payment was made.
    PaymentMethod {
        /// Cash.
        Cash = "cash",
        /// Bank transfer.
        BankTransfer = "bank_transfer",
        /// Card.
        Card = "card",
        /// E-wallet.
        EWallet = "e_wallet",
        /// Anything else.
        Other = "other",
    }
);

text_enum!(
    /// Why an allocation row was written.
    AllocationKind {
        /// A payment's money placed on a charge or into credit.
        Payment = "payment",
        /// Credit moved onto a new charge.
        CreditApplied = "credit_applied",
        /// A voided payment's allocations taken back.
        PaymentVoid = "payment_void",
        /// A voided charge's allocations turned into credit.
        ChargeVoid = "charge_void",
        /// Credit paid back to the household by a refund.
        Refund = "refund",
        /// A voided refund's money back into credit.
        RefundVoid = "refund_void",
    }
);

/// A reminder of a charge, mailed at most once per charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// A few days before it is due.
    DueSoon,
    /// Some days after it was due, while unpaid.
    Overdue,
}

/// A charge a household owes.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = charges)]
pub struct Charge {
    /// Id.
    pub id: ChargeId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Who owes it.
    pub household_id: HouseholdId,
    /// What for.
    pub description: String,
    /// Amount in minor units.
    pub amount: i64,
    /// Allocated to it so far.
    pub amount_paid: i64,
    /// ISO 4217 currency (the tenant's).
    pub currency: String,
    /// When it is due.
    pub due_date: NaiveDate,
    /// Status.
    pub status: ChargeStatus,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// Who voided it.
    pub voided_by: Option<UserId>,
    /// When.
    pub voided_at: Option<NaiveDateTime>,
    /// Who issued it.
    pub created_by: Option<UserId>,
    /// When it was issued.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

impl Charge {
    /// What is still owed on it (0 once void).
    pub fn outstanding(&self) -> i64 {
        if self.status == ChargeStatus::Void {
            0
        } else {
            self.amount - self.amount_paid
        }
    }
}

/// A payment a household made.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payments)]
pub struct Payment {
    /// Id.
    pub id: PaymentId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Who paid.
    pub household_id: HouseholdId,
    /// Amount in minor units.
    pub amount: i64,
    /// ISO 4217 currency (the tenant's).
    pub currency: String,
    /// How.
    pub method: PaymentMethod,
    /// The payer's or bank's reference.
    pub reference: Option<String>,
    /// When the money was received.
    pub received_at: NaiveDateTime,
    /// Receipt number, sequential per tenant.
    pub receipt_number: i64,
    /// Status.
    pub status: PaymentStatus,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// Who voided it.
    pub voided_by: Option<UserId>,
    /// When.
    pub voided_at: Option<NaiveDateTime>,
    /// Who recorded it.
    pub recorded_by: Option<UserId>,
    /// When it was recorded.
    pub created_at: NaiveDateTime,
    /// The receipt as issued (JSON of `ReceiptDocument`), never changed;
    /// `None` for payments recorded before receipts were kept.
    pub receipt: Option<String>,
}

/// One movement of a payment's money (never changed).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_allocations)]
pub struct Allocation {
    /// Id.
    pub id: AllocationId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// The household.
    pub household_id: HouseholdId,
    /// Whose money.
    pub payment_id: PaymentId,
    /// The charge it went to; `None` is the household's credit.
    pub charge_id: Option<ChargeId>,
    /// Amount, negative when money moves away.
    pub amount: i64,
    /// Why.
    pub kind: AllocationKind,
    /// When.
    pub created_at: NaiveDateTime,
    /// The refund that paid this credit out (or gave it back): only on
    /// `refund` and `refund_void` rows.
    pub refund_id: Option<RefundId>,
}

/// Household credit paid back. Like a payment it is a money document: its
/// fields never change after it is issued, except that a void sets
/// `status`, `voided_at`, `voided_by` and `void_reason`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refunds)]
pub struct Refund {
    /// Id.
    pub id: RefundId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Who was paid back.
    pub household_id: HouseholdId,
    /// Amount in minor units.
    pub amount: i64,
    /// ISO 4217 currency (the tenant's).
    pub currency: String,
    /// How the money went back.
    pub method: PaymentMethod,
    /// The bank's or the cash book's reference.
    pub reference: Option<String>,
    /// Why.
    pub reason: String,
    /// Its number in the tenant's receipt sequence (shared with payments).
    pub receipt_number: i64,
    /// Status.
    pub status: PaymentStatus,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// Who voided it.
    pub voided_by: Option<UserId>,
    /// When.
    pub voided_at: Option<NaiveDateTime>,
    /// Who issued it.
    pub issued_by: Option<UserId>,
    /// When it was issued.
    pub created_at: NaiveDateTime,
}

/// `R-000123`.
pub fn receipt_label(number: i64) -> String {
    format!("R-{number:06}")
}
