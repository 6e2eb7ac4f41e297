//! What leaderboards are made of: the period a board spans and the members
//! who earned points in it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::UserKind;
use crate::calendar::{Calendar, Span};
use crate::db::{HouseholdId, UserId};
use crate::text_enum::text_enum;

text_enum!(
    /// The span of a leaderboard, on the tenant's calendar.
    Period {
        /// Since the beginning.
        All = "all",
        /// Since the first day of the current month, local midnight.
        Month = "month",
        /// Since the first day of the current week (the tenant's
        /// `week_starts_on`), local midnight.
        Week = "week",
    }
);

impl Period {
    /// When the current period began and when it ends (UTC), `None` for all time.
    pub fn bounds(
        self,
        now: NaiveDateTime,
        calendar: &Calendar,
    ) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let span = match self {
            Self::All => return None,
            Self::Month => Span::Month,
            Self::Week => Span::Week,
        };
        Some((calendar.start(span, now), calendar.end(span, now)))
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
    /// A dependant is named on the members board only where the tenant
    /// allows it (`leaderboards.show_dependants`); their points always count
    /// for their household.
    pub kind: UserKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn periods_are_the_tenants_month_and_week() {
        // Sunday 22 November 2026, late evening UTC.
        let now = at("2026-11-22 23:59:59");
        let utc = Calendar::default();
        assert_eq!(Period::All.bounds(now, &utc), None);
        assert_eq!(
            Period::Month.bounds(now, &utc),
            Some((at("2026-11-01 00:00:00"), at("2026-12-01 00:00:00")))
        );
        assert_eq!(
            Period::Week.bounds(now, &utc),
            Some((at("2026-11-16 00:00:00"), at("2026-11-23 00:00:00")))
        );
        // In Manila it is already Monday 23 November, 07:59.
        let manila = Calendar::new(chrono_tz::Asia::Manila, chrono::Weekday::Mon);
        assert_eq!(
            Period::Week.bounds(now, &manila),
            Some((at("2026-11-22 16:00:00"), at("2026-11-29 16:00:00")))
        );
    }
}
