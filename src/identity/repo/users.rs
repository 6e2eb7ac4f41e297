//! Tenant-scoped user queries. Every function takes the tenant first and filters
//! on it: another tenant's user is indistinguishable from a missing one.

use diesel::prelude::*;

use crate::auth::{Role, Scopes, UserStatus};
use crate::clock;
use crate::db::schema::users;
use crate::db::search::{contains_pattern, lower};
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::identity::model::{NewUser, User};
use crate::pagination::PageRequest;

/// Inserts a user; a duplicate email in the tenant is a unique violation.
pub fn insert(conn: &mut DbConnection, user: &NewUser) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(drop)
}

/// Inserts many users at once (an imported roll).
pub fn insert_many(conn: &mut DbConnection, rows: &[NewUser]) -> QueryResult<()> {
    crate::insert_rows!(conn, users::table, rows).map(drop)
}

/// Which of `emails` (normalised) the tenant's users already have.
pub fn emails_taken(
    conn: &mut DbConnection,
    tenant: &TenantId,
    emails: &[&str],
) -> QueryResult<std::collections::HashSet<String>> {
    Ok(users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::email.eq_any(emails))
        .select(users::email.assume_not_null())
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// The row of user `id` in the tenant: the base of every single-user query.
#[diesel::dsl::auto_type(no_type_alias)]
fn one<'a>(tenant: &'a TenantId, id: &'a UserId) -> _ {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq(id))
}

/// The user with `id` in the tenant.
pub fn get(conn: &mut DbConnection, tenant: &TenantId, id: &UserId) -> QueryResult<Option<User>> {
    one(tenant, id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The users of the tenant among `ids` (one query for a whole batch).
pub fn get_many(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[&UserId],
) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load(conn)
}

/// Which of `ids` are users of the tenant (one query for a whole batch).
pub fn existing_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[&UserId],
) -> QueryResult<std::collections::HashSet<UserId>> {
    Ok(users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq_any(ids))
        .select(users::id)
        .load::<UserId>(conn)?
        .into_iter()
        .collect())
}

/// The user with a (normalised) email in the tenant.
pub fn find_by_email(
    conn: &mut DbConnection,
    tenant: &TenantId,
    email: &str,
) -> QueryResult<Option<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Filters of the admin user list.
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    /// Only this status.
    pub status: Option<UserStatus>,
    /// Only this role.
    pub role: Option<Role>,
    /// Only members of this household.
    pub household_id: Option<HouseholdId>,
    /// Name or email contains this (case-insensitive).
    pub q: Option<String>,
}

/// One page of the tenant's users, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &UserFilter,
    page: &PageRequest,
) -> QueryResult<Vec<User>> {
    let mut query = users::table
        .filter(users::tenant_id.eq(tenant))
        .select(User::as_select())
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(users::status.eq(status.as_str()));
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role.as_str()));
    }
    if let Some(household) = &filter.household_id {
        query = query.filter(users::household_id.eq(household.clone()));
    }
    if let Some(q) = &filter.q {
        let pattern = contains_pattern(q);
        query = query.filter(
            lower(users::display_name)
                .like(pattern.clone())
                .escape('\\')
                .or(users::email.like(pattern).escape('\\')),
        );
    }
    crate::paginate!(query, users, page).load(conn)
}

/// What a member may change of themselves (`None` keeps a value).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChange<'a> {
    /// Display name, trimmed.
    pub display_name: Option<&'a str>,
    /// Phone (`Some(None)` clears it).
    pub phone: Option<Option<&'a str>>,
    /// Mail about dues.
    pub notify_dues: Option<bool>,
    /// Mail about rewards.
    pub notify_rewards: Option<bool>,
}

/// Changes what a member may edit of themselves.
pub fn update_profile(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &UserId,
    change: &ProfileChange<'_>,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id))
        .set((change, users::updated_at.eq(clock::now())))
        .execute(conn)
}

/// Changes role, scopes and/or status (admin only).
pub fn update_access(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &UserId,
    role: Option<Role>,
    scopes: Option<Scopes>,
    status: Option<UserStatus>,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id))
        .set((
            role.map(|r| users::role.eq(r.as_str())),
            scopes.map(|s| users::scopes.eq(s.to_string())),
            status.map(|s| users::status.eq(s.as_str())),
            users::updated_at.eq(clock::now()),
        ))
        .execute(conn)
}

/// Moves a pending user to active; 0 rows when the user is not pending.
pub fn approve(conn: &mut DbConnection, tenant: &TenantId, id: &UserId) -> QueryResult<usize> {
    diesel::update(one(tenant, id).filter(users::status.eq(UserStatus::Pending.as_str())))
        .set((
            users::status.eq(UserStatus::Active.as_str()),
            users::updated_at.eq(clock::now()),
        ))
        .execute(conn)
}

/// Replaces the password hash.
pub fn set_password_hash(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &UserId,
    hash: &str,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id))
        .set((
            users::password_hash.eq(hash),
            users::updated_at.eq(clock::now()),
        ))
        .execute(conn)
}
