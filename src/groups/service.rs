//! Group use-cases, each in the caller's transaction and audited.

use std::collections::HashSet;

use crate::audit;
use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{DbConnection, GroupId, TenantId, UserId};
use crate::error::{ApiError, FieldError};
use crate::groups::dto::{CreateGroupRequest, GroupDetail, GroupResponse, UpdateGroupRequest};
use crate::groups::model::Group;
use crate::groups::repo;
use crate::identity;
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;

fn name_taken(e: ApiError) -> ApiError {
    if e.is(crate::error::ErrorCode::Conflict) {
        ApiError::conflict("A group of this organisation already has this name.")
    } else {
        e
    }
}

fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &GroupId) -> Result<Group, ApiError> {
    repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// Group `id` with its roster.
pub fn get(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &GroupId,
) -> Result<GroupDetail, ApiError> {
    let group = find(conn, ctx, id)?;
    let mut members = repo::member_ids(conn, &ctx.tenant_id, id)?;
    members.sort();
    let count = i64::try_from(members.len()).unwrap_or(i64::MAX);
    Ok(GroupDetail {
        group: GroupResponse::new(group, count),
        user_ids: members.into_iter().map(Into::into).collect(),
    })
}

/// One page of the tenant's groups with their roster sizes.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    page: &PageRequest,
) -> Result<Page<GroupResponse>, ApiError> {
    let rows = repo::list(conn, &ctx.tenant_id, page)?;
    let ids: Vec<GroupId> = rows.iter().map(|g| g.id.clone()).collect();
    let counts = repo::member_counts(conn, &ctx.tenant_id, &ids)?;
    Ok(Page::from_rows(
        rows,
        page,
        |g| (g.created_at, g.id.to_string()),
        |g| {
            let count = counts.get(&g.id).copied().unwrap_or(0);
            GroupResponse::new(g, count)
        },
    ))
}

/// A new group of the tenant (a new row, so a taken name is a 409).
pub fn new_group(tenant: &TenantId, name: &str, description: Option<String>) -> Group {
    let now = clock::now();
    Group {
        id: GroupId::new(),
        tenant_id: tenant.clone(),
        name: name.trim().to_string(),
        description,
        created_at: now,
        updated_at: now,
    }
}

/// Creates a group (409 `conflict` when the name is taken).
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: CreateGroupRequest,
    meta: &RequestMeta,
) -> Result<GroupDetail, ApiError> {
    let group = new_group(&ctx.tenant_id, &body.name, body.description);
    repo::insert(conn, &group).map_err(|e| name_taken(e.into()))?;
    audit::admin_action(conn, ctx, "group.create", "group", group.id.as_str(), meta)?;
    get(conn, ctx, &group.id)
}

/// Renames or redescribes a group.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &GroupId,
    body: UpdateGroupRequest,
    meta: &RequestMeta,
) -> Result<GroupDetail, ApiError> {
    find(conn, ctx, id)?;
    let name = body.name.as_deref().map(str::trim);
    let description = body.description.as_ref().map(|d| d.as_deref());
    repo::update(conn, &ctx.tenant_id, id, name, description).map_err(|e| name_taken(e.into()))?;
    audit::admin_action(conn, ctx, "group.update", "group", id.as_str(), meta)?;
    get(conn, ctx, id)
}

/// Deletes a group, its roster and its place on events (their rosters
/// shrink accordingly; their records stay).
pub fn delete(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &GroupId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    find(conn, ctx, id)?;
    repo::delete(conn, &ctx.tenant_id, id)?;
    audit::admin_action(conn, ctx, "group.delete", "group", id.as_str(), meta)?;
    Ok(())
}

/// Field errors for `ids` (at `field[i]`): unknown to the tenant, or listed twice.
fn check_listed<T: Eq + std::hash::Hash>(
    ids: &[T],
    known: &HashSet<T>,
    field: &str,
    unknown: (&str, &str),
) -> Vec<FieldError> {
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let name = format!("{field}[{i}]");
        if !known.contains(id) {
            errors.push(FieldError::new(name, unknown.0, unknown.1));
        } else if !seen.insert(id) {
            errors.push(FieldError::new(
                name,
                "duplicate",
                "is listed more than once",
            ));
        }
    }
    errors
}

/// Replaces a group's roster, all or nothing: every id must be a person of
/// the tenant, listed once (422 naming each bad entry).
pub fn set_members(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &GroupId,
    users: &[UserId],
    meta: &RequestMeta,
) -> Result<GroupDetail, ApiError> {
    find(conn, ctx, id)?;
    let listed: Vec<&UserId> = users.iter().collect();
    let known = identity::existing_user_ids(conn, &ctx.tenant_id, &listed)?;
    let unknown = ("unknown_user", "no person of this organisation has this id");
    let errors = check_listed(users, &known, "user_ids", unknown);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    repo::replace_members(conn, &ctx.tenant_id, id, users)?;
    audit::admin_action(conn, ctx, "group.members_set", "group", id.as_str(), meta)?;
    get(conn, ctx, id)
}

/// Checks the groups an event names (at `group_ids[i]`): each a group of
/// the tenant, listed once.
pub fn check_group_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[GroupId],
) -> Result<(), ApiError> {
    let known: HashSet<GroupId> = repo::existing_ids(conn, tenant, ids)?.into_iter().collect();
    let unknown = ("unknown_group", "no group of this organisation has this id");
    let errors = check_listed(ids, &known, "group_ids", unknown);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}
