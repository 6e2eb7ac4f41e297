//! Households and their join codes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::codes;
use crate::db::schema::households;
use crate::db::{HouseholdId, TenantId};

/// Join codes: 8 look-alike-free symbols (≈ 40 bits), unique per tenant, typed
/// case-insensitively with spaces and dashes ignored.
pub const JOIN_CODE_LENGTH: usize = 8;

/// A fresh join code.
pub fn new_join_code() -> String {
    codes::random_code(JOIN_CODE_LENGTH)
}

/// A stored household.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = households)]
pub struct Household {
    /// Id.
    pub id: HouseholdId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Name (a family, a flat, a shared house).
    pub name: String,
    /// Postal address.
    pub address: Option<String>,
    /// Collection zone or district.
    pub zone: Option<String>,
    /// Current join code.
    pub join_code: String,
    /// When it was archived, if it was.
    pub archived_at: Option<NaiveDateTime>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

/// A household to insert.
// `None` as NULL, so that SQLite takes many in one INSERT (see `NewUser`).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = households, treat_none_as_default_value = false)]
pub struct NewHousehold {
    /// Id.
    pub id: HouseholdId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Name.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Zone.
    pub zone: Option<String>,
    /// Join code.
    pub join_code: String,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}
