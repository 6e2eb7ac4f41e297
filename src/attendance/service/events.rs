//! Event use-cases: the admin's events and their check-in codes, the lists
//! members and admins read, and a member's own attendance.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::attendance::dto::{
    AttendanceSummary, CheckInCodeResponse, CreateEventRequest, EventAttendanceRow, EventResponse,
    EventsQuery, MyAttendanceRow, NotRecorded, RecordedRow, UnrecordedRow, UpdateEventRequest,
};
use crate::attendance::model::{AttendanceRecord, AttendanceStatus, Event};
use crate::attendance::repo::{self, EventChanges};
use crate::attendance::rules::{check_in_code, window};
use crate::audit;
use crate::auth::TenantCtx;
use crate::calendar::Calendar;
use crate::clock;
use crate::datetime::Timestamp;
use crate::db::{DbConnection, EventId, GroupId, UserId};
use crate::error::ApiError;
use crate::groups;
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;
use crate::tenants;

/// The tenant's event `id`, or 404.
pub fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &EventId) -> Result<Event, ApiError> {
    repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// The event `id` as clients see it, with the groups it is for.
pub fn view(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &EventId,
) -> Result<EventResponse, ApiError> {
    let event = find(conn, ctx, id)?;
    let groups = groups::event_group_ids(conn, &ctx.tenant_id, id)?;
    Ok(EventResponse::new(&event, &groups))
}

/// Makes `ids` (checked: the tenant's, each once) the groups of `event`.
fn set_groups(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    event: &EventId,
    ids: &[GroupId],
) -> Result<(), ApiError> {
    groups::check_group_ids(conn, &ctx.tenant_id, ids)?;
    Ok(groups::set_event_groups(conn, &ctx.tenant_id, event, ids)?)
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
    let ids: Vec<EventId> = rows.iter().map(|e| e.id.clone()).collect();
    let groups = groups::event_groups_of(conn, &ctx.tenant_id, &ids)?;
    Ok(Page::from_rows(
        rows,
        page,
        |e| (e.starts_at, e.id.to_string()),
        |e| EventResponse::new(&e, groups.get(&e.id).map_or(&[], Vec::as_slice)),
    ))
}

/// Creates an event; the check-in window and lateness take their defaults
/// where the request is silent.
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: CreateEventRequest,
    meta: &RequestMeta,
) -> Result<EventResponse, ApiError> {
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
    if let Some(ids) = body.group_ids.as_deref().filter(|ids| !ids.is_empty()) {
        set_groups(conn, ctx, &event.id, ids)?;
    }
    audit::admin_action(conn, ctx, "event.create", "event", event.id.as_str(), meta)?;
    view(conn, ctx, &event.id)
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
) -> Result<EventResponse, ApiError> {
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
    if let Some(groups) = &body.group_ids {
        set_groups(conn, ctx, id, groups)?;
    }
    audit::admin_action(conn, ctx, "event.update", "event", id.as_str(), meta)?;
    view(conn, ctx, id)
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

/// One page of `member`'s attendance (the caller's own, or a dependant's
/// their guardian looks at), newest first, with the events.
pub fn attendance_of(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    member: &UserId,
    page: &PageRequest,
) -> Result<Page<MyAttendanceRow>, ApiError> {
    let rows = repo::member_records(conn, &ctx.tenant_id, member, page)?;
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
    if repo::has_roster(conn, &ctx.tenant_id, id)? {
        return roster(conn, ctx, id, page);
    }
    let rows = repo::event_records(conn, &ctx.tenant_id, id, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |(r, _)| (r.created_at, r.id.to_string()),
        |(r, display_name)| {
            EventAttendanceRow::Recorded(RecordedRow {
                record: r.into(),
                display_name,
            })
        },
    ))
}

/// One page of a roster event's list: everyone on the roster (and anyone
/// else recorded there), newest registered first, each with their record or
/// as not recorded, so a teacher marks the class from one list.
fn roster(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &EventId,
    page: &PageRequest,
) -> Result<Page<EventAttendanceRow>, ApiError> {
    let people = repo::roster_page(conn, &ctx.tenant_id, id, page)?;
    let ids: Vec<UserId> = people.iter().map(|(user, _, _)| user.clone()).collect();
    let mut records: HashMap<UserId, AttendanceRecord> =
        repo::records_at(conn, &ctx.tenant_id, id, &ids)?
            .into_iter()
            .map(|r| (r.user_id.clone(), r))
            .collect();
    Ok(Page::from_rows(
        people,
        page,
        |(user, _, registered)| (*registered, user.to_string()),
        |(user, display_name, _)| match records.remove(&user) {
            Some(record) => EventAttendanceRow::Recorded(RecordedRow {
                record: record.into(),
                display_name,
            }),
            None => EventAttendanceRow::NotRecorded(UnrecordedRow {
                user_id: user.into(),
                display_name,
                status: NotRecorded::NotRecorded,
            }),
        },
    ))
}

/// How many members were present, late, absent or excused at an event, and
/// how many active people expected there (its roster, else every member)
/// have no record yet.
pub fn summary(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &EventId,
) -> Result<AttendanceSummary, ApiError> {
    let event = find(conn, ctx, id)?;
    let counts = repo::status_counts(conn, &ctx.tenant_id, id)?;
    let with_roster = repo::has_roster(conn, &ctx.tenant_id, id)?;
    let not_recorded = repo::not_recorded(conn, &ctx.tenant_id, id, with_roster)?;
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
