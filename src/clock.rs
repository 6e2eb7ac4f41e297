//! The time as the database stores it, the injectable [`Clock`] that time rules
//! read, and the calendar periods (in UTC) that leaderboards and reward limits
//! count in.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};

/// The current UTC time at microsecond precision (what PostgreSQL keeps, so a
/// value written and read back compares equal on both backends).
pub fn now() -> NaiveDateTime {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros())
        .unwrap_or(now)
        .naive_utc()
}

/// The clock that time rules (check-in windows, lateness, reward availability
/// and limit periods) read, handed to handlers as app data. It follows the
/// system time unless pinned: tests pin it to step across a boundary without
/// sleeping. Record timestamps (`created_at`) always use [`now`].
#[derive(Debug, Clone, Default)]
pub struct Clock {
    pinned: Arc<Mutex<Option<NaiveDateTime>>>,
}

impl Clock {
    /// The current time: the pinned one, or the system time.
    pub fn now(&self) -> NaiveDateTime {
        self.pinned
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .unwrap_or_else(now)
    }

    /// Pins the clock at `at` (every clone sees it).
    pub fn pin(&self, at: NaiveDateTime) {
        *self.pinned.lock().unwrap_or_else(PoisonError::into_inner) = Some(at);
    }

    /// Seconds since the Unix epoch, as signed codes count them.
    pub fn unix_secs(&self) -> u64 {
        u64::try_from(self.now().and_utc().timestamp()).unwrap_or(0)
    }
}

/// A time from a request as stored: UTC, at microsecond precision (see [`now`]).
pub fn stored(at: crate::datetime::Timestamp) -> NaiveDateTime {
    let at = at.utc();
    chrono::DateTime::from_timestamp_micros(at.timestamp_micros())
        .unwrap_or(at)
        .naive_utc()
}

/// A calendar period in UTC. Periods are UTC whatever the tenant's time zone,
/// so every instance and every client computes the same boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// From 00:00 UTC.
    Day,
    /// From Monday 00:00 UTC (ISO weeks).
    Week,
    /// From the first of the month, 00:00 UTC.
    Month,
}

impl Span {
    /// When the period containing `now` began.
    pub fn start(self, now: NaiveDateTime) -> NaiveDateTime {
        let today = now.date();
        let first_day = match self {
            Self::Day => today,
            Self::Week => today - Duration::days(i64::from(today.weekday().num_days_from_monday())),
            Self::Month => today.with_day(1).unwrap_or(today),
        };
        first_day.and_time(chrono::NaiveTime::MIN)
    }

    /// When the period containing `now` ends (the next one begins).
    pub fn end(self, now: NaiveDateTime) -> NaiveDateTime {
        let start = self.start(now);
        match self {
            Self::Day => start + Duration::days(1),
            Self::Week => start + Duration::weeks(1),
            Self::Month => start
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX.and_time(chrono::NaiveTime::MIN)),
        }
    }
}

/// A stored UTC time as RFC 3339 text (`2026-11-22T08:30:00Z`), as responses
/// show it.
pub fn rfc3339_string(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// RFC 3339 UTC (`2026-11-22T08:30:00Z`) for API responses.
pub mod rfc3339 {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    /// Serialises a stored UTC time as RFC 3339 with a `Z`.
    pub fn serialize<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339_string(*at))
    }

    /// The same for optional times.
    pub mod option {
        use chrono::NaiveDateTime;
        use serde::Serializer;

        /// Serialises `Some` as RFC 3339, `None` as null.
        pub fn serialize<S: Serializer>(
            at: &Option<NaiveDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => super::serialize(at, s),
                None => s.serialize_none(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn a_pinned_clock_stays_put_for_every_clone() {
        let clock = Clock::default();
        let copy = clock.clone();
        let before = clock.now();
        assert!(before <= now());
        copy.pin(at("2026-11-22 08:30:00"));
        assert_eq!(clock.now(), at("2026-11-22 08:30:00"));
        assert_eq!(clock.unix_secs(), 1_795_336_200);
    }

    #[test]
    fn periods_start_and_end_on_utc_calendar_boundaries() {
        // Sunday 22 November 2026, late evening.
        let now = at("2026-11-22 23:59:59");
        assert_eq!(Span::Day.start(now), at("2026-11-22 00:00:00"));
        assert_eq!(Span::Day.end(now), at("2026-11-23 00:00:00"));
        assert_eq!(Span::Week.start(now), at("2026-11-16 00:00:00"));
        assert_eq!(Span::Week.end(now), at("2026-11-23 00:00:00"));
        assert_eq!(Span::Month.start(now), at("2026-11-01 00:00:00"));
        assert_eq!(Span::Month.end(now), at("2026-12-01 00:00:00"));
        // A Monday starts its own week; weeks and months cross years.
        let monday = at("2026-11-23 00:00:00");
        assert_eq!(Span::Week.start(monday), monday);
        assert_eq!(
            Span::Week.start(at("2026-01-01 12:00:00")),
            at("2025-12-29 00:00:00")
        );
        assert_eq!(
            Span::Month.end(at("2026-12-31 08:00:00")),
            at("2027-01-01 00:00:00")
        );
        assert_eq!(
            Span::Month.end(at("2028-02-29 08:00:00")),
            at("2028-03-01 00:00:00")
        );
    }
}
