//! Ledger entries, their kinds, and point rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{point_entries, point_rules};
use crate::db::{HouseholdId, PointEntryId, PointRuleId, TenantId, UserId};
use crate::outbox::WebhookEventType;
use crate::text_enum::text_enum;

text_enum!(
    /// Why points moved.
    EntryKind {
        /// Awarded by an admin, directly or by rule × quantity.
        Award = "award",
        /// A manual correction by an admin (±).
        Adjustment = "adjustment",
        /// Spent on a reward.
        Redemption = "redemption",
        /// Given back for a cancelled or rejected redemption.
        Refund = "refund",
        /// Earned by turning up to an event.
        Attendance = "attendance",
        /// Undoes an earlier entry.
        Reversal = "reversal",
    }
);

impl EntryKind {
    /// What an entry of this kind adds to leaderboards ("points earned"):
    /// awards, attendance and positive adjustments count; spending, refunds and
    /// negative adjustments do not. A reversal takes back what its original
    /// earned, so it is computed from the original instead.
    pub fn earned(self, amount: i64) -> i64 {
        match self {
            Self::Award | Self::Attendance => amount,
            Self::Adjustment => amount.max(0),
            Self::Redemption | Self::Refund | Self::Reversal => 0,
        }
    }

    /// The event an entry of this kind tells the outside. Spending and its
    /// refunds are told as the redemption's own events instead.
    pub fn event(self) -> Option<WebhookEventType> {
        match self {
            Self::Award | Self::Attendance => Some(WebhookEventType::PointsAwarded),
            Self::Adjustment => Some(WebhookEventType::PointsAdjusted),
            Self::Reversal => Some(WebhookEventType::PointsReversed),
            Self::Redemption | Self::Refund => None,
        }
    }
}

/// A ledger entry (stored once, never changed).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = point_entries)]
pub struct PointEntry {
    /// Id.
    pub id: PointEntryId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Whose points.
    pub user_id: UserId,
    /// The user's household when the entry was written.
    pub household_id: Option<HouseholdId>,
    /// Points moved (never 0).
    pub amount: i64,
    /// The balance right after this entry.
    pub balance_after: i64,
    /// What it adds to leaderboards.
    pub earned: i64,
    /// Kind (see [`EntryKind`]).
    pub kind: EntryKind,
    /// Why.
    pub reason: Option<String>,
    /// Rule of a rule-based award.
    pub rule_id: Option<PointRuleId>,
    /// Quantity of a rule-based award, in thousandths.
    pub quantity_milli: Option<i64>,
    /// What caused it.
    pub source_type: Option<String>,
    /// Id of what caused it.
    pub source_id: Option<String>,
    /// The entry this one reverses.
    pub reverses_id: Option<PointEntryId>,
    /// Who wrote it.
    pub actor_id: Option<UserId>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A point rule: "PET bottles, per kg, 10 points".
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = point_rules)]
pub struct PointRule {
    /// Id.
    pub id: PointRuleId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Name.
    pub name: String,
    /// Unit of quantity (`kg`, `bottle`).
    pub unit: String,
    /// Points per unit.
    pub points_per_unit: i64,
    /// When it was archived (no new awards).
    pub archived_at: Option<NaiveDateTime>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}
