//! What leaderboards are made of: the period a board spans and the members
//! who earned points in it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::clock::Span;
use crate::db::{HouseholdId, UserId};
use crate::text_enum::text_enum;

text_enum!(
    /// The span of a leaderboard, in UTC.
    Period {
        /// Since the beginning.
        All = "all",
        /// Since the first day of the current month, 00:00 UTC.
        Month = "month",
        /// Since Monday of the current ISO week, 00:00 UTC.
        Week = "week",
    }
);

impl Period {
    /// When the period began, `None` for all time.
    pub fn since(self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        match self {
            Self::All => None,
            Self::Month => Some(Span::Month.start(now)),
            Self::Week => Some(Span::Week.start(now)),
        }
    }
}

/// A member who earned points in the period.
#[derive(Debug, Clone, Queryable)]
pub struct Earner {
    /// The member.
    pub user_id: UserId,
    /// Their name.
    pub display_name: String,
    /// Their current household.
    pub household_id: Option<HouseholdId>,
    /// Points earned in the period (more than 0).
    pub points: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn periods_begin_at_utc_midnight_of_the_month_and_the_monday() {
        // 2026-11-22 is a Sunday.
        let now = at("2026-11-22 23:59:59");
        assert_eq!(Period::All.since(now), None);
        assert_eq!(Period::Month.since(now), Some(at("2026-11-01 00:00:00")));
        assert_eq!(Period::Week.since(now), Some(at("2026-11-16 00:00:00")));
        let monday = at("2026-11-23 00:00:00");
        assert_eq!(Period::Week.since(monday), Some(monday));
        assert_eq!(
            Period::Week.since(at("2026-01-01 12:00:00")),
            Some(at("2025-12-29 00:00:00")),
            "a week can start in the previous year"
        );
    }
}
