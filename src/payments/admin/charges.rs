//! `/admin/charges…`: what households owe.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::auth::AdminUser;
use crate::db::{ChargeId, Db, DbConnection};
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::payments::dto::{
    BatchChargeRequest, BatchChargeResponse, ChargeResponse, ChargesQuery, CreateChargeRequest,
    VoidRequest,
};
use crate::payments::service::charges;
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Charge a household
///
/// Charge a household. Any credit it holds pays the charge at once. Send an
/// `Idempotency-Key` so a retry never charges twice.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "create_charge",
    request_body = CreateChargeRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The charge (already partly or wholly paid from credit, if any).", body = ChargeResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 409, description = "`household_archived`."),
        (status = 422, description = "`validation_failed` (also `household_id: unknown_household`) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/charges")]
pub async fn create(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateChargeRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        let charge = charges::charge(conn, &scope, &body, &meta)?;
        idempotency::body(&ChargeResponse::from(charge))
    };
    idempotency::run(&db, &req, &ctx, "charges.create", StatusCode::CREATED, run).await
}

/// Charge households in bulk
///
/// Charge many households at once, all or nothing: the listed ones (each must
/// be a live household of the organisation, 422 naming `household_ids[i]`) or,
/// with `all_active: true`, every household that is not archived.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "create_charges_batch",
    request_body = BatchChargeRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The charges.", body = BatchChargeResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 422, description = "`validation_failed` (`household_ids[i]`: `unknown_household`, `archived`, `duplicate`; \
or `household_ids` when neither or both of `household_ids` and `all_active: true` are given, or no household is active) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/charges/batch")]
pub async fn create_batch(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<BatchChargeRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    body.check_targets()?;
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        let charges = charges::charge_all(conn, &scope, &body, &meta)?;
        let charges = charges.into_iter().map(ChargeResponse::from).collect();
        idempotency::body(&BatchChargeResponse { charges })
    };
    let action = "charges.create_batch";
    idempotency::run(&db, &req, &ctx, action, StatusCode::CREATED, run).await
}

/// List charges
///
/// The tenant's charges, newest first, with filters.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "list_charges",
    params(ChargesQuery, PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "One page of charges.", body = Page<ChargeResponse>))
)]
#[get("/admin/charges")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    Paged { page, filters }: Paged<ChargesQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<ChargeResponse>>, ApiError> {
    let filter = filters.into_filter()?;
    let charges = db
        .read(move |conn| charges::list(conn, &ctx, &filter, &page))
        .await?;
    Ok(web::Json(charges))
}

/// Void a charge
///
/// Void a charge: it is no longer owed, and what was paid towards it becomes
/// the household's credit. Once only (409 `already_void`).
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "void_charge",
    params(("id" = String, Path, format = Uuid, description = "Charge id")),
    request_body = VoidRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The void charge.", body = ChargeResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`already_void`."),
    )
)]
#[post("/admin/charges/{id}/void")]
pub async fn void(
    AdminUser(ctx): AdminUser,
    id: web::Path<ChargeId>,
    Valid(body): Valid<VoidRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<ChargeResponse>, ApiError> {
    let id = id.into_inner();
    let charge = db
        .write(move |conn| charges::void(conn, &ctx, &id, &body.reason, &meta))
        .await?;
    Ok(web::Json(charge.into()))
}
