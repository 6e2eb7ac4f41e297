//! Demo rewards and a little redemption history.

use chrono::Duration;

use crate::clock;
use crate::db::{DbConnection, RewardId, TenantId, UserId};
use crate::error::ApiError;
use crate::request_context::RequestMeta;
use crate::rewards::model::{LimitPeriod, RedemptionStatus, Reward};
use crate::rewards::repo::{self, Closing};
use crate::rewards::service::redemptions::{self, Owner};

/// A demo reward: name, cost, stock, per-member and per-household limits, their
/// period, and days until it becomes available (0: now).
struct Offer(
    &'static str,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    LimitPeriod,
    i64,
);

const OFFERS: [Offer; 4] = [
    Offer(
        "Reusable shopping bag",
        20,
        None,
        None,
        None,
        LimitPeriod::None,
        0,
    ),
    Offer(
        "Cinema ticket",
        60,
        Some(10),
        Some(1),
        None,
        LimitPeriod::Month,
        0,
    ),
    Offer(
        "Compost bin",
        45,
        Some(5),
        None,
        Some(1),
        LimitPeriod::None,
        0,
    ),
    Offer(
        "Bike repair voucher",
        30,
        Some(20),
        None,
        None,
        LimitPeriod::None,
        30,
    ),
];

/// The catalogue; Ann's shopping bag (handed over) and Bob's compost bin
/// (waiting to be collected). `users[0]` is the admin.
pub fn seed(conn: &mut DbConnection, tenant: &TenantId, users: &[UserId]) -> Result<(), ApiError> {
    let now = clock::now();
    let mut ids = Vec::new();
    for Offer(name, cost, stock, per_member, per_household, period, in_days) in OFFERS {
        let reward = Reward {
            id: RewardId::new(),
            tenant_id: tenant.clone(),
            name: name.to_string(),
            description: None,
            cost_points: cost,
            stock,
            limit_per_member: per_member,
            limit_per_household: per_household,
            limit_period: period,
            available_from: (in_days > 0).then(|| now + Duration::days(in_days)),
            available_until: None,
            active: true,
            archived_at: None,
            created_at: now,
            updated_at: now,
        };
        repo::insert(conn, &reward)?;
        ids.push(reward.id);
    }
    let meta = RequestMeta::default();
    let (bag, _) = redemptions::redeem(conn, tenant, &users[1], &ids[0], now, &meta)?;
    let handed_over = Closing {
        status: RedemptionStatus::Fulfilled,
        by: &users[0],
        reason: None,
    };
    redemptions::close(
        conn,
        tenant,
        &bag.id,
        Owner::Anyone,
        &handed_over,
        "redemption.fulfill",
        &meta,
    )?;
    redemptions::redeem(conn, tenant, &users[2], &ids[2], now, &meta)?;
    Ok(())
}
