//! `/admin/webhooks…`: endpoints, their secrets, test deliveries, and the
//! deliveries with every attempt. Every write is audited.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::auth::AdminUser;
use crate::config::Settings;
use crate::db::{Db, WebhookDeliveryId, WebhookEndpointId};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::outbox::dto::{
    CreateWebhookRequest, UpdateWebhookRequest, WebhookDeliveryResponse, WebhookResponse,
    WebhookWithSecret,
};
use crate::outbox::service::webhooks as service;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// List webhook endpoints
///
/// The organisation's endpoints, newest first (never their secrets).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhooks",
    params(PageQuery),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "One page of endpoints.", body = Page<WebhookResponse>,
         links(("GetWebhook" = (operation_id = "get_webhook", parameters(("id" = "$response.body#/data/0/id")))))),
    )
)]
#[get("/admin/webhooks")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<WebhookResponse>>, ApiError> {
    let page = query.parse()?;
    let endpoints = db
        .read(move |conn| service::list(conn, &ctx, &page))
        .await?;
    Ok(web::Json(endpoints))
}

/// Create a webhook endpoint
///
/// Register a receiver for the listed event types. Deliveries follow the
/// Standard Webhooks specification (standardwebhooks.com): a POST of the
/// event (as `GET /admin/webhook-events` lists it) with `webhook-id` (the
/// event's id, the same on every retry), `webhook-timestamp` (Unix
/// seconds) and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body` under the secret's bytes, space-separated when two
/// secrets sign). Verify with an official `standardwebhooks` library and
/// the `secret` of this answer, shown only here. Delivery is at least once:
/// dedupe on `webhook-id`. A 2xx within 10 s accepts a delivery; anything
/// else is retried with growing waits for about three days, after which the
/// endpoint is disabled and `disabled_reason` says why.
///
/// The `url` must be `https://` on a public address: loopback, private,
/// link-local and metadata addresses are refused here (also when the name
/// resolves to one) and again at every delivery.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "create_webhook",
    request_body = CreateWebhookRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "Created, with its secret (shown once).", body = WebhookWithSecret,
         links(
            ("GetWebhook" = (operation_id = "get_webhook", parameters(("id" = "$response.body#/id")))),
            ("TestWebhook" = (operation_id = "test_webhook", parameters(("id" = "$response.body#/id"))))
         )),
    )
)]
#[post("/admin/webhooks")]
pub async fn create(
    AdminUser(ctx): AdminUser,
    Valid(mut body): Valid<CreateWebhookRequest>,
    db: web::Data<Db>,
    settings: web::Data<Settings>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    body.url = service::vetted_url(&body.url, settings.webhooks.allow_private_targets).await?;
    let created = db
        .write(move |conn| service::create(conn, &ctx, body, &meta))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Get a webhook endpoint
///
/// The endpoint as it stands: whether it is enabled and, when it is not,
/// why (`disabled_reason`). Its secret is never shown again.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "get_webhook",
    params(("id" = String, Path, format = Uuid, description = "Endpoint id")),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "The endpoint.", body = WebhookResponse))
)]
#[get("/admin/webhooks/{id}")]
pub async fn get_one(
    AdminUser(ctx): AdminUser,
    id: web::Path<WebhookEndpointId>,
    db: web::Data<Db>,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    let id = id.into_inner();
    let endpoint = db.read(move |conn| service::get(conn, &ctx, &id)).await?;
    Ok(web::Json(endpoint))
}

/// Update a webhook endpoint
///
/// Change its target, types or description, or stop (`enabled: false`)
/// and resume (`enabled: true`) its deliveries. Deliveries wait while it is
/// disabled and go out once it is enabled again.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "update_webhook",
    params(("id" = String, Path, format = Uuid, description = "Endpoint id")),
    request_body = UpdateWebhookRequest,
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "The endpoint.", body = WebhookResponse))
)]
#[patch("/admin/webhooks/{id}")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    id: web::Path<WebhookEndpointId>,
    Valid(mut body): Valid<UpdateWebhookRequest>,
    db: web::Data<Db>,
    settings: web::Data<Settings>,
    meta: RequestMeta,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    if let Some(url) = &body.url {
        let allow_private = settings.webhooks.allow_private_targets;
        body.url = Some(service::vetted_url(url, allow_private).await?);
    }
    let id = id.into_inner();
    let endpoint = db
        .write(move |conn| service::update(conn, &ctx, &id, body, &meta))
        .await?;
    Ok(web::Json(endpoint))
}

/// Delete a webhook endpoint
///
/// Delete it with its deliveries and their attempts; nothing more is sent to
/// it, and the events stay listed in `GET /admin/webhook-events`.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "delete_webhook",
    params(("id" = String, Path, format = Uuid, description = "Endpoint id")),
    security(("bearer" = ["admin"])),
    responses((status = 204, description = "Deleted."))
)]
#[delete("/admin/webhooks/{id}")]
pub async fn remove(
    AdminUser(ctx): AdminUser,
    id: web::Path<WebhookEndpointId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| service::delete(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate a webhook endpoint's secret
///
/// A new secret, shown once. For 24 hours deliveries carry a signature
/// under each secret (`previous_secret_expires_at`), so a receiver can
/// switch to the new one without missing a delivery.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "rotate_webhook_secret",
    params(("id" = String, Path, format = Uuid, description = "Endpoint id")),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "The endpoint with its new secret.", body = WebhookWithSecret))
)]
#[post("/admin/webhooks/{id}/rotate-secret")]
pub async fn rotate_secret(
    AdminUser(ctx): AdminUser,
    id: web::Path<WebhookEndpointId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<WebhookWithSecret>, ApiError> {
    let id = id.into_inner();
    let rotated = db
        .write(move |conn| service::rotate_secret(conn, &ctx, &id, &meta))
        .await?;
    Ok(web::Json(rotated))
}

/// Send a test event
///
/// Queue a `webhook.test` event (its `data`: the endpoint) for this
/// endpoint alone; follow it in the deliveries.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "test_webhook",
    params(("id" = String, Path, format = Uuid, description = "Endpoint id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 202, description = "Queued.", body = WebhookDeliveryResponse),
        (status = 409, description = "`webhook_disabled`: enable the endpoint first."),
    )
)]
#[post("/admin/webhooks/{id}/test")]
pub async fn test(
    AdminUser(ctx): AdminUser,
    id: web::Path<WebhookEndpointId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let delivery = db
        .write(move |conn| service::send_test(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::Accepted().json(delivery))
}

/// List an endpoint's deliveries
///
/// Newest first, each with every attempt: status code, latency, error.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhook_deliveries",
    params(("id" = String, Path, format = Uuid, description = "Endpoint id"), PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "One page of deliveries.", body = Page<WebhookDeliveryResponse>))
)]
#[get("/admin/webhooks/{id}/deliveries")]
pub async fn deliveries(
    AdminUser(ctx): AdminUser,
    id: web::Path<WebhookEndpointId>,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<WebhookDeliveryResponse>>, ApiError> {
    let (id, page) = (id.into_inner(), query.parse()?);
    let deliveries = db
        .read(move |conn| service::deliveries(conn, &ctx, &id, &page))
        .await?;
    Ok(web::Json(deliveries))
}

/// Retry a delivery
///
/// Attempt it again now with a fresh schedule, whether it failed or was
/// delivered (a receiver that lost it).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "retry_webhook_delivery",
    params(("id" = String, Path, format = Uuid, description = "Delivery id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 202, description = "Queued.", body = WebhookDeliveryResponse),
        (status = 409, description = "`webhook_disabled`: enable its endpoint first."),
    )
)]
#[post("/admin/webhooks/deliveries/{id}/retry")]
pub async fn retry(
    AdminUser(ctx): AdminUser,
    id: web::Path<WebhookDeliveryId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let delivery = db
        .write(move |conn| service::retry(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::Accepted().json(delivery))
}
