//! Corrections: adjustments (±) and reversals, each in the caller's
//! transaction with its audit event. Both are new ledger entries; the ledger
//! itself never changes.

use crate::audit::{self, AuditEntry};
use crate::auth::TenantCtx;
use crate::db::{DbConnection, PointEntryId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::identity;
use crate::points::dto::AdjustmentRequest;
use crate::points::model::{EntryKind, PointEntry};
use crate::points::repo::entries;
use crate::points::repo::ledger::Posting;
use crate::points::rules;
use crate::points::service::ledger::post;
use crate::request_context::RequestMeta;

/// Moves a member's balance up or down, with a reason; never below zero.
pub fn adjust(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &AdjustmentRequest,
    meta: &RequestMeta,
) -> Result<PointEntry, ApiError> {
    if identity::user(conn, &ctx.tenant_id, &body.user_id)?.is_none() {
        return Err(ApiError::validation(vec![FieldError::new(
            "user_id",
            "unknown_user",
            "no user of this organisation has this id",
        )]));
    }
    let reason = body.reason.trim();
    let entry = post(
        conn,
        &ctx.tenant_id,
        Posting {
            user: &body.user_id,
            amount: body.amount,
            kind: EntryKind::Adjustment,
            reason: Some(reason),
            rule: None,
            source: None,
            reverses: None,
            earned: EntryKind::Adjustment.earned(body.amount),
            actor: Some(&ctx.user_id),
        },
    )?;
    let audited = AuditEntry::new("points.adjust", meta).by(&ctx.user_id);
    let audited = audited.on("point_entry", entry.id.as_str()).because(reason);
    audit::record(conn, &ctx.tenant_id, audited)?;
    Ok(entry)
}

/// Posts the opposite of entry `id`, taking back what it earned; once per
/// entry, never below zero.
pub fn reverse(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &PointEntryId,
    reason: &str,
    meta: &RequestMeta,
) -> Result<PointEntry, ApiError> {
    let original = entries::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)?;
    rules::ensure_reversible(&original)?;
    if entries::is_reversed(conn, &ctx.tenant_id, id)? {
        return Err(rules::already_reversed());
    }
    let reason = reason.trim();
    let posted = post(
        conn,
        &ctx.tenant_id,
        Posting {
            user: &original.user_id,
            amount: -original.amount,
            kind: EntryKind::Reversal,
            reason: Some(reason),
            rule: None,
            source: None,
            reverses: Some(&original.id),
            earned: -original.earned,
            actor: Some(&ctx.user_id),
        },
    );
    // A racing reversal that committed first shows up here either as the
    // unique (tenant, reverses_id) key or, having already taken the points
    // back, as a shortfall: both mean "already reversed".
    let entry = match posted {
        Ok(entry) => entry,
        Err(e) if e.is(ErrorCode::Conflict) => return Err(rules::already_reversed()),
        Err(e)
            if e.is(ErrorCode::InsufficientPoints)
                && entries::is_reversed(conn, &ctx.tenant_id, id)? =>
        {
            return Err(rules::already_reversed());
        }
        Err(e) => return Err(e),
    };
    let audited = AuditEntry::new("points.reverse", meta).by(&ctx.user_id);
    let audited = audited
        .on("point_entry", original.id.as_str())
        .because(reason);
    audit::record(conn, &ctx.tenant_id, audited)?;
    Ok(entry)
}
