//! Leaderboard standings as members see them: the top places of the period
//! and the caller's (or their household's) own place.

use chrono::NaiveDateTime;

use crate::auth::{TenantCtx, UserKind};
use crate::db::Db;
use crate::error::ApiError;
use crate::identity;
use crate::points::dto::{
    HouseholdStanding, HouseholdsLeaderboard, MemberStanding, MembersLeaderboard, OwnStanding,
    PeriodWindow,
};
use crate::points::model::{Earner, Period};
use crate::points::repo::leaderboards::household_names;
use crate::points::rules::{Ranked, by_household, rank};
use crate::points::service::leaderboards::{BoardCache, PeriodBounds, cached_earners};
use crate::tenants;

/// The place of the row `is_mine` picks, if it is on the board.
fn own_standing<T>(board: &[Ranked<T>], is_mine: impl Fn(&T) -> bool) -> OwnStanding {
    board.iter().find(|row| is_mine(&row.item)).map_or(
        OwnStanding {
            rank: None,
            points: 0,
        },
        |row| OwnStanding {
            rank: Some(row.rank),
            points: row.points,
        },
    )
}

/// The `period` containing `now` of the caller's tenant (its calendar: zone and first
/// weekday), `None` for all time.
async fn period_bounds(
    db: &Db,
    ctx: &TenantCtx,
    (period, now): (Period, NaiveDateTime),
) -> Result<PeriodBounds, ApiError> {
    if period == Period::All {
        return Ok(None);
    }
    let tenant = ctx.tenant_id.clone();
    let calendar = db
        .read_may_lag(move |conn| Ok(tenants::calendar(conn, &tenant)?))
        .await?;
    Ok(period.bounds(now, &calendar))
}

/// Members by points earned in `period` (the one containing `now`), the
/// first `places` of them; dependants only where the tenant shows them.
pub async fn members(
    db: &Db,
    boards: &BoardCache,
    ctx: &TenantCtx,
    (period, now): (Period, NaiveDateTime),
    places: usize,
) -> Result<MembersLeaderboard, ApiError> {
    let tenant = ctx.tenant_id.clone();
    let tenant = db
        .read_may_lag(move |conn| Ok(tenants::tenant(conn, &tenant)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let bounds = period.bounds(now, &tenant.calendar());
    let named = |e: &&Earner| tenant.leaderboards_show_dependants || e.kind == UserKind::Member;
    let earners = cached_earners(db, boards, &ctx.tenant_id, bounds).await?;
    let rows = earners
        .iter()
        .filter(named)
        .map(|e| (e.points, e))
        .collect();
    let board = rank(rows, |a, b| a.user_id.cmp(&b.user_id));
    let me = own_standing(&board, |e| e.user_id == ctx.user_id);
    Ok(MembersLeaderboard {
        period,
        window: PeriodWindow::new(bounds),
        data: board
            .into_iter()
            .take(places)
            .map(|row| MemberStanding {
                rank: row.rank,
                user_id: row.item.user_id.clone().into(),
                display_name: row.item.display_name.clone(),
                points: row.points,
            })
            .collect(),
        me,
    })
}

/// Households by the points their current members earned in `period`, the
/// first `places` of them, and the caller's household's place.
pub async fn households(
    db: &Db,
    boards: &BoardCache,
    ctx: &TenantCtx,
    (period, now): (Period, NaiveDateTime),
    places: usize,
) -> Result<HouseholdsLeaderboard, ApiError> {
    let bounds = period_bounds(db, ctx, (period, now)).await?;
    let earners = cached_earners(db, boards, &ctx.tenant_id, bounds).await?;
    let (tenant, user) = (ctx.tenant_id.clone(), ctx.user_id.clone());
    let (names, caller) = db
        .read_may_lag(move |conn| {
            let names = household_names(conn, &tenant)?;
            let caller = identity::user(conn, &tenant, &user)?;
            Ok((names, caller))
        })
        .await?;
    let board = rank(by_household(&earners, &names), |(a, _), (b, _)| a.cmp(b));
    let own_household = caller
        .and_then(|user| user.household_id)
        .filter(|id| names.contains_key(id));
    let me = own_household.map(|mine| own_standing(&board, |(id, _)| *id == mine));
    Ok(HouseholdsLeaderboard {
        period,
        window: PeriodWindow::new(bounds),
        data: board
            .into_iter()
            .take(places)
            .map(|row| {
                let (id, name) = row.item;
                HouseholdStanding {
                    rank: row.rank,
                    household_id: id.into(),
                    name,
                    points: row.points,
                }
            })
            .collect(),
        me,
    })
}
