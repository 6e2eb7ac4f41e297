//! `/admin/charge-schedules…`: recurring dues.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};

use crate::auth::AdminUser;
use crate::clock::Clock;
use crate::db::{ChargeScheduleId, Db, DbConnection};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::payments::dto::{CreateScheduleRequest, ScheduleResponse, UpdateScheduleRequest};
use crate::payments::service::schedules;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Set up recurring dues
///
/// Issue the same charge every week, month or term to the listed households
/// or, with `all_active: true`, to every household that is not archived
/// (one created later is charged from the period after the day it was
/// created). Each period's charges are issued on its first local date, in
/// the organisation's time zone, by a job every instance runs, exactly once
/// per household and period; credit a household holds pays its charge at
/// once. Termly schedules follow the organisation's `term_starts`
/// (`PATCH /admin/tenant`). Send an `Idempotency-Key` so a retry never sets
/// up the schedule twice.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "create_charge_schedule",
    request_body = CreateScheduleRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The schedule.", body = ScheduleResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response.")),
         links(
            ("GetChargeSchedule" = (operation_id = "get_charge_schedule", parameters(("id" = "$response.body#/id")))),
            ("StopChargeSchedule" = (operation_id = "stop_charge_schedule", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 422, description = "`validation_failed` (also `anchor_date: in_past`, `ends_on: before_anchor`, \
`frequency: no_terms` when no term starts on or after the anchor, `household_ids[i]`: `unknown_household`, `archived`, \
`duplicate`, or `household_ids: invalid_combination` when neither or both of `household_ids` and `all_active: true` are given) \
or `idempotency_key_reused`."),
    )
)]
#[post("/admin/charge-schedules")]
pub async fn create(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateScheduleRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, now) = (ctx.clone(), clock.now());
    let run = move |conn: &mut DbConnection| {
        idempotency::body(&schedules::create(conn, &scope, &body, now, &meta)?)
    };
    idempotency::run(
        &db,
        &req,
        &ctx,
        "charge_schedules.create",
        StatusCode::CREATED,
        run,
    )
    .await
}

/// List recurring dues
///
/// The organisation's charge schedules, newest first, stopped and ended ones
/// included.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "list_charge_schedules",
    params(PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "One page of schedules.", body = Page<ScheduleResponse>))
)]
#[get("/admin/charge-schedules")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<ScheduleResponse>>, ApiError> {
    let page = query.parse()?;
    let schedules = db
        .read(move |conn| schedules::list(conn, &ctx, &page))
        .await?;
    Ok(web::Json(schedules))
}

/// Get recurring dues
///
/// A charge schedule, its next period and how many charges it has issued.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_charge_schedule",
    params(("id" = String, Path, format = Uuid, description = "Schedule id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The schedule.", body = ScheduleResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/charge-schedules/{id}")]
pub async fn get_one(
    AdminUser(ctx): AdminUser,
    id: web::Path<ChargeScheduleId>,
    db: web::Data<Db>,
) -> Result<web::Json<ScheduleResponse>, ApiError> {
    let id = id.into_inner();
    let schedule = db.read(move |conn| schedules::get(conn, &ctx, &id)).await?;
    Ok(web::Json(schedule))
}

/// Change recurring dues
///
/// Change what the periods not issued yet get: description, amount, due
/// days, the end date, and (for a schedule with listed households) the
/// households. Charges already issued stay as they are. A household added now
/// is charged from the first period that starts after today.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "update_charge_schedule",
    params(("id" = String, Path, format = Uuid, description = "Schedule id")),
    request_body = UpdateScheduleRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The schedule.", body = ScheduleResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`conflict`: the schedule was stopped."),
        (status = 422, description = "`validation_failed` (also `ends_on: in_past`, `household_ids: all_active` for a \
schedule of every active household, `household_ids[i]`: `unknown_household`, `archived`, `duplicate`)."),
    )
)]
#[patch("/admin/charge-schedules/{id}")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    id: web::Path<ChargeScheduleId>,
    Valid(body): Valid<UpdateScheduleRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<web::Json<ScheduleResponse>, ApiError> {
    let (id, now) = (id.into_inner(), clock.now());
    let schedule = db
        .write(move |conn| schedules::update(conn, &ctx, &id, &body, now, &meta))
        .await?;
    Ok(web::Json(schedule))
}

/// Stop recurring dues
///
/// Stop a schedule: no period is issued after this. Charges it issued stay
/// (void them one by one). Idempotent.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "stop_charge_schedule",
    params(("id" = String, Path, format = Uuid, description = "Schedule id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 204, description = "Stopped."),
        (status = 404, description = "`not_found`."),
    )
)]
#[delete("/admin/charge-schedules/{id}")]
pub async fn stop(
    AdminUser(ctx): AdminUser,
    id: web::Path<ChargeScheduleId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| schedules::stop(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
