//! Catalogue bodies

use std::collections::HashMap;

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::datetime::Timestamp;
use crate::error::ApiError;
use crate::rewards::model::{LimitPeriod, RedemptionStatus, Reward};
use crate::rewards::repo::Catalogue;
use crate::validation::{explicit_null, not_blank};

/// `POST /admin/rewards`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Cinema ticket", "description": "One adult ticket, any showing.",
    "cost_points": 150, "stock": 50, "limit_per_member": 1, "limit_per_household": 2,
    "limit_period": "month", "available_from": "2026-12-01T00:00:00Z",
    "available_until": null, "active": true}))]
pub struct CreateRewardRequest {
    /// Name, 1-100 characters.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: String,
    /// Longer description, up to 1000 characters.
    #[limit(chars = ..=1000)]
    pub description: Option<String>,
    /// Points it costs, 1-10000000.
    #[limit(range = 1..=10_000_000)]
    pub cost_points: i64,
    /// Units available, 0-1000000000; absent or `null` is unlimited.
    #[limit(range = 0..=1_000_000_000)]
    pub stock: Option<i64>,
    /// Most redemptions per member per period, 1-10000; absent is no limit.
    #[limit(range = 1..=10_000)]
    pub limit_per_member: Option<i64>,
    /// Most redemptions per household per period, 1-10000; absent is no limit.
    #[limit(range = 1..=10_000)]
    pub limit_per_household: Option<i64>,
    /// The UTC period limits count in (default `none`: ever).
    pub limit_period: Option<LimitPeriod>,
    /// Redeemable from (RFC 3339); absent is at once.
    pub available_from: Option<Timestamp>,
    /// Redeemable until, exclusive (RFC 3339), after `available_from`; absent is open-ended.
    pub available_until: Option<Timestamp>,
    /// Offered to members (default true).
    pub active: Option<bool>,
}

/// `PATCH /admin/rewards/{id}`: absent fields keep their value, `null` clears
/// an optional one. A new cost or stock applies to later redemptions only.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"stock": 80, "cost_points": 120}))]
pub struct UpdateRewardRequest {
    /// New name.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: Option<String>,
    /// New description; `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(chars = ..=1000)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// New cost.
    #[limit(range = 1..=10_000_000)]
    pub cost_points: Option<i64>,
    /// Units available from now on; `null` makes it unlimited.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(range = 0..=1_000_000_000)]
    #[schema(value_type = Option<i64>)]
    pub stock: Option<Option<i64>>,
    /// New limit per member; `null` removes it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(range = 1..=10_000)]
    #[schema(value_type = Option<i64>)]
    pub limit_per_member: Option<Option<i64>>,
    /// New limit per household; `null` removes it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(range = 1..=10_000)]
    #[schema(value_type = Option<i64>)]
    pub limit_per_household: Option<Option<i64>>,
    /// New limit period.
    pub limit_period: Option<LimitPeriod>,
    /// New window start; `null` removes it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<Timestamp>)]
    pub available_from: Option<Option<Timestamp>>,
    /// New window end; `null` removes it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<Timestamp>)]
    pub available_until: Option<Option<Timestamp>>,
    /// Offered to members or not.
    pub active: Option<bool>,
}

/// Filters of `GET /admin/rewards`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AdminRewardsQuery {
    /// Include archived rewards.
    pub archived: Option<bool>,
}

/// A reward as members see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a31", "name": "Cinema ticket",
    "description": "One adult ticket, any showing.", "cost_points": 150, "stock": 12,
    "limit_per_member": 1, "limit_per_household": 2, "limit_period": "month",
    "available_from": null, "available_until": null, "active": true}))]
pub struct RewardResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Points it costs.
    pub cost_points: i64,
    /// Units left; `null` is unlimited, 0 is sold out.
    pub stock: Option<i64>,
    /// Most redemptions per member per period; `null` is no limit.
    pub limit_per_member: Option<i64>,
    /// Most redemptions per household per period; `null` is no limit.
    pub limit_per_household: Option<i64>,
    /// The UTC period limits count in.
    pub limit_period: LimitPeriod,
    /// Redeemable from.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub available_from: Option<NaiveDateTime>,
    /// Redeemable until (exclusive).
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub available_until: Option<NaiveDateTime>,
    /// Offered to members.
    pub active: bool,
}

impl From<&Reward> for RewardResponse {
    fn from(r: &Reward) -> Self {
        Self {
            id: r.id.to_string(),
            name: r.name.clone(),
            description: r.description.clone(),
            cost_points: r.cost_points,
            stock: r.stock,
            limit_per_member: r.limit_per_member,
            limit_per_household: r.limit_per_household,
            limit_period: r.limit_period,
            available_from: r.available_from,
            available_until: r.available_until,
            active: r.active,
        }
    }
}

/// How many redemptions of a reward are in each status.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct RedemptionCounts {
    /// Waiting to be handed over.
    pub pending: i64,
    /// Handed over.
    pub fulfilled: i64,
    /// Cancelled by members.
    pub cancelled: i64,
    /// Rejected by admins.
    pub rejected: i64,
}

impl RedemptionCounts {
    /// From counts keyed by stored status.
    pub fn from_map(counts: Option<&HashMap<String, i64>>) -> Self {
        let of = |status: RedemptionStatus| {
            counts
                .and_then(|c| c.get(status.as_str()))
                .copied()
                .unwrap_or(0)
        };
        Self {
            pending: of(RedemptionStatus::Pending),
            fulfilled: of(RedemptionStatus::Fulfilled),
            cancelled: of(RedemptionStatus::Cancelled),
            rejected: of(RedemptionStatus::Rejected),
        }
    }
}

/// A reward as admins see it: with its history and redemption counts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a31", "name": "Cinema ticket",
    "description": null, "cost_points": 150, "stock": 12, "limit_per_member": 1,
    "limit_per_household": null, "limit_period": "month", "available_from": null,
    "available_until": null, "active": true, "archived_at": null,
    "created_at": "2026-11-22T08:30:00Z", "updated_at": "2026-11-22T08:30:00Z",
    "redemptions": {"pending": 3, "fulfilled": 35, "cancelled": 1, "rejected": 0}}))]
pub struct AdminRewardResponse {
    /// The reward.
    #[serde(flatten)]
    pub reward: RewardResponse,
    /// When it was archived.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub archived_at: Option<NaiveDateTime>,
    /// Creation time.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// Last change.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    /// Its redemptions by status.
    pub redemptions: RedemptionCounts,
}

impl AdminRewardResponse {
    /// The admin view of `reward` with its `counts`.
    pub fn new(reward: &Reward, counts: Option<&HashMap<String, i64>>) -> Self {
        Self {
            reward: reward.into(),
            archived_at: reward.archived_at,
            created_at: reward.created_at,
            updated_at: reward.updated_at,
            redemptions: RedemptionCounts::from_map(counts),
        }
    }
}

/// `POST /admin/redemptions/{id}/reject`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Not collected before the event ended"}))]
pub struct RejectRequest {
    /// Why (required, shown to the member).
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub reason: String,
}

impl AdminRewardsQuery {
    /// Which part of the catalogue.
    pub fn into_filter(self) -> Result<Catalogue, ApiError> {
        let catalogue = if self.archived.unwrap_or(false) {
            Catalogue::All
        } else {
            Catalogue::Live
        };
        Ok(catalogue)
    }
}
