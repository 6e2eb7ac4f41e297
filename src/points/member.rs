//! Members' points routes: their own ledger (and their dependants') and the
//! leaderboards.

use actix_web::{get, web};

use crate::auth::AuthUser;
use crate::clock::Clock;
use crate::db::{Db, UserId};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::pagination::{Page, PageQuery};
use crate::points::dto::{
    EntryResponse, HouseholdsLeaderboard, LeaderboardQuery, MembersLeaderboard,
};
use crate::points::repo::entries::EntryFilter;
use crate::points::service::leaderboards::BoardCache;
use crate::points::service::{ledger, standings};

/// List my point entries
///
/// The caller's own ledger, newest first.
#[utoipa::path(
    tag = "points",
    operation_id = "list_my_entries",
    params(PageQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of entries.", body = Page<EntryResponse>,
         links(("ReverseEntry" = (operation_id = "reverse_entry", parameters(("id" = "$response.body#/data/0/id")))))))
)]
#[get("/points/entries")]
pub async fn my_entries(
    AuthUser(ctx): AuthUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<EntryResponse>>, ApiError> {
    let page = query.parse()?;
    let filter = EntryFilter {
        user_id: Some(ctx.user_id.clone()),
        ..EntryFilter::default()
    };
    let entries = db
        .read_may_lag(move |conn| ledger::entries(conn, &ctx.tenant_id, &filter, &page))
        .await?;
    Ok(web::Json(entries))
}

/// List a dependant's point entries
///
/// The ledger of a dependant of the caller's household, newest first.
/// Anyone else (an adult of the household, another household's dependant)
/// is a 404.
#[utoipa::path(
    tag = "households",
    operation_id = "list_dependant_entries",
    params(("id" = String, Path, format = Uuid, description = "The dependant's user id"), PageQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of entries.", body = Page<EntryResponse>))
)]
#[get("/households/mine/members/{id}/entries")]
pub async fn dependant_entries(
    AuthUser(ctx): AuthUser,
    id: web::Path<UserId>,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<EntryResponse>>, ApiError> {
    let (page, id) = (query.parse()?, id.into_inner());
    let entries = db
        .read(move |conn| {
            let dependant = crate::households::my_dependant(conn, &ctx, &id)?;
            let filter = EntryFilter {
                user_id: Some(dependant.id),
                ..EntryFilter::default()
            };
            ledger::entries(conn, &ctx.tenant_id, &filter, &page)
        })
        .await?;
    Ok(web::Json(entries))
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
    clock: web::Data<Clock>,
) -> Result<web::Json<MembersLeaderboard>, ApiError> {
    let (period, places) = query.parse()?;
    let board = standings::members(&db, &boards, &ctx, (period, clock.now()), places).await?;
    Ok(web::Json(board))
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
    clock: web::Data<Clock>,
) -> Result<web::Json<HouseholdsLeaderboard>, ApiError> {
    let (period, places) = query.parse()?;
    let board = standings::households(&db, &boards, &ctx, (period, clock.now()), places).await?;
    Ok(web::Json(board))
}
