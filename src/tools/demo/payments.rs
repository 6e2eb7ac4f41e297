//! Demo charges and payments: the Millers paid their dues, Flat 3B paid part,
//! the Okafors owe theirs.

use chrono::Duration;

use crate::clock;
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::error::ApiError;
use crate::payments::model::PaymentMethod;
use crate::payments::service::charges::{NewCharge, issue_charge};
use crate::payments::service::money::Actor;
use crate::payments::service::payments::{NewPayment, record_payment};
use crate::request_context::RequestMeta;

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
    Ok(())
}
