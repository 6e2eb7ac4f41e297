//! Refunds: credit paid back, numbered from the receipt sequence.

use diesel::prelude::*;

use crate::clock;
use crate::db::schema::refunds;
use crate::db::{DbConnection, HouseholdId, RefundId, TenantId, UserId};
use crate::pagination::PageRequest;
use crate::payments::model::{PaymentStatus, Refund};
use crate::payments::repo::filter::MoneyFilter;

/// Inserts a refund.
pub fn insert_refund(conn: &mut DbConnection, refund: &Refund) -> QueryResult<()> {
    diesel::insert_into(refunds::table)
        .values(refund)
        .execute(conn)
        .map(drop)
}

/// The refund `id` of the tenant.
pub fn get_refund(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RefundId,
) -> QueryResult<Option<Refund>> {
    refunds::table
        .filter(refunds::tenant_id.eq(tenant))
        .filter(refunds::id.eq(id))
        .select(Refund::as_select())
        .first(conn)
        .optional()
}

/// Voids a completed refund; false when it already is void.
pub fn void_refund(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RefundId,
    reason: &str,
    by: &UserId,
) -> QueryResult<bool> {
    let updated = diesel::update(
        refunds::table
            .filter(refunds::tenant_id.eq(tenant))
            .filter(refunds::id.eq(id))
            .filter(refunds::status.eq(PaymentStatus::Completed.as_str())),
    )
    .set((
        refunds::status.eq(PaymentStatus::Void.as_str()),
        refunds::void_reason.eq(reason),
        refunds::voided_by.eq(by),
        refunds::voided_at.eq(clock::now()),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Every refund of the household, in issue order.
pub fn household_refunds(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
) -> QueryResult<Vec<Refund>> {
    refunds::table
        .filter(refunds::tenant_id.eq(tenant))
        .filter(refunds::household_id.eq(household))
        .order((refunds::created_at.asc(), refunds::receipt_number.asc()))
        .select(Refund::as_select())
        .load(conn)
}

/// The tenant's refunds matching `filter` (`from`, `to`: when issued).
fn filtered<'a>(
    tenant: &'a TenantId,
    filter: &'a MoneyFilter,
) -> refunds::BoxedQuery<'a, crate::db::MultiBackend> {
    money_filtered!(refunds, created_at, tenant, filter)
}

/// One page of the tenant's refunds, newest first.
pub fn list_refunds(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &MoneyFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Refund>> {
    let query = filtered(tenant, filter).select(Refund::as_select());
    crate::paginate!(query, refunds, page).load(conn)
}

/// Every refund matching `filter` (for settlement summaries over a bounded range).
pub fn all_refunds(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &MoneyFilter,
) -> QueryResult<Vec<Refund>> {
    filtered(tenant, filter)
        .select(Refund::as_select())
        .load(conn)
}
