//! `/admin/rewards…` and `/admin/redemptions…`: the catalogue and the counter.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::auth::{AdminUser, StaffUser, TenantCtx, desk};
use crate::db::{Db, DbConnection, RedemptionId, RewardId};
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::rewards::catalogue_cache::CatalogueCache;
use crate::rewards::dto::{
    AdminRedemptionsQuery, AdminRewardResponse, AdminRewardsQuery, ClaimRequest,
    CreateRewardRequest, RedemptionResponse, RejectRequest, UpdateRewardRequest, Viewer,
};
use crate::rewards::model::RedemptionStatus;
use crate::rewards::service::{catalogue, redemptions};
use crate::validation::Valid;

/// List the catalogue
///
/// The tenant's rewards, newest first, with their redemption counts (archived
/// ones with `archived=true`).
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "list_admin_rewards",
    params(AdminRewardsQuery, PageQuery),
    security(("bearer" = ["admin"])),
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
    Paged { page, filters }: Paged<AdminRewardsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<AdminRewardResponse>>, ApiError> {
    let catalogue = filters.into_filter()?;
    let rewards = db
        .read(move |conn| catalogue::list_for_admin(conn, &ctx, catalogue, &page))
        .await?;
    Ok(web::Json(rewards))
}

/// Create a reward
///
/// Add a reward to the catalogue.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "create_reward",
    request_body = CreateRewardRequest,
    security(("bearer" = ["admin"])),
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
    kept: web::Data<CatalogueCache>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let tenant = ctx.tenant_id.clone();
    let created = db
        .write(move |conn| catalogue::create(conn, &ctx, body, &meta))
        .await?;
    kept.forget(&tenant);
    Ok(HttpResponse::Created().json(created))
}

/// Get a reward (admin)
///
/// A reward of the catalogue, archived or not, with its redemption counts.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "get_admin_reward",
    params(("id" = String, Path, format = Uuid, description = "Reward id")),
    security(("bearer" = ["admin"])),
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
    Ok(web::Json(
        db.read(move |conn| catalogue::view(conn, &ctx, &id))
            .await?,
    ))
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
    security(("bearer" = ["admin"])),
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
    kept: web::Data<CatalogueCache>,
    meta: RequestMeta,
) -> Result<web::Json<AdminRewardResponse>, ApiError> {
    let (id, tenant) = (id.into_inner(), ctx.tenant_id.clone());
    let updated = db
        .write(move |conn| catalogue::update(conn, &ctx, &id, body, &meta))
        .await?;
    kept.forget(&tenant);
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
    security(("bearer" = ["admin"])),
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
    kept: web::Data<CatalogueCache>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (id, tenant) = (id.into_inner(), ctx.tenant_id.clone());
    db.write(move |conn| catalogue::archive(conn, &ctx, &id, &meta))
        .await?;
    kept.forget(&tenant);
    Ok(HttpResponse::NoContent().finish())
}

/// List redemptions
///
/// The tenant's redemptions, newest first, with filters. Claim codes are never
/// shown here: only the member holds theirs.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "list_admin_redemptions",
    params(AdminRedemptionsQuery, PageQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["redemptions"])),
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
    StaffUser(ctx, _): StaffUser<desk::Redemptions>,
    Paged { page, filters }: Paged<AdminRedemptionsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<RedemptionResponse>>, ApiError> {
    let filter = filters.into_filter()?;
    let tenant = ctx.tenant_id;
    let page_of = move |conn: &mut DbConnection| {
        redemptions::list(conn, &tenant, &filter, &page, Viewer::Admin)
    };
    Ok(web::Json(db.read(page_of).await?))
}

/// Closes redemption `id` as an admin: fulfilled, or rejected with a reason
/// (the unit goes back into stock, so the kept catalogue is forgotten).
async fn close_as_admin(
    db: &Db,
    kept: &CatalogueCache,
    ctx: TenantCtx,
    id: RedemptionId,
    closing: (RedemptionStatus, Option<String>),
    action: &'static str,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let (status, reason) = closing;
    let tenant = ctx.tenant_id.clone();
    let closed = db
        .write(move |conn| {
            let closing = (status, reason.as_deref());
            redemptions::close_as(conn, &ctx, &id, closing, action, &meta)
        })
        .await?;
    kept.forget(&tenant);
    Ok(web::Json(closed))
}

/// Fulfil a redemption
///
/// Mark a pending redemption as handed over. Once only.
#[utoipa::path(
    tag = "admin-rewards",
    operation_id = "fulfill_redemption",
    params(("id" = String, Path, format = Uuid, description = "Redemption id")),
    security(("bearer" = ["admin"]), ("bearer" = ["redemptions"])),
    responses(
        (status = 200, description = "The fulfilled redemption.", body = RedemptionResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`redemption_not_pending` (with its `current_status`)."),
    )
)]
#[post("/admin/redemptions/{id}/fulfill")]
pub async fn fulfill(
    StaffUser(ctx, _): StaffUser<desk::Redemptions>,
    id: web::Path<RedemptionId>,
    db: web::Data<Db>,
    kept: web::Data<CatalogueCache>,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let closing = (RedemptionStatus::Fulfilled, None);
    let action = "redemption.fulfill";
    close_as_admin(&db, &kept, ctx, id.into_inner(), closing, action, meta).await
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
    security(("bearer" = ["admin"])),
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
    kept: web::Data<CatalogueCache>,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let closing = (
        RedemptionStatus::Rejected,
        Some(body.reason.trim().to_string()),
    );
    let action = "redemption.reject";
    close_as_admin(&db, &kept, ctx, id.into_inner(), closing, action, meta).await
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
    security(("bearer" = ["admin"]), ("bearer" = ["redemptions"])),
    responses(
        (status = 200, description = "The fulfilled redemption.", body = RedemptionResponse),
        (status = 409, description = "`redemption_not_pending` (with its `current_status`)."),
        (status = 422, description = "`invalid_code` or `validation_failed`."),
    )
)]
#[post("/admin/redemptions/claim")]
pub async fn claim(
    StaffUser(ctx, _): StaffUser<desk::Redemptions>,
    Valid(body): Valid<ClaimRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let claimed = db
        .write(move |conn| redemptions::claim(conn, &ctx, &body.claim_code, &meta))
        .await?;
    Ok(web::Json(claimed))
}
