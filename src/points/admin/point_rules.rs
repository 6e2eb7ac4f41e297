//! `/admin/point-rules…`: the tenant's point rules.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::audit;
use crate::auth::{AdminUser, TenantCtx};
use crate::clock;
use crate::db::{Db, DbConnection, PointRuleId};
use crate::error::{ApiError, ErrorCode};
use crate::http::extractors::Query;
use crate::pagination::{Page, PageQuery};
use crate::points::dto::{CreateRuleRequest, RuleResponse, RulesQuery, UpdateRuleRequest};
use crate::points::model::PointRule;
use crate::points::repo::point_rules;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &PointRuleId) -> Result<PointRule, ApiError> {
    point_rules::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// The rule, if it is not archived: archived rules are kept as history only.
fn find_live(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &PointRuleId,
) -> Result<PointRule, ApiError> {
    let rule = find(conn, ctx, id)?;
    if rule.archived_at.is_some() {
        return Err(ApiError::new(ErrorCode::RuleArchived)
            .with_detail("Archived rules are kept as history and cannot be changed."));
    }
    Ok(rule)
}

fn audit_rule(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    action: &str,
    id: &PointRuleId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    Ok(audit::admin_action(
        conn,
        ctx,
        action,
        "point_rule",
        id.as_str(),
        meta,
    )?)
}

/// List point rules
///
/// The tenant's point rules, newest first (archived ones with `archived=true`).
#[utoipa::path(
    tag = "admin-points",
    operation_id = "list_point_rules",
    params(RulesQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of rules.", body = Page<RuleResponse>))
)]
#[get("/admin/point-rules")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<RulesQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<RuleResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let (request, archived) = (page.clone(), query.archived.unwrap_or(false));
    let rows = db
        .read(move |conn| Ok(point_rules::list(conn, &ctx.tenant_id, archived, &request)?))
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |r| (r.created_at, r.id.to_string()),
        RuleResponse::from,
    )))
}

/// Create a point rule
///
/// Create a rule that awards points per unit of something measurable ("PET
/// bottles, per kg"); awards by rule multiply it by a quantity.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "create_point_rule",
    request_body = CreateRuleRequest,
    security(("bearer" = [])),
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
        .write(move |conn| {
            let now = clock::now();
            let rule = PointRule {
                id: PointRuleId::new(),
                tenant_id: ctx.tenant_id.clone(),
                name: body.name.trim().to_string(),
                unit: body.unit.trim().to_string(),
                points_per_unit: body.points_per_unit,
                archived_at: None,
                created_at: now,
                updated_at: now,
            };
            point_rules::insert(conn, &rule)?;
            audit_rule(conn, &ctx, "point_rule.create", &rule.id, &meta)?;
            find(conn, &ctx, &rule.id)
        })
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
    security(("bearer" = [])),
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
        .write(move |conn| {
            find_live(conn, &ctx, &id)?;
            point_rules::update(
                conn,
                &ctx.tenant_id,
                &id,
                body.name.as_deref().map(str::trim),
                body.unit.as_deref().map(str::trim),
                body.points_per_unit,
            )?;
            audit_rule(conn, &ctx, "point_rule.update", &id, &meta)?;
            find(conn, &ctx, &id)
        })
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
    security(("bearer" = [])),
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
    db.write(move |conn| {
        find(conn, &ctx, &id)?;
        if point_rules::archive(conn, &ctx.tenant_id, &id)? == 1 {
            audit_rule(conn, &ctx, "point_rule.archive", &id, &meta)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
