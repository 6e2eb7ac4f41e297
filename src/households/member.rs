//! A member's own household: see it, join one with a code.

use actix_web::{HttpResponse, get, post, web};

use crate::audit::{self, AuditEntry};
use crate::auth::{AuthUser, TenantCtx};
use crate::codes::normalise_code;
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ErrorCode};
use crate::households::dto::{HouseholdDetail, JoinRequest};
use crate::households::{repo, service};
use crate::request_context::RequestMeta;
use crate::identity::repo::users;
use crate::validation::Valid;

/// 404 `no_household`: the caller is in no household.
pub fn no_household() -> ApiError {
    ApiError::new(ErrorCode::NoHousehold)
        .with_detail("You are not in a household yet; join one with its code.")
}

/// The household of `ctx`'s user with its members, or 404 `no_household`.
fn detail_of_mine(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<HouseholdDetail, ApiError> {
    let me = users::get(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)?;
    let id = me.household_id.ok_or_else(no_household)?;
    let household = repo::get(conn, &ctx.tenant_id, &id)?.ok_or_else(no_household)?;
    service::detail(conn, &ctx.tenant_id, household)
}

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
        db.read(move |conn| detail_of_mine(conn, &ctx)).await?,
    ))
}

/// 422 `invalid_code`.
pub fn invalid_join_code(field: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidCode)
        .with_detail("No open household has this code; check it or ask for a new one.")
        .with_errors(vec![crate::error::FieldError::new(
            field,
            "invalid_code",
            "no open household has this code",
        )])
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
    let code = normalise_code(&body.code);
    let detail = db
        .write(move |conn| {
            let household = repo::find_by_join_code(conn, &ctx.tenant_id, &code)?
                .ok_or_else(|| invalid_join_code("code"))?;
            if repo::join(conn, &ctx.tenant_id, &ctx.user_id, &household.id)? == 0 {
                return Err(ApiError::new(ErrorCode::AlreadyInHousehold)
                    .with_detail("You are already in a household; ask an admin to move you."));
            }
            audit::record(
                conn,
                &ctx.tenant_id,
                AuditEntry::new("household.join", &meta)
                    .by(&ctx.user_id)
                    .on("household", household.id.as_str()),
            )?;
            detail_of_mine(conn, &ctx)
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}
