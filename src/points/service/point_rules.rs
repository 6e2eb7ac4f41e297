//! The tenant's point rules: "PET bottles, per kg, 10 points". Archived rules
//! are kept as history (past awards name them) and no longer change.

use crate::audit;
use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{DbConnection, PointRuleId, TenantId};
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::points::dto::{CreateRuleRequest, RuleResponse, UpdateRuleRequest};
use crate::points::model::PointRule;
use crate::points::repo::point_rules;
use crate::points::rules;
use crate::request_context::RequestMeta;

fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &PointRuleId) -> Result<PointRule, ApiError> {
    point_rules::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// One page of the tenant's rules, live or (`archived`) archived ones.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    archived: bool,
    page: &PageRequest,
) -> Result<Page<RuleResponse>, ApiError> {
    let rows = point_rules::list(conn, tenant, archived, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.to_string()),
        RuleResponse::from,
    ))
}

/// Adds a rule.
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &CreateRuleRequest,
    meta: &RequestMeta,
) -> Result<PointRule, ApiError> {
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
    audit::admin_action(
        conn,
        ctx,
        "point_rule.create",
        "point_rule",
        rule.id.as_str(),
        meta,
    )?;
    find(conn, ctx, &rule.id)
}

/// Changes what the request names of a live rule.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &PointRuleId,
    body: &UpdateRuleRequest,
    meta: &RequestMeta,
) -> Result<PointRule, ApiError> {
    rules::ensure_rule_live(&find(conn, ctx, id)?)?;
    point_rules::update(
        conn,
        &ctx.tenant_id,
        id,
        body.name.as_deref().map(str::trim),
        body.unit.as_deref().map(str::trim),
        body.points_per_unit,
    )?;
    audit::admin_action(
        conn,
        ctx,
        "point_rule.update",
        "point_rule",
        id.as_str(),
        meta,
    )?;
    find(conn, ctx, id)
}

/// Archives a rule; archiving twice is a no-op.
pub fn archive(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &PointRuleId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    find(conn, ctx, id)?;
    if point_rules::archive(conn, &ctx.tenant_id, id)? == 1 {
        audit::admin_action(
            conn,
            ctx,
            "point_rule.archive",
            "point_rule",
            id.as_str(),
            meta,
        )?;
    }
    Ok(())
}
