//! Points decisions without I/O: when a balance covers a debit, which
//! entries may be reversed, and how a leaderboard ranks.

use std::collections::HashMap;

use crate::db::HouseholdId;
use crate::error::{ApiError, ErrorCode};
use crate::points::model::{Earner, EntryKind, PointEntry, PointRule};

/// 409 `insufficient_points` for a debit the balance cannot cover, with the
/// `balance` and the points `needed` as extension members.
pub fn insufficient_points(balance: i64, needed: i64) -> ApiError {
    ApiError::new(ErrorCode::InsufficientPoints)
        .with_detail(format!(
            "Balance {balance} is below the {needed} points needed."
        ))
        .with_extension("balance", balance)
        .with_extension("needed", needed)
}
/// 409 `not_reversible` with why.
fn not_reversible(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::NotReversible).with_detail(detail)
}

/// 409 `already_reversed`.
pub fn already_reversed() -> ApiError {
    ApiError::new(ErrorCode::AlreadyReversed).with_detail("This entry has already been reversed.")
}

/// Whether `entry` may be reversed here: not a reversal itself, and not an
/// entry that follows a redemption or an attendance record (it moves with
/// that record; reversing it here would pay twice once the record is
/// cancelled, rejected or re-marked).
pub fn ensure_reversible(entry: &PointEntry) -> Result<(), ApiError> {
    if entry.kind == EntryKind::Reversal {
        return Err(not_reversible(
            "A reversal cannot itself be reversed; post a new entry instead.",
        ));
    }
    if let Some(source) = &entry.source_type {
        return Err(not_reversible(&format!(
            "This entry follows its {source}: cancel, reject or re-mark that instead."
        )));
    }
    Ok(())
}

/// Archived rules are kept as history and cannot be changed (409
/// `rule_archived`).
pub fn ensure_rule_live(rule: &PointRule) -> Result<(), ApiError> {
    if rule.archived_at.is_some() {
        return Err(ApiError::new(ErrorCode::RuleArchived)
            .with_detail("Archived rules are kept as history and cannot be changed."));
    }
    Ok(())
}

/// A row of a board with its rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked<T> {
    /// 1-based competition rank.
    pub rank: i64,
    /// Points earned in the period.
    pub points: i64,
    /// Who.
    pub item: T,
}

/// Orders `(points, row)` pairs by points (most first), then by `tie_order`, and gives each
/// its competition rank: equal points share a rank, the next skips.
pub fn rank<T>(
    mut rows: Vec<(i64, T)>,
    tie_order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<Ranked<T>> {
    rows.sort_by(|(pa, a), (pb, b)| pb.cmp(pa).then_with(|| tie_order(a, b)));
    let mut ranked: Vec<Ranked<T>> = Vec::with_capacity(rows.len());
    for (position, (points, item)) in rows.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some(previous) if previous.points == points => previous.rank,
            _ => i64::try_from(position).unwrap_or(i64::MAX - 1) + 1,
        };
        ranked.push(Ranked { rank, points, item });
    }
    ranked
}

/// Points per live household: the sum of what its current members earned.
pub fn by_household(
    earners: &[Earner],
    names: &HashMap<HouseholdId, String>,
) -> Vec<(i64, (HouseholdId, String))> {
    let mut totals: HashMap<&HouseholdId, i64> = HashMap::new();
    for earner in earners {
        if let Some(household) = earner
            .household_id
            .as_ref()
            .filter(|h| names.contains_key(h))
        {
            *totals.entry(household).or_default() += earner.points;
        }
    }
    totals
        .into_iter()
        .filter(|(_, points)| *points > 0)
        .map(|(id, points)| (points, (id.clone(), names[id].clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_points_share_a_rank_and_keep_a_stable_order() {
        let rows = vec![(5, "d"), (9, "b"), (9, "c"), (9, "a"), (1, "e")];
        let ranked = rank(rows, |a, b| a.cmp(b));
        let summary: Vec<(i64, &str, i64)> =
            ranked.iter().map(|r| (r.rank, r.item, r.points)).collect();
        assert_eq!(
            summary,
            vec![
                (1, "a", 9),
                (1, "b", 9),
                (1, "c", 9),
                (4, "d", 5),
                (5, "e", 1)
            ]
        );
        assert!(rank(Vec::<(i64, &str)>::new(), |a, b| a.cmp(b)).is_empty());
    }

    fn entry(kind: EntryKind, source: Option<&str>) -> PointEntry {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a valid time");
        PointEntry {
            id: crate::db::PointEntryId::new(),
            tenant_id: crate::db::TenantId::new(),
            user_id: crate::db::UserId::new(),
            household_id: None,
            amount: 20,
            balance_after: 20,
            earned: 20,
            kind,
            reason: None,
            rule_id: None,
            quantity_milli: None,
            source_type: source.map(str::to_string),
            source_id: None,
            reverses_id: None,
            actor_id: None,
            created_at: at,
        }
    }

    #[test]
    fn awards_are_reversible_but_reversals_and_record_entries_are_not() {
        assert!(ensure_reversible(&entry(EntryKind::Award, None)).is_ok());
        let twice = ensure_reversible(&entry(EntryKind::Reversal, None)).unwrap_err();
        assert!(twice.is(ErrorCode::NotReversible));
        let followed = ensure_reversible(&entry(EntryKind::Award, Some("redemption"))).unwrap_err();
        assert!(followed.is(ErrorCode::NotReversible));
    }

    #[test]
    fn a_shortfall_says_what_the_balance_is_and_what_was_needed() {
        let problem = insufficient_points(12, 40).problem();
        assert_eq!(problem.code, "insufficient_points");
        assert_eq!(problem.extensions["balance"], 12);
        assert_eq!(problem.extensions["needed"], 40);
    }
}
