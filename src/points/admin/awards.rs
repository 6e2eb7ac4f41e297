//! Awards and ledger reads.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{AdminUser, AuthUser};
use crate::db::{Db, HouseholdId, UserId};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::idempotency;
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::points::dto::{AwardRequest, BatchAwardRequest, BatchAwardResponse, EntryResponse};
use crate::points::model::EntryKind;
use crate::points::repo::entries::{self, EntryFilter};
use crate::points::service::awards::{self, Award};
use crate::request_context::RequestMeta;
use crate::validation::{self, Valid, ValidBatch};

/// Award points
///
/// Award points to a member, directly or by rule × quantity. Send an
/// `Idempotency-Key` so a retried request never awards twice.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "award_points",
    request_body = AwardRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The ledger entry.", body = EntryResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key.")),
         links(("ReverseEntry" = (operation_id = "reverse_entry", parameters(("id" = "$response.body#/id")))))),
        (status = 409, description = "`idempotency_in_progress`: the first request with this key is still running."),
        (status = 422, description = "`validation_failed` (also `user_id: unknown_user`, `rule_id: unknown_rule`, exactly one of amount or rule + quantity) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/points/awards")]
pub async fn award(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<AwardRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let award = Award::check(body)?;
    let scope = ctx.clone();
    idempotency::run(
        &db,
        &req,
        &ctx,
        "points.award",
        StatusCode::CREATED,
        move |conn| {
            let resolved = awards::resolve(conn, &scope.tenant_id, vec![award])?
                .pop()
                .ok_or_else(|| ApiError::internal("an award resolved to nothing"))??;
            let entry = resolved.post(
                conn,
                &scope.tenant_id,
                &scope.user_id,
                "points.award",
                &meta,
            )?;
            idempotency::body(&EntryResponse::from(entry))
        },
    )
    .await
}

/// Award points in bulk
///
/// Award points to up to 500 members at once, all or nothing: if any item is
/// refused, nothing is written and the 422 names every failing field as
/// `items[i].field`. Items are checked in two rounds, first what the request
/// itself shows, then what needs the database (members, rules), so a fixed
/// request may still be refused by the second. Entries come back in item order.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "award_points_batch",
    request_body = BatchAwardRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The ledger entries, in item order.", body = BatchAwardResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key."))),
        (status = 409, description = "`idempotency_in_progress`: the first request with this key is still running."),
        (status = 413, description = "`payload_too_large`: the body is over 1 MiB."),
        (status = 422, description = "`validation_failed` (naming `items[i].field` for every refused item, or `items` when empty or over 500) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/points/awards/batch")]
pub async fn award_batch(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    ValidBatch(body): ValidBatch<BatchAwardRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let awards = validation::all_items(body.items.into_iter().map(Award::check))?;
    let scope = ctx.clone();
    idempotency::run(
        &db,
        &req,
        &ctx,
        "points.award_batch",
        StatusCode::CREATED,
        move |conn| {
            let resolved = validation::all_items(awards::resolve(conn, &scope.tenant_id, awards)?)?;
            let (tenant, actor) = (&scope.tenant_id, &scope.user_id);
            let entries =
                awards::post_all(conn, tenant, actor, &resolved, "points.award_batch", &meta)?
                    .into_iter()
                    .map(EntryResponse::from)
                    .collect();
            idempotency::body(&BatchAwardResponse { entries })
        },
    )
    .await
}

fn page_of(rows: Vec<crate::points::model::PointEntry>, page: &PageRequest) -> Page<EntryResponse> {
    Page::from_rows(
        rows,
        page,
        |e| (e.created_at, e.id.to_string()),
        EntryResponse::from,
    )
}

/// List my point entries
///
/// The caller's own ledger, newest first.
#[utoipa::path(
    tag = "points",
    operation_id = "list_my_entries",
    params(PageQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of entries.", body = Page<EntryResponse>,
         links(("ReverseEntry" = (operation_id = "reverse_entry", parameters(("id" = "$response.body#/data/0/id")))))))
)]
#[get("/points/entries")]
pub async fn my_entries(
    AuthUser(ctx): AuthUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<EntryResponse>>, ApiError> {
    let page = query.parse()?;
    let request = page.clone();
    let filter = EntryFilter {
        user_id: Some(ctx.user_id.clone()),
        ..EntryFilter::default()
    };
    let rows = db
        .read(move |conn| Ok(entries::list(conn, &ctx.tenant_id, &filter, &request)?))
        .await?;
    Ok(web::Json(page_of(rows, &page)))
}

/// Filters of `GET /admin/points/entries`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntriesQuery {
    /// Only this member.
    #[param(value_type = Option<String>, format = Uuid)]
    pub user_id: Option<UserId>,
    /// Only this household.
    #[param(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<HouseholdId>,
    /// Only this kind.
    pub kind: Option<EntryKind>,
    /// Entries at or after (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Entries before (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque cursor from the previous page.
    #[param(max_length = 200)]
    pub cursor: Option<String>,
}

/// List point entries
///
/// The tenant's ledger, newest first, with filters.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "list_point_entries",
    params(EntriesQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of entries.", body = Page<EntryResponse>))
)]
#[get("/admin/points/entries")]
pub async fn all_entries(
    AdminUser(ctx): AdminUser,
    query: Query<EntriesQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<EntryResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let filter = EntryFilter {
        user_id: query.user_id,
        household_id: query.household_id,
        kind: query.kind,
        from: query.from.map(|t| t.naive_utc()),
        to: query.to.map(|t| t.naive_utc()),
    };
    let request = page.clone();
    let rows = db
        .read(move |conn| Ok(entries::list(conn, &ctx.tenant_id, &filter, &request)?))
        .await?;
    Ok(web::Json(page_of(rows, &page)))
}
