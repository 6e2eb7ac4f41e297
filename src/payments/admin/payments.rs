//! `/admin/payments…` and statements: money received, voids and reports.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::auth::{AdminUser, StaffUser, desk};
use crate::clock::Clock;
use crate::db::{Db, DbConnection, HouseholdId, PaymentId};
use crate::error::ApiError;
use crate::export::ExportRange;
use crate::http::csv_download::csv_download;
use crate::http::extractors::{Paged, Query};
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::payments::dto::{
    CreatePaymentRequest, MoneyQuery, PaymentResponse, RangeQuery, SettlementSummary,
    StatementResponse, VoidRequest,
};
use crate::payments::rules;
use crate::payments::service::{exports, payments, statements};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Record a payment
///
/// Record a payment. It pays the named charges in order, or the open ones
/// oldest due first; what is left becomes household credit, used by the next
/// charges. Receipt numbers are sequential per organisation. Send an
/// `Idempotency-Key` so a retry never records the payment twice.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "create_payment",
    request_body = CreatePaymentRequest,
    params(idempotency::KeyHeader),
    security(("bearer" = ["admin"]), ("bearer" = ["payments"])),
    responses(
        (status = 201, description = "The payment, its allocations and any credit it left.", body = PaymentResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response.")),
         links(
            ("GetPayment" = (operation_id = "get_payment", parameters(("id" = "$response.body#/id")))),
            ("VoidPayment" = (operation_id = "void_payment", parameters(("id" = "$response.body#/id")))),
            ("GetReceipt" = (operation_id = "get_receipt", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 422, description = "`validation_failed` (also `household_id: unknown_household`, `received_at: in_future`, \
`charge_ids[i]`: `unknown_charge`, `not_owing`, `duplicate`) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/payments")]
pub async fn create(
    req: HttpRequest,
    StaffUser(ctx, _): StaffUser<desk::Payments>,
    Valid(body): Valid<CreatePaymentRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let received_at = rules::received_at(body.received_at, clock.now())?;
    let scope = ctx.clone();
    let run = move |conn: &mut DbConnection| {
        idempotency::body(&payments::pay(conn, &scope, &body, received_at, &meta)?)
    };
    idempotency::run(&db, &req, &ctx, "payments.create", StatusCode::CREATED, run).await
}

/// List payments
///
/// The tenant's payments, newest recorded first, with filters.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "list_payments",
    params(MoneyQuery, PageQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["payments"])),
    responses((status = 200, description = "One page of payments.", body = Page<PaymentResponse>))
)]
#[get("/admin/payments")]
pub async fn list(
    StaffUser(ctx, _): StaffUser<desk::Payments>,
    Paged { page, filters }: Paged<MoneyQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<PaymentResponse>>, ApiError> {
    let payments = db
        .read(move |conn| payments::list(conn, &ctx, filters, &page))
        .await?;
    Ok(web::Json(payments))
}

/// Summarise payments
///
/// Totals of the payments received and the refunds issued from `from` to
/// `to` (default: the organisation's current month in its time zone, or a
/// month from `from`; at most 366 days), by method and by local day, with
/// the voided ones apart and the net of money in and out per day, for
/// settling the cash box and the bank.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_payments_summary",
    params(RangeQuery),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The totals.", body = SettlementSummary),
        (status = 422, description = "`validation_failed` (`to: invalid_range` when not after `from` or over 366 days later)."),
    )
)]
#[get("/admin/payments/summary")]
pub async fn summary(
    AdminUser(ctx): AdminUser,
    query: Query<RangeQuery>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<web::Json<SettlementSummary>, ApiError> {
    let (range, now) = (query.into_inner(), clock.now());
    let summary = db
        .read_may_lag(move |conn| statements::summary_of(conn, &ctx, &range, now))
        .await?;
    Ok(web::Json(summary))
}

/// Get a payment
///
/// A payment with its allocations.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_payment",
    params(("id" = String, Path, format = Uuid, description = "Payment id")),
    security(("bearer" = ["admin"]), ("bearer" = ["payments"])),
    responses(
        (status = 200, description = "The payment.", body = PaymentResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/payments/{id}")]
pub async fn get_one(
    StaffUser(ctx, _): StaffUser<desk::Payments>,
    id: web::Path<PaymentId>,
    db: web::Data<Db>,
) -> Result<web::Json<PaymentResponse>, ApiError> {
    let id = id.into_inner();
    let payment = db.read(move |conn| payments::get(conn, &ctx, &id)).await?;
    Ok(web::Json(payment))
}

/// Void a payment
///
/// Void a payment: its allocations are reversed (the charges it paid reopen)
/// and the credit it left is withdrawn. Once only (409 `already_void`); not
/// while a refund that paid its credit back stands (409 `payment_refunded`:
/// void the refund first).
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "void_payment",
    params(("id" = String, Path, format = Uuid, description = "Payment id")),
    request_body = VoidRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The void payment.", body = PaymentResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`already_void` or `payment_refunded`."),
    )
)]
#[post("/admin/payments/{id}/void")]
pub async fn void(
    AdminUser(ctx): AdminUser,
    id: web::Path<PaymentId>,
    Valid(body): Valid<VoidRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<PaymentResponse>, ApiError> {
    let id = id.into_inner();
    let payment = db
        .write(move |conn| payments::void(conn, &ctx, &id, &body.reason, &meta))
        .await?;
    Ok(web::Json(payment))
}

/// Get a household's statement
///
/// A household's statement (as its members see it).
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_household_statement",
    params(("id" = String, Path, format = Uuid, description = "Household id"), RangeQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["payments"])),
    responses(
        (status = 200, description = "The statement.", body = StatementResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/households/{id}/statement")]
pub async fn household_statement(
    StaffUser(ctx, _): StaffUser<desk::Payments>,
    id: web::Path<HouseholdId>,
    query: Query<RangeQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<StatementResponse>, ApiError> {
    let (id, range) = (id.into_inner(), query.into_inner());
    let statement = db
        .read_may_lag(move |conn| statements::for_household(conn, &ctx, &id, &range))
        .await?;
    Ok(web::Json(statement))
}

/// Export payments as CSV
///
/// Every payment received in `[from, to)` (all of them without), voided ones
/// too, by the time received, as `text/csv` (RFC 4180, UTF-8, a header row),
/// streamed. Columns: receipt_number, payment_id, received_at (UTC, RFC
/// 3339), local_date (the organisation's day), household_id,
/// household_name, amount (minor units), currency, method, reference,
/// status, voided_at, void_reason, recorded_by. Text a spreadsheet would run
/// as a formula (starting with = + - @) is prefixed with a single quote.
#[utoipa::path(
    tag = "admin-exports",
    operation_id = "export_payments",
    params(ExportRange),
    security(("bearer" = ["admin"]), ("bearer" = ["payments"])),
    responses((status = 200, description = "The payments as CSV.", content_type = "text/csv", body = String,
        example = "receipt_number,payment_id,received_at,local_date,household_id,household_name,amount,currency,method,reference,status,voided_at,void_reason,recorded_by\r\nR-000123,0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a81,2026-12-01T09:00:00Z,2026-12-01,0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a31,Okafor family,2500,EUR,cash,,completed,,,0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a02\r\n"))
)]
#[get("/admin/exports/payments.csv")]
pub async fn export_payments(
    StaffUser(ctx, _): StaffUser<desk::Payments>,
    range: Query<ExportRange>,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let range = range.into_inner();
    csv_download(db.get_ref().clone(), "payments.csv", move |conn, after| {
        exports::payments_chunk(conn, &ctx.tenant_id, &range, after)
    })
    .await
}

/// Export the settlement as CSV
///
/// The settlement summary of `[from, to)` (by default the organisation's
/// current month; at most 366 days) by local day, as `text/csv` (RFC 4180,
/// UTF-8, a header row): local_date, currency, payments_count,
/// payments_total, refunds_count, refunds_total, net_total (minor units;
/// voided payments and refunds are left out, as in the JSON summary).
#[utoipa::path(
    tag = "admin-exports",
    operation_id = "export_settlement",
    params(ExportRange),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The days as CSV.", content_type = "text/csv", body = String,
            example = "local_date,currency,payments_count,payments_total,refunds_count,refunds_total,net_total\r\n2026-12-01,EUR,3,7500,1,500,7000\r\n"),
        (status = 422, description = "`validation_failed` (`to: invalid_range` when not after `from` or over 366 days later)."),
    )
)]
#[get("/admin/exports/settlement.csv")]
pub async fn export_settlement(
    AdminUser(ctx): AdminUser,
    range: Query<ExportRange>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, ApiError> {
    let (range, now) = (range.into_inner(), clock.now());
    csv_download(
        db.get_ref().clone(),
        "settlement.csv",
        move |conn, after| exports::settlement_rows(conn, &ctx, &range, (now, after)),
    )
    .await
}
