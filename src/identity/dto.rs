//! Identity request and response bodies. Requests refuse unknown fields, so a
//! member can never set `role`, `status`, `tenant_id` or a balance by adding it.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::{Role, UserStatus};
use crate::identity::model::User;
use crate::identity::repo::sessions::Session;
use crate::validation::{explicit_null, not_blank};

/// `POST /auth/register`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant": "green-valley", "email": "ann@example.org",
    "password": "copper kettle under the stairs", "display_name": "Ann"}))]
pub struct RegisterRequest {
    /// Tenant slug.
    #[validate(length(
        min = 1,
        max = 40,
        code = "invalid_length",
        message = "must be 1-40 characters"
    ))]
    #[schema(min_length = 1, max_length = 40)]
    pub tenant: String,
    /// Email address (case-insensitive, unique in the tenant).
    #[validate(
        email(code = "invalid_format", message = "must be an email address"),
        length(
            max = 254,
            code = "invalid_length",
            message = "must be at most 254 characters"
        )
    )]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// Name shown to others, 1-100 characters.
    #[validate(
        length(
            min = 1,
            max = 100,
            code = "invalid_length",
            message = "must be 1-100 characters"
        ),
        custom(function = "not_blank")
    )]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: String,
    /// A household's join code, to join it at once (optional).
    #[validate(length(
        min = 1,
        max = 32,
        code = "invalid_length",
        message = "must be 1-32 characters"
    ))]
    #[schema(min_length = 1, max_length = 32)]
    pub household_code: Option<String>,
}

/// `POST /auth/login`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant": "green-valley", "email": "ann@example.org",
    "password": "copper kettle under the stairs"}))]
pub struct LoginRequest {
    /// Tenant slug.
    #[validate(length(
        min = 1,
        max = 40,
        code = "invalid_length",
        message = "must be 1-40 characters"
    ))]
    #[schema(min_length = 1, max_length = 40)]
    pub tenant: String,
    /// Email address.
    #[validate(length(
        min = 1,
        max = 254,
        code = "invalid_length",
        message = "must be 1-254 characters"
    ))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    /// Password.
    #[validate(length(
        min = 1,
        max = 1024,
        code = "invalid_length",
        message = "must be 1-1024 characters"
    ))]
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

/// `POST /auth/refresh`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "q8Zc0Jp4…"}))]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[validate(length(
        min = 1,
        max = 512,
        code = "invalid_length",
        message = "must be 1-512 characters"
    ))]
    #[schema(min_length = 1, max_length = 512)]
    pub refresh_token: String,
}

/// `POST /auth/password-reset`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant": "green-valley", "email": "ann@example.org",
    "code": "K7QM-4XPR-2HNB", "new_password": "a brand new kettle song"}))]
pub struct PasswordResetRequest {
    /// Tenant slug.
    #[validate(length(
        min = 1,
        max = 40,
        code = "invalid_length",
        message = "must be 1-40 characters"
    ))]
    #[schema(min_length = 1, max_length = 40)]
    pub tenant: String,
    /// Email address.
    #[validate(length(
        min = 1,
        max = 254,
        code = "invalid_length",
        message = "must be 1-254 characters"
    ))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    /// The one-time code an admin gave you (case, spaces and dashes ignored).
    #[validate(length(
        min = 1,
        max = 64,
        code = "invalid_length",
        message = "must be 1-64 characters"
    ))]
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
    /// 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// `PATCH /me`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Ann S.", "phone": "+49 30 1234567"}))]
pub struct UpdateMeRequest {
    /// New display name, 1-100 characters.
    #[validate(
        length(
            min = 1,
            max = 100,
            code = "invalid_length",
            message = "must be 1-100 characters"
        ),
        custom(function = "not_blank")
    )]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: Option<String>,
    /// New phone number (digits, spaces, `+-()`, up to 32); `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>, max_length = 32, pattern = r"^[0-9 +()-]*[0-9][0-9 +()-]*$")]
    #[validate(custom(function = "validate_phone"))]
    pub phone: Option<Option<String>>,
}

fn validate_phone(phone: &str) -> Result<(), validator::ValidationError> {
    let plausible = (1..=32).contains(&phone.len())
        && phone.chars().any(|c| c.is_ascii_digit())
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if plausible {
        return Ok(());
    }
    let mut e = validator::ValidationError::new("invalid_format");
    e.message = Some("must be up to 32 digits, spaces and +-()".into());
    Err(e)
}

/// `POST /me/password`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "copper kettle under the stairs",
    "new_password": "a brand new kettle song"}))]
pub struct ChangePasswordRequest {
    /// The current password.
    #[validate(length(
        min = 1,
        max = 1024,
        code = "invalid_length",
        message = "must be 1-1024 characters"
    ))]
    #[schema(min_length = 1, max_length = 1024)]
    pub current_password: String,
    /// 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// `POST /admin/users`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "bob@example.org", "display_name": "Bob",
    "password": "copper kettle under the stairs", "role": "user"}))]
pub struct CreateUserRequest {
    /// Email address (unique in the tenant).
    #[validate(
        email(code = "invalid_format", message = "must be an email address"),
        length(
            max = 254,
            code = "invalid_length",
            message = "must be at most 254 characters"
        )
    )]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// Name shown to others, 1-100 characters.
    #[validate(
        length(
            min = 1,
            max = 100,
            code = "invalid_length",
            message = "must be 1-100 characters"
        ),
        custom(function = "not_blank")
    )]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: String,
    /// Initial password, 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// `user` (default) or `admin`.
    pub role: Option<Role>,
}

/// `PATCH /admin/users/{id}`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "suspended"}))]
pub struct UpdateUserRequest {
    /// New display name.
    #[validate(
        length(
            min = 1,
            max = 100,
            code = "invalid_length",
            message = "must be 1-100 characters"
        ),
        custom(function = "not_blank")
    )]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// `active` or `suspended` (suspending ends every session of the user).
    pub status: Option<SettableStatus>,
}

/// The statuses an admin may set (pending users are approved instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettableStatus {
    /// May sign in.
    Active,
    /// Locked out; every session ends.
    Suspended,
}

impl From<SettableStatus> for UserStatus {
    fn from(status: SettableStatus) -> Self {
        match status {
            SettableStatus::Active => Self::Active,
            SettableStatus::Suspended => Self::Suspended,
        }
    }
}

/// Filters of `GET /admin/users`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UsersQuery {
    /// Only users with this status.
    pub status: Option<UserStatus>,
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only members of this household.
    #[param(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<crate::db::HouseholdId>,
    /// Name or email contains this text (case-insensitive).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Page size, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque cursor from the previous page.
    pub cursor: Option<String>,
}

/// A user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "tenant_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a00", "email": "ann@example.org",
    "display_name": "Ann", "phone": null, "role": "user", "status": "active",
    "household_id": null, "points_balance": 120, "created_at": "2026-11-22T08:30:00Z"}))]
pub struct UserResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Tenant.
    #[schema(value_type = String, format = Uuid)]
    pub tenant_id: String,
    /// Email (lowercase).
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// Role.
    pub role: Role,
    /// Status.
    pub status: UserStatus,
    /// Household the user belongs to, if any.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<String>,
    /// Current points balance.
    pub points_balance: i64,
    /// Registration time (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        Self {
            role: u.role,
            status: u.status,
            id: u.id.into(),
            tenant_id: u.tenant_id.into(),
            email: u.email,
            display_name: u.display_name,
            phone: u.phone,
            household_id: u.household_id.map(Into::into),
            points_balance: u.points_balance,
            created_at: u.created_at,
        }
    }
}

/// The caller's household, in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdSummary {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
}

/// `GET /me`: the caller's profile and household.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "tenant_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a00", "email": "ann@example.org",
    "display_name": "Ann", "phone": null, "role": "user", "status": "active",
    "household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a11", "points_balance": 120,
    "created_at": "2026-11-22T08:30:00Z",
    "household": {"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a11", "name": "The Smiths"}}))]
pub struct MeResponse {
    /// The profile.
    #[serde(flatten)]
    pub user: UserResponse,
    /// The household, or null when the caller is in none.
    pub household: Option<HouseholdSummary>,
}

/// A new access token and refresh token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiIsImtpZCI6…",
    "token_type": "Bearer", "expires_in": 900, "refresh_token": "q8Zc0Jp4…",
    "refresh_expires_in": 2592000}))]
pub struct TokenPair {
    /// JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Access token lifetime in seconds.
    pub expires_in: u64,
    /// Opaque, single-use refresh token.
    pub refresh_token: String,
    /// Refresh token lifetime in seconds.
    pub refresh_expires_in: u64,
}

/// `POST /auth/login` response: tokens and the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiIsImtpZCI6…",
    "token_type": "Bearer", "expires_in": 900, "refresh_token": "q8Zc0Jp4…",
    "refresh_expires_in": 2592000, "user": {"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "tenant_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a00", "email": "ann@example.org",
    "display_name": "Ann", "phone": null, "role": "user", "status": "active",
    "household_id": null, "points_balance": 0, "created_at": "2026-11-22T08:30:00Z"}}))]
pub struct LoginResponse {
    /// The tokens.
    #[serde(flatten)]
    pub tokens: TokenPair,
    /// The signed-in user.
    pub user: UserResponse,
}

/// One of the caller's sessions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "device": "HearthApp/2.1 (Android 15)", "ip": "203.0.113.7",
    "created_at": "2026-11-22T08:30:00Z", "last_used_at": "2026-11-22T09:30:00Z",
    "current": true}))]
pub struct SessionResponse {
    /// Id (use it to revoke the session).
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The device's User-Agent at sign-in.
    pub device: Option<String>,
    /// Client IP at sign-in.
    pub ip: Option<String>,
    /// Sign-in time.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// Last token refresh.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub last_used_at: NaiveDateTime,
    /// Whether this is the session of the token making the request.
    pub current: bool,
}

impl SessionResponse {
    /// The response for `session`, marking the caller's own.
    pub fn new(session: Session, current: &crate::db::SessionId) -> Self {
        Self {
            current: &session.id == current,
            id: session.id.into(),
            device: session.device,
            ip: session.ip,
            created_at: session.created_at,
            last_used_at: session.last_used_at,
        }
    }
}

/// A short-lived code to show as a QR (member code) or hand over (reset code).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "K7QMX4PR2HNB", "expires_at": "2026-11-22T09:30:00Z"}))]
pub struct CodeResponse {
    /// The code.
    pub code: String,
    /// When it stops working (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: NaiveDateTime,
}
