//! Tenant queries. Tenants are the root of isolation, so unlike every other
//! repository these functions are not themselves scoped by a tenant.

use diesel::prelude::*;

use crate::calendar::Calendar;
use crate::db::DbConnection;
use crate::db::schema::{receipt_counters, tenants};
use crate::tenants::model::{NewTenant, RegistrationPolicy, Tenant, WeekStart};

/// Inserts a tenant unless its slug is taken; returns whether it was inserted.
/// Run it in `write_tx` so the check and the insert are one step.
pub fn insert_unless_taken(conn: &mut DbConnection, tenant: &NewTenant) -> QueryResult<bool> {
    if find_by_slug(conn, tenant.slug())?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(tenants::table)
        .values(tenant)
        .execute(conn)?;
    // Receipt numbers start at 1 for every tenant.
    diesel::insert_into(receipt_counters::table)
        .values((
            receipt_counters::tenant_id.eq(tenant.id()),
            receipt_counters::last_number.eq(0_i64),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The tenant with `slug`, if any.
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Tenant>> {
    tenants::table
        .filter(tenants::slug.eq(slug))
        .select(Tenant::as_select())
        .first(conn)
        .optional()
}

/// The tenant `id`.
pub fn get(conn: &mut DbConnection, id: &crate::db::TenantId) -> QueryResult<Option<Tenant>> {
    tenants::table
        .filter(tenants::id.eq(id))
        .select(Tenant::as_select())
        .first(conn)
        .optional()
}

/// The calendar of tenant `id` (UTC, weeks from Monday, if it is gone).
pub fn calendar(conn: &mut DbConnection, id: &crate::db::TenantId) -> QueryResult<Calendar> {
    Ok(get(conn, id)?.map(|t| t.calendar()).unwrap_or_default())
}

/// The calendar `bounds` are read on: the tenant's when one of them is a
/// date, else none is needed (instants are read as given) and none is loaded.
pub fn calendar_for(
    conn: &mut DbConnection,
    id: &crate::db::TenantId,
    bounds: &[Option<crate::datetime::Bound>],
) -> QueryResult<Calendar> {
    if bounds.iter().flatten().any(|b| b.is_date()) {
        calendar(conn, id)
    } else {
        Ok(Calendar::default())
    }
}

/// The changes an admin makes to a tenant's settings (`None` keeps a value).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tenants)]
pub struct SettingsChange {
    /// Display name.
    pub name: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// IANA zone.
    pub timezone: Option<String>,
    /// First day of the week.
    pub week_starts_on: Option<WeekStart>,
    /// Registration policy.
    pub registration: Option<RegistrationPolicy>,
    /// Term start dates, as [`store_terms`](crate::tenants::model::store_terms) writes them.
    pub term_starts: Option<String>,
    /// Whether dependants are named on the members leaderboard.
    pub leaderboards_show_dependants: Option<bool>,
    /// Reminder days before the due date (`Some(None)` turns it off).
    pub remind_days_before_due: Option<Option<i32>>,
    /// Reminder days after the due date (`Some(None)` turns it off).
    pub remind_days_after_due: Option<Option<i32>>,
}

/// Applies `change` to tenant `id` (nothing when it changes nothing).
pub fn update_settings(
    conn: &mut DbConnection,
    id: &crate::db::TenantId,
    change: &SettingsChange,
) -> QueryResult<()> {
    let empty = change.name.is_none()
        && change.currency.is_none()
        && change.timezone.is_none()
        && change.week_starts_on.is_none()
        && change.registration.is_none()
        && change.term_starts.is_none()
        && change.leaderboards_show_dependants.is_none()
        && change.remind_days_before_due.is_none()
        && change.remind_days_after_due.is_none();
    if empty {
        return Ok(());
    }
    diesel::update(tenants::table.filter(tenants::id.eq(id)))
        .set(change)
        .execute(conn)
        .map(drop)
}

/// Whether tenant `id` has any charge or payment: its currency is then fixed,
/// since every stored amount is in it. (The payments area's tables, read
/// here by their schema only: payments depends on tenants, not the reverse.)
pub fn has_money(conn: &mut DbConnection, id: &crate::db::TenantId) -> QueryResult<bool> {
    use crate::db::schema::{charges, payments};
    let charged = diesel::select(diesel::dsl::exists(
        charges::table.filter(charges::tenant_id.eq(id)),
    ))
    .get_result::<bool>(conn)?;
    if charged {
        return Ok(true);
    }
    diesel::select(diesel::dsl::exists(
        payments::table.filter(payments::tenant_id.eq(id)),
    ))
    .get_result(conn)
}

/// Deletes, one tenant at a time (each delete stays on one tenant's
/// shard), the rows `delete_before(conn, tenant, cutoff)` deletes, with the
/// cutoff `days` before `now` (nothing when that is before all time);
/// returns how many. The hourly purges of outbox events, mail and reset
/// requests.
pub fn purge_older_than(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    days: u64,
    mut delete_before: impl FnMut(
        &mut DbConnection,
        &crate::db::TenantId,
        chrono::NaiveDateTime,
    ) -> QueryResult<usize>,
) -> QueryResult<usize> {
    let days = i64::try_from(days).unwrap_or(i64::MAX);
    let Some(cutoff) = chrono::Duration::try_days(days).and_then(|d| now.checked_sub_signed(d))
    else {
        return Ok(0);
    };
    let mut purged = 0;
    for tenant in ids(conn)? {
        purged += delete_before(conn, &tenant, cutoff)?;
    }
    Ok(purged)
}

/// Every tenant's id (for jobs that visit each tenant in turn).
pub fn ids(conn: &mut DbConnection) -> QueryResult<Vec<crate::db::TenantId>> {
    tenants::table
        .order(tenants::id.asc())
        .select(tenants::id)
        .load(conn)
}

/// How many tenants exist.
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    tenants::table.count().get_result(conn)
}
