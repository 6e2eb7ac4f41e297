//! Read models: a household's statement and the settlement summary, built from
//! the stored charges and payments.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::auth::TenantCtx;
use crate::calendar::Calendar;
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::error::ApiError;
use crate::households;
use crate::identity;
use crate::payments::dto::{
    LineKind, MemberPoints, RangeQuery, SettlementSummary, StatementLine, StatementPoints,
    StatementResponse, Totals,
};
use crate::payments::model::{Charge, ChargeStatus, Payment, PaymentStatus, Refund, receipt_label};
use crate::payments::repo::{self, MoneyFilter};
use crate::payments::rules;
use crate::payments::service::money::currency_of;
use crate::points;
use crate::tenants;

/// One event of a household's account: when, what, which charge, payment or
/// refund, its description and what it adds to the balance.
type Line = (NaiveDateTime, LineKind, String, String, i64);

/// Every event of a household's account, unsorted: charges, payments and
/// refunds, and their voids.
fn lines(charges: Vec<Charge>, payments: Vec<Payment>, refunds: Vec<Refund>) -> Vec<Line> {
    let mut lines = Vec::new();
    for c in charges {
        if let (ChargeStatus::Void, Some(at)) = (c.status, c.voided_at) {
            lines.push((
                at,
                LineKind::ChargeVoid,
                c.id.to_string(),
                c.description.clone(),
                -c.amount,
            ));
        }
        lines.push((
            c.created_at,
            LineKind::Charge,
            c.id.to_string(),
            c.description,
            c.amount,
        ));
    }
    for p in payments {
        let label = receipt_label(p.receipt_number);
        if let (Some(at), true) = (p.voided_at, p.status == PaymentStatus::Void) {
            lines.push((
                at,
                LineKind::PaymentVoid,
                p.id.to_string(),
                label.clone(),
                p.amount,
            ));
        }
        lines.push((
            p.received_at,
            LineKind::Payment,
            p.id.to_string(),
            label,
            -p.amount,
        ));
    }
    for r in refunds {
        let label = receipt_label(r.receipt_number);
        if let (Some(at), true) = (r.voided_at, r.status == PaymentStatus::Void) {
            let line = (
                at,
                LineKind::RefundVoid,
                r.id.to_string(),
                label.clone(),
                -r.amount,
            );
            lines.push(line);
        }
        let line = (
            r.created_at,
            LineKind::Refund,
            r.id.to_string(),
            label,
            r.amount,
        );
        lines.push(line);
    }
    lines
}

/// The household's statement: charges, payments, refunds and voids in time
/// order with the running balance (charges minus payments plus refunds);
/// lines before `from` make the opening balance, lines from `to` on are left
/// out.
pub fn statement(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    currency: String,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
) -> Result<StatementResponse, ApiError> {
    let charges = repo::household_charges(conn, tenant, household)?;
    let payments = repo::household_payments(conn, tenant, household)?;
    let refunds = repo::household_refunds(conn, tenant, household)?;
    let (balance_due, credit) = repo::balances(conn, tenant, household)?;
    let mut all = lines(charges, payments, refunds);
    all.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
    let mut opening_balance = 0;
    let mut balance = 0;
    let mut entries = Vec::new();
    for (at, kind, id, description, amount) in all {
        if to.is_some_and(|to| at >= to) {
            break;
        }
        balance += amount;
        if from.is_some_and(|from| at < from) {
            opening_balance = balance;
            continue;
        }
        entries.push(StatementLine {
            kind,
            id,
            description,
            at,
            amount,
            balance,
        });
    }
    Ok(StatementResponse {
        currency,
        balance_due,
        credit,
        opening_balance,
        entries,
        points: points_side(conn, tenant, household, (from, to))?,
    })
}

/// Each current member's points balance and what they earned in the range.
fn points_side(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    range: (Option<NaiveDateTime>, Option<NaiveDateTime>),
) -> Result<StatementPoints, ApiError> {
    let members = households::members(conn, tenant, household)?;
    let ids: Vec<UserId> = members.iter().map(|m| m.id.clone()).collect();
    let earned = points::earned_by(conn, tenant, &ids, range)?;
    let members: Vec<MemberPoints> = members
        .into_iter()
        .map(|m| MemberPoints {
            earned: earned.get(&m.id).copied().unwrap_or(0),
            user_id: m.id.to_string(),
            display_name: m.display_name,
            balance: m.points_balance,
        })
        .collect();
    Ok(StatementPoints {
        balance: members.iter().map(|m| m.balance).sum(),
        earned: members.iter().map(|m| m.earned).sum(),
        members,
    })
}

/// Counts and sums per key (a method or a local day), in key order.
#[derive(Default)]
struct Tally(BTreeMap<String, (i64, i64)>);

impl Tally {
    fn add(&mut self, key: String, amount: i64) {
        let slot = self.0.entry(key).or_default();
        slot.0 += 1;
        slot.1 += amount;
    }

    fn totals(self) -> Vec<Totals> {
        self.0
            .into_iter()
            .map(|(key, (count, amount))| Totals { key, count, amount })
            .collect()
    }
}

/// Totals by method and by local day (on the tenant's `calendar`) of
/// `payments` and `refunds`, with the voided ones apart.
pub fn summary(
    currency: String,
    (from, to): (NaiveDateTime, NaiveDateTime),
    (payments, refunds): (&[Payment], &[Refund]),
    calendar: &Calendar,
) -> SettlementSummary {
    let (mut by_method, mut by_day, mut net_by_day) =
        (Tally::default(), Tally::default(), Tally::default());
    let (mut count, mut total, mut voided_count, mut voided_total) = (0, 0, 0, 0);
    for p in payments {
        if p.status == PaymentStatus::Void {
            voided_count += 1;
            voided_total += p.amount;
            continue;
        }
        count += 1;
        total += p.amount;
        let day = calendar.local_date(p.received_at).to_string();
        by_method.add(p.method.as_str().to_string(), p.amount);
        by_day.add(day.clone(), p.amount);
        net_by_day.add(day, p.amount);
    }
    let mut refunds_by_method = Tally::default();
    let (mut refunds_count, mut refunds_total, mut voided_refunds_count) = (0, 0, 0);
    for r in refunds {
        if r.status == PaymentStatus::Void {
            voided_refunds_count += 1;
            continue;
        }
        refunds_count += 1;
        refunds_total += r.amount;
        refunds_by_method.add(r.method.as_str().to_string(), r.amount);
        net_by_day.add(calendar.local_date(r.created_at).to_string(), -r.amount);
    }
    SettlementSummary {
        currency,
        from,
        to,
        count,
        total,
        voided_count,
        voided_total,
        by_method: by_method.totals(),
        by_day: by_day.totals(),
        refunds_count,
        refunds_total,
        voided_refunds_count,
        refunds_by_method: refunds_by_method.totals(),
        net_total: total - refunds_total,
        net_by_day: net_by_day.totals(),
    }
}

/// The stored instants of a statement's `from` and `to`.
fn span_of(
    conn: &mut DbConnection,
    tenant: &TenantId,
    range: &RangeQuery,
) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>), ApiError> {
    let calendar = tenants::calendar_for(conn, tenant, &[range.from, range.to])?;
    Ok(calendar.span(range.from, range.to))
}

/// The statement of the tenant's household `id` (404 when it is not the
/// tenant's).
pub fn for_household(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    range: &RangeQuery,
) -> Result<StatementResponse, ApiError> {
    households::household(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    let currency = currency_of(conn, &ctx.tenant_id)?;
    let (from, to) = span_of(conn, &ctx.tenant_id, range)?;
    statement(conn, &ctx.tenant_id, id, currency, from, to)
}

/// The caller's household, or 404 `no_household`.
/// The caller's household (404 `no_household` without one).
pub fn my_household(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<HouseholdId, ApiError> {
    identity::user(conn, &ctx.tenant_id, &ctx.user_id)?
        .ok_or_else(ApiError::not_found)?
        .household_id
        .ok_or_else(households::no_household)
}

/// The statement of the caller's own household.
pub fn for_member(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    range: &RangeQuery,
) -> Result<StatementResponse, ApiError> {
    let household = my_household(conn, ctx)?;
    let currency = currency_of(conn, &ctx.tenant_id)?;
    let (from, to) = span_of(conn, &ctx.tenant_id, range)?;
    statement(conn, &ctx.tenant_id, &household, currency, from, to)
}

/// The settlement summary of the tenant's payments received and refunds
/// issued in `[from, to)`.
pub fn summary_of(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    range: &RangeQuery,
    now: NaiveDateTime,
) -> Result<SettlementSummary, ApiError> {
    let calendar = tenants::calendar(conn, &ctx.tenant_id)?;
    let (from, to) = rules::summary_span(range.from, range.to, now, &calendar)?;
    let filter = MoneyFilter {
        from: Some(from),
        to: Some(to),
        ..MoneyFilter::default()
    };
    let currency = currency_of(conn, &ctx.tenant_id)?;
    let payments = repo::all_payments(conn, &ctx.tenant_id, &filter)?;
    let refunds = repo::all_refunds(conn, &ctx.tenant_id, &filter)?;
    let books = (payments.as_slice(), refunds.as_slice());
    Ok(summary(currency, (from, to), books, &calendar))
}
