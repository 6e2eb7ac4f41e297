//! Charge schedule bodies

use chrono::{NaiveDate, NaiveDateTime};
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::datetime::Date;
use crate::db::HouseholdId;
use crate::payments::model::{ChargeSchedule, Frequency};
use crate::validation::{explicit_null, not_blank};

/// `POST /admin/charge-schedules`: either `household_ids` or `all_active: true`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Monthly dues", "amount": 2500, "all_active": true,
    "frequency": "monthly", "anchor_date": "2027-01-01", "due_after_days": 14}))]
pub struct CreateScheduleRequest {
    /// What each charge is for, 1-200 characters.
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub description: String,
    /// Each charge's amount in minor units, 1-100000000000.
    #[limit(range = 1..=100_000_000_000_i64)]
    pub amount: i64,
    /// The households to charge (1-500), each from the first period on.
    #[limit(items = 1..=500, of = "households")]
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub household_ids: Option<Vec<HouseholdId>>,
    /// `true`: every household that is not archived when a period starts
    /// (one created later from the period after the one it was created in).
    pub all_active: Option<bool>,
    /// `weekly`, `monthly` or `termly` (on the organisation's `term_starts`).
    pub frequency: Frequency,
    /// The first period's local date (weekly, monthly: the day of the week
    /// or month it repeats on), or the earliest term date (termly); today or
    /// later in the organisation's time zone.
    pub anchor_date: Date,
    /// No period starts after this local date.
    pub ends_on: Option<Date>,
    /// Each charge is due this many days after its period starts (0-366).
    #[limit(range = 0..=366)]
    pub due_after_days: i32,
}

/// `PATCH /admin/charge-schedules/{id}`: what periods not issued yet get.
/// The frequency and the anchor are fixed (stop the schedule and create
/// another instead).
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount": 2750, "ends_on": "2027-07-31"}))]
pub struct UpdateScheduleRequest {
    /// What each charge is for, 1-200 characters.
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub description: Option<String>,
    /// Each charge's amount, 1-100000000000.
    #[limit(range = 1..=100_000_000_000_i64)]
    pub amount: Option<i64>,
    /// Days from a period's start to its due date (0-366).
    #[limit(range = 0..=366)]
    pub due_after_days: Option<i32>,
    /// The last date a period may start on, today or later; `null` removes it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Option<Date>>,
    /// The households to charge from now on (1-500; only for a schedule
    /// with listed households). One added now is charged from the next
    /// period that starts after today.
    #[limit(items = 1..=500, of = "households")]
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub household_ids: Option<Vec<HouseholdId>>,
}

crate::text_enum::text_enum!(
    /// Whether a schedule still issues charges.
    ScheduleStatus {
        /// It issues each period's charges.
        Active = "active",
        /// Its last period is issued (`ends_on`, or no term left).
        Ended = "ended",
        /// An admin stopped it.
        Stopped = "stopped",
    }
);

/// A charge schedule.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5ab1", "description": "Monthly dues",
    "amount": 2500, "currency": "EUR", "all_active": true, "household_ids": [],
    "frequency": "monthly", "anchor_date": "2027-01-01", "ends_on": null, "due_after_days": 14,
    "next_period": "2027-01-01", "status": "active", "issued_count": 0,
    "created_at": "2026-12-01T09:00:00Z", "stopped_at": null}))]
pub struct ScheduleResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// What each charge is for.
    pub description: String,
    /// Each charge's amount in minor units.
    pub amount: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Every live household, or the listed ones.
    pub all_active: bool,
    /// The listed households (empty with `all_active`).
    #[schema(value_type = Vec<String>)]
    pub household_ids: Vec<String>,
    /// How often.
    pub frequency: Frequency,
    /// The first period's date (the earliest term, termly).
    #[schema(value_type = String, format = Date)]
    pub anchor_date: NaiveDate,
    /// No period starts after this date.
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<NaiveDate>,
    /// Days from a period's start to its due date.
    pub due_after_days: i32,
    /// The next period to issue (its first local date); `null` once ended or stopped.
    #[schema(value_type = Option<String>, format = Date)]
    pub next_period: Option<NaiveDate>,
    /// Whether it still issues charges.
    pub status: ScheduleStatus,
    /// Charges it has issued so far.
    pub issued_count: i64,
    /// When it was created.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// When it was stopped.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub stopped_at: Option<NaiveDateTime>,
}

impl ScheduleResponse {
    /// The response for `schedule`, with its listed households, the tenant's
    /// currency and how many charges it issued.
    pub fn new(
        schedule: ChargeSchedule,
        household_ids: Vec<HouseholdId>,
        currency: String,
        issued_count: i64,
    ) -> Self {
        let status = match (schedule.stopped_at, schedule.next_period) {
            (Some(_), _) => ScheduleStatus::Stopped,
            (None, None) => ScheduleStatus::Ended,
            (None, Some(_)) => ScheduleStatus::Active,
        };
        Self {
            id: schedule.id.into(),
            description: schedule.description,
            amount: schedule.amount,
            currency,
            all_active: schedule.all_active,
            household_ids: household_ids.into_iter().map(Into::into).collect(),
            frequency: schedule.frequency,
            anchor_date: schedule.anchor_date,
            ends_on: schedule.ends_on,
            due_after_days: schedule.due_after_days,
            next_period: schedule.next_period,
            status,
            issued_count,
            created_at: schedule.created_at,
            stopped_at: schedule.stopped_at,
        }
    }
}
