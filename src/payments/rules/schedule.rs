//! When a charge schedule's periods start. A period starts on a local date
//! of the tenant (the job issues its charges from that date's first moment
//! in the tenant's zone): every 7 days from the anchor, on the anchor's day
//! of every month (the month's last day when it is shorter: 31 January, 28
//! February, 31 March), or on each of the tenant's term start dates from the
//! anchor on. A schedule has no period after its `ends_on`.

use chrono::{Datelike, Duration, Months, NaiveDate};

use crate::payments::model::Frequency;

/// The periods of one schedule.
#[derive(Debug, Clone, Copy)]
pub struct Cadence<'a> {
    /// How often.
    pub frequency: Frequency,
    /// The first period's date (weekly, monthly) or the earliest a term may
    /// start (termly).
    pub anchor: NaiveDate,
    /// The tenant's term start dates, sorted (termly only).
    pub terms: &'a [NaiveDate],
    /// No period starts after this date.
    pub ends_on: Option<NaiveDate>,
}

impl Cadence<'_> {
    /// The first period that starts on or after `day`.
    pub fn first_on_or_after(&self, day: NaiveDate) -> Option<NaiveDate> {
        let day = day.max(self.anchor);
        let start = match self.frequency {
            Frequency::Weekly => {
                let days = (day - self.anchor).num_days();
                let weeks = (days + 6) / 7;
                self.anchor.checked_add_signed(Duration::weeks(weeks))
            }
            Frequency::Monthly => {
                let months = (day.year() - self.anchor.year()) * 12 + day.month0() as i32
                    - self.anchor.month0() as i32;
                // The n-th month from the anchor, counted from the anchor
                // each time so a short month does not shift the ones after it.
                (months.max(0)..months.max(0) + 2)
                    .filter_map(|n| self.anchor.checked_add_months(Months::new(n as u32)))
                    .find(|start| *start >= day)
            }
            Frequency::Termly => self.terms.iter().copied().find(|t| *t >= day),
        }?;
        self.ends_on.is_none_or(|end| start <= end).then_some(start)
    }

    /// The period after the one starting on `start`.
    pub fn after(&self, start: NaiveDate) -> Option<NaiveDate> {
        self.first_on_or_after(start.succ_opt()?)
    }
}

/// When a period's charge is due.
pub fn due_date(period_start: NaiveDate, due_after_days: i32) -> NaiveDate {
    period_start + Duration::days(i64::from(due_after_days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn periods(cadence: &Cadence<'_>, from: &str, n: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut next = cadence.first_on_or_after(day(from));
        while let Some(start) = next {
            if out.len() == n {
                break;
            }
            out.push(start.to_string());
            next = cadence.after(start);
        }
        out
    }

    #[test]
    fn weekly_periods_are_seven_days_apart_from_the_anchor() {
        let weekly = Cadence {
            frequency: Frequency::Weekly,
            anchor: day("2026-12-03"),
            terms: &[],
            ends_on: None,
        };
        assert_eq!(
            periods(&weekly, "2026-12-01", 3),
            ["2026-12-03", "2026-12-10", "2026-12-17"]
        );
        assert_eq!(
            weekly.first_on_or_after(day("2026-12-04")),
            Some(day("2026-12-10"))
        );
        assert_eq!(
            weekly.first_on_or_after(day("2026-12-10")),
            Some(day("2026-12-10"))
        );
    }

    #[test]
    fn monthly_periods_keep_the_anchor_day_and_clamp_short_months() {
        let monthly = Cadence {
            frequency: Frequency::Monthly,
            anchor: day("2027-01-31"),
            terms: &[],
            ends_on: None,
        };
        assert_eq!(
            periods(&monthly, "2027-01-01", 4),
            ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
        );
        assert_eq!(
            monthly.first_on_or_after(day("2027-03-01")),
            Some(day("2027-03-31"))
        );
        let leap = Cadence {
            anchor: day("2028-01-29"),
            ..monthly
        };
        assert_eq!(
            periods(&leap, "2028-02-01", 2),
            ["2028-02-29", "2028-03-29"]
        );
    }

    #[test]
    fn termly_periods_are_the_terms_from_the_anchor_on() {
        let terms = [day("2026-09-01"), day("2027-01-11"), day("2027-04-19")];
        let termly = Cadence {
            frequency: Frequency::Termly,
            anchor: day("2026-12-01"),
            terms: &terms,
            ends_on: None,
        };
        assert_eq!(
            periods(&termly, "2026-01-01", 5),
            ["2027-01-11", "2027-04-19"]
        );
        assert_eq!(termly.after(day("2027-04-19")), None);
    }

    #[test]
    fn nothing_starts_after_the_end() {
        let weekly = Cadence {
            frequency: Frequency::Weekly,
            anchor: day("2026-12-01"),
            terms: &[],
            ends_on: Some(day("2026-12-15")),
        };
        assert_eq!(
            periods(&weekly, "2026-12-01", 10),
            ["2026-12-01", "2026-12-08", "2026-12-15"]
        );
        assert_eq!(due_date(day("2026-12-15"), 14), day("2026-12-29"));
    }
}
