//! The ledger: the one way points move, and one page of entries for a
//! member or for the admin's filters.

use crate::db::{DbConnection, TenantId};
use crate::error::ApiError;
use crate::export::{ExportRange, Position};
use crate::outbox;
use crate::pagination::{Page, PageRequest};
use crate::points::dto::{EntriesQuery, EntryResponse, LedgerRow};
use crate::points::model::PointEntry;
use crate::points::repo::entries::{self, EntryFilter};
use crate::points::repo::ledger::{self, Posting};
use crate::tenants;

/// Writes the entry, moves the balance and tells the outside (call inside
/// `write_tx`): every award, adjustment and reversal, whichever area posts
/// it, leaves its event in the same transaction.
pub fn post(
    conn: &mut DbConnection,
    tenant: &TenantId,
    posting: Posting<'_>,
) -> Result<PointEntry, ApiError> {
    let entry = ledger::post(conn, tenant, posting)?;
    if let Some(event) = entry.kind.event() {
        outbox::emit(conn, tenant, event, &EntryResponse::from(entry.clone()))?;
    }
    Ok(entry)
}

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

/// The next chunk of `ledger.csv`: the entries of `range` (on the tenant's
/// calendar) after `after`, oldest first.
pub fn export_chunk(
    conn: &mut DbConnection,
    tenant: &TenantId,
    range: &ExportRange,
    after: Option<&Position>,
) -> Result<Vec<LedgerRow>, ApiError> {
    let calendar = tenants::calendar(conn, tenant)?;
    let span = calendar.span(range.from, range.to);
    Ok(entries::export_chunk(conn, tenant, span, after)?
        .into_iter()
        .map(|(entry, display_name)| LedgerRow {
            local_date: calendar.local_date(entry.created_at),
            entry,
            display_name,
        })
        .collect())
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
