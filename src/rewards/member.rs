//! Members' routes: the catalogue, redeeming, their own redemptions.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::auth::AuthUser;
use crate::clock::Clock;
use crate::db::{Db, RedemptionId, RewardId};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::rewards::dto::{RedemptionResponse, RewardResponse, Viewer};
use crate::rewards::model::RedemptionStatus;
use crate::rewards::repo::{self, Catalogue, Closing, RedemptionFilter};
use crate::rewards::rules;
use crate::rewards::service::{self, Owner};

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
) -> Result<web::Json<Page<RewardResponse>>, ApiError> {
    let page = query.parse()?;
    let request = page.clone();
    let catalogue = Catalogue::OfferedAt(clock.now());
    let rows = db
        .read(move |conn| Ok(repo::list(conn, &ctx.tenant_id, catalogue, &request)?))
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |r| (r.created_at, r.id.to_string()),
        |r| RewardResponse::from(&r),
    )))
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
    let id = id.into_inner();
    let reward = db
        .read(move |conn| Ok(repo::get(conn, &ctx.tenant_id, &id)?))
        .await?
        .filter(|r| rules::availability(r, clock.now()).is_ok())
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(RewardResponse::from(&reward)))
}

/// Redeem a reward
///
/// Redeem a reward: in one transaction a unit of stock is taken, the limits
/// for the current UTC period are checked, the cost is debited and the
/// redemption written with its claim code. Send an `Idempotency-Key` so a
/// retried request never buys twice.
#[utoipa::path(
    tag = "rewards",
    operation_id = "redeem_reward",
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
        (status = 404, description = "`not_found`: no such reward."),
        (status = 409, description = "`out_of_stock`; `insufficient_points` (with `balance` and `needed`); \
`limit_reached` (with `scope` member|household, `limit`, `period` and, unless the period is `none`, `resets_at`); \
`reward_unavailable` (with `reason` inactive|archived|not_yet_available|no_longer_available and the window edge \
`available_from` or `available_until`); `idempotency_in_progress`."),
        (status = 422, description = "`idempotency_key_reused`."),
    )
)]
#[post("/rewards/{id}/redemptions")]
pub async fn redeem(
    req: HttpRequest,
    AuthUser(ctx): AuthUser,
    id: web::Path<RewardId>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id, now) = (ctx.clone(), id.into_inner(), clock.now());
    idempotency::run(
        &db,
        &req,
        &ctx,
        "rewards.redeem",
        StatusCode::CREATED,
        move |conn| {
            let (redemption, name) =
                service::redeem(conn, &scope.tenant_id, &scope.user_id, &id, now, &meta)?;
            idempotency::body(&RedemptionResponse::new(redemption, name, Viewer::Owner))
        },
    )
    .await
}

/// Filters of `GET /redemptions`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MyRedemptionsQuery {
    /// Only in this status.
    pub status: Option<RedemptionStatus>,
    /// Page size, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque cursor from the previous page.
    #[param(max_length = 200)]
    pub cursor: Option<String>,
}

/// List my redemptions
///
/// The caller's own redemptions, newest first.
#[utoipa::path(
    tag = "rewards",
    operation_id = "list_my_redemptions",
    params(MyRedemptionsQuery),
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
    query: Query<MyRedemptionsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<RedemptionResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let filter = RedemptionFilter {
        user_id: Some(ctx.user_id.clone()),
        status: query.status,
        ..RedemptionFilter::default()
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
        |(r, name)| RedemptionResponse::new(r, name, Viewer::Owner),
    )))
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
    let user = ctx.user_id.clone();
    let (redemption, name) = db
        .read(move |conn| Ok(repo::get_redemption(conn, &ctx.tenant_id, &id)?))
        .await?
        .filter(|(r, _)| r.user_id == user)
        .ok_or_else(ApiError::not_found)?;
    Ok(web::Json(RedemptionResponse::new(
        redemption,
        name,
        Viewer::Owner,
    )))
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
    meta: RequestMeta,
) -> Result<web::Json<RedemptionResponse>, ApiError> {
    let id = id.into_inner();
    let (redemption, name) = db
        .write(move |conn| {
            let closing = Closing {
                status: RedemptionStatus::Cancelled,
                by: &ctx.user_id,
                reason: None,
            };
            service::close(
                conn,
                &ctx.tenant_id,
                &id,
                Owner::Member(&ctx.user_id),
                &closing,
                "redemption.cancel",
                &meta,
            )
        })
        .await?;
    Ok(web::Json(RedemptionResponse::new(
        redemption,
        name,
        Viewer::Owner,
    )))
}
