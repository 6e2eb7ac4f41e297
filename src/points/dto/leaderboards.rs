//! Leaderboard queries and standings.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::pagination::MAX_LIMIT;
use crate::points::model::Period;

/// `GET /leaderboards/…` query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardQuery {
    /// `all` (default), `month` or `week`, in UTC.
    pub period: Option<Period>,
    /// How many places to list, 1-100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

impl LeaderboardQuery {
    /// The period and the number of places asked for; a bad limit is a 400.
    pub fn parse(&self) -> Result<(Period, usize), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_PLACES);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        let places = usize::try_from(limit).map_err(|e| ApiError::internal(e.to_string()))?;
        Ok((self.period.unwrap_or(Period::All), places))
    }
}

/// Places listed when `limit` is not given.
const DEFAULT_PLACES: i64 = 10;

/// A member's place on the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberStanding {
    /// 1-based; equal points share a rank.
    pub rank: i64,
    /// The member.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// Their display name.
    pub display_name: String,
    /// Points earned in the period.
    pub points: i64,
}

/// A household's place on the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdStanding {
    /// 1-based; equal points share a rank.
    pub rank: i64,
    /// The household.
    #[schema(value_type = String, format = Uuid)]
    pub household_id: String,
    /// Its name.
    pub name: String,
    /// Points its current members earned in the period.
    pub points: i64,
}

/// The caller's own place (or their household's).
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnStanding {
    /// Rank, or `null` with no points earned in the period.
    pub rank: Option<i64>,
    /// Points earned in the period.
    pub points: i64,
}

/// The instants a leaderboard's period spans, on the tenant's calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodWindow {
    /// When the period began (UTC); `null` for `all`. The same as `period_start`.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub since: Option<NaiveDateTime>,
    /// The instant the period began (UTC): local midnight of its first day in
    /// the tenant's time zone; `null` for `all`.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub period_start: Option<NaiveDateTime>,
    /// The instant the period ends and the next begins (UTC); `null` for `all`.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub period_end: Option<NaiveDateTime>,
}

impl PeriodWindow {
    /// The window of a period bounded by `bounds` (`None`: all time).
    pub fn new(bounds: Option<(NaiveDateTime, NaiveDateTime)>) -> Self {
        Self {
            since: bounds.map(|(start, _)| start),
            period_start: bounds.map(|(start, _)| start),
            period_end: bounds.map(|(_, end)| end),
        }
    }
}

/// A leaderboard of members.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"period": "month", "since": "2026-11-01T00:00:00Z",
    "period_start": "2026-11-01T00:00:00Z", "period_end": "2026-12-01T00:00:00Z",
    "data": [
        {"rank": 1, "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "display_name": "Ann", "points": 120},
        {"rank": 2, "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a02", "display_name": "Bob", "points": 80},
        {"rank": 2, "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a03", "display_name": "Cara", "points": 80}],
    "me": {"rank": 2, "points": 80}}))]
pub struct MembersLeaderboard {
    /// The period.
    pub period: Period,
    /// When the period starts and ends.
    #[serde(flatten)]
    pub window: PeriodWindow,
    /// The top places, best first; among equal points the earlier-created member first.
    pub data: Vec<MemberStanding>,
    /// The caller's own place, listed or not.
    pub me: OwnStanding,
}

/// A leaderboard of households.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"period": "all", "since": null, "period_start": null, "period_end": null,
    "data": [{"rank": 1, "household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "name": "The Smiths", "points": 410}],
    "me": {"rank": 1, "points": 410}}))]
pub struct HouseholdsLeaderboard {
    /// The period.
    pub period: Period,
    /// When the period starts and ends.
    #[serde(flatten)]
    pub window: PeriodWindow,
    /// The top places, best first; among equal points the earlier-created household first.
    pub data: Vec<HouseholdStanding>,
    /// The caller's household's place; `null` when the caller has no household.
    pub me: Option<OwnStanding>,
}
