//! `/admin/payments…` and statements: money received, voids and reports.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Duration;

use crate::auth::{AdminUser, TenantCtx};
use crate::clock::{self, Clock};
use crate::db::{Db, DbConnection, HouseholdId, PaymentId};
use crate::error::ApiError;
use crate::households;
use crate::http::extractors::Query;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::payments::admin::charges::currency_of;
use crate::payments::dto::{
    CreatePaymentRequest, PaymentResponse, PaymentsQuery, RangeQuery, SettlementSummary,
    StatementResponse, VoidRequest,
};
use crate::payments::model::Payment;
use crate::payments::repo::{self, PaymentFilter};
use crate::payments::service::money::{self, Actor, NewPayment};
use crate::payments::service::statements;
use crate::request_context::RequestMeta;
use crate::validation::{Valid, invalid};

/// The responses for `payments`, with where their money is (one query).
pub fn responses(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    payments: Vec<Payment>,
) -> Result<Vec<PaymentResponse>, ApiError> {
    let ids: Vec<&PaymentId> = payments.iter().map(|p| &p.id).collect();
    let mut held = repo::net_allocations(conn, &ctx.tenant_id, &ids)?;
    Ok(payments
        .into_iter()
        .map(|p| {
            let money = held.remove(&p.id).unwrap_or_default();
            PaymentResponse::new(p, &money)
        })
        .collect())
}

fn one_response(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    payment: Payment,
) -> Result<PaymentResponse, ApiError> {
    responses(conn, ctx, vec![payment])?
        .pop()
        .ok_or_else(ApiError::not_found)
}

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
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The payment, its allocations and any credit it left.", body = PaymentResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` for a replayed response.")),
         links(
            ("GetPayment" = (operation_id = "get_payment", parameters(("id" = "$response.body#/id")))),
            ("VoidPayment" = (operation_id = "void_payment", parameters(("id" = "$response.body#/id")))),
            ("GetReceipt" = (operation_id = "get_receipt", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 409, description = "`idempotency_in_progress`."),
        (status = 422, description = "`validation_failed` (also `household_id: unknown_household`, `received_at: in_future`, \
`charge_ids[i]`: `unknown_charge`, `not_owing`, `duplicate`) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/payments")]
pub async fn create(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreatePaymentRequest>,
    db: web::Data<Db>,
    clock: web::Data<Clock>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let now = clock.now();
    let received_at = body.received_at.map_or(now, clock::stored);
    if received_at > now {
        return Err(invalid(
            "received_at",
            "in_future",
            "must not be in the future",
        ));
    }
    let scope = ctx.clone();
    idempotency::run(
        &db,
        &req,
        &ctx,
        "payments.create",
        StatusCode::CREATED,
        move |conn| {
            let tenant = &scope.tenant_id;
            money::known_household(conn, tenant, &body.household_id)?;
            let currency = currency_of(conn, tenant)?;
            let new = NewPayment {
                household: &body.household_id,
                amount: body.amount,
                method: body.method,
                reference: body
                    .reference
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty()),
                received_at,
                charge_ids: body.charge_ids.as_deref(),
                currency: &currency,
            };
            let actor = Actor {
                user: &scope.user_id,
                meta: &meta,
            };
            let payment = money::record_payment(conn, tenant, &new, actor)?;
            idempotency::body(&one_response(conn, &scope, payment)?)
        },
    )
    .await
}

/// List payments
///
/// The tenant's payments, newest recorded first, with filters.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "list_payments",
    params(PaymentsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of payments.", body = Page<PaymentResponse>))
)]
#[get("/admin/payments")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<PaymentsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<PaymentResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    let filter = PaymentFilter {
        household_id: query.household_id,
        method: query.method,
        from: query.from.map(clock::stored),
        to: query.to.map(clock::stored),
        status: query.status,
    };
    let page = db
        .read(move |conn| {
            let rows = repo::list_payments(conn, &ctx.tenant_id, &filter, &page)?;
            let stored = Page::from_rows(rows, &page, |p| (p.created_at, p.id.to_string()), |p| p);
            Ok(Page {
                data: responses(conn, &ctx, stored.data)?,
                next_cursor: stored.next_cursor,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Summarise payments
///
/// Totals of the payments received from `from` to `to` (default: the current
/// UTC month, or a month from `from`; at most 366 days), by method and by day,
/// with the voided ones apart, for settling the cash box and the bank.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_payments_summary",
    params(RangeQuery),
    security(("bearer" = [])),
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
    let now = clock.now();
    let from = query
        .from
        .map_or_else(|| clock::Span::Month.start(now), clock::stored);
    let to = query
        .to
        .map_or_else(|| clock::Span::Month.end(from), clock::stored);
    if to <= from || to - from > Duration::days(366) {
        return Err(invalid(
            "to",
            "invalid_range",
            "must be after `from` (default: the start of this month), at most 366 days later",
        ));
    }
    let filter = PaymentFilter {
        from: Some(from),
        to: Some(to),
        ..PaymentFilter::default()
    };
    let (currency, payments) = db
        .read(move |conn| {
            let currency = currency_of(conn, &ctx.tenant_id)?;
            Ok((currency, repo::all_payments(conn, &ctx.tenant_id, &filter)?))
        })
        .await?;
    Ok(web::Json(statements::summary(
        currency, from, to, &payments,
    )))
}

/// Get a payment
///
/// A payment with its allocations.
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_payment",
    params(("id" = String, Path, format = Uuid, description = "Payment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The payment.", body = PaymentResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/payments/{id}")]
pub async fn get_one(
    AdminUser(ctx): AdminUser,
    id: web::Path<PaymentId>,
    db: web::Data<Db>,
) -> Result<web::Json<PaymentResponse>, ApiError> {
    let id = id.into_inner();
    let response = db
        .read(move |conn| {
            let payment =
                repo::get_payment(conn, &ctx.tenant_id, &id)?.ok_or_else(ApiError::not_found)?;
            one_response(conn, &ctx, payment)
        })
        .await?;
    Ok(web::Json(response))
}

/// Void a payment
///
/// Void a payment: its allocations are reversed (the charges it paid reopen)
/// and the credit it left is withdrawn. Once only (409 `already_void`).
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "void_payment",
    params(("id" = String, Path, format = Uuid, description = "Payment id")),
    request_body = VoidRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The void payment.", body = PaymentResponse),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`already_void`."),
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
    let response = db
        .write(move |conn| {
            let actor = Actor {
                user: &ctx.user_id,
                meta: &meta,
            };
            let payment =
                money::void_payment(conn, &ctx.tenant_id, &id, body.reason.trim(), actor)?;
            one_response(conn, &ctx, payment)
        })
        .await?;
    Ok(web::Json(response))
}

/// Get a household's statement
///
/// A household's statement (as its members see it).
#[utoipa::path(
    tag = "admin-payments",
    operation_id = "get_household_statement",
    params(("id" = String, Path, format = Uuid, description = "Household id"), RangeQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The statement.", body = StatementResponse),
        (status = 404, description = "`not_found`."),
    )
)]
#[get("/admin/households/{id}/statement")]
pub async fn household_statement(
    AdminUser(ctx): AdminUser,
    id: web::Path<HouseholdId>,
    query: Query<RangeQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<StatementResponse>, ApiError> {
    let id = id.into_inner();
    let (from, to) = (query.from.map(clock::stored), query.to.map(clock::stored));
    let statement = db
        .read(move |conn| {
            households::repo::get(conn, &ctx.tenant_id, &id)?.ok_or_else(ApiError::not_found)?;
            let currency = currency_of(conn, &ctx.tenant_id)?;
            statements::statement(conn, &ctx.tenant_id, &id, currency, from, to)
        })
        .await?;
    Ok(web::Json(statement))
}
