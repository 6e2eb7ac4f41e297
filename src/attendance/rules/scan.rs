//! Staff scans: whose member code was scanned, and when. Offline scanners
//! upload later, so the time is the scanner's, bounded by the server's clock.

use chrono::{Duration, NaiveDateTime};

use crate::auth::member_code::{MemberCodeError, MemberCodes};
use crate::clock;
use crate::datetime::Timestamp;
use crate::db::{TenantId, UserId};
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

/// The member a scan names and when it happened: `scanned_at` (else `now`),
/// no more than two minutes ahead of `now`, and the code valid then.
pub fn scanned_member(
    codes: &MemberCodes,
    tenant: &TenantId,
    member_code: &str,
    scanned_at: Option<Timestamp>,
    now: NaiveDateTime,
) -> Result<(UserId, NaiveDateTime), ApiError> {
    let at = scanned_at.map_or(now, clock::stored);
    if at > now + SCANNER_SKEW {
        return Err(invalid(
            "scanned_at",
            "in_future",
            "is more than 2 minutes ahead of the server's clock",
        ));
    }
    let at_secs = u64::try_from(at.and_utc().timestamp()).unwrap_or(0);
    let member = codes
        .verify(tenant, member_code, at_secs)
        .map_err(|e| match e {
            MemberCodeError::Invalid => {
                invalid_member_code("invalid", "This is not a member code of this organisation.")
            }
            MemberCodeError::Expired => invalid_member_code(
                "expired",
                "This member code had expired when it was scanned; ask for a fresh one.",
            ),
        })?;
    Ok((member, at))
}
