//! A member's own household: see it, join one with a code.

use actix_web::{HttpResponse, get, post, web};

use crate::auth::AuthUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::households::dto::{HouseholdDetail, JoinRequest};
use crate::households::service;
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
