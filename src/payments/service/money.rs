//! Every movement of money, each in the caller's write transaction with the
//! household's row held first (and, for a payment, the tenant's receipt
//! counter before it), so the movements of one household happen one at a
//! time: a charge is never allocated more than it owes, and credit is never
//! spent twice. Allocation rows are only ever added; a void writes the
//! reversing rows.

use chrono::{NaiveDate, NaiveDateTime};

use crate::audit::{self, AuditEntry};
use crate::clock;
use crate::db::{ChargeId, DbConnection, HouseholdId, PaymentId, TenantId, UserId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::households;
use crate::payments::model::{
    AllocationKind, Charge, ChargeStatus, Payment, PaymentMethod, PaymentStatus,
};
use crate::payments::repo;
use crate::payments::rules::spread;
use crate::request_context::RequestMeta;

/// Who acts, and the request they act in.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The admin.
    pub user: &'a UserId,
    /// Request id and IP, for the audit trail.
    pub meta: &'a RequestMeta,
}

impl Actor<'_> {
    fn audit(
        &self,
        conn: &mut DbConnection,
        tenant: &TenantId,
        action: &str,
        target: (&str, &str),
        reason: Option<&str>,
    ) -> Result<(), ApiError> {
        let mut entry = AuditEntry::new(action, self.meta)
            .by(self.user)
            .on(target.0, target.1);
        if let Some(reason) = reason {
            entry = entry.because(reason);
        }
        Ok(audit::record(conn, tenant, entry)?)
    }
}

/// 422 naming `household_id` unless the tenant has this household.
pub fn known_household(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &HouseholdId,
) -> Result<(), ApiError> {
    if households::repo::get(conn, tenant, id)?.is_none() {
        return Err(crate::validation::invalid(
            "household_id",
            "unknown_household",
            "no household of this organisation has this id",
        ));
    }
    Ok(())
}

/// Holds the household's row; 404 when it is not the tenant's.
fn lock_household(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> Result<(), ApiError> {
    if repo::lock_household(conn, tenant, household)? {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// 409 `already_void`.
fn already_void(what: &str) -> ApiError {
    ApiError::new(ErrorCode::AlreadyVoid)
        .with_detail(format!("This {what} has already been voided."))
}

/// Moves `amount` more onto `charge` (re-read under the household lock).
fn add_paid(conn: &mut DbConnection, charge: &Charge, delta: i64) -> Result<(), ApiError> {
    if !repo::set_paid(conn, charge, charge.amount_paid + delta)? {
        return Err(ApiError::conflict(
            "The charge changed meanwhile; retry the request.",
        ));
    }
    Ok(())
}

/// Pays `charge` from the household's credit, oldest credit first.
fn apply_credit(
    conn: &mut DbConnection,
    tenant: &TenantId,
    charge: &Charge,
) -> Result<(), ApiError> {
    let mut owed = charge.outstanding();
    let mut paid = 0;
    for (payment, credit) in repo::credit_by_payment(conn, tenant, &charge.household_id)? {
        if owed == 0 {
            break;
        }
        let take = credit.min(owed);
        let kind = AllocationKind::CreditApplied;
        repo::allocate(
            conn,
            tenant,
            &charge.household_id,
            &payment,
            None,
            -take,
            kind,
        )?;
        repo::allocate(
            conn,
            tenant,
            &charge.household_id,
            &payment,
            Some(&charge.id),
            take,
            kind,
        )?;
        owed -= take;
        paid += take;
    }
    if paid > 0 {
        add_paid(conn, charge, paid)?;
    }
    Ok(())
}

/// A charge to issue.
#[derive(Debug, Clone)]
pub struct NewCharge<'a> {
    /// What for.
    pub description: &'a str,
    /// Amount in minor units.
    pub amount: i64,
    /// When it is due.
    pub due_date: NaiveDate,
    /// The tenant's currency.
    pub currency: &'a str,
}

/// Issues a charge to a live household and pays it from any credit at once.
pub fn issue_charge(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    new: &NewCharge<'_>,
    actor: Actor<'_>,
) -> Result<Charge, ApiError> {
    lock_household(conn, tenant, household)?;
    let live =
        households::repo::get(conn, tenant, household)?.is_some_and(|h| h.archived_at.is_none());
    if !live {
        return Err(ApiError::new(ErrorCode::HouseholdArchived)
            .with_detail("Archived households cannot be charged."));
    }
    let now = clock::now();
    let charge = Charge {
        id: ChargeId::new(),
        tenant_id: tenant.clone(),
        household_id: household.clone(),
        description: new.description.to_string(),
        amount: new.amount,
        amount_paid: 0,
        currency: new.currency.to_string(),
        due_date: new.due_date,
        status: ChargeStatus::Open,
        void_reason: None,
        voided_by: None,
        voided_at: None,
        created_by: Some(actor.user.clone()),
        created_at: now,
        updated_at: now,
    };
    repo::insert_charge(conn, &charge)?;
    apply_credit(conn, tenant, &charge)?;
    actor.audit(
        conn,
        tenant,
        "charge.create",
        ("charge", charge.id.as_str()),
        None,
    )?;
    repo::get_charge(conn, tenant, &charge.id)?.ok_or_else(ApiError::not_found)
}

/// Voids a charge: what was paid towards it becomes the household's credit.
pub fn void_charge(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeId,
    reason: &str,
    actor: Actor<'_>,
) -> Result<Charge, ApiError> {
    let charge = repo::get_charge(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    lock_household(conn, tenant, &charge.household_id)?;
    for (payment, amount) in repo::paid_towards(conn, tenant, id)? {
        let kind = AllocationKind::ChargeVoid;
        repo::allocate(
            conn,
            tenant,
            &charge.household_id,
            &payment,
            Some(id),
            -amount,
            kind,
        )?;
        repo::allocate(
            conn,
            tenant,
            &charge.household_id,
            &payment,
            None,
            amount,
            kind,
        )?;
    }
    if !repo::void_charge(conn, tenant, id, reason, actor.user)? {
        return Err(already_void("charge"));
    }
    actor.audit(
        conn,
        tenant,
        "charge.void",
        ("charge", id.as_str()),
        Some(reason),
    )?;
    repo::get_charge(conn, tenant, id)?.ok_or_else(ApiError::not_found)
}

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
) -> Result<Payment, ApiError> {
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
    actor.audit(
        conn,
        tenant,
        "payment.create",
        ("payment", payment.id.as_str()),
        None,
    )?;
    Ok(payment)
}

/// Voids a payment: every allocation it still has is reversed, so the charges
/// it paid reopen and the credit it left is gone.
pub fn void_payment(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &PaymentId,
    reason: &str,
    actor: Actor<'_>,
) -> Result<Payment, ApiError> {
    let payment = repo::get_payment(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    lock_household(conn, tenant, &payment.household_id)?;
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
    actor.audit(
        conn,
        tenant,
        "payment.void",
        ("payment", id.as_str()),
        Some(reason),
    )?;
    repo::get_payment(conn, tenant, id)?.ok_or_else(ApiError::not_found)
}
