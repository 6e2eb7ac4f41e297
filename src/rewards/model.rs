//! Rewards and redemptions as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::calendar::Span;
use crate::db::schema::{redemptions, rewards};
use crate::db::{HouseholdId, PointEntryId, RedemptionId, RewardId, TenantId, UserId};
use crate::outbox::WebhookEventType;
use crate::text_enum::text_enum;

text_enum!(
    /// The period a reward's limits count in, on the tenant's calendar.
    LimitPeriod {
        /// Limits count every redemption ever made.
        None = "none",
        /// Limits count redemptions since local midnight today.
        Day = "day",
        /// Limits count redemptions since the week began (the tenant's `week_starts_on`, local midnight).
        Week = "week",
        /// Limits count redemptions since the first of the month, local midnight.
        Month = "month",
    }
);

impl LimitPeriod {
    /// The calendar span it counts in, `None` for all time.
    pub fn span(self) -> Option<Span> {
        match self {
            Self::None => None,
            Self::Day => Some(Span::Day),
            Self::Week => Some(Span::Week),
            Self::Month => Some(Span::Month),
        }
    }
}

text_enum!(
    /// Where a redemption stands.
    RedemptionStatus {
        /// Paid for, waiting to be handed over.
        Pending = "pending",
        /// Handed over.
        Fulfilled = "fulfilled",
        /// Cancelled by the member; points refunded, stock restored.
        Cancelled = "cancelled",
        /// Refused by an admin; points refunded, stock restored.
        Rejected = "rejected",
    }
);

impl RedemptionStatus {
    /// The event a redemption entering this status tells the outside.
    pub fn event(self) -> WebhookEventType {
        match self {
            Self::Pending => WebhookEventType::RedemptionCreated,
            Self::Fulfilled => WebhookEventType::RedemptionFulfilled,
            Self::Cancelled => WebhookEventType::RedemptionCancelled,
            Self::Rejected => WebhookEventType::RedemptionRejected,
        }
    }
}

/// A reward in the catalogue.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rewards)]
pub struct Reward {
    /// Id.
    pub id: RewardId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Name.
    pub name: String,
    /// Longer description.
    pub description: Option<String>,
    /// Points it costs now (redemptions keep the cost they paid).
    pub cost_points: i64,
    /// Units left; `None` is unlimited.
    pub stock: Option<i64>,
    /// Most redemptions per member per period.
    pub limit_per_member: Option<i64>,
    /// Most redemptions per household per period.
    pub limit_per_household: Option<i64>,
    /// The period limits count in (see [`LimitPeriod`]).
    pub limit_period: LimitPeriod,
    /// Not redeemable before.
    pub available_from: Option<NaiveDateTime>,
    /// Not redeemable from this time on.
    pub available_until: Option<NaiveDateTime>,
    /// Switched on by an admin.
    pub active: bool,
    /// When it was archived (kept as history, never redeemable again).
    pub archived_at: Option<NaiveDateTime>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

/// A redemption: a reward bought with points.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = redemptions)]
pub struct Redemption {
    /// Id.
    pub id: RedemptionId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// What was bought.
    pub reward_id: RewardId,
    /// Who bought it.
    pub user_id: UserId,
    /// The member's household when they bought it.
    pub household_id: Option<HouseholdId>,
    /// What it cost.
    pub cost_points: i64,
    /// Status (see [`RedemptionStatus`]).
    pub status: RedemptionStatus,
    /// The one-time code the member shows to collect it.
    pub claim_code: String,
    /// The ledger entry that paid for it.
    pub debit_entry_id: PointEntryId,
    /// The ledger entry that gave the points back, once cancelled or rejected.
    pub refund_entry_id: Option<PointEntryId>,
    /// Who closed it (fulfilled, cancelled or rejected).
    pub closed_by: Option<UserId>,
    /// When it was closed.
    pub closed_at: Option<NaiveDateTime>,
    /// The reason given when rejected.
    pub reason: Option<String>,
    /// When it was made.
    pub created_at: NaiveDateTime,
}
