//! The ledger being generated: entries in the order they happen, with what
//! each member had earned when, and their running balances at the end.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::people::Member;
use super::plan::Tenant;
use crate::db::{PointEntryId, PointRuleId, UserId};
use crate::points::model::{EntryKind, PointEntry};

/// The ledger being written: its entries, and what each member has earned
/// when, so redemptions are only made with points a member had.
pub struct Ledger<'a> {
    pub tenant: &'a Tenant<'a>,
    entries: Vec<PointEntry>,
    /// Per member (by index in `People::members`): (time, points) of every credit.
    credits: Vec<Vec<(NaiveDateTime, i64)>>,
}

impl<'a> Ledger<'a> {
    pub fn new(tenant: &'a Tenant<'a>, members: usize) -> Self {
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
            kind,
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
    pub fn finish(mut self) -> (Vec<PointEntry>, HashMap<UserId, (i64, i64)>) {
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
