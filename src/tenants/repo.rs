//! Tenant queries. Tenants are the root of isolation, so unlike every other
//! repository these functions are not themselves scoped by a tenant.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{receipt_counters, tenants};
use crate::tenants::model::{NewTenant, Tenant};

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

/// How many tenants exist.
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    tenants::table.count().get_result(conn)
}
