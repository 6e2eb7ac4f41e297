//! Point rules: "PET bottles, per kg, 10 points". Awards by rule compute their
//! points server-side from a quantity (see `quantity`).

use diesel::prelude::*;

use crate::clock;
use crate::db::schema::point_rules;
use crate::db::{DbConnection, PointRuleId, TenantId};
use crate::pagination::PageRequest;
use crate::points::model::PointRule;

/// The row of rule `id` in the tenant.
#[diesel::dsl::auto_type(no_type_alias)]
fn one<'a>(tenant: &'a TenantId, id: &'a PointRuleId) -> _ {
    point_rules::table
        .filter(point_rules::tenant_id.eq(tenant))
        .filter(point_rules::id.eq(id))
}

/// Inserts a rule.
pub fn insert(conn: &mut DbConnection, rule: &PointRule) -> QueryResult<()> {
    diesel::insert_into(point_rules::table)
        .values(rule)
        .execute(conn)
        .map(drop)
}

/// The rule `id` of the tenant.
pub fn get(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &PointRuleId,
) -> QueryResult<Option<PointRule>> {
    one(tenant, id)
        .select(PointRule::as_select())
        .first(conn)
        .optional()
}

/// The live (not archived) rules of the tenant among `ids`.
pub fn live_by_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[&PointRuleId],
) -> QueryResult<Vec<PointRule>> {
    point_rules::table
        .filter(point_rules::tenant_id.eq(tenant))
        .filter(point_rules::id.eq_any(ids))
        .filter(point_rules::archived_at.is_null())
        .select(PointRule::as_select())
        .load(conn)
}

/// One page of the tenant's rules, newest first; archived ones only if asked.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    include_archived: bool,
    page: &PageRequest,
) -> QueryResult<Vec<PointRule>> {
    let mut query = point_rules::table
        .filter(point_rules::tenant_id.eq(tenant))
        .select(PointRule::as_select())
        .into_boxed();
    if !include_archived {
        query = query.filter(point_rules::archived_at.is_null());
    }
    crate::paginate!(query, point_rules, page).load(conn)
}

/// Changes name, unit or points per unit (past awards keep their points).
pub fn update(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &PointRuleId,
    name: Option<&str>,
    unit: Option<&str>,
    points_per_unit: Option<i64>,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id))
        .set((
            name.map(|n| point_rules::name.eq(n.to_string())),
            unit.map(|u| point_rules::unit.eq(u.to_string())),
            points_per_unit.map(|p| point_rules::points_per_unit.eq(p)),
            point_rules::updated_at.eq(clock::now()),
        ))
        .execute(conn)
}

/// Archives a rule (no new awards by it); 0 rows when already archived.
pub fn archive(conn: &mut DbConnection, tenant: &TenantId, id: &PointRuleId) -> QueryResult<usize> {
    let now = clock::now();
    diesel::update(one(tenant, id).filter(point_rules::archived_at.is_null()))
        .set((
            point_rules::archived_at.eq(now),
            point_rules::updated_at.eq(now),
        ))
        .execute(conn)
}
