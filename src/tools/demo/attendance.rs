//! Demo events: one last week with attendance marked, one tomorrow members can
//! check in to, one next week that staff scan.

use chrono::{Duration, NaiveDateTime, NaiveTime};

use crate::attendance::model::{AttendanceStatus, Event};
use crate::attendance::repo;
use crate::attendance::rules::check_in_code;
use crate::attendance::rules::window;
use crate::attendance::service::marking;
use crate::clock;
use crate::db::{DbConnection, EventId, TenantId, UserId};
use crate::error::ApiError;
use crate::request_context::RequestMeta;

/// An event `days` from today at `hour` UTC, for two hours.
fn event(tenant: &TenantId, title: &str, days: i64, hour: u32, self_check_in: bool) -> Event {
    let now = clock::now();
    let starts = NaiveDateTime::new(
        now.date() + Duration::days(days),
        NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN),
    );
    let ends = starts + Duration::hours(2);
    let (opens, closes, late) = window::window(starts, ends, None, None, None);
    Event {
        id: EventId::new(),
        tenant_id: tenant.clone(),
        title: title.to_string(),
        description: None,
        location: Some("Community hall".to_string()),
        starts_at: starts,
        ends_at: ends,
        check_in_opens_at: opens,
        check_in_closes_at: closes,
        late_after: late,
        points_on_time: 20,
        points_late: 10,
        self_check_in,
        capacity: Some(40),
        attendees: 0,
        cancelled: false,
        code_secret: check_in_code::new_secret(),
        created_at: now,
        updated_at: now,
    }
}

/// The events; Ann was present and Cara late at the repair café. `users[0]` is
/// the admin. Returns the workshop, which staff scan (and a class is for).
pub fn seed(
    conn: &mut DbConnection,
    tenant: &TenantId,
    users: &[UserId],
) -> Result<EventId, ApiError> {
    let past = event(tenant, "Repair café", -7, 14, true);
    let workshop = event(tenant, "Recycling workshop", 7, 17, false);
    for e in [
        &past,
        &event(tenant, "Park clean-up", 1, 9, true),
        &workshop,
    ] {
        repo::insert(conn, e)?;
    }
    let marks = [
        (users[1].clone(), AttendanceStatus::Present),
        (users[3].clone(), AttendanceStatus::Late),
    ];
    let meta = RequestMeta::default();
    marking::mark_all(
        conn,
        tenant,
        &past.id,
        &marks,
        &users[0],
        clock::now(),
        &meta,
    )?;
    Ok(workshop.id)
}
