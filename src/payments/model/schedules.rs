//! Charge schedules (recurring dues) as stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{charge_schedule_households, charge_schedules, scheduled_charges};
use crate::db::{ChargeId, ChargeScheduleId, HouseholdId, TenantId, UserId};
use crate::text_enum::text_enum;

text_enum!(
    /// How often a schedule issues its charge.
    Frequency {
        /// Every 7 days from the anchor date.
        Weekly = "weekly",
        /// On the anchor date's day of every month (the last day of a shorter month).
        Monthly = "monthly",
        /// On each of the tenant's term start dates from the anchor date on.
        Termly = "termly",
    }
);

/// Recurring dues: the same charge to a set of households every period.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = charge_schedules)]
pub struct ChargeSchedule {
    /// Id.
    pub id: ChargeScheduleId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// What each charge is for.
    pub description: String,
    /// Each charge's amount in minor units.
    pub amount: i64,
    /// Every live household (`true`) or the listed ones.
    pub all_active: bool,
    /// How often.
    pub frequency: Frequency,
    /// The first period's date (the earliest term, termly).
    pub anchor_date: NaiveDate,
    /// No period starts after this date.
    pub ends_on: Option<NaiveDate>,
    /// Each charge is due this many days after its period starts.
    pub due_after_days: i32,
    /// The first period not yet issued to every household; `None` once
    /// ended or stopped.
    pub next_period: Option<NaiveDate>,
    /// When an admin stopped it.
    pub stopped_at: Option<NaiveDateTime>,
    /// The admin who set it up: the charges it issues are theirs.
    pub created_by: UserId,
    /// When.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

/// A household a schedule names, charged from the first period that starts
/// on or after `eligible_from`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = charge_schedule_households)]
pub struct ScheduleTarget {
    /// Tenant.
    pub tenant_id: TenantId,
    /// The schedule.
    pub schedule_id: ChargeScheduleId,
    /// The household.
    pub household_id: HouseholdId,
    /// Its first period starts on or after this date.
    pub eligible_from: NaiveDate,
}

/// The exactly-once key: this schedule charged this household for the
/// period starting on `period_start`, with `charge_id`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scheduled_charges)]
pub struct ScheduledCharge {
    /// Tenant.
    pub tenant_id: TenantId,
    /// The schedule.
    pub schedule_id: ChargeScheduleId,
    /// The household.
    pub household_id: HouseholdId,
    /// The period's first local date.
    pub period_start: NaiveDate,
    /// The charge issued.
    pub charge_id: ChargeId,
}
