//! Recording attendance, each in the caller's write transaction: arrivals
//! (self check-in and staff scans) and bulk marking. Every path first holds
//! the event's row, so the records of one event are written one at a time:
//! a member checks in once however many requests race, and capacity is never
//! exceeded. Members' ledger rows are then taken in user-id order, as batch
//! awards do, so two markings cannot deadlock on PostgreSQL.

use std::collections::HashSet;

use chrono::NaiveDateTime;

use crate::attendance::dto::AttendanceResponse;
use crate::attendance::model::{AttendanceRecord, AttendanceStatus, Event, Method};
use crate::attendance::repo;
use crate::attendance::rules::scan::{Scanned, revoked_badge};
use crate::attendance::rules::window::{self, arrival_status, attends, points_for};
use crate::attendance::service::earning;
use crate::audit::{self, AuditEntry};
use crate::auth::{TenantCtx, UserStatus};
use crate::clock;
use crate::db::{AttendanceId, Db, DbConnection, EventId, TenantId, UserId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::identity;
use crate::outbox::{self, WebhookEventType};
use crate::request_context::RequestMeta;
use crate::validation::invalid;

/// A member turning up.
#[derive(Debug, Clone)]
pub struct Arrival<'a> {
    /// The member.
    pub user: &'a UserId,
    /// When they arrived (a scanner's `scanned_at`, or now).
    pub at: NaiveDateTime,
    /// Self check-in or scan.
    pub method: Method,
    /// The staff member who scanned.
    pub recorded_by: Option<&'a UserId>,
    /// The scanner's nonce.
    pub nonce: Option<&'a str>,
}

/// What an arrival produced.
#[derive(Debug)]
pub enum Arrived {
    /// A new check-in.
    New(AttendanceRecord),
    /// A scan whose nonce was seen before: its first result.
    Replayed(AttendanceRecord),
}

fn locked_event(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &EventId,
) -> Result<Event, ApiError> {
    if !repo::lock(conn, tenant, id)? {
        return Err(ApiError::not_found());
    }
    repo::get(conn, tenant, id)?.ok_or_else(ApiError::not_found)
}

/// 409 `already_checked_in`, with the record's `attendance_status`.
fn already_checked_in(record: &AttendanceRecord) -> ApiError {
    ApiError::new(ErrorCode::AlreadyCheckedIn)
        .with_detail("This member is already checked in to this event.")
        .with_extension("attendance_status", record.status.as_str())
}

/// Records `arrival` at `event` (call inside `write_tx`): inside the check-in
/// window, once per member, within capacity, with the points its status earns.
pub fn arrive(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event_id: &EventId,
    arrival: &Arrival<'_>,
    meta: &RequestMeta,
) -> Result<Arrived, ApiError> {
    let event = locked_event(conn, tenant, event_id)?;
    if let Some(nonce) = arrival.nonce
        && let Some(first) = repo::record_by_nonce(conn, tenant, event_id, nonce)?
    {
        return Ok(Arrived::Replayed(first));
    }
    window::check_window(&event, arrival.at)?;
    let existing = repo::records_of(conn, tenant, event_id, &[arrival.user])?.remove(arrival.user);
    if let Some(record) = existing.as_ref().filter(|r| attends(r.status)) {
        return Err(already_checked_in(record));
    }
    if !repo::take_place(conn, tenant, event_id)? {
        return Err(ApiError::new(ErrorCode::EventFull)
            .with_detail("Every place at this event is taken.")
            .with_extension("capacity", event.capacity.unwrap_or_default()));
    }
    let status = arrival_status(&event, arrival.at);
    let first = existing.is_none();
    let mut record = match existing {
        // Marked absent or excused earlier, yet here after all.
        Some(record) => record,
        None => new_record(
            conn,
            tenant,
            &event,
            arrival.user,
            arrival.method,
            arrival.nonce,
        )?,
    };
    record.status = status;
    record.method = arrival.method;
    record.checked_in_at = Some(arrival.at);
    record.recorded_by = arrival.recorded_by.cloned();
    let reason = format!("{}: {status}", event.title);
    earning::settle(
        conn,
        tenant,
        &mut record,
        points_for(&event, status),
        arrival.recorded_by.or(Some(arrival.user)),
        &reason,
    )?;
    save(conn, &record, first)?;
    let action = match arrival.method {
        Method::Scan => "attendance.scan",
        Method::SelfCheckIn | Method::Bulk => "attendance.check_in",
    };
    audit::record(
        conn,
        tenant,
        AuditEntry::new(action, meta)
            .by(arrival.recorded_by.unwrap_or(arrival.user))
            .on("attendance", record.id.as_str()),
    )?;
    Ok(Arrived::New(record))
}

/// Saves the record's new status and tells the outside: `recorded` when it
/// is the record's first, `corrected` when it replaces one.
fn save(conn: &mut DbConnection, record: &AttendanceRecord, first: bool) -> Result<(), ApiError> {
    repo::save_record(conn, record)?;
    let event = if first {
        WebhookEventType::AttendanceRecorded
    } else {
        WebhookEventType::AttendanceCorrected
    };
    let seen = AttendanceResponse::from(record.clone());
    outbox::emit(conn, &record.tenant_id, event, &seen)
}

/// Inserts an empty record (no points yet) so that ledger entries can name it.
fn new_record(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &Event,
    user: &UserId,
    method: Method,
    nonce: Option<&str>,
) -> Result<AttendanceRecord, ApiError> {
    let household = identity::user(conn, tenant, user)?
        .ok_or_else(ApiError::not_found)?
        .household_id;
    let now = clock::now();
    let record = AttendanceRecord {
        id: AttendanceId::new(),
        tenant_id: tenant.clone(),
        event_id: event.id.clone(),
        user_id: user.clone(),
        household_id: household,
        status: AttendanceStatus::Absent,
        checked_in_at: None,
        method,
        recorded_by: None,
        nonce: nonce.map(str::to_string),
        points: 0,
        points_entry_id: None,
        created_at: now,
        updated_at: now,
    };
    repo::insert_record(conn, &record)?;
    Ok(record)
}

/// 409 `event_not_started`: attendance cannot be marked before check-in opens.
fn not_started(event: &Event) -> ApiError {
    let opens = clock::rfc3339_string(event.check_in_opens_at);
    ApiError::new(ErrorCode::EventNotStarted)
        .with_detail(format!(
            "Attendance can be marked from {opens}, when check-in opens."
        ))
        .with_extension("opens_at", opens)
}

/// Sets the status of every member in `marks` at `event` (call inside
/// `write_tx`), all or nothing: every user must be a member of the tenant and
/// appear once (422 naming `records[i].user_id` otherwise). Points move with
/// each changed status, exactly once. Returns the records in mark order.
pub fn mark_all(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event_id: &EventId,
    marks: &[(UserId, AttendanceStatus)],
    actor: &UserId,
    now: NaiveDateTime,
    meta: &RequestMeta,
) -> Result<Vec<AttendanceRecord>, ApiError> {
    let event = locked_event(conn, tenant, event_id)?;
    if event.cancelled {
        return Err(window::cancelled());
    }
    if now < event.check_in_opens_at {
        return Err(not_started(&event));
    }
    let ids: Vec<&UserId> = marks.iter().map(|(user, _)| user).collect();
    let members = identity::existing_user_ids(conn, tenant, &ids)?;
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for (i, (user, _)) in marks.iter().enumerate() {
        let field = format!("records[{i}].user_id");
        if !members.contains(user) {
            errors.push(FieldError::new(
                field,
                "unknown_user",
                "no user of this organisation has this id",
            ));
        } else if !seen.insert(user) {
            errors.push(FieldError::new(
                field,
                "duplicate",
                "this user is listed more than once",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }

    let mut existing = repo::records_of(conn, tenant, event_id, &ids)?;
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by(|&a, &b| marks[a].0.cmp(&marks[b].0));
    let mut records: Vec<Option<AttendanceRecord>> = vec![None; marks.len()];
    let mut attendees_delta = 0;
    for index in order {
        let (user, status) = (&marks[index].0, marks[index].1);
        let (mut record, before) = match existing.remove(user) {
            Some(record) => {
                let before = record.status;
                (record, Some(before))
            }
            None => (
                new_record(conn, tenant, &event, user, Method::Bulk, None)?,
                None,
            ),
        };
        if before != Some(status) {
            attendees_delta += i64::from(attends(status)) - i64::from(before.is_some_and(attends));
            record.status = status;
            record.method = Method::Bulk;
            record.recorded_by = Some(actor.clone());
            record.checked_in_at = match (attends(status), record.checked_in_at) {
                (true, Some(at)) => Some(at),
                (true, None) => Some(now),
                (false, _) => None,
            };
            let reason = format!("{}: marked {status}", event.title);
            let target = points_for(&event, status);
            earning::settle(conn, tenant, &mut record, target, Some(actor), &reason)?;
            save(conn, &record, before.is_none())?;
        }
        records[index] = Some(record);
    }
    repo::adjust_attendees(conn, tenant, event_id, attendees_delta)?;
    audit::record(
        conn,
        tenant,
        AuditEntry::new("attendance.mark", meta)
            .by(actor)
            .on("event", event_id.as_str()),
    )?;
    Ok(records.into_iter().flatten().collect())
}

/// Records the member a staff scan named (`member`, scanned at `at`) at
/// event `event`; the same `nonce` returns the first record.
pub fn scan(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    event: &EventId,
    (scanned, at): (Scanned, NaiveDateTime),
    nonce: Option<&str>,
    meta: &RequestMeta,
) -> Result<AttendanceRecord, ApiError> {
    let member = match scanned {
        Scanned::Member(member) => member,
        Scanned::Badge(badge) => {
            identity::badge_holder(conn, &ctx.tenant_id, &badge)?.ok_or_else(revoked_badge)?
        }
    };
    let active = identity::user(conn, &ctx.tenant_id, &member)?
        .is_some_and(|u| u.status == UserStatus::Active);
    if !active {
        return Err(invalid(
            "member_code",
            "unknown_member",
            "names no active member of this organisation",
        ));
    }
    let arrival = Arrival {
        user: &member,
        at,
        method: Method::Scan,
        recorded_by: Some(&ctx.user_id),
        nonce,
    };
    let (Arrived::New(record) | Arrived::Replayed(record)) =
        arrive(conn, &ctx.tenant_id, event, &arrival, meta)?;
    Ok(record)
}

/// Records the caller's own arrival at `now`, with the code the event shows.
/// The event, its window and the code are checked on a read first, so a wrong
/// or stale code never waits for (or holds) the write lock.
pub async fn check_in(
    db: &Db,
    ctx: TenantCtx,
    event: EventId,
    code: String,
    (now, unix_secs): (NaiveDateTime, u64),
    meta: RequestMeta,
) -> Result<AttendanceRecord, ApiError> {
    let (tenant, id) = (ctx.tenant_id.clone(), event.clone());
    let found = db
        .read(move |conn| Ok(repo::get(conn, &tenant, &id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    window::check_self_check_in(&found, &code, now, unix_secs)?;
    db.write(move |conn| {
        let arrival = Arrival {
            user: &ctx.user_id,
            at: now,
            method: Method::SelfCheckIn,
            recorded_by: None,
            nonce: None,
        };
        let (Arrived::New(record) | Arrived::Replayed(record)) =
            arrive(conn, &ctx.tenant_id, &event, &arrival, &meta)?;
        Ok(record)
    })
    .await
}
