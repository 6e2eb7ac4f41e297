//! The caller's tenant, as every member's app reads it.

use actix_web::{get, web};

use crate::auth::AuthUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::tenants::dto::TenantResponse;
use crate::tenants::service;

/// Get my tenant
///
/// The caller's organisation: its name, currency, time zone and first day of
/// the week, which every date and amount the API returns is to be read in.
#[utoipa::path(
    tag = "tenant",
    operation_id = "get_tenant",
    security(("bearer" = [])),
    responses((status = 200, description = "The tenant.", body = TenantResponse))
)]
#[get("/tenant")]
pub async fn get(
    AuthUser(ctx): AuthUser,
    db: web::Data<Db>,
) -> Result<web::Json<TenantResponse>, ApiError> {
    Ok(web::Json(
        db.read(move |conn| service::view(conn, &ctx)).await?,
    ))
}
