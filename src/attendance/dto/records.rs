//! Attendance record bodies

use crate::datetime::Timestamp;
use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::attendance::model::{AttendanceRecord, AttendanceStatus, Method};

/// `POST /admin/events/{id}/scans`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"member_code": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01.1795336500.3q2-7wAAAAAAAAAAAAAAAA",
    "scanned_at": "2026-11-28T09:03:12Z", "nonce": "scanner-7-000123"}))]
pub struct ScanRequest {
    /// The code from the member's app (`GET /me/member-code`), or the code
    /// of their badge card (`badge.…`).
    #[limit(chars = 1..=200)]
    pub member_code: String,
    /// When it was scanned, for scanners that upload later; inside the
    /// check-in window and at most 2 minutes ahead of the server (default now).
    pub scanned_at: Option<Timestamp>,
    /// The scanner's id for this scan: sending it again returns the first result.
    #[limit(chars = 1..=100)]
    pub nonce: Option<String>,
}

/// One mark of a bulk marking.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    /// The member.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: crate::db::UserId,
    /// Their attendance.
    pub status: AttendanceStatus,
}

/// `PUT /admin/events/{id}/attendance`: written all together or not at all.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"records": [
    {"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "status": "present"},
    {"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a02", "status": "excused"}]}))]
pub struct MarkRequest {
    /// 1-500 members and their status, each member once.
    #[limit(items = 1..=500, of = "records")]
    pub records: Vec<Mark>,
}

/// An attendance record.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a71",
    "event_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a61",
    "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "household_id": null,
    "status": "present", "checked_in_at": "2026-11-28T09:03:12Z", "method": "self",
    "recorded_by": null, "points_awarded": 20}))]
pub struct AttendanceResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// The event.
    #[schema(value_type = String, format = Uuid)]
    pub event_id: String,
    /// The member.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// Their household when first recorded.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<String>,
    /// Status.
    pub status: AttendanceStatus,
    /// When they checked in.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_in_at: Option<NaiveDateTime>,
    /// How it was recorded.
    pub method: Method,
    /// The staff member who recorded it.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub recorded_by: Option<String>,
    /// Points this attendance has earned.
    pub points_awarded: i64,
}

impl From<AttendanceRecord> for AttendanceResponse {
    fn from(r: AttendanceRecord) -> Self {
        Self {
            status: r.status,
            method: r.method,
            id: r.id.into(),
            event_id: r.event_id.into(),
            user_id: r.user_id.into(),
            household_id: r.household_id.map(Into::into),
            checked_in_at: r.checked_in_at,
            recorded_by: r.recorded_by.map(Into::into),
            points_awarded: r.points,
        }
    }
}

/// A record of an event, with the member's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedRow {
    /// The record.
    #[serde(flatten)]
    pub record: AttendanceResponse,
    /// The member's name.
    pub display_name: String,
}

/// `not_recorded`: nobody has marked this roster member yet.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotRecorded {
    /// No record at the event.
    NotRecorded,
}

/// A roster member of the event nobody has marked yet.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01",
    "display_name": "Mia", "status": "not_recorded"}))]
pub struct UnrecordedRow {
    /// The member.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// Their name.
    pub display_name: String,
    /// Always `not_recorded`.
    pub status: NotRecorded,
}

/// A line of an event's attendance list: a record, or for an event with a
/// roster (`group_ids`) a roster member not marked yet.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum EventAttendanceRow {
    /// A record.
    Recorded(RecordedRow),
    /// A roster member without one.
    NotRecorded(UnrecordedRow),
}

/// A record of the caller's, with its event.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyAttendanceRow {
    /// The record.
    #[serde(flatten)]
    pub record: AttendanceResponse,
    /// The event's title.
    pub event_title: String,
    /// When the event started.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub event_starts_at: NaiveDateTime,
}

/// The records a bulk marking left, in request order.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkResponse {
    /// One record per requested member, in request order.
    pub records: Vec<AttendanceResponse>,
}

/// Counts of an event's attendance.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"present": 30, "late": 4, "absent": 2, "excused": 1,
    "not_recorded": 13, "capacity": 40}))]
pub struct AttendanceSummary {
    /// Present.
    pub present: i64,
    /// Late.
    pub late: i64,
    /// Absent.
    pub absent: i64,
    /// Excused.
    pub excused: i64,
    /// Active members of the organisation with no record.
    pub not_recorded: i64,
    /// The event's capacity (`null` is unlimited).
    pub capacity: Option<i64>,
}

/// A line of `attendance.csv`.
#[derive(Debug)]
pub struct AttendanceRow {
    /// The record.
    pub record: AttendanceRecord,
    /// Its event's title.
    pub event_title: String,
    /// When its event starts (UTC).
    pub event_starts_at: NaiveDateTime,
    /// The event's day on the organisation's calendar.
    pub local_date: chrono::NaiveDate,
    /// The member's display name.
    pub display_name: String,
}

impl crate::export::ExportRow for AttendanceRow {
    const HEADER: &'static [&'static str] = &[
        "record_id",
        "event_id",
        "event_title",
        "event_starts_at",
        "local_date",
        "user_id",
        "display_name",
        "household_id",
        "status",
        "method",
        "checked_in_at",
        "points_awarded",
        "recorded_by",
    ];

    fn cells(&self) -> Vec<crate::export::Cell> {
        use crate::export::Cell;
        let r = &self.record;
        vec![
            Cell::Text(r.id.to_string()),
            Cell::Text(r.event_id.to_string()),
            Cell::Text(self.event_title.clone()),
            Cell::At(self.event_starts_at),
            Cell::Date(self.local_date),
            Cell::Text(r.user_id.to_string()),
            Cell::Text(self.display_name.clone()),
            Cell::text(r.household_id.as_ref().map(ToString::to_string)),
            Cell::Text(r.status.as_str().to_string()),
            Cell::Text(r.method.as_str().to_string()),
            Cell::at(r.checked_in_at),
            Cell::Int(r.points),
            Cell::text(r.recorded_by.as_ref().map(ToString::to_string)),
        ]
    }

    fn position(&self) -> crate::export::Position {
        (self.event_starts_at, self.record.id.to_string())
    }
}
