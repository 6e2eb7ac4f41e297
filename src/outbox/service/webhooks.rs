//! The admin's webhook endpoints: each write in the caller's transaction and
//! audited; another tenant's endpoint or delivery is a 404 like a missing one.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::NaiveDateTime;

use crate::audit;
use crate::auth::TenantCtx;
use crate::clock;
use crate::db::{DbConnection, WebhookDeliveryId, WebhookEndpointId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::outbox::dto::{
    CreateWebhookRequest, UpdateWebhookRequest, WebhookAttemptResponse, WebhookDeliveryResponse,
    WebhookResponse, WebhookWithSecret,
};
use crate::outbox::model::{
    WebhookDelivery, WebhookEndpoint, WebhookEventType, stored_event_types,
};
use crate::outbox::repo::{self, EndpointChange};
use crate::outbox::rules::{SigningSecret, check_address, check_target};
use crate::outbox::service::{delivery, events};
use crate::pagination::{Page, PageRequest};
use crate::request_context::RequestMeta;

/// How long the previous secret keeps signing after a rotation.
pub const ROTATION_OVERLAP_HOURS: i64 = 24;

/// How long the check at saving waits for DNS: a name that does not
/// resolve yet is accepted (delivery checks it again, resolved).
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(3);

fn invalid_url(why: String) -> ApiError {
    ApiError::validation(vec![FieldError::new("url", "invalid_target", why)])
}

/// `url` if it may receive deliveries (422 on `url` otherwise): an
/// `https://` URL whose host is, and resolves to, public addresses only,
/// unless `allow_private` (see `rules::targets`).
pub async fn vetted_url(url: &str, allow_private: bool) -> Result<String, ApiError> {
    let parsed = check_target(url, allow_private).map_err(invalid_url)?;
    if let (false, Some(url::Host::Domain(name))) = (allow_private, parsed.host()) {
        let port = parsed.port_or_known_default().unwrap_or(443);
        let lookup = tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((name, port)));
        if let Ok(Ok(addrs)) = lookup.await {
            for addr in addrs {
                check_address(addr.ip())
                    .map_err(|why| invalid_url(format!("resolves to an address that {why}")))?;
            }
        }
    }
    Ok(parsed.to_string())
}

/// The types as stored, or a 422 naming each entry that repeats one or is
/// not subscribable.
fn checked_types(types: &[WebhookEventType]) -> Result<String, ApiError> {
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for (i, t) in types.iter().enumerate() {
        let field = format!("event_types[{i}]");
        if !WebhookEventType::SUBSCRIBABLE.contains(t) {
            errors.push(FieldError::new(
                field,
                "not_subscribable",
                "is sent on request only",
            ));
        } else if !seen.insert(t) {
            errors.push(FieldError::new(
                field,
                "duplicate",
                "is listed more than once",
            ));
        }
    }
    if errors.is_empty() {
        Ok(stored_event_types(types))
    } else {
        Err(ApiError::validation(errors))
    }
}

fn find(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookEndpointId,
) -> Result<WebhookEndpoint, ApiError> {
    repo::endpoint(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

fn disabled() -> ApiError {
    ApiError::new(ErrorCode::WebhookDisabled)
        .with_detail("The endpoint is disabled: enable it (PATCH with enabled: true) first.")
}

/// One page of the tenant's endpoints, newest first.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    page: &PageRequest,
) -> Result<Page<WebhookResponse>, ApiError> {
    let rows = repo::list_endpoints(conn, &ctx.tenant_id, page)?;
    let now = clock::now();
    Ok(Page::from_rows(
        rows,
        page,
        |e| (e.created_at, e.id.to_string()),
        |e| WebhookResponse::new(&e, now),
    ))
}

/// Endpoint `id`.
pub fn get(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookEndpointId,
) -> Result<WebhookResponse, ApiError> {
    Ok(WebhookResponse::new(&find(conn, ctx, id)?, clock::now()))
}

/// Registers an endpoint (its `url` already vetted) with a new secret.
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: CreateWebhookRequest,
    meta: &RequestMeta,
) -> Result<WebhookWithSecret, ApiError> {
    let event_types = checked_types(&body.event_types)?;
    let secret = SigningSecret::generate();
    let now = clock::now();
    let endpoint = WebhookEndpoint {
        id: WebhookEndpointId::new(),
        tenant_id: ctx.tenant_id.clone(),
        url: body.url,
        description: body.description,
        event_types,
        secret: secret.as_str().to_string(),
        previous_secret: None,
        previous_secret_until: None,
        disabled_at: None,
        disabled_reason: None,
        created_at: now,
        updated_at: now,
    };
    repo::insert_endpoint(conn, &endpoint)?;
    audit::admin_action(
        conn,
        ctx,
        "webhook.create",
        "webhook",
        endpoint.id.as_str(),
        meta,
    )?;
    Ok(WebhookWithSecret {
        webhook: WebhookResponse::new(&endpoint, now),
        secret: endpoint.secret,
    })
}

/// Changes an endpoint (a new `url` already vetted); `enabled` stops or
/// resumes its deliveries.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookEndpointId,
    body: UpdateWebhookRequest,
    meta: &RequestMeta,
) -> Result<WebhookResponse, ApiError> {
    let current = find(conn, ctx, id)?;
    let now = clock::now();
    let event_types = body.event_types.as_deref().map(checked_types).transpose()?;
    let (disabled_at, disabled_reason) = match body.enabled {
        Some(true) => (Some(None), Some(None)),
        Some(false) if current.disabled_at.is_none() => (
            Some(Some(now)),
            Some(Some("disabled by an admin".to_string())),
        ),
        _ => (None, None),
    };
    let change = EndpointChange {
        url: body.url,
        description: body.description,
        event_types,
        disabled_at,
        disabled_reason,
        updated_at: Some(now),
        ..EndpointChange::default()
    };
    repo::update_endpoint(conn, &ctx.tenant_id, id, &change)?;
    audit::admin_action(conn, ctx, "webhook.update", "webhook", id.as_str(), meta)?;
    get(conn, ctx, id)
}

/// Deletes an endpoint with its deliveries and their attempts.
pub fn delete(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookEndpointId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    if !repo::delete_endpoint(conn, &ctx.tenant_id, id)? {
        return Err(ApiError::not_found());
    }
    audit::admin_action(conn, ctx, "webhook.delete", "webhook", id.as_str(), meta)?;
    Ok(())
}

/// Gives the endpoint a new secret; the current one keeps signing beside
/// it for [`ROTATION_OVERLAP_HOURS`] (a rotation during an overlap drops
/// the oldest).
pub fn rotate_secret(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookEndpointId,
    meta: &RequestMeta,
) -> Result<WebhookWithSecret, ApiError> {
    let current = find(conn, ctx, id)?;
    let now = clock::now();
    let secret = SigningSecret::generate();
    let change = EndpointChange {
        secret: Some(secret.as_str().to_string()),
        previous_secret: Some(Some(current.secret)),
        previous_secret_until: Some(Some(now + chrono::Duration::hours(ROTATION_OVERLAP_HOURS))),
        updated_at: Some(now),
        ..EndpointChange::default()
    };
    repo::update_endpoint(conn, &ctx.tenant_id, id, &change)?;
    audit::admin_action(
        conn,
        ctx,
        "webhook.rotate_secret",
        "webhook",
        id.as_str(),
        meta,
    )?;
    Ok(WebhookWithSecret {
        webhook: get(conn, ctx, id)?,
        secret: secret.as_str().to_string(),
    })
}

/// Sends the endpoint a `webhook.test` event (its data: the endpoint).
pub fn send_test(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookEndpointId,
    meta: &RequestMeta,
) -> Result<WebhookDeliveryResponse, ApiError> {
    let endpoint = find(conn, ctx, id)?;
    if endpoint.disabled_at.is_some() {
        return Err(disabled());
    }
    let resource = WebhookResponse::new(&endpoint, clock::now());
    let written = events::write(
        conn,
        &ctx.tenant_id,
        WebhookEventType::WebhookTest,
        [resource],
    )?;
    let rows: Vec<WebhookDelivery> = written
        .iter()
        .map(|event| delivery::new_delivery(&endpoint, event))
        .collect();
    repo::insert_deliveries(conn, &rows)?;
    audit::admin_action(conn, ctx, "webhook.test", "webhook", id.as_str(), meta)?;
    let planned = rows
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::internal("no test delivery"))?;
    Ok(WebhookDeliveryResponse::new(
        planned,
        WebhookEventType::WebhookTest,
        Vec::new(),
    ))
}

/// One page of an endpoint's deliveries, newest first, with their attempts.
pub fn deliveries(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookEndpointId,
    page: &PageRequest,
) -> Result<Page<WebhookDeliveryResponse>, ApiError> {
    find(conn, ctx, id)?;
    let rows = repo::deliveries_of_endpoint(conn, &ctx.tenant_id, id, page)?;
    let described = describe(conn, ctx, rows)?;
    Ok(Page::from_rows(
        described,
        page,
        |d| (d.created_at, d.id.clone()),
        |d| d,
    ))
}

/// The deliveries as admins read them: with their event types and attempts.
fn describe(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    rows: Vec<WebhookDelivery>,
) -> Result<Vec<WebhookDeliveryResponse>, ApiError> {
    let tenant = &ctx.tenant_id;
    let ids: Vec<WebhookDeliveryId> = rows.iter().map(|d| d.id.clone()).collect();
    let event_ids: Vec<_> = rows.iter().map(|d| d.event_id.clone()).collect();
    let events = repo::events_by_ids(conn, tenant, &event_ids)?;
    let mut attempts: HashMap<WebhookDeliveryId, Vec<WebhookAttemptResponse>> = HashMap::new();
    for attempt in repo::attempts_of(conn, tenant, &ids)? {
        attempts
            .entry(attempt.delivery_id.clone())
            .or_default()
            .push(attempt.into());
    }
    rows.into_iter()
        .map(|d| {
            let event_type = events
                .iter()
                .find(|e| e.id == d.event_id)
                .map(|e| e.event_type)
                .ok_or_else(|| ApiError::internal(format!("delivery {} has no event", d.id)))?;
            let mine = attempts.remove(&d.id).unwrap_or_default();
            Ok(WebhookDeliveryResponse::new(d, event_type, mine))
        })
        .collect()
}

/// Makes a delivery due now with a fresh schedule (whatever it came to).
pub fn retry(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &WebhookDeliveryId,
    meta: &RequestMeta,
) -> Result<WebhookDeliveryResponse, ApiError> {
    let tenant = &ctx.tenant_id;
    let found = repo::delivery(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    if find(conn, ctx, &found.endpoint_id)?.disabled_at.is_some() {
        return Err(disabled());
    }
    let now: NaiveDateTime = clock::now();
    repo::reschedule_delivery(conn, tenant, id, now)?;
    audit::admin_action(
        conn,
        ctx,
        "webhook.delivery_retry",
        "webhook_delivery",
        id.as_str(),
        meta,
    )?;
    let again = repo::delivery(conn, tenant, id)?.ok_or_else(ApiError::not_found)?;
    let mut described = describe(conn, ctx, vec![again])?;
    described.pop().ok_or_else(ApiError::not_found)
}
