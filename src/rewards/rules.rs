//! When a reward may be redeemed, and how many times: plain functions of the
//! reward, the time and the counts, so the rules read (and are tested) without
//! a database.
//!
//! A reward is redeemable while it is active, not archived, and inside its
//! availability window `[available_from, available_until)`. Limits count the
//! redemptions that still stand (pending or fulfilled; a cancelled or rejected
//! one gave its points back and does not count) made since the start of the
//! current UTC period. A member without a household is a household of one: the
//! household limit then counts their own redemptions.

use chrono::NaiveDateTime;

use crate::calendar::Calendar;
use crate::clock::rfc3339_string;
use crate::error::{ApiError, ErrorCode};
use crate::rewards::model::{LimitPeriod, Reward};
use crate::validation::invalid;

/// Why a reward cannot be redeemed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// Switched off by an admin.
    Inactive,
    /// Archived.
    Archived,
    /// Its window has not opened yet.
    NotYetAvailable(NaiveDateTime),
    /// Its window has closed.
    NoLongerAvailable(NaiveDateTime),
}

impl Unavailable {
    /// The `reason` extension member of the problem.
    fn code(self) -> &'static str {
        match self {
            Self::Inactive => "inactive",
            Self::Archived => "archived",
            Self::NotYetAvailable(_) => "not_yet_available",
            Self::NoLongerAvailable(_) => "no_longer_available",
        }
    }
}

/// Whether `reward` can be redeemed at `now`.
pub fn availability(reward: &Reward, now: NaiveDateTime) -> Result<(), Unavailable> {
    if reward.archived_at.is_some() {
        return Err(Unavailable::Archived);
    }
    if !reward.active {
        return Err(Unavailable::Inactive);
    }
    if let Some(from) = reward.available_from.filter(|from| now < *from) {
        return Err(Unavailable::NotYetAvailable(from));
    }
    if let Some(until) = reward.available_until.filter(|until| now >= *until) {
        return Err(Unavailable::NoLongerAvailable(until));
    }
    Ok(())
}

/// 409 `reward_unavailable`, with the `reason` (`inactive`, `archived`,
/// `not_yet_available`, `no_longer_available`) and, for a window, its edge as
/// `available_from` or `available_until`.
pub fn unavailable_error(why: Unavailable) -> ApiError {
    let error = ApiError::new(ErrorCode::RewardUnavailable).with_extension("reason", why.code());
    match why {
        Unavailable::Inactive | Unavailable::Archived => {
            error.with_detail("This reward is not offered at the moment.")
        }
        Unavailable::NotYetAvailable(from) => error
            .with_detail(format!(
                "This reward can be redeemed from {}.",
                rfc3339_string(from)
            ))
            .with_extension("available_from", rfc3339_string(from)),
        Unavailable::NoLongerAvailable(until) => error
            .with_detail(format!(
                "This reward could be redeemed until {}.",
                rfc3339_string(until)
            ))
            .with_extension("available_until", rfc3339_string(until)),
    }
}

/// 409 `out_of_stock`.
pub fn out_of_stock() -> ApiError {
    ApiError::new(ErrorCode::OutOfStock).with_detail("Every unit of this reward has been redeemed.")
}

/// Whom a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitScope {
    /// The member.
    Member,
    /// The member's household.
    Household,
}

impl LimitScope {
    fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Household => "household",
        }
    }
}

/// When counting for the limits of `period` starts, `None` for all time.
pub fn counting_since(
    period: LimitPeriod,
    now: NaiveDateTime,
    calendar: &Calendar,
) -> Option<NaiveDateTime> {
    period.span().map(|span| calendar.start(span, now))
}

/// Checks one limit: `used` standing redemptions in the current period against
/// `limit`. A refusal is 409 `limit_reached` with `scope`, `limit`, `period`
/// and, unless the period is `none`, `resets_at` (when the next period starts).
pub fn check_limit(
    scope: LimitScope,
    limit: Option<i64>,
    used: i64,
    period: LimitPeriod,
    now: NaiveDateTime,
    calendar: &Calendar,
) -> Result<(), ApiError> {
    let Some(limit) = limit.filter(|limit| used >= *limit) else {
        return Ok(());
    };
    let whom = match scope {
        LimitScope::Member => "You have",
        LimitScope::Household => "Your household has",
    };
    let error = ApiError::new(ErrorCode::LimitReached)
        .with_extension("scope", scope.as_str())
        .with_extension("limit", limit)
        .with_extension("period", period.as_str());
    let when = match period {
        LimitPeriod::None => "",
        LimitPeriod::Day => " today",
        LimitPeriod::Week => " this week",
        LimitPeriod::Month => " this month",
    };
    let detail = format!("{whom} redeemed this reward {limit} time(s){when}, the most allowed");
    Err(match period.span() {
        None => error.with_detail(format!("{detail}.")),
        Some(span) => {
            let resets_at = rfc3339_string(calendar.end(span, now));
            error
                .with_detail(format!(
                    "{detail}; it can be redeemed again from {resets_at}."
                ))
                .with_extension("resets_at", resets_at)
        }
    })
}

/// 422 unless an availability window ends after it starts.
pub fn check_window(
    from: Option<NaiveDateTime>,
    until: Option<NaiveDateTime>,
) -> Result<(), ApiError> {
    match from.zip(until) {
        Some((from, until)) if until <= from => Err(invalid(
            "available_until",
            "before_start",
            "must be after available_from",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{RewardId, TenantId};

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn reward() -> Reward {
        let now = at("2026-11-01 00:00:00");
        Reward {
            id: RewardId::new(),
            tenant_id: TenantId::new(),
            name: "Cinema ticket".into(),
            description: None,
            cost_points: 100,
            stock: None,
            limit_per_member: None,
            limit_per_household: None,
            limit_period: LimitPeriod::None,
            available_from: None,
            available_until: None,
            active: true,
            archived_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_reward_is_available_inside_its_half_open_window_only() {
        let now = at("2026-11-22 12:00:00");
        assert_eq!(availability(&reward(), now), Ok(()));
        let windowed = Reward {
            available_from: Some(at("2026-11-22 12:00:00")),
            available_until: Some(at("2026-11-22 13:00:00")),
            ..reward()
        };
        assert_eq!(availability(&windowed, now), Ok(()));
        assert_eq!(
            availability(&windowed, at("2026-11-22 11:59:59")),
            Err(Unavailable::NotYetAvailable(at("2026-11-22 12:00:00")))
        );
        assert_eq!(
            availability(&windowed, at("2026-11-22 13:00:00")),
            Err(Unavailable::NoLongerAvailable(at("2026-11-22 13:00:00")))
        );
        let off = Reward {
            active: false,
            ..reward()
        };
        assert_eq!(availability(&off, now), Err(Unavailable::Inactive));
        let archived = Reward {
            archived_at: Some(now),
            ..off
        };
        assert_eq!(availability(&archived, now), Err(Unavailable::Archived));
    }

    #[test]
    fn limits_refuse_at_the_limit_and_say_when_they_reset() {
        let now = at("2026-11-22 12:00:00");
        let (week, utc) = (LimitPeriod::Week, &Calendar::default());
        assert!(check_limit(LimitScope::Member, None, 99, week, now, utc).is_ok());
        assert!(check_limit(LimitScope::Member, Some(2), 1, week, now, utc).is_ok());
        let refused = check_limit(LimitScope::Household, Some(2), 2, week, now, utc).unwrap_err();
        let problem = refused.problem();
        assert_eq!(problem.code, "limit_reached");
        assert_eq!(problem.extensions["scope"], "household");
        assert_eq!(problem.extensions["limit"], 2);
        assert_eq!(problem.extensions["resets_at"], "2026-11-23T00:00:00Z");
        let forever = check_limit(LimitScope::Member, Some(1), 1, LimitPeriod::None, now, utc)
            .unwrap_err()
            .problem();
        assert!(!forever.extensions.contains_key("resets_at"));
        assert_eq!(
            counting_since(LimitPeriod::Month, now, utc),
            Some(at("2026-11-01 00:00:00"))
        );
        assert_eq!(counting_since(LimitPeriod::None, now, utc), None);
    }

    #[test]
    fn limits_reset_at_the_tenants_local_midnight_on_its_first_weekday() {
        // Sunday 22 November 2026, 12:00 UTC = 20:00 in Manila.
        let now = at("2026-11-22 12:00:00");
        let manila = Calendar::new(chrono_tz::Asia::Manila, chrono::Weekday::Sun);
        let problem = check_limit(
            LimitScope::Member,
            Some(1),
            1,
            LimitPeriod::Week,
            now,
            &manila,
        )
        .unwrap_err()
        .problem();
        // The week began Sunday 00:00 Manila (Saturday 16:00 UTC); the next begins a week later.
        assert_eq!(problem.extensions["resets_at"], "2026-11-28T16:00:00Z");
        assert_eq!(
            counting_since(LimitPeriod::Day, now, &manila),
            Some(at("2026-11-21 16:00:00"))
        );
    }
}
