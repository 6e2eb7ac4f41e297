//! Badge card rows: whose card a badge id is and whether it is still live.
//! The code itself is never stored (see `auth::badge_code`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::badges;
use crate::db::{BadgeId, DbConnection, TenantId, UserId};

/// A card to record.
#[derive(Debug, Insertable)]
#[diesel(table_name = badges)]
pub struct NewBadge<'a> {
    /// Id (the code names it).
    pub id: &'a BadgeId,
    /// Tenant.
    pub tenant_id: &'a TenantId,
    /// Whose card.
    pub user_id: &'a UserId,
    /// The admin who printed it.
    pub issued_by: &'a UserId,
    /// When.
    pub issued_at: NaiveDateTime,
}

/// Records a card.
pub fn insert(conn: &mut DbConnection, badge: &NewBadge<'_>) -> QueryResult<()> {
    diesel::insert_into(badges::table)
        .values(badge)
        .execute(conn)
        .map(drop)
}

/// Revokes `user`'s live card, if any; how many were revoked (0 or 1).
pub fn revoke_live(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
) -> QueryResult<usize> {
    diesel::update(
        badges::table
            .filter(badges::tenant_id.eq(tenant))
            .filter(badges::user_id.eq(user))
            .filter(badges::revoked_at.is_null()),
    )
    .set(badges::revoked_at.eq(clock::now()))
    .execute(conn)
}

/// Whose live card `badge` is; `None` when it was revoked or never issued here.
pub fn live_holder(
    conn: &mut DbConnection,
    tenant: &TenantId,
    badge: &BadgeId,
) -> QueryResult<Option<UserId>> {
    badges::table
        .filter(badges::tenant_id.eq(tenant))
        .filter(badges::id.eq(badge))
        .filter(badges::revoked_at.is_null())
        .select(badges::user_id)
        .first(conn)
        .optional()
}
