//! Liveness and readiness probes (unversioned, public).

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{Db, ReplicaState};
use crate::error::ApiError;

/// Liveness probe result.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStatus {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Readiness probe result.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessStatus {
    /// `ready`; `degraded` when the read replica is down and its reads go to
    /// the primary (the instance still serves everything).
    #[schema(example = "ready")]
    pub status: &'static str,
    /// The read replica: `up`, `down`, or `none` configured.
    #[schema(example = "up")]
    pub replica: &'static str,
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
/// The primary database answers; load balancers should route traffic here only
/// while 200. A read replica that is down makes the instance `degraded`, still
/// 200: its reads go to the primary.
#[utoipa::path(
    tag = "operations",
    operation_id = "health_ready",
    responses(
        (status = 200, description = "The primary database answered.", body = ReadinessStatus,
         example = json!({"status": "ready", "replica": "up"})),
    )
)]
#[get("/health/ready")]
pub async fn ready(db: web::Data<Db>) -> Result<web::Json<ReadinessStatus>, ApiError> {
    db.read(|conn| {
        use diesel::r2d2::R2D2Connection;
        conn.ping().map_err(ApiError::unavailable)
    })
    .await?;
    // Probed on its own blocking call: a replica that does not answer may
    // take its checkout timeout, which must not hold a primary connection.
    let handle = db.clone();
    let replica = web::block(move || handle.probe_replica()).await?;
    let (status, replica) = match replica {
        ReplicaState::None => ("ready", "none"),
        ReplicaState::Up => ("ready", "up"),
        ReplicaState::Down => ("degraded", "down"),
    };
    Ok(web::Json(ReadinessStatus { status, replica }))
}
