//! Redeeming a reward and closing a redemption, each in the caller's write
//! transaction, taking row locks in one order (reward, then member) so no two
//! of them can deadlock on PostgreSQL.
//!
//! Redeem: availability and window → one unit of stock taken by a conditional
//! update (which also serialises the reward's redemptions) → member and
//! household limits for the current UTC period → points debited by the
//! ledger's conditional update → the redemption, its claim code and an audit
//! event. Any refusal rolls all of it back.
//!
//! Close: the move out of `pending` is one conditional update, so a repeat or
//! a racing transition (cancel against reject, two claims of one code) is a
//! 409 and changes nothing; cancellation and rejection then put the unit back
//! and refund the cost, exactly once.

use chrono::NaiveDateTime;

use crate::audit::{self, AuditEntry};
use crate::auth::TenantCtx;
use crate::clock;
use crate::codes;
use crate::db::{DbConnection, RedemptionId, RewardId, TenantId, UserId};
use crate::error::{ApiError, ErrorCode};
use crate::households;
use crate::identity;
use crate::mail::{self, Letter, RedemptionNotice};
use crate::outbox;
use crate::pagination::{Page, PageRequest};
use crate::points::model::EntryKind;
use crate::points::{Posting, post};
use crate::request_context::RequestMeta;
use crate::rewards::dto::{RedemptionResponse, Viewer};
use crate::rewards::model::{Redemption, RedemptionStatus};
use crate::rewards::repo::{self, Closing, Counted, RedemptionFilter};
use crate::rewards::rules::{self, LimitScope};
use crate::tenants;

/// Characters of a claim code: 12 × ~4.95 bits ≈ 59 bits, so a code cannot be
/// guessed, and short enough to read out at a counter.
pub const CLAIM_CODE_LEN: usize = 12;

/// Whom a redemption is for: the caller, or with `for_user` a dependant of
/// the caller's household, whose balance pays (anyone else is a 404).
pub fn beneficiary(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    for_user: Option<&UserId>,
) -> Result<UserId, ApiError> {
    match for_user {
        Some(id) if *id != ctx.user_id => Ok(households::my_dependant(conn, ctx, id)?.id),
        _ => Ok(ctx.user_id.clone()),
    }
}

/// Redeems `reward` for `member` at `now` (call inside `write_tx`). Returns
/// the redemption and the reward's name.
pub fn redeem(
    conn: &mut DbConnection,
    tenant: &TenantId,
    member: &UserId,
    reward_id: &RewardId,
    now: NaiveDateTime,
    meta: &RequestMeta,
) -> Result<(Redemption, String), ApiError> {
    let reward = repo::get(conn, tenant, reward_id)?.ok_or_else(ApiError::not_found)?;
    rules::availability(&reward, now).map_err(rules::unavailable_error)?;
    if !repo::take_one(conn, tenant, reward_id)? {
        // Switched off or archived since it was read, or sold out.
        let current = repo::get(conn, tenant, reward_id)?.ok_or_else(ApiError::not_found)?;
        rules::availability(&current, now).map_err(rules::unavailable_error)?;
        return Err(rules::out_of_stock());
    }

    let household = identity::user(conn, tenant, member)?
        .ok_or_else(ApiError::not_found)?
        .household_id;
    let period = reward.limit_period;
    let calendar = tenants::calendar(conn, tenant)?;
    let since = rules::counting_since(period, now, &calendar);
    if reward.limit_per_member.is_some() {
        let used = repo::count_standing(conn, tenant, reward_id, Counted::Member(member), since)?;
        rules::check_limit(
            LimitScope::Member,
            reward.limit_per_member,
            used,
            period,
            now,
            &calendar,
        )?;
    }
    if reward.limit_per_household.is_some() {
        let whom = household
            .as_ref()
            .map_or(Counted::Member(member), Counted::Household);
        let used = repo::count_standing(conn, tenant, reward_id, whom, since)?;
        rules::check_limit(
            LimitScope::Household,
            reward.limit_per_household,
            used,
            period,
            now,
            &calendar,
        )?;
    }

    let id = RedemptionId::new();
    let debit = post(
        conn,
        tenant,
        Posting {
            user: member,
            amount: -reward.cost_points,
            kind: EntryKind::Redemption,
            reason: Some(&reward.name),
            rule: None,
            source: Some(("redemption", id.as_str())),
            reverses: None,
            earned: EntryKind::Redemption.earned(-reward.cost_points),
            actor: Some(member),
        },
    )?;
    let redemption = Redemption {
        id,
        tenant_id: tenant.clone(),
        reward_id: reward_id.clone(),
        user_id: member.clone(),
        household_id: debit.household_id.clone(),
        cost_points: reward.cost_points,
        status: RedemptionStatus::Pending,
        claim_code: codes::random_code(CLAIM_CODE_LEN),
        debit_entry_id: debit.id,
        refund_entry_id: None,
        closed_by: None,
        closed_at: None,
        reason: None,
        created_at: clock::now(),
    };
    repo::insert_redemption(conn, &redemption)?;
    tell(conn, &redemption, &reward.name)?;
    audit::record(
        conn,
        tenant,
        AuditEntry::new("redemption.create", meta)
            .by(member)
            .on("redemption", redemption.id.as_str()),
    )?;
    Ok((redemption, reward.name))
}

/// Whose redemption may be closed.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// Only the member's own (anyone else's is "not found").
    Member(&'a UserId),
    /// Any in the tenant (admins).
    Anyone,
}

/// Moves the redemption `id` out of `pending` (call inside `write_tx`);
/// `action` names the audit event. Cancellation and rejection put the unit
/// back and refund the cost. Returns the closed redemption and its reward's
/// name.
pub fn close(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &RedemptionId,
    owner: Owner<'_>,
    closing: &Closing<'_>,
    action: &str,
    meta: &RequestMeta,
) -> Result<(Redemption, String), ApiError> {
    let (redemption, _) = repo::get_redemption(conn, tenant, id)?
        .filter(|(r, _)| match owner {
            Owner::Member(user) => &r.user_id == user,
            Owner::Anyone => true,
        })
        .ok_or_else(ApiError::not_found)?;
    if !repo::close(conn, tenant, id, closing)? {
        let (current, _) =
            repo::get_redemption(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
        return Err(not_pending(current.status));
    }
    if matches!(
        closing.status,
        RedemptionStatus::Cancelled | RedemptionStatus::Rejected
    ) {
        repo::put_back(conn, tenant, &redemption.reward_id)?;
        let refund = post(
            conn,
            tenant,
            Posting {
                user: &redemption.user_id,
                amount: redemption.cost_points,
                kind: EntryKind::Refund,
                reason: closing.reason,
                rule: None,
                source: Some(("redemption", redemption.id.as_str())),
                reverses: None,
                earned: EntryKind::Refund.earned(redemption.cost_points),
                actor: Some(closing.by),
            },
        )?;
        repo::set_refund(conn, tenant, id, &refund.id)?;
    }
    let mut event = AuditEntry::new(action, meta)
        .by(closing.by)
        .on("redemption", id.as_str());
    if let Some(reason) = closing.reason {
        event = event.because(reason);
    }
    audit::record(conn, tenant, event)?;
    let (closed, name) = repo::get_redemption(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    tell(conn, &closed, &name)?;
    mail_member(conn, &closed, &name)?;
    Ok((closed, name))
}

/// Mails the member a fulfilled or refused redemption was theirs (a
/// cancellation is their own doing; a dependant has no address).
fn mail_member(
    conn: &mut DbConnection,
    redemption: &Redemption,
    reward_name: &str,
) -> Result<(), ApiError> {
    let notice = RedemptionNotice {
        reward: reward_name.to_string(),
        cost_points: redemption.cost_points,
        reason: redemption.reason.clone(),
    };
    let letter = match redemption.status {
        RedemptionStatus::Fulfilled => Letter::RedemptionFulfilled(notice),
        RedemptionStatus::Rejected => Letter::RedemptionRejected(notice),
        RedemptionStatus::Pending | RedemptionStatus::Cancelled => return Ok(()),
    };
    mail::post(conn, &redemption.tenant_id, &redemption.user_id, &letter).map(drop)
}

/// Writes the event of the status `redemption` has just entered, with the
/// redemption as admins see it (integrators never get a claim code).
fn tell(
    conn: &mut DbConnection,
    redemption: &Redemption,
    reward_name: &str,
) -> Result<(), ApiError> {
    let event = redemption.status.event();
    let seen = RedemptionResponse::new(redemption.clone(), reward_name.to_string(), Viewer::Admin);
    outbox::emit(conn, &redemption.tenant_id, event, &seen)
}

/// 409 `redemption_not_pending`, with the `current_status`.
fn not_pending(status: RedemptionStatus) -> ApiError {
    ApiError::new(ErrorCode::RedemptionNotPending)
        .with_detail(format!(
            "This redemption is already {status}; only a pending one can change."
        ))
        .with_extension("current_status", status.as_str())
}

/// 422 `invalid_code`: no redemption of the organisation has this claim code.
pub fn invalid_code() -> ApiError {
    ApiError::new(ErrorCode::InvalidCode)
        .with_detail("No redemption has this claim code; check it and scan again.")
}

/// The redemption a claim code names (normalised: case, spaces and dashes do
/// not matter), or 422 `invalid_code`.
pub fn by_claim_code(
    conn: &mut DbConnection,
    tenant: &TenantId,
    code: &str,
) -> Result<RedemptionId, ApiError> {
    repo::find_by_claim_code(conn, tenant, &codes::normalise_code(code))?.ok_or_else(invalid_code)
}

/// One page of redemptions matching `filter`, newest first, as `viewer`
/// sees them (claim codes only for their owner).
pub fn list(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &RedemptionFilter,
    page: &PageRequest,
    viewer: Viewer,
) -> Result<Page<RedemptionResponse>, ApiError> {
    let rows = repo::list_redemptions(conn, tenant, filter, page)?;
    Ok(Page::from_rows(
        rows,
        page,
        |(r, _)| (r.created_at, r.id.to_string()),
        |(r, name)| RedemptionResponse::new(r, name, viewer),
    ))
}

/// The caller's own redemption `id` (anyone else's is "not found").
pub fn own(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RedemptionId,
) -> Result<RedemptionResponse, ApiError> {
    let (redemption, name) = repo::get_redemption(conn, &ctx.tenant_id, id)?
        .filter(|(r, _)| r.user_id == ctx.user_id)
        .ok_or_else(ApiError::not_found)?;
    Ok(RedemptionResponse::new(redemption, name, Viewer::Owner))
}

/// Closes redemption `id` as `ctx`: a member cancels their own, an admin
/// fulfils or rejects anyone's (`reason` only for a rejection).
pub fn close_as(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &RedemptionId,
    (status, reason): (RedemptionStatus, Option<&str>),
    action: &str,
    meta: &RequestMeta,
) -> Result<RedemptionResponse, ApiError> {
    let (owner, viewer) = match status {
        RedemptionStatus::Cancelled => (Owner::Member(&ctx.user_id), Viewer::Owner),
        _ => (Owner::Anyone, Viewer::Admin),
    };
    let closing = Closing {
        status,
        by: &ctx.user_id,
        reason,
    };
    let (redemption, name) = close(conn, &ctx.tenant_id, id, owner, &closing, action, meta)?;
    Ok(RedemptionResponse::new(redemption, name, viewer))
}

/// Fulfils the pending redemption whose claim code the member shows.
pub fn claim(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    claim_code: &str,
    meta: &RequestMeta,
) -> Result<RedemptionResponse, ApiError> {
    let id = by_claim_code(conn, &ctx.tenant_id, claim_code)?;
    let closing = (RedemptionStatus::Fulfilled, None);
    close_as(conn, ctx, &id, closing, "redemption.claim", meta)
}
