//! Redemption bodies

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::{RewardId, UserId};
use crate::error::ApiError;
use crate::rewards::model::{Redemption, RedemptionStatus};
use crate::rewards::repo::RedemptionFilter;
use crate::validation::not_blank;

/// `POST /rewards/{id}/redemptions`: optional; no body redeems for the caller.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"for_user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01"}))]
pub struct RedeemRequest {
    /// Redeem on behalf of this dependant of the caller's household (debits
    /// their balance; 404 for anyone else). Absent: the caller.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub for_user_id: Option<UserId>,
}

/// `POST /admin/redemptions/claim`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"claim_code": "K7QP-3XMA-9DRT"}))]
pub struct ClaimRequest {
    /// The code the member shows (case, spaces and dashes do not matter).
    #[limit(chars = 1..=64)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub claim_code: String,
}

/// Filters of `GET /admin/redemptions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AdminRedemptionsQuery {
    /// Only in this status.
    pub status: Option<RedemptionStatus>,
    /// Only this member's.
    #[param(value_type = Option<String>, format = Uuid)]
    pub user_id: Option<UserId>,
    /// Only of this reward.
    #[param(value_type = Option<String>, format = Uuid)]
    pub reward_id: Option<RewardId>,
}

/// A redemption.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a41",
    "reward_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a31", "reward_name": "Cinema ticket",
    "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01",
    "household_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a21", "cost_points": 150,
    "status": "pending", "claim_code": "K7QP-3XMA-9DRT",
    "debit_entry_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a51", "refund_entry_id": null,
    "closed_by": null, "closed_at": null, "reason": null,
    "created_at": "2026-11-22T08:30:00Z"}))]
pub struct RedemptionResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The reward.
    #[schema(value_type = String, format = Uuid)]
    pub reward_id: String,
    /// The reward's current name.
    pub reward_name: String,
    /// Who redeemed it.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// Their household at the time.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<String>,
    /// What it cost.
    pub cost_points: i64,
    /// Status.
    pub status: RedemptionStatus,
    /// The one-time code to show when collecting; only in the member's own
    /// view and only while pending, `null` otherwise.
    pub claim_code: Option<String>,
    /// The ledger entry that paid for it.
    #[schema(value_type = String, format = Uuid)]
    pub debit_entry_id: String,
    /// The ledger entry that refunded it (cancelled or rejected).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub refund_entry_id: Option<String>,
    /// Who fulfilled, cancelled or rejected it.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub closed_by: Option<String>,
    /// When.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<NaiveDateTime>,
    /// The reason of a rejection.
    pub reason: Option<String>,
    /// When it was redeemed.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

/// Who is looking at a redemption: only its member sees the claim code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The member who redeemed it.
    Owner,
    /// An admin.
    Admin,
}

impl RedemptionResponse {
    /// The view of `redemption` (of the reward named `reward_name`) for `viewer`.
    pub fn new(redemption: Redemption, reward_name: String, viewer: Viewer) -> Self {
        let status = redemption.status;
        let show_code = viewer == Viewer::Owner && status == RedemptionStatus::Pending;
        Self {
            id: redemption.id.into(),
            reward_id: redemption.reward_id.into(),
            reward_name,
            user_id: redemption.user_id.into(),
            household_id: redemption.household_id.map(Into::into),
            cost_points: redemption.cost_points,
            status,
            claim_code: show_code.then(|| grouped(&redemption.claim_code)),
            debit_entry_id: redemption.debit_entry_id.into(),
            refund_entry_id: redemption.refund_entry_id.map(Into::into),
            closed_by: redemption.closed_by.map(Into::into),
            closed_at: redemption.closed_at,
            reason: redemption.reason,
            created_at: redemption.created_at,
        }
    }
}

/// A claim code in groups of four (`K7QP-3XMA-9DRT`), easier to read out.
fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Filters of `GET /redemptions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MyRedemptionsQuery {
    /// Only in this status.
    pub status: Option<RedemptionStatus>,
}

impl MyRedemptionsQuery {
    /// The caller's filter.
    pub fn into_filter(self, user: UserId) -> Result<RedemptionFilter, ApiError> {
        let filter = RedemptionFilter {
            user_id: Some(user),
            status: self.status,
            ..RedemptionFilter::default()
        };
        Ok(filter)
    }
}

impl AdminRedemptionsQuery {
    /// The filter asked for.
    pub fn into_filter(self) -> Result<RedemptionFilter, ApiError> {
        let filter = RedemptionFilter {
            user_id: self.user_id,
            reward_id: self.reward_id,
            status: self.status,
        };
        Ok(filter)
    }
}
