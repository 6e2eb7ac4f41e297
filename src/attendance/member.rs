//! Members' routes: events, checking in, their own attendance.

use actix_web::{HttpResponse, get, post, web};

use crate::attendance::dto::{
    AttendanceResponse, CheckInRequest, EventResponse, EventsQuery, MyAttendanceRow,
};
use crate::attendance::service::{events, marking};
use crate::auth::AuthUser;
use crate::clock::Clock;
use crate::db::{Db, EventId, UserId};
use crate::error::ApiError;
use crate::households;
use crate::http::extractors::{Paged, Query};
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// List events
///
/// Events still to come or going on, soonest first (`from`, `to` narrow it;
/// `on=today` lists the day's events in the organisation's time zone;
/// cancelled events only with `cancelled=true`).
#[utoipa::path(
    tag = "attendance",
    operation_id = "list_events",
    params(EventsQuery, PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of events, soonest first.", body = Page<EventResponse>,
         links(
            ("GetEvent" = (operation_id = "get_event", parameters(("id" = "$response.body#/data/0/id")))),
            ("CheckIn" = (operation_id = "check_in", parameters(("id" = "$response.body#/data/0/id"))))
         )),
        (status = 422, description = "`validation_failed` (`on: invalid_combination` with `from` or `to`)."),
    )
)]
#[get("/events")]
pub async fn list(
    AuthUser(ctx): AuthUser,
    Paged { page, filters }: Paged<EventsQuery>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<Page<EventResponse>>, ApiError> {
    let now = clock.now();
    let events = db
        .read_may_lag(move |conn| events::list(conn, &ctx, (&filters, now), &page))
        .await?;
    Ok(web::Json(events))
}

/// Get an event
///
/// One event of the tenant with its times and check-in window, cancelled
/// or not (`cancelled` says which), and how many have attended.
#[utoipa::path(
    tag = "attendance",
    operation_id = "get_event",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The event.", body = EventResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/events/{id}")]
pub async fn get_one(
    AuthUser(ctx): AuthUser,
    id: web::Path<EventId>,
    db: web::Data<Db>,
) -> Result<web::Json<EventResponse>, ApiError> {
    let id = id.into_inner();
    let event = db.read(move |conn| events::view(conn, &ctx, &id)).await?;
    Ok(web::Json(event))
}

/// Check in to an event
///
/// Check in with the code of the event's QR: `present` up to `late_after`,
/// `late` after it, with the points that earns. Once per member.
#[utoipa::path(
    tag = "attendance",
    operation_id = "check_in",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    request_body = CheckInRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Checked in: `status` and `points_awarded`.", body = AttendanceResponse),
        (status = 403, description = "`self_check_in_disabled`: staff scan members in at this event."),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`check_in_not_open` (with `opens_at`), `check_in_closed` (with `closed_at`), \
`already_checked_in` (with `attendance_status`; nothing changes), `event_full` (with `capacity`) or `event_cancelled`."),
        (status = 422, description = "`invalid_code`: wrong, or expired (codes rotate every 60 s; the previous one is still accepted)."),
    )
)]
#[post("/events/{id}/check-in")]
pub async fn check_in(
    AuthUser(ctx): AuthUser,
    id: web::Path<EventId>,
    Valid(body): Valid<CheckInRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (id, now) = (id.into_inner(), (clock.now(), clock.unix_secs()));
    let record = marking::check_in(&db, ctx, id, body.code, now, meta).await?;
    Ok(HttpResponse::Created().json(AttendanceResponse::from(record)))
}

/// List my attendance
///
/// The caller's own attendance, newest first, with the events.
#[utoipa::path(
    tag = "attendance",
    operation_id = "list_my_attendance",
    params(PageQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of records.", body = Page<MyAttendanceRow>))
)]
#[get("/attendance")]
pub async fn mine(
    AuthUser(ctx): AuthUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<MyAttendanceRow>>, ApiError> {
    let page = query.parse()?;
    let rows = db
        .read(move |conn| events::attendance_of(conn, &ctx, &ctx.user_id, &page))
        .await?;
    Ok(web::Json(rows))
}

/// List a dependant's attendance
///
/// The attendance of a dependant of the caller's household, newest first,
/// with the events. Anyone else (an adult of the household, another
/// household's dependant) is a 404.
#[utoipa::path(
    tag = "households",
    operation_id = "list_dependant_attendance",
    params(("id" = String, Path, format = Uuid, description = "The dependant's user id"), PageQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of records.", body = Page<MyAttendanceRow>))
)]
#[get("/households/mine/members/{id}/attendance")]
pub async fn dependant(
    AuthUser(ctx): AuthUser,
    id: web::Path<UserId>,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<MyAttendanceRow>>, ApiError> {
    let (page, id) = (query.parse()?, id.into_inner());
    let rows = db
        .read(move |conn| {
            let dependant = households::my_dependant(conn, &ctx, &id)?;
            events::attendance_of(conn, &ctx, &dependant.id, &page)
        })
        .await?;
    Ok(web::Json(rows))
}
