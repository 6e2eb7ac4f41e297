//! `attendance.csv`: the records of the events in a range, chunk by chunk.

use crate::attendance::dto::AttendanceRow;
use crate::attendance::repo;
use crate::db::{DbConnection, TenantId};
use crate::error::ApiError;
use crate::export::{ExportRange, Position};
use crate::tenants;

/// The next chunk of `attendance.csv`: the records of the events starting in
/// `range` (on the tenant's calendar) after `after`, by the events' start.
pub fn export_chunk(
    conn: &mut DbConnection,
    tenant: &TenantId,
    range: &ExportRange,
    after: Option<&Position>,
) -> Result<Vec<AttendanceRow>, ApiError> {
    let calendar = tenants::calendar(conn, tenant)?;
    let span = calendar.span(range.from, range.to);
    Ok(repo::export_chunk(conn, tenant, span, after)?
        .into_iter()
        .map(
            |(record, (event_title, event_starts_at), display_name)| AttendanceRow {
                record,
                event_title,
                local_date: calendar.local_date(event_starts_at),
                event_starts_at,
                display_name,
            },
        )
        .collect())
}
