//! Leaderboards: who earned the most points, over all time, this month or this
//! week (UTC). "Earned" is the ledger's `earned` column: awards, attendance and
//! positive adjustments, minus their reversals; spending never lowers it.
//!
//! Only active members count, and a household's points are what its current
//! members earned. Ranks are standard competition ranks: equal points share a
//! rank and the next rank skips ("1, 2, 2, 4"). Among equals the order is
//! stable: the earlier-created member or household (their ids are
//! time-ordered UUIDv7) comes first.
//!
//! The all-time board reads the `users.points_earned` counter that every
//! posting moves; a month or a week sums `earned` through the covering index
//! `point_entries_earned (tenant_id, created_at, user_id, earned)`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::auth::UserStatus;
use crate::clock::Span;
use crate::db::schema::{households, point_entries, users};
use crate::db::{Db, DbConnection, HouseholdId, TenantId, UserId};
use crate::error::ApiError;
use crate::text_enum::text_enum;
use crate::ttl_cache::TtlCache;

/// `CAST(SUM(point_entries.earned) AS BIGINT)`: the points a group earned.
///
/// SUM of a BIGINT is NUMERIC on PostgreSQL, hence the cast back on both
/// backends. A type of its own rather than a `sql()` literal because diesel
/// only caches the prepared statement of a query whose every part has a
/// static query id: with a literal, PostgreSQL planned the month board anew on
/// every request (1.7 of its 6.3 ms, measured with EXPLAIN ANALYZE on the
/// bench-seeded database).
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId, diesel::expression::ValidGrouping)]
#[diesel(aggregate)]
struct EarnedInGroup;

impl diesel::expression::Expression for EarnedInGroup {
    type SqlType = BigInt;
}

impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for EarnedInGroup {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        out.push_sql("CAST(SUM(point_entries.earned) AS BIGINT)");
        Ok(())
    }
}

impl<QS> diesel::expression::AppearsOnTable<QS> for EarnedInGroup {}
impl<QS> diesel::expression::SelectableExpression<QS> for EarnedInGroup {}

text_enum!(
    /// The span of a leaderboard, in UTC.
    Period {
        /// Since the beginning.
        All = "all",
        /// Since the first day of the current month, 00:00 UTC.
        Month = "month",
        /// Since Monday of the current ISO week, 00:00 UTC.
        Week = "week",
    }
);

impl Period {
    /// When the period began, `None` for all time.
    pub fn since(self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        match self {
            Self::All => None,
            Self::Month => Some(Span::Month.start(now)),
            Self::Week => Some(Span::Week.start(now)),
        }
    }
}

/// A member who earned points in the period.
#[derive(Debug, Clone, Queryable)]
pub struct Earner {
    /// The member.
    pub user_id: UserId,
    /// Their name.
    pub display_name: String,
    /// Their current household.
    pub household_id: Option<HouseholdId>,
    /// Points earned in the period (more than 0).
    pub points: i64,
}

/// Active members of the tenant with points earned since `since` (all time
/// when `None`), in no particular order.
pub fn earners(
    conn: &mut DbConnection,
    tenant: &TenantId,
    since: Option<NaiveDateTime>,
) -> QueryResult<Vec<Earner>> {
    let active = UserStatus::Active.as_str();
    let Some(since) = since else {
        return users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::points_earned.gt(0))
            .filter(users::status.eq(active))
            .select((
                users::id,
                users::display_name,
                users::household_id,
                users::points_earned,
            ))
            .load(conn);
    };
    point_entries::table
        .inner_join(
            users::table.on(users::tenant_id
                .eq(point_entries::tenant_id)
                .and(users::id.eq(point_entries::user_id))),
        )
        .filter(point_entries::tenant_id.eq(tenant))
        .filter(point_entries::created_at.ge(since))
        .filter(users::status.eq(active))
        .group_by((users::id, users::display_name, users::household_id))
        .having(EarnedInGroup.gt(0))
        .select((
            users::id,
            users::display_name,
            users::household_id,
            EarnedInGroup,
        ))
        .load(conn)
}

/// Boards this instance computed recently, by tenant and start of the period
/// (`None`: all time), so a new month or week is never served the old one.
pub type BoardCache = TtlCache<(TenantId, Option<NaiveDateTime>), Arc<Vec<Earner>>>;

/// [`earners`], reusing what this instance computed within the cache's TTL
/// (`leaderboards.cache_secs`). Summing a month of a tenant's ledger is the
/// one expensive read members repeat all day (bench/README.md), and a board
/// a few seconds old is still the right board to show.
pub async fn cached_earners(
    db: &Db,
    cache: &BoardCache,
    tenant: &TenantId,
    since: Option<NaiveDateTime>,
) -> Result<Arc<Vec<Earner>>, ApiError> {
    let key = (tenant.clone(), since);
    if let Some(board) = cache.get(&key) {
        return Ok(board);
    }
    let tenant = tenant.clone();
    let board = Arc::new(
        db.read(move |conn| Ok(earners(conn, &tenant, since)?))
            .await?,
    );
    cache.put(key, Arc::clone(&board));
    Ok(board)
}

/// The names of the tenant's live (not archived) households, by id.
pub fn household_names(
    conn: &mut DbConnection,
    tenant: &TenantId,
) -> QueryResult<HashMap<HouseholdId, String>> {
    Ok(households::table
        .filter(households::tenant_id.eq(tenant))
        .filter(households::archived_at.is_null())
        .select((households::id, households::name))
        .load::<(HouseholdId, String)>(conn)?
        .into_iter()
        .collect())
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

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn periods_begin_at_utc_midnight_of_the_month_and_the_monday() {
        // 2026-11-22 is a Sunday.
        let now = at("2026-11-22 23:59:59");
        assert_eq!(Period::All.since(now), None);
        assert_eq!(Period::Month.since(now), Some(at("2026-11-01 00:00:00")));
        assert_eq!(Period::Week.since(now), Some(at("2026-11-16 00:00:00")));
        let monday = at("2026-11-23 00:00:00");
        assert_eq!(Period::Week.since(monday), Some(monday));
        assert_eq!(
            Period::Week.since(at("2026-01-01 12:00:00")),
            Some(at("2025-12-29 00:00:00")),
            "a week can start in the previous year"
        );
    }

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
}
