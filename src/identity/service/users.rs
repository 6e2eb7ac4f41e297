//! Admins' management of the tenant's users: lists, changes of name, role
//! and status, approvals and password reset codes, each audited.

use chrono::{Duration, NaiveDateTime};

use crate::audit::{self, AuditEntry};
use crate::auth::{Role, TenantCtx, UserStatus, tokens};
use crate::clock;
use crate::codes::random_code;
use crate::db::{DbConnection, SessionId, UserId};
use crate::error::{ApiError, ErrorCode};
use crate::identity::dto::{UpdateUserRequest, UserResponse};
use crate::identity::model::User;
use crate::identity::repo::users::UserFilter;
use crate::identity::repo::{credentials, sessions, users};
use crate::identity::rules::{self, RESET_CODE_LENGTH};
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;

/// The tenant's user `id`, or 404.
pub fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &UserId) -> Result<User, ApiError> {
    users::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// One page of the tenant's users matching `filter`, newest first.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    filter: &UserFilter,
    page: &PageRequest,
) -> Result<Page<UserResponse>, ApiError> {
    let rows = users::list(conn, &ctx.tenant_id, filter, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |u| (u.created_at, u.id.to_string()),
        UserResponse::from,
    ))
}

/// Changes a user's name, role, scopes or status. Returns the user and the sessions
/// whose cached role or status this instance must forget now (other
/// instances notice within the session cache's TTL).
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &UserId,
    body: &UpdateUserRequest,
    meta: &RequestMeta,
) -> Result<(User, Vec<SessionId>), ApiError> {
    let wanted_status = body.status.map(UserStatus::from);
    rules::ensure_not_self_demotion(&ctx.user_id, id, body.role, wanted_status)?;
    let before = find(conn, ctx, id)?;
    if body.role.is_some_and(|r| r != Role::User) || body.scopes.is_some() {
        rules::ensure_has_login(before.kind)?;
    }
    if let Some(name) = &body.display_name {
        let change = users::ProfileChange {
            display_name: Some(name.trim()),
            ..Default::default()
        };
        users::update_profile(conn, &ctx.tenant_id, id, &change)?;
        audit::admin_action(conn, ctx, "user.update", "user", id.as_str(), meta)?;
    }
    let role_after = body.role.unwrap_or(before.role);
    let scopes_after = rules::scopes_for(role_after, body.scopes, before.scopes)?;
    let role = body.role.filter(|r| *r != before.role);
    let scopes = Some(scopes_after).filter(|s| *s != before.scopes);
    let status = wanted_status.filter(|s| *s != before.status);
    if role.is_some() || scopes.is_some() || status.is_some() {
        users::update_access(conn, &ctx.tenant_id, id, role, scopes, status)?;
    }
    let mut changed = Vec::new();
    if role.is_some() || scopes.is_some() {
        let now = format!("role {role_after}, scopes [{scopes_after}]");
        audit::record(
            conn,
            &ctx.tenant_id,
            AuditEntry::new("user.role_change", meta)
                .by(&ctx.user_id)
                .on("user", id.as_str())
                .because(&now),
        )?;
        changed = sessions::live_ids(conn, &ctx.tenant_id, id)?;
    }
    match status {
        Some(UserStatus::Suspended) => {
            changed = sessions::revoke_all(conn, &ctx.tenant_id, id, None, "suspended")?;
            audit::admin_action(conn, ctx, "user.suspend", "user", id.as_str(), meta)?;
        }
        Some(_) => audit::admin_action(conn, ctx, "user.reactivate", "user", id.as_str(), meta)?,
        None => {}
    }
    Ok((find(conn, ctx, id)?, changed))
}

/// Lets a pending user in (409 `not_pending` for anyone else).
pub fn approve(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &UserId,
    meta: &RequestMeta,
) -> Result<User, ApiError> {
    if users::approve(conn, &ctx.tenant_id, id)? == 0 {
        find(conn, ctx, id)?;
        return Err(ApiError::new(ErrorCode::NotPending)
            .with_detail("This user is not waiting for approval."));
    }
    audit::admin_action(conn, ctx, "user.approve", "user", id.as_str(), meta)?;
    find(conn, ctx, id)
}

/// Issues a one-time password reset code for user `id`, valid for `ttl_secs`;
/// only its hash is stored. Returns the code and when it expires.
pub fn issue_reset_code(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &UserId,
    ttl_secs: u64,
    meta: &RequestMeta,
) -> Result<(String, NaiveDateTime), ApiError> {
    let code = random_code(RESET_CODE_LENGTH);
    let hash = tokens::hash_token(&code);
    let ttl = i64::try_from(ttl_secs).unwrap_or(3600);
    let expires_at = clock::now() + Duration::seconds(ttl);
    rules::ensure_has_login(find(conn, ctx, id)?.kind)?;
    credentials::issue_reset_code(conn, &ctx.tenant_id, id, &ctx.user_id, &hash, expires_at)?;
    audit::admin_action(
        conn,
        ctx,
        "user.password_reset_code",
        "user",
        id.as_str(),
        meta,
    )?;
    Ok((code, expires_at))
}
