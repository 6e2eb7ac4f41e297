//! Allocations (append-only) and the balances they add up to.

use std::collections::HashMap;

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::clock;
use crate::db::schema::{charges, payment_allocations};
use crate::db::{AllocationId, ChargeId, DbConnection, HouseholdId, PaymentId, RefundId, TenantId};
use crate::payments::model::{Allocation, AllocationKind, ChargeStatus};

/// `SUM(amount)` of allocation rows, as a BIGINT on both backends.
fn allocation_sum() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(SUM(payment_allocations.amount) AS BIGINT)")
}

/// The same over rows that may be none (NULL then).
fn allocation_total() -> diesel::expression::SqlLiteral<diesel::sql_types::Nullable<BigInt>> {
    sql::<diesel::sql_types::Nullable<BigInt>>("CAST(SUM(payment_allocations.amount) AS BIGINT)")
}

/// Writes an allocation row.
pub fn allocate(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    payment: &PaymentId,
    charge: Option<&ChargeId>,
    amount: i64,
    kind: AllocationKind,
) -> QueryResult<()> {
    insert(conn, tenant, household, payment, charge, amount, kind, None)
}

/// Writes a refund's allocation row: `amount` of `payment`'s credit paid
/// out by `refund` (negative, kind `refund`) or given back by its void
/// (positive, kind `refund_void`).
pub fn allocate_refund(
    conn: &mut DbConnection,
    (tenant, household): (&TenantId, &HouseholdId),
    payment: &PaymentId,
    refund: &RefundId,
    amount: i64,
    kind: AllocationKind,
) -> QueryResult<()> {
    insert(
        conn,
        tenant,
        household,
        payment,
        None,
        amount,
        kind,
        Some(refund),
    )
}

#[expect(
    clippy::too_many_arguments,
    reason = "one column each; private to the two writers above"
)]
fn insert(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    payment: &PaymentId,
    charge: Option<&ChargeId>,
    amount: i64,
    kind: AllocationKind,
    refund: Option<&RefundId>,
) -> QueryResult<()> {
    let row = Allocation {
        id: AllocationId::new(),
        tenant_id: tenant.clone(),
        household_id: household.clone(),
        payment_id: payment.clone(),
        charge_id: charge.cloned(),
        amount,
        kind,
        created_at: clock::now(),
        refund_id: refund.cloned(),
    };
    diesel::insert_into(payment_allocations::table)
        .values(&row)
        .execute(conn)
        .map(drop)
}

/// Moves `amount` of a payment's money from `from` to `to` (a charge, or
/// the household's credit when `None`): a negative row and a positive one,
/// so allocations stay append-only and always add up.
pub fn shift(
    conn: &mut DbConnection,
    (tenant, household): (&TenantId, &HouseholdId),
    payment: &PaymentId,
    (from, to): (Option<&ChargeId>, Option<&ChargeId>),
    amount: i64,
    kind: AllocationKind,
) -> QueryResult<()> {
    allocate(conn, tenant, household, payment, from, -amount, kind)?;
    allocate(conn, tenant, household, payment, to, amount, kind)
}

/// Where a payment's money is: (charge, or `None` for credit, amount).
pub type Holdings = Vec<(Option<ChargeId>, i64)>;

/// Where each of `payments`' money is now: (payment, charge or `None` for
/// credit) → amount, zero sums left out. One query.
pub fn net_allocations(
    conn: &mut DbConnection,
    tenant: &TenantId,
    payments: &[&PaymentId],
) -> QueryResult<HashMap<PaymentId, Holdings>> {
    let rows: Vec<(PaymentId, Option<ChargeId>, i64)> = payment_allocations::table
        .filter(payment_allocations::tenant_id.eq(tenant))
        .filter(payment_allocations::payment_id.eq_any(payments))
        .group_by((
            payment_allocations::payment_id,
            payment_allocations::charge_id,
        ))
        .select((
            payment_allocations::payment_id,
            payment_allocations::charge_id,
            allocation_sum(),
        ))
        .order((
            payment_allocations::payment_id.asc(),
            payment_allocations::charge_id.asc(),
        ))
        .load(conn)?;
    let mut map: HashMap<PaymentId, Holdings> = HashMap::new();
    for (payment, charge, amount) in rows.into_iter().filter(|r| r.2 != 0) {
        map.entry(payment).or_default().push((charge, amount));
    }
    Ok(map)
}

/// What each payment has on `charge`, zero sums left out.
pub fn paid_towards(
    conn: &mut DbConnection,
    tenant: &TenantId,
    charge: &ChargeId,
) -> QueryResult<Vec<(PaymentId, i64)>> {
    let rows: Vec<(PaymentId, i64)> = payment_allocations::table
        .filter(payment_allocations::tenant_id.eq(tenant))
        .filter(payment_allocations::charge_id.eq(charge))
        .group_by(payment_allocations::payment_id)
        .select((payment_allocations::payment_id, allocation_sum()))
        .order(payment_allocations::payment_id.asc())
        .load(conn)?;
    Ok(rows.into_iter().filter(|r| r.1 != 0).collect())
}

/// The household's credit per payment (oldest payment first), zero sums left out.
pub fn credit_by_payment(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> QueryResult<Vec<(PaymentId, i64)>> {
    let rows: Vec<(PaymentId, i64)> = payment_allocations::table
        .filter(payment_allocations::tenant_id.eq(tenant))
        .filter(payment_allocations::household_id.eq(household))
        .filter(payment_allocations::charge_id.is_null())
        .group_by(payment_allocations::payment_id)
        .select((payment_allocations::payment_id, allocation_sum()))
        .order(payment_allocations::payment_id.asc())
        .load(conn)?;
    Ok(rows.into_iter().filter(|r| r.1 != 0).collect())
}

/// What the household owes on its live charges, and its credit.
pub fn balances(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> QueryResult<(i64, i64)> {
    let due: Option<i64> = charges::table
        .filter(charges::tenant_id.eq(tenant))
        .filter(charges::household_id.eq(household))
        .filter(charges::status.ne(ChargeStatus::Void.as_str()))
        .select(sql::<diesel::sql_types::Nullable<BigInt>>(
            "CAST(SUM(charges.amount - charges.amount_paid) AS BIGINT)",
        ))
        .first(conn)?;
    let credit: Option<i64> = payment_allocations::table
        .filter(payment_allocations::tenant_id.eq(tenant))
        .filter(payment_allocations::household_id.eq(household))
        .filter(payment_allocations::charge_id.is_null())
        .select(allocation_total())
        .first(conn)?;
    Ok((due.unwrap_or(0), credit.unwrap_or(0)))
}

/// What `refund` took from each payment's credit now (positive amounts;
/// empty once the refund is void), zero sums left out.
pub fn refunded_by(
    conn: &mut DbConnection,
    tenant: &TenantId,
    refund: &RefundId,
) -> QueryResult<Vec<(PaymentId, i64)>> {
    let rows: Vec<(PaymentId, i64)> = payment_allocations::table
        .filter(payment_allocations::tenant_id.eq(tenant))
        .filter(payment_allocations::refund_id.eq(refund))
        .group_by(payment_allocations::payment_id)
        .select((payment_allocations::payment_id, allocation_sum()))
        .order(payment_allocations::payment_id.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.1 != 0)
        .map(|(payment, amount)| (payment, -amount))
        .collect())
}

/// How much of `payment`'s money refunds that still stand have paid back.
pub fn refunded_from(
    conn: &mut DbConnection,
    tenant: &TenantId,
    payment: &PaymentId,
) -> QueryResult<i64> {
    let sum: Option<i64> = payment_allocations::table
        .filter(payment_allocations::tenant_id.eq(tenant))
        .filter(payment_allocations::payment_id.eq(payment))
        .filter(payment_allocations::refund_id.is_not_null())
        .select(allocation_total())
        .first(conn)?;
    Ok(-sum.unwrap_or(0))
}

/// The allocations `payment` was given when it was recorded (kind `payment`,
/// never changed): what its receipt said, for payments recorded before
/// receipts were stored.
pub fn allocations_at_issue(
    conn: &mut DbConnection,
    tenant: &TenantId,
    payment: &PaymentId,
) -> QueryResult<Holdings> {
    payment_allocations::table
        .filter(payment_allocations::tenant_id.eq(tenant))
        .filter(payment_allocations::payment_id.eq(payment))
        .filter(payment_allocations::kind.eq(AllocationKind::Payment))
        .order(payment_allocations::id.asc())
        .select((payment_allocations::charge_id, payment_allocations::amount))
        .load(conn)
}
