//! Household views shared by the member and admin routes.

use crate::db::{DbConnection, TenantId};
use crate::error::ApiError;
use crate::households::dto::{HouseholdDetail, HouseholdResponse};
use crate::households::model::Household;
use crate::households::repo;

/// The household with its members, points and money (four queries, whatever
/// the member count).
pub fn detail(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: Household,
) -> Result<HouseholdDetail, ApiError> {
    let members = repo::members(conn, tenant, &household.id)?;
    let count = i64::try_from(members.len()).unwrap_or(i64::MAX);
    let (balance_due, credit) = crate::payments::repo::balances(conn, tenant, &household.id)?;
    Ok(HouseholdDetail {
        points_total: members.iter().map(|m| m.points_balance).sum(),
        balance_due,
        credit,
        household: HouseholdResponse::new(household, count),
        members: members.into_iter().map(Into::into).collect(),
    })
}
