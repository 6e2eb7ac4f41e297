//! Payments: recording money received (allocated to charges, the rest kept
//! as credit, with the next receipt number) and voiding it.

use chrono::NaiveDateTime;

use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{ChargeId, DbConnection, HouseholdId, PaymentId, TenantId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::outbox::{self, WebhookEventType};
use crate::pagination::{Page, PageRequest};
use crate::payments::dto::{CreatePaymentRequest, MoneyQuery, PaymentResponse};
use crate::payments::model::{AllocationKind, Charge, Payment, PaymentMethod, PaymentStatus};
use crate::payments::repo;
use crate::payments::rules::spread;
use crate::payments::service::money::{
    Actor, add_paid, already_void, currency_of, known_household, lock_household, settle,
};
use crate::payments::service::receipts;
use crate::request_context::RequestMeta;
use crate::tenants;

/// A payment to record.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    /// Who paid.
    pub household: &'a HouseholdId,
    /// Amount in minor units.
    pub amount: i64,
    /// How.
    pub method: PaymentMethod,
    /// The payer's or bank's reference.
    pub reference: Option<&'a str>,
    /// When the money was received.
    pub received_at: NaiveDateTime,
    /// The charges to pay, in order; `None`: oldest due first.
    pub charge_ids: Option<&'a [ChargeId]>,
    /// The tenant's currency.
    pub currency: &'a str,
}

/// The charges a payment pays, in order: the named ones (each must be the
/// household's and still owing, 422 naming `charge_ids[i]` otherwise) or
/// every open one, oldest due first.
fn charges_to_pay(
    conn: &mut DbConnection,
    tenant: &TenantId,
    new: &NewPayment<'_>,
) -> Result<Vec<Charge>, ApiError> {
    let Some(ids) = new.charge_ids else {
        return Ok(repo::open_charges(conn, tenant, new.household)?);
    };
    let found = repo::charges_by_ids(conn, tenant, new.household, ids)?;
    let mut errors = Vec::new();
    let mut ordered = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let field = format!("charge_ids[{i}]");
        match found.iter().find(|c| &c.id == id) {
            None => errors.push(FieldError::new(
                field,
                "unknown_charge",
                "no charge of this household has this id",
            )),
            Some(c) if c.outstanding() == 0 => errors.push(FieldError::new(
                field,
                "not_owing",
                "this charge is paid or void",
            )),
            Some(_) if ordered.iter().any(|c: &Charge| &c.id == id) => {
                errors.push(FieldError::new(
                    field,
                    "duplicate",
                    "this charge is listed more than once",
                ));
            }
            Some(c) => ordered.push(c.clone()),
        }
    }
    if errors.is_empty() {
        Ok(ordered)
    } else {
        Err(ApiError::validation(errors))
    }
}

/// Records a payment with the tenant's next receipt number, allocates it to
/// charges and keeps the rest as credit.
pub fn record_payment(
    conn: &mut DbConnection,
    tenant: &TenantId,
    new: &NewPayment<'_>,
    actor: Actor<'_>,
) -> Result<PaymentResponse, ApiError> {
    let receipt_number = repo::take_receipt_number(conn, tenant)?;
    lock_household(conn, tenant, new.household)?;
    let charges = charges_to_pay(conn, tenant, new)?;
    let owing: Vec<(ChargeId, i64)> = charges
        .iter()
        .map(|c| (c.id.clone(), c.outstanding()))
        .collect();
    let (plan, credit) = spread(new.amount, &owing);
    let payment = Payment {
        id: PaymentId::new(),
        tenant_id: tenant.clone(),
        household_id: new.household.clone(),
        amount: new.amount,
        currency: new.currency.to_string(),
        method: new.method,
        reference: new.reference.map(str::to_string),
        received_at: new.received_at,
        receipt_number,
        status: PaymentStatus::Completed,
        void_reason: None,
        voided_by: None,
        voided_at: None,
        recorded_by: Some(actor.user.clone()),
        created_at: clock::now(),
        receipt: None,
    };
    repo::insert_payment(conn, &payment)?;
    for (charge_id, amount) in &plan {
        let charge = charges
            .iter()
            .find(|c| &c.id == charge_id)
            .ok_or_else(ApiError::not_found)?;
        repo::allocate(
            conn,
            tenant,
            new.household,
            &payment.id,
            Some(charge_id),
            *amount,
            AllocationKind::Payment,
        )?;
        add_paid(conn, charge, *amount)?;
    }
    if credit > 0 {
        repo::allocate(
            conn,
            tenant,
            new.household,
            &payment.id,
            None,
            credit,
            AllocationKind::Payment,
        )?;
    }
    // Named charges may leave credit while other charges are open.
    settle(conn, tenant, new.household)?;
    // The receipt says where the money went in this transaction, once.
    let held = repo::net_allocations(conn, tenant, &[&payment.id])?
        .remove(&payment.id)
        .unwrap_or_default();
    let receipt = receipts::to_stored(&receipts::issue(conn, tenant, &payment, &held)?)?;
    repo::store_receipt(conn, tenant, &payment.id, &receipt)?;
    let payment = Payment {
        receipt: Some(receipt),
        ..payment
    };
    actor.audit(
        conn,
        tenant,
        "payment.create",
        ("payment", payment.id.as_str()),
        None,
    )?;
    let recorded = PaymentResponse::new(payment, &held);
    outbox::emit(conn, tenant, WebhookEventType::PaymentRecorded, &recorded)?;
    Ok(recorded)
}

/// Voids a payment: every allocation it still has is reversed, so the charges
/// it paid reopen and the credit it left is gone. A payment whose credit a
/// refund paid back cannot be voided while that refund stands (409
/// `payment_refunded`): the household would owe money it was handed back.
pub fn void_payment(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &PaymentId,
    reason: &str,
    actor: Actor<'_>,
) -> Result<PaymentResponse, ApiError> {
    let payment = repo::get_payment(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    lock_household(conn, tenant, &payment.household_id)?;
    let refunded = repo::refunded_from(conn, tenant, id)?;
    if refunded > 0 && payment.status == PaymentStatus::Completed {
        return Err(
            ApiError::new(ErrorCode::PaymentRefunded).with_detail(format!(
                "{refunded} of this payment was refunded; void the refund first."
            )),
        );
    }
    if !repo::void_payment(conn, tenant, id, reason, actor.user)? {
        return Err(already_void("payment"));
    }
    let held = repo::net_allocations(conn, tenant, &[id])?
        .remove(id)
        .unwrap_or_default();
    for (charge_id, amount) in held {
        let kind = AllocationKind::PaymentVoid;
        repo::allocate(
            conn,
            tenant,
            &payment.household_id,
            id,
            charge_id.as_ref(),
            -amount,
            kind,
        )?;
        if let Some(charge_id) = charge_id {
            let charge =
                repo::get_charge(conn, tenant, &charge_id)?.ok_or_else(ApiError::not_found)?;
            add_paid(conn, &charge, -amount)?;
        }
    }
    // The charges it paid reopen: credit the household holds pays them.
    settle(conn, tenant, &payment.household_id)?;
    actor.audit(
        conn,
        tenant,
        "payment.void",
        ("payment", id.as_str()),
        Some(reason),
    )?;
    let voided = repo::get_payment(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    let voided = response(conn, tenant, voided)?;
    outbox::emit(conn, tenant, WebhookEventType::PaymentVoided, &voided)?;
    Ok(voided)
}

/// The payments as clients see them: each with its allocations and credit.
pub fn responses(
    conn: &mut DbConnection,
    tenant: &TenantId,
    payments: Vec<Payment>,
) -> Result<Vec<PaymentResponse>, ApiError> {
    let ids: Vec<&PaymentId> = payments.iter().map(|p| &p.id).collect();
    let mut held = repo::net_allocations(conn, tenant, &ids)?;
    Ok(payments
        .into_iter()
        .map(|p| {
            let money = held.remove(&p.id).unwrap_or_default();
            PaymentResponse::new(p, &money)
        })
        .collect())
}

fn response(
    conn: &mut DbConnection,
    tenant: &TenantId,
    payment: Payment,
) -> Result<PaymentResponse, ApiError> {
    responses(conn, tenant, vec![payment])?
        .pop()
        .ok_or_else(ApiError::not_found)
}

/// `POST /admin/payments`: records a payment received at `received_at`
/// ([`rules::received_at`](crate::payments::rules::received_at) has checked it).
pub fn pay(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &CreatePaymentRequest,
    received_at: NaiveDateTime,
    meta: &RequestMeta,
) -> Result<PaymentResponse, ApiError> {
    let tenant = &ctx.tenant_id;
    known_household(conn, tenant, &body.household_id)?;
    let currency = currency_of(conn, tenant)?;
    let reference = body.reference.as_deref().map(str::trim);
    let new = NewPayment {
        household: &body.household_id,
        amount: body.amount,
        method: body.method,
        reference: reference.filter(|r| !r.is_empty()),
        received_at,
        charge_ids: body.charge_ids.as_deref(),
        currency: &currency,
    };
    let actor = Actor {
        user: &ctx.user_id,
        meta,
    };
    record_payment(conn, tenant, &new, actor)
}

/// Voids payment `id` as `ctx`'s admin, with a reason.
pub fn void(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &PaymentId,
    reason: &str,
    meta: &RequestMeta,
) -> Result<PaymentResponse, ApiError> {
    let actor = Actor {
        user: &ctx.user_id,
        meta,
    };
    void_payment(conn, &ctx.tenant_id, id, reason.trim(), actor)
}

/// The tenant's payment `id`.
pub fn get(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &PaymentId,
) -> Result<PaymentResponse, ApiError> {
    let payment = repo::get_payment(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    response(conn, &ctx.tenant_id, payment)
}

/// One page of the tenant's payments matching `query`, newest first.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    query: MoneyQuery,
    page: &PageRequest,
) -> Result<Page<PaymentResponse>, ApiError> {
    let calendar = tenants::calendar_for(conn, &ctx.tenant_id, &[query.from, query.to])?;
    let filter = query.into_filter(&calendar);
    let rows = repo::list_payments(conn, &ctx.tenant_id, &filter, page)?;
    let stored = Page::from_rows(rows, page, |p| (p.created_at, p.id.to_string()), |p| p);
    Ok(Page {
        data: responses(conn, &ctx.tenant_id, stored.data)?,
        next_cursor: stored.next_cursor,
    })
}
