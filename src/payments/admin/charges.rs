//! `/admin/charges…`: what households owe.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::auth::AdminUser;
use crate::datetime::Date;
use crate::db::{ChargeId, Db, DbConnection, HouseholdId, TenantId};
use crate::error::ApiError;
use crate::households;
use crate::http::extractors::Query;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::payments::dto::{
    BatchChargeRequest, BatchChargeResponse, ChargeResponse, ChargesQuery, CreateChargeRequest,
    VoidRequest,
};
use crate::payments::repo::{self, ChargeFilter};
use crate::payments::service::money::{self, Actor, NewCharge};
use crate::request_context::RequestMeta;
use crate::tenants;
use crate::validation::{Valid, invalid};

/// The tenant's currency.
pub fn currency_of(conn: &mut DbConnection, tenant: &TenantId) -> Result<String, ApiError> {
    Ok(tenants::repo::get(conn, tenant)?
        .ok_or_else(ApiError::not_found)?
        .currency)
}

/// Charge a household
///
/// Charge a household. Any credit it holds pays the charge at once. Send an
/// `Idempotency-Key` so a retry never charges twice.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "create_charge",
    request_body = CreateChargeRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The charge (already partly or wholly paid from credit, if any).", body = ChargeResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 409, description = "`household_archived` or `idempotency_in_progress`."),
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
    idempotency::run(
        &db,
        &req,
        &ctx,
        "charges.create",
        StatusCode::CREATED,
        move |conn| {
            let tenant = &scope.tenant_id;
            money::known_household(conn, tenant, &body.household_id)?;
            let currency = currency_of(conn, tenant)?;
            let new = NewCharge {
                description: body.description.trim(),
                amount: body.amount,
                due_date: body.due_date.get(),
                currency: &currency,
            };
            let actor = Actor {
                user: &scope.user_id,
                meta: &meta,
            };
            let charge = money::issue_charge(conn, tenant, &body.household_id, &new, actor)?;
            idempotency::body(&ChargeResponse::from(charge))
        },
    )
    .await
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
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The charges.", body = BatchChargeResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response."))),
        (status = 409, description = "`idempotency_in_progress`."),
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
    let all_active = body.all_active.unwrap_or(false);
    if body.household_ids.is_some() == all_active {
        return Err(invalid(
            "household_ids",
            "invalid_combination",
            "send either household_ids or all_active: true",
        ));
    }
    let scope = ctx.clone();
    idempotency::run(
        &db,
        &req,
        &ctx,
        "charges.create_batch",
        StatusCode::CREATED,
        move |conn| {
            let tenant = &scope.tenant_id;
            let targets: Vec<HouseholdId> = match &body.household_ids {
                Some(ids) => {
                    households::repo::check_live_ids(conn, tenant, ids, "household_ids")?;
                    ids.clone()
                }
                None => households::repo::live_ids(conn, tenant)?,
            };
            if targets.is_empty() {
                return Err(invalid(
                    "household_ids",
                    "none_active",
                    "the organisation has no active household",
                ));
            }
            let currency = currency_of(conn, tenant)?;
            let new = NewCharge {
                description: body.description.trim(),
                amount: body.amount,
                due_date: body.due_date.get(),
                currency: &currency,
            };
            let actor = Actor {
                user: &scope.user_id,
                meta: &meta,
            };
            let mut charges = Vec::with_capacity(targets.len());
            for household in &targets {
                charges.push(ChargeResponse::from(money::issue_charge(
                    conn, tenant, household, &new, actor,
                )?));
            }
            idempotency::body(&BatchChargeResponse { charges })
        },
    )
    .await
}

/// List charges
///
/// The tenant's charges, newest first, with filters.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "list_charges",
    params(ChargesQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of charges.", body = Page<ChargeResponse>))
)]
#[get("/admin/charges")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<ChargesQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<ChargeResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let filter = ChargeFilter {
        household_id: query.household_id,
        status: query.status,
        due_before: query.due_before.map(Date::get),
    };
    let request = page.clone();
    let rows = db
        .read(move |conn| Ok(repo::list_charges(conn, &ctx.tenant_id, &filter, &request)?))
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |c| (c.created_at, c.id.to_string()),
        ChargeResponse::from,
    )))
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
    security(("bearer" = [])),
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
        .write(move |conn| {
            let actor = Actor {
                user: &ctx.user_id,
                meta: &meta,
            };
            money::void_charge(conn, &ctx.tenant_id, &id, body.reason.trim(), actor)
        })
        .await?;
    Ok(web::Json(charge.into()))
}
