//! Awards and ledger reads.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::{AwardRequest, EntryResponse};
use super::entries::{self, EntryFilter};
use super::ledger::{Posting, post as post_entry};
use super::model::EntryKind;
use super::quantity::{Quantity, QuantityError};
use super::rules;
use crate::audit::{self, AuditEntry};
use crate::auth::{AdminUser, AuthUser};
use crate::db::{Db, HouseholdId, UserId};
use crate::error::{ApiError, FieldError};
use crate::http::request_meta::RequestMeta;
use crate::idempotency;
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::validation::Valid;

fn field(name: &str, code: &str, message: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(name, code, message)])
}

/// Award points to a member, directly or by rule × quantity. Send an
/// `Idempotency-Key` so a retried request never awards twice.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "award_points",
    summary = "Award points",
    request_body = AwardRequest,
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255, pattern = r"^[!-~]+$", description = "1-255 visible ASCII characters; retries with the same key and body replay the first response.")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The ledger entry.", body = EntryResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key."))),
        (status = 409, description = "`idempotency_in_progress`: the first request with this key is still running.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (also `user_id: unknown_user`, `rule_id: unknown_rule`, exactly one of amount or rule + quantity) or `idempotency_key_reused`.", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let quantity = match &body.quantity {
        // A malformed quantity is a bad request; a well-formed one out of range
        // is a field error, like any other rule the schema cannot state.
        Some(text) => Some(text.parse::<Quantity>().map_err(|e| match e {
            QuantityError::OutOfRange => field("quantity", "out_of_range", &e.to_string()),
            _ => ApiError::bad_request(format!("quantity {e}")),
        })?),
        None => None,
    };
    match (body.amount, &body.rule_id, quantity) {
        (Some(_), None, None) if body.reason.is_none() => {
            return Err(field(
                "reason",
                "required",
                "is required with a direct amount",
            ));
        }
        (Some(_), None, None) | (None, Some(_), Some(_)) => {}
        _ => {
            return Err(field(
                "amount",
                "invalid_combination",
                "send either amount, or rule_id and quantity",
            ));
        }
    }
    let scope = ctx.clone();
    idempotency::run(
        &db,
        &req,
        &ctx,
        "points.award",
        StatusCode::CREATED,
        move |conn| {
            let (amount, rule) = match (body.amount, &body.rule_id, quantity) {
                (Some(amount), _, _) => (amount, None),
                (None, Some(rule_id), Some(quantity)) => {
                    let rule = rules::get(conn, &scope.tenant_id, rule_id)?
                        .filter(|r| r.archived_at.is_none())
                        .ok_or_else(|| {
                            field(
                                "rule_id",
                                "unknown_rule",
                                "no active rule of this organisation has this id",
                            )
                        })?;
                    let points = quantity.points(rule.points_per_unit);
                    if points == 0 {
                        return Err(field(
                            "quantity",
                            "too_small",
                            "earns no points at this rule's rate",
                        ));
                    }
                    (points, Some((rule.id, quantity.milli())))
                }
                _ => unreachable!("checked above"),
            };
            if crate::identity::users::get(conn, &scope.tenant_id, &body.user_id)?.is_none() {
                return Err(field(
                    "user_id",
                    "unknown_user",
                    "no user of this organisation has this id",
                ));
            }
            let entry = post_entry(
                conn,
                &scope.tenant_id,
                Posting {
                    user: &body.user_id,
                    amount,
                    kind: EntryKind::Award,
                    reason: body.reason.as_deref(),
                    rule: rule.as_ref().map(|(id, q)| (id, *q)),
                    source: None,
                    reverses: None,
                    earned: EntryKind::Award.earned(amount),
                    actor: Some(&scope.user_id),
                },
            )?;
            audit::record(
                conn,
                &scope.tenant_id,
                AuditEntry::new("points.award", &meta)
                    .by(&scope.user_id)
                    .on("point_entry", entry.id.as_str()),
            )?;
            serde_json::to_value(EntryResponse::from(entry))
                .map_err(|e| ApiError::internal(format!("serialise entry: {e}")))
        },
    )
    .await
}

fn page_of(rows: Vec<super::model::PointEntry>, page: &PageRequest) -> Page<EntryResponse> {
    Page::from_rows(
        rows,
        page,
        |e| (e.created_at, e.id.to_string()),
        EntryResponse::from,
    )
}

/// The caller's own ledger, newest first.
#[utoipa::path(
    tag = "points",
    operation_id = "list_my_entries",
    summary = "List my point entries",
    params(PageQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of entries.", body = Page<EntryResponse>))
)]
#[get("/points/entries")]
pub async fn my_entries(
    AuthUser(ctx): AuthUser,
    query: web::Query<PageQuery>,
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

/// The tenant's ledger, newest first, with filters.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "list_point_entries",
    summary = "List point entries",
    params(EntriesQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of entries.", body = Page<EntryResponse>))
)]
#[get("/admin/points/entries")]
pub async fn all_entries(
    AdminUser(ctx): AdminUser,
    query: web::Query<EntriesQuery>,
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
