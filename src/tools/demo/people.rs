//! Demo people beyond the published accounts: the Millers' two children
//! (dependants, with printed badge cards), a drop-off collector and a door
//! volunteer (staff with one scope each), and a class group of the children
//! that next week's workshop is for.

use crate::auth::{Role, UserStatus};
use crate::clock;
use crate::db::{BadgeId, DbConnection, EventId, HouseholdId, TenantId, UserId};
use crate::error::ApiError;
use crate::groups::{self, Membership};
use crate::identity;
use crate::identity::model::NewUser;
use crate::identity::repo::badges::{self, NewBadge};
use crate::identity::service::accounts::NewAccount;

/// The staff accounts: (email, display name, password, scopes). Published on
/// purpose, like the other demo accounts.
pub const STAFF: [(&str, &str, &str, &str); 2] = [
    (
        "collector@demo.example",
        "Colin Collector",
        "demo staff kettle colin",
        "points",
    ),
    (
        "door@demo.example",
        "Dora Door",
        "demo staff kettle dora",
        "attendance",
    ),
];

/// The Millers' children: (name, birth year).
const CHILDREN: [(&str, i32); 2] = [("Leo Miller", 2018), ("Maya Miller", 2020)];

/// The staff accounts to create, as `accounts::create` takes them.
pub fn staff_accounts(tenant: &TenantId) -> Result<Vec<NewAccount>, ApiError> {
    STAFF
        .iter()
        .map(|(email, name, password, scopes)| {
            Ok(NewAccount {
                tenant: tenant.clone(),
                email: (*email).to_string(),
                display_name: (*name).to_string(),
                password: (*password).to_string(),
                role: Role::Staff,
                scopes: scopes.parse().map_err(ApiError::internal)?,
                status: UserStatus::Active,
                household_code: None,
            })
        })
        .collect()
}

/// The children, their badge cards (issued by `admin`) and the class group
/// `workshop` is for; returns each child's name and badge.
pub fn seed(
    conn: &mut DbConnection,
    tenant: &TenantId,
    admin: &UserId,
    millers: &HouseholdId,
    workshop: &EventId,
) -> Result<Vec<(String, BadgeId)>, ApiError> {
    let children: Vec<NewUser> = CHILDREN
        .iter()
        .map(|(name, born)| NewUser::dependant(tenant, millers, name, Some(*born)))
        .collect();
    identity::insert_users(conn, &children)?;
    let mut cards = Vec::new();
    for child in &children {
        let badge = BadgeId::new();
        badges::insert(
            conn,
            &NewBadge {
                id: &badge,
                tenant_id: tenant,
                user_id: &child.id,
                issued_by: admin,
                issued_at: clock::now(),
            },
        )?;
        cards.push((child.display_name.clone(), badge));
    }
    let class = groups::new_group(
        tenant,
        "Class 2B",
        Some("The Millers' children's class".into()),
    );
    groups::insert_groups(conn, std::slice::from_ref(&class))?;
    let roster: Vec<Membership<'_>> = children
        .iter()
        .map(|child| Membership {
            tenant_id: tenant,
            group_id: &class.id,
            user_id: &child.id,
        })
        .collect();
    groups::add_members(conn, &roster)?;
    groups::set_event_groups(conn, tenant, workshop, std::slice::from_ref(&class.id))?;
    Ok(cards)
}
