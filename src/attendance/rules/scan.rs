//! Staff scans: whose member code or badge card was scanned, and when.
//! Offline scanners upload later, so the time is the scanner's, bounded by the
//! server's clock.

use chrono::{Duration, NaiveDateTime};

use crate::auth::Auth;
use crate::auth::badge_code::BadgeCodes;
use crate::auth::member_code::MemberCodeError;
use crate::clock;
use crate::datetime::Timestamp;
use crate::db::{BadgeId, TenantId, UserId};
use crate::error::{ApiError, ErrorCode};
use crate::validation::invalid;

/// How far ahead of the server's clock a scanner's `scanned_at` may be.
const SCANNER_SKEW: Duration = Duration::minutes(2);

/// 422 `invalid_member_code` (with `reason`: `invalid` or `expired`).
fn invalid_member_code(reason: &str, detail: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidMemberCode)
        .with_detail(detail)
        .with_extension("reason", reason)
}

/// What a scanned code names: a member (a code from their app, checked
/// here) or a badge card (genuine; whether it is still live, and whose, is
/// the database's to say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A member code's member.
    Member(UserId),
    /// A badge card.
    Badge(BadgeId),
}

/// 422 `invalid_member_code` (reason `revoked`) for a card revoked or replaced.
pub fn revoked_badge() -> ApiError {
    invalid_member_code(
        "revoked",
        "This badge card was revoked or replaced; ask an admin for the new one.",
    )
}

/// Who a scan names and when it happened: `scanned_at` (else `now`), no
/// more than two minutes ahead of `now`; a member code valid then, or a
/// genuine badge card of the tenant.
pub fn scanned(
    auth: &Auth,
    tenant: &TenantId,
    code: &str,
    scanned_at: Option<Timestamp>,
    now: NaiveDateTime,
) -> Result<(Scanned, NaiveDateTime), ApiError> {
    let at = scanned_at.map_or(now, clock::stored);
    if at > now + SCANNER_SKEW {
        return Err(invalid(
            "scanned_at",
            "in_future",
            "is more than 2 minutes ahead of the server's clock",
        ));
    }
    if BadgeCodes::is_badge(code) {
        let badge = auth.badge_codes.badge(tenant, code).ok_or_else(|| {
            invalid_member_code("invalid", "This is not a badge card of this organisation.")
        })?;
        return Ok((Scanned::Badge(badge), at));
    }
    let at_secs = u64::try_from(at.and_utc().timestamp()).unwrap_or(0);
    let member = auth
        .member_codes
        .verify(tenant, code, at_secs)
        .map_err(|e| match e {
            MemberCodeError::Invalid => {
                invalid_member_code("invalid", "This is not a member code of this organisation.")
            }
            MemberCodeError::Expired => invalid_member_code(
                "expired",
                "This member code had expired when it was scanned; ask for a fresh one.",
            ),
        })?;
    Ok((Scanned::Member(member), at))
}
