//! Admins' user management

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::{Role, Scope, Scopes, UserKind, UserStatus};
use crate::error::ApiError;
use crate::identity::model::User;
use crate::identity::repo::users::UserFilter;
use crate::validation::not_blank;

/// `PATCH /admin/users/{id}`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "suspended"}))]
pub struct UpdateUserRequest {
    /// New display name.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub display_name: Option<String>,
    /// New role: `user`, `staff` or `admin`.
    pub role: Option<Role>,
    /// A staff member's scopes (replacing the ones held); only staff hold
    /// scopes, and a role other than staff drops them. Reaches the user's
    /// live tokens within the session cache's TTL.
    #[schema(value_type = Option<Vec<Scope>>)]
    pub scopes: Option<Scopes>,
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
}

/// Longest `q` a user search takes.
const MAX_SEARCH: usize = 100;

impl UsersQuery {
    /// The filter asked for; an over-long `q` is a 400.
    pub fn into_filter(self) -> Result<UserFilter, ApiError> {
        if self
            .q
            .as_ref()
            .is_some_and(|q| q.chars().count() > MAX_SEARCH)
        {
            return Err(ApiError::bad_request(format!(
                "q must be at most {MAX_SEARCH} characters"
            )));
        }
        let filter = UserFilter {
            status: self.status,
            role: self.role,
            household_id: self.household_id,
            q: self
                .q
                .map(|q| q.trim().to_string())
                .filter(|q| !q.is_empty()),
        };
        Ok(filter)
    }
}

/// A user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "tenant_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a00", "email": "ann@example.org",
    "display_name": "Ann", "phone": null, "kind": "member", "role": "staff",
    "scopes": ["attendance"], "status": "active", "household_id": null, "birth_year": null,
    "points_balance": 120, "created_at": "2026-11-22T08:30:00Z"}))]
pub struct UserResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Tenant.
    #[schema(value_type = String, format = Uuid)]
    pub tenant_id: String,
    /// Email (lowercase); null for a dependant.
    #[schema(format = Email)]
    pub email: Option<String>,
    /// Display name.
    pub display_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// `member` (signs in) or `dependant` (no login; a guardian acts for them).
    pub kind: UserKind,
    /// Role.
    pub role: Role,
    /// The desks a staff member works; empty for every other role.
    #[schema(value_type = Vec<Scope>)]
    pub scopes: Scopes,
    /// Status.
    pub status: UserStatus,
    /// Household the user belongs to, if any.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<String>,
    /// A dependant's year of birth, when given.
    pub birth_year: Option<i32>,
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
            kind: u.kind,
            role: u.role,
            scopes: u.scopes,
            birth_year: u.birth_year,
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

/// A badge card as issued: stored as the answer of an idempotent issue,
/// without its code, which is derived again for every answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IssuedBadge {
    /// The card's id (revoking is by user; this names it in the trail).
    #[schema(value_type = String, format = Uuid)]
    pub badge_id: String,
    /// Whose card.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// When it was issued (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: NaiveDateTime,
}

/// `POST /admin/users/{id}/badge`: the card to print.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"badge_code": "badge.0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b.kW3n0xQm2c1vYp8sT4uE_w",
    "badge_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01",
    "issued_at": "2026-12-02T08:30:00Z"}))]
pub struct BadgeResponse {
    /// The permanent code to print (as a QR); scanned like a member code.
    /// Shown only here: issue again to print a replacement.
    pub badge_code: String,
    /// The card.
    #[serde(flatten)]
    pub issued: IssuedBadge,
}
