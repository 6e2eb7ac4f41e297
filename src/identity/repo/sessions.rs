//! Sessions (one per signed-in device) and their rotating refresh tokens.
//!
//! A refresh token is used once: presenting it marks it used (a conditional update,
//! so two racing presentations cannot both win) and issues a child. Presenting an
//! already-used token means it was stolen or replayed, so the whole session is
//! revoked (RFC 9700 §4.14.2).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::{refresh_tokens, sessions};
use crate::db::{DbConnection, RefreshTokenId, SessionId, TenantId, UserId};
use crate::pagination::PageRequest;

/// A stored session.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    /// Id.
    pub id: SessionId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Owner.
    pub user_id: UserId,
    /// Device description (from the User-Agent).
    pub device: Option<String>,
    /// Client IP at sign-in.
    pub ip: Option<String>,
    /// Sign-in time.
    pub created_at: NaiveDateTime,
    /// Last token refresh.
    pub last_used_at: NaiveDateTime,
    /// When it ended, if it did.
    pub revoked_at: Option<NaiveDateTime>,
    /// Why it ended.
    pub revoked_reason: Option<String>,
}

/// Starts a session.
pub fn create(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    device: Option<&str>,
    ip: Option<&str>,
) -> QueryResult<SessionId> {
    let id = SessionId::new();
    let now = clock::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::tenant_id.eq(tenant),
            sessions::user_id.eq(user),
            sessions::device.eq(device),
            sessions::ip.eq(ip),
            sessions::created_at.eq(now),
            sessions::last_used_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Ends one session of `user`; false when it is not theirs or already ended.
pub fn revoke(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    session: &SessionId,
    reason: &str,
) -> QueryResult<bool> {
    let target = sessions::table
        .filter(sessions::tenant_id.eq(tenant))
        .filter(sessions::user_id.eq(user))
        .filter(sessions::id.eq(session))
        .filter(sessions::revoked_at.is_null());
    let n = diesel::update(target)
        .set((
            sessions::revoked_at.eq(clock::now()),
            sessions::revoked_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Ends every live session of `user` except `keep`; returns the ended ids.
pub fn revoke_all(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    keep: Option<&SessionId>,
    reason: &str,
) -> QueryResult<Vec<SessionId>> {
    let mut live = live_ids(conn, tenant, user)?;
    live.retain(|id| Some(id) != keep);
    if live.is_empty() {
        return Ok(live);
    }
    diesel::update(
        sessions::table
            .filter(sessions::tenant_id.eq(tenant))
            .filter(sessions::id.eq_any(&live))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(clock::now()),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(live)
}

/// Ids of the user's live sessions.
pub fn live_ids(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
) -> QueryResult<Vec<SessionId>> {
    sessions::table
        .filter(sessions::tenant_id.eq(tenant))
        .filter(sessions::user_id.eq(user))
        .filter(sessions::revoked_at.is_null())
        .select(sessions::id)
        .load(conn)
}

/// One page of the user's live sessions, newest first.
pub fn list_live(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    page: &PageRequest,
) -> QueryResult<Vec<Session>> {
    let query = sessions::table
        .filter(sessions::tenant_id.eq(tenant))
        .filter(sessions::user_id.eq(user))
        .filter(sessions::revoked_at.is_null())
        .select(Session::as_select())
        .into_boxed();
    crate::paginate!(query, sessions, page).load(conn)
}

/// A stored refresh token.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    /// Id.
    pub id: RefreshTokenId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Session it belongs to.
    pub session_id: SessionId,
    /// Expiry.
    pub expires_at: NaiveDateTime,
    /// When it was exchanged, if it was.
    pub used_at: Option<NaiveDateTime>,
}

/// Stores a refresh token's hash.
pub fn insert_refresh(
    conn: &mut DbConnection,
    tenant: &TenantId,
    session: &SessionId,
    hash: &str,
    parent: Option<&RefreshTokenId>,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(RefreshTokenId::new()),
            refresh_tokens::tenant_id.eq(tenant),
            refresh_tokens::session_id.eq(session),
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::parent_id.eq(parent),
            refresh_tokens::created_at.eq(clock::now()),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// The refresh token of `tenant` with this hash (the token names its tenant:
/// it is presented without an access token).
pub fn find_refresh(
    conn: &mut DbConnection,
    tenant: &TenantId,
    hash: &str,
) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::tenant_id.eq(tenant))
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()
}

/// Marks a refresh token used; false when someone else used it first.
pub fn use_refresh(conn: &mut DbConnection, token: &RefreshToken) -> QueryResult<bool> {
    let target = refresh_tokens::table
        .filter(refresh_tokens::tenant_id.eq(&token.tenant_id))
        .filter(refresh_tokens::id.eq(&token.id))
        .filter(refresh_tokens::used_at.is_null());
    let n = diesel::update(target)
        .set(refresh_tokens::used_at.eq(clock::now()))
        .execute(conn)?;
    Ok(n == 1)
}

/// The live session a refresh token belongs to, with its user.
pub fn live_session(
    conn: &mut DbConnection,
    tenant: &TenantId,
    session: &SessionId,
) -> QueryResult<Option<Session>> {
    sessions::table
        .filter(sessions::tenant_id.eq(tenant))
        .filter(sessions::id.eq(session))
        .filter(sessions::revoked_at.is_null())
        .select(Session::as_select())
        .first(conn)
        .optional()
}

/// Records a refresh on the session.
pub fn touch(conn: &mut DbConnection, tenant: &TenantId, session: &SessionId) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .filter(sessions::tenant_id.eq(tenant))
            .filter(sessions::id.eq(session)),
    )
    .set(sessions::last_used_at.eq(clock::now()))
    .execute(conn)
    .map(drop)
}
