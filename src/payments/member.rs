//! Members' money views: their household's statement and receipts.

use actix_web::{get, web};

use crate::auth::{AuthUser, TenantCtx};
use crate::clock;
use crate::db::{Db, DbConnection, HouseholdId, PaymentId};
use crate::error::ApiError;
use crate::households;
use crate::http::extractors::Query;
use crate::identity::repo::users;
use crate::payments::admin::charges::currency_of;
use crate::payments::admin::payments::responses;
use crate::payments::dto::{RangeQuery, ReceiptResponse, StatementResponse};
use crate::payments::repo;
use crate::payments::service::statements;
use crate::tenants;

/// The caller's household id, or 404 `no_household`.
fn my_household(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<HouseholdId, ApiError> {
    users::get(conn, &ctx.tenant_id, &ctx.user_id)?
        .ok_or_else(ApiError::not_found)?
        .household_id
        .ok_or_else(households::rules::no_household)
}

/// Get my household's statement
///
/// The caller's household statement: charges and payments (and their voids)
/// in time order with the running balance, what is due and the credit.
#[utoipa::path(
    tag = "households",
    operation_id = "get_my_statement",
    params(RangeQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The statement.", body = StatementResponse),
        (status = 404, description = "`no_household`."),
    )
)]
#[get("/households/mine/statement")]
pub async fn my_statement(
    AuthUser(ctx): AuthUser,
    query: Query<RangeQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<StatementResponse>, ApiError> {
    let (from, to) = (query.from.map(clock::stored), query.to.map(clock::stored));
    let statement = db
        .read(move |conn| {
            let household = my_household(conn, &ctx)?;
            let currency = currency_of(conn, &ctx.tenant_id)?;
            statements::statement(conn, &ctx.tenant_id, &household, currency, from, to)
        })
        .await?;
    Ok(web::Json(statement))
}

/// Get a receipt
///
/// The receipt of a payment of the caller's own household (any other is not
/// found).
#[utoipa::path(
    tag = "households",
    operation_id = "get_receipt",
    params(("id" = String, Path, format = Uuid, description = "Payment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The receipt.", body = ReceiptResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/payments/{id}/receipt")]
pub async fn receipt(
    AuthUser(ctx): AuthUser,
    id: web::Path<PaymentId>,
    db: web::Data<Db>,
) -> Result<web::Json<ReceiptResponse>, ApiError> {
    let id = id.into_inner();
    let receipt = db
        .read(move |conn| {
            let household = my_household(conn, &ctx).map_err(|_| ApiError::not_found())?;
            let payment = repo::get_payment(conn, &ctx.tenant_id, &id)?
                .filter(|p| p.household_id == household)
                .ok_or_else(ApiError::not_found)?;
            let household = households::repo::get(conn, &ctx.tenant_id, &household)?
                .ok_or_else(ApiError::not_found)?;
            let tenant =
                tenants::repo::get(conn, &ctx.tenant_id)?.ok_or_else(ApiError::not_found)?;
            let payment = responses(conn, &ctx, vec![payment])?
                .pop()
                .ok_or_else(ApiError::not_found)?;
            Ok(ReceiptResponse {
                organisation: tenant.name,
                household_name: household.name,
                payment,
            })
        })
        .await?;
    Ok(web::Json(receipt))
}
