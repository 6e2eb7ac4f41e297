//! Households, one admin and the members of a benchmark tenant.

use rand::Rng;
use rand::rngs::StdRng;

use super::plan::{Share, Tenant, time_between};
use crate::auth::{Role, UserKind, UserStatus};
use crate::db::schema::{households, users};
use crate::db::{DbConnection, HouseholdId, UserId};
use crate::error::ApiError;
use crate::households::model::{NewHousehold, new_join_code};
use crate::identity::model::NewUser;
use crate::insert_rows;

const ZONES: [&str; 4] = ["north", "south", "east", "west"];

/// The tenant's people, as the other areas need them.
pub struct People {
    /// The tenant's admin: the actor of awards, marking and payments.
    pub admin: UserId,
    /// Members, each in a household.
    pub members: Vec<Member>,
    /// Every household.
    pub households: Vec<HouseholdId>,
}

/// A member and the household they belong to.
pub struct Member {
    /// The member.
    pub id: UserId,
    /// Their household.
    pub household: HouseholdId,
}

/// Writes the households, the admin `admin@<slug>.example` and the members
/// `member-00001@<slug>.example` …, all registered before the history starts.
pub fn seed(
    conn: &mut DbConnection,
    tenant: &Tenant<'_>,
    share: Share,
    password_hash: &str,
    rng: &mut StdRng,
) -> Result<People, ApiError> {
    let registered_from = tenant.history_start() - chrono::Duration::days(60);
    let registered_until = tenant.history_start();
    let households: Vec<NewHousehold> = (1..=share.households)
        .map(|n| {
            let at = time_between(rng, registered_from, registered_until);
            NewHousehold {
                id: HouseholdId::at(at),
                tenant_id: tenant.id.clone(),
                name: format!("Household {n}"),
                address: Some(format!("{n} Bench Street")),
                zone: Some(ZONES[n % ZONES.len()].to_string()),
                join_code: new_join_code(),
                created_at: at,
                updated_at: at,
            }
        })
        .collect();
    let account =
        |email: String, name: String, role: Role, household: Option<&HouseholdId>, at| NewUser {
            id: UserId::at(at),
            tenant_id: tenant.id.clone(),
            email: Some(email),
            display_name: name,
            phone: None,
            password_hash: Some(password_hash.to_string()),
            role,
            status: UserStatus::Active,
            created_at: at,
            updated_at: at,
            household_id: household.cloned(),
            kind: UserKind::Member,
            scopes: String::new(),
            birth_year: None,
        };
    let admin = account(
        format!("admin@{}.example", tenant.slug),
        format!("Admin of {}", tenant.slug),
        Role::Admin,
        None,
        registered_from,
    );
    let mut rows = vec![admin];
    let mut members = Vec::with_capacity(share.members);
    for n in 1..=share.members {
        let household = &households[rng.random_range(0..households.len())].id;
        let at = time_between(rng, registered_from, registered_until);
        let user = account(
            format!("member-{n:05}@{}.example", tenant.slug),
            format!("Member {n}"),
            Role::User,
            Some(household),
            at,
        );
        members.push(Member {
            id: user.id.clone(),
            household: household.clone(),
        });
        rows.push(user);
    }
    insert_rows!(conn, households::table, &households)?;
    insert_rows!(conn, users::table, &rows)?;
    Ok(People {
        admin: rows[0].id.clone(),
        members,
        households: households.into_iter().map(|h| h.id).collect(),
    })
}
