//! Demo charges and payments: the Millers paid their dues, Flat 3B paid part,
//! the Okafors paid twice and were refunded the second half; a monthly garden
//! fee is scheduled from the first of next month (Berlin time).

use chrono::Duration;

use crate::calendar::Span;
use crate::clock;
use crate::datetime::Date;
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::error::ApiError;
use crate::payments::dto::{CreateRefundRequest, CreateScheduleRequest};
use crate::payments::model::{Frequency, PaymentMethod};
use crate::payments::service::charges::{NewCharge, issue_charge};
use crate::payments::service::money::Actor;
use crate::payments::service::payments::{NewPayment, record_payment};
use crate::payments::service::refunds::issue_refund;
use crate::payments::service::schedules::set_up;
use crate::request_context::RequestMeta;
use crate::tenants;

/// Dues for every household and two payments. `users[0]` is the admin.
pub fn seed(
    conn: &mut DbConnection,
    tenant: &TenantId,
    users: &[UserId],
    households: &[HouseholdId],
    currency: &str,
) -> Result<(), ApiError> {
    let meta = RequestMeta::default();
    let actor = Actor {
        user: &users[0],
        meta: &meta,
    };
    let now = clock::now();
    let dues = NewCharge {
        description: "Annual membership",
        amount: 2500,
        due_date: (now + Duration::days(30)).date(),
        currency,
    };
    for household in households {
        issue_charge(conn, tenant, household, &dues, actor)?;
    }
    for (household, amount, method) in [
        (&households[0], 2500, PaymentMethod::Cash),
        (&households[1], 1000, PaymentMethod::BankTransfer),
        (&households[2], 5000, PaymentMethod::BankTransfer),
    ] {
        let payment = NewPayment {
            household,
            amount,
            method,
            reference: None,
            received_at: now - Duration::days(1),
            charge_ids: None,
            currency,
        };
        record_payment(conn, tenant, &payment, actor)?;
    }
    let refund = CreateRefundRequest {
        household_id: households[2].clone(),
        amount: 2500,
        method: PaymentMethod::BankTransfer,
        reference: Some("Paid twice".to_string()),
        reason: "The annual membership was paid twice".to_string(),
    };
    issue_refund(conn, tenant, &refund, actor)?;
    schedule_garden_fee(conn, tenant, actor)
}

/// 5.00 every month from the first of next month, on the tenant's calendar,
/// to every household, due two weeks later.
fn schedule_garden_fee(
    conn: &mut DbConnection,
    tenant: &TenantId,
    actor: Actor<'_>,
) -> Result<(), ApiError> {
    let now = clock::now();
    let calendar = tenants::calendar(conn, tenant)?;
    let next_month = calendar.end(Span::Month, now);
    let first = calendar.local_date(next_month);
    let anchor = Date::try_from(first).map_err(|e| ApiError::internal(e.to_string()))?;
    let fee = CreateScheduleRequest {
        description: "Garden plot fee".to_string(),
        amount: 500,
        household_ids: None,
        all_active: Some(true),
        frequency: Frequency::Monthly,
        anchor_date: anchor,
        ends_on: None,
        due_after_days: 14,
    };
    set_up(conn, tenant, &fee, now, actor).map(drop)
}
