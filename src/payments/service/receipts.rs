//! Receipts are documents: written once, when the payment is recorded, and
//! read back as written. Voids change the payment's status, never what its
//! receipt says.

use crate::auth::TenantCtx;
use crate::db::{ChargeId, DbConnection, PaymentId, TenantId};
use crate::error::ApiError;
use crate::households;
use crate::payments::dto::{ReceiptDocument, ReceiptLine, ReceiptResponse};
use crate::payments::model::{Payment, receipt_label};
use crate::payments::repo::{self, Holdings};
use crate::payments::service::statements::my_household;
use crate::tenants;

/// The receipt of `payment`, whose money is at `held` (charge, or `None` for
/// credit, and amount), with the names of the organisation, the household
/// and the charges as they read now.
pub fn issue(
    conn: &mut DbConnection,
    tenant: &TenantId,
    payment: &Payment,
    held: &Holdings,
) -> Result<ReceiptDocument, ApiError> {
    let ids: Vec<ChargeId> = held.iter().filter_map(|(c, _)| c.clone()).collect();
    let charges = repo::charges_by_ids(conn, tenant, &payment.household_id, &ids)?;
    let organisation = tenants::tenant(conn, tenant)?
        .ok_or_else(ApiError::not_found)?
        .name;
    let household_name = households::household(conn, tenant, &payment.household_id)?
        .ok_or_else(ApiError::not_found)?
        .name;
    Ok(ReceiptDocument {
        receipt_number: receipt_label(payment.receipt_number),
        issued_at: payment.created_at,
        organisation,
        id: payment.id.to_string(),
        household_id: payment.household_id.to_string(),
        household_name,
        amount: payment.amount,
        currency: payment.currency.clone(),
        method: payment.method,
        reference: payment.reference.clone(),
        received_at: payment.received_at,
        allocations: held
            .iter()
            .filter_map(|(charge, amount)| {
                let charge = charges.iter().find(|c| Some(&c.id) == charge.as_ref())?;
                Some(ReceiptLine {
                    charge_id: charge.id.to_string(),
                    description: charge.description.clone(),
                    amount: *amount,
                })
            })
            .collect(),
        unapplied_amount: held
            .iter()
            .filter(|(c, _)| c.is_none())
            .map(|(_, a)| a)
            .sum(),
    })
}

/// The stored form of a receipt.
pub fn to_stored(document: &ReceiptDocument) -> Result<String, ApiError> {
    serde_json::to_string(document).map_err(|e| ApiError::internal(format!("receipt: {e}")))
}

/// The document of `payment`: as stored, or, for a payment recorded before
/// receipts were stored, derived from the allocations it was given then
/// (append-only) with today's names.
fn document_of(
    conn: &mut DbConnection,
    tenant: &TenantId,
    payment: &Payment,
) -> Result<ReceiptDocument, ApiError> {
    if let Some(stored) = &payment.receipt {
        return serde_json::from_str(stored)
            .map_err(|e| ApiError::internal(format!("stored receipt of {}: {e}", payment.id)));
    }
    let given = repo::allocations_at_issue(conn, tenant, &payment.id)?;
    issue(conn, tenant, payment, &given)
}

/// The receipt of a payment of the caller's household; anyone else's, like
/// a missing one, is 404.
pub fn for_member(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &PaymentId,
) -> Result<ReceiptResponse, ApiError> {
    let household = my_household(conn, ctx).map_err(|_| ApiError::not_found())?;
    let payment = repo::get_payment(conn, &ctx.tenant_id, id)?
        .filter(|p| p.household_id == household)
        .ok_or_else(ApiError::not_found)?;
    Ok(ReceiptResponse {
        document: document_of(conn, &ctx.tenant_id, &payment)?,
        status: payment.status,
        voided_at: payment.voided_at,
        void_reason: payment.void_reason,
    })
}
