//! Printing and revoking badge cards, each audited. Issuing again revokes the
//! card before: a person has one live card.

use crate::audit;
use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{BadgeId, DbConnection, UserId};
use crate::error::ApiError;
use crate::identity::dto::IssuedBadge;
use crate::identity::repo::badges::{self, NewBadge};
use crate::identity::service::users::find;
use crate::request_context::RequestMeta;

/// Issues a new card to user `id` (a member or a dependant), revoking any
/// card they held. The answer has no code: the handler derives it.
pub fn issue(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &UserId,
    meta: &RequestMeta,
) -> Result<IssuedBadge, ApiError> {
    find(conn, ctx, id)?;
    badges::revoke_live(conn, &ctx.tenant_id, id)?;
    let badge = BadgeId::new();
    let issued_at = clock::now();
    badges::insert(
        conn,
        &NewBadge {
            id: &badge,
            tenant_id: &ctx.tenant_id,
            user_id: id,
            issued_by: &ctx.user_id,
            issued_at,
        },
    )?;
    audit::admin_action(conn, ctx, "user.badge_issue", "user", id.as_str(), meta)?;
    Ok(IssuedBadge {
        badge_id: badge.into(),
        user_id: id.to_string(),
        issued_at,
    })
}

/// Revokes user `id`'s card; nothing to revoke is no error (and no event).
pub fn revoke(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &UserId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    find(conn, ctx, id)?;
    if badges::revoke_live(conn, &ctx.tenant_id, id)? > 0 {
        audit::admin_action(conn, ctx, "user.badge_revoke", "user", id.as_str(), meta)?;
    }
    Ok(())
}
