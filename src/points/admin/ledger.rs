//! `GET /admin/points/entries` and `GET /admin/exports/ledger.csv`: the
//! tenant's ledger.

use actix_web::{HttpResponse, get, web};

use crate::auth::AdminUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::export::ExportRange;
use crate::http::csv_download::csv_download;
use crate::http::extractors::{Paged, Query};
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

/// Export the ledger as CSV
///
/// Every ledger entry in `[from, to)` (all of them without), oldest first,
/// as `text/csv` (RFC 4180, UTF-8, a header row), streamed. Columns:
/// entry_id, created_at (UTC, RFC 3339), local_date (the organisation's
/// day), user_id, display_name, household_id, kind, amount, balance_after,
/// reason, rule_id, quantity, source_type, source_id, reverses_id, actor_id.
/// Text a spreadsheet would run as a formula (starting with = + - @) is
/// prefixed with a single quote.
#[utoipa::path(
    tag = "admin-exports",
    operation_id = "export_ledger",
    params(ExportRange),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "The ledger as CSV.", content_type = "text/csv", body = String,
        example = "entry_id,created_at,local_date,user_id,display_name,household_id,kind,amount,balance_after,reason,rule_id,quantity,source_type,source_id,reverses_id,actor_id\r\n0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b,2026-11-22T08:30:00Z,2026-11-22,0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01,Ann Okafor,,award,23,123,Recycling drop-off,,,,,,0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a02\r\n"))
)]
#[get("/admin/exports/ledger.csv")]
pub async fn export_ledger(
    AdminUser(ctx): AdminUser,
    range: Query<ExportRange>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let range = range.into_inner();
    csv_download(db.get_ref().clone(), "ledger.csv", move |conn, after| {
        ledger::export_chunk(conn, &ctx.tenant_id, &range, after)
    })
    .await
}
