//! Login attempts (the account lockout every instance sees), one-time
//! password reset codes, and self-service requests for them (their limits
//! every instance sees).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::{login_attempts, password_reset_codes, password_reset_requests};
use crate::db::{DbConnection, LoginAttemptId, ResetCodeId, ResetRequestId, TenantId, UserId};

/// Records a login attempt for (tenant, email), known account or not.
pub fn record_attempt(
    conn: &mut DbConnection,
    tenant: &TenantId,
    email: &str,
    succeeded: bool,
    ip: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(LoginAttemptId::new()),
            login_attempts::tenant_id.eq(tenant),
            login_attempts::email.eq(email),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::ip.eq(ip),
            login_attempts::created_at.eq(clock::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// Seconds until (tenant, email) may try again, if it is locked out: `max`
/// failures within `window` since the last success lock it until the oldest of
/// them leaves the window.
pub fn locked_for(
    conn: &mut DbConnection,
    tenant: &TenantId,
    email: &str,
    max: u32,
    window: Duration,
) -> QueryResult<Option<u64>> {
    let now = clock::now();
    let since = now - window;
    let last_success: Option<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::tenant_id.eq(tenant))
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(true))
        .filter(login_attempts::created_at.gt(since))
        .select(diesel::dsl::max(login_attempts::created_at))
        .first(conn)?;
    let failures: Vec<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::tenant_id.eq(tenant))
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::created_at.gt(last_success.unwrap_or(since).max(since)))
        .order(login_attempts::created_at.desc())
        .limit(i64::from(max))
        .select(login_attempts::created_at)
        .load(conn)?;
    if failures.len() < max as usize {
        return Ok(None);
    }
    let oldest = failures.last().copied().unwrap_or(now);
    let remaining = (oldest + window - now).num_seconds().max(1);
    Ok(Some(u64::try_from(remaining).unwrap_or(1)))
}

/// Stores a reset code's hash, retiring the user's earlier unused codes.
pub fn issue_reset_code(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    admin: &UserId,
    hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    let now = clock::now();
    diesel::update(
        password_reset_codes::table
            .filter(password_reset_codes::tenant_id.eq(tenant))
            .filter(password_reset_codes::user_id.eq(user))
            .filter(password_reset_codes::used_at.is_null()),
    )
    .set(password_reset_codes::used_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(password_reset_codes::table)
        .values((
            password_reset_codes::id.eq(ResetCodeId::new()),
            password_reset_codes::tenant_id.eq(tenant),
            password_reset_codes::user_id.eq(user),
            password_reset_codes::code_hash.eq(hash),
            password_reset_codes::created_by.eq(admin),
            password_reset_codes::created_at.eq(now),
            password_reset_codes::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// A first reset code to store (only its hash).
#[derive(Debug, Insertable)]
#[diesel(table_name = password_reset_codes, treat_none_as_default_value = false)]
pub struct NewResetCode<'a> {
    /// Id (an invite's code is derived from it).
    pub id: &'a ResetCodeId,
    /// Tenant.
    pub tenant_id: &'a TenantId,
    /// Whose.
    pub user_id: &'a UserId,
    /// SHA-256 of the code.
    pub code_hash: String,
    /// The admin who handed it out.
    pub created_by: &'a UserId,
    /// When.
    pub created_at: NaiveDateTime,
    /// Until when it works.
    pub expires_at: NaiveDateTime,
}

/// Stores the first reset codes of new users (nothing to retire).
pub fn insert_first_codes(conn: &mut DbConnection, rows: &[NewResetCode<'_>]) -> QueryResult<()> {
    crate::insert_rows!(conn, password_reset_codes::table, rows).map(drop)
}

/// Consumes a reset code of `user`: true exactly once, while unexpired.
pub fn consume_reset_code(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    hash: &str,
) -> QueryResult<bool> {
    let now = clock::now();
    let target = password_reset_codes::table
        .filter(password_reset_codes::tenant_id.eq(tenant))
        .filter(password_reset_codes::user_id.eq(user))
        .filter(password_reset_codes::code_hash.eq(hash))
        .filter(password_reset_codes::used_at.is_null())
        .filter(password_reset_codes::expires_at.gt(now));
    let n = diesel::update(target)
        .set(password_reset_codes::used_at.eq(now))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a self-service reset request, known account (`user`) or not.
pub fn record_reset_request(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: Option<&UserId>,
    ip: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(password_reset_requests::table)
        .values((
            password_reset_requests::id.eq(ResetRequestId::new()),
            password_reset_requests::tenant_id.eq(tenant),
            password_reset_requests::user_id.eq(user),
            password_reset_requests::ip.eq(ip),
            password_reset_requests::created_at.eq(clock::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// Reset requests for `user` since `since`.
pub fn reset_requests_for(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    password_reset_requests::table
        .filter(password_reset_requests::tenant_id.eq(tenant))
        .filter(password_reset_requests::user_id.eq(user))
        .filter(password_reset_requests::created_at.gt(since))
        .count()
        .get_result(conn)
}

/// Reset requests from `ip` since `since`: how many, and the oldest's time.
pub fn reset_requests_from(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    password_reset_requests::table
        .filter(password_reset_requests::tenant_id.eq(tenant))
        .filter(password_reset_requests::ip.eq(ip))
        .filter(password_reset_requests::created_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(password_reset_requests::created_at),
        ))
        .first(conn)
}

/// Deletes the tenant's reset requests older than `cutoff` (they count for
/// an hour only).
pub fn delete_reset_requests_before(
    conn: &mut DbConnection,
    tenant: &TenantId,
    cutoff: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        password_reset_requests::table
            .filter(password_reset_requests::tenant_id.eq(tenant))
            .filter(password_reset_requests::created_at.lt(cutoff)),
    )
    .execute(conn)
}
