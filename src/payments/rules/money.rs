//! How a sum is spread over charges (in the
//! given order, each charge taking what it still owes until the money runs
//! out; what is left over is the household's credit), and which dates a
//! payment or a summary may have.

use chrono::{Duration, NaiveDateTime};

use crate::calendar::{Calendar, Span};
use crate::clock;
use crate::datetime::{Bound, Timestamp};
use crate::db::ChargeId;
use crate::error::ApiError;
use crate::validation::invalid;

/// The plan for `amount` over `charges` (id and outstanding amount, in the
/// order to pay them): the amount for each charge that gets money, and the
/// remainder.
pub fn spread(amount: i64, charges: &[(ChargeId, i64)]) -> (Vec<(ChargeId, i64)>, i64) {
    let mut left = amount;
    let mut plan = Vec::new();
    for (id, outstanding) in charges {
        if left == 0 {
            break;
        }
        let take = left.min(*outstanding);
        if take > 0 {
            plan.push((id.clone(), take));
            left -= take;
        }
    }
    (plan, left)
}

/// When a payment was received: `received_at` (else `now`), never in the
/// future (422 naming `received_at`).
pub fn received_at(
    received_at: Option<Timestamp>,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, ApiError> {
    let at = received_at.map_or(now, clock::stored);
    if at > now {
        return Err(invalid(
            "received_at",
            "in_future",
            "must not be in the future",
        ));
    }
    Ok(at)
}

/// The span of a settlement summary: `from` (default: the start of this
/// month on the tenant's calendar) to `to` (default: the end of the month
/// `from` falls in), dates read on the calendar, not empty and at most 366
/// days (422 naming `to` otherwise).
pub fn summary_span(
    from: Option<Bound>,
    to: Option<Bound>,
    now: NaiveDateTime,
    calendar: &Calendar,
) -> Result<(NaiveDateTime, NaiveDateTime), ApiError> {
    let from = from.map_or_else(
        || calendar.start(Span::Month, now),
        |b| calendar.start_at(b),
    );
    let to = to.map_or_else(|| calendar.end(Span::Month, from), |b| calendar.end_at(b));
    if to <= from || to - from > Duration::days(366) {
        return Err(invalid(
            "to",
            "invalid_range",
            "must be after `from` (default: the start of this month), at most 366 days later",
        ));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_fills_charges_in_order_and_the_rest_is_credit() {
        let (a, b, c) = (ChargeId::new(), ChargeId::new(), ChargeId::new());
        let charges = [(a.clone(), 30), (b.clone(), 50), (c.clone(), 20)];
        assert_eq!(
            spread(40, &charges),
            (vec![(a.clone(), 30), (b.clone(), 10)], 0)
        );
        assert_eq!(
            spread(150, &charges),
            (vec![(a.clone(), 30), (b.clone(), 50), (c.clone(), 20)], 50)
        );
        assert_eq!(spread(10, &[]), (vec![], 10));
        assert_eq!(
            spread(5, &[(a.clone(), 0), (b.clone(), 7)]),
            (vec![(b, 5)], 0)
        );
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn stamp(text: &str) -> Timestamp {
        serde_json::from_value(serde_json::json!(text)).unwrap()
    }

    fn bound(text: &str) -> Bound {
        serde_json::from_value(serde_json::json!(text)).unwrap()
    }

    #[test]
    fn a_payment_is_received_now_or_before() {
        let now = at("2026-11-29 12:00:00");
        assert_eq!(received_at(None, now).unwrap(), now);
        let earlier = received_at(Some(stamp("2026-11-28T09:00:00Z")), now).unwrap();
        assert_eq!(earlier, at("2026-11-28 09:00:00"));
        let ahead = received_at(Some(stamp("2026-11-29T12:00:01Z")), now).unwrap_err();
        assert_eq!(ahead.problem().errors[0].field, "received_at");
    }

    #[test]
    fn a_summary_spans_this_month_by_default_and_at_most_366_days() {
        let now = at("2026-11-29 12:00:00");
        let utc = &Calendar::default();
        let (from, to) = summary_span(None, None, now, utc).unwrap();
        assert_eq!(
            (from, to),
            (at("2026-11-01 00:00:00"), at("2026-12-01 00:00:00"))
        );
        let year = summary_span(
            Some(bound("2025-01-01T00:00:00Z")),
            Some(bound("2026-01-03T00:00:00Z")),
            now,
            utc,
        );
        assert_eq!(year.unwrap_err().problem().errors[0].field, "to");
        let backwards = summary_span(
            Some(bound("2026-11-02T00:00:00Z")),
            Some(bound("2026-11-01T00:00:00Z")),
            now,
            utc,
        );
        assert!(backwards.is_err());
    }

    #[test]
    fn summary_dates_are_whole_local_days() {
        let now = at("2026-12-15 12:00:00");
        let manila = Calendar::new(chrono_tz::Asia::Manila, chrono::Weekday::Mon);
        let (from, to) = summary_span(
            Some(bound("2026-12-01")),
            Some(bound("2026-12-07")),
            now,
            &manila,
        )
        .unwrap();
        assert_eq!(
            (from, to),
            (at("2026-11-30 16:00:00"), at("2026-12-07 16:00:00"))
        );
    }

    #[test]
    fn the_default_month_is_the_tenants_local_month() {
        // 30 November 17:00 UTC is already 1 December in Manila.
        let now = at("2026-11-30 17:00:00");
        let manila = Calendar::new(chrono_tz::Asia::Manila, chrono::Weekday::Mon);
        let (from, to) = summary_span(None, None, now, &manila).unwrap();
        assert_eq!(
            (from, to),
            (at("2026-11-30 16:00:00"), at("2026-12-31 16:00:00"))
        );
    }
}
