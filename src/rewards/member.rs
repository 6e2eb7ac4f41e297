//! Members' routes: the catalogue, redeeming, their own redemptions.

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::auth::AuthUser;
use crate::clock::Clock;
use crate::db::{Db, DbConnection, RedemptionId, RewardId};
use crate::error::ApiError;
use crate::http::extractors::{Paged, Query};
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::rewards::catalogue_cache::CatalogueCache;
use crate::rewards::dto::{
    MyRedemptionsQuery, RedeemRequest, RedemptionResponse, RewardResponse, Viewer,
};
use crate::rewards::model::RedemptionStatus;
use crate::rewards::service::{catalogue, redemptions};
use crate::validation::ValidOrEmpty;

/// List the rewards on offer
///
/// What members can redeem now: active rewards inside their availability
/// window, newest first. Sold-out rewards are listed with `stock: 0`.
#[utoipa::path(
    tag = "rewards",
    operation_id = "list_rewards",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of rewards.", body = Page<RewardResponse>,
         links(
            ("GetReward" = (operation_id = "get_reward", parameters(("id" = "$response.body#/data/0/id")))),
            ("Redeem" = (operation_id = "redeem_reward", parameters(("id" = "$response.body#/data/0/id"))))
         )),
    )
)]
#[get("/rewards")]
pub async fn list(
    AuthUser(ctx): AuthUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    kept: web::Data<CatalogueCache>,
) -> Result<HttpResponse, ApiError> {
    let (page, now) = (query.parse()?, clock.now());
    let limit = page.limit;
    let (tenant, first) = (ctx.tenant_id.clone(), page.after.is_none());
    let read = async move || {
        let rewards = db
            .read_may_lag(move |conn| catalogue::offered(conn, &ctx, now, &page))
            .await?;
        let json = serde_json::to_vec(&rewards)
            .map_err(|e| ApiError::internal(format!("serialise the catalogue: {e}")))?;
        Ok::<_, ApiError>(Bytes::from(json))
    };
    let body = if first {
        kept.first_page(&tenant, limit, read).await?
    } else {
        read().await?
    };
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// Get a reward
///
/// A reward on offer; one that is switched off, archived or outside its window
/// is not found.
#[utoipa::path(
    tag = "rewards",
    operation_id = "get_reward",
    params(("id" = String, Path, format = Uuid, description = "Reward id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reward.", body = RewardResponse,
         links(("Redeem" = (operation_id = "redeem_reward", parameters(("id" = "$response.body#/id")))))),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/rewards/{id}")]
pub async fn get_one(
    AuthUser(ctx): AuthUser,
    id: web::Path<RewardId>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<RewardResponse>, ApiError> {
    let (id, now) = (id.into_inner(), clock.now());
    let reward = db
        .read_may_lag(move |conn| catalogue::offered_one(conn, &ctx, &id, now))
        .await?;
    Ok(web::Json(reward))
}

/// Redeem a reward
///
/// Redeem a reward: in one transaction a unit of stock is taken, the limits
/// for the current UTC period are checked, the cost is debited and the
/// redemption written with its claim code. Send an `Idempotency-Key` so a
/// retried request never buys twice. A guardian redeems for a dependant of
/// their household with `for_user_id`: the dependant's balance and limits
/// count, and the redemption is theirs.
#[utoipa::path(
    tag = "rewards",
    operation_id = "redeem_reward",
    request_body(content = Option<RedeemRequest>, description = "Optional: whom the redemption is for."),
    params(
        ("id" = String, Path, format = Uuid, description = "Reward id"),
        idempotency::KeyHeader,
    ),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The pending redemption, with the claim code to show when collecting.", body = RedemptionResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key.")),
         links(
            ("GetRedemption" = (operation_id = "get_my_redemption", parameters(("id" = "$response.body#/id")))),
            ("CancelRedemption" = (operation_id = "cancel_redemption", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 404, description = "`not_found`: no such reward (or `for_user_id` names no dependant of the caller's household)."),
        (status = 409, description = "`out_of_stock`; `insufficient_points` (with `balance` and `needed`); \
`limit_reached` (with `scope` member|household, `limit`, `period` and, unless the period is `none`, `resets_at`); \
`reward_unavailable` (with `reason` inactive|archived|not_yet_available|no_longer_available and the window edge \
`available_from` or `available_until`)."),
        (status = 422, description = "`idempotency_key_reused`."),
    )
)]
#[post("/rewards/{id}/redemptions")]
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per actix extractor"
)]
pub async fn redeem(
    req: HttpRequest,
    AuthUser(ctx): AuthUser,
    id: web::Path<RewardId>,
    ValidOrEmpty(body): ValidOrEmpty<RedeemRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    kept: web::Data<CatalogueCache>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id, now) = (ctx.clone(), id.into_inner(), clock.now());
    let run = move |conn: &mut DbConnection| {
        let member = redemptions::beneficiary(conn, &scope, body.for_user_id.as_ref())?;
        let tenant = &scope.tenant_id;
        let (redemption, name) = redemptions::redeem(conn, tenant, &member, &id, now, &meta)?;
        idempotency::body(&RedemptionResponse::new(redemption, name, Viewer::Owner))
    };
    let created =
        idempotency::run(&db, &req, &ctx, "rewards.redeem", StatusCode::CREATED, run).await?;
    kept.forget(&ctx.tenant_id);
    Ok(created)
}

/// List my redemptions
///
/// The caller's own redemptions, newest first.
#[utoipa::path(
    tag = "rewards",
    operation_id = "list_my_redemptions",
    params(MyRedemptionsQuery, PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of redemptions.", body = Page<RedemptionResponse>,
         links(
            ("GetRedemption" = (operation_id = "get_my_redemption", parameters(("id" = "$response.body#/data/0/id")))),
            ("CancelRedemption" = (operation_id = "cancel_redemption", parameters(("id" = "$response.body#/data/0/id"))))
         )),
    )
)]
#[get("/redemptions")]
pub async fn my_redemptions(
    AuthUser(ctx): AuthUser,
    Paged { page, filters }: Paged<MyRedemptionsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<RedemptionResponse>>, ApiError> {
    let filter = filters.into_filter(ctx.user_id)?;
    let tenant = ctx.tenant_id;
    let page_of = move |conn: &mut DbConnection| {
        redemptions::list(conn, &tenant, &filter, &page, Viewer::Owner)
    };
    Ok(web::Json(db.read(page_of).await?))
}

/// Get one of my redemptions
///
/// One of the caller's own redemptions (anyone else's is not found).
#[utoipa::path(
    tag = "rewards",
    operation_id = "get_my_redemption",
    params(("id" = String, Path, format = Uuid, description = "Redemption id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The redemption.", body = RedemptionResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/redemptions/{id}")]
pub async fn my_redemption(
    AuthUser(ctx): AuthUser,
    id: web::Path<RedemptionId>,
    db: web::Data<Db>,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let id = id.into_inner();
    let redemption = db
        .read(move |conn| redemptions::own(conn, &ctx, &id))
        .await?;
    Ok(web::Json(redemption))
}

/// Cancel my redemption
///
/// Cancel one of the caller's own pending redemptions: the points come back
/// (a `refund` entry) and the unit goes back into stock. Once only.
#[utoipa::path(
    tag = "rewards",
    operation_id = "cancel_redemption",
    params(("id" = String, Path, format = Uuid, description = "Redemption id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cancelled redemption.", body = RedemptionResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`redemption_not_pending` (with its `current_status`)."),
    )
)]
#[post("/redemptions/{id}/cancel")]
pub async fn cancel(
    AuthUser(ctx): AuthUser,
    id: web::Path<RedemptionId>,
    db: web::Data<Db>,
    kept: web::Data<CatalogueCache>,
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let (id, tenant) = (id.into_inner(), ctx.tenant_id.clone());
    let closing = (RedemptionStatus::Cancelled, None);
    let cancelled = db
        .write(move |conn| {
            redemptions::close_as(conn, &ctx, &id, closing, "redemption.cancel", &meta)
        })
        .await?;
    kept.forget(&tenant);
    Ok(web::Json(cancelled))
}
