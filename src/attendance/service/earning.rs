//! Attendance points follow the record's status through the ledger, exactly
//! once per change: from nothing to something an `attendance` entry opens the
//! earning, a change between present and late writes the difference, and back
//! to nothing a `reversal` of the opening entry takes back everything the
//! record earned. The unique `(tenant_id, reverses_id)` key lets the opening
//! entry be reversed only once; a new earning opens with a new entry.

use crate::attendance::model::AttendanceRecord;
use crate::db::{DbConnection, TenantId, UserId};
use crate::error::ApiError;
use crate::points::model::EntryKind;
use crate::points::{Posting, post};

/// Moves the points `record` has earned to `target` (call inside `write_tx`),
/// updating `points` and `points_entry_id` in memory for the caller to store.
pub fn settle(
    conn: &mut DbConnection,
    tenant: &TenantId,
    record: &mut AttendanceRecord,
    target: i64,
    actor: Option<&UserId>,
    reason: &str,
) -> Result<(), ApiError> {
    let current = record.points;
    if target == current {
        return Ok(());
    }
    let closing = target == 0 && record.points_entry_id.is_some();
    let (kind, amount) = if closing {
        (EntryKind::Reversal, -current)
    } else {
        (EntryKind::Attendance, target - current)
    };
    let entry = post(
        conn,
        tenant,
        Posting {
            user: &record.user_id,
            amount,
            kind,
            reason: Some(reason),
            rule: None,
            source: Some(("attendance", record.id.as_str())),
            reverses: if closing {
                record.points_entry_id.as_ref()
            } else {
                None
            },
            earned: amount,
            actor,
        },
    )?;
    record.points_entry_id = if target == 0 {
        None
    } else if current == 0 {
        Some(entry.id)
    } else {
        record.points_entry_id.take()
    };
    record.points = target;
    Ok(())
}
