//! `/admin/rewards…` and `/admin/redemptions…`: the catalogue and the counter.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDateTime;

use crate::audit;
use crate::auth::{AdminUser, TenantCtx};
use crate::clock;
use crate::db::{Db, DbConnection, RedemptionId, RewardId};
use crate::error::{ApiError, ErrorCode};
use crate::http::extractors::Query;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::rewards::dto::{
    AdminRedemptionsQuery, AdminRewardResponse, AdminRewardsQuery, ClaimRequest,
    CreateRewardRequest, RedemptionResponse, RejectRequest, UpdateRewardRequest, Viewer,
};
use crate::rewards::model::{LimitPeriod, Redemption, RedemptionStatus, Reward};
use crate::rewards::repo::{self, Catalogue, Closing, RedemptionFilter, RewardChanges};
use crate::rewards::service::{self, Owner};
use crate::validation::{Valid, invalid};

/// The admin view of reward `id`, with its redemption counts.
fn view(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RewardId,
) -> Result<AdminRewardResponse, ApiError> {
    let reward = repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    let counts = repo::redemption_counts(conn, &ctx.tenant_id, &[id])?;
    Ok(AdminRewardResponse::new(&reward, counts.get(id)))
}

/// 422 unless the window ends after it starts.
fn check_window(from: Option<NaiveDateTime>, until: Option<NaiveDateTime>) -> Result<(), ApiError> {
    match from.zip(until) {
        Some((from, until)) if until <= from => Err(invalid(
            "available_until",
            "before_start",
            "must be after available_from",
        )),
        _ => Ok(()),
    }
}

/// List the catalogue
///
/// The tenant's rewards, newest first, with their redemption counts (archived
/// ones with `archived=true`).
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "list_admin_rewards",
    params(AdminRewardsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of rewards.", body = Page<AdminRewardResponse>,
         links(
            ("GetReward" = (operation_id = "get_admin_reward", parameters(("id" = "$response.body#/data/0/id")))),
            ("UpdateReward" = (operation_id = "update_reward", parameters(("id" = "$response.body#/data/0/id"))))
         )),
    )
)]
#[get("/admin/rewards")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<AdminRewardsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<AdminRewardResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let catalogue = if query.archived.unwrap_or(false) {
        Catalogue::All
    } else {
        Catalogue::Live
    };
    let request = page.clone();
    let (rows, counts) = db
        .read(move |conn| {
            let rows = repo::list(conn, &ctx.tenant_id, catalogue, &request)?;
            let ids: Vec<&RewardId> = rows.iter().map(|r| &r.id).collect();
            let counts = repo::redemption_counts(conn, &ctx.tenant_id, &ids)?;
            Ok((rows, counts))
        })
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |r| (r.created_at, r.id.to_string()),
        |r| AdminRewardResponse::new(&r, counts.get(&r.id)),
    )))
}

/// Create a reward
///
/// Add a reward to the catalogue.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "create_reward",
    request_body = CreateRewardRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created.", body = AdminRewardResponse,
         links(
            ("GetReward" = (operation_id = "get_admin_reward", parameters(("id" = "$response.body#/id")))),
            ("UpdateReward" = (operation_id = "update_reward", parameters(("id" = "$response.body#/id")))),
            ("ArchiveReward" = (operation_id = "archive_reward", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 422, description = "`validation_failed` (also `available_until: before_start`)."),
    )
)]
#[post("/admin/rewards")]
pub async fn create(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateRewardRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let from = body.available_from.map(clock::stored);
    let until = body.available_until.map(clock::stored);
    check_window(from, until)?;
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
    let created = db
        .write(move |conn| {
            repo::insert(conn, &reward)?;
            audit::admin_action(
                conn,
                &ctx,
                "reward.create",
                "reward",
                reward.id.as_str(),
                &meta,
            )?;
            view(conn, &ctx, &reward.id)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Get a reward (admin)
///
/// A reward of the catalogue, archived or not, with its redemption counts.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "get_admin_reward",
    params(("id" = String, Path, format = Uuid, description = "Reward id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reward.", body = AdminRewardResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/rewards/{id}")]
pub async fn get_one(
    AdminUser(ctx): AdminUser,
    id: web::Path<RewardId>,
    db: web::Data<Db>,
) -> Result<web::Json<AdminRewardResponse>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(db.read(move |conn| view(conn, &ctx, &id)).await?))
}

/// Update a reward
///
/// Change a reward. A new cost or stock level applies from now on: existing
/// redemptions keep what they paid. Archived rewards cannot change (409
/// `reward_archived`).
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "update_reward",
    params(("id" = String, Path, format = Uuid, description = "Reward id")),
    request_body = UpdateRewardRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated reward.", body = AdminRewardResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`reward_archived`."),
        (status = 422, description = "`validation_failed` (also `available_until: before_start`)."),
    )
)]
#[patch("/admin/rewards/{id}")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    id: web::Path<RewardId>,
    Valid(body): Valid<UpdateRewardRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<AdminRewardResponse>, ApiError> {
    let id = id.into_inner();
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
    let updated = db
        .write(move |conn| {
            let current = repo::get(conn, &ctx.tenant_id, &id)?.ok_or_else(ApiError::not_found)?;
            check_window(
                changes.available_from.unwrap_or(current.available_from),
                changes.available_until.unwrap_or(current.available_until),
            )?;
            if repo::update(conn, &ctx.tenant_id, &id, changes)? == 0 {
                return Err(ApiError::new(ErrorCode::RewardArchived)
                    .with_detail("Archived rewards are kept as history and cannot be changed."));
            }
            audit::admin_action(conn, &ctx, "reward.update", "reward", id.as_str(), &meta)?;
            view(conn, &ctx, &id)
        })
        .await?;
    Ok(web::Json(updated))
}

/// Archive a reward
///
/// Archive a reward: members no longer see or redeem it; its pending
/// redemptions can still be fulfilled, rejected or cancelled. Idempotent.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "archive_reward",
    params(("id" = String, Path, format = Uuid, description = "Reward id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Archived."),
        (status = 404, description = "`not_found`."),
    )
)]
#[delete("/admin/rewards/{id}")]
pub async fn archive(
    AdminUser(ctx): AdminUser,
    id: web::Path<RewardId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| {
        repo::get(conn, &ctx.tenant_id, &id)?.ok_or_else(ApiError::not_found)?;
        if repo::archive(conn, &ctx.tenant_id, &id)? == 1 {
            audit::admin_action(conn, &ctx, "reward.archive", "reward", id.as_str(), &meta)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List redemptions
///
/// The tenant's redemptions, newest first, with filters. Claim codes are never
/// shown here: only the member holds theirs.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "list_admin_redemptions",
    params(AdminRedemptionsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of redemptions.", body = Page<RedemptionResponse>,
         links(
            ("FulfillRedemption" = (operation_id = "fulfill_redemption", parameters(("id" = "$response.body#/data/0/id")))),
            ("RejectRedemption" = (operation_id = "reject_redemption", parameters(("id" = "$response.body#/data/0/id"))))
         )),
    )
)]
#[get("/admin/redemptions")]
pub async fn list_redemptions(
    AdminUser(ctx): AdminUser,
    query: Query<AdminRedemptionsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<RedemptionResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let filter = RedemptionFilter {
        user_id: query.user_id,
        reward_id: query.reward_id,
        status: query.status,
    };
    let request = page.clone();
    let rows = db
        .read(move |conn| {
            Ok(repo::list_redemptions(
                conn,
                &ctx.tenant_id,
                &filter,
                &request,
            )?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |(r, _)| (r.created_at, r.id.to_string()),
        |(r, name)| RedemptionResponse::new(r, name, Viewer::Admin),
    )))
}

/// Closes redemption `id` as an admin.
async fn close_as_admin(
    db: &Db,
    ctx: TenantCtx,
    id: RedemptionId,
    status: RedemptionStatus,
    reason: Option<String>,
    action: &'static str,
    meta: RequestMeta,
) -> Result<(Redemption, String), ApiError> {
    db.write(move |conn| {
        let closing = Closing {
            status,
            by: &ctx.user_id,
            reason: reason.as_deref(),
        };
        service::close(
            conn,
            &ctx.tenant_id,
            &id,
            Owner::Anyone,
            &closing,
            action,
            &meta,
        )
    })
    .await
}

/// Fulfil a redemption
///
/// Mark a pending redemption as handed over. Once only.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "fulfill_redemption",
    params(("id" = String, Path, format = Uuid, description = "Redemption id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The fulfilled redemption.", body = RedemptionResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`redemption_not_pending` (with its `current_status`)."),
    )
)]
#[post("/admin/redemptions/{id}/fulfill")]
pub async fn fulfill(
    AdminUser(ctx): AdminUser,
    id: web::Path<RedemptionId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let status = RedemptionStatus::Fulfilled;
    let (r, name) = close_as_admin(
        &db,
        ctx,
        id.into_inner(),
        status,
        None,
        "redemption.fulfill",
        meta,
    )
    .await?;
    Ok(web::Json(RedemptionResponse::new(r, name, Viewer::Admin)))
}

/// Reject a redemption
///
/// Refuse a pending redemption with a reason: the member gets the points back
/// (a `refund` entry) and the unit goes back into stock. Once only.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "reject_redemption",
    params(("id" = String, Path, format = Uuid, description = "Redemption id")),
    request_body = RejectRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rejected redemption.", body = RedemptionResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`redemption_not_pending` (with its `current_status`)."),
    )
)]
#[post("/admin/redemptions/{id}/reject")]
pub async fn reject(
    AdminUser(ctx): AdminUser,
    id: web::Path<RedemptionId>,
    Valid(body): Valid<RejectRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let status = RedemptionStatus::Rejected;
    let reason = Some(body.reason.trim().to_string());
    let (r, name) = close_as_admin(
        &db,
        ctx,
        id.into_inner(),
        status,
        reason,
        "redemption.reject",
        meta,
    )
    .await?;
    Ok(web::Json(RedemptionResponse::new(r, name, Viewer::Admin)))
}

/// Fulfil a redemption by its claim code
///
/// Fulfil the pending redemption a member's claim code names, as scanned at
/// the counter. A code works once: a wrong one is 422 `invalid_code`, one
/// already used (or of a cancelled or rejected redemption) 409
/// `redemption_not_pending`.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "claim_redemption",
    request_body = ClaimRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The fulfilled redemption.", body = RedemptionResponse),
        (status = 409, description = "`redemption_not_pending` (with its `current_status`)."),
        (status = 422, description = "`invalid_code` or `validation_failed`."),
    )
)]
#[post("/admin/redemptions/claim")]
pub async fn claim(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<ClaimRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let (r, name) = db
        .write(move |conn| {
            let id = service::by_claim_code(conn, &ctx.tenant_id, &body.claim_code)?;
            let closing = Closing {
                status: RedemptionStatus::Fulfilled,
                by: &ctx.user_id,
                reason: None,
            };
            service::close(
                conn,
                &ctx.tenant_id,
                &id,
                Owner::Anyone,
                &closing,
                "redemption.claim",
                &meta,
            )
        })
        .await?;
    Ok(web::Json(RedemptionResponse::new(r, name, Viewer::Admin)))
}
