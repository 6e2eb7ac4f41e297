//! Charge schedules (recurring dues): setting them up, changing what their
//! future periods get, and stopping them. The job that issues their periods
//! is in `dues`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::audit;
use crate::auth::TenantCtx;
use crate::clock;
use crate::datetime::Date;
use crate::db::{ChargeScheduleId, DbConnection, HouseholdId, TenantId};
use crate::error::ApiError;
use crate::households;
use crate::pagination::{Page, PageRequest};
use crate::payments::dto::{
    CreateScheduleRequest, ScheduleResponse, UpdateScheduleRequest, one_target,
};
use crate::payments::model::{ChargeSchedule, ScheduleTarget};
use crate::payments::repo::{self, ScheduleChange};
use crate::payments::rules::Cadence;
use crate::payments::service::money::{Actor, currency_of};
use crate::request_context::RequestMeta;
use crate::tenants;
use crate::validation::invalid;

/// The tenant's local date at `now`, and its term start dates.
fn today_and_terms(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
) -> Result<(NaiveDate, Vec<NaiveDate>), ApiError> {
    let tenant = tenants::tenant(conn, tenant)?.ok_or_else(ApiError::not_found)?;
    Ok((tenant.calendar().local_date(now), tenant.terms()))
}

/// The periods of `schedule` (with `ends_on` as given) on the tenant's terms.
pub fn cadence<'a>(
    schedule: &ChargeSchedule,
    ends_on: Option<NaiveDate>,
    terms: &'a [NaiveDate],
) -> Cadence<'a> {
    Cadence {
        frequency: schedule.frequency,
        anchor: schedule.anchor_date,
        terms,
        ends_on,
    }
}

/// 422 naming `field` unless `day` is `today` or later.
fn not_before_today(field: &str, day: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    if day < today {
        return Err(invalid(
            field,
            "in_past",
            &format!("must be today ({today}, the organisation's date) or later"),
        ));
    }
    Ok(())
}

/// `POST /admin/charge-schedules` as `ctx`'s admin.
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &CreateScheduleRequest,
    now: NaiveDateTime,
    meta: &RequestMeta,
) -> Result<ScheduleResponse, ApiError> {
    let actor = Actor {
        user: &ctx.user_id,
        meta,
    };
    let schedule = set_up(conn, &ctx.tenant_id, body, now, actor)?;
    respond(conn, &ctx.tenant_id, vec![schedule])?
        .pop()
        .ok_or_else(ApiError::not_found)
}

/// Sets up a schedule whose first period is `body.anchor_date` (today or
/// later on the tenant's calendar at `now`), with its audit event.
pub fn set_up(
    conn: &mut DbConnection,
    tenant: &TenantId,
    body: &CreateScheduleRequest,
    now: NaiveDateTime,
    actor: Actor<'_>,
) -> Result<ChargeSchedule, ApiError> {
    one_target(body.household_ids.is_some(), body.all_active)?;
    if let Some(ids) = &body.household_ids {
        households::check_live_ids(conn, tenant, ids, "household_ids")?;
    }
    let (today, terms) = today_and_terms(conn, tenant, now)?;
    let anchor = body.anchor_date.get();
    not_before_today("anchor_date", anchor, today)?;
    let ends_on = body.ends_on.map(Date::get);
    if ends_on.is_some_and(|end| end < anchor) {
        return Err(invalid(
            "ends_on",
            "before_anchor",
            "must not be before anchor_date",
        ));
    }
    let stamp = clock::now();
    let mut schedule = ChargeSchedule {
        id: ChargeScheduleId::new(),
        tenant_id: tenant.clone(),
        description: body.description.trim().to_string(),
        amount: body.amount,
        all_active: body.household_ids.is_none(),
        frequency: body.frequency,
        anchor_date: anchor,
        ends_on,
        due_after_days: body.due_after_days,
        next_period: None,
        stopped_at: None,
        created_by: actor.user.clone(),
        created_at: stamp,
        updated_at: stamp,
    };
    schedule.next_period = cadence(&schedule, ends_on, &terms).first_on_or_after(anchor);
    if schedule.next_period.is_none() {
        return Err(invalid(
            "frequency",
            "no_terms",
            "no term of the organisation starts on or after anchor_date (ends_on): \
             list them in the organisation's term_starts",
        ));
    }
    repo::insert_schedule(conn, &schedule)?;
    for household in body.household_ids.iter().flatten() {
        let target = target(&schedule, household, anchor);
        repo::add_target(conn, &target)?;
    }
    let target = ("charge_schedule", schedule.id.as_str());
    actor.audit(conn, tenant, "charge_schedule.create", target, None)?;
    Ok(schedule)
}

fn target(schedule: &ChargeSchedule, household: &HouseholdId, from: NaiveDate) -> ScheduleTarget {
    ScheduleTarget {
        tenant_id: schedule.tenant_id.clone(),
        schedule_id: schedule.id.clone(),
        household_id: household.clone(),
        eligible_from: from,
    }
}

fn live_schedule(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeScheduleId,
) -> Result<ChargeSchedule, ApiError> {
    let schedule = repo::get_schedule(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    if schedule.stopped_at.is_some() {
        return Err(ApiError::conflict(
            "This schedule was stopped; create a new one instead.",
        ));
    }
    Ok(schedule)
}

/// `PATCH /admin/charge-schedules/{id}`: changes what periods not issued yet
/// get. A household added now is charged from the first period that starts
/// after today; one removed is charged nothing more.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &ChargeScheduleId,
    body: &UpdateScheduleRequest,
    now: NaiveDateTime,
    meta: &RequestMeta,
) -> Result<ScheduleResponse, ApiError> {
    let tenant = &ctx.tenant_id;
    let schedule = live_schedule(conn, tenant, id)?;
    let (today, terms) = today_and_terms(conn, tenant, now)?;
    let mut change = ScheduleChange {
        description: body.description.as_deref().map(|d| d.trim().to_string()),
        amount: body.amount,
        due_after_days: body.due_after_days,
        updated_at: Some(clock::now()),
        ..ScheduleChange::default()
    };
    if let Some(ends_on) = body.ends_on {
        let ends_on = ends_on.map(Date::get);
        if let Some(end) = ends_on {
            not_before_today("ends_on", end, today)?;
        }
        // The first period still to issue under the new end: from the
        // pending one, or (an ended schedule) from today. A period already
        // issued is never issued again (the job's exactly-once key).
        let from = schedule.next_period.unwrap_or(today);
        change.ends_on = Some(ends_on);
        change.next_period = Some(cadence(&schedule, ends_on, &terms).first_on_or_after(from));
    }
    if let Some(ids) = &body.household_ids {
        if schedule.all_active {
            return Err(invalid(
                "household_ids",
                "all_active",
                "this schedule charges every active household",
            ));
        }
        households::check_live_ids(conn, tenant, ids, "household_ids")?;
        replace_targets(conn, &schedule, ids, today + Duration::days(1))?;
    }
    repo::update_schedule(conn, tenant, id, &change)?;
    audit::admin_action(
        conn,
        ctx,
        "charge_schedule.update",
        "charge_schedule",
        id.as_str(),
        meta,
    )?;
    get(conn, ctx, id)
}

/// Makes `ids` the households `schedule` names: new ones from `from` on.
fn replace_targets(
    conn: &mut DbConnection,
    schedule: &ChargeSchedule,
    ids: &[HouseholdId],
    from: NaiveDate,
) -> Result<(), ApiError> {
    let tenant = &schedule.tenant_id;
    let current = repo::schedule_targets(conn, tenant, &schedule.id)?;
    for old in current.iter().filter(|t| !ids.contains(&t.household_id)) {
        repo::remove_target(conn, tenant, &schedule.id, &old.household_id)?;
    }
    for new in ids
        .iter()
        .filter(|id| !current.iter().any(|t| &t.household_id == *id))
    {
        repo::add_target(conn, &target(schedule, new, from))?;
    }
    Ok(())
}

/// `DELETE /admin/charge-schedules/{id}`: no period is issued after this
/// (what it issued stays; void those charges one by one). Stopping a stopped
/// schedule changes nothing.
pub fn stop(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &ChargeScheduleId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    let tenant = &ctx.tenant_id;
    repo::get_schedule(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    if repo::stop_schedule(conn, tenant, id)? {
        audit::admin_action(
            conn,
            ctx,
            "charge_schedule.stop",
            "charge_schedule",
            id.as_str(),
            meta,
        )?;
    }
    Ok(())
}

/// The tenant's schedule `id`.
pub fn get(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &ChargeScheduleId,
) -> Result<ScheduleResponse, ApiError> {
    let schedule = repo::get_schedule(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    respond(conn, &ctx.tenant_id, vec![schedule])?
        .pop()
        .ok_or_else(ApiError::not_found)
}

/// One page of the tenant's schedules, newest first.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    page: &PageRequest,
) -> Result<Page<ScheduleResponse>, ApiError> {
    let rows = repo::list_schedules(conn, &ctx.tenant_id, page)?;
    let stored = Page::from_rows(rows, page, |s| (s.created_at, s.id.to_string()), |s| s);
    Ok(Page {
        data: respond(conn, &ctx.tenant_id, stored.data)?,
        next_cursor: stored.next_cursor,
    })
}

/// The schedules as clients see them: with their households, currency and
/// issued counts, in a constant number of queries.
fn respond(
    conn: &mut DbConnection,
    tenant: &TenantId,
    schedules: Vec<ChargeSchedule>,
) -> Result<Vec<ScheduleResponse>, ApiError> {
    let ids: Vec<&ChargeScheduleId> = schedules.iter().map(|s| &s.id).collect();
    let mut targets: HashMap<ChargeScheduleId, Vec<HouseholdId>> = HashMap::new();
    for t in repo::targets_of_schedules(conn, tenant, &ids)? {
        targets
            .entry(t.schedule_id)
            .or_default()
            .push(t.household_id);
    }
    let counts = repo::issued_counts(conn, tenant, &ids)?;
    let currency = currency_of(conn, tenant)?;
    Ok(schedules
        .into_iter()
        .map(|s| {
            let households = targets.remove(&s.id).unwrap_or_default();
            let issued = counts.get(&s.id).copied().unwrap_or(0);
            ScheduleResponse::new(s, households, currency.clone(), issued)
        })
        .collect())
}
