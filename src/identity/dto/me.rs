//! The caller's own account

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Role, Scope, Scopes};
use crate::identity::dto::users::UserResponse;
use crate::identity::repo::sessions::Session;
use crate::validation::not_blank;

/// `POST /me/password`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "copper kettle under the stairs",
    "new_password": "a brand new kettle song"}))]
pub struct ChangePasswordRequest {
    /// The current password.
    #[limit(chars = 1..=1024)]
    pub current_password: String,
    /// 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// `POST /admin/users`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "bob@example.org", "display_name": "Bob",
    "password": "copper kettle under the stairs", "role": "user"}))]
pub struct CreateUserRequest {
    /// Email address (unique in the tenant).
    #[limit(chars = ..=254)]
    #[validate(email(code = "invalid_format", message = "must be an email address"))]
    #[schema(format = Email)]
    pub email: String,
    /// Name shown to others, 1-100 characters.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub display_name: String,
    /// Initial password, 8-128 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// `user` (default), `staff` or `admin`.
    pub role: Option<Role>,
    /// A staff member's scopes (only with `role: staff`).
    #[schema(value_type = Option<Vec<Scope>>)]
    pub scopes: Option<Scopes>,
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
    "display_name": "Ann", "phone": null, "kind": "member", "role": "user", "scopes": [],
    "status": "active", "household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a11",
    "birth_year": null, "points_balance": 120,
    "created_at": "2026-11-22T08:30:00Z",
    "household": {"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a11", "name": "The Smiths"},
    "notifications": {"dues": true, "rewards": true}}))]
pub struct MeResponse {
    /// The profile.
    #[serde(flatten)]
    pub user: UserResponse,
    /// The household, or null when the caller is in none.
    pub household: Option<HouseholdSummary>,
    /// What the caller is mailed about besides their account.
    pub notifications: Notifications,
}

/// What a member is mailed about besides their account (password reset
/// codes always go). Mail goes only to members with an email address, never
/// to dependants.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notifications {
    /// Their household's dues: a charge issued, due soon, overdue.
    pub dues: bool,
    /// Their rewards: a redemption fulfilled or refused.
    pub rewards: bool,
}

/// `PATCH /me` `notifications`: the topics to change (a missing one stays).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationsChange {
    /// Mail about dues.
    pub dues: Option<bool>,
    /// Mail about rewards.
    pub rewards: Option<bool>,
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
