//! Users, roles and statuses.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::{Role, UserStatus};
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
    /// Normalised (trimmed, lowercase) email, unique per tenant.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// Optional phone number.
    pub phone: Option<String>,
    /// PHC-format argon2id hash.
    pub password_hash: String,
    /// `user` or `admin`.
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
}

/// A user to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    /// Id.
    pub id: UserId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Normalised email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// Password hash.
    pub password_hash: String,
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
}

impl NewUser {
    /// A new user with a fresh id; `email` must already be normalised.
    pub fn new(
        tenant: &TenantId,
        email: String,
        display_name: &str,
        password_hash: String,
        role: Role,
        status: UserStatus,
    ) -> Self {
        let now = crate::clock::now();
        Self {
            id: UserId::new(),
            tenant_id: tenant.clone(),
            email,
            display_name: display_name.trim().to_string(),
            phone: None,
            password_hash,
            role,
            status,
            created_at: now,
            updated_at: now,
            household_id: None,
        }
    }
}

/// Emails are compared case-insensitively: stored trimmed and lowercased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}
