//! Tenant-scoped queries of the catalogue and its redemptions.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::{redemptions, rewards};
use crate::db::{
    DbConnection, HouseholdId, PointEntryId, RedemptionId, RewardId, TenantId, UserId,
};
use crate::pagination::PageRequest;
use crate::rewards::model::{Redemption, RedemptionStatus, Reward};

/// The row of reward `id` in the tenant.
#[diesel::dsl::auto_type(no_type_alias)]
fn one<'a>(tenant: &'a TenantId, id: &'a RewardId) -> _ {
    rewards::table
        .filter(rewards::tenant_id.eq(tenant))
        .filter(rewards::id.eq(id))
}

/// Inserts a reward.
pub fn insert(conn: &mut DbConnection, reward: &Reward) -> QueryResult<()> {
    diesel::insert_into(rewards::table)
        .values(reward)
        .execute(conn)
        .map(drop)
}

/// The reward `id` of the tenant.
pub fn get(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RewardId,
) -> QueryResult<Option<Reward>> {
    one(tenant, id)
        .select(Reward::as_select())
        .first(conn)
        .optional()
}

/// Which rewards an admin list shows.
#[derive(Debug, Clone, Copy)]
pub enum Catalogue {
    /// Everything not archived.
    Live,
    /// Everything, archived rewards included.
    All,
}

/// One page of the tenant's rewards for admins, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    catalogue: Catalogue,
    page: &PageRequest,
) -> QueryResult<Vec<Reward>> {
    let mut query = rewards::table
        .filter(rewards::tenant_id.eq(tenant))
        .select(Reward::as_select())
        .into_boxed();
    if let Catalogue::Live = catalogue {
        query = query.filter(rewards::archived_at.is_null());
    }
    crate::paginate!(query, rewards, page).load(conn)
}

/// The rewards members can redeem at `now`: active, not archived, inside
/// their window.
#[diesel::dsl::auto_type(no_type_alias)]
fn offered_at<'a>(tenant: &'a TenantId, now: NaiveDateTime) -> _ {
    rewards::table
        .filter(rewards::tenant_id.eq(tenant))
        .filter(rewards::active.eq(true))
        .filter(rewards::archived_at.is_null())
        .filter(
            rewards::available_from
                .is_null()
                .or(rewards::available_from.le(now)),
        )
        .filter(
            rewards::available_until
                .is_null()
                .or(rewards::available_until.gt(now)),
        )
}

/// One page of what members can redeem at `now`, newest first.
///
/// The members' catalogue is the hottest read: unlike the boxed admin list,
/// its two fixed shapes (first page, later pages) are prepared once per
/// connection and never rebuilt.
pub fn offered(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
    page: &PageRequest,
) -> QueryResult<Vec<Reward>> {
    let newest_first = offered_at(tenant, now)
        .select(Reward::as_select())
        .order((rewards::created_at.desc(), rewards::id.desc()))
        .limit(page.limit + 1);
    match &page.after {
        None => newest_first.load(conn),
        Some((at, id)) => newest_first
            .filter(crate::after_cursor!(rewards, *at, id))
            .load(conn),
    }
}

/// The columns a PATCH may change; `None` leaves a column alone and
/// `Some(None)` clears a nullable one. Stock is only written when the request
/// sets it, so a PATCH never writes back a stock level it read earlier.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = rewards)]
pub struct RewardChanges {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<Option<String>>,
    /// Cost (redemptions already made keep what they paid).
    pub cost_points: Option<i64>,
    /// Units left; `Some(None)` makes it unlimited.
    pub stock: Option<Option<i64>>,
    /// Limit per member.
    pub limit_per_member: Option<Option<i64>>,
    /// Limit per household.
    pub limit_per_household: Option<Option<i64>>,
    /// Period of the limits.
    pub limit_period: Option<String>,
    /// Window start.
    pub available_from: Option<Option<NaiveDateTime>>,
    /// Window end.
    pub available_until: Option<Option<NaiveDateTime>>,
    /// On or off.
    pub active: Option<bool>,
    /// Always set.
    pub updated_at: Option<NaiveDateTime>,
}

/// Applies `changes` to a live reward; 0 rows when it is archived.
pub fn update(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RewardId,
    changes: RewardChanges,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id).filter(rewards::archived_at.is_null()))
        .set(RewardChanges {
            updated_at: Some(clock::now()),
            ..changes
        })
        .execute(conn)
}

/// Archives a reward; 0 rows when it is already archived.
pub fn archive(conn: &mut DbConnection, tenant: &TenantId, id: &RewardId) -> QueryResult<usize> {
    let now = clock::now();
    diesel::update(one(tenant, id).filter(rewards::archived_at.is_null()))
        .set((rewards::archived_at.eq(now), rewards::updated_at.eq(now)))
        .execute(conn)
}

/// Takes one unit of a redeemable reward: one conditional update, so two
/// redemptions can never take the last unit twice. Unlimited stock (NULL)
/// stays NULL. The update also holds the reward's row until the transaction
/// ends, so the redemptions of one reward run one at a time and their limit
/// counts cannot race. False when the reward is out of stock, switched off or
/// archived.
pub fn take_one(conn: &mut DbConnection, tenant: &TenantId, id: &RewardId) -> QueryResult<bool> {
    let taken = diesel::update(
        one(tenant, id)
            .filter(rewards::active.eq(true))
            .filter(rewards::archived_at.is_null())
            .filter(rewards::stock.is_null().or(rewards::stock.gt(0))),
    )
    .set(rewards::stock.eq(rewards::stock - 1))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Puts back the unit a cancelled or rejected redemption took (unlimited stays
/// unlimited; archived rewards get it back too, harmlessly).
pub fn put_back(conn: &mut DbConnection, tenant: &TenantId, id: &RewardId) -> QueryResult<()> {
    diesel::update(one(tenant, id))
        .set(rewards::stock.eq(rewards::stock + 1))
        .execute(conn)
        .map(drop)
}

/// Redemptions per status of each reward among `ids` (one query).
pub fn redemption_counts(
    conn: &mut DbConnection,
    tenant: &TenantId,
    ids: &[&RewardId],
) -> QueryResult<HashMap<RewardId, HashMap<String, i64>>> {
    let rows: Vec<(RewardId, String, i64)> = redemptions::table
        .filter(redemptions::tenant_id.eq(tenant))
        .filter(redemptions::reward_id.eq_any(ids))
        .group_by((redemptions::reward_id, redemptions::status))
        .select((redemptions::reward_id, redemptions::status, count_star()))
        .load(conn)?;
    let mut counts: HashMap<RewardId, HashMap<String, i64>> = HashMap::new();
    for (reward, status, n) in rows {
        counts.entry(reward).or_default().insert(status, n);
    }
    Ok(counts)
}

/// Inserts a redemption.
pub fn insert_redemption(conn: &mut DbConnection, redemption: &Redemption) -> QueryResult<()> {
    diesel::insert_into(redemptions::table)
        .values(redemption)
        .execute(conn)
        .map(drop)
}

/// The redemption `id` of the tenant, with its reward's name.
pub fn get_redemption(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RedemptionId,
) -> QueryResult<Option<(Redemption, String)>> {
    redemptions::table
        .inner_join(crate::same_tenant!(rewards on redemptions.reward_id))
        .filter(redemptions::tenant_id.eq(tenant))
        .filter(redemptions::id.eq(id))
        .select((Redemption::as_select(), rewards::name))
        .first(conn)
        .optional()
}

/// The redemption of the tenant whose claim code is `code` (normalised).
pub fn find_by_claim_code(
    conn: &mut DbConnection,
    tenant: &TenantId,
    code: &str,
) -> QueryResult<Option<RedemptionId>> {
    redemptions::table
        .filter(redemptions::tenant_id.eq(tenant))
        .filter(redemptions::claim_code.eq(code))
        .select(redemptions::id)
        .first(conn)
        .optional()
}

/// Filters of redemption lists.
#[derive(Debug, Default, Clone)]
pub struct RedemptionFilter {
    /// Only this member's.
    pub user_id: Option<UserId>,
    /// Only of this reward.
    pub reward_id: Option<RewardId>,
    /// Only in this status.
    pub status: Option<RedemptionStatus>,
}

/// One page of the tenant's redemptions with their rewards' names, newest first.
pub fn list_redemptions(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &RedemptionFilter,
    page: &PageRequest,
) -> QueryResult<Vec<(Redemption, String)>> {
    let mut query = redemptions::table
        .inner_join(crate::same_tenant!(rewards on redemptions.reward_id))
        .filter(redemptions::tenant_id.eq(tenant))
        .select((Redemption::as_select(), rewards::name))
        .into_boxed();
    if let Some(user) = &filter.user_id {
        query = query.filter(redemptions::user_id.eq(user.clone()));
    }
    if let Some(reward) = &filter.reward_id {
        query = query.filter(redemptions::reward_id.eq(reward.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(redemptions::status.eq(status.as_str()));
    }
    crate::paginate!(query, redemptions, page).load(conn)
}

/// Whose redemptions a limit counts.
#[derive(Debug, Clone, Copy)]
pub enum Counted<'a> {
    /// One member's.
    Member(&'a UserId),
    /// Everyone's made while in one household.
    Household(&'a HouseholdId),
}

/// Standing (pending or fulfilled) redemptions of `reward` by `whom` made at or
/// after `since` (ever, when `None`).
pub fn count_standing(
    conn: &mut DbConnection,
    tenant: &TenantId,
    reward: &RewardId,
    whom: Counted<'_>,
    since: Option<NaiveDateTime>,
) -> QueryResult<i64> {
    let standing = [
        RedemptionStatus::Pending.as_str(),
        RedemptionStatus::Fulfilled.as_str(),
    ];
    let mut query = redemptions::table
        .filter(redemptions::tenant_id.eq(tenant))
        .filter(redemptions::reward_id.eq(reward))
        .filter(redemptions::status.eq_any(standing))
        .into_boxed();
    query = match whom {
        Counted::Member(user) => query.filter(redemptions::user_id.eq(user.clone())),
        Counted::Household(household) => {
            query.filter(redemptions::household_id.eq(household.clone()))
        }
    };
    if let Some(since) = since {
        query = query.filter(redemptions::created_at.ge(since));
    }
    query.count().get_result(conn)
}

/// How a pending redemption is closed.
#[derive(Debug, Clone)]
pub struct Closing<'a> {
    /// The new status (not `pending`).
    pub status: RedemptionStatus,
    /// Who closes it.
    pub by: &'a UserId,
    /// The reason given (rejections).
    pub reason: Option<&'a str>,
}

/// Moves a pending redemption to `closing.status`: one conditional update, so
/// of two racing transitions exactly one wins. False when it is not pending.
pub fn close(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RedemptionId,
    closing: &Closing<'_>,
) -> QueryResult<bool> {
    let closed = diesel::update(
        redemptions::table
            .filter(redemptions::tenant_id.eq(tenant))
            .filter(redemptions::id.eq(id))
            .filter(redemptions::status.eq(RedemptionStatus::Pending.as_str())),
    )
    .set((
        redemptions::status.eq(closing.status.as_str()),
        redemptions::closed_by.eq(closing.by),
        redemptions::closed_at.eq(clock::now()),
        redemptions::reason.eq(closing.reason),
    ))
    .execute(conn)?;
    Ok(closed == 1)
}

/// Records the entry that refunded a redemption.
pub fn set_refund(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RedemptionId,
    entry: &PointEntryId,
) -> QueryResult<()> {
    diesel::update(
        redemptions::table
            .filter(redemptions::tenant_id.eq(tenant))
            .filter(redemptions::id.eq(id)),
    )
    .set(redemptions::refund_entry_id.eq(entry))
    .execute(conn)
    .map(drop)
}
