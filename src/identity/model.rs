//! Users, roles and statuses.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::{Role, Scopes, UserKind, UserStatus};
use crate::db::schema::users;
use crate::db::{HouseholdId, TenantId, UserId};

/// A stored user.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Normalised (trimmed, lowercase) email, unique per tenant; `None` for
    /// a dependant.
    pub email: Option<String>,
    /// Name shown to others.
    pub display_name: String,
    /// Optional phone number.
    pub phone: Option<String>,
    /// PHC-format argon2id hash; `None` for a dependant, and for an imported
    /// member until their first reset code sets one.
    pub password_hash: Option<String>,
    /// `user`, `staff` or `admin`.
    pub role: Role,
    /// `pending`, `active` or `suspended`.
    pub status: UserStatus,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// The household the user belongs to, if any.
    pub household_id: Option<HouseholdId>,
    /// Cached sum of the user's ledger entries (never negative).
    pub points_balance: i64,
    /// `member` or `dependant`.
    pub kind: UserKind,
    /// The desks a staff member works (empty for every other role).
    #[diesel(deserialize_as = String)]
    pub scopes: Scopes,
    /// A dependant's year of birth, when given (for age-banded programmes).
    pub birth_year: Option<i32>,
    /// Whether they are mailed about their household's dues.
    pub notify_dues: bool,
    /// Whether they are mailed about their rewards.
    pub notify_rewards: bool,
}

/// A user to insert. `None` is inserted as NULL rather than DEFAULT (no
/// nullable column has another default), so that SQLite takes many users in
/// one multi-row INSERT, which has no DEFAULT there.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser {
    /// Id.
    pub id: UserId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Normalised email (`None` for a dependant).
    pub email: Option<String>,
    /// Display name.
    pub display_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// Password hash (`None` until one is set).
    pub password_hash: Option<String>,
    /// Role.
    pub role: Role,
    /// Status.
    pub status: UserStatus,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// Household joined at registration, if any.
    pub household_id: Option<HouseholdId>,
    /// `member` or `dependant`.
    pub kind: UserKind,
    /// Staff scopes, as stored (`Scopes::to_string`): a serialised field
    /// would make `&NewUser` not insertable, and batches insert by reference.
    pub scopes: String,
    /// Year of birth.
    pub birth_year: Option<i32>,
}

impl NewUser {
    /// A new member with a fresh id; `email` must already be normalised.
    pub fn new(
        tenant: &TenantId,
        email: String,
        display_name: &str,
        password_hash: Option<String>,
        role: Role,
        status: UserStatus,
    ) -> Self {
        let now = crate::clock::now();
        Self {
            id: UserId::new(),
            tenant_id: tenant.clone(),
            email: Some(email),
            display_name: display_name.trim().to_string(),
            phone: None,
            password_hash,
            role,
            status,
            created_at: now,
            updated_at: now,
            household_id: None,
            kind: UserKind::Member,
            scopes: String::new(),
            birth_year: None,
        }
    }

    /// A new dependant of `household`: active, without email or password.
    pub fn dependant(
        tenant: &TenantId,
        household: &HouseholdId,
        display_name: &str,
        birth_year: Option<i32>,
    ) -> Self {
        let now = crate::clock::now();
        Self {
            id: UserId::new(),
            tenant_id: tenant.clone(),
            email: None,
            display_name: display_name.trim().to_string(),
            phone: None,
            password_hash: None,
            role: Role::User,
            status: UserStatus::Active,
            created_at: now,
            updated_at: now,
            household_id: Some(household.clone()),
            kind: UserKind::Dependant,
            scopes: String::new(),
            birth_year,
        }
    }
}

/// Emails are compared case-insensitively: stored trimmed and lowercased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}
