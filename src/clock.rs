//! The time as the database stores it.

use chrono::NaiveDateTime;

/// The current UTC time at microsecond precision (what PostgreSQL keeps, so a
/// value written and read back compares equal on both backends).
pub fn now() -> NaiveDateTime {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros())
        .unwrap_or(now)
        .naive_utc()
}

/// RFC 3339 UTC (`2026-11-22T08:30:00Z`) for API responses.
pub mod rfc3339 {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    /// Serialises a stored UTC time as RFC 3339 with a `Z`.
    pub fn serialize<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(
            &at.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
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
