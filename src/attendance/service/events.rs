//! Event use-cases: the admin's events and their check-in codes, the lists
//! members and admins read, and a member's own attendance.

use chrono::NaiveDateTime;

use crate::attendance::dto::{
    AttendanceSummary, CheckInCodeResponse, CreateEventRequest, EventAttendanceRow, EventResponse,
    EventsQuery, MyAttendanceRow, UpdateEventRequest,
};
use crate::attendance::model::{AttendanceStatus, Event};
use crate::attendance::repo::{self, EventChanges};
use crate::attendance::rules::{check_in_code, window};
use crate::audit;
use crate::auth::TenantCtx;
use crate::calendar::Calendar;
use crate::clock;
use crate::datetime::Timestamp;
use crate::db::{DbConnection, EventId};
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;
use crate::tenants;

/// The tenant's event `id`, or 404.
pub fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &EventId) -> Result<Event, ApiError> {
    repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// One page of events matching `query` at `now`, soonest first, for members
/// or admins (the tenant's calendar is read only when the query names a day).
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    (query, now): (&EventsQuery, NaiveDateTime),
    page: &PageRequest,
) -> Result<Page<EventResponse>, ApiError> {
    let calendar = if query.names_a_day() {
        tenants::calendar(conn, &ctx.tenant_id)?
    } else {
        Calendar::default()
    };
    let filter = query.to_filter(now, &calendar)?;
    let rows = repo::list(conn, &ctx.tenant_id, &filter, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |e| (e.starts_at, e.id.to_string()),
        |e| EventResponse::from(&e),
    ))
}

/// Creates an event; the check-in window and lateness take their defaults
/// where the request is silent.
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: CreateEventRequest,
    meta: &RequestMeta,
) -> Result<Event, ApiError> {
    let (starts_at, ends_at) = (clock::stored(body.starts_at), clock::stored(body.ends_at));
    let (opens, closes, late) = window::window(
        starts_at,
        ends_at,
        body.check_in_opens_at.map(clock::stored),
        body.check_in_closes_at.map(clock::stored),
        body.late_after.map(clock::stored),
    );
    let now = clock::now();
    let event = Event {
        id: EventId::new(),
        tenant_id: ctx.tenant_id.clone(),
        title: body.title.trim().to_string(),
        description: body.description,
        location: body.location,
        starts_at,
        ends_at,
        check_in_opens_at: opens,
        check_in_closes_at: closes,
        late_after: late,
        points_on_time: body.points_on_time.unwrap_or(0),
        points_late: body.points_late.unwrap_or(0),
        self_check_in: body.self_check_in.unwrap_or(true),
        capacity: body.capacity,
        attendees: 0,
        cancelled: false,
        code_secret: check_in_code::new_secret(),
        created_at: now,
        updated_at: now,
    };
    window::check_times(&event)?;
    repo::insert(conn, &event)?;
    audit::admin_action(conn, ctx, "event.create", "event", event.id.as_str(), meta)?;
    find(conn, ctx, &event.id)
}

fn at(time: Option<Timestamp>) -> Option<NaiveDateTime> {
    time.map(clock::stored)
}

/// Changes what the request names of an event that is not cancelled; the
/// times must still fit together.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &EventId,
    body: UpdateEventRequest,
    meta: &RequestMeta,
) -> Result<Event, ApiError> {
    let changes = EventChanges {
        title: body.title.map(|t| t.trim().to_string()),
        description: body.description,
        location: body.location,
        starts_at: at(body.starts_at),
        ends_at: at(body.ends_at),
        check_in_opens_at: at(body.check_in_opens_at),
        check_in_closes_at: at(body.check_in_closes_at),
        late_after: at(body.late_after),
        points_on_time: body.points_on_time,
        points_late: body.points_late,
        self_check_in: body.self_check_in,
        capacity: body.capacity,
        updated_at: None,
    };
    let current = find(conn, ctx, id)?;
    window::check_times(&Event {
        starts_at: changes.starts_at.unwrap_or(current.starts_at),
        ends_at: changes.ends_at.unwrap_or(current.ends_at),
        check_in_opens_at: changes
            .check_in_opens_at
            .unwrap_or(current.check_in_opens_at),
        check_in_closes_at: changes
            .check_in_closes_at
            .unwrap_or(current.check_in_closes_at),
        ..current
    })?;
    if repo::update(conn, &ctx.tenant_id, id, changes)? == 0 {
        return Err(window::cancelled());
    }
    audit::admin_action(conn, ctx, "event.update", "event", id.as_str(), meta)?;
    find(conn, ctx, id)
}

/// Cancels an event; cancelling twice is a no-op.
pub fn cancel(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &EventId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    find(conn, ctx, id)?;
    if repo::cancel(conn, &ctx.tenant_id, id)? == 1 {
        audit::admin_action(conn, ctx, "event.cancel", "event", id.as_str(), meta)?;
    }
    Ok(())
}

/// The code an event shows at `unix_secs`, when it changes and when it stops
/// being accepted.
pub fn current_code(event: &Event, unix_secs: u64) -> Result<CheckInCodeResponse, ApiError> {
    if event.cancelled {
        return Err(window::cancelled());
    }
    let (code, window_end) = check_in_code::current(&event.code_secret, &event.id, unix_secs);
    let time = |secs: u64| {
        chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
            .map(|t| t.naive_utc())
            .ok_or_else(|| ApiError::internal("check-in code time out of range"))
    };
    Ok(CheckInCodeResponse {
        code,
        refresh_at: time(window_end)?,
        expires_at: time(window_end + check_in_code::WINDOW_SECS)?,
    })
}

/// One page of the caller's own attendance, newest first, with the events.
pub fn my_attendance(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    page: &PageRequest,
) -> Result<Page<MyAttendanceRow>, ApiError> {
    let rows = repo::member_records(conn, &ctx.tenant_id, &ctx.user_id, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |(r, _)| (r.created_at, r.id.to_string()),
        |(r, e)| MyAttendanceRow {
            record: r.into(),
            event_title: e.title,
            event_starts_at: e.starts_at,
        },
    ))
}

/// One page of an event's records, newest first, with members' names.
pub fn records(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &EventId,
    page: &PageRequest,
) -> Result<Page<EventAttendanceRow>, ApiError> {
    find(conn, ctx, id)?;
    let rows = repo::event_records(conn, &ctx.tenant_id, id, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |(r, _)| (r.created_at, r.id.to_string()),
        |(r, display_name)| EventAttendanceRow {
            record: r.into(),
            display_name,
        },
    ))
}

/// How many members were present, late, absent or excused at an event, and
/// how many active members have no record yet.
pub fn summary(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &EventId,
) -> Result<AttendanceSummary, ApiError> {
    let event = find(conn, ctx, id)?;
    let counts = repo::status_counts(conn, &ctx.tenant_id, id)?;
    let not_recorded = repo::not_recorded(conn, &ctx.tenant_id, id)?;
    let of = |s: AttendanceStatus| counts.get(s.as_str()).copied().unwrap_or(0);
    Ok(AttendanceSummary {
        present: of(AttendanceStatus::Present),
        late: of(AttendanceStatus::Late),
        absent: of(AttendanceStatus::Absent),
        excused: of(AttendanceStatus::Excused),
        not_recorded,
        capacity: event.capacity,
    })
}
