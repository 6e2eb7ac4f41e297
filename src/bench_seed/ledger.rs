//! The points side of a benchmark tenant: point rules and awards, plus the
//! events and rewards whose attendance and redemptions also write ledger
//! entries. Entries are collected first and given their running balances at
//! the end, the way the API would have written them one by one.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rand::Rng;
use rand::rngs::StdRng;

use super::people::{Member, People};
use super::{Share, Tenant, events, rewards, time_between};
use crate::db::schema::{attendance_records, events as events_table, point_entries, point_rules};
use crate::db::schema::{redemptions, rewards as rewards_table};
use crate::db::{DbConnection, PointEntryId, PointRuleId, UserId};
use crate::error::ApiError;
use crate::insert_rows;
use crate::points::model::{EntryKind, PointEntry, PointRule};

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

/// The ledger being written: its entries, and what each member has earned
/// when, so redemptions are only made with points a member had.
pub struct Ledger<'a> {
    tenant: &'a Tenant<'a>,
    entries: Vec<PointEntry>,
    /// Per member (by index in `People::members`): (time, points) of every credit.
    credits: Vec<Vec<(NaiveDateTime, i64)>>,
}

impl<'a> Ledger<'a> {
    fn new(tenant: &'a Tenant<'a>, members: usize) -> Self {
        Self {
            tenant,
            entries: Vec::new(),
            credits: vec![Vec::new(); members],
        }
    }

    /// Writes an entry for the member at index `member`; returns its id. The
    /// balance after it is filled in by [`Ledger::finish`].
    pub fn post(
        &mut self,
        (member, whom): (usize, &Member),
        kind: EntryKind,
        amount: i64,
        at: NaiveDateTime,
        detail: Detail<'_>,
    ) -> PointEntryId {
        let id = PointEntryId::at(at);
        if amount > 0 && kind.earned(amount) > 0 {
            self.credits[member].push((at, amount));
        }
        self.entries.push(PointEntry {
            id: id.clone(),
            tenant_id: self.tenant.id.clone(),
            user_id: whom.id.clone(),
            household_id: Some(whom.household.clone()),
            amount,
            balance_after: 0,
            earned: kind.earned(amount),
            kind: kind.as_str().to_string(),
            reason: detail.reason.map(str::to_string),
            rule_id: detail.rule.map(|(rule, _)| rule.clone()),
            quantity_milli: detail.rule.map(|(_, quantity)| quantity),
            source_type: detail.source.map(|(kind, _)| kind.to_string()),
            source_id: detail.source.map(|(_, id)| id.to_string()),
            reverses_id: None,
            actor_id: Some(detail.actor.clone()),
            created_at: at,
        });
        id
    }

    /// The points member `member` had earned strictly before `at`.
    pub fn earned_before(&self, member: usize, at: NaiveDateTime) -> i64 {
        self.credits[member]
            .iter()
            .filter(|(when, _)| *when < at)
            .map(|(_, points)| points)
            .sum()
    }

    /// Entries written so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries with their running balances, and each member's final
    /// (balance, points earned).
    fn finish(mut self) -> (Vec<PointEntry>, HashMap<UserId, (i64, i64)>) {
        self.entries.sort_by(|a, b| {
            (&a.user_id, a.created_at, &a.id).cmp(&(&b.user_id, b.created_at, &b.id))
        });
        let mut totals: HashMap<UserId, (i64, i64)> = HashMap::new();
        for entry in &mut self.entries {
            let (balance, earned) = totals.entry(entry.user_id.clone()).or_default();
            *balance += entry.amount;
            *earned += entry.earned;
            entry.balance_after = *balance;
        }
        (self.entries, totals)
    }
}

/// What an entry records besides its amount.
pub struct Detail<'a> {
    /// Who wrote it.
    pub actor: &'a UserId,
    /// Why.
    pub reason: Option<&'a str>,
    /// The rule and quantity (thousandths) of a rule-based award.
    pub rule: Option<(&'a PointRuleId, i64)>,
    /// What caused it: (type, id).
    pub source: Option<(&'a str, &'a str)>,
}

/// Writes the rules, events and attendance, rewards and redemptions, and
/// `share.entries` ledger entries; returns each member's (balance, earned).
pub fn seed(
    conn: &mut DbConnection,
    tenant: &Tenant<'_>,
    share: Share,
    people: &People,
    rng: &mut StdRng,
) -> Result<HashMap<UserId, (i64, i64)>, ApiError> {
    let created = tenant.history_start();
    let rules: Vec<PointRule> = RULES
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
        .collect();
    let mut ledger = Ledger::new(tenant, people.members.len());
    let (events, attendance) = events::generate(tenant, share, people, &mut ledger, rng);
    // About one entry in 200 is a redemption (or its refund); awards fill the rest.
    let redemptions_wanted = share.entries / 200;
    let awards = share
        .entries
        .saturating_sub(ledger.len() + redemptions_wanted * 5 / 4);
    award(&mut ledger, awards, &rules, people, rng);
    let (catalogue, redeemed) =
        rewards::generate(tenant, share, people, redemptions_wanted, &mut ledger, rng);
    // Redemptions a member could not afford were not made: awards make up the count.
    let missing = share.entries.saturating_sub(ledger.len());
    award(&mut ledger, missing, &rules, people, rng);
    let (entries, totals) = ledger.finish();

    insert_rows!(conn, point_rules::table, &rules)?;
    insert_rows!(conn, events_table::table, &events)?;
    insert_rows!(conn, rewards_table::table, &catalogue)?;
    insert_rows!(conn, point_entries::table, &entries)?;
    insert_rows!(conn, attendance_records::table, &attendance)?;
    insert_rows!(conn, redemptions::table, &redeemed)?;
    Ok(totals)
}

/// `count` awards over the past year, for recycling by rule (most) or by hand.
/// A few members earn much more than most, as on a real leaderboard.
fn award(
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
