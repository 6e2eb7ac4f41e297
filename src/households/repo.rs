//! Tenant-scoped household queries.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::auth::UserKind;
use crate::clock;
use crate::db::schema::{households, users};
use crate::db::search::{contains_pattern, lower};
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::households::model::{Household, NewHousehold};
use crate::pagination::PageRequest;

/// Inserts many households at once (an imported roll).
pub fn insert_many(conn: &mut DbConnection, rows: &[NewHousehold]) -> QueryResult<()> {
    crate::insert_rows!(conn, households::table, rows).map(drop)
}

/// The tenant's live households named exactly one of `names`, by name (a
/// name two households share maps to both).
pub fn live_by_names(
    conn: &mut DbConnection,
    tenant: &TenantId,
    names: &[&str],
) -> QueryResult<HashMap<String, Vec<HouseholdId>>> {
    let rows: Vec<(String, HouseholdId)> = households::table
        .filter(households::tenant_id.eq(tenant))
        .filter(households::archived_at.is_null())
        .filter(households::name.eq_any(names))
        .select((households::name, households::id))
        .load(conn)?;
    let mut by_name: HashMap<String, Vec<HouseholdId>> = HashMap::new();
    for (name, id) in rows {
        by_name.entry(name).or_default().push(id);
    }
    Ok(by_name)
}

/// The row of household `id` in the tenant.
#[diesel::dsl::auto_type(no_type_alias)]
fn one<'a>(tenant: &'a TenantId, id: &'a HouseholdId) -> _ {
    households::table
        .filter(households::tenant_id.eq(tenant))
        .filter(households::id.eq(id))
}

/// Inserts a household.
pub fn insert(conn: &mut DbConnection, household: &NewHousehold) -> QueryResult<()> {
    diesel::insert_into(households::table)
        .values(household)
        .execute(conn)
        .map(drop)
}

/// The household `id` in the tenant.
pub fn get(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &HouseholdId,
) -> QueryResult<Option<Household>> {
    one(tenant, id)
        .select(Household::as_select())
        .first(conn)
        .optional()
}

/// The ids of the tenant's live (not archived) households, oldest first.
pub fn live_ids(conn: &mut DbConnection, tenant: &TenantId) -> QueryResult<Vec<HouseholdId>> {
    households::table
        .filter(households::tenant_id.eq(tenant))
        .filter(households::archived_at.is_null())
        .order((households::created_at.asc(), households::id.asc()))
        .select(households::id)
        .load(conn)
}

/// The tenant's live households with when each was created, oldest first.
pub fn live_ids_with_created_at(
    conn: &mut DbConnection,
    tenant: &TenantId,
) -> QueryResult<Vec<(HouseholdId, chrono::NaiveDateTime)>> {
    households::table
        .filter(households::tenant_id.eq(tenant))
        .filter(households::archived_at.is_null())
        .order((households::created_at.asc(), households::id.asc()))
        .select((households::id, households::created_at))
        .load(conn)
}

/// 422 naming `<field>[i]` for each of `ids` that is not a live household of
/// the tenant or is listed twice (one query).
pub fn check_live_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[HouseholdId],
    field: &str,
) -> Result<(), crate::error::ApiError> {
    use crate::error::{ApiError, FieldError};
    let found: Vec<(HouseholdId, Option<chrono::NaiveDateTime>)> = households::table
        .filter(households::tenant_id.eq(tenant))
        .filter(households::id.eq_any(ids))
        .select((households::id, households::archived_at))
        .load(conn)?;
    let mut seen = std::collections::HashSet::new();
    let mut errors = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let name = format!("{field}[{i}]");
        match found.iter().find(|(h, _)| h == id) {
            None => errors.push(FieldError::new(
                name,
                "unknown_household",
                "no household of this organisation has this id",
            )),
            Some((_, Some(_))) => errors.push(FieldError::new(
                name,
                "archived",
                "this household is archived",
            )),
            Some(_) if !seen.insert(id) => errors.push(FieldError::new(
                name,
                "duplicate",
                "this household is listed more than once",
            )),
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The live (not archived) household with this join code.
pub fn find_by_join_code(
    conn: &mut DbConnection,
    tenant: &TenantId,
    code: &str,
) -> QueryResult<Option<Household>> {
    households::table
        .filter(households::tenant_id.eq(tenant))
        .filter(households::join_code.eq(code))
        .filter(households::archived_at.is_null())
        .select(Household::as_select())
        .first(conn)
        .optional()
}

/// Whether any household of the tenant, archived or not, uses `code`.
pub fn join_code_taken(
    conn: &mut DbConnection,
    tenant: &TenantId,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        households::table
            .filter(households::tenant_id.eq(tenant))
            .filter(households::join_code.eq(code)),
    ))
    .get_result(conn)
}

/// Filters of the admin list.
#[derive(Debug, Default, Clone)]
pub struct HouseholdFilter {
    /// Name contains (case-insensitive).
    pub q: Option<String>,
    /// Exactly this zone.
    pub zone: Option<String>,
    /// Archived (`true`) or live (`false`) only; both when `None`.
    pub archived: Option<bool>,
}

/// One page of the tenant's households, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &HouseholdFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Household>> {
    let mut query = households::table
        .filter(households::tenant_id.eq(tenant))
        .select(Household::as_select())
        .into_boxed();
    if let Some(q) = &filter.q {
        query = query.filter(
            lower(households::name)
                .like(contains_pattern(q))
                .escape('\\'),
        );
    }
    if let Some(zone) = &filter.zone {
        query = query.filter(households::zone.eq(zone.clone()));
    }
    match filter.archived {
        Some(true) => query = query.filter(households::archived_at.is_not_null()),
        Some(false) => query = query.filter(households::archived_at.is_null()),
        None => {}
    }
    crate::paginate!(query, households, page).load(conn)
}

/// How many members each of `ids` has, in one query.
pub fn member_counts(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[HouseholdId],
) -> QueryResult<HashMap<HouseholdId, i64>> {
    let rows: Vec<(Option<HouseholdId>, i64)> = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::household_id.eq_any(ids))
        .group_by(users::household_id)
        .select((users::household_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect())
}

/// A household member as shown in household views.
#[derive(Debug, Clone, Queryable)]
pub struct Member {
    /// User id.
    pub id: UserId,
    /// Display name.
    pub display_name: String,
    /// Their points.
    pub points_balance: i64,
    /// Member or dependant.
    pub kind: UserKind,
    /// A dependant's year of birth.
    pub birth_year: Option<i32>,
}

/// The members of a household, by name.
pub fn members(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &HouseholdId,
) -> QueryResult<Vec<Member>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::household_id.eq(id))
        .order((users::display_name.asc(), users::id.asc()))
        .select((
            users::id,
            users::display_name,
            users::points_balance,
            users::kind,
            users::birth_year,
        ))
        .load(conn)
}

/// Changes name, address or zone (`Some(None)` clears an optional field).
pub fn update(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &HouseholdId,
    name: Option<&str>,
    address: Option<Option<&str>>,
    zone: Option<Option<&str>>,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id))
        .set((
            name.map(|n| households::name.eq(n.to_string())),
            address.map(|a| households::address.eq(a.map(str::to_string))),
            zone.map(|z| households::zone.eq(z.map(str::to_string))),
            households::updated_at.eq(clock::now()),
        ))
        .execute(conn)
}

/// Archives a live household; 0 rows when it is already archived.
pub fn archive(conn: &mut DbConnection, tenant: &TenantId, id: &HouseholdId) -> QueryResult<usize> {
    let now = clock::now();
    diesel::update(one(tenant, id).filter(households::archived_at.is_null()))
        .set((
            households::archived_at.eq(now),
            households::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Replaces the join code.
pub fn set_join_code(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &HouseholdId,
    code: &str,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id))
        .set((
            households::join_code.eq(code),
            households::updated_at.eq(clock::now()),
        ))
        .execute(conn)
}

/// Joins `user` to `household` only if they have none: 0 rows otherwise, so a
/// self-service join can never move anyone out of a household.
pub fn join(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    household: &HouseholdId,
) -> QueryResult<usize> {
    diesel::update(
        users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::id.eq(user))
            .filter(users::household_id.is_null()),
    )
    .set((
        users::household_id.eq(household),
        users::updated_at.eq(clock::now()),
    ))
    .execute(conn)
}

/// Puts `user` in `household`, or in none (admin moves and removals).
pub fn assign(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    household: Option<&HouseholdId>,
) -> QueryResult<usize> {
    diesel::update(
        users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::id.eq(user)),
    )
    .set((
        users::household_id.eq(household),
        users::updated_at.eq(clock::now()),
    ))
    .execute(conn)
}
