//! Members' routes: events, checking in, their own attendance.

use actix_web::{HttpResponse, get, post, web};

use crate::attendance::dto::{
    AttendanceResponse, CheckInRequest, EventResponse, EventsQuery, MyAttendanceRow,
};
use crate::attendance::model::{Event, Method};
use crate::attendance::repo::{self, EventFilter};
use crate::attendance::rules::check_in_code;
use crate::attendance::rules::window;
use crate::attendance::service::marking::{self, Arrival, Arrived};
use crate::auth::{AuthUser, TenantCtx};
use crate::clock::{self, Clock};
use crate::db::{Db, EventId};
use crate::error::{ApiError, ErrorCode};
use crate::http::extractors::Query;
use crate::pagination::{Page, PageQuery, PageRequest};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// One page of events, soonest first, for members or admins.
pub async fn events_page(
    db: &Db,
    ctx: TenantCtx,
    query: EventsQuery,
    now: chrono::NaiveDateTime,
) -> Result<Page<EventResponse>, ApiError> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let filter = EventFilter {
        ending_after: Some(query.from.map_or(now, clock::stored)),
        starting_before: query.to.map(clock::stored),
        include_cancelled: query.cancelled.unwrap_or(false),
    };
    let request: PageRequest = page.clone();
    let rows = db
        .read(move |conn| Ok(repo::list(conn, &ctx.tenant_id, &filter, &request)?))
        .await?;
    Ok(Page::from_rows(
        rows,
        &page,
        |e| (e.starts_at, e.id.to_string()),
        |e| EventResponse::from(&e),
    ))
}

/// List events
///
/// Events still to come or going on, soonest first (`from`, `to` narrow it;
/// cancelled events only with `cancelled=true`).
#[utoipa::path(
    tag = "attendance",
    operation_id = "list_events",
    params(EventsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of events, soonest first.", body = Page<EventResponse>,
         links(
            ("GetEvent" = (operation_id = "get_event", parameters(("id" = "$response.body#/data/0/id")))),
            ("CheckIn" = (operation_id = "check_in", parameters(("id" = "$response.body#/data/0/id"))))
         )))
)]
#[get("/events")]
pub async fn list(
    AuthUser(ctx): AuthUser,
    query: Query<EventsQuery>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<Page<EventResponse>>, ApiError> {
    Ok(web::Json(
        events_page(&db, ctx, query.into_inner(), clock.now()).await?,
    ))
}

async fn find(db: &Db, ctx: &TenantCtx, id: EventId) -> Result<Event, ApiError> {
    let tenant = ctx.tenant_id.clone();
    db.read(move |conn| Ok(repo::get(conn, &tenant, &id)?))
        .await?
        .ok_or_else(ApiError::not_found)
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
    Ok(web::Json(EventResponse::from(
        &find(&db, &ctx, id.into_inner()).await?,
    )))
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
    let (id, now, unix) = (id.into_inner(), clock.now(), clock.unix_secs());
    let event = find(&db, &ctx, id.clone()).await?;
    if !event.self_check_in {
        return Err(ApiError::new(ErrorCode::SelfCheckInDisabled)
            .with_detail("At this event, staff scan members in."));
    }
    window::check_window(&event, now)?;
    if !check_in_code::verify(&event.code_secret, &event.id, &body.code, unix) {
        return Err(ApiError::new(ErrorCode::InvalidCode)
            .with_detail("This code is not the event's current one; scan the QR again."));
    }
    let arrived = db
        .write(move |conn| {
            let arrival = Arrival {
                user: &ctx.user_id,
                at: now,
                method: Method::SelfCheckIn,
                recorded_by: None,
                nonce: None,
            };
            marking::arrive(conn, &ctx.tenant_id, &id, &arrival, &meta)
        })
        .await?;
    let (Arrived::New(record) | Arrived::Replayed(record)) = arrived;
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
    let request = page.clone();
    let rows = db
        .read(move |conn| {
            Ok(repo::member_records(
                conn,
                &ctx.tenant_id,
                &ctx.user_id,
                &request,
            )?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |(r, _)| (r.created_at, r.id.to_string()),
        |(r, e)| MyAttendanceRow {
            record: r.into(),
            event_title: e.title,
            event_starts_at: e.starts_at,
        },
    )))
}
