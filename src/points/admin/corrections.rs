//! Corrections: adjustments (±) and reversals. Both are new ledger entries; the
//! ledger itself never changes.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use crate::auth::AdminUser;
use crate::db::{Db, DbConnection, PointEntryId};
use crate::error::ApiError;
use crate::idempotency;
use crate::points::dto::{AdjustmentRequest, EntryResponse, ReverseRequest};
use crate::points::service::corrections;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Adjust a balance
///
/// Correct a member's balance up or down, with a reason. A correction that
/// would take the balance below zero is refused (409 `insufficient_points`).
#[utoipa::path(
    tag = "admin-points",
    operation_id = "adjust_points",
    request_body = AdjustmentRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The adjustment entry.", body = EntryResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 409, description = "`insufficient_points`."),
        (status = 422, description = "`validation_failed` (also `user_id: unknown_user`) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/points/adjustments")]
pub async fn adjust(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<AdjustmentRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        let entry = corrections::adjust(conn, &scope, &body, &meta)?;
        idempotency::body(&EntryResponse::from(entry))
    };
    idempotency::run(&db, &req, &ctx, "points.adjust", StatusCode::CREATED, run).await
}

/// Reverse a ledger entry
///
/// Reverse an entry: a new entry of the opposite amount that takes back what the
/// original earned. Once per entry (409 `already_reversed`); reversals, and
/// entries that follow a redemption or an attendance record, cannot be
/// reversed (409 `not_reversible`); never below zero.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "reverse_entry",
    params(
        ("id" = String, Path, format = Uuid, description = "Entry id"),
        idempotency::KeyHeader,
    ),
    request_body = ReverseRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The reversal entry.", body = EntryResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 409, description = "`already_reversed`, `not_reversible` or `insufficient_points`."),
        (status = 422, description = "`validation_failed` or `idempotency_key_reused`."),
    )
)]
#[post("/admin/points/entries/{id}/reverse")]
pub async fn reverse(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    id: web::Path<PointEntryId>,
    Valid(body): Valid<ReverseRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id) = (ctx.clone(), id.into_inner());
    let run = move |conn: &mut DbConnection| {
        let entry = corrections::reverse(conn, &scope, &id, &body.reason, &meta)?;
        idempotency::body(&EntryResponse::from(entry))
    };
    idempotency::run(&db, &req, &ctx, "points.reverse", StatusCode::CREATED, run).await
}
