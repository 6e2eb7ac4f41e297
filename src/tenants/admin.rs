//! The tenant's settings, for its admins.

use actix_web::{get, patch, web};

use crate::auth::AdminUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::request_context::RequestMeta;
use crate::tenants::dto::{TenantSettings, UpdateTenantRequest};
use crate::tenants::service;
use crate::validation::Valid;

/// Get the tenant's settings
///
/// Everything members see of the tenant, and its registration policy.
#[utoipa::path(
    tag = "admin-tenant",
    operation_id = "get_tenant_settings",
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "The settings.", body = TenantSettings))
)]
#[get("/admin/tenant")]
pub async fn get(
    AdminUser(ctx): AdminUser,
    db: web::Data<Db>,
) -> Result<web::Json<TenantSettings>, ApiError> {
    Ok(web::Json(
        db.read(move |conn| service::settings(conn, &ctx)).await?,
    ))
}

/// Change the tenant's settings
///
/// Name, currency, time zone, first day of the week, registration policy.
/// Periods (leaderboards, reward limits, settlement days) follow a new time
/// zone or first weekday from the next request on. Audited as `tenant.update`.
#[utoipa::path(
    tag = "admin-tenant",
    operation_id = "update_tenant_settings",
    request_body = UpdateTenantRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The settings as they now are.", body = TenantSettings),
        (status = 409, description = "`currency_locked`: the tenant has charges or payments in its currency."),
        (status = 422, description = "`validation_failed` (`name`: `invalid_length` or `blank`; `currency`: `invalid_currency`; `timezone`: `invalid_timezone`)."),
    )
)]
#[patch("/admin/tenant")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<UpdateTenantRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<TenantSettings>, ApiError> {
    let updated = db
        .write(move |conn| service::update(conn, &ctx, body, &meta))
        .await?;
    Ok(web::Json(updated))
}
