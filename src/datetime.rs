//! Dates and timestamps a client sends, parsed into types that are in range.
//!
//! PostgreSQL stores years 4713 BC to 294276 AD, SQLite compares timestamps as
//! text (so `+10000-…` sorts before `2026-…`), and chrono reads years far beyond
//! both. A request date outside [`MIN_YEAR`]..=[`MAX_YEAR`] is refused when the
//! request is parsed, before any query, identically on both databases.

use std::fmt;
use std::ops::Deref;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, de};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// The earliest year a request may name.
pub const MIN_YEAR: i32 = 1900;
/// The latest year a request may name.
pub const MAX_YEAR: i32 = 9999;

fn in_range(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}

/// An instant from a request: RFC 3339 with an offset (`2026-11-29T09:00:00+08:00`),
/// year 1900-9999, kept in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// The instant in UTC.
    pub fn utc(self) -> DateTime<Utc> {
        self.0
    }

    /// The instant as the database stores it (UTC, no offset).
    pub fn naive_utc(self) -> NaiveDateTime {
        self.0.naive_utc()
    }
}

impl Deref for Timestamp {
    type Target = DateTime<Utc>;
    fn deref(&self) -> &DateTime<Utc> {
        &self.0
    }
}

impl TryFrom<DateTime<Utc>> for Timestamp {
    type Error = OutOfRange;
    fn try_from(at: DateTime<Utc>) -> Result<Self, OutOfRange> {
        if in_range(at.year()) {
            Ok(Self(at))
        } else {
            Err(OutOfRange)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .ok()
            .and_then(|at| Self::try_from(at.with_timezone(&Utc)).ok())
            .ok_or_else(|| {
                de::Error::custom(format_args!(
                    "must be an RFC 3339 date-time with an offset, years {MIN_YEAR}-{MAX_YEAR}"
                ))
            })
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(format!(
                "An RFC 3339 date-time with an offset, e.g. `2026-11-29T09:00:00+08:00`; \
                 years {MIN_YEAR}-{MAX_YEAR}. Anything else is refused with 400 `bad_request` \
                 naming the field."
            )))
            .examples(["2026-11-29T09:00:00Z"])
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

/// A calendar date from a request: `YYYY-MM-DD`, year 1900-9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// The date.
    pub fn get(self) -> NaiveDate {
        self.0
    }
}

impl Deref for Date {
    type Target = NaiveDate;
    fn deref(&self) -> &NaiveDate {
        &self.0
    }
}

impl TryFrom<NaiveDate> for Date {
    type Error = OutOfRange;
    fn try_from(day: NaiveDate) -> Result<Self, OutOfRange> {
        if in_range(day.year()) {
            Ok(Self(day))
        } else {
            Err(OutOfRange)
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 10)
            .and_then(|day| Self::try_from(day).ok())
            .ok_or_else(|| {
                de::Error::custom(format_args!(
                    "must be a date YYYY-MM-DD, years {MIN_YEAR}-{MAX_YEAR}"
                ))
            })
    }
}

/// Written back as it was read (`YYYY-MM-DD`), e.g. in a validation error's value.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl utoipa::PartialSchema for Date {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some(format!(
                "A calendar date `YYYY-MM-DD`; years {MIN_YEAR}-{MAX_YEAR}. Anything else is \
                 refused with 400 `bad_request` naming the field."
            )))
            .examples(["2026-12-31"])
            .into()
    }
}

impl utoipa::ToSchema for Date {}

/// `from` or `to` of a list, a statement or a report: an instant (RFC 3339
/// with an offset), or a date `YYYY-MM-DD`, which names that day on the
/// tenant's calendar (`from`: its first moment; `to`: its end, so the day is
/// included). See `Calendar::start_at` and `Calendar::end_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// An instant.
    At(Timestamp),
    /// A local date of the tenant.
    On(Date),
}

impl Bound {
    /// Whether it names a local date (and so needs the tenant's calendar).
    pub fn is_date(self) -> bool {
        matches!(self, Self::On(_))
    }
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let value = serde::de::value::StrDeserializer::<de::value::Error>::new(&text);
        if text.len() == 10 {
            if let Ok(day) = Date::deserialize(value) {
                return Ok(Self::On(day));
            }
        } else if let Ok(at) = Timestamp::deserialize(value) {
            return Ok(Self::At(at));
        }
        Err(de::Error::custom(format_args!(
            "must be a date YYYY-MM-DD or an RFC 3339 date-time with an offset, \
             years {MIN_YEAR}-{MAX_YEAR}"
        )))
    }
}

impl utoipa::PartialSchema for Bound {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "A date `YYYY-MM-DD`, read in the organisation's time zone (as `from`: from \
                 that day's first moment; as `to`: through the end of that day), or an RFC \
                 3339 date-time with an offset; years {MIN_YEAR}-{MAX_YEAR}. Anything else is \
                 refused with 400 `bad_request` naming the parameter."
            )))
            .examples(["2026-12-01", "2026-12-01T00:00:00+08:00"])
            .into()
    }
}

impl utoipa::ToSchema for Bound {}

/// A local date a client names for "the day of": `today` (on the tenant's
/// calendar, now) or a date `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    /// The tenant's current local date.
    Today,
    /// That date.
    On(Date),
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "today" {
            return Ok(Self::Today);
        }
        let value = serde::de::value::StrDeserializer::<de::value::Error>::new(&text);
        Date::deserialize(value).map(Self::On).map_err(|_| {
            de::Error::custom(format_args!(
                "must be `today` or a date YYYY-MM-DD, years {MIN_YEAR}-{MAX_YEAR}"
            ))
        })
    }
}

impl utoipa::PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "`today` (the organisation's current date in its time zone) or a date \
                 `YYYY-MM-DD`; anything else is refused with 400 `bad_request`."
                    .to_string(),
            ))
            .examples(["today", "2026-12-01"])
            .into()
    }
}

impl utoipa::ToSchema for Day {}

/// A date or time outside the years requests may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "outside the years {MIN_YEAR}-{MAX_YEAR}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timestamp(text: &str) -> Result<Timestamp, serde_json::Error> {
        serde_json::from_value(serde_json::Value::from(text))
    }

    fn date(text: &str) -> Result<Date, serde_json::Error> {
        serde_json::from_value(serde_json::Value::from(text))
    }

    #[test]
    fn timestamps_in_range_are_read_in_utc() {
        let at = timestamp("2026-11-30T01:00:00+08:00").unwrap();
        assert_eq!(at.naive_utc().to_string(), "2026-11-29 17:00:00");
        assert!(timestamp("1900-01-01T00:00:00Z").is_ok());
        assert!(timestamp("9999-12-31T23:59:59Z").is_ok());
    }

    #[test]
    fn timestamps_out_of_range_or_malformed_are_refused() {
        for bad in [
            "-250000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "1899-12-31T23:59:59Z",
            "2026-11-29T09:00:00",
            "2026-11-29",
            "tomorrow",
            "",
        ] {
            assert!(timestamp(bad).is_err(), "{bad}");
        }
        // Written in 9999 behind UTC, but 10000 in UTC: the stored year counts.
        assert!(timestamp("9999-12-31T23:00:00-02:00").is_err());
    }

    #[test]
    fn a_bound_is_a_local_date_or_an_instant() {
        let bound = |text: &str| serde_json::from_value::<Bound>(serde_json::Value::from(text));
        assert_eq!(
            bound("2026-12-01").unwrap(),
            Bound::On(date("2026-12-01").unwrap())
        );
        assert!(bound("2026-12-01").unwrap().is_date());
        assert_eq!(
            bound("2026-12-01T00:00:00+08:00").unwrap(),
            Bound::At(timestamp("2026-11-30T16:00:00Z").unwrap())
        );
        for bad in [
            "2026-13-01",
            "2026-12-01T00:00:00",
            "10000-01-01",
            "yesterday",
            "",
        ] {
            assert!(bound(bad).is_err(), "{bad}");
        }
        let day = |text: &str| serde_json::from_value::<Day>(serde_json::Value::from(text));
        assert_eq!(day("today").unwrap(), Day::Today);
        assert_eq!(
            day("2026-12-01").unwrap(),
            Day::On(date("2026-12-01").unwrap())
        );
        assert!(day("Today").is_err());
    }

    #[test]
    fn dates_out_of_range_or_malformed_are_refused() {
        assert_eq!(
            *date("2026-02-28").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        for bad in [
            "-250000-01-01",
            "10000-01-01",
            "1899-12-31",
            "2026-02-30",
            "2026-2-3",
            " 2026-01-01",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }
}
