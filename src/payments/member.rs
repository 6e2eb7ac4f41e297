//! Members' money views: their household's statement and receipts.

use actix_web::{get, web};

use crate::auth::AuthUser;
use crate::db::{Db, PaymentId};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::payments::dto::{RangeQuery, ReceiptResponse, StatementResponse};
use crate::payments::service::{receipts, statements};

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
    let range = query.into_inner();
    let statement = db
        .read_may_lag(move |conn| statements::for_member(conn, &ctx, &range))
        .await?;
    Ok(web::Json(statement))
}

/// Get a receipt
///
/// The receipt of a payment of the caller's own household (any other is not
/// found), exactly as it was issued: voiding the payment or a charge it paid
/// later sets `status`, `voided_at` and `void_reason` and changes nothing
/// else. (Payments recorded before receipts were kept show the charges they
/// were given then, under today's names.)
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
        .read(move |conn| receipts::for_member(conn, &ctx, &id))
        .await?;
    Ok(web::Json(receipt))
}
