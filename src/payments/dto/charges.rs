//! Charge bodies

use chrono::{NaiveDate, NaiveDateTime};
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::datetime::{Date, Timestamp};
use crate::db::{ChargeId, HouseholdId};
use crate::error::ApiError;
use crate::payments::model::{Charge, ChargeStatus, PaymentMethod};
use crate::payments::repo::ChargeFilter;
use crate::validation::{invalid, not_blank};

/// `POST /admin/charges`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21",
    "description": "December dues", "amount": 2500, "due_date": "2026-12-31"}))]
pub struct CreateChargeRequest {
    /// The household that owes it.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: HouseholdId,
    /// What for, 1-200 characters.
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub description: String,
    /// Amount in minor units of the tenant's currency, 1-100000000000.
    #[limit(range = 1..=100_000_000_000_i64)]
    pub amount: i64,
    /// When it is due (`YYYY-MM-DD`).
    pub due_date: Date,
}

/// `POST /admin/charges/batch`: either `household_ids` or `all_active: true`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"all_active": true, "description": "December dues", "amount": 2500,
    "due_date": "2026-12-31"}))]
pub struct BatchChargeRequest {
    /// The households to charge (1-500).
    #[limit(items = 1..=500, of = "households")]
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub household_ids: Option<Vec<HouseholdId>>,
    /// `true`: every household that is not archived.
    pub all_active: Option<bool>,
    /// What for, 1-200 characters.
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub description: String,
    /// Amount per household, 1-100000000000.
    #[limit(range = 1..=100_000_000_000_i64)]
    pub amount: i64,
    /// When it is due (`YYYY-MM-DD`).
    pub due_date: Date,
}

impl BatchChargeRequest {
    /// Exactly one of `household_ids` and `all_active: true` (see [`one_target`]).
    pub fn check_targets(&self) -> Result<(), ApiError> {
        one_target(self.household_ids.is_some(), self.all_active)
    }
}

/// Exactly one of a body's `household_ids` and `all_active: true` (422 naming
/// `household_ids` otherwise).
pub fn one_target(listed: bool, all_active: Option<bool>) -> Result<(), ApiError> {
    if listed == all_active.unwrap_or(false) {
        return Err(invalid(
            "household_ids",
            "invalid_combination",
            "send either household_ids or all_active: true",
        ));
    }
    Ok(())
}

/// `POST /admin/charges/{id}/void` and `POST /admin/payments/{id}/void`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Issued twice"}))]
pub struct VoidRequest {
    /// Why (required, kept in the audit trail).
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
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
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "amount": 5000,
    "method": "bank_transfer", "reference": "TRX-2026-1182", "received_at": "2026-11-21T15:00:00Z"}))]
pub struct CreatePaymentRequest {
    /// The household that paid.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: HouseholdId,
    /// Amount in minor units of the tenant's currency, 1-100000000000.
    #[limit(range = 1..=100_000_000_000_i64)]
    pub amount: i64,
    /// How it was paid.
    pub method: PaymentMethod,
    /// The payer's or bank's reference, up to 100 characters.
    #[limit(chars = ..=100)]
    pub reference: Option<String>,
    /// When the money was received (default now; not in the future).
    pub received_at: Option<Timestamp>,
    /// Charges to pay, in order (1-100); absent: open charges, oldest due first.
    #[limit(items = 1..=100, of = "charges")]
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub charge_ids: Option<Vec<ChargeId>>,
}

impl ChargesQuery {
    /// The filter asked for.
    pub fn into_filter(self) -> Result<ChargeFilter, ApiError> {
        let filter = ChargeFilter {
            household_id: self.household_id,
            status: self.status,
            due_before: self.due_before.map(Date::get),
        };
        Ok(filter)
    }
}
