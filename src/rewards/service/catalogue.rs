//! The catalogue: what admins list, add, change and archive, and what
//! members see on offer.

use chrono::NaiveDateTime;

use crate::audit;
use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{DbConnection, RewardId};
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;
use crate::rewards::dto::{
    AdminRewardResponse, CreateRewardRequest, RewardResponse, UpdateRewardRequest,
};
use crate::rewards::model::{LimitPeriod, Reward};
use crate::rewards::repo::{self, Catalogue, RewardChanges};
use crate::rewards::rules;

/// The admin view of reward `id`, with its redemption counts.
pub fn view(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RewardId,
) -> Result<AdminRewardResponse, ApiError> {
    let reward = repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    let counts = repo::redemption_counts(conn, &ctx.tenant_id, &[id])?;
    Ok(AdminRewardResponse::new(&reward, counts.get(id)))
}

/// One page of the catalogue with redemption counts, as admins see it.
pub fn list_for_admin(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    catalogue: Catalogue,
    page: &PageRequest,
) -> Result<Page<AdminRewardResponse>, ApiError> {
    let rows = repo::list(conn, &ctx.tenant_id, catalogue, page)?;
    let ids: Vec<&RewardId> = rows.iter().map(|r| &r.id).collect();
    let counts = repo::redemption_counts(conn, &ctx.tenant_id, &ids)?;
    Ok(Page::from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.to_string()),
        |r| AdminRewardResponse::new(&r, counts.get(&r.id)),
    ))
}

/// One page of what members can redeem at `now`.
pub fn offered(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    now: NaiveDateTime,
    page: &PageRequest,
) -> Result<Page<RewardResponse>, ApiError> {
    let rows = repo::offered(conn, &ctx.tenant_id, now, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.to_string()),
        |r| RewardResponse::from(&r),
    ))
}

/// Reward `id` if members can redeem it at `now`; 404 otherwise.
pub fn offered_one(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RewardId,
    now: NaiveDateTime,
) -> Result<RewardResponse, ApiError> {
    let reward = repo::get(conn, &ctx.tenant_id, id)?
        .filter(|r| rules::availability(r, now).is_ok())
        .ok_or_else(ApiError::not_found)?;
    Ok(RewardResponse::from(&reward))
}

/// Adds a reward to the catalogue.
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: CreateRewardRequest,
    meta: &RequestMeta,
) -> Result<AdminRewardResponse, ApiError> {
    let from = body.available_from.map(clock::stored);
    let until = body.available_until.map(clock::stored);
    rules::check_window(from, until)?;
    let now = clock::now();
    let reward = Reward {
        id: RewardId::new(),
        tenant_id: ctx.tenant_id.clone(),
        name: body.name.trim().to_string(),
        description: body.description,
        cost_points: body.cost_points,
        stock: body.stock,
        limit_per_member: body.limit_per_member,
        limit_per_household: body.limit_per_household,
        limit_period: body.limit_period.unwrap_or(LimitPeriod::None),
        available_from: from,
        available_until: until,
        active: body.active.unwrap_or(true),
        archived_at: None,
        created_at: now,
        updated_at: now,
    };
    repo::insert(conn, &reward)?;
    audit::admin_action(
        conn,
        ctx,
        "reward.create",
        "reward",
        reward.id.as_str(),
        meta,
    )?;
    view(conn, ctx, &reward.id)
}

/// Changes what the request names of a reward that is not archived.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RewardId,
    body: UpdateRewardRequest,
    meta: &RequestMeta,
) -> Result<AdminRewardResponse, ApiError> {
    let changes = RewardChanges {
        name: body.name.map(|n| n.trim().to_string()),
        description: body.description,
        cost_points: body.cost_points,
        stock: body.stock,
        limit_per_member: body.limit_per_member,
        limit_per_household: body.limit_per_household,
        limit_period: body.limit_period.map(|p| p.as_str().to_string()),
        available_from: body.available_from.map(|t| t.map(clock::stored)),
        available_until: body.available_until.map(|t| t.map(clock::stored)),
        active: body.active,
        updated_at: None,
    };
    let current = repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    rules::check_window(
        changes.available_from.unwrap_or(current.available_from),
        changes.available_until.unwrap_or(current.available_until),
    )?;
    if repo::update(conn, &ctx.tenant_id, id, changes)? == 0 {
        return Err(ApiError::new(ErrorCode::RewardArchived)
            .with_detail("Archived rewards are kept as history and cannot be changed."));
    }
    audit::admin_action(conn, ctx, "reward.update", "reward", id.as_str(), meta)?;
    view(conn, ctx, id)
}

/// Archives a reward; archiving twice is a no-op.
pub fn archive(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RewardId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    if repo::archive(conn, &ctx.tenant_id, id)? == 1 {
        audit::admin_action(conn, ctx, "reward.archive", "reward", id.as_str(), meta)?;
    }
    Ok(())
}
