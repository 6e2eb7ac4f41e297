//! `GET /leaderboards/members` and `GET /leaderboards/households`.

use actix_web::{get, web};

use crate::auth::AuthUser;
use crate::clock;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::identity::repo::users;
use crate::pagination::MAX_LIMIT;
use crate::points::dto::{
    HouseholdStanding, HouseholdsLeaderboard, LeaderboardQuery, MemberStanding, MembersLeaderboard,
    OwnStanding,
};
use crate::points::service::leaderboards::{self, BoardCache, Period, Ranked};

/// Places listed when `limit` is not given.
const DEFAULT_PLACES: i64 = 10;

/// The period and the number of places asked for; a bad limit is a 400.
fn parse(query: &LeaderboardQuery) -> Result<(Period, usize), ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_PLACES);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let places = usize::try_from(limit).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((query.period.unwrap_or(Period::All), places))
}

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

/// Leaderboard of members
///
/// Members by points earned in the period, with the caller's own place.
#[utoipa::path(
    tag = "points",
    operation_id = "members_leaderboard",
    params(LeaderboardQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "The top places and the caller's own.", body = MembersLeaderboard))
)]
#[get("/leaderboards/members")]
pub async fn members(
    AuthUser(ctx): AuthUser,
    query: Query<LeaderboardQuery>,
    db: web::Data<Db>,
    boards: web::Data<BoardCache>,
) -> Result<web::Json<MembersLeaderboard>, ApiError> {
    let (period, places) = parse(&query)?;
    let since = period.since(clock::now());
    let earners = leaderboards::cached_earners(&db, &boards, &ctx.tenant_id, since).await?;
    let rows = earners.iter().map(|e| (e.points, e)).collect();
    let board = leaderboards::rank(rows, |a, b| a.user_id.cmp(&b.user_id));
    let me = own_standing(&board, |e| e.user_id == ctx.user_id);
    Ok(web::Json(MembersLeaderboard {
        period,
        since,
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
    }))
}

/// Leaderboard of households
///
/// Households by the points their current members earned in the period, with
/// the caller's household's place.
#[utoipa::path(
    tag = "points",
    operation_id = "households_leaderboard",
    params(LeaderboardQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "The top places and the caller's household's.", body = HouseholdsLeaderboard))
)]
#[get("/leaderboards/households")]
pub async fn households(
    AuthUser(ctx): AuthUser,
    query: Query<LeaderboardQuery>,
    db: web::Data<Db>,
    boards: web::Data<BoardCache>,
) -> Result<web::Json<HouseholdsLeaderboard>, ApiError> {
    let (period, places) = parse(&query)?;
    let since = period.since(clock::now());
    let earners = leaderboards::cached_earners(&db, &boards, &ctx.tenant_id, since).await?;
    let (names, caller) = db
        .read(move |conn| {
            let names = leaderboards::household_names(conn, &ctx.tenant_id)?;
            let caller = users::get(conn, &ctx.tenant_id, &ctx.user_id)?;
            Ok((names, caller))
        })
        .await?;
    let board = leaderboards::rank(
        leaderboards::by_household(&earners, &names),
        |(a, _), (b, _)| a.cmp(b),
    );
    let own_household = caller
        .and_then(|user| user.household_id)
        .filter(|id| names.contains_key(id));
    let me = own_household.map(|mine| own_standing(&board, |(id, _)| *id == mine));
    Ok(web::Json(HouseholdsLeaderboard {
        period,
        since,
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
    }))
}
