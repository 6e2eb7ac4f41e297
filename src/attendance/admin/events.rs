//! `/admin/events…`: the tenant's events and their check-in codes.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::attendance::dto::{
    CheckInCodeResponse, CreateEventRequest, EventResponse, EventsQuery, UpdateEventRequest,
};
use crate::attendance::service::events;
use crate::auth::{AdminUser, StaffUser, desk};
use crate::clock::Clock;
use crate::db::{Db, EventId};
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// List events (admin)
///
/// The tenant's events still to come or going on, soonest first (`from`,
/// `to`, `cancelled=true` widen or narrow it; `on=today` lists the day's
/// events in the organisation's time zone, for the door).
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "list_admin_events",
    params(EventsQuery, PageQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses(
        (status = 200, description = "One page of events, soonest first.", body = Page<EventResponse>),
        (status = 422, description = "`validation_failed` (`on: invalid_combination` with `from` or `to`)."),
    )
)]
#[get("/admin/events")]
pub async fn list(
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    Paged { page, filters }: Paged<EventsQuery>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<Page<EventResponse>>, ApiError> {
    let now = clock.now();
    let events = db
        .read(move |conn| events::list(conn, &ctx, (&filters, now), &page))
        .await?;
    Ok(web::Json(events))
}

/// Create an event
///
/// Create an event. Check-in opens 30 minutes before the start and closes at
/// the end unless stated; arrivals more than 10 minutes after the start are
/// late unless `late_after` says otherwise.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "create_event",
    request_body = CreateEventRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "Created.", body = EventResponse,
         links(
            ("GetEvent" = (operation_id = "get_admin_event", parameters(("id" = "$response.body#/id")))),
            ("UpdateEvent" = (operation_id = "update_event", parameters(("id" = "$response.body#/id")))),
            ("CancelEvent" = (operation_id = "cancel_event", parameters(("id" = "$response.body#/id")))),
            ("GetCheckInCode" = (operation_id = "get_check_in_code", parameters(("id" = "$response.body#/id")))),
            ("GetEventAsMember" = (operation_id = "get_event", parameters(("id" = "$response.body#/id")))),
            ("CheckIn" = (operation_id = "check_in", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 422, description = "`validation_failed` (also `ends_at: before_start`, `check_in_closes_at: before_open`)."),
    )
)]
#[post("/admin/events")]
pub async fn create(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateEventRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let created = db
        .write(move |conn| events::create(conn, &ctx, body, &meta))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Get an event (admin)
///
/// An event, cancelled or not.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "get_admin_event",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses(
        (status = 200, description = "The event.", body = EventResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/events/{id}")]
pub async fn get_one(
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    id: web::Path<EventId>,
    db: web::Data<Db>,
) -> Result<web::Json<EventResponse>, ApiError> {
    let id = id.into_inner();
    let event = db.read(move |conn| events::view(conn, &ctx, &id)).await?;
    Ok(web::Json(event))
}

/// Update an event
///
/// Change an event. Points apply to attendance recorded from now on;
/// cancelled events cannot change (409 `event_cancelled`).
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "update_event",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    request_body = UpdateEventRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The updated event.", body = EventResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`event_cancelled`."),
        (status = 422, description = "`validation_failed` (also `ends_at: before_start`, `check_in_closes_at: before_open`)."),
    )
)]
#[patch("/admin/events/{id}")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    Valid(body): Valid<UpdateEventRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<EventResponse>, ApiError> {
    let id = id.into_inner();
    let updated = db
        .write(move |conn| events::update(conn, &ctx, &id, body, &meta))
        .await?;
    Ok(web::Json(updated))
}

/// Cancel an event
///
/// Cancel an event: no more check-ins; attendance already recorded (and its
/// points) stays. Idempotent.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "cancel_event",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 204, description = "Cancelled."),
        (status = 404, description = "`not_found`."),
    )
)]
#[delete("/admin/events/{id}")]
pub async fn cancel(
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| events::cancel(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Get the check-in code
///
/// The event's current check-in code, to display as a QR. Codes rotate every
/// 60 seconds (fetch again at `refresh_at`); a code is still accepted during
/// the next window.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "get_check_in_code",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"])),
    responses(
        (status = 200, description = "The code and its times.", body = CheckInCodeResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`event_cancelled`."),
    )
)]
#[get("/admin/events/{id}/check-in-code")]
pub async fn code(
    StaffUser(ctx, _): StaffUser<desk::Attendance>,
    id: web::Path<EventId>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<CheckInCodeResponse>, ApiError> {
    let id = id.into_inner();
    let event = db.read(move |conn| events::find(conn, &ctx, &id)).await?;
    Ok(web::Json(events::current_code(&event, clock.unix_secs())?))
}
