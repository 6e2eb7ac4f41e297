//! Charges

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::charges;
use crate::db::{ChargeId, DbConnection, HouseholdId, TenantId, UserId};
use crate::pagination::PageRequest;
use crate::payments::model::{Charge, ChargeStatus, Reminder};

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

/// Up to `limit` of the tenant's unpaid charges due between `from` and `to`
/// (inclusive) that have not had `reminder` yet, oldest due first.
pub fn awaiting_reminder(
    conn: &mut DbConnection,
    tenant: &TenantId,
    reminder: Reminder,
    (from, to): (NaiveDate, NaiveDate),
    limit: i64,
) -> QueryResult<Vec<ChargeId>> {
    let unpaid = charges::table
        .filter(charges::tenant_id.eq(tenant))
        .filter(charges::status.eq_any([ChargeStatus::Open, ChargeStatus::PartiallyPaid]))
        .filter(charges::due_date.between(from, to))
        .order((charges::due_date, charges::id))
        .limit(limit)
        .select(charges::id)
        .into_boxed();
    match reminder {
        Reminder::DueSoon => unpaid.filter(charges::due_soon_reminded_at.is_null()),
        Reminder::Overdue => unpaid.filter(charges::overdue_reminded_at.is_null()),
    }
    .load(conn)
}

/// Marks `reminder` as sent for charge `id` if it is still unpaid and has
/// not had it: true for exactly one caller, however many instances race
/// (on PostgreSQL the second waits for the first's row lock, then finds
/// the mark set).
pub fn mark_reminded(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeId,
    reminder: Reminder,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = charges::table
        .filter(charges::tenant_id.eq(tenant))
        .filter(charges::id.eq(id))
        .filter(charges::status.eq_any([ChargeStatus::Open, ChargeStatus::PartiallyPaid]));
    let updated = match reminder {
        Reminder::DueSoon => diesel::update(target.filter(charges::due_soon_reminded_at.is_null()))
            .set(charges::due_soon_reminded_at.eq(now))
            .execute(conn)?,
        Reminder::Overdue => diesel::update(target.filter(charges::overdue_reminded_at.is_null()))
            .set(charges::overdue_reminded_at.eq(now))
            .execute(conn)?,
    };
    Ok(updated == 1)
}
