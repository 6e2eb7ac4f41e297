//! Charges: issuing what households owe (paid from their credit at once)
//! and voiding it.

use chrono::NaiveDate;

use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{ChargeId, DbConnection, HouseholdId, TenantId};
use crate::error::{ApiError, ErrorCode};
use crate::households;
use crate::outbox::{self, WebhookEventType};
use crate::pagination::{Page, PageRequest};
use crate::payments::dto::{BatchChargeRequest, ChargeResponse, CreateChargeRequest};
use crate::payments::model::{AllocationKind, Charge, ChargeStatus};
use crate::payments::repo::{self, ChargeFilter};
use crate::payments::service::money::{
    Actor, already_void, currency_of, known_household, lock_household, settle,
};
use crate::payments::service::notices;
use crate::request_context::RequestMeta;
use crate::validation::invalid;

/// A charge to issue.
#[derive(Debug, Clone)]
pub struct NewCharge<'a> {
    /// What for.
    pub description: &'a str,
    /// Amount in minor units.
    pub amount: i64,
    /// When it is due.
    pub due_date: NaiveDate,
    /// The tenant's currency.
    pub currency: &'a str,
}

/// Issues a charge to a live household and pays it from any credit at once.
pub fn issue_charge(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    new: &NewCharge<'_>,
    actor: Actor<'_>,
) -> Result<Charge, ApiError> {
    lock_household(conn, tenant, household)?;
    let live =
        households::household(conn, tenant, household)?.is_some_and(|h| h.archived_at.is_none());
    if !live {
        return Err(ApiError::new(ErrorCode::HouseholdArchived)
            .with_detail("Archived households cannot be charged."));
    }
    let now = clock::now();
    let charge = Charge {
        id: ChargeId::new(),
        tenant_id: tenant.clone(),
        household_id: household.clone(),
        description: new.description.to_string(),
        amount: new.amount,
        amount_paid: 0,
        currency: new.currency.to_string(),
        due_date: new.due_date,
        status: ChargeStatus::Open,
        void_reason: None,
        voided_by: None,
        voided_at: None,
        created_by: Some(actor.user.clone()),
        created_at: now,
        updated_at: now,
    };
    repo::insert_charge(conn, &charge)?;
    settle(conn, tenant, &charge.household_id)?;
    actor.audit(
        conn,
        tenant,
        "charge.create",
        ("charge", charge.id.as_str()),
        None,
    )?;
    let issued = told(conn, WebhookEventType::ChargeIssued, &charge.id, tenant)?;
    notices::tell_issued(conn, &issued)?;
    Ok(issued)
}

/// Voids a charge: what was paid towards it becomes the household's credit.
pub fn void_charge(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &ChargeId,
    reason: &str,
    actor: Actor<'_>,
) -> Result<Charge, ApiError> {
    let charge = repo::get_charge(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    lock_household(conn, tenant, &charge.household_id)?;
    for (payment, amount) in repo::paid_towards(conn, tenant, id)? {
        let whose = (tenant, &charge.household_id);
        let kind = AllocationKind::ChargeVoid;
        repo::shift(conn, whose, &payment, (Some(id), None), amount, kind)?;
    }
    if !repo::void_charge(conn, tenant, id, reason, actor.user)? {
        return Err(already_void("charge"));
    }
    // What it held is credit now: it pays the household's other open charges.
    settle(conn, tenant, &charge.household_id)?;
    actor.audit(
        conn,
        tenant,
        "charge.void",
        ("charge", id.as_str()),
        Some(reason),
    )?;
    told(conn, WebhookEventType::ChargeVoided, id, tenant)
}

/// The charge `id` as it now stands, once its `event` is written.
fn told(
    conn: &mut DbConnection,
    event: WebhookEventType,
    id: &ChargeId,
    tenant: &TenantId,
) -> Result<Charge, ApiError> {
    let charge = repo::get_charge(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    outbox::emit(conn, tenant, event, &ChargeResponse::from(charge.clone()))?;
    Ok(charge)
}

/// `POST /admin/charges`: one charge to a live household of the tenant.
pub fn charge(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &CreateChargeRequest,
    meta: &RequestMeta,
) -> Result<Charge, ApiError> {
    known_household(conn, &ctx.tenant_id, &body.household_id)?;
    let what = (body.description.as_str(), body.amount, body.due_date.get());
    let households = std::slice::from_ref(&body.household_id);
    let mut issued = issue_to(conn, ctx, households, what, meta)?;
    issued
        .pop()
        .ok_or_else(|| ApiError::internal("a charge issued to nobody"))
}

/// `POST /admin/charges/batch`: the same charge to the named live households,
/// or to every live one, all or nothing ([`BatchChargeRequest::check_targets`]
/// has said which).
pub fn charge_all(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &BatchChargeRequest,
    meta: &RequestMeta,
) -> Result<Vec<Charge>, ApiError> {
    let tenant = &ctx.tenant_id;
    let targets: Vec<HouseholdId> = match &body.household_ids {
        Some(ids) => {
            households::check_live_ids(conn, tenant, ids, "household_ids")?;
            ids.clone()
        }
        None => households::live_ids(conn, tenant)?,
    };
    if targets.is_empty() {
        return Err(invalid(
            "household_ids",
            "none_active",
            "the organisation has no active household",
        ));
    }
    let what = (body.description.as_str(), body.amount, body.due_date.get());
    issue_to(conn, ctx, &targets, what, meta)
}

/// Issues the same charge (description, amount, due date) to each household,
/// as `ctx`'s admin, in the tenant's currency.
fn issue_to(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    households: &[HouseholdId],
    (description, amount, due_date): (&str, i64, NaiveDate),
    meta: &RequestMeta,
) -> Result<Vec<Charge>, ApiError> {
    let currency = currency_of(conn, &ctx.tenant_id)?;
    let new = NewCharge {
        description: description.trim(),
        amount,
        due_date,
        currency: &currency,
    };
    let actor = Actor {
        user: &ctx.user_id,
        meta,
    };
    households
        .iter()
        .map(|household| issue_charge(conn, &ctx.tenant_id, household, &new, actor))
        .collect()
}

/// Voids charge `id` as `ctx`'s admin, with a reason.
pub fn void(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &ChargeId,
    reason: &str,
    meta: &RequestMeta,
) -> Result<Charge, ApiError> {
    let actor = Actor {
        user: &ctx.user_id,
        meta,
    };
    void_charge(conn, &ctx.tenant_id, id, reason.trim(), actor)
}

/// One page of the tenant's charges matching `filter`, newest first.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    filter: &ChargeFilter,
    page: &PageRequest,
) -> Result<Page<ChargeResponse>, ApiError> {
    let rows = repo::list_charges(conn, &ctx.tenant_id, filter, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |c| (c.created_at, c.id.to_string()),
        ChargeResponse::from,
    ))
}
