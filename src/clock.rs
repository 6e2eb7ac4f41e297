//! The time as the database stores it and the injectable [`Clock`] that time
//! rules read. Calendar periods, which depend on the tenant, are in `calendar`.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDateTime;

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

/// A stored UTC time as RFC 3339 text (`2026-11-22T08:30:00Z`), as responses
/// show it.
pub fn rfc3339_string(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// RFC 3339 UTC (`2026-11-22T08:30:00Z`) for API responses.
pub mod rfc3339 {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialises a stored UTC time as RFC 3339 with a `Z`.
    pub fn serialize<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339_string(*at))
    }

    /// Reads back what [`serialize`] wrote (documents Hearth stored itself,
    /// such as receipts).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let text = String::deserialize(d)?;
        chrono::DateTime::parse_from_rfc3339(&text)
            .map(|at| at.naive_utc())
            .map_err(serde::de::Error::custom)
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
}
