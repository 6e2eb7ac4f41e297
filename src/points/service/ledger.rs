//! Ledger reads: one page of entries, for a member or for the admin's filters.

use crate::db::{DbConnection, TenantId};
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::points::dto::{EntriesQuery, EntryResponse};
use crate::points::repo::entries::{self, EntryFilter};
use crate::tenants;

/// `GET /admin/points/entries`: one page of the tenant's ledger matching
/// `query` (its dates on the tenant's calendar), newest first.
pub fn for_admin(
    conn: &mut DbConnection,
    tenant: &TenantId,
    query: &EntriesQuery,
    page: &PageRequest,
) -> Result<Page<EntryResponse>, ApiError> {
    let calendar = tenants::calendar_for(conn, tenant, &[query.from, query.to])?;
    entries(conn, tenant, &query.clone().into_filter(&calendar), page)
}

/// One page of `tenant`'s entries matching `filter`, newest first.
pub fn entries(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &EntryFilter,
    page: &PageRequest,
) -> Result<Page<EntryResponse>, ApiError> {
    let rows = entries::list(conn, tenant, filter, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |e| (e.created_at, e.id.to_string()),
        EntryResponse::from,
    ))
}
