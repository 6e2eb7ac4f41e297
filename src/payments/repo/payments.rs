//! Payments, the household lock every movement of money takes, and receipt numbers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::{charges, households, payments, receipt_counters};
use crate::db::{DbConnection, HouseholdId, PaymentId, TenantId, UserId};
use crate::export::Position;
use crate::pagination::PageRequest;
use crate::payments::model::{Charge, Payment, PaymentStatus};
use crate::payments::repo::filter::MoneyFilter;

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

/// Inserts a payment.
pub fn insert_payment(conn: &mut DbConnection, payment: &Payment) -> QueryResult<()> {
    diesel::insert_into(payments::table)
        .values(payment)
        .execute(conn)
        .map(drop)
}

/// Stores the receipt of payment `id`, once: a receipt already stored is
/// never replaced.
pub fn store_receipt(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &PaymentId,
    receipt: &str,
) -> QueryResult<()> {
    diesel::update(
        payments::table
            .filter(payments::tenant_id.eq(tenant))
            .filter(payments::id.eq(id))
            .filter(payments::receipt.is_null()),
    )
    .set(payments::receipt.eq(receipt))
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

/// The tenant's payments matching `filter`, boxed for paging or summing.
fn filtered<'a>(
    tenant: &'a TenantId,
    filter: &'a MoneyFilter,
) -> payments::BoxedQuery<'a, crate::db::MultiBackend> {
    money_filtered!(payments, received_at, tenant, filter)
}

/// One page of the tenant's payments, newest first.
pub fn list_payments(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &MoneyFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Payment>> {
    let query = filtered(tenant, filter).select(Payment::as_select());
    crate::paginate!(query, payments, page).load(conn)
}

/// The next chunk of the tenant's payments received in `[from, to)` after
/// `after`, by receipt time, each with its household's name.
pub fn export_chunk(
    conn: &mut DbConnection,
    tenant: &TenantId,
    (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
    after: Option<&Position>,
) -> QueryResult<Vec<(Payment, String)>> {
    let mut query = payments::table
        .inner_join(crate::same_tenant!(households on payments.household_id))
        .filter(payments::tenant_id.eq(tenant))
        .select((Payment::as_select(), households::name))
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(payments::received_at.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(payments::received_at.lt(to));
    }
    crate::chunk_after!(query, payments::received_at, payments::id, after).load(conn)
}

/// Every payment matching `filter` (for settlement summaries over a bounded range).
pub fn all_payments(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &MoneyFilter,
) -> QueryResult<Vec<Payment>> {
    filtered(tenant, filter)
        .select(Payment::as_select())
        .load(conn)
}
