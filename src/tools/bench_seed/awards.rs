//! Awards by rule and by hand, the bulk of a benchmark ledger.

use chrono::NaiveDateTime;
use rand::Rng;
use rand::rngs::StdRng;

use super::ledger::{Detail, Ledger};
use super::people::People;
use super::plan::{Tenant, time_between};
use crate::db::PointRuleId;
use crate::points::model::{EntryKind, PointRule};

/// Recycling and volunteering rules: (name, unit, points per unit).
const RULES: [(&str, &str, i64); 3] = [
    ("PET bottles", "kg", 10),
    ("Glass", "kg", 5),
    ("Volunteering", "hour", 20),
];

/// Reasons of awards given by hand.
const REASONS: [&str; 4] = [
    "Helped at the community garden",
    "Litter pick on the river bank",
    "Repair café volunteer",
    "Neighbourhood clean-up",
];

/// The tenant's point rules, created when its history starts.
pub fn rules(tenant: &Tenant<'_>) -> Vec<PointRule> {
    let created: NaiveDateTime = tenant.history_start();
    RULES
        .iter()
        .map(|(name, unit, points)| PointRule {
            id: PointRuleId::at(created),
            tenant_id: tenant.id.clone(),
            name: (*name).to_string(),
            unit: (*unit).to_string(),
            points_per_unit: *points,
            archived_at: None,
            created_at: created,
            updated_at: created,
        })
        .collect()
}

/// `count` awards over the past year, for recycling by rule (most) or by hand.
/// A few members earn much more than most, as on a real leaderboard.
pub fn award(
    ledger: &mut Ledger<'_>,
    count: usize,
    rules: &[PointRule],
    people: &People,
    rng: &mut StdRng,
) {
    let (from, until) = (ledger.tenant.history_start(), ledger.tenant.now);
    for _ in 0..count {
        let skew: f64 = rng.random();
        let index = ((skew * skew) * people.members.len() as f64) as usize;
        let member = (index, &people.members[index]);
        let at = time_between(rng, from, until);
        if rng.random_bool(0.7) {
            let rule = &rules[rng.random_range(0..rules.len())];
            let units = rng.random_range(1..=10_i64);
            let detail = Detail {
                actor: &people.admin,
                reason: None,
                rule: Some((&rule.id, units * 1000)),
                source: None,
            };
            ledger.post(
                member,
                EntryKind::Award,
                units * rule.points_per_unit,
                at,
                detail,
            );
        } else {
            let detail = Detail {
                actor: &people.admin,
                reason: Some(REASONS[rng.random_range(0..REASONS.len())]),
                rule: None,
                source: None,
            };
            let amount = rng.random_range(5..=50);
            ledger.post(member, EntryKind::Award, amount, at, detail);
        }
    }
}
