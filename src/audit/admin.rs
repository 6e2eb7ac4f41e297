//! `GET /admin/audit-events`.

use actix_web::{get, web};

use crate::audit::dto::{AuditEventResponse, AuditQuery};
use crate::audit::service;
use crate::auth::AdminUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::pagination::{Page, PageQuery};

/// List audit events
///
/// The tenant's audit trail, newest first.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_events",
    params(AuditQuery, PageQuery),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "One page of events.", body = Page<AuditEventResponse>),
    )
)]
#[get("/admin/audit-events")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    Paged { page, filters }: Paged<AuditQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<AuditEventResponse>>, ApiError> {
    let events = db
        .read(move |conn| service::list(conn, &ctx.tenant_id, filters, &page))
        .await?;
    Ok(web::Json(events))
}
