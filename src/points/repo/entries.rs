//! Ledger reads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{point_entries, users};
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::export::Position;
use crate::pagination::PageRequest;
use crate::points::model::{EntryKind, PointEntry};

/// Filters of the admin ledger.
#[derive(Debug, Default, Clone)]
pub struct EntryFilter {
    /// Only this member.
    pub user_id: Option<UserId>,
    /// Only this household.
    pub household_id: Option<HouseholdId>,
    /// Only this kind.
    pub kind: Option<EntryKind>,
    /// At or after.
    pub from: Option<NaiveDateTime>,
    /// Before.
    pub to: Option<NaiveDateTime>,
}

/// One page of the tenant's ledger, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &EntryFilter,
    page: &PageRequest,
) -> QueryResult<Vec<PointEntry>> {
    let mut query = point_entries::table
        .filter(point_entries::tenant_id.eq(tenant))
        .select(PointEntry::as_select())
        .into_boxed();
    if let Some(user) = &filter.user_id {
        query = query.filter(point_entries::user_id.eq(user.clone()));
    }
    if let Some(household) = &filter.household_id {
        query = query.filter(point_entries::household_id.eq(household.clone()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(point_entries::kind.eq(kind.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(point_entries::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(point_entries::created_at.lt(to));
    }
    crate::paginate!(query, point_entries, page).load(conn)
}

/// The next chunk of the tenant's ledger in `[from, to)` after `after`,
/// oldest first, with each member's display name.
pub fn export_chunk(
    conn: &mut DbConnection,
    tenant: &TenantId,
    (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
    after: Option<&Position>,
) -> QueryResult<Vec<(PointEntry, String)>> {
    let mut query = point_entries::table
        .inner_join(crate::same_tenant!(users on point_entries.user_id))
        .filter(point_entries::tenant_id.eq(tenant))
        .select((PointEntry::as_select(), users::display_name))
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(point_entries::created_at.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(point_entries::created_at.lt(to));
    }
    crate::chunk_after!(query, point_entries::created_at, point_entries::id, after).load(conn)
}

/// The entry `id` of the tenant.
pub fn get(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &crate::db::PointEntryId,
) -> QueryResult<Option<PointEntry>> {
    point_entries::table
        .filter(point_entries::tenant_id.eq(tenant))
        .filter(point_entries::id.eq(id))
        .select(PointEntry::as_select())
        .first(conn)
        .optional()
}

/// Whether `id` has already been reversed.
pub fn is_reversed(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &crate::db::PointEntryId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        point_entries::table
            .filter(point_entries::tenant_id.eq(tenant))
            .filter(point_entries::reverses_id.eq(id)),
    ))
    .get_result(conn)
}
