//! The recurring-dues job: every instance runs it (see [`run_periodically`]),
//! and each run issues the charge-schedule periods that have begun on their
//! tenant's calendar, then mails the reminders that are due (`notices`).
//!
//! Exactly once, however many instances run it and wherever one stops: each
//! (schedule, household, period) is charged in its own transaction, which
//! holds the household's row, checks the `scheduled_charges` key, issues the
//! charge and writes the key. A second instance waits for the household's
//! row and then finds the key; were it to get past that, the key's primary
//! key refuses its row and its transaction rolls back whole. A schedule moves
//! to its next period only once every household has this one, so a run cut
//! short (a crash, the batch limit) leaves the rest to the next run.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};

use crate::calendar::Calendar;
use crate::clock::Clock;
use crate::db::{Db, DbConnection, HouseholdId, TenantId, write_tx};
use crate::error::{ApiError, ErrorCode};
use crate::households;
use crate::payments::model::{ChargeSchedule, ScheduledCharge};
use crate::payments::repo;
use crate::payments::rules::due_date;
use crate::payments::service::charges::{NewCharge, issue_charge};
use crate::payments::service::money::{Actor, lock_household};
use crate::payments::service::notices::remind_due;
use crate::payments::service::schedules::cadence;
use crate::periodic::{self, JobHandle};
use crate::request_context::RequestMeta;
use crate::tenants;

/// Issues every due period of every tenant's schedules at `now`, at most
/// `budget` charges; returns how many this run issued.
pub fn issue_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    budget: usize,
) -> Result<usize, ApiError> {
    let mut issued = 0;
    for tenant in tenants::tenant_ids(conn)? {
        if issued >= budget {
            break;
        }
        issued += issue_due_for(conn, &tenant, now, budget - issued)?;
    }
    Ok(issued)
}

fn issue_due_for(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
    budget: usize,
) -> Result<usize, ApiError> {
    let Some(settings) = tenants::tenant(conn, tenant)? else {
        return Ok(0);
    };
    let calendar = settings.calendar();
    let (today, terms) = (calendar.local_date(now), settings.terms());
    let mut issued = 0;
    for schedule in repo::due_schedules(conn, tenant, today)? {
        let mut period = schedule.next_period;
        while let Some(start) = period.filter(|start| *start <= today) {
            let owed = households_owing(conn, &schedule, start, &calendar)?;
            for household in &owed {
                if issued == budget {
                    return Ok(issued);
                }
                if issue_one(conn, &schedule, household, (start, &settings.currency))? {
                    issued += 1;
                }
            }
            period = cadence(&schedule, schedule.ends_on, &terms).after(start);
            repo::advance_schedule(conn, tenant, &schedule.id, start, period)?;
        }
    }
    Ok(issued)
}

/// The live households the schedule charges for the period starting `start`
/// that it has not charged yet. Listed households count from their
/// `eligible_from`; with `all_active`, a household created after the
/// schedule counts from the first period that starts after its creation day.
fn households_owing(
    conn: &mut DbConnection,
    schedule: &ChargeSchedule,
    start: NaiveDate,
    calendar: &Calendar,
) -> Result<Vec<HouseholdId>, ApiError> {
    let tenant = &schedule.tenant_id;
    let live = households::live_ids_with_created_at(conn, tenant)?;
    let charged: HashSet<HouseholdId> =
        repo::charged_for_period(conn, tenant, &schedule.id, start)?
            .into_iter()
            .collect();
    let eligible: Vec<HouseholdId> = if schedule.all_active {
        let period_begins = calendar.start_of(start);
        live.into_iter()
            .filter(|(_, created)| *created <= schedule.created_at || *created < period_begins)
            .map(|(id, _)| id)
            .collect()
    } else {
        let live_ids: HashSet<&HouseholdId> = live.iter().map(|(id, _)| id).collect();
        let targets = repo::schedule_targets(conn, tenant, &schedule.id)?;
        targets
            .into_iter()
            .filter(|t| t.eligible_from <= start)
            .filter(|t| live_ids.contains(&t.household_id))
            .map(|t| t.household_id)
            .collect()
    };
    Ok(eligible
        .into_iter()
        .filter(|h| !charged.contains(h))
        .collect())
}

/// Charges `household` for the period starting `start`, once: false when
/// another instance already did, or the household was archived or the
/// schedule stopped meanwhile. What the charge says is read again inside the
/// transaction, so a change an admin made during the run applies to it.
fn issue_one(
    conn: &mut DbConnection,
    schedule: &ChargeSchedule,
    household: &HouseholdId,
    (start, currency): (NaiveDate, &str),
) -> Result<bool, ApiError> {
    let tenant = &schedule.tenant_id;
    let key = (&schedule.id, household, start);
    let meta = RequestMeta {
        request_id: Some(format!("dues-job {} {start}", schedule.id)),
        ..RequestMeta::default()
    };
    let attempt: Result<bool, ApiError> = write_tx(conn, |conn| {
        lock_household(conn, tenant, household)?;
        if repo::is_charged(conn, tenant, key)? {
            return Ok(false);
        }
        let Some(schedule) =
            repo::get_schedule(conn, tenant, &schedule.id)?.filter(|s| s.stopped_at.is_none())
        else {
            return Ok(false);
        };
        let new = NewCharge {
            description: &schedule.description,
            amount: schedule.amount,
            due_date: due_date(start, schedule.due_after_days),
            currency,
        };
        // The admin who set the schedule up issues its charges.
        let actor = Actor {
            user: &schedule.created_by,
            meta: &meta,
        };
        let charge = issue_charge(conn, tenant, household, &new, actor)?;
        repo::insert_scheduled(
            conn,
            &ScheduledCharge {
                tenant_id: tenant.clone(),
                schedule_id: schedule.id.clone(),
                household_id: household.clone(),
                period_start: start,
                charge_id: charge.id,
            },
        )?;
        Ok(true)
    });
    match attempt {
        Ok(issued) => Ok(issued),
        // Archived since it was listed: nothing is owed for it.
        Err(e) if e.is(ErrorCode::HouseholdArchived) => Ok(false),
        // Another instance wrote the key first (its transaction won the race).
        Err(_) if repo::is_charged(conn, tenant, key)? => Ok(false),
        Err(e) => Err(e),
    }
}

/// Runs [`issue_due`], then the reminders that are due
/// ([`remind_due`]), every `interval` until the handle is dropped; each
/// takes at most `budget` charges a run.
pub fn run_periodically(db: Db, clock: Clock, interval: Duration, budget: usize) -> JobHandle {
    periodic::every("dues-job", interval, move || {
        let run = db
            .pool()
            .get()
            .map_err(|e| e.to_string())
            .and_then(|mut conn| {
                let issued = issue_due(&mut conn, clock.now(), budget);
                let reminded = remind_due(&mut conn, clock.now(), budget);
                issued
                    .and_then(|i| Ok((i, reminded?)))
                    .map_err(|e| e.to_string())
            });
        match run {
            Ok((0, 0)) => {}
            Ok((issued, reminded)) => {
                log::info!("dues job issued {issued} scheduled charges, reminded of {reminded}")
            }
            Err(e) => log::warn!("dues job: {e}"),
        }
    })
}
