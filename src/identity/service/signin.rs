//! Signing in and staying signed in: login with lockout, session start, refresh
//! token rotation with reuse detection.

use std::sync::Arc;

use chrono::Duration;

use crate::audit::{self, AuditEntry};
use crate::auth::UserStatus;
use crate::auth::tokens::{hash_token, new_refresh_token, refresh_token_tenant};
use crate::auth::{Auth, TenantCtx};
use crate::clock;
use crate::db::{Db, DbConnection, SessionId};
use crate::error::{ApiError, ErrorCode};
use crate::identity::dto::{LoginResponse, TokenPair};
use crate::identity::model::{User, normalise_email};
use crate::identity::repo::{credentials, sessions, users};
use crate::request_context::RequestMeta;
use crate::tenants;

/// The one answer for an unknown tenant, an unknown email and a wrong password.
pub fn invalid_credentials() -> ApiError {
    ApiError::new(ErrorCode::InvalidCredentials)
        .with_detail("The tenant, email or password is not correct.")
}

/// Opens a session for `user` and issues its first token pair (inside the
/// caller's transaction).
pub fn start_session(
    conn: &mut DbConnection,
    auth: &Auth,
    user: &User,
    meta: &RequestMeta,
) -> Result<TokenPair, ApiError> {
    let session = sessions::create(
        conn,
        &user.tenant_id,
        &user.id,
        meta.user_agent.as_deref(),
        meta.ip.as_deref(),
    )?;
    let (refresh, hash) = new_refresh_token(&user.tenant_id);
    let refresh_ttl = auth.settings.refresh_token_ttl_secs;
    sessions::insert_refresh(
        conn,
        &user.tenant_id,
        &session,
        &hash,
        None,
        clock::now() + secs(refresh_ttl),
    )?;
    Ok(TokenPair {
        access_token: auth.tokens.issue(
            &user.tenant_id,
            &user.id,
            (user.role, user.scopes),
            &session,
        ),
        token_type: "Bearer",
        expires_in: auth.tokens.ttl_secs(),
        refresh_token: refresh,
        refresh_expires_in: refresh_ttl,
    })
}

fn secs(n: u64) -> Duration {
    Duration::seconds(i64::try_from(n).unwrap_or(i64::MAX / 1000))
}

/// Credentials as typed at login.
pub struct Credentials {
    /// Tenant slug.
    pub tenant: String,
    /// Email as typed.
    pub email: String,
    /// Password.
    pub password: String,
}

/// Logs in: lockout first (so a locked account cannot be probed), then one
/// password verification whether or not the account exists, then the session.
pub async fn login(
    db: &Db,
    auth: &Arc<Auth>,
    credentials: Credentials,
    meta: RequestMeta,
) -> Result<LoginResponse, ApiError> {
    let email = normalise_email(&credentials.email);
    let slug = credentials.tenant.clone();
    let (max, window) = (
        auth.settings.lockout_max_failures,
        secs(auth.settings.lockout_window_secs),
    );
    let lookup_email = email.clone();
    let found = db
        .read(move |conn| {
            let Some(tenant) = tenants::find_by_slug(conn, &slug)? else {
                return Ok(None);
            };
            let locked = credentials::locked_for(conn, &tenant.id, &lookup_email, max, window)?;
            let user = users::find_by_email(conn, &tenant.id, &lookup_email)?;
            Ok(Some((tenant.id, locked, user)))
        })
        .await?;
    let Some((tenant, locked, user)) = found else {
        // Unknown tenant: spend the same time as a wrong password, then refuse.
        auth.passwords.verify(credentials.password, None).await?;
        return Err(invalid_credentials());
    };
    if let Some(retry_after) = locked {
        let (target, meta) = (email.clone(), meta.clone());
        db.write(move |conn| {
            audit::record(conn, &tenant, login_event("auth.lockout", &target, &meta))?;
            Ok(())
        })
        .await?;
        return Err(ApiError::rate_limited(retry_after)
            .with_detail("Too many failed sign-ins for this account; try again later."));
    }
    let verified = auth
        .passwords
        .verify(
            credentials.password,
            user.as_ref().and_then(|u| u.password_hash.clone()),
        )
        .await?;
    let user = match user {
        Some(user) if verified.matches => user,
        _ => {
            db.write(move |conn| {
                credentials::record_attempt(conn, &tenant, &email, false, meta.ip.as_deref())?;
                audit::record(
                    conn,
                    &tenant,
                    login_event("auth.login_failed", &email, &meta),
                )?;
                Ok(())
            })
            .await?;
            return Err(invalid_credentials());
        }
    };
    match user.status {
        UserStatus::Active => {}
        UserStatus::Pending => {
            return Err(ApiError::new(ErrorCode::AccountPending)
                .with_detail("An admin has not approved this account yet."));
        }
        UserStatus::Suspended => {
            return Err(ApiError::new(ErrorCode::AccountSuspended)
                .with_detail("This account has been suspended by an admin."));
        }
    }
    let auth = auth.clone();
    db.write(move |conn| {
        credentials::record_attempt(conn, &tenant, &email, true, meta.ip.as_deref())?;
        if let Some(rehashed) = &verified.rehashed {
            users::set_password_hash(conn, &tenant, &user.id, rehashed)?;
        }
        let tokens = start_session(conn, &auth, &user, &meta)?;
        audit::record(
            conn,
            &tenant,
            AuditEntry::new("auth.login", &meta)
                .by(&user.id)
                .on("user", user.id.as_str()),
        )?;
        Ok(LoginResponse {
            tokens,
            user: user.into(),
        })
    })
    .await
}

fn login_event<'a>(action: &'a str, email: &'a str, meta: &'a RequestMeta) -> AuditEntry<'a> {
    AuditEntry::new(action, meta).on("email", email)
}

enum Rotation {
    Rotated(TokenPair),
    Reused(SessionId),
    Refused,
}

/// Exchanges a refresh token for a new pair. A token presented twice revokes its
/// session: the revocation commits even though the request fails.
pub async fn refresh(
    db: &Db,
    auth: &Arc<Auth>,
    token: String,
    meta: RequestMeta,
) -> Result<TokenPair, ApiError> {
    let hash = hash_token(&token);
    let named_tenant = refresh_token_tenant(&token);
    let auth_in_tx = auth.clone();
    let outcome = db
        .write(move |conn| {
            let Some(tenant) = named_tenant else {
                return Ok(Rotation::Refused);
            };
            let Some(stored) = sessions::find_refresh(conn, &tenant, &hash)? else {
                return Ok(Rotation::Refused);
            };
            let reused = stored.used_at.is_some() || !sessions::use_refresh(conn, &stored)?;
            let Some(session) = sessions::live_session(conn, &tenant, &stored.session_id)? else {
                return Ok(Rotation::Refused);
            };
            if reused {
                sessions::revoke(
                    conn,
                    &tenant,
                    &session.user_id,
                    &session.id,
                    "refresh_token_reused",
                )?;
                audit::record(
                    conn,
                    &tenant,
                    AuditEntry::new("auth.refresh_reuse", &meta)
                        .by(&session.user_id)
                        .on("session", session.id.as_str()),
                )?;
                return Ok(Rotation::Reused(session.id));
            }
            if stored.expires_at <= clock::now() {
                return Ok(Rotation::Refused);
            }
            let Some(user) = users::get(conn, &tenant, &session.user_id)? else {
                return Ok(Rotation::Refused);
            };
            if user.status != UserStatus::Active {
                return Ok(Rotation::Refused);
            }
            let (refresh, new_hash) = new_refresh_token(&tenant);
            let ttl = auth_in_tx.settings.refresh_token_ttl_secs;
            sessions::insert_refresh(
                conn,
                &tenant,
                &session.id,
                &new_hash,
                Some(&stored.id),
                clock::now() + secs(ttl),
            )?;
            sessions::touch(conn, &tenant, &session.id)?;
            Ok(Rotation::Rotated(TokenPair {
                access_token: auth_in_tx.tokens.issue(
                    &tenant,
                    &user.id,
                    (user.role, user.scopes),
                    &session.id,
                ),
                token_type: "Bearer",
                expires_in: auth_in_tx.tokens.ttl_secs(),
                refresh_token: refresh,
                refresh_expires_in: ttl,
            }))
        })
        .await?;
    match outcome {
        Rotation::Rotated(tokens) => Ok(tokens),
        Rotation::Reused(session) => {
            auth.sessions.invalidate([&session]);
            Err(ApiError::new(ErrorCode::RefreshTokenReused)
                .with_detail("This refresh token was already used; the session has been ended."))
        }
        Rotation::Refused => Err(ApiError::unauthorized(
            "The refresh token is not valid; sign in again.",
        )),
    }
}

/// Ends the caller's current session.
pub fn logout(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    let (tenant, user, session) = (&ctx.tenant_id, &ctx.user_id, &ctx.session_id);
    sessions::revoke(conn, tenant, user, session, "logout")?;
    let entry = AuditEntry::new("auth.logout", meta).by(user);
    audit::record(conn, tenant, entry.on("session", session.as_str()))?;
    Ok(())
}
