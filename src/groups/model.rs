//! A stored group.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::groups;
use crate::db::{GroupId, TenantId};

/// The most people a group's roster holds.
pub const MAX_MEMBERS: usize = 2_000;

/// A group (a class, a team).
// `None` as NULL, so that SQLite takes many in one INSERT (see `NewUser`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = groups, treat_none_as_default_value = false)]
pub struct Group {
    /// Id.
    pub id: GroupId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Name, unique in the tenant.
    pub name: String,
    /// What it is.
    pub description: Option<String>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}
