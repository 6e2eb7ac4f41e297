//! Signing up, in and back in

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::identity::dto::users::UserResponse;
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
