//! `/admin/refunds…`: household credit paid back.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::auth::AdminUser;
use crate::db::{Db, DbConnection, RefundId};
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::payments::dto::{CreateRefundRequest, MoneyQuery, RefundResponse, VoidRequest};
use crate::payments::service::refunds;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Refund credit
///
/// Pay a household's credit back (a family moves away). The refund takes the
/// next number of the organisation's receipt sequence (shared with payments,
/// gapless), shows on the household's statement as money out and in the
/// settlement summary. Send an `Idempotency-Key` so a retry never pays out
/// twice.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "create_refund",
    request_body = CreateRefundRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The refund.", body = RefundResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response.")),
         links(
            ("GetRefund" = (operation_id = "get_refund", parameters(("id" = "$response.body#/id")))),
            ("VoidRefund" = (operation_id = "void_refund", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 409, description = "`insufficient_credit`: the amount is more than the household's credit."),
        (status = 422, description = "`validation_failed` (also `household_id: unknown_household`) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/refunds")]
pub async fn create(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateRefundRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        idempotency::body(&refunds::refund(conn, &scope, &body, &meta)?)
    };
    idempotency::run(&db, &req, &ctx, "refunds.create", StatusCode::CREATED, run).await
}

/// List refunds
///
/// The organisation's refunds, newest first, with filters.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "list_refunds",
    params(MoneyQuery, PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "One page of refunds.", body = Page<RefundResponse>))
)]
#[get("/admin/refunds")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    Paged { page, filters }: Paged<MoneyQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<RefundResponse>>, ApiError> {
    let refunds = db
        .read(move |conn| refunds::list(conn, &ctx, filters, &page))
        .await?;
    Ok(web::Json(refunds))
}

/// Get a refund
///
/// A refund as issued, and whether it still stands.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_refund",
    params(("id" = String, Path, format = Uuid, description = "Refund id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The refund.", body = RefundResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/refunds/{id}")]
pub async fn get_one(
    AdminUser(ctx): AdminUser,
    id: web::Path<RefundId>,
    db: web::Data<Db>,
) -> Result<web::Json<RefundResponse>, ApiError> {
    let id = id.into_inner();
    let refund = db.read(move |conn| refunds::get(conn, &ctx, &id)).await?;
    Ok(web::Json(refund))
}

/// Void a refund
///
/// Void a refund (the money did not go out): the credit it paid back is the
/// household's again and meets any open charge at once. Its number stays
/// taken. Once only (409 `already_void`). Send an `Idempotency-Key` to
/// replay the first answer on a retry.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "void_refund",
    params(("id" = String, Path, format = Uuid, description = "Refund id"), idempotency::KeyHeader),
    request_body = VoidRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The void refund.", body = RefundResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`already_void`: the payment is already void."),
        (status = 422, description = "`validation_failed` or `idempotency_key_reused`."),
    )
)]
#[post("/admin/refunds/{id}/void")]
pub async fn void(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    id: web::Path<RefundId>,
    Valid(body): Valid<VoidRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (id, scope) = (id.into_inner(), ctx.clone());
    let run = move |conn: &mut DbConnection| {
        idempotency::body(&refunds::void(conn, &scope, &id, &body.reason, &meta)?)
    };
    idempotency::run(&db, &req, &ctx, "refunds.void", StatusCode::OK, run).await
}
