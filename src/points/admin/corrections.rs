//! Corrections: adjustments (±) and reversals. Both are new ledger entries; the
//! ledger itself never changes.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use crate::audit::{self, AuditEntry};
use crate::auth::AdminUser;
use crate::db::{Db, PointEntryId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::idempotency;
use crate::points::dto::{AdjustmentRequest, EntryResponse, ReverseRequest};
use crate::points::model::EntryKind;
use crate::points::repo::entries;
use crate::points::repo::ledger::{Posting, post as post_entry};
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
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The adjustment entry.", body = EntryResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 409, description = "`insufficient_points` or `idempotency_in_progress`."),
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
    idempotency::run(
        &db,
        &req,
        &ctx,
        "points.adjust",
        StatusCode::CREATED,
        move |conn| {
            if crate::identity::repo::users::get(conn, &scope.tenant_id, &body.user_id)?.is_none() {
                return Err(ApiError::validation(vec![FieldError::new(
                    "user_id",
                    "unknown_user",
                    "no user of this organisation has this id",
                )]));
            }
            let entry = post_entry(
                conn,
                &scope.tenant_id,
                Posting {
                    user: &body.user_id,
                    amount: body.amount,
                    kind: EntryKind::Adjustment,
                    reason: Some(body.reason.trim()),
                    rule: None,
                    source: None,
                    reverses: None,
                    earned: EntryKind::Adjustment.earned(body.amount),
                    actor: Some(&scope.user_id),
                },
            )?;
            audit::record(
                conn,
                &scope.tenant_id,
                AuditEntry::new("points.adjust", &meta)
                    .by(&scope.user_id)
                    .on("point_entry", entry.id.as_str())
                    .because(body.reason.trim()),
            )?;
            idempotency::body(&EntryResponse::from(entry))
        },
    )
    .await
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
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The reversal entry.", body = EntryResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 409, description = "`already_reversed`, `not_reversible`, `insufficient_points` or `idempotency_in_progress`."),
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
    idempotency::run(
        &db,
        &req,
        &ctx,
        "points.reverse",
        StatusCode::CREATED,
        move |conn| {
            let original =
                entries::get(conn, &scope.tenant_id, &id)?.ok_or_else(ApiError::not_found)?;
            let not_reversible =
                |detail: &str| ApiError::new(ErrorCode::NotReversible).with_detail(detail);
            if original.kind == EntryKind::Reversal {
                return Err(not_reversible(
                    "A reversal cannot itself be reversed; post a new entry instead.",
                ));
            }
            // Entries written by a redemption or an attendance record move with
            // it: reversing one here would pay twice once it is cancelled,
            // rejected or re-marked.
            if let Some(source) = &original.source_type {
                return Err(not_reversible(&format!(
                    "This entry follows its {source}: cancel, reject or re-mark that instead."
                )));
            }
            let already = || {
                ApiError::new(ErrorCode::AlreadyReversed)
                    .with_detail("This entry has already been reversed.")
            };
            if entries::is_reversed(conn, &scope.tenant_id, &id)? {
                return Err(already());
            }
            let posted = post_entry(
                conn,
                &scope.tenant_id,
                Posting {
                    user: &original.user_id,
                    amount: -original.amount,
                    kind: EntryKind::Reversal,
                    reason: Some(body.reason.trim()),
                    rule: None,
                    source: None,
                    reverses: Some(&original.id),
                    earned: -original.earned,
                    actor: Some(&scope.user_id),
                },
            );
            // A racing reversal that committed first shows up here either as the
            // unique (tenant, reverses_id) key or, having already taken the points
            // back, as a shortfall: both mean "already reversed".
            let entry = match posted {
                Ok(entry) => entry,
                Err(e) if e.is(ErrorCode::Conflict) => return Err(already()),
                Err(e)
                    if e.is(ErrorCode::InsufficientPoints)
                        && entries::is_reversed(conn, &scope.tenant_id, &id)? =>
                {
                    return Err(already());
                }
                Err(e) => return Err(e),
            };
            audit::record(
                conn,
                &scope.tenant_id,
                AuditEntry::new("points.reverse", &meta)
                    .by(&scope.user_id)
                    .on("point_entry", original.id.as_str())
                    .because(body.reason.trim()),
            )?;
            idempotency::body(&EntryResponse::from(entry))
        },
    )
    .await
}
