//! `/admin/point-rules…`: the tenant's point rules.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::auth::{AdminUser, StaffUser, desk};
use crate::db::{Db, PointRuleId};
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::pagination::{Page, PageQuery};
use crate::points::dto::{CreateRuleRequest, RuleResponse, RulesQuery, UpdateRuleRequest};
use crate::points::service::point_rules as rules_service;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// List point rules
///
/// The tenant's point rules, newest first (archived ones with `archived=true`).
#[utoipa::path(
    tag = "admin-points",
    operation_id = "list_point_rules",
    params(RulesQuery, PageQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["points"])),
    responses((status = 200, description = "One page of rules.", body = Page<RuleResponse>))
)]
#[get("/admin/point-rules")]
pub async fn list(
    StaffUser(ctx, _): StaffUser<desk::Points>,
    Paged { page, filters }: Paged<RulesQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<RuleResponse>>, ApiError> {
    let archived = filters.archived.unwrap_or(false);
    let rules = db
        .read(move |conn| rules_service::list(conn, &ctx.tenant_id, archived, &page))
        .await?;
    Ok(web::Json(rules))
}

/// Create a point rule
///
/// Create a rule that awards points per unit of something measurable ("PET
/// bottles, per kg"); awards by rule multiply it by a quantity.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "create_point_rule",
    request_body = CreateRuleRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "Created.", body = RuleResponse,
         links(
            ("UpdateRule" = (operation_id = "update_point_rule", parameters(("id" = "$response.body#/id")))),
            ("ArchiveRule" = (operation_id = "archive_point_rule", parameters(("id" = "$response.body#/id"))))
         )),
    )
)]
#[post("/admin/point-rules")]
pub async fn create(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateRuleRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let rule = db
        .write(move |conn| rules_service::create(conn, &ctx, &body, &meta))
        .await?;
    Ok(HttpResponse::Created().json(RuleResponse::from(rule)))
}

/// Update a point rule
///
/// Change a rule; awards already made keep their points.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "update_point_rule",
    params(("id" = String, Path, format = Uuid, description = "Rule id")),
    request_body = UpdateRuleRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The updated rule.", body = RuleResponse),
        (status = 409, description = "`rule_archived`."),
    )
)]
#[patch("/admin/point-rules/{id}")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    id: web::Path<PointRuleId>,
    Valid(body): Valid<UpdateRuleRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<RuleResponse>, ApiError> {
    let id = id.into_inner();
    let rule = db
        .write(move |conn| rules_service::update(conn, &ctx, &id, &body, &meta))
        .await?;
    Ok(web::Json(rule.into()))
}

/// Archive a point rule
///
/// Archive a rule: no new awards by it; past awards are untouched. Idempotent.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "archive_point_rule",
    params(("id" = String, Path, format = Uuid, description = "Rule id")),
    security(("bearer" = ["admin"])),
    responses((status = 204, description = "Archived."))
)]
#[delete("/admin/point-rules/{id}")]
pub async fn archive(
    AdminUser(ctx): AdminUser,
    id: web::Path<PointRuleId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| rules_service::archive(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
