//! Tenant-scoped queries of charges, payments and their allocations.
//!
//! Sums over allocations are written as `CAST(SUM(..) AS BIGINT)`:
//! PostgreSQL sums a BIGINT into a NUMERIC, SQLite into an INTEGER.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::clock;
use crate::db::schema::{charges, households, payment_allocations, payments, receipt_counters};
use crate::db::{AllocationId, ChargeId, DbConnection, HouseholdId, PaymentId, TenantId, UserId};
use crate::pagination::PageRequest;
use crate::payments::model::{
    Allocation, AllocationKind, Charge, ChargeStatus, Payment, PaymentMethod, PaymentStatus,
};

fn allocation_sum() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(SUM(payment_allocations.amount) AS BIGINT)")
}

/// Holds the household's row until the transaction ends, so that the money
/// movements of one household happen one at a time. False when it does not
/// exist in the tenant.
pub fn lock_household(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &HouseholdId,
) -> QueryResult<bool> {
    let locked = diesel::update(
        households::table
            .filter(households::tenant_id.eq(tenant))
            .filter(households::id.eq(id)),
    )
    .set(households::updated_at.eq(households::updated_at))
    .execute(conn)?;
    Ok(locked == 1)
}

/// The next receipt number of the tenant: one conditional update of its
/// counter, which also serialises the tenant's payments, so numbers are
/// unique and, since a failed payment rolls the counter back, gapless.
pub fn take_receipt_number(conn: &mut DbConnection, tenant: &TenantId) -> QueryResult<i64> {
    let counter = receipt_counters::table.filter(receipt_counters::tenant_id.eq(tenant));
    let bumped = diesel::update(counter)
        .set(receipt_counters::last_number.eq(receipt_counters::last_number + 1))
        .execute(conn)?;
    if bumped == 0 {
        // A tenant created before receipts existed, or outside `tenants::repo`.
        diesel::insert_into(receipt_counters::table)
            .values((
                receipt_counters::tenant_id.eq(tenant),
                receipt_counters::last_number.eq(1_i64),
            ))
            .execute(conn)?;
    }
    counter.select(receipt_counters::last_number).first(conn)
}

/// Inserts a charge.
pub fn insert_charge(conn: &mut DbConnection, charge: &Charge) -> QueryResult<()> {
    diesel::insert_into(charges::table)
        .values(charge)
        .execute(conn)
        .map(drop)
}

/// The charge `id` of the tenant.
pub fn get_charge(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeId,
) -> QueryResult<Option<Charge>> {
    charges::table
        .filter(charges::tenant_id.eq(tenant))
        .filter(charges::id.eq(id))
        .select(Charge::as_select())
        .first(conn)
        .optional()
}

/// The household's charges among `ids`.
pub fn charges_by_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    ids: &[ChargeId],
) -> QueryResult<Vec<Charge>> {
    charges::table
        .filter(charges::tenant_id.eq(tenant))
        .filter(charges::household_id.eq(household))
        .filter(charges::id.eq_any(ids))
        .select(Charge::as_select())
        .load(conn)
}

/// The household's charges still owing, oldest due first.
pub fn open_charges(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> QueryResult<Vec<Charge>> {
    charges::table
        .filter(charges::tenant_id.eq(tenant))
        .filter(charges::household_id.eq(household))
        .filter(charges::status.eq_any([
            ChargeStatus::Open.as_str(),
            ChargeStatus::PartiallyPaid.as_str(),
        ]))
        .order((
            charges::due_date.asc(),
            charges::created_at.asc(),
            charges::id.asc(),
        ))
        .select(Charge::as_select())
        .load(conn)
}

/// Every charge of the household, in issue order.
pub fn household_charges(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> QueryResult<Vec<Charge>> {
    charges::table
        .filter(charges::tenant_id.eq(tenant))
        .filter(charges::household_id.eq(household))
        .order((charges::created_at.asc(), charges::id.asc()))
        .select(Charge::as_select())
        .load(conn)
}

/// Sets what has been paid towards a live charge (and its status), provided it
/// still stands at `was`; false when it changed meanwhile.
pub fn set_paid(conn: &mut DbConnection, charge: &Charge, paid: i64) -> QueryResult<bool> {
    let updated = diesel::update(
        charges::table
            .filter(charges::tenant_id.eq(&charge.tenant_id))
            .filter(charges::id.eq(&charge.id))
            .filter(charges::amount_paid.eq(charge.amount_paid))
            .filter(charges::status.ne(ChargeStatus::Void.as_str())),
    )
    .set((
        charges::amount_paid.eq(paid),
        charges::status.eq(ChargeStatus::of(charge.amount, paid).as_str()),
        charges::updated_at.eq(clock::now()),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Voids a charge that is not void yet (its allocations must already have
/// been moved to credit); false when it already was.
pub fn void_charge(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeId,
    reason: &str,
    by: &UserId,
) -> QueryResult<bool> {
    let now = clock::now();
    let updated = diesel::update(
        charges::table
            .filter(charges::tenant_id.eq(tenant))
            .filter(charges::id.eq(id))
            .filter(charges::status.ne(ChargeStatus::Void.as_str())),
    )
    .set((
        charges::status.eq(ChargeStatus::Void.as_str()),
        charges::amount_paid.eq(0_i64),
        charges::void_reason.eq(reason),
        charges::voided_by.eq(by),
        charges::voided_at.eq(now),
        charges::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Filters of the admin charge list.
#[derive(Debug, Clone, Default)]
pub struct ChargeFilter {
    /// Only this household's.
    pub household_id: Option<HouseholdId>,
    /// Only in this status.
    pub status: Option<ChargeStatus>,
    /// Only due before this day.
    pub due_before: Option<NaiveDate>,
}

/// One page of the tenant's charges, newest first.
pub fn list_charges(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &ChargeFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Charge>> {
    let mut query = charges::table
        .filter(charges::tenant_id.eq(tenant))
        .select(Charge::as_select())
        .into_boxed();
    if let Some(household) = &filter.household_id {
        query = query.filter(charges::household_id.eq(household.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(charges::status.eq(status.as_str()));
    }
    if let Some(day) = filter.due_before {
        query = query.filter(charges::due_date.lt(day));
    }
    crate::paginate!(query, charges, page).load(conn)
}

/// Inserts a payment.
pub fn insert_payment(conn: &mut DbConnection, payment: &Payment) -> QueryResult<()> {
    diesel::insert_into(payments::table)
        .values(payment)
        .execute(conn)
        .map(drop)
}

/// The payment `id` of the tenant.
pub fn get_payment(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &PaymentId,
) -> QueryResult<Option<Payment>> {
    payments::table
        .filter(payments::tenant_id.eq(tenant))
        .filter(payments::id.eq(id))
        .select(Payment::as_select())
        .first(conn)
        .optional()
}

/// Every payment of the household, in order of receipt.
pub fn household_payments(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::tenant_id.eq(tenant))
        .filter(payments::household_id.eq(household))
        .order((payments::received_at.asc(), payments::receipt_number.asc()))
        .select(Payment::as_select())
        .load(conn)
}

/// Voids a completed payment; false when it already is void.
pub fn void_payment(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &PaymentId,
    reason: &str,
    by: &UserId,
) -> QueryResult<bool> {
    let updated = diesel::update(
        payments::table
            .filter(payments::tenant_id.eq(tenant))
            .filter(payments::id.eq(id))
            .filter(payments::status.eq(PaymentStatus::Completed.as_str())),
    )
    .set((
        payments::status.eq(PaymentStatus::Void.as_str()),
        payments::void_reason.eq(reason),
        payments::voided_by.eq(by),
        payments::voided_at.eq(clock::now()),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Filters of the admin payment list.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    /// Only this household's.
    pub household_id: Option<HouseholdId>,
    /// Only this method.
    pub method: Option<PaymentMethod>,
    /// Received at or after.
    pub from: Option<NaiveDateTime>,
    /// Received before.
    pub to: Option<NaiveDateTime>,
    /// Only in this status.
    pub status: Option<PaymentStatus>,
}

/// The tenant's payments matching `filter`, boxed for paging or summing.
fn filtered<'a>(
    tenant: &'a TenantId,
    filter: &'a PaymentFilter,
) -> payments::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut query = payments::table
        .filter(payments::tenant_id.eq(tenant))
        .into_boxed();
    if let Some(household) = &filter.household_id {
        query = query.filter(payments::household_id.eq(household));
    }
    if let Some(method) = filter.method {
        query = query.filter(payments::method.eq(method.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(payments::received_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(payments::received_at.lt(to));
    }
    if let Some(status) = filter.status {
        query = query.filter(payments::status.eq(status.as_str()));
    }
    query
}

/// One page of the tenant's payments, newest first.
pub fn list_payments(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &PaymentFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Payment>> {
    let query = filtered(tenant, filter).select(Payment::as_select());
    crate::paginate!(query, payments, page).load(conn)
}

/// Every payment matching `filter` (for settlement summaries over a bounded range).
pub fn all_payments(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &PaymentFilter,
) -> QueryResult<Vec<Payment>> {
    filtered(tenant, filter)
        .select(Payment::as_select())
        .load(conn)
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
    let row = Allocation {
        id: AllocationId::new(),
        tenant_id: tenant.clone(),
        household_id: household.clone(),
        payment_id: payment.clone(),
        charge_id: charge.cloned(),
        amount,
        kind,
        created_at: clock::now(),
    };
    diesel::insert_into(payment_allocations::table)
        .values(&row)
        .execute(conn)
        .map(drop)
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
        .select(sql::<diesel::sql_types::Nullable<BigInt>>(
            "CAST(SUM(payment_allocations.amount) AS BIGINT)",
        ))
        .first(conn)?;
    Ok((due.unwrap_or(0), credit.unwrap_or(0)))
}
