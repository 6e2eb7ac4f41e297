//! `payments.csv` and `settlement.csv`: the books as files for the accountant.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::TenantCtx;
use crate::db::{DbConnection, TenantId};
use crate::error::ApiError;
use crate::export::{ExportRange, Position};
use crate::payments::dto::{PaymentRow, RangeQuery, SettlementRow};
use crate::payments::repo;
use crate::payments::service::statements;
use crate::tenants;

/// The next chunk of `payments.csv`: the payments received in `range` (on
/// the tenant's calendar) after `after`, by receipt time, voided ones too.
pub fn payments_chunk(
    conn: &mut DbConnection,
    tenant: &TenantId,
    range: &ExportRange,
    after: Option<&Position>,
) -> Result<Vec<PaymentRow>, ApiError> {
    let calendar = tenants::calendar(conn, tenant)?;
    let span = calendar.span(range.from, range.to);
    Ok(repo::export_chunk(conn, tenant, span, after)?
        .into_iter()
        .map(|(payment, household_name)| PaymentRow {
            local_date: calendar.local_date(payment.received_at),
            payment,
            household_name,
        })
        .collect())
}

/// `settlement.csv`: the settlement summary of `range` (the current local
/// month by default, at most 366 days) by local day, every day with money
/// in or out. It is one chunk (a year has fewer days than a chunk has rows),
/// so a call `after` a position has nothing more.
pub fn settlement_rows(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    range: &ExportRange,
    (now, after): (NaiveDateTime, Option<&Position>),
) -> Result<Vec<SettlementRow>, ApiError> {
    if after.is_some() {
        return Ok(Vec::new());
    }
    let query = RangeQuery {
        from: range.from,
        to: range.to,
    };
    let summary = statements::summary_of(conn, ctx, &query, now)?;
    let mut days: BTreeMap<String, (i64, i64, i64, i64)> = BTreeMap::new();
    for day in &summary.by_day {
        let entry = days.entry(day.key.clone()).or_default();
        (entry.0, entry.1) = (day.count, day.amount);
    }
    for day in &summary.net_by_day {
        let entry = days.entry(day.key.clone()).or_default();
        // The net counts payments and refunds; the payments are known.
        (entry.2, entry.3) = (day.count, day.amount);
    }
    days.into_iter()
        .map(
            |(day, (payments_count, payments_total, net_count, net_total))| {
                let local_date: NaiveDate = day
                    .parse()
                    .map_err(|e| ApiError::internal(format!("a summary day {day:?}: {e}")))?;
                Ok(SettlementRow {
                    local_date,
                    currency: summary.currency.clone(),
                    payments_count,
                    payments_total,
                    refunds_count: net_count - payments_count,
                    refunds_total: payments_total - net_total,
                })
            },
        )
        .collect()
}
