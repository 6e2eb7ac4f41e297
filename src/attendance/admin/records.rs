//! `/admin/events/{id}/…`: staff scans, bulk marking and attendance reports.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};

use crate::attendance::dto::{
    AttendanceResponse, AttendanceSummary, EventAttendanceRow, MarkRequest, MarkResponse,
    ScanRequest,
};
use crate::attendance::rules::scan::scanned;
use crate::attendance::service;
use crate::auth::{Auth, StaffUser, desk};
use crate::clock::Clock;
use crate::db::{Db, DbConnection, EventId};
use crate::error::ApiError;
use crate::export::ExportRange;
use crate::http::csv_download::csv_download;
use crate::http::extractors::Query;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::{Valid, ValidBatch};

/// Record a scanned member
///
/// Record a member scanned at the door, from the code in their app or their
/// badge card (`member_code` takes either). Offline
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
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses(
        (status = 201, description = "The member's record (for a repeated nonce, the first one).", body = AttendanceResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`check_in_not_open`, `check_in_closed` (judged at `scanned_at`), `already_checked_in`, \
`event_full` or `event_cancelled`."),
        (status = 422, description = "`invalid_member_code` (with `reason` invalid|expired|revoked; also a code or card of another organisation), \
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
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    id: web::Path<EventId>,
    Valid(body): Valid<ScanRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id) = (ctx.clone(), id.into_inner());
    // An unknown event (or another organisation's) is 404 whatever the code.
    let event = id.clone();
    db.read(move |conn| service::events::find(conn, &scope, &event).map(drop))
        .await?;
    let scanned = scanned(
        &auth,
        &ctx.tenant_id,
        &body.member_code,
        body.scanned_at,
        clock.now(),
    )?;
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        let nonce = body.nonce.as_deref();
        let record = service::marking::scan(conn, &scope, &id, scanned, nonce, &meta)?;
        idempotency::body(&AttendanceResponse::from(record))
    };
    idempotency::run(&db, &req, &ctx, "attendance.scan", StatusCode::CREATED, run).await
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
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses(
        (status = 200, description = "The records, in request order.", body = MarkResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`event_not_started` (with `opens_at`), `event_cancelled`, `insufficient_points` \
(taking back points a member has already spent)."),
        (status = 413, description = "`payload_too_large`: the body is over 1 MiB."),
        (status = 422, description = "`validation_failed` (naming `records[i].user_id`: `unknown_user`, `duplicate`; or `records`) or `idempotency_key_reused`."),
    )
)]
#[put("/admin/events/{id}/attendance")]
pub async fn mark(
    req: HttpRequest,
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    id: web::Path<EventId>,
    ValidBatch(body): ValidBatch<MarkRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id, now) = (ctx.clone(), id.into_inner(), clock.now());
    let marks: Vec<_> = body
        .records
        .into_iter()
        .map(|m| (m.user_id, m.status))
        .collect();
    let run = move |conn: &mut DbConnection| {
        let (tenant, admin) = (&scope.tenant_id, &scope.user_id);
        let records = service::marking::mark_all(conn, tenant, &id, &marks, admin, now, &meta)?;
        let records = records.into_iter().map(AttendanceResponse::from).collect();
        idempotency::body(&MarkResponse { records })
    };
    idempotency::run(&db, &req, &ctx, "attendance.mark", StatusCode::OK, run).await
}

/// List an event's attendance
///
/// The event's attendance records with the members' names, newest first.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "list_event_attendance",
    params(("id" = String, Path, format = Uuid, description = "Event id"), PageQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses(
        (status = 200, description = "One page of records.", body = Page<EventAttendanceRow>),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/events/{id}/attendance")]
pub async fn list(
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    id: web::Path<EventId>,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<EventAttendanceRow>>, ApiError> {
    let (id, page) = (id.into_inner(), query.parse()?);
    let records = db
        .read(move |conn| service::events::records(conn, &ctx, &id, &page))
        .await?;
    Ok(web::Json(records))
}

/// Summarise an event's attendance
///
/// How many members were present, late, absent or excused, and how many
/// active members have no record yet.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "get_attendance_summary",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses(
        (status = 200, description = "The counts.", body = AttendanceSummary),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/events/{id}/attendance/summary")]
pub async fn summary(
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    id: web::Path<EventId>,
    db: web::Data<Db>,
) -> Result<web::Json<AttendanceSummary>, ApiError> {
    let id = id.into_inner();
    let summary = db
        .read_may_lag(move |conn| service::events::summary(conn, &ctx, &id))
        .await?;
    Ok(web::Json(summary))
}

/// Export attendance as CSV
///
/// Every attendance record of the events starting in `[from, to)` (all of
/// them without), by the events' start, as `text/csv` (RFC 4180, UTF-8, a
/// header row), streamed. Columns: record_id, event_id, event_title,
/// event_starts_at (UTC, RFC 3339), local_date (the event's day for the
/// organisation), user_id, display_name, household_id, status, method,
/// checked_in_at, points_awarded, recorded_by. Text a spreadsheet would run
/// as a formula (starting with = + - @) is prefixed with a single quote.
#[utoipa::path(
    tag = "admin-exports",
    operation_id = "export_attendance",
    params(ExportRange),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses((status = 200, description = "The records as CSV.", content_type = "text/csv", body = String,
        example = "record_id,event_id,event_title,event_starts_at,local_date,user_id,display_name,household_id,status,method,checked_in_at,points_awarded,recorded_by\r\n0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a71,0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a61,Park clean-up,2026-11-28T09:00:00Z,2026-11-28,0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01,Ann Okafor,,present,self,2026-11-28T09:03:12Z,20,\r\n"))
)]
#[get("/admin/exports/attendance.csv")]
pub async fn export_attendance(
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    range: Query<ExportRange>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let range = range.into_inner();
    csv_download(
        db.get_ref().clone(),
        "attendance.csv",
        move |conn, after| service::export::export_chunk(conn, &ctx.tenant_id, &range, after),
    )
    .await
}
