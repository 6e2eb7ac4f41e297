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
//! The queries are in `repo/leaderboards.rs` and the ranking in `rules.rs`;
//! this is the per-instance cache of the earners a board is ranked from.

use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::db::{Db, TenantId};
use crate::error::ApiError;
use crate::points::model::Earner;
use crate::points::repo::leaderboards;
use crate::ttl_cache::TtlCache;

/// The instants a board's period starts and ends (`None`: all time).
pub type PeriodBounds = Option<(NaiveDateTime, NaiveDateTime)>;

/// Boards this instance computed recently, by tenant and period, so a new
/// month or week is never served the old one.
pub type BoardCache = TtlCache<(TenantId, PeriodBounds), Arc<Vec<Earner>>>;

/// [`earners`], reusing what this instance computed within the cache's TTL
/// (`leaderboards.cache_secs`). Summing a month of a tenant's ledger is the
/// one expensive read members repeat all day (bench/README.md), and a board
/// a few seconds old is still the right board to show. Requests that miss
/// together wait for one computation.
pub async fn cached_earners(
    db: &Db,
    cache: &BoardCache,
    tenant: &TenantId,
    period: PeriodBounds,
) -> Result<Arc<Vec<Earner>>, ApiError> {
    let key = (tenant.clone(), period);
    let tenant = tenant.clone();
    cache
        .get_or_compute(key, || async move {
            let earners = db
                .read_may_lag(move |conn| Ok(leaderboards::earners(conn, &tenant, period)?))
                .await?;
            Ok(Arc::new(earners))
        })
        .await
}
