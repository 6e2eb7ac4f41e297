//! `/admin/points/awards…`: awarding points, one member or many at once.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use crate::auth::{StaffUser, desk};
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::idempotency;
use crate::points::dto::{AwardRequest, BatchAwardRequest, BatchAwardResponse, EntryResponse};
use crate::points::service::awards::{self, Award};
use crate::request_context::RequestMeta;
use crate::validation::{self, Valid, ValidBatch};

/// Award points
///
/// Award points to a member, directly or by rule × quantity (staff with the
/// `points` scope: by rule × quantity only, a direct amount is 403). Send an
/// `Idempotency-Key` so a retried request never awards twice.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "award_points",
    request_body = AwardRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"]), ("bearer" = ["points"])),
    responses(
        (status = 201, description = "The ledger entry.", body = EntryResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key.")),
         links(("ReverseEntry" = (operation_id = "reverse_entry", parameters(("id" = "$response.body#/id")))))),
        (status = 422, description = "`validation_failed` (also `user_id: unknown_user`, `rule_id: unknown_rule`, exactly one of amount or rule + quantity) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/points/awards")]
pub async fn award(
    req: HttpRequest,
    StaffUser(ctx, _): StaffUser<desk::Points>,
    Valid(body): Valid<AwardRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let award = Award::check(body)?;
    award.ensure_allowed_for(&ctx)?;
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        let entry = awards::award_one(conn, &scope, award, &meta)?;
        idempotency::body(&EntryResponse::from(entry))
    };
    idempotency::run(&db, &req, &ctx, "points.award", StatusCode::CREATED, run).await
}

/// Award points in bulk
///
/// Award points to up to 500 members at once (staff: by rule × quantity
/// only, as for one award), all or nothing: if any item is
/// refused, nothing is written and the 422 names every failing field as
/// `items[i].field`. Items are checked in two rounds, first what the request
/// itself shows, then what needs the database (members, rules), so a fixed
/// request may still be refused by the second. Entries come back in item order.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "award_points_batch",
    request_body = BatchAwardRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"]), ("bearer" = ["points"])),
    responses(
        (status = 201, description = "The ledger entries, in item order.", body = BatchAwardResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key."))),
        (status = 413, description = "`payload_too_large`: the body is over 1 MiB."),
        (status = 422, description = "`validation_failed` (naming `items[i].field` for every refused item, or `items` when empty or over 500) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/points/awards/batch")]
pub async fn award_batch(
    req: HttpRequest,
    StaffUser(ctx, _): StaffUser<desk::Points>,
    ValidBatch(body): ValidBatch<BatchAwardRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let checked = validation::all_items(body.items.into_iter().map(Award::check))?;
    for item in &checked {
        item.ensure_allowed_for(&ctx)?;
    }
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        let entries = awards::award_all(conn, &scope, checked, &meta)?;
        let entries = entries.into_iter().map(EntryResponse::from).collect();
        idempotency::body(&BatchAwardResponse { entries })
    };
    let action = "points.award_batch";
    idempotency::run(&db, &req, &ctx, action, StatusCode::CREATED, run).await
}
