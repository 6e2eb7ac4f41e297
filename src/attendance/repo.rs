//! Tenant-scoped queries of events and attendance records.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, exists, not};
use diesel::prelude::*;

use crate::attendance::model::{AttendanceRecord, Event};
use crate::auth::{Role, UserStatus};
use crate::clock;
use crate::db::schema::{attendance_records, event_groups, events, group_members, users};
use crate::db::{DbConnection, EventId, TenantId, UserId};
use crate::export::Position;
use crate::pagination::PageRequest;

/// The row of event `id` in the tenant.
#[diesel::dsl::auto_type(no_type_alias)]
fn one<'a>(tenant: &'a TenantId, id: &'a EventId) -> _ {
    events::table
        .filter(events::tenant_id.eq(tenant))
        .filter(events::id.eq(id))
}

/// Inserts an event.
pub fn insert(conn: &mut DbConnection, event: &Event) -> QueryResult<()> {
    diesel::insert_into(events::table)
        .values(event)
        .execute(conn)
        .map(drop)
}

/// The event `id` of the tenant.
pub fn get(conn: &mut DbConnection, tenant: &TenantId, id: &EventId) -> QueryResult<Option<Event>> {
    one(tenant, id)
        .select(Event::as_select())
        .first(conn)
        .optional()
}

/// Which events a list shows, ordered by start.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only events still going on at this time (ending after it).
    pub ending_after: Option<NaiveDateTime>,
    /// Only events starting before this time.
    pub starting_before: Option<NaiveDateTime>,
    /// Include cancelled events.
    pub include_cancelled: bool,
}

/// One page of the tenant's events, soonest first; the cursor is the
/// `(starts_at, id)` of the last event served.
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &EventFilter,
    page: &PageRequest,
) -> QueryResult<Vec<Event>> {
    let mut query = events::table
        .filter(events::tenant_id.eq(tenant))
        .select(Event::as_select())
        .into_boxed();
    if let Some(at) = filter.ending_after {
        query = query.filter(events::ends_at.gt(at));
    }
    if let Some(at) = filter.starting_before {
        query = query.filter(events::starts_at.lt(at));
    }
    if !filter.include_cancelled {
        query = query.filter(events::cancelled.eq(false));
    }
    if let Some((at, id)) = &page.after {
        query = query.filter(
            events::starts_at
                .gt(*at)
                .or(events::starts_at.eq(*at).and(events::id.gt(id.clone()))),
        );
    }
    query
        .order((events::starts_at.asc(), events::id.asc()))
        .limit(page.limit + 1)
        .load(conn)
}

/// The columns a PATCH may change (`None` keeps, `Some(None)` clears).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = events)]
pub struct EventChanges {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<Option<String>>,
    /// Location.
    pub location: Option<Option<String>>,
    /// Start.
    pub starts_at: Option<NaiveDateTime>,
    /// End.
    pub ends_at: Option<NaiveDateTime>,
    /// Window start.
    pub check_in_opens_at: Option<NaiveDateTime>,
    /// Window end.
    pub check_in_closes_at: Option<NaiveDateTime>,
    /// Lateness threshold.
    pub late_after: Option<NaiveDateTime>,
    /// Points on time (for check-ins from now on).
    pub points_on_time: Option<i64>,
    /// Points late.
    pub points_late: Option<i64>,
    /// Self check-in allowed.
    pub self_check_in: Option<bool>,
    /// Capacity; `Some(None)` is unlimited.
    pub capacity: Option<Option<i64>>,
    /// Always set.
    pub updated_at: Option<NaiveDateTime>,
}

/// Applies `changes` to an event that is not cancelled; 0 rows otherwise.
pub fn update(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &EventId,
    changes: EventChanges,
) -> QueryResult<usize> {
    diesel::update(one(tenant, id).filter(events::cancelled.eq(false)))
        .set(EventChanges {
            updated_at: Some(clock::now()),
            ..changes
        })
        .execute(conn)
}

/// Cancels an event; 0 rows when it already is.
pub fn cancel(conn: &mut DbConnection, tenant: &TenantId, id: &EventId) -> QueryResult<usize> {
    diesel::update(one(tenant, id).filter(events::cancelled.eq(false)))
        .set((
            events::cancelled.eq(true),
            events::updated_at.eq(clock::now()),
        ))
        .execute(conn)
}

/// Holds the event's row until the transaction ends, so that the check-ins and
/// markings of one event run one at a time and see each other's records.
pub fn lock(conn: &mut DbConnection, tenant: &TenantId, id: &EventId) -> QueryResult<bool> {
    let locked = diesel::update(one(tenant, id))
        .set(events::attendees.eq(events::attendees))
        .execute(conn)?;
    Ok(locked == 1)
}

/// Takes a place at the event for a check-in: one conditional update, so a
/// full event can never be overfilled. False when the event is full.
pub fn take_place(conn: &mut DbConnection, tenant: &TenantId, id: &EventId) -> QueryResult<bool> {
    let taken = diesel::update(
        one(tenant, id).filter(
            events::capacity
                .is_null()
                .or(events::attendees.lt(events::capacity.assume_not_null())),
        ),
    )
    .set(events::attendees.eq(events::attendees + 1))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Changes the count of attendees by `delta` without a capacity check (admins
/// marking attendance record what happened) and holds the event's row.
pub fn adjust_attendees(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &EventId,
    delta: i64,
) -> QueryResult<()> {
    diesel::update(one(tenant, id))
        .set(events::attendees.eq(events::attendees + delta))
        .execute(conn)
        .map(drop)
}

/// Inserts a record.
pub fn insert_record(conn: &mut DbConnection, record: &AttendanceRecord) -> QueryResult<()> {
    diesel::insert_into(attendance_records::table)
        .values(record)
        .execute(conn)
        .map(drop)
}

/// Stores a record's status, method, time, recorder and points.
pub fn save_record(conn: &mut DbConnection, record: &AttendanceRecord) -> QueryResult<()> {
    diesel::update(
        attendance_records::table
            .filter(attendance_records::tenant_id.eq(&record.tenant_id))
            .filter(attendance_records::id.eq(&record.id)),
    )
    .set((
        attendance_records::status.eq(&record.status),
        attendance_records::checked_in_at.eq(record.checked_in_at),
        attendance_records::method.eq(&record.method),
        attendance_records::recorded_by.eq(&record.recorded_by),
        attendance_records::points.eq(record.points),
        attendance_records::points_entry_id.eq(&record.points_entry_id),
        attendance_records::updated_at.eq(clock::now()),
    ))
    .execute(conn)
    .map(drop)
}

/// The records of `event` for `users`, by user.
pub fn records_of(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
    users: &[&UserId],
) -> QueryResult<HashMap<UserId, AttendanceRecord>> {
    Ok(attendance_records::table
        .filter(attendance_records::tenant_id.eq(tenant))
        .filter(attendance_records::event_id.eq(event))
        .filter(attendance_records::user_id.eq_any(users))
        .select(AttendanceRecord::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| (r.user_id.clone(), r))
        .collect())
}

/// The record a scanner's `nonce` made at `event`.
pub fn record_by_nonce(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
    nonce: &str,
) -> QueryResult<Option<AttendanceRecord>> {
    attendance_records::table
        .filter(attendance_records::tenant_id.eq(tenant))
        .filter(attendance_records::event_id.eq(event))
        .filter(attendance_records::nonce.eq(nonce))
        .select(AttendanceRecord::as_select())
        .first(conn)
        .optional()
}

/// One page of an event's records with the members' names, newest first.
pub fn event_records(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
    page: &PageRequest,
) -> QueryResult<Vec<(AttendanceRecord, String)>> {
    let query = attendance_records::table
        .inner_join(crate::same_tenant!(users on attendance_records.user_id))
        .filter(attendance_records::tenant_id.eq(tenant))
        .filter(attendance_records::event_id.eq(event))
        .select((AttendanceRecord::as_select(), users::display_name))
        .into_boxed();
    crate::paginate!(query, attendance_records, page).load(conn)
}

/// A record for `attendance.csv`: with its event's title and start, and its
/// member's display name.
pub type ExportedRecord = (AttendanceRecord, (String, NaiveDateTime), String);

/// The next chunk of the records of events starting in `[from, to)`, by the
/// events' start and then record, after `after`.
pub fn export_chunk(
    conn: &mut DbConnection,
    tenant: &TenantId,
    (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
    after: Option<&Position>,
) -> QueryResult<Vec<ExportedRecord>> {
    let mut query = attendance_records::table
        .inner_join(crate::same_tenant!(events on attendance_records.event_id))
        .inner_join(crate::same_tenant!(users on attendance_records.user_id))
        .filter(attendance_records::tenant_id.eq(tenant))
        .select((
            AttendanceRecord::as_select(),
            (events::title, events::starts_at),
            users::display_name,
        ))
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(events::starts_at.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(events::starts_at.lt(to));
    }
    crate::chunk_after!(query, events::starts_at, attendance_records::id, after).load(conn)
}

/// One page of a member's records with the events' titles, newest first.
pub fn member_records(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    page: &PageRequest,
) -> QueryResult<Vec<(AttendanceRecord, Event)>> {
    let query = attendance_records::table
        .inner_join(crate::same_tenant!(events on attendance_records.event_id))
        .filter(attendance_records::tenant_id.eq(tenant))
        .filter(attendance_records::user_id.eq(user))
        .select((AttendanceRecord::as_select(), Event::as_select()))
        .into_boxed();
    crate::paginate!(query, attendance_records, page).load(conn)
}

/// Records of `event` per status.
pub fn status_counts(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
) -> QueryResult<HashMap<String, i64>> {
    Ok(attendance_records::table
        .filter(attendance_records::tenant_id.eq(tenant))
        .filter(attendance_records::event_id.eq(event))
        .group_by(attendance_records::status)
        .select((attendance_records::status, count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect())
}

/// The people on `event`'s roster: the members of the groups it names (the
/// groups area's tables, read here by their schema only, as one subquery).
#[diesel::dsl::auto_type(no_type_alias)]
fn roster<'a>(tenant: &'a TenantId, event: &'a EventId) -> _ {
    group_members::table
        .inner_join(
            event_groups::table.on(event_groups::tenant_id
                .eq(group_members::tenant_id)
                .and(event_groups::group_id.eq(group_members::group_id))),
        )
        .filter(event_groups::tenant_id.eq(tenant))
        .filter(event_groups::event_id.eq(event))
        .select(group_members::user_id)
}

/// Whether `event` names groups, so that its roster is theirs.
pub fn has_roster(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
) -> QueryResult<bool> {
    diesel::select(exists(
        event_groups::table
            .filter(event_groups::tenant_id.eq(tenant))
            .filter(event_groups::event_id.eq(event)),
    ))
    .get_result(conn)
}

/// Active people expected at `event` with no record there: its roster when
/// it has one (`with_roster`), else every active member of the tenant.
pub fn not_recorded(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
    with_roster: bool,
) -> QueryResult<i64> {
    let mut query = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::status.eq(UserStatus::Active.as_str()))
        .filter(not(exists(
            attendance_records::table
                .filter(attendance_records::tenant_id.eq(tenant))
                .filter(attendance_records::event_id.eq(event))
                .filter(attendance_records::user_id.eq(users::id)),
        )))
        .into_boxed();
    query = if with_roster {
        query.filter(users::id.eq_any(roster(tenant, event)))
    } else {
        query.filter(users::role.eq(Role::User.as_str()))
    };
    query.count().get_result(conn)
}

/// One page of the people of a roster event's list, newest registered
/// first: its roster and anyone else with a record there (id, name).
pub fn roster_page(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
    page: &PageRequest,
) -> QueryResult<Vec<(UserId, String, NaiveDateTime)>> {
    let recorded = attendance_records::table
        .filter(attendance_records::tenant_id.eq(tenant))
        .filter(attendance_records::event_id.eq(event))
        .select(attendance_records::user_id);
    let query = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(
            users::id
                .eq_any(roster(tenant, event))
                .or(users::id.eq_any(recorded)),
        )
        .select((users::id, users::display_name, users::created_at))
        .into_boxed();
    crate::paginate!(query, users, page).load(conn)
}

/// The records of `people` at `event`.
pub fn records_at(
    conn: &mut DbConnection,
    tenant: &TenantId,
    event: &EventId,
    people: &[UserId],
) -> QueryResult<Vec<AttendanceRecord>> {
    attendance_records::table
        .filter(attendance_records::tenant_id.eq(tenant))
        .filter(attendance_records::event_id.eq(event))
        .filter(attendance_records::user_id.eq_any(people))
        .select(AttendanceRecord::as_select())
        .load(conn)
}
