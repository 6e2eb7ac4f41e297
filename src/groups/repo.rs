//! Group queries, every one filtered on the tenant.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::clock;
use crate::db::schema::{event_groups, group_members, groups};
use crate::db::{DbConnection, EventId, GroupId, TenantId, UserId};
use crate::groups::model::Group;
use crate::pagination::PageRequest;

/// Inserts a group; a name the tenant already uses is a unique violation.
pub fn insert(conn: &mut DbConnection, group: &Group) -> QueryResult<()> {
    diesel::insert_into(groups::table)
        .values(group)
        .execute(conn)
        .map(drop)
}

/// Inserts many groups at once (an imported roll).
pub fn insert_many(conn: &mut DbConnection, rows: &[Group]) -> QueryResult<()> {
    crate::insert_rows!(conn, groups::table, rows).map(drop)
}

/// The group `id` of the tenant.
pub fn get(conn: &mut DbConnection, tenant: &TenantId, id: &GroupId) -> QueryResult<Option<Group>> {
    groups::table
        .filter(groups::tenant_id.eq(tenant))
        .filter(groups::id.eq(id))
        .select(Group::as_select())
        .first(conn)
        .optional()
}

/// The tenant's groups with these names (exact), by name.
pub fn by_names(
    conn: &mut DbConnection,
    tenant: &TenantId,
    names: &[&str],
) -> QueryResult<HashMap<String, GroupId>> {
    Ok(groups::table
        .filter(groups::tenant_id.eq(tenant))
        .filter(groups::name.eq_any(names))
        .select((groups::name, groups::id))
        .load::<(String, GroupId)>(conn)?
        .into_iter()
        .collect())
}

/// One page of the tenant's groups, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    page: &PageRequest,
) -> QueryResult<Vec<Group>> {
    let query = groups::table
        .filter(groups::tenant_id.eq(tenant))
        .select(Group::as_select())
        .into_boxed();
    crate::paginate!(query, groups, page).load(conn)
}

/// How many are on the roster of each of `ids`.
pub fn member_counts(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[GroupId],
) -> QueryResult<HashMap<GroupId, i64>> {
    Ok(group_members::table
        .filter(group_members::tenant_id.eq(tenant))
        .filter(group_members::group_id.eq_any(ids))
        .group_by(group_members::group_id)
        .select((group_members::group_id, diesel::dsl::count_star()))
        .load::<(GroupId, i64)>(conn)?
        .into_iter()
        .collect())
}

/// Renames or redescribes group `id` (`Some(None)` clears the description).
pub fn update(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &GroupId,
    name: Option<&str>,
    description: Option<Option<&str>>,
) -> QueryResult<usize> {
    diesel::update(
        groups::table
            .filter(groups::tenant_id.eq(tenant))
            .filter(groups::id.eq(id)),
    )
    .set((
        name.map(|n| groups::name.eq(n.to_string())),
        description.map(|d| groups::description.eq(d.map(str::to_string))),
        groups::updated_at.eq(clock::now()),
    ))
    .execute(conn)
}

/// Deletes group `id` with its roster and its place on events.
pub fn delete(conn: &mut DbConnection, tenant: &TenantId, id: &GroupId) -> QueryResult<usize> {
    diesel::delete(
        event_groups::table
            .filter(event_groups::tenant_id.eq(tenant))
            .filter(event_groups::group_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(
        group_members::table
            .filter(group_members::tenant_id.eq(tenant))
            .filter(group_members::group_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(
        groups::table
            .filter(groups::tenant_id.eq(tenant))
            .filter(groups::id.eq(id)),
    )
    .execute(conn)
}

/// The roster of group `id`, in no particular order.
pub fn member_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &GroupId,
) -> QueryResult<Vec<UserId>> {
    group_members::table
        .filter(group_members::tenant_id.eq(tenant))
        .filter(group_members::group_id.eq(id))
        .select(group_members::user_id)
        .load(conn)
}

/// Rows of `group_members`, for one insert of many (on SQLite too: see
/// `NewUser`).
#[derive(Insertable)]
#[diesel(table_name = group_members, treat_none_as_default_value = false)]
pub struct Membership<'a> {
    /// Tenant.
    pub tenant_id: &'a TenantId,
    /// Group.
    pub group_id: &'a GroupId,
    /// Member.
    pub user_id: &'a UserId,
}

/// Adds memberships (none already there).
pub fn add_members(conn: &mut DbConnection, rows: &[Membership<'_>]) -> QueryResult<()> {
    crate::insert_rows!(conn, group_members::table, rows).map(drop)
}

/// Replaces the roster of group `id` with `users`.
pub fn replace_members(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &GroupId,
    users: &[UserId],
) -> QueryResult<()> {
    diesel::delete(
        group_members::table
            .filter(group_members::tenant_id.eq(tenant))
            .filter(group_members::group_id.eq(id)),
    )
    .execute(conn)?;
    let rows: Vec<Membership<'_>> = users
        .iter()
        .map(|user_id| Membership {
            tenant_id: tenant,
            group_id: id,
            user_id,
        })
        .collect();
    add_members(conn, &rows)
}

/// Which of `ids` are groups of the tenant.
pub fn existing_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[GroupId],
) -> QueryResult<Vec<GroupId>> {
    groups::table
        .filter(groups::tenant_id.eq(tenant))
        .filter(groups::id.eq_any(ids))
        .select(groups::id)
        .load(conn)
}

/// Makes `groups` the groups of `event` (replacing any).
pub fn set_event_groups(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
    groups: &[GroupId],
) -> QueryResult<()> {
    diesel::delete(
        event_groups::table
            .filter(event_groups::tenant_id.eq(tenant))
            .filter(event_groups::event_id.eq(event)),
    )
    .execute(conn)?;
    let rows: Vec<_> = groups
        .iter()
        .map(|group| {
            (
                event_groups::tenant_id.eq(tenant),
                event_groups::event_id.eq(event),
                event_groups::group_id.eq(group),
            )
        })
        .collect();
    crate::insert_rows!(conn, event_groups::table, &rows).map(drop)
}

/// The groups `event` is for.
pub fn event_group_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
) -> QueryResult<Vec<GroupId>> {
    event_groups::table
        .filter(event_groups::tenant_id.eq(tenant))
        .filter(event_groups::event_id.eq(event))
        .order(event_groups::group_id.asc())
        .select(event_groups::group_id)
        .load(conn)
}

/// The groups of each of `events` (one query for a page of events).
pub fn event_groups_of(
    conn: &mut DbConnection,
    tenant: &TenantId,
    events: &[EventId],
) -> QueryResult<HashMap<EventId, Vec<GroupId>>> {
    let rows: Vec<(EventId, GroupId)> = event_groups::table
        .filter(event_groups::tenant_id.eq(tenant))
        .filter(event_groups::event_id.eq_any(events))
        .order(event_groups::group_id.asc())
        .select((event_groups::event_id, event_groups::group_id))
        .load(conn)?;
    let mut by_event: HashMap<EventId, Vec<GroupId>> = HashMap::new();
    for (event, group) in rows {
        by_event.entry(event).or_default().push(group);
    }
    Ok(by_event)
}
