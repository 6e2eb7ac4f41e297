//! Creating accounts: one path for self-registration, admin creation, the CLI and
//! the demo data, so the password policy, the uniqueness rule and the audit event
//! can never differ between them.

use crate::audit::{self, AuditEntry};
use crate::auth::password::{self, Passwords};
use crate::auth::{Role, Scopes, UserStatus};
use crate::codes::normalise_code;
use crate::db::{Db, TenantId, UserId};
use crate::error::{ApiError, ErrorCode};
use crate::households;
use crate::households::invalid_join_code;
use crate::identity::dto::{RegisterRequest, UserResponse};
use crate::identity::model::{NewUser, User, normalise_email};
use crate::identity::repo::users;
use crate::identity::rules;
use crate::outbox::{self, WebhookEventType};
use crate::request_context::RequestMeta;
use crate::tenants;
use crate::validation::invalid;

/// 409 `email_taken`.
pub fn email_taken() -> ApiError {
    ApiError::new(ErrorCode::EmailTaken)
        .with_detail("An account with this email already exists in this organisation.")
}

/// An account to create.
pub struct NewAccount {
    /// Tenant.
    pub tenant: TenantId,
    /// Email as given (normalised here).
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Password (checked against the policy, then hashed).
    pub password: String,
    /// Role.
    pub role: Role,
    /// Staff scopes (empty for every other role).
    pub scopes: Scopes,
    /// Initial status.
    pub status: UserStatus,
    /// Join code of the household to join at once (self-registration).
    pub household_code: Option<String>,
}

/// Creates the account and its audit event (`action`, by `actor`, or by the new
/// user themselves when `actor` is `None`).
pub async fn create(
    db: &Db,
    passwords: &Passwords,
    account: NewAccount,
    actor: Option<UserId>,
    action: &'static str,
    meta: RequestMeta,
) -> Result<User, ApiError> {
    let email = normalise_email(&account.email);
    password::check_policy(
        "password",
        &account.password,
        &[&email, &account.display_name],
    )
    .map_err(|e| ApiError::validation(vec![e]))?;
    let hash = passwords.hash(account.password).await?;
    let mut user = NewUser::new(
        &account.tenant,
        email.clone(),
        &account.display_name,
        Some(hash),
        account.role,
        account.status,
    );
    user.scopes = account.scopes.to_string();
    let household_code = account.household_code.map(|c| normalise_code(&c));
    db.write(move |conn| {
        if users::find_by_email(conn, &user.tenant_id, &email)?.is_some() {
            return Err(email_taken());
        }
        if let Some(code) = &household_code {
            let household = households::find_by_join_code(conn, &user.tenant_id, code)?
                .ok_or_else(|| invalid_join_code("household_code"))?;
            user.household_id = Some(household.id);
        }
        users::insert(conn, &user)?;
        audit::record(
            conn,
            &user.tenant_id,
            AuditEntry::new(action, &meta)
                .by(actor.as_ref().unwrap_or(&user.id))
                .on("user", user.id.as_str()),
        )?;
        let created =
            users::get(conn, &user.tenant_id, &user.id)?.ok_or_else(ApiError::not_found)?;
        if created.household_id.is_some() {
            let joined = UserResponse::from(created.clone());
            outbox::emit(
                conn,
                &user.tenant_id,
                WebhookEventType::MemberJoined,
                &joined,
            )?;
        }
        Ok(created)
    })
    .await
    // A unique violation that slipped past the check (a racing request) is the
    // same conflict.
    .map_err(|e| {
        if e.is(ErrorCode::Conflict) {
            email_taken()
        } else {
            e
        }
    })
}

/// Self-registration in the tenant named by its slug, as the tenant's
/// registration policy allows.
pub async fn register(
    db: &Db,
    passwords: &Passwords,
    body: RegisterRequest,
    meta: RequestMeta,
) -> Result<User, ApiError> {
    let slug = body.tenant.clone();
    let tenant = db
        .read(move |conn| Ok(tenants::find_by_slug(conn, &slug)?))
        .await?
        .ok_or_else(|| invalid("tenant", "unknown_tenant", "no organisation has this slug"))?;
    let account = NewAccount {
        tenant: tenant.id,
        email: body.email,
        display_name: body.display_name,
        password: body.password,
        role: Role::User,
        scopes: Scopes::NONE,
        status: rules::registered_status(tenant.registration)?,
        household_code: body.household_code,
    };
    create(db, passwords, account, None, "user.register", meta).await
}
