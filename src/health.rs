//! Liveness and readiness probes (unversioned, public).

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Db;
use crate::error::ApiError;

/// Probe result.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStatus {
    /// `ok` (live) or `ready`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness probe
///
/// The process is up and serving HTTP.
#[utoipa::path(
    tag = "operations",
    operation_id = "health_live",
    responses(
        (status = 200, description = "The process is serving requests.", body = HealthStatus,
         example = json!({"status": "ok"})),
    )
)]
#[get("/health/live")]
pub async fn live() -> web::Json<HealthStatus> {
    web::Json(HealthStatus { status: "ok" })
}

/// Readiness probe (database reachable)
///
/// The database answers; load balancers should route traffic here only while 200.
#[utoipa::path(
    tag = "operations",
    operation_id = "health_ready",
    responses(
        (status = 200, description = "The database answered.", body = HealthStatus,
         example = json!({"status": "ready"})),
    )
)]
#[get("/health/ready")]
pub async fn ready(db: web::Data<Db>) -> Result<web::Json<HealthStatus>, ApiError> {
    db.read(|conn| {
        use diesel::r2d2::R2D2Connection;
        conn.ping().map_err(ApiError::unavailable)
    })
    .await?;
    Ok(web::Json(HealthStatus { status: "ready" }))
}
