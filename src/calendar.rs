//! A tenant's calendar: the days, weeks and months that leaderboards, reward
//! limits, settlement days and date filters count in are the tenant's own, in
//! its IANA time zone, with its weeks starting on its chosen day.
//!
//! Everything stored is UTC; a calendar turns a stored instant into the local
//! date it falls on, and a local date back into the UTC instant its first
//! moment is. A local day is 23 or 25 hours on the days daylight saving
//! starts or ends, and where a change skips midnight the day begins at its
//! first moment that exists.

use chrono::offset::LocalResult;
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

use crate::datetime::Bound;

/// A tenant's time zone and first day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    zone: Tz,
    week_starts_on: Weekday,
}

impl Default for Calendar {
    /// UTC, weeks from Monday (ISO).
    fn default() -> Self {
        Self::new(Tz::UTC, Weekday::Mon)
    }
}

impl Calendar {
    /// The calendar of `zone` with weeks starting on `week_starts_on`.
    pub fn new(zone: Tz, week_starts_on: Weekday) -> Self {
        Self {
            zone,
            week_starts_on,
        }
    }

    /// The time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The local date on which the stored UTC instant `at` falls.
    pub fn local_date(&self, at: NaiveDateTime) -> NaiveDate {
        self.zone.from_utc_datetime(&at).date_naive()
    }

    /// The stored UTC instant at which the local date `day` begins.
    pub fn start_of(&self, day: NaiveDate) -> NaiveDateTime {
        let mut local = day.and_time(NaiveTime::MIN);
        // Zones that skip midnight skip at most a few hours of it.
        for _ in 0..96 {
            match self.zone.from_local_datetime(&local) {
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => return at.naive_utc(),
                LocalResult::None => local += Duration::minutes(15),
            }
        }
        day.and_time(NaiveTime::MIN)
    }

    /// The first local date of the `span` that contains local date `day`.
    fn first_day(&self, span: Span, day: NaiveDate) -> NaiveDate {
        match span {
            Span::Day => day,
            Span::Week => {
                let into_week = (day.weekday().num_days_from_monday() + 7
                    - self.week_starts_on.num_days_from_monday())
                    % 7;
                day - Duration::days(i64::from(into_week))
            }
            Span::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// When the `span` containing the stored instant `now` began (UTC).
    pub fn start(&self, span: Span, now: NaiveDateTime) -> NaiveDateTime {
        self.start_of(self.first_day(span, self.local_date(now)))
    }

    /// When the `span` containing the stored instant `now` ends, which is
    /// when the next one begins (UTC).
    pub fn end(&self, span: Span, now: NaiveDateTime) -> NaiveDateTime {
        let first = self.first_day(span, self.local_date(now));
        let next = match span {
            Span::Day => first + Duration::days(1),
            Span::Week => first + Duration::weeks(1),
            Span::Month => first
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        };
        self.start_of(next)
    }
}

impl Calendar {
    /// The first instant a range's `from` includes: a date's first moment.
    pub fn start_at(&self, from: Bound) -> NaiveDateTime {
        match from {
            Bound::At(at) => crate::clock::stored(at),
            Bound::On(day) => self.start_of(day.get()),
        }
    }

    /// The first instant a range's `to` excludes: for a date, the end of that
    /// day (the next day's first moment), so the named day is included.
    pub fn end_at(&self, to: Bound) -> NaiveDateTime {
        match to {
            Bound::At(at) => crate::clock::stored(at),
            Bound::On(day) => {
                let next = day.get().succ_opt().unwrap_or(NaiveDate::MAX);
                self.start_of(next)
            }
        }
    }

    /// `from`..`to` as stored instants.
    pub fn span(
        &self,
        from: Option<Bound>,
        to: Option<Bound>,
    ) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        (from.map(|b| self.start_at(b)), to.map(|b| self.end_at(b)))
    }
}

/// A calendar period (of a [`Calendar`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// From local midnight.
    Day,
    /// From local midnight of the week's first day.
    Week,
    /// From local midnight of the first of the month.
    Month,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn zone(name: &str, week_starts_on: Weekday) -> Calendar {
        Calendar::new(name.parse().unwrap(), week_starts_on)
    }

    #[test]
    fn in_utc_periods_start_and_end_on_utc_boundaries() {
        let utc = Calendar::default();
        // Sunday 22 November 2026, late evening.
        let now = at("2026-11-22 23:59:59");
        assert_eq!(utc.start(Span::Day, now), at("2026-11-22 00:00:00"));
        assert_eq!(utc.end(Span::Day, now), at("2026-11-23 00:00:00"));
        assert_eq!(utc.start(Span::Week, now), at("2026-11-16 00:00:00"));
        assert_eq!(utc.end(Span::Week, now), at("2026-11-23 00:00:00"));
        assert_eq!(utc.start(Span::Month, now), at("2026-11-01 00:00:00"));
        assert_eq!(utc.end(Span::Month, now), at("2026-12-01 00:00:00"));
        let monday = at("2026-11-23 00:00:00");
        assert_eq!(utc.start(Span::Week, monday), monday);
        assert_eq!(
            utc.start(Span::Week, at("2026-01-01 12:00:00")),
            at("2025-12-29 00:00:00")
        );
        assert_eq!(
            utc.end(Span::Month, at("2028-02-29 08:00:00")),
            at("2028-03-01 00:00:00")
        );
    }

    #[test]
    fn manila_counts_its_own_month_and_day() {
        let manila = zone("Asia/Manila", Weekday::Mon);
        // 17:00 UTC on 30 November is 01:00 on 1 December in Manila (UTC+8).
        let now = at("2026-11-30 17:00:00");
        assert_eq!(
            manila.local_date(now),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(manila.start(Span::Month, now), at("2026-11-30 16:00:00"));
        assert_eq!(manila.end(Span::Month, now), at("2026-12-31 16:00:00"));
        assert_eq!(manila.start(Span::Day, now), at("2026-11-30 16:00:00"));
    }

    #[test]
    fn weeks_start_on_the_tenants_day() {
        // Wednesday 2 December 2026, noon UTC.
        let now = at("2026-12-02 12:00:00");
        let sunday = zone("UTC", Weekday::Sun);
        assert_eq!(sunday.start(Span::Week, now), at("2026-11-29 00:00:00"));
        assert_eq!(sunday.end(Span::Week, now), at("2026-12-06 00:00:00"));
        let saturday_cairo = zone("Africa/Cairo", Weekday::Sat);
        // Saturday 28 November, 00:00 in Cairo (UTC+2 in winter).
        assert_eq!(
            saturday_cairo.start(Span::Week, now),
            at("2026-11-27 22:00:00")
        );
    }

    #[test]
    fn daylight_saving_days_are_23_and_25_hours_long() {
        let berlin = zone("Europe/Berlin", Weekday::Mon);
        let spring = at("2027-03-28 12:00:00");
        let start = berlin.start(Span::Day, spring);
        let end = berlin.end(Span::Day, spring);
        assert_eq!(start, at("2027-03-27 23:00:00"), "00:00 CET");
        assert_eq!(end, at("2027-03-28 22:00:00"), "00:00 CEST");
        assert_eq!(end - start, Duration::hours(23));
        let autumn = at("2027-10-31 12:00:00");
        let length = berlin.end(Span::Day, autumn) - berlin.start(Span::Day, autumn);
        assert_eq!(length, Duration::hours(25));
    }

    #[test]
    fn a_date_range_covers_whole_local_days() {
        let bound = |text: &str| serde_json::from_value::<Bound>(serde_json::json!(text)).unwrap();
        let manila = zone("Asia/Manila", Weekday::Mon);
        let (from, to) = manila.span(Some(bound("2026-12-01")), Some(bound("2026-12-01")));
        assert_eq!(from, Some(at("2026-11-30 16:00:00")));
        assert_eq!(
            to,
            Some(at("2026-12-01 16:00:00")),
            "through the end of the 1st"
        );
        let (from, to) = manila.span(Some(bound("2026-12-01T00:00:00Z")), None);
        assert_eq!(
            (from, to),
            (Some(at("2026-12-01 00:00:00")), None),
            "instants as given"
        );
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_at_its_first_moment() {
        // Santiago springs forward at 00:00 local on 6 September 2026: the day
        // starts at 01:00 -03, which is 04:00 UTC.
        let santiago = zone("America/Santiago", Weekday::Mon);
        let day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(santiago.start_of(day), at("2026-09-06 04:00:00"));
    }
}
