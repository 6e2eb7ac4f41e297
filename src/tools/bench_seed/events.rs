//! Events of a benchmark tenant, spread from a year ago to a month ahead, and
//! the attendance of the past ones with the points it earned.

use chrono::Duration;
use rand::Rng;
use rand::rngs::StdRng;

use super::ledger::{Detail, Ledger};
use super::people::People;
use super::plan::{Share, Tenant, time_between};
use crate::attendance::model::{AttendanceRecord, AttendanceStatus, Event, Method};
use crate::attendance::rules::check_in_code;
use crate::db::{AttendanceId, EventId};
use crate::points::model::EntryKind;

/// Members recorded at each past event.
const RECORDED_PER_EVENT: usize = 20;
const POINTS_ON_TIME: i64 = 20;
const POINTS_LATE: i64 = 10;

/// The events and the attendance records of those already over.
pub fn generate(
    tenant: &Tenant<'_>,
    share: Share,
    people: &People,
    ledger: &mut Ledger<'_>,
    rng: &mut StdRng,
) -> (Vec<Event>, Vec<AttendanceRecord>) {
    let first = tenant.history_start() + Duration::days(1);
    let span = (tenant.now + Duration::days(30) - first).num_seconds();
    let count = i64::try_from(share.events).unwrap_or(i64::MAX);
    let mut events = Vec::with_capacity(share.events);
    let mut records = Vec::new();
    for n in 0..count {
        let starts_at = first + Duration::seconds(span * n / count);
        let created_at = starts_at - Duration::days(14);
        let mut event = Event {
            id: EventId::at(created_at),
            tenant_id: tenant.id.clone(),
            title: format!("Community meeting {}", n + 1),
            description: Some("Monthly update, then sorting the recycling together.".into()),
            location: Some("Bench Street community hall".into()),
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            check_in_opens_at: starts_at - Duration::minutes(30),
            check_in_closes_at: starts_at + Duration::hours(2),
            late_after: starts_at + Duration::minutes(15),
            points_on_time: POINTS_ON_TIME,
            points_late: POINTS_LATE,
            self_check_in: true,
            capacity: None,
            attendees: 0,
            cancelled: false,
            code_secret: check_in_code::new_secret(),
            created_at,
            updated_at: created_at,
        };
        if event.check_in_closes_at <= tenant.now {
            record_attendance(&mut event, people, ledger, rng, &mut records);
        }
        events.push(event);
    }
    (events, records)
}

/// Records up to [`RECORDED_PER_EVENT`] members at a past event: most checked
/// themselves in on time, some were scanned in late, the rest were marked
/// absent or excused afterwards.
fn record_attendance(
    event: &mut Event,
    people: &People,
    ledger: &mut Ledger<'_>,
    rng: &mut StdRng,
    records: &mut Vec<AttendanceRecord>,
) {
    let recorded = RECORDED_PER_EVENT.min(people.members.len());
    for index in rand::seq::index::sample(rng, people.members.len(), recorded) {
        let member = &people.members[index];
        let roll = rng.random_range(0..100);
        let (status, method, checked_in_at, points) = if roll < 70 {
            let at = time_between(rng, event.check_in_opens_at, event.late_after);
            (
                AttendanceStatus::Present,
                Method::SelfCheckIn,
                Some(at),
                POINTS_ON_TIME,
            )
        } else if roll < 85 {
            let late = event.late_after + Duration::seconds(1);
            let at = time_between(rng, late, event.check_in_closes_at);
            (AttendanceStatus::Late, Method::Scan, Some(at), POINTS_LATE)
        } else if roll < 95 {
            (AttendanceStatus::Absent, Method::Bulk, None, 0)
        } else {
            (AttendanceStatus::Excused, Method::Bulk, None, 0)
        };
        let at = checked_in_at.unwrap_or(event.check_in_closes_at);
        let id = AttendanceId::at(at);
        let recorded_by = (method != Method::SelfCheckIn).then(|| people.admin.clone());
        let points_entry_id = (points > 0).then(|| {
            event.attendees += 1;
            let detail = Detail {
                actor: recorded_by.as_ref().unwrap_or(&member.id),
                reason: Some(&event.title),
                rule: None,
                source: Some(("attendance", id.as_str())),
            };
            ledger.post((index, member), EntryKind::Attendance, points, at, detail)
        });
        records.push(AttendanceRecord {
            id,
            tenant_id: event.tenant_id.clone(),
            event_id: event.id.clone(),
            user_id: member.id.clone(),
            household_id: Some(member.household.clone()),
            status,
            checked_in_at,
            method,
            recorded_by,
            nonce: None,
            points,
            points_entry_id,
            created_at: at,
            updated_at: at,
        });
    }
}
