//! Event bodies

use crate::calendar::Calendar;
use crate::datetime::{Bound, Day, Timestamp};
use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::attendance::model::Event;
use crate::attendance::repo::EventFilter;
use crate::db::GroupId;
use crate::error::ApiError;
use crate::validation::{explicit_null, not_blank};

/// `POST /admin/events`. Window defaults: check-in opens 30 minutes before the
/// start, closes at the end; arrivals more than 10 minutes after the start
/// are late.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Park clean-up", "location": "North gate",
    "starts_at": "2026-11-28T09:00:00Z", "ends_at": "2026-11-28T11:00:00Z",
    "points_on_time": 20, "points_late": 10, "self_check_in": true, "capacity": 40}))]
pub struct CreateEventRequest {
    /// Title, 1-200 characters.
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub title: String,
    /// Description, up to 2000 characters.
    #[limit(chars = ..=2000)]
    pub description: Option<String>,
    /// Where, up to 200 characters.
    #[limit(chars = ..=200)]
    pub location: Option<String>,
    /// Start (RFC 3339).
    pub starts_at: Timestamp,
    /// End, after the start.
    pub ends_at: Timestamp,
    /// When check-in opens (default: 30 minutes before the start).
    pub check_in_opens_at: Option<Timestamp>,
    /// When check-in closes, exclusive (default: the end).
    pub check_in_closes_at: Option<Timestamp>,
    /// Arrivals after this are late (default: 10 minutes after the start).
    pub late_after: Option<Timestamp>,
    /// Points for coming on time, 0-1000000 (default 0).
    #[limit(range = 0..=1_000_000)]
    pub points_on_time: Option<i64>,
    /// Points for coming late, 0-1000000 (default 0).
    #[limit(range = 0..=1_000_000)]
    pub points_late: Option<i64>,
    /// Members may check themselves in with the event's code (default true).
    pub self_check_in: Option<bool>,
    /// Most members present or late, 1-1000000; absent is unlimited.
    #[limit(range = 1..=1_000_000)]
    pub capacity: Option<i64>,
    /// The groups (classes, teams) the event is for, 0-20: its roster is
    /// their members. None: the whole organisation.
    #[limit(items = 0..=20)]
    #[schema(value_type = Option<Vec<String>>)]
    pub group_ids: Option<Vec<GroupId>>,
}

/// `PATCH /admin/events/{id}`: absent fields keep their value, `null` clears
/// an optional one. New points apply to attendance recorded from now on.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 60, "late_after": "2026-11-28T09:15:00Z"}))]
pub struct UpdateEventRequest {
    /// New title.
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub title: Option<String>,
    /// New description; `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(chars = ..=2000)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// New location; `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(chars = ..=200)]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
    /// New start.
    pub starts_at: Option<Timestamp>,
    /// New end.
    pub ends_at: Option<Timestamp>,
    /// New opening of check-in.
    pub check_in_opens_at: Option<Timestamp>,
    /// New closing of check-in.
    pub check_in_closes_at: Option<Timestamp>,
    /// New lateness threshold.
    pub late_after: Option<Timestamp>,
    /// New points on time.
    #[limit(range = 0..=1_000_000)]
    pub points_on_time: Option<i64>,
    /// New points late.
    #[limit(range = 0..=1_000_000)]
    pub points_late: Option<i64>,
    /// Allow self check-in or not.
    pub self_check_in: Option<bool>,
    /// New capacity; `null` is unlimited.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(range = 1..=1_000_000)]
    #[schema(value_type = Option<i64>)]
    pub capacity: Option<Option<i64>>,
    /// The groups the event is for (replaces the list; `[]`: the whole
    /// organisation).
    #[limit(items = 0..=20)]
    #[schema(value_type = Option<Vec<String>>)]
    pub group_ids: Option<Vec<GroupId>>,
}

/// Filters of the event lists: events still going on after `from` (default
/// now) and starting before `to`, or the events of one local day (`on`),
/// soonest first.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Only events ending after this time (default now; a date: from that
    /// local day's first moment).
    #[param(value_type = Option<Bound>)]
    pub from: Option<Bound>,
    /// Only events starting before this time (a date: before that local day ends).
    #[param(value_type = Option<Bound>)]
    pub to: Option<Bound>,
    /// The events of one day in the organisation's time zone (`today` or a
    /// date): those that start before it ends and end after it begins, past
    /// ones included. Not with `from` or `to`.
    #[param(value_type = Option<Day>)]
    pub on: Option<Day>,
    /// Include cancelled events.
    pub cancelled: Option<bool>,
}

impl EventsQuery {
    /// Whether it names a local day, which the tenant's calendar reads.
    pub fn names_a_day(&self) -> bool {
        self.on.is_some() || [self.from, self.to].iter().flatten().any(|b| b.is_date())
    }

    /// The filter asked for, days on the tenant's `calendar`: by default,
    /// events still to come or going on at `now`.
    pub fn to_filter(
        &self,
        now: NaiveDateTime,
        calendar: &Calendar,
    ) -> Result<EventFilter, ApiError> {
        let include_cancelled = self.cancelled.unwrap_or(false);
        let Some(day) = self.on else {
            return Ok(EventFilter {
                ending_after: Some(self.from.map_or(now, |b| calendar.start_at(b))),
                starting_before: self.to.map(|b| calendar.end_at(b)),
                include_cancelled,
            });
        };
        if self.from.is_some() || self.to.is_some() {
            return Err(crate::validation::invalid(
                "on",
                "invalid_combination",
                "send either on or from and to",
            ));
        }
        let day = match day {
            Day::Today => calendar.local_date(now),
            Day::On(date) => date.get(),
        };
        let next = day.succ_opt().unwrap_or(day);
        Ok(EventFilter {
            ending_after: Some(calendar.start_of(day)),
            starting_before: Some(calendar.start_of(next)),
            include_cancelled,
        })
    }
}

/// An event.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a61", "title": "Park clean-up",
    "description": null, "location": "North gate", "starts_at": "2026-11-28T09:00:00Z",
    "ends_at": "2026-11-28T11:00:00Z", "check_in_opens_at": "2026-11-28T08:30:00Z",
    "check_in_closes_at": "2026-11-28T11:00:00Z", "late_after": "2026-11-28T09:10:00Z",
    "points_on_time": 20, "points_late": 10, "self_check_in": true, "capacity": 40,
    "attendees": 12, "cancelled": false, "group_ids": []}))]
pub struct EventResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// Start.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: NaiveDateTime,
    /// End.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: NaiveDateTime,
    /// Check-in opens (inclusive).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub check_in_opens_at: NaiveDateTime,
    /// Check-in closes (exclusive).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub check_in_closes_at: NaiveDateTime,
    /// Arrivals after this are late.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub late_after: NaiveDateTime,
    /// Points for coming on time.
    pub points_on_time: i64,
    /// Points for coming late.
    pub points_late: i64,
    /// Members may check themselves in.
    pub self_check_in: bool,
    /// Most members present or late; `null` is unlimited.
    pub capacity: Option<i64>,
    /// Members recorded present or late.
    pub attendees: i64,
    /// Cancelled.
    pub cancelled: bool,
    /// The groups it is for; empty: the whole organisation.
    #[schema(value_type = Vec<String>)]
    pub group_ids: Vec<String>,
}

impl EventResponse {
    /// The response for `e`, which is for `groups`.
    pub fn new(e: &Event, groups: &[GroupId]) -> Self {
        Self {
            id: e.id.to_string(),
            title: e.title.clone(),
            description: e.description.clone(),
            location: e.location.clone(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            check_in_opens_at: e.check_in_opens_at,
            check_in_closes_at: e.check_in_closes_at,
            late_after: e.late_after,
            points_on_time: e.points_on_time,
            points_late: e.points_late,
            self_check_in: e.self_check_in,
            capacity: e.capacity,
            attendees: e.attendees,
            cancelled: e.cancelled,
            group_ids: groups.iter().map(ToString::to_string).collect(),
        }
    }
}

/// The event's current check-in code, to display as a QR.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "q3J9xk2LmP0aZw8R", "refresh_at": "2026-11-28T09:01:00Z",
    "expires_at": "2026-11-28T09:02:00Z"}))]
pub struct CheckInCodeResponse {
    /// The code.
    pub code: String,
    /// When the display should fetch the next code (its 60-second window ends).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub refresh_at: NaiveDateTime,
    /// When check-ins with this code stop being accepted (one window later).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: NaiveDateTime,
}

/// `POST /events/{id}/check-in`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "q3J9xk2LmP0aZw8R"}))]
pub struct CheckInRequest {
    /// The code read from the event's QR.
    #[limit(chars = 1..=100)]
    pub code: String,
}
