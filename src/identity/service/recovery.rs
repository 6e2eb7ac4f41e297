//! Getting back into an account with a reset code an admin handed over.

use crate::audit::{self, AuditEntry};
use crate::auth::{Auth, UserStatus, password, tokens};
use crate::codes::normalise_code;
use crate::db::Db;
use crate::error::{ApiError, ErrorCode};
use crate::identity::dto::PasswordResetRequest;
use crate::identity::model::normalise_email;
use crate::identity::repo::{credentials, sessions, users};
use crate::request_context::RequestMeta;
use crate::tenants;

/// 422 `invalid_code`: the same answer for an unknown organisation, email or
/// code, so a guess learns nothing.
fn invalid_code() -> ApiError {
    ApiError::new(ErrorCode::InvalidCode)
        .with_detail("The code is wrong, used or expired; ask an admin for a new one.")
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
