//! Read models: a household's statement and the settlement summary, built from
//! the stored charges and payments.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::auth::TenantCtx;
use crate::calendar::Calendar;
use crate::datetime::Timestamp;
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::error::ApiError;
use crate::households;
use crate::identity;
use crate::payments::dto::{
    LineKind, MemberPoints, SettlementSummary, StatementLine, StatementPoints, StatementResponse,
    Totals,
};
use crate::payments::model::{Charge, ChargeStatus, Payment, PaymentStatus, receipt_label};
use crate::payments::repo::{self, PaymentFilter};
use crate::payments::rules;
use crate::payments::service::money::currency_of;
use crate::points;
use crate::tenants;

/// Every event of a household's account, unsorted: charges and payments, and
/// their voids.
fn lines(
    charges: Vec<Charge>,
    payments: Vec<Payment>,
) -> Vec<(NaiveDateTime, LineKind, String, String, i64)> {
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
    lines
}

/// The household's statement: charges, payments and voids in time order with
/// the running balance (charges minus payments); lines before `from` make the
/// opening balance, lines from `to` on are left out.
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
    let (balance_due, credit) = repo::balances(conn, tenant, household)?;
    let mut all = lines(charges, payments);
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

/// Totals by method and by local day (on the tenant's `calendar`) of
/// `payments`, with the voided ones apart.
pub fn summary(
    currency: String,
    (from, to): (NaiveDateTime, NaiveDateTime),
    payments: &[Payment],
    calendar: &Calendar,
) -> SettlementSummary {
    let mut by_method: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut by_day: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let (mut count, mut total, mut voided_count, mut voided_total) = (0, 0, 0, 0);
    for p in payments {
        if p.status == PaymentStatus::Void {
            voided_count += 1;
            voided_total += p.amount;
            continue;
        }
        count += 1;
        total += p.amount;
        for (map, key) in [
            (&mut by_method, p.method.as_str().to_string()),
            (&mut by_day, calendar.local_date(p.received_at).to_string()),
        ] {
            let slot = map.entry(key).or_default();
            slot.0 += 1;
            slot.1 += p.amount;
        }
    }
    let totals = |map: BTreeMap<String, (i64, i64)>| {
        map.into_iter()
            .map(|(key, (count, amount))| Totals { key, count, amount })
            .collect()
    };
    SettlementSummary {
        currency,
        from,
        to,
        count,
        total,
        voided_count,
        voided_total,
        by_method: totals(by_method),
        by_day: totals(by_day),
    }
}

/// The statement of the tenant's household `id` (404 when it is not the
/// tenant's).
pub fn for_household(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
) -> Result<StatementResponse, ApiError> {
    households::household(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    let currency = currency_of(conn, &ctx.tenant_id)?;
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
    (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
) -> Result<StatementResponse, ApiError> {
    let household = my_household(conn, ctx)?;
    let currency = currency_of(conn, &ctx.tenant_id)?;
    statement(conn, &ctx.tenant_id, &household, currency, from, to)
}

/// The settlement summary of the tenant's payments received in `[from, to)`.
pub fn summary_of(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    now: NaiveDateTime,
) -> Result<SettlementSummary, ApiError> {
    let calendar = tenants::calendar(conn, &ctx.tenant_id)?;
    let (from, to) = rules::summary_span(from, to, now, &calendar)?;
    let filter = PaymentFilter {
        from: Some(from),
        to: Some(to),
        ..PaymentFilter::default()
    };
    let currency = currency_of(conn, &ctx.tenant_id)?;
    let payments = repo::all_payments(conn, &ctx.tenant_id, &filter)?;
    Ok(summary(currency, (from, to), &payments, &calendar))
}
