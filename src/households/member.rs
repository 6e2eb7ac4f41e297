//! A member's own household: see it, join one with a code, add a dependant.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::auth::AuthUser;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::households::dto::{CreateDependantRequest, HouseholdDetail, JoinRequest};
use crate::households::service;
use crate::idempotency;
use crate::identity::UserResponse;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Get my household
///
/// The caller's household and its members.
#[utoipa::path(
    tag = "households",
    operation_id = "get_my_household",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The household and its members.", body = HouseholdDetail),
        (status = 404, description = "`no_household`: the caller is in no household."),
    )
)]
#[get("/households/mine")]
pub async fn mine(
    AuthUser(ctx): AuthUser,
    db: web::Data<Db>,
) -> Result<web::Json<HouseholdDetail>, ApiError> {
    Ok(web::Json(
        db.read(move |conn| service::mine(conn, &ctx)).await?,
    ))
}

/// Join a household with its code
///
/// Join a household with its code. A member already in a household cannot join
/// another (an admin moves members).
#[utoipa::path(
    tag = "households",
    operation_id = "join_household",
    request_body = JoinRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Joined; the household and its members.", body = HouseholdDetail),
        (status = 409, description = "`already_in_household`."),
        (status = 422, description = "`invalid_code`: wrong, rotated or archived household's code."),
    )
)]
#[post("/households/join")]
pub async fn join(
    AuthUser(ctx): AuthUser,
    Valid(body): Valid<JoinRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let detail = db
        .write(move |conn| service::join(conn, &ctx, &body.code, &meta))
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// Add a dependant to my household
///
/// Add a person without a login (a child) to the caller's household. They
/// earn points, are marked and scanned at events (with a badge card an admin
/// prints) and hold a balance; the household's adults see their ledger and
/// attendance and redeem on their behalf. Send an `Idempotency-Key` so a
/// retried request never adds the child twice.
#[utoipa::path(
    tag = "households",
    operation_id = "add_my_dependant",
    request_body = CreateDependantRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The dependant (`kind: dependant`, no email).", body = UserResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key."))),
        (status = 404, description = "`no_household`: the caller is in no household."),
        (status = 409, description = "`household_archived`."),
        (status = 422, description = "`validation_failed` (`birth_year: in_future`) or `idempotency_key_reused`."),
    )
)]
#[post("/households/mine/dependants")]
pub async fn add_dependant(
    req: HttpRequest,
    AuthUser(ctx): AuthUser,
    Valid(body): Valid<CreateDependantRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        let dependant = service::add_my_dependant(conn, &scope, &body, &meta)?;
        idempotency::body(&UserResponse::from(dependant))
    };
    let action = "households.add_dependant";
    idempotency::run(&db, &req, &ctx, action, StatusCode::CREATED, run).await
}
