//! `GET /admin/points/entries`: the tenant's ledger.

use actix_web::{get, web};

use crate::auth::AdminUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::pagination::{Page, PageQuery};
use crate::points::dto::{EntriesQuery, EntryResponse};
use crate::points::service::ledger;

/// List point entries
///
/// The tenant's ledger, newest first, with filters.
#[utoipa::path(
    tag = "admin-points",
    operation_id = "list_point_entries",
    params(EntriesQuery, PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "One page of entries.", body = Page<EntryResponse>))
)]
#[get("/admin/points/entries")]
pub async fn all_entries(
    AdminUser(ctx): AdminUser,
    Paged { page, filters }: Paged<EntriesQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<EntryResponse>>, ApiError> {
    let entries = db
        .read_may_lag(move |conn| ledger::for_admin(conn, &ctx.tenant_id, &filters, &page))
        .await?;
    Ok(web::Json(entries))
}
