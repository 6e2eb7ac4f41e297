//! Events and attendance records as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{attendance_records, events};
use crate::db::{AttendanceId, EventId, HouseholdId, PointEntryId, TenantId, UserId};
use crate::text_enum::text_enum;

text_enum!(
    /// How a member attended.
    AttendanceStatus {
        /// Checked in up to `late_after`.
        Present = "present",
        /// Checked in after `late_after`.
        Late = "late",
        /// Did not come.
        Absent = "absent",
        /// Did not come, with a good reason.
        Excused = "excused",
    }
);

text_enum!(
    /// How a record was made.
    Method {
        /// The member scanned the event's rotating code.
        #[serde(rename = "self")]
        SelfCheckIn = "self",
        /// Staff scanned the member's code.
        Scan = "scan",
        /// An admin marked it in bulk.
        Bulk = "bulk",
    }
);

/// An event members check in to.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct Event {
    /// Id.
    pub id: EventId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// Start.
    pub starts_at: NaiveDateTime,
    /// End.
    pub ends_at: NaiveDateTime,
    /// Check-in opens (inclusive).
    pub check_in_opens_at: NaiveDateTime,
    /// Check-in closes (exclusive).
    pub check_in_closes_at: NaiveDateTime,
    /// Check-ins after this time are late.
    pub late_after: NaiveDateTime,
    /// Points for coming on time.
    pub points_on_time: i64,
    /// Points for coming late.
    pub points_late: i64,
    /// Whether members may check themselves in with the event's code.
    pub self_check_in: bool,
    /// Most members present or late; `None` is unlimited.
    pub capacity: Option<i64>,
    /// Members recorded present or late.
    pub attendees: i64,
    /// Cancelled by an admin.
    pub cancelled: bool,
    /// Key of its rotating check-in codes (hex).
    pub code_secret: String,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

/// One member's attendance at one event.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = attendance_records)]
pub struct AttendanceRecord {
    /// Id.
    pub id: AttendanceId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// The event.
    pub event_id: EventId,
    /// The member.
    pub user_id: UserId,
    /// Their household when first recorded.
    pub household_id: Option<HouseholdId>,
    /// Status (see [`AttendanceStatus`]).
    pub status: AttendanceStatus,
    /// When they checked in (present or late).
    pub checked_in_at: Option<NaiveDateTime>,
    /// How it was recorded (see [`Method`]).
    pub method: Method,
    /// The staff member who recorded it (scans and bulk marking).
    pub recorded_by: Option<UserId>,
    /// The scanner's nonce, to answer a re-uploaded scan with its first result.
    pub nonce: Option<String>,
    /// Points it has earned so far.
    pub points: i64,
    /// The entry that opened its current earning.
    pub points_entry_id: Option<PointEntryId>,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}
