//! What every movement of money shares (the movements themselves are in
//! `charges.rs` and `payments.rs`). Each runs in the caller's write
//! transaction with the household's row held first (and, for a payment, the
//! tenant's receipt counter before it), so the movements of one household
//! happen one at a time: a charge is never allocated more than it owes, and
//! credit is never spent twice. Allocation rows are only ever added; a void
//! writes the reversing rows.

use crate::audit::{self, AuditEntry};
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::error::{ApiError, ErrorCode};
use crate::households;
use crate::payments::model::{AllocationKind, Charge};
use crate::payments::repo;
use crate::request_context::RequestMeta;
use crate::tenants;

/// Who acts, and the request they act in.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The admin.
    pub user: &'a UserId,
    /// Request id and IP, for the audit trail.
    pub meta: &'a RequestMeta,
}

impl Actor<'_> {
    /// Writes the audit event of `action` on `target`, with an optional reason.
    pub fn audit(
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
    if households::household(conn, tenant, id)?.is_none() {
        return Err(crate::validation::invalid(
            "household_id",
            "unknown_household",
            "no household of this organisation has this id",
        ));
    }
    Ok(())
}

/// Holds the household's row; 404 when it is not the tenant's.
pub fn lock_household(
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
pub fn already_void(what: &str) -> ApiError {
    ApiError::new(ErrorCode::AlreadyVoid)
        .with_detail(format!("This {what} has already been voided."))
}

/// Moves `amount` more onto `charge` (re-read under the household lock).
pub fn add_paid(conn: &mut DbConnection, charge: &Charge, delta: i64) -> Result<(), ApiError> {
    if !repo::set_paid(conn, charge, charge.amount_paid + delta)? {
        return Err(ApiError::conflict(
            "The charge changed meanwhile; retry the request.",
        ));
    }
    Ok(())
}

/// Makes credit meet open charges: while the household holds credit and
/// owes on a charge, the credit (oldest payment's first) pays the charges,
/// oldest due first, as append-only `credit_applied` allocations. Called at
/// the end of every movement of a household's money (a charge, a payment, a
/// void), inside its transaction and under the household's lock, so a
/// household never shows credit and an open balance at once.
pub fn settle(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> Result<(), ApiError> {
    let (due, credit) = repo::balances(conn, tenant, household)?;
    if due <= 0 || credit <= 0 {
        return Ok(());
    }
    for charge in repo::open_charges(conn, tenant, household)? {
        if apply_credit(conn, tenant, &charge)? == 0 {
            break;
        }
    }
    Ok(())
}

/// Pays `charge` from the household's credit, oldest credit first; returns
/// how much credit is left.
fn apply_credit(
    conn: &mut DbConnection,
    tenant: &TenantId,
    charge: &Charge,
) -> Result<i64, ApiError> {
    let mut owed = charge.outstanding();
    let mut paid = 0;
    let mut left = 0;
    for (payment, credit) in repo::credit_by_payment(conn, tenant, &charge.household_id)? {
        if owed == 0 {
            left += credit;
            continue;
        }
        let take = credit.min(owed);
        left += credit - take;
        let whose = (tenant, &charge.household_id);
        let kind = AllocationKind::CreditApplied;
        repo::shift(conn, whose, &payment, (None, Some(&charge.id)), take, kind)?;
        owed -= take;
        paid += take;
    }
    if paid > 0 {
        add_paid(conn, charge, paid)?;
    }
    Ok(left)
}

/// The currency the tenant charges dues in.
pub fn currency_of(conn: &mut DbConnection, tenant: &TenantId) -> Result<String, ApiError> {
    Ok(tenants::tenant(conn, tenant)?
        .ok_or_else(ApiError::not_found)?
        .currency)
}
