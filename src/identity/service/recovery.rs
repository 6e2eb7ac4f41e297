//! Getting back into an account with a one-time reset code: one an admin
//! handed over, or one mailed on request.

use chrono::{Duration, NaiveDateTime};

use crate::audit::{self, AuditEntry};
use crate::auth::{Auth, UserStatus, password, tokens};
use crate::clock;
use crate::codes::{normalise_code, random_code};
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ErrorCode};
use crate::identity::dto::{PasswordResetRequest, ResetCodeRequest};
use crate::identity::model::normalise_email;
use crate::identity::repo::{credentials, sessions, users};
use crate::identity::rules::{
    RESET_CODE_LENGTH, RESET_MAILS_PER_ACCOUNT_PER_HOUR, RESET_REQUESTS_PER_IP_PER_HOUR,
};
use crate::mail::{self, Letter, Topic};
use crate::request_context::RequestMeta;
use crate::tenants;

/// How long a request counts towards the limits.
const WINDOW: Duration = Duration::hours(1);

/// Mails a one-time reset code to the account `body` names, if there is
/// one that may have it, and answers the same either way: no one learns
/// whether an address has an account. A client address that asks too often
/// gets 429 (known account or not); an account asked for too often gets no
/// more mail within the hour. The code is valid for `auth.reset_code_ttl_secs`
/// and replaces any earlier unused one.
pub async fn request_code(
    db: &Db,
    auth: &Auth,
    body: ResetCodeRequest,
    meta: RequestMeta,
) -> Result<(), ApiError> {
    let email = normalise_email(&body.email);
    let ttl = Duration::seconds(i64::try_from(auth.settings.reset_code_ttl_secs).unwrap_or(3600));
    db.write(move |conn| {
        let Some(tenant) = tenants::find_by_slug(conn, &body.tenant)? else {
            return Ok(());
        };
        let now = clock::now();
        if let Some(ip) = meta.ip.as_deref() {
            let (asked, oldest) =
                credentials::reset_requests_from(conn, &tenant.id, ip, now - WINDOW)?;
            if asked >= RESET_REQUESTS_PER_IP_PER_HOUR {
                return Err(ApiError::rate_limited(seconds_until(oldest, now)));
            }
        }
        let user = users::find_by_email(conn, &tenant.id, &email)?;
        let user_id = user.as_ref().map(|u| &u.id);
        let earlier = match user_id {
            Some(id) => credentials::reset_requests_for(conn, &tenant.id, id, now - WINDOW)?,
            None => 0,
        };
        credentials::record_reset_request(conn, &tenant.id, user_id, meta.ip.as_deref())?;
        let Some(user) = user else {
            return Ok(());
        };
        if earlier >= RESET_MAILS_PER_ACCOUNT_PER_HOUR
            || mail::recipient(conn, &tenant.id, &user.id, Topic::Account)?.is_none()
        {
            return Ok(());
        }
        mail_code(conn, &user, ttl, &meta, now)
    })
    .await
}

/// Issues `user` a new code and writes the mail that carries it.
fn mail_code(
    conn: &mut DbConnection,
    user: &crate::identity::model::User,
    ttl: Duration,
    meta: &RequestMeta,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let (tenant, id) = (&user.tenant_id, &user.id);
    let code = random_code(RESET_CODE_LENGTH);
    let hash = tokens::hash_token(&code);
    credentials::issue_reset_code(conn, tenant, id, id, &hash, now + ttl)?;
    let letter = Letter::PasswordReset {
        code,
        valid_minutes: ttl.num_minutes(),
    };
    mail::post(conn, tenant, id, &letter)?;
    let entry = AuditEntry::new("user.password_reset_mailed", meta).by(id);
    audit::record(conn, tenant, entry.on("user", id.as_str()))?;
    Ok(())
}

/// Whole seconds from `now` until the oldest request counted leaves the window.
fn seconds_until(oldest: Option<NaiveDateTime>, now: NaiveDateTime) -> u64 {
    let frees_at = oldest.unwrap_or(now) + WINDOW;
    u64::try_from((frees_at - now).num_seconds())
        .unwrap_or(0)
        .max(1)
}

/// Forgets every tenant's reset requests from before yesterday (they count
/// for an hour only); returns how many.
pub fn purge_requests(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, ApiError> {
    Ok(tenants::purge_older_than(
        conn,
        now,
        1,
        credentials::delete_reset_requests_before,
    )?)
}

/// 422 `invalid_code`: the same answer for an unknown organisation, email or
/// code, so a guess learns nothing.
fn invalid_code() -> ApiError {
    ApiError::new(ErrorCode::InvalidCode)
        .with_detail("The code is wrong, used or expired; ask for a new one.")
}

/// Sets a new password with a one-time reset code; every session of the
/// account ends, on this instance at once.
pub async fn reset_password(
    db: &Db,
    auth: &Auth,
    body: PasswordResetRequest,
    meta: RequestMeta,
) -> Result<(), ApiError> {
    let email = normalise_email(&body.email);
    password::check_policy("new_password", &body.new_password, &[&email])
        .map_err(|e| ApiError::validation(vec![e]))?;
    let code_hash = tokens::hash_token(&normalise_code(&body.code));
    let hash = auth.passwords.hash(body.new_password).await?;
    let slug = body.tenant;
    let ended = db
        .write(move |conn| {
            let user = match tenants::find_by_slug(conn, &slug)? {
                Some(tenant) => users::find_by_email(conn, &tenant.id, &email)?,
                None => None,
            };
            let Some(user) = user else {
                return Err(invalid_code());
            };
            if !credentials::consume_reset_code(conn, &user.tenant_id, &user.id, &code_hash)? {
                return Err(invalid_code());
            }
            users::set_password_hash(conn, &user.tenant_id, &user.id, &hash)?;
            // A member from an imported roll waits, without a password, for
            // this first code: the admin who imported them let them in.
            if user.status == UserStatus::Pending && user.password_hash.is_none() {
                users::approve(conn, &user.tenant_id, &user.id)?;
            }
            let ended =
                sessions::revoke_all(conn, &user.tenant_id, &user.id, None, "password_reset")?;
            let entry = AuditEntry::new("user.password_reset", &meta).by(&user.id);
            audit::record(conn, &user.tenant_id, entry.on("user", user.id.as_str()))?;
            Ok(ended)
        })
        .await?;
    auth.sessions.invalidate(&ended);
    Ok(())
}
