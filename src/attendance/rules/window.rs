//! When a member may check in and what it earns: plain functions of the event
//! and a time, tested without a database.
//!
//! The check-in window is half-open, `[check_in_opens_at, check_in_closes_at)`.
//! A check-in at or before `late_after` is `present`, after it `late`. Defaults
//! when an event leaves them out: opens 30 minutes before the start, closes at
//! the end, late 10 minutes after the start.

use chrono::{Duration, NaiveDateTime};

use crate::attendance::model::{AttendanceStatus, Event};
use crate::attendance::rules::check_in_code;
use crate::clock::rfc3339_string;
use crate::error::{ApiError, ErrorCode, FieldError};

/// How long before the start check-in opens by default.
pub const DEFAULT_OPENS_BEFORE: Duration = Duration::minutes(30);
/// How long after the start a check-in is late by default.
pub const DEFAULT_LATE_AFTER: Duration = Duration::minutes(10);

/// The check-in window and lateness threshold of an event, defaults applied.
pub fn window(
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    opens_at: Option<NaiveDateTime>,
    closes_at: Option<NaiveDateTime>,
    late_after: Option<NaiveDateTime>,
) -> (NaiveDateTime, NaiveDateTime, NaiveDateTime) {
    (
        opens_at.unwrap_or(starts_at - DEFAULT_OPENS_BEFORE),
        closes_at.unwrap_or(ends_at),
        late_after.unwrap_or(starts_at + DEFAULT_LATE_AFTER),
    )
}

/// 409 `event_cancelled`.
pub fn cancelled() -> ApiError {
    ApiError::new(ErrorCode::EventCancelled).with_detail("This event has been cancelled.")
}

/// Whether a check-in at `at` falls inside the window: 409
/// `check_in_not_open` (with `opens_at`) or `check_in_closed` (with
/// `closed_at`) otherwise. A cancelled event takes no check-ins at all.
pub fn check_window(event: &Event, at: NaiveDateTime) -> Result<(), ApiError> {
    if event.cancelled {
        return Err(cancelled());
    }
    if at < event.check_in_opens_at {
        let opens = rfc3339_string(event.check_in_opens_at);
        return Err(ApiError::new(ErrorCode::CheckInNotOpen)
            .with_detail(format!("Check-in opens at {opens}."))
            .with_extension("opens_at", opens));
    }
    if at >= event.check_in_closes_at {
        let closed = rfc3339_string(event.check_in_closes_at);
        return Err(ApiError::new(ErrorCode::CheckInClosed)
            .with_detail(format!("Check-in closed at {closed}."))
            .with_extension("closed_at", closed));
    }
    Ok(())
}

/// The status of a check-in at `at`.
pub fn arrival_status(event: &Event, at: NaiveDateTime) -> AttendanceStatus {
    if at <= event.late_after {
        AttendanceStatus::Present
    } else {
        AttendanceStatus::Late
    }
}

/// The points a status earns at `event`.
pub fn points_for(event: &Event, status: AttendanceStatus) -> i64 {
    match status {
        AttendanceStatus::Present => event.points_on_time,
        AttendanceStatus::Late => event.points_late,
        AttendanceStatus::Absent | AttendanceStatus::Excused => 0,
    }
}

/// Whether a status takes one of the event's places.
pub fn attends(status: AttendanceStatus) -> bool {
    matches!(status, AttendanceStatus::Present | AttendanceStatus::Late)
}

/// 422 unless the event ends after it starts and check-in closes after it opens.
pub fn check_times(event: &Event) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if event.ends_at <= event.starts_at {
        errors.push(FieldError::new(
            "ends_at",
            "before_start",
            "must be after starts_at",
        ));
    }
    if event.check_in_closes_at <= event.check_in_opens_at {
        errors.push(FieldError::new(
            "check_in_closes_at",
            "before_open",
            "must be after check_in_opens_at",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// A member checks themself in only where the event allows it, inside its
/// window, with its current code.
pub fn check_self_check_in(
    event: &Event,
    code: &str,
    now: NaiveDateTime,
    unix_secs: u64,
) -> Result<(), ApiError> {
    if !event.self_check_in {
        return Err(ApiError::new(ErrorCode::SelfCheckInDisabled)
            .with_detail("At this event, staff scan members in."));
    }
    check_window(event, now)?;
    if !check_in_code::verify(&event.code_secret, &event.id, code, unix_secs) {
        return Err(ApiError::new(ErrorCode::InvalidCode)
            .with_detail("This code is not the event's current one; scan the QR again."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{EventId, TenantId};

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn event() -> Event {
        let (starts, ends) = (at("2026-11-22 10:00:00"), at("2026-11-22 12:00:00"));
        let (opens, closes, late) = window(starts, ends, None, None, None);
        Event {
            id: EventId::new(),
            tenant_id: TenantId::new(),
            title: "Clean-up".into(),
            description: None,
            location: None,
            starts_at: starts,
            ends_at: ends,
            check_in_opens_at: opens,
            check_in_closes_at: closes,
            late_after: late,
            points_on_time: 10,
            points_late: 4,
            self_check_in: true,
            capacity: None,
            attendees: 0,
            cancelled: false,
            code_secret: String::new(),
            created_at: starts,
            updated_at: starts,
        }
    }

    #[test]
    fn defaults_open_30_minutes_early_close_at_the_end_and_are_late_after_10() {
        let e = event();
        assert_eq!(e.check_in_opens_at, at("2026-11-22 09:30:00"));
        assert_eq!(e.check_in_closes_at, at("2026-11-22 12:00:00"));
        assert_eq!(e.late_after, at("2026-11-22 10:10:00"));
    }

    #[test]
    fn the_window_is_half_open_and_lateness_starts_after_the_threshold() {
        let e = event();
        let code = |t: &str| {
            check_window(&e, at(t))
                .err()
                .map(|e| e.code().as_str().to_string())
        };
        assert_eq!(
            code("2026-11-22 09:29:59").as_deref(),
            Some("check_in_not_open")
        );
        assert_eq!(code("2026-11-22 09:30:00"), None);
        assert_eq!(code("2026-11-22 11:59:59"), None);
        assert_eq!(
            code("2026-11-22 12:00:00").as_deref(),
            Some("check_in_closed")
        );
        assert_eq!(
            arrival_status(&e, at("2026-11-22 10:10:00")),
            AttendanceStatus::Present
        );
        assert_eq!(
            arrival_status(&e, at("2026-11-22 10:10:01")),
            AttendanceStatus::Late
        );
        assert_eq!(points_for(&e, AttendanceStatus::Late), 4);
        assert_eq!(points_for(&e, AttendanceStatus::Excused), 0);
        let off = Event {
            cancelled: true,
            ..event()
        };
        assert_eq!(
            check_window(&off, at("2026-11-22 10:00:00"))
                .unwrap_err()
                .code(),
            ErrorCode::EventCancelled
        );
    }
}
