//! A demo webhook endpoint for the bursar's ledger: disabled, since its URL
//! is a placeholder; point it at a receiver of your own and enable it.

use crate::clock;
use crate::db::{DbConnection, TenantId, WebhookEndpointId};
use crate::error::ApiError;
use crate::outbox::WebhookEventType;
use crate::outbox::model::{WebhookEndpoint, stored_event_types};
use crate::outbox::repo;
use crate::outbox::rules::SigningSecret;

/// Where the demo endpoint points until someone changes it.
pub const URL: &str = "https://hooks.example.org/hearth-demo";

/// Registers the endpoint; returns its id and secret.
pub fn seed(
    conn: &mut DbConnection,
    tenant: &TenantId,
) -> Result<(WebhookEndpointId, String), ApiError> {
    let now = clock::now();
    let secret = SigningSecret::generate().as_str().to_string();
    let endpoint = WebhookEndpoint {
        id: WebhookEndpointId::new(),
        tenant_id: tenant.clone(),
        url: URL.to_string(),
        description: Some("Bursar's ledger (demo)".to_string()),
        event_types: stored_event_types(&[
            WebhookEventType::PaymentRecorded,
            WebhookEventType::PaymentVoided,
            WebhookEventType::RefundIssued,
        ]),
        secret: secret.clone(),
        previous_secret: None,
        previous_secret_until: None,
        disabled_at: Some(now),
        disabled_reason: Some(
            "a demo: PATCH its url to your receiver, with enabled: true".to_string(),
        ),
        created_at: now,
        updated_at: now,
    };
    repo::insert_endpoint(conn, &endpoint)?;
    Ok((endpoint.id, secret))
}
