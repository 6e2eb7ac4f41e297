//! `GET /admin/audit-events`.

use actix_web::{get, web};

use crate::audit::dto::{AuditEventResponse, AuditQuery};
use crate::audit::repo::{self, AuditFilter};
use crate::auth::AdminUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::pagination::{Page, PageQuery};

/// List audit events
///
/// The tenant's audit trail, newest first.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_events",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of events.", body = Page<AuditEventResponse>),
    )
)]
#[get("/admin/audit-events")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<AuditQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<AuditEventResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let filter = AuditFilter {
        actor_id: query.actor_id,
        action: query.action,
        target_id: query.target_id,
        from: query.from.map(|t| t.naive_utc()),
        to: query.to.map(|t| t.naive_utc()),
    };
    let request = page.clone();
    let rows = db
        .read(move |conn| Ok(repo::list(conn, &ctx.tenant_id, &filter, &request)?))
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |e| (e.created_at, e.id.to_string()),
        AuditEventResponse::from,
    )))
}
