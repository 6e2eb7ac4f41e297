//! The caller's own account: profile, password, sessions and member code.

use crate::audit::{self, AuditEntry};
use crate::auth::{Auth, TenantCtx, password};
use crate::db::{Db, DbConnection, SessionId};
use crate::error::{ApiError, FieldError};
use crate::households;
use crate::identity::dto::{
    ChangePasswordRequest, CodeResponse, HouseholdSummary, MeResponse, Notifications,
    SessionResponse, UpdateMeRequest,
};
use crate::identity::repo::users::ProfileChange;
use crate::identity::repo::{sessions, users};
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;

/// The caller with their household.
pub fn me(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<MeResponse, ApiError> {
    let user = users::get(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)?;
    let household = match &user.household_id {
        Some(id) => households::household(conn, &ctx.tenant_id, id)?.map(|h| HouseholdSummary {
            id: h.id.into(),
            name: h.name,
        }),
        None => None,
    };
    let notifications = Notifications {
        dues: user.notify_dues,
        rewards: user.notify_rewards,
    };
    Ok(MeResponse {
        user: user.into(),
        household,
        notifications,
    })
}

/// Changes the caller's display name, phone or notifications.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &UpdateMeRequest,
) -> Result<MeResponse, ApiError> {
    let notifications = body.notifications.as_ref();
    let change = ProfileChange {
        display_name: body.display_name.as_deref().map(str::trim),
        phone: body.phone.as_ref().map(|p| p.as_deref()),
        notify_dues: notifications.and_then(|n| n.dues),
        notify_rewards: notifications.and_then(|n| n.rewards),
    };
    users::update_profile(conn, &ctx.tenant_id, &ctx.user_id, &change)?;
    me(conn, ctx)
}

/// Changes the caller's password after checking the current one; every other
/// session of theirs ends, on every instance within the session cache's TTL
/// and on this one at once.
pub async fn change_password(
    db: &Db,
    auth: &Auth,
    ctx: TenantCtx,
    body: ChangePasswordRequest,
    meta: RequestMeta,
) -> Result<(), ApiError> {
    let me = {
        let ctx = ctx.clone();
        db.read(move |conn| {
            users::get(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)
        })
        .await?
    };
    password::check_policy(
        "new_password",
        &body.new_password,
        &[me.email.as_deref().unwrap_or_default(), &me.display_name],
    )
    .map_err(|e| ApiError::validation(vec![e]))?;
    let verified = auth
        .passwords
        .verify(body.current_password, me.password_hash)
        .await?;
    if !verified.matches {
        return Err(ApiError::validation(vec![FieldError::new(
            "current_password",
            "incorrect",
            "is not your current password",
        )]));
    }
    let hash = auth.passwords.hash(body.new_password).await?;
    let ended = db
        .write(move |conn| {
            users::set_password_hash(conn, &ctx.tenant_id, &ctx.user_id, &hash)?;
            let ended = sessions::revoke_all(
                conn,
                &ctx.tenant_id,
                &ctx.user_id,
                Some(&ctx.session_id),
                "password_change",
            )?;
            let entry = AuditEntry::new("user.password_change", &meta).by(&ctx.user_id);
            audit::record(conn, &ctx.tenant_id, entry.on("user", ctx.user_id.as_str()))?;
            Ok(ended)
        })
        .await?;
    auth.sessions.invalidate(&ended);
    Ok(())
}

/// One page of the caller's live sessions, the current one marked.
pub fn sessions(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    page: &PageRequest,
) -> Result<Page<SessionResponse>, ApiError> {
    let rows = sessions::list_live(conn, &ctx.tenant_id, &ctx.user_id, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |s| (s.created_at, s.id.to_string()),
        |s| SessionResponse::new(s, &ctx.session_id),
    ))
}

/// Ends one of the caller's sessions (404 when it is not theirs or already
/// ended).
pub fn revoke_session(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    session: &SessionId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    if !sessions::revoke(
        conn,
        &ctx.tenant_id,
        &ctx.user_id,
        session,
        "revoked_by_user",
    )? {
        return Err(ApiError::not_found());
    }
    let entry = AuditEntry::new("auth.session_revoke", meta).by(&ctx.user_id);
    audit::record(conn, &ctx.tenant_id, entry.on("session", session.as_str()))?;
    Ok(())
}

/// A fresh member code for the caller to show at the door, valid from
/// `unix_secs` for the configured time.
pub fn member_code(auth: &Auth, ctx: &TenantCtx, unix_secs: u64) -> Result<CodeResponse, ApiError> {
    let (code, expires) = auth
        .member_codes
        .issue(&ctx.tenant_id, &ctx.user_id, unix_secs);
    let expires_at = chrono::DateTime::from_timestamp(i64::try_from(expires).unwrap_or(0), 0)
        .ok_or_else(|| ApiError::internal("member code expiry out of range"))?
        .naive_utc();
    Ok(CodeResponse { code, expires_at })
}
