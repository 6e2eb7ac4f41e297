//! `/admin/events…`: the tenant's events and their check-in codes.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDateTime;

use crate::attendance::dto::{
    CheckInCodeResponse, CreateEventRequest, EventResponse, EventsQuery, UpdateEventRequest,
};
use crate::attendance::member::events_page;
use crate::attendance::model::Event;
use crate::attendance::repo::{self, EventChanges};
use crate::attendance::rules::check_in_code;
use crate::attendance::rules::window;
use crate::audit;
use crate::auth::{AdminUser, TenantCtx};
use crate::clock::{self, Clock};
use crate::db::{Db, DbConnection, EventId};
use crate::error::{ApiError, FieldError};
use crate::http::extractors::Query;
use crate::pagination::Page;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &EventId) -> Result<Event, ApiError> {
    repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// 422 unless the event ends after it starts and check-in closes after it opens.
fn check_times(event: &Event) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if event.ends_at <= event.starts_at {
        errors.push(FieldError::new(
            "ends_at",
            "before_start",
            "must be after starts_at",
        ));
    }
    if event.check_in_closes_at <= event.check_in_opens_at {
        errors.push(FieldError::new(
            "check_in_closes_at",
            "before_open",
            "must be after check_in_opens_at",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// List events (admin)
///
/// The tenant's events still to come or going on, soonest first (`from`,
/// `to`, `cancelled=true` widen or narrow it).
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "list_admin_events",
    params(EventsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of events, soonest first.", body = Page<EventResponse>))
)]
#[get("/admin/events")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<EventsQuery>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<Page<EventResponse>>, ApiError> {
    Ok(web::Json(
        events_page(&db, ctx, query.into_inner(), clock.now()).await?,
    ))
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
    security(("bearer" = [])),
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
    let (starts_at, ends_at) = (clock::stored(body.starts_at), clock::stored(body.ends_at));
    let (opens, closes, late) = window::window(
        starts_at,
        ends_at,
        body.check_in_opens_at.map(clock::stored),
        body.check_in_closes_at.map(clock::stored),
        body.late_after.map(clock::stored),
    );
    let now = clock::now();
    let event = Event {
        id: EventId::new(),
        tenant_id: ctx.tenant_id.clone(),
        title: body.title.trim().to_string(),
        description: body.description,
        location: body.location,
        starts_at,
        ends_at,
        check_in_opens_at: opens,
        check_in_closes_at: closes,
        late_after: late,
        points_on_time: body.points_on_time.unwrap_or(0),
        points_late: body.points_late.unwrap_or(0),
        self_check_in: body.self_check_in.unwrap_or(true),
        capacity: body.capacity,
        attendees: 0,
        cancelled: false,
        code_secret: check_in_code::new_secret(),
        created_at: now,
        updated_at: now,
    };
    check_times(&event)?;
    let created = db
        .write(move |conn| {
            repo::insert(conn, &event)?;
            audit::admin_action(
                conn,
                &ctx,
                "event.create",
                "event",
                event.id.as_str(),
                &meta,
            )?;
            find(conn, &ctx, &event.id)
        })
        .await?;
    Ok(HttpResponse::Created().json(EventResponse::from(&created)))
}

/// Get an event (admin)
///
/// An event, cancelled or not.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "get_admin_event",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The event.", body = EventResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/events/{id}")]
pub async fn get_one(
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    db: web::Data<Db>,
) -> Result<web::Json<EventResponse>, ApiError> {
    let id = id.into_inner();
    let event = db.read(move |conn| find(conn, &ctx, &id)).await?;
    Ok(web::Json(EventResponse::from(&event)))
}

fn at(time: Option<crate::datetime::Timestamp>) -> Option<NaiveDateTime> {
    time.map(clock::stored)
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
    security(("bearer" = [])),
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
    let changes = EventChanges {
        title: body.title.map(|t| t.trim().to_string()),
        description: body.description,
        location: body.location,
        starts_at: at(body.starts_at),
        ends_at: at(body.ends_at),
        check_in_opens_at: at(body.check_in_opens_at),
        check_in_closes_at: at(body.check_in_closes_at),
        late_after: at(body.late_after),
        points_on_time: body.points_on_time,
        points_late: body.points_late,
        self_check_in: body.self_check_in,
        capacity: body.capacity,
        updated_at: None,
    };
    let updated = db
        .write(move |conn| {
            let current = find(conn, &ctx, &id)?;
            check_times(&Event {
                starts_at: changes.starts_at.unwrap_or(current.starts_at),
                ends_at: changes.ends_at.unwrap_or(current.ends_at),
                check_in_opens_at: changes
                    .check_in_opens_at
                    .unwrap_or(current.check_in_opens_at),
                check_in_closes_at: changes
                    .check_in_closes_at
                    .unwrap_or(current.check_in_closes_at),
                ..current
            })?;
            if repo::update(conn, &ctx.tenant_id, &id, changes)? == 0 {
                return Err(window::cancelled());
            }
            audit::admin_action(conn, &ctx, "event.update", "event", id.as_str(), &meta)?;
            find(conn, &ctx, &id)
        })
        .await?;
    Ok(web::Json(EventResponse::from(&updated)))
}

/// Cancel an event
///
/// Cancel an event: no more check-ins; attendance already recorded (and its
/// points) stays. Idempotent.
#[utoipa::path(
    tag = "admin-attendance",
    operation_id = "cancel_event",
    params(("id" = String, Path, format = Uuid, description = "Event id")),
    security(("bearer" = [])),
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
    db.write(move |conn| {
        find(conn, &ctx, &id)?;
        if repo::cancel(conn, &ctx.tenant_id, &id)? == 1 {
            audit::admin_action(conn, &ctx, "event.cancel", "event", id.as_str(), &meta)?;
        }
        Ok(())
    })
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
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The code and its times.", body = CheckInCodeResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`event_cancelled`."),
    )
)]
#[get("/admin/events/{id}/check-in-code")]
pub async fn code(
    AdminUser(ctx): AdminUser,
    id: web::Path<EventId>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<CheckInCodeResponse>, ApiError> {
    let id = id.into_inner();
    let event = db.read(move |conn| find(conn, &ctx, &id)).await?;
    if event.cancelled {
        return Err(window::cancelled());
    }
    let (code, window_end) =
        check_in_code::current(&event.code_secret, &event.id, clock.unix_secs());
    let time = |secs: u64| {
        chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
            .map(|t| t.naive_utc())
            .ok_or_else(|| ApiError::internal("check-in code time out of range"))
    };
    Ok(web::Json(CheckInCodeResponse {
        code,
        refresh_at: time(window_end)?,
        expires_at: time(window_end + check_in_code::WINDOW_SECS)?,
    }))
}
