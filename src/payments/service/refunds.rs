//! Refunds: household credit paid back (a family moves away), and voiding
//! that. A refund takes the next receipt number, and the credit it pays out
//! is taken from the payments that left it, oldest first, as allocation rows
//! that name the refund; its void gives the same amounts back.

use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{DbConnection, RefundId, TenantId};
use crate::error::{ApiError, ErrorCode};
use crate::outbox::{self, WebhookEventType};
use crate::pagination::{Page, PageRequest};
use crate::payments::dto::{CreateRefundRequest, MoneyQuery, RefundResponse};
use crate::payments::model::{AllocationKind, PaymentStatus, Refund};
use crate::payments::repo;
use crate::payments::service::money::{
    Actor, already_void, currency_of, known_household, lock_household, settle,
};
use crate::request_context::RequestMeta;
use crate::tenants;

/// `POST /admin/refunds` as `ctx`'s admin.
pub fn refund(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &CreateRefundRequest,
    meta: &RequestMeta,
) -> Result<RefundResponse, ApiError> {
    let actor = Actor {
        user: &ctx.user_id,
        meta,
    };
    Ok(issue_refund(conn, &ctx.tenant_id, body, actor)?.into())
}

/// Pays `body.amount` of the household's credit back (409
/// `insufficient_credit` when it holds less), with the next receipt number.
pub fn issue_refund(
    conn: &mut DbConnection,
    tenant: &TenantId,
    body: &CreateRefundRequest,
    actor: Actor<'_>,
) -> Result<Refund, ApiError> {
    let household = &body.household_id;
    known_household(conn, tenant, household)?;
    let currency = currency_of(conn, tenant)?;
    // The counter first, then the household: the order every payment takes.
    let receipt_number = repo::take_receipt_number(conn, tenant)?;
    lock_household(conn, tenant, household)?;
    let (_, credit) = repo::balances(conn, tenant, household)?;
    if body.amount > credit {
        return Err(
            ApiError::new(ErrorCode::InsufficientCredit).with_detail(format!(
                "The household's credit {credit} is below the refund {}.",
                body.amount
            )),
        );
    }
    let reference = body.reference.as_deref().map(str::trim);
    let refund = Refund {
        id: RefundId::new(),
        tenant_id: tenant.clone(),
        household_id: household.clone(),
        amount: body.amount,
        currency,
        method: body.method,
        reference: reference.filter(|r| !r.is_empty()).map(str::to_string),
        reason: body.reason.trim().to_string(),
        receipt_number,
        status: PaymentStatus::Completed,
        void_reason: None,
        voided_by: None,
        voided_at: None,
        issued_by: Some(actor.user.clone()),
        created_at: clock::now(),
    };
    repo::insert_refund(conn, &refund)?;
    let mut left = refund.amount;
    for (payment, held) in repo::credit_by_payment(conn, tenant, household)? {
        let take = held.min(left);
        let whose = (tenant, household);
        repo::allocate_refund(
            conn,
            whose,
            &payment,
            &refund.id,
            -take,
            AllocationKind::Refund,
        )?;
        left -= take;
        if left == 0 {
            break;
        }
    }
    let target = ("refund", refund.id.as_str());
    actor.audit(conn, tenant, "refund.create", target, Some(&refund.reason))?;
    let seen = RefundResponse::from(refund.clone());
    outbox::emit(conn, tenant, WebhookEventType::RefundIssued, &seen)?;
    Ok(refund)
}

/// `POST /admin/refunds/{id}/void`: the credit the refund paid out is the
/// household's again (and meets any open charge at once). Once only (409
/// `already_void`).
pub fn void(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RefundId,
    reason: &str,
    meta: &RequestMeta,
) -> Result<RefundResponse, ApiError> {
    let tenant = &ctx.tenant_id;
    let refund = repo::get_refund(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    let household = &refund.household_id;
    lock_household(conn, tenant, household)?;
    let reason = reason.trim();
    if !repo::void_refund(conn, tenant, id, reason, &ctx.user_id)? {
        return Err(already_void("refund"));
    }
    for (payment, amount) in repo::refunded_by(conn, tenant, id)? {
        let whose = (tenant, household);
        repo::allocate_refund(
            conn,
            whose,
            &payment,
            id,
            amount,
            AllocationKind::RefundVoid,
        )?;
    }
    settle(conn, tenant, household)?;
    let actor = Actor {
        user: &ctx.user_id,
        meta,
    };
    actor.audit(
        conn,
        tenant,
        "refund.void",
        ("refund", id.as_str()),
        Some(reason),
    )?;
    let voided = get(conn, ctx, id)?;
    outbox::emit(conn, tenant, WebhookEventType::RefundVoided, &voided)?;
    Ok(voided)
}

/// The tenant's refund `id`.
pub fn get(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RefundId,
) -> Result<RefundResponse, ApiError> {
    let refund = repo::get_refund(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    Ok(refund.into())
}

/// One page of the tenant's refunds matching `query`, newest first.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    query: MoneyQuery,
    page: &PageRequest,
) -> Result<Page<RefundResponse>, ApiError> {
    let calendar = tenants::calendar_for(conn, &ctx.tenant_id, &[query.from, query.to])?;
    let filter = query.into_filter(&calendar);
    let rows = repo::list_refunds(conn, &ctx.tenant_id, &filter, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.to_string()),
        RefundResponse::from,
    ))
}
