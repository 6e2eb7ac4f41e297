//! The reward catalogue of a benchmark tenant and a year of redemptions,
//! each paid with points the member had at the time.

use chrono::Duration;
use rand::Rng;
use rand::rngs::StdRng;

use super::ledger::{Detail, Ledger};
use super::people::People;
use super::plan::{Share, Tenant, time_between};
use crate::codes;
use crate::db::{RedemptionId, RewardId};
use crate::points::model::EntryKind;
use crate::rewards::model::{LimitPeriod, Redemption, RedemptionStatus, Reward};
use crate::rewards::service::redemptions::CLAIM_CODE_LEN;

/// Name of the first reward of every tenant: cheap, unlimited in practice
/// (a million in stock), redeemable by everyone at once. The contention
/// benchmark redeems it.
pub const CONTENTION_REWARD: &str = "Seed packet";

const NAMES: [&str; 11] = [
    "Cinema ticket",
    "Bus day pass",
    "Reusable bottle",
    "Compost bin",
    "Bike repair voucher",
    "Swimming pool entry",
    "Library tote bag",
    "Café voucher",
    "Museum pass",
    "Tree planting kit",
    "Farm shop basket",
];

/// Stock of the rewards that have one.
const STOCK: i64 = 500;

/// The catalogue (stock already reduced by what was redeemed) and the
/// redemptions.
pub fn generate(
    tenant: &Tenant<'_>,
    share: Share,
    people: &People,
    wanted: usize,
    ledger: &mut Ledger<'_>,
    rng: &mut StdRng,
) -> (Vec<Reward>, Vec<Redemption>) {
    let mut catalogue: Vec<Reward> = (0..share.rewards).map(|n| reward(tenant, n)).collect();
    // Rewards with a limit are left out: the seeder does not count limits.
    let redeemable: Vec<usize> = (0..catalogue.len())
        .filter(|&n| catalogue[n].limit_per_member.is_none())
        .collect();
    let mut wishes: Vec<_> = (0..wanted)
        .map(|_| {
            let from = tenant.history_start() + Duration::days(30);
            let at = time_between(rng, from, tenant.now - Duration::hours(1));
            let member = rng.random_range(0..people.members.len());
            (
                member,
                at,
                redeemable[rng.random_range(0..redeemable.len())],
            )
        })
        .collect();
    wishes.sort_by_key(|&(member, at, _)| (member, at));
    let mut redemptions = Vec::new();
    let mut spent = 0;
    for (n, &(member, at, reward)) in wishes.iter().enumerate() {
        if n > 0 && wishes[n - 1].0 != member {
            spent = 0;
        }
        let cost = catalogue[reward].cost_points;
        if ledger.earned_before(member, at) - spent < cost {
            continue;
        }
        spent += cost;
        let redemption = redeem(
            tenant,
            people,
            (member, at),
            &catalogue[reward],
            ledger,
            rng,
        );
        let holds_stock = matches!(
            redemption.status,
            RedemptionStatus::Pending | RedemptionStatus::Fulfilled
        );
        if let (Some(stock), true) = (&mut catalogue[reward].stock, holds_stock) {
            *stock -= 1;
        }
        redemptions.push(redemption);
    }
    (catalogue, redemptions)
}

/// Reward `n` of the catalogue: the contention reward first, then a mix of
/// prices, stocked and unlimited rewards, and some limited to two a month.
fn reward(tenant: &Tenant<'_>, n: usize) -> Reward {
    let created = tenant.history_start();
    let (name, cost, stock) = if n == 0 {
        (CONTENTION_REWARD.to_string(), 1, Some(1_000_000))
    } else {
        let name = NAMES[(n - 1) % NAMES.len()];
        let round = (n - 1) / NAMES.len();
        let name = if round == 0 {
            name.to_string()
        } else {
            format!("{name} #{}", round + 1)
        };
        let cost = 50 + i64::try_from(n % 8).unwrap_or(0) * 50;
        (name, cost, (n % 2 == 1).then_some(STOCK))
    };
    let limited = n % 4 == 3;
    Reward {
        id: RewardId::at(created),
        tenant_id: tenant.id.clone(),
        name,
        description: Some("Collect it at the community hall with your claim code.".into()),
        cost_points: cost,
        stock,
        limit_per_member: limited.then_some(2),
        limit_per_household: None,
        limit_period: if limited {
            LimitPeriod::Month
        } else {
            LimitPeriod::None
        },
        available_from: None,
        available_until: None,
        active: true,
        archived_at: None,
        created_at: created,
        updated_at: created,
    }
}

/// One redemption of `reward` by the member at index `member`, made at `at`
/// and, unless recent, closed since: mostly fulfilled, some cancelled by the
/// member or rejected by the admin (both refunded).
fn redeem(
    tenant: &Tenant<'_>,
    people: &People,
    (member, at): (usize, chrono::NaiveDateTime),
    reward: &Reward,
    ledger: &mut Ledger<'_>,
    rng: &mut StdRng,
) -> Redemption {
    let whom = &people.members[member];
    let id = RedemptionId::at(at);
    let source = Some(("redemption", id.as_str()));
    let debit = Detail {
        actor: &whom.id,
        reason: Some(&reward.name),
        rule: None,
        source,
    };
    let debit = ledger.post(
        (member, whom),
        EntryKind::Redemption,
        -reward.cost_points,
        at,
        debit,
    );
    let roll = rng.random_range(0..100);
    let status = if tenant.now - at < Duration::days(14) {
        if roll < 50 {
            RedemptionStatus::Pending
        } else {
            RedemptionStatus::Fulfilled
        }
    } else if roll < 70 {
        RedemptionStatus::Fulfilled
    } else if roll < 85 {
        RedemptionStatus::Cancelled
    } else {
        RedemptionStatus::Rejected
    };
    let closed_at = (status != RedemptionStatus::Pending).then(|| {
        let hours = rng.random_range(1..72);
        (at + Duration::hours(hours)).min(tenant.now)
    });
    let closed_by = match status {
        RedemptionStatus::Pending => None,
        RedemptionStatus::Cancelled => Some(whom.id.clone()),
        RedemptionStatus::Fulfilled | RedemptionStatus::Rejected => Some(people.admin.clone()),
    };
    let reason = (status == RedemptionStatus::Rejected).then(|| "Out of season".to_string());
    let refund_entry_id = match (status, &closed_at, &closed_by) {
        (RedemptionStatus::Cancelled | RedemptionStatus::Rejected, Some(when), Some(by)) => {
            let refund = Detail {
                actor: by,
                reason: reason.as_deref(),
                rule: None,
                source,
            };
            let points = reward.cost_points;
            Some(ledger.post((member, whom), EntryKind::Refund, points, *when, refund))
        }
        _ => None,
    };
    Redemption {
        id: id.clone(),
        tenant_id: tenant.id.clone(),
        reward_id: reward.id.clone(),
        user_id: whom.id.clone(),
        household_id: Some(whom.household.clone()),
        cost_points: reward.cost_points,
        status,
        claim_code: codes::random_code(CLAIM_CODE_LEN),
        debit_entry_id: debit,
        refund_entry_id,
        closed_by,
        closed_at,
        reason,
        created_at: at,
    }
}
