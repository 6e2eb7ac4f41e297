//! The one way points move: [`post`] writes a ledger entry and changes the cached
//! balance in the caller's write transaction, through a single conditional
//! atomic update that can never take a balance below zero. Nothing else writes
//! `users.points_balance` or the leaderboards' `users.points_earned`, so
//! `points_balance == sum(amount)` and `points_earned == sum(earned)` hold by
//! construction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::{point_entries, users};
use crate::db::{DbConnection, HouseholdId, PointEntryId, PointRuleId, TenantId, UserId};
use crate::error::ApiError;
use crate::points::model::{EntryKind, PointEntry};
use crate::points::rules::insufficient_points;

/// What to post.
#[derive(Debug, Clone)]
pub struct Posting<'a> {
    /// Whose balance moves.
    pub user: &'a UserId,
    /// Points, positive or negative, never zero.
    pub amount: i64,
    /// Kind of entry.
    pub kind: EntryKind,
    /// Why (shown to the member).
    pub reason: Option<&'a str>,
    /// The rule behind a rule-based award.
    pub rule: Option<(&'a PointRuleId, i64)>,
    /// What caused it (`redemption`, `attendance`, …) and its id.
    pub source: Option<(&'a str, &'a str)>,
    /// The entry this one reverses.
    pub reverses: Option<&'a PointEntryId>,
    /// What the entry adds to leaderboards (see `EntryKind::earned`).
    pub earned: i64,
    /// Who did it.
    pub actor: Option<&'a UserId>,
}

/// Writes the entry and moves the balance (call inside `write_tx`).
pub fn post(
    conn: &mut DbConnection,
    tenant: &TenantId,
    posting: Posting<'_>,
) -> Result<PointEntry, ApiError> {
    debug_assert_ne!(posting.amount, 0, "ledger entries move points");
    // A debit only applies while the balance covers it: checked and applied in
    // one statement, so two racing debits cannot both pass the check.
    let needed = posting.amount.min(0).saturating_neg();
    let change = (
        users::points_balance.eq(users::points_balance + posting.amount),
        users::points_earned.eq(users::points_earned + posting.earned),
    );
    let member = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq(posting.user));
    // The new balance comes back with the update (one round trip); only a
    // refused one reads the row, to tell a short balance from no member.
    let moved: Option<(i64, Option<HouseholdId>)> = crate::on_concrete!(conn, c =>
        diesel::update(member.filter(users::points_balance.ge(needed)))
            .set(change)
            .returning((users::points_balance, users::household_id))
            .get_result(c)
            .optional())?;
    let Some((balance, household)) = moved else {
        let balance: i64 = member
            .select(users::points_balance)
            .first(conn)
            .optional()?
            .ok_or_else(ApiError::not_found)?;
        return Err(insufficient_points(balance, needed));
    };

    let now: NaiveDateTime = clock::now();
    let entry = PointEntry {
        id: PointEntryId::new(),
        tenant_id: tenant.clone(),
        user_id: posting.user.clone(),
        household_id: household,
        amount: posting.amount,
        balance_after: balance,
        earned: posting.earned,
        kind: posting.kind,
        reason: posting.reason.map(str::to_string),
        rule_id: posting.rule.map(|(id, _)| id.clone()),
        quantity_milli: posting.rule.map(|(_, q)| q),
        source_type: posting.source.map(|(t, _)| t.to_string()),
        source_id: posting.source.map(|(_, id)| id.to_string()),
        reverses_id: posting.reverses.cloned(),
        actor_id: posting.actor.cloned(),
        created_at: now,
    };
    diesel::insert_into(point_entries::table)
        .values(&entry)
        .execute(conn)?;
    Ok(entry)
}
