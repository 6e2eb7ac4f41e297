//! Charge schedules, the households they name, and the exactly-once key of
//! what they issued.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::{charge_schedule_households, charge_schedules, scheduled_charges};
use crate::db::{ChargeScheduleId, DbConnection, HouseholdId, TenantId};
use crate::pagination::PageRequest;
use crate::payments::model::{ChargeSchedule, ScheduleTarget, ScheduledCharge};

/// Inserts a schedule.
pub fn insert_schedule(conn: &mut DbConnection, schedule: &ChargeSchedule) -> QueryResult<()> {
    diesel::insert_into(charge_schedules::table)
        .values(schedule)
        .execute(conn)
        .map(drop)
}

/// The schedule `id` of the tenant.
pub fn get_schedule(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeScheduleId,
) -> QueryResult<Option<ChargeSchedule>> {
    charge_schedules::table
        .filter(charge_schedules::tenant_id.eq(tenant))
        .filter(charge_schedules::id.eq(id))
        .select(ChargeSchedule::as_select())
        .first(conn)
        .optional()
}

/// One page of the tenant's schedules, newest first.
pub fn list_schedules(
    conn: &mut DbConnection,
    tenant: &TenantId,
    page: &PageRequest,
) -> QueryResult<Vec<ChargeSchedule>> {
    let query = charge_schedules::table
        .filter(charge_schedules::tenant_id.eq(tenant))
        .select(ChargeSchedule::as_select())
        .into_boxed();
    crate::paginate!(query, charge_schedules, page).load(conn)
}

/// What an admin may change of a schedule (`None` keeps a value).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = charge_schedules)]
pub struct ScheduleChange {
    /// What each charge is for.
    pub description: Option<String>,
    /// Each charge's amount.
    pub amount: Option<i64>,
    /// Days from a period's start to its charge's due date.
    pub due_after_days: Option<i32>,
    /// The last date a period may start on (`Some(None)` removes it).
    pub ends_on: Option<Option<NaiveDate>>,
    /// The next period to issue (recomputed when `ends_on` changes).
    pub next_period: Option<Option<NaiveDate>>,
    /// When.
    pub updated_at: Option<NaiveDateTime>,
}

/// Applies `change` to a live (not stopped) schedule; false when it was stopped.
pub fn update_schedule(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeScheduleId,
    change: &ScheduleChange,
) -> QueryResult<bool> {
    let updated = diesel::update(
        charge_schedules::table
            .filter(charge_schedules::tenant_id.eq(tenant))
            .filter(charge_schedules::id.eq(id))
            .filter(charge_schedules::stopped_at.is_null()),
    )
    .set(change)
    .execute(conn)?;
    Ok(updated == 1)
}

/// Stops a schedule: no period is issued after this; false when it already was.
pub fn stop_schedule(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeScheduleId,
) -> QueryResult<bool> {
    let now = clock::now();
    let updated = diesel::update(
        charge_schedules::table
            .filter(charge_schedules::tenant_id.eq(tenant))
            .filter(charge_schedules::id.eq(id))
            .filter(charge_schedules::stopped_at.is_null()),
    )
    .set((
        charge_schedules::stopped_at.eq(now),
        charge_schedules::next_period.eq(None::<NaiveDate>),
        charge_schedules::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The tenant's live schedules with a period due on or before `today`.
pub fn due_schedules(
    conn: &mut DbConnection,
    tenant: &TenantId,
    today: NaiveDate,
) -> QueryResult<Vec<ChargeSchedule>> {
    charge_schedules::table
        .filter(charge_schedules::tenant_id.eq(tenant))
        .filter(charge_schedules::stopped_at.is_null())
        .filter(charge_schedules::next_period.le(today))
        .order((
            charge_schedules::next_period.asc(),
            charge_schedules::id.asc(),
        ))
        .select(ChargeSchedule::as_select())
        .load(conn)
}

/// Moves a schedule from the period starting `done` to `next` (`None`: it has
/// ended), unless another instance already did.
pub fn advance_schedule(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeScheduleId,
    done: NaiveDate,
    next: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::update(
        charge_schedules::table
            .filter(charge_schedules::tenant_id.eq(tenant))
            .filter(charge_schedules::id.eq(id))
            .filter(charge_schedules::next_period.eq(done)),
    )
    .set(charge_schedules::next_period.eq(next))
    .execute(conn)
    .map(drop)
}

/// The households a schedule names, by id.
pub fn schedule_targets(
    conn: &mut DbConnection,
    tenant: &TenantId,
    schedule: &ChargeScheduleId,
) -> QueryResult<Vec<ScheduleTarget>> {
    charge_schedule_households::table
        .filter(charge_schedule_households::tenant_id.eq(tenant))
        .filter(charge_schedule_households::schedule_id.eq(schedule))
        .order(charge_schedule_households::household_id.asc())
        .select(ScheduleTarget::as_select())
        .load(conn)
}

/// Names a household in a schedule.
pub fn add_target(conn: &mut DbConnection, target: &ScheduleTarget) -> QueryResult<()> {
    diesel::insert_into(charge_schedule_households::table)
        .values(target)
        .execute(conn)
        .map(drop)
}

/// No longer names `household` in the schedule (what it was charged stays).
pub fn remove_target(
    conn: &mut DbConnection,
    tenant: &TenantId,
    schedule: &ChargeScheduleId,
    household: &HouseholdId,
) -> QueryResult<()> {
    diesel::delete(
        charge_schedule_households::table
            .filter(charge_schedule_households::tenant_id.eq(tenant))
            .filter(charge_schedule_households::schedule_id.eq(schedule))
            .filter(charge_schedule_households::household_id.eq(household)),
    )
    .execute(conn)
    .map(drop)
}

/// The households already charged for the period starting `period_start`.
pub fn charged_for_period(
    conn: &mut DbConnection,
    tenant: &TenantId,
    schedule: &ChargeScheduleId,
    period_start: NaiveDate,
) -> QueryResult<Vec<HouseholdId>> {
    scheduled_charges::table
        .filter(scheduled_charges::tenant_id.eq(tenant))
        .filter(scheduled_charges::schedule_id.eq(schedule))
        .filter(scheduled_charges::period_start.eq(period_start))
        .select(scheduled_charges::household_id)
        .load(conn)
}

/// Whether the schedule already charged `household` for the period starting
/// `period_start` (read inside the transaction that would charge it).
pub fn is_charged(
    conn: &mut DbConnection,
    tenant: &TenantId,
    key: (&ChargeScheduleId, &HouseholdId, NaiveDate),
) -> QueryResult<bool> {
    let (schedule, household, period_start) = key;
    diesel::select(diesel::dsl::exists(
        scheduled_charges::table
            .filter(scheduled_charges::tenant_id.eq(tenant))
            .filter(scheduled_charges::schedule_id.eq(schedule))
            .filter(scheduled_charges::household_id.eq(household))
            .filter(scheduled_charges::period_start.eq(period_start)),
    ))
    .get_result(conn)
}

/// Records that a period was charged (the primary key refuses a second).
pub fn insert_scheduled(conn: &mut DbConnection, row: &ScheduledCharge) -> QueryResult<()> {
    diesel::insert_into(scheduled_charges::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The households each of `schedules` names.
pub fn targets_of_schedules(
    conn: &mut DbConnection,
    tenant: &TenantId,
    schedules: &[&ChargeScheduleId],
) -> QueryResult<Vec<ScheduleTarget>> {
    charge_schedule_households::table
        .filter(charge_schedule_households::tenant_id.eq(tenant))
        .filter(charge_schedule_households::schedule_id.eq_any(schedules))
        .order((
            charge_schedule_households::schedule_id.asc(),
            charge_schedule_households::household_id.asc(),
        ))
        .select(ScheduleTarget::as_select())
        .load(conn)
}

/// How many charges each of `schedules` has issued (one query).
pub fn issued_counts(
    conn: &mut DbConnection,
    tenant: &TenantId,
    schedules: &[&ChargeScheduleId],
) -> QueryResult<HashMap<ChargeScheduleId, i64>> {
    let rows: Vec<(ChargeScheduleId, i64)> = scheduled_charges::table
        .filter(scheduled_charges::tenant_id.eq(tenant))
        .filter(scheduled_charges::schedule_id.eq_any(schedules))
        .group_by(scheduled_charges::schedule_id)
        .select((scheduled_charges::schedule_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
