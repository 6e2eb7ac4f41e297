//! Signing up, in and back in

use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::identity::dto::users::UserResponse;
use crate::validation::{explicit_null, not_blank};

/// `POST /auth/register`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant": "green-valley", "email": "ann@example.org",
    "password": "copper kettle under the stairs", "display_name": "Ann"}))]
pub struct RegisterRequest {
    /// Tenant slug.
    #[limit(chars = 1..=40)]
    pub tenant: String,
    /// Email address (case-insensitive, unique in the tenant).
    #[limit(chars = ..=254)]
    #[validate(email(code = "invalid_format", message = "must be an email address"))]
    #[schema(format = Email)]
    pub email: String,
    /// 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// Name shown to others, 1-100 characters.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub display_name: String,
    /// A household's join code, to join it at once (optional).
    #[limit(chars = 1..=32)]
    pub household_code: Option<String>,
}

/// `POST /auth/login`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant": "green-valley", "email": "ann@example.org",
    "password": "copper kettle under the stairs"}))]
pub struct LoginRequest {
    /// Tenant slug.
    #[limit(chars = 1..=40)]
    pub tenant: String,
    /// Email address.
    #[limit(chars = 1..=254)]
    pub email: String,
    /// Password.
    #[limit(chars = 1..=1024)]
    pub password: String,
}

/// `POST /auth/refresh`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "q8Zc0Jp4…"}))]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[limit(chars = 1..=512)]
    pub refresh_token: String,
}

/// `POST /auth/password-reset/request`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant": "green-valley", "email": "ann@example.org"}))]
pub struct ResetCodeRequest {
    /// Tenant slug.
    #[limit(chars = 1..=40)]
    pub tenant: String,
    /// The account's email address.
    #[limit(chars = 1..=254)]
    pub email: String,
}

/// `POST /auth/password-reset`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant": "green-valley", "email": "ann@example.org",
    "code": "K7QM-4XPR-2HNB", "new_password": "a brand new kettle song"}))]
pub struct PasswordResetRequest {
    /// Tenant slug.
    #[limit(chars = 1..=40)]
    pub tenant: String,
    /// Email address.
    #[limit(chars = 1..=254)]
    pub email: String,
    /// The one-time code an admin gave you (case, spaces and dashes ignored).
    #[limit(chars = 1..=64)]
    pub code: String,
    /// 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// `PATCH /me`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Ann S.", "phone": "+49 30 1234567",
    "notifications": {"rewards": false}}))]
pub struct UpdateMeRequest {
    /// New display name, 1-100 characters.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub display_name: Option<String>,
    /// New phone number (digits, spaces, `+-()`, up to 32); `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>, max_length = 32, pattern = r"^[0-9 +()-]*[0-9][0-9 +()-]*$")]
    #[validate(custom(function = "validate_phone"))]
    pub phone: Option<Option<String>>,
    /// Turn mail about dues or rewards on or off (account mail always goes).
    #[serde(default, deserialize_with = "crate::validation::nested_object")]
    pub notifications: Option<super::me::NotificationsChange>,
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
    "display_name": "Ann", "phone": null, "kind": "member", "role": "user", "scopes": [],
    "status": "active", "household_id": null, "birth_year": null, "points_balance": 0,
    "created_at": "2026-11-22T08:30:00Z"}}))]
pub struct LoginResponse {
    /// The tokens.
    #[serde(flatten)]
    pub tokens: TokenPair,
    /// The signed-in user.
    pub user: UserResponse,
}
