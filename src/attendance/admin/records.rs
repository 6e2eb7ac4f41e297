//! `/admin/events/{id}/…`: staff scans, bulk marking and attendance reports.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Duration;

use crate::attendance::dto::{
    AttendanceResponse, AttendanceSummary, EventAttendanceRow, MarkRequest, MarkResponse,
    ScanRequest,
};
use crate::attendance::model::{AttendanceStatus, Method};
use crate::attendance::repo;
use crate::attendance::service::marking::{self, Arrival, Arrived};
use crate::auth::UserStatus;
use crate::auth::member_code::MemberCodeError;
use crate::auth::{AdminUser, Auth};
use crate::clock::{self, Clock};
use crate::db::{Db, EventId, UserId};
use crate::error::{ApiError, ErrorCode};
use crate::http::extractors::Query;
use crate::idempotency;
use crate::identity::repo::users;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::{Valid, ValidBatch, invalid};

/// How far ahead of the server's clock a scanner's `scanned_at` may be.
const SCANNER_SKEW: Duration = Duration::minutes(2);

/// 422 `invalid_member_code` (with `reason`: `invalid` or `expired`).
fn invalid_member_code(reason: &str, detail: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidMemberCode)
        .with_detail(detail)
        .with_extension("reason", reason)
}

/// Record a scanned member
///
/// Record a member scanned at the door, from the code in their app. Offline
/// scanners upload later with `scanned_at`, which must fall inside the
/// check-in window and be no more than 2 minutes ahead of the server; the
/// member code must have been valid then. The same `nonce` returns the first
/// result.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "scan_member",
    params(
        ("id" = String, Path, format = Uuid, description = "Event id"),
        idempotency::KeyHeader,
    ),
    request_body = ScanRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The member's record (for a repeated nonce, the first one).", body = AttendanceResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`check_in_not_open`, `check_in_closed` (judged at `scanned_at`), `already_checked_in`, \
`event_full`, `event_cancelled` or `idempotency_in_progress`."),
        (status = 422, description = "`invalid_member_code` (with `reason` invalid|expired; also a code of another organisation), \
`validation_failed` (also `scanned_at: in_future`, `member_code: unknown_member`) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/events/{id}/scans")]
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per actix extractor"
)]
pub async fn scan(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    Valid(body): Valid<ScanRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    // An unknown event (or another organisation's) is 404 whatever the code.
    let (tenant, event) = (ctx.tenant_id.clone(), id.clone());
    db.read(move |conn| Ok(repo::get(conn, &tenant, &event)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let now = clock.now();
    let at = body.scanned_at.map_or(now, clock::stored);
    if at > now + SCANNER_SKEW {
        return Err(invalid(
            "scanned_at",
            "in_future",
            "is more than 2 minutes ahead of the server's clock",
        ));
    }
    let at_secs = u64::try_from(at.and_utc().timestamp()).unwrap_or(0);
    let member: UserId = auth
        .member_codes
        .verify(&ctx.tenant_id, &body.member_code, at_secs)
        .map_err(|e| match e {
            MemberCodeError::Invalid => {
                invalid_member_code("invalid", "This is not a member code of this organisation.")
            }
            MemberCodeError::Expired => invalid_member_code(
                "expired",
                "This member code had expired when it was scanned; ask for a fresh one.",
            ),
        })?;
    let scope = ctx.clone();
    idempotency::run(
        &db,
        &req,
        &ctx,
        "attendance.scan",
        StatusCode::CREATED,
        move |conn| {
            let active = users::get(conn, &scope.tenant_id, &member)?
                .is_some_and(|u| u.status == UserStatus::Active);
            if !active {
                return Err(invalid(
                    "member_code",
                    "unknown_member",
                    "names no active member of this organisation",
                ));
            }
            let arrival = Arrival {
                user: &member,
                at,
                method: Method::Scan,
                recorded_by: Some(&scope.user_id),
                nonce: body.nonce.as_deref(),
            };
            let (Arrived::New(record) | Arrived::Replayed(record)) =
                marking::arrive(conn, &scope.tenant_id, &id, &arrival, &meta)?;
            idempotency::body(&AttendanceResponse::from(record))
        },
    )
    .await
}

/// Mark attendance in bulk
///
/// Set the attendance of up to 500 members at once, all or nothing: every
/// user must belong to the organisation and appear once (422 naming
/// `records[i].user_id`), and not before check-in opens. Points follow each
/// changed status exactly once: present→absent reverses what was earned,
/// absent→present awards it, present↔late moves the difference.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "mark_attendance",
    params(
        ("id" = String, Path, format = Uuid, description = "Event id"),
        idempotency::KeyHeader,
    ),
    request_body = MarkRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The records, in request order.", body = MarkResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`event_not_started` (with `opens_at`), `event_cancelled`, `insufficient_points` \
(taking back points a member has already spent) or `idempotency_in_progress`."),
        (status = 413, description = "`payload_too_large`: the body is over 1 MiB."),
        (status = 422, description = "`validation_failed` (naming `records[i].user_id`: `unknown_user`, `duplicate`; or `records`) or `idempotency_key_reused`."),
    )
)]
#[put("/admin/events/{id}/attendance")]
pub async fn mark(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    ValidBatch(body): ValidBatch<MarkRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id, now) = (ctx.clone(), id.into_inner(), clock.now());
    let marks: Vec<(UserId, AttendanceStatus)> = body
        .records
        .into_iter()
        .map(|m| (m.user_id, m.status))
        .collect();
    idempotency::run(
        &db,
        &req,
        &ctx,
        "attendance.mark",
        StatusCode::OK,
        move |conn| {
            let records = marking::mark_all(
                conn,
                &scope.tenant_id,
                &id,
                &marks,
                &scope.user_id,
                now,
                &meta,
            )?;
            idempotency::body(&MarkResponse {
                records: records.into_iter().map(AttendanceResponse::from).collect(),
            })
        },
    )
    .await
}

/// List an event's attendance
///
/// The event's attendance records with the members' names, newest first.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "list_event_attendance",
    params(("id" = String, Path, format = Uuid, description = "Event id"), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of records.", body = Page<EventAttendanceRow>),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/events/{id}/attendance")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<EventAttendanceRow>>, ApiError> {
    let (id, page) = (id.into_inner(), query.parse()?);
    let request = page.clone();
    let rows = db
        .read(move |conn| {
            repo::get(conn, &ctx.tenant_id, &id)?.ok_or_else(ApiError::not_found)?;
            Ok(repo::event_records(conn, &ctx.tenant_id, &id, &request)?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |(r, _)| (r.created_at, r.id.to_string()),
        |(r, display_name)| EventAttendanceRow {
            record: r.into(),
            display_name,
        },
    )))
}

/// Summarise an event's attendance
///
/// How many members were present, late, absent or excused, and how many
/// active members have no record yet.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "get_attendance_summary",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counts.", body = AttendanceSummary),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/events/{id}/attendance/summary")]
pub async fn summary(
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    db: web::Data<Db>,
) -> Result<web::Json<AttendanceSummary>, ApiError> {
    let id = id.into_inner();
    let (event, counts, not_recorded) = db
        .read(move |conn| {
            let event = repo::get(conn, &ctx.tenant_id, &id)?.ok_or_else(ApiError::not_found)?;
            let counts = repo::status_counts(conn, &ctx.tenant_id, &id)?;
            let missing = repo::not_recorded(conn, &ctx.tenant_id, &id)?;
            Ok((event, counts, missing))
        })
        .await?;
    let of = |s: AttendanceStatus| counts.get(s.as_str()).copied().unwrap_or(0);
    Ok(web::Json(AttendanceSummary {
        present: of(AttendanceStatus::Present),
        late: of(AttendanceStatus::Late),
        absent: of(AttendanceStatus::Absent),
        excused: of(AttendanceStatus::Excused),
        not_recorded,
        capacity: event.capacity,
    }))
}
