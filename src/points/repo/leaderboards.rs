//! Leaderboard queries. The all-time board reads the `users.points_earned`
//! counter that every posting moves; a month or a week sums `earned` through
//! the covering index `point_entries_earned (tenant_id, created_at, user_id,
//! earned)`. Only active members count.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::auth::UserStatus;
use crate::datetime::{MAX_YEAR, MIN_YEAR};
use crate::db::schema::{households, point_entries, users};
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::points::model::Earner;

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

/// Active members of the tenant with points earned from `since` until before
/// `until` (all time when `None`), in no particular order.
pub fn earners(
    conn: &mut DbConnection,
    tenant: &TenantId,
    period: Option<(NaiveDateTime, NaiveDateTime)>,
) -> QueryResult<Vec<Earner>> {
    let active = UserStatus::Active.as_str();
    let Some((since, until)) = period else {
        return users::table
            .filter(users::tenant_id.eq(tenant))
            .filter(users::points_earned.gt(0))
            .filter(users::status.eq(active))
            .select((
                users::id,
                users::display_name,
                users::household_id,
                users::points_earned,
                users::kind,
            ))
            .load(conn);
    };
    point_entries::table
        .inner_join(crate::same_tenant!(users on point_entries.user_id))
        .filter(point_entries::tenant_id.eq(tenant))
        .filter(point_entries::created_at.ge(since))
        .filter(point_entries::created_at.lt(until))
        .filter(users::status.eq(active))
        .group_by((
            users::id,
            users::display_name,
            users::household_id,
            users::kind,
        ))
        .having(EarnedInGroup.gt(0))
        .select((
            users::id,
            users::display_name,
            users::household_id,
            EarnedInGroup,
            users::kind,
        ))
        .load(conn)
}

/// The points each of `members` earned from `from` until before `to` (either
/// open), members who earned none left out. One query.
pub fn earned_by(
    conn: &mut DbConnection,
    tenant: &TenantId,
    members: &[UserId],
    (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
) -> QueryResult<HashMap<UserId, i64>> {
    // Open ends become the first and last instants a request may name, so
    // the statement keeps one shape (diesel cannot group a boxed query).
    // Both stay four-digit years: SQLite compares timestamps as text.
    let instant = |y, m, d, h, min, sec| {
        chrono::NaiveDate::from_ymd_opt(y, m, d).and_then(|day| day.and_hms_opt(h, min, sec))
    };
    let (Some(first), Some(last)) = (
        instant(MIN_YEAR, 1, 1, 0, 0, 0),
        instant(MAX_YEAR, 12, 31, 23, 59, 59),
    ) else {
        return Ok(HashMap::new());
    };
    let rows: Vec<(UserId, i64)> = point_entries::table
        .filter(point_entries::tenant_id.eq(tenant))
        .filter(point_entries::user_id.eq_any(members))
        .filter(point_entries::created_at.ge(from.unwrap_or(first)))
        .filter(point_entries::created_at.lt(to.unwrap_or(last)))
        .group_by(point_entries::user_id)
        .select((point_entries::user_id, EarnedInGroup))
        .load(conn)?;
    Ok(rows.into_iter().collect())
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
