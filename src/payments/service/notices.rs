//! Mail to households about their charges: the notice when one is issued,
//! and the reminders the tenant's settings ask for (days before the due
//! date, days after it), each once per charge.
//!
//! Once, however many instances run the job and however often: a reminder
//! is marked on its charge (`repo::mark_reminded`) in the transaction that
//! writes its mail, and only the transaction that sets the mark writes it.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::clock;
use crate::db::{DbConnection, TenantId, write_tx};
use crate::error::ApiError;
use crate::households;
use crate::mail::{self, ChargeNotice, Letter, format_amount};
use crate::payments::model::{Charge, Reminder};
use crate::payments::repo;
use crate::tenants::{self, Tenant};

/// How long after a reminder's day a charge can still be reminded of: a job
/// that was down catches up, but turning reminders on does not mail every
/// household about last year's dues.
const CATCH_UP_DAYS: i64 = 6;

/// Mails the household of a newly issued `charge` (when it still owes
/// something: a charge paid at once from credit needs no notice).
pub fn tell_issued(conn: &mut DbConnection, charge: &Charge) -> Result<(), ApiError> {
    if charge.outstanding() <= 0 {
        return Ok(());
    }
    let letter = Letter::ChargeIssued(notice(conn, charge)?);
    mail::post_to_household(conn, &charge.tenant_id, &charge.household_id, &letter).map(drop)
}

/// Writes every tenant's reminders that are due on its calendar at `now`,
/// at most `budget` of them; returns how many charges were reminded of.
pub fn remind_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    budget: usize,
) -> Result<usize, ApiError> {
    let mut reminded = 0;
    for tenant in tenants::tenant_ids(conn)? {
        let Some(settings) = tenants::tenant(conn, &tenant)? else {
            continue;
        };
        let today = settings.calendar().local_date(now);
        for (reminder, window) in windows(&settings, today) {
            if reminded >= budget {
                return Ok(reminded);
            }
            let limit = i64::try_from(budget - reminded).unwrap_or(i64::MAX);
            for id in repo::awaiting_reminder(conn, &tenant, reminder, window, limit)? {
                if remind(conn, &tenant, &id, reminder)? {
                    reminded += 1;
                }
            }
        }
    }
    Ok(reminded)
}

/// The due dates each of the tenant's reminders is for today.
fn windows(tenant: &Tenant, today: NaiveDate) -> Vec<(Reminder, (NaiveDate, NaiveDate))> {
    let days = |n: i32| Duration::days(i64::from(n));
    let mut windows = Vec::new();
    if let Some(before) = tenant.remind_days_before_due {
        windows.push((Reminder::DueSoon, (today, today + days(before))));
    }
    if let Some(after) = tenant.remind_days_after_due {
        let last = today - days(after);
        windows.push((
            Reminder::Overdue,
            (last - Duration::days(CATCH_UP_DAYS), last),
        ));
    }
    windows
}

/// Marks and mails one reminder; false when another run already had it
/// (or the charge was paid or voided meanwhile).
fn remind(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &crate::db::ChargeId,
    reminder: Reminder,
) -> Result<bool, ApiError> {
    write_tx(conn, |conn| {
        if !repo::mark_reminded(conn, tenant, id, reminder, clock::now())? {
            return Ok(false);
        }
        let Some(charge) = repo::get_charge(conn, tenant, id)? else {
            return Ok(false);
        };
        let notice = notice(conn, &charge)?;
        let letter = match reminder {
            Reminder::DueSoon => Letter::ChargeDueSoon(notice),
            Reminder::Overdue => Letter::ChargeOverdue(notice),
        };
        mail::post_to_household(conn, tenant, &charge.household_id, &letter)?;
        Ok(true)
    })
}

/// What a mail about `charge` says.
fn notice(conn: &mut DbConnection, charge: &Charge) -> Result<ChargeNotice, ApiError> {
    let household = households::household(conn, &charge.tenant_id, &charge.household_id)?
        .map(|h| h.name)
        .unwrap_or_default();
    Ok(ChargeNotice {
        household,
        description: charge.description.clone(),
        amount: format_amount(charge.amount, &charge.currency),
        outstanding: format_amount(charge.outstanding(), &charge.currency),
        due_date: charge.due_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(before: Option<i32>, after: Option<i32>) -> Tenant {
        Tenant {
            id: TenantId::new(),
            slug: "green-valley".into(),
            name: "Green Valley".into(),
            currency: "EUR".into(),
            timezone: "UTC".into(),
            registration: crate::tenants::RegistrationPolicy::Open,
            created_at: clock::now(),
            week_starts_on: crate::tenants::WeekStart::Monday,
            term_starts: String::new(),
            leaderboards_show_dependants: false,
            remind_days_before_due: before,
            remind_days_after_due: after,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).unwrap()
    }

    #[test]
    fn reminders_cover_the_days_ahead_and_a_week_of_catching_up_behind() {
        let windows = windows(&tenant(Some(3), Some(7)), day(20));
        assert_eq!(
            windows,
            vec![
                (Reminder::DueSoon, (day(20), day(23))),
                (Reminder::Overdue, (day(7), day(13))),
            ]
        );
    }

    #[test]
    fn a_reminder_turned_off_has_no_window() {
        assert_eq!(windows(&tenant(None, None), day(20)), vec![]);
        let same_day = windows(&tenant(Some(0), None), day(20));
        assert_eq!(same_day, vec![(Reminder::DueSoon, (day(20), day(20)))]);
    }
}
