//! Refunds: credit paid back, numbered from the receipt sequence.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::refunds;
use crate::db::{DbConnection, HouseholdId, RefundId, TenantId, UserId};
use crate::pagination::PageRequest;
use crate::payments::model::{PaymentMethod, PaymentStatus, Refund};

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

/// Filters of the admin refund list and the settlement summary.
#[derive(Debug, Clone, Default)]
pub struct RefundFilter {
    /// Only this household's.
    pub household_id: Option<HouseholdId>,
    /// Only this method.
    pub method: Option<PaymentMethod>,
    /// Issued at or after.
    pub from: Option<NaiveDateTime>,
    /// Issued before.
    pub to: Option<NaiveDateTime>,
    /// Only in this status.
    pub status: Option<PaymentStatus>,
}

fn filtered<'a>(
    tenant: &'a TenantId,
    filter: &'a RefundFilter,
) -> refunds::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut query = refunds::table
        .filter(refunds::tenant_id.eq(tenant))
        .into_boxed();
    if let Some(household) = &filter.household_id {
        query = query.filter(refunds::household_id.eq(household));
    }
    if let Some(method) = filter.method {
        query = query.filter(refunds::method.eq(method.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(refunds::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(refunds::created_at.lt(to));
    }
    if let Some(status) = filter.status {
        query = query.filter(refunds::status.eq(status.as_str()));
    }
    query
}

/// One page of the tenant's refunds, newest first.
pub fn list_refunds(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &RefundFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Refund>> {
    let query = filtered(tenant, filter).select(Refund::as_select());
    crate::paginate!(query, refunds, page).load(conn)
}

/// Every refund matching `filter` (for settlement summaries over a bounded range).
pub fn all_refunds(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &RefundFilter,
) -> QueryResult<Vec<Refund>> {
    filtered(tenant, filter)
        .select(Refund::as_select())
        .load(conn)
}
