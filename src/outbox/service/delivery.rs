//! Delivering events to webhook endpoints, at least once.
//!
//! An event's deliveries are planned in the transaction that writes the
//! event, so a committed event always has them: by [`plan`], or on
//! PostgreSQL, for a change that tells one event, by the event's own insert
//! (`repo::insert_planned`). Every instance
//! runs a [`Deliverer`]: each look claims a tenant's due deliveries in a
//! short transaction (a token and a lease, see `repo::claim_due`), sends
//! them outside any transaction, and writes each outcome only under the
//! claim that made it. A delivery is attempted by one instance at a time;
//! an instance that stops mid-send leaves its lease to lapse and another
//! sends the delivery again, so receivers dedupe on `webhook-id`.

use std::time::Duration;

use chrono::NaiveDateTime;
use futures_util::future::join_all;
use rand::Rng;

use crate::backoff::retry_delay;
use crate::clock;
use crate::config::WebhookSettings;
use crate::db::claim::Claim;
use crate::db::{Db, DbConnection, TenantId, WebhookAttemptId, WebhookDeliveryId};
use crate::error::ApiError;
use crate::outbox::dto::WebhookEventResponse;
use crate::outbox::model::{
    DeliveryStatus, OutboxEvent, WebhookAttempt, WebhookDelivery, WebhookEndpoint,
};
use crate::outbox::repo::{self, Outcome};
use crate::outbox::rules::{SigningSecret, signature_header};
use crate::outbox::service::sender::{Sender, Sent};
use crate::periodic::{self, JobHandle};
use crate::tenants;

/// How much longer than the receiver's deadline a claim holds: time to
/// write the outcome before another instance may take the delivery.
const LEASE_MARGIN: Duration = Duration::from_secs(30);

/// Plans the deliveries of `events` to the tenant's enabled endpoints that
/// subscribe to their types (in the events' transaction).
pub fn plan(
    conn: &mut DbConnection,
    tenant: &TenantId,
    events: &[OutboxEvent],
) -> Result<(), ApiError> {
    if events.is_empty() {
        return Ok(());
    }
    let endpoints = repo::enabled_endpoints(conn, tenant)?;
    let rows: Vec<WebhookDelivery> = events
        .iter()
        .flat_map(|event| {
            endpoints
                .iter()
                .filter(|endpoint| endpoint.subscribes(event.event_type))
                .map(|endpoint| new_delivery(endpoint, event))
        })
        .collect();
    Ok(repo::insert_deliveries(conn, &rows)?)
}

/// A delivery of `event` to `endpoint`, due now.
pub fn new_delivery(endpoint: &WebhookEndpoint, event: &OutboxEvent) -> WebhookDelivery {
    WebhookDelivery {
        id: WebhookDeliveryId::new(),
        tenant_id: endpoint.tenant_id.clone(),
        endpoint_id: endpoint.id.clone(),
        event_id: event.id.clone(),
        status: DeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: event.created_at,
        claim: None,
        claimed_until: None,
        delivered_at: None,
        created_at: event.created_at,
    }
}

/// A claimed delivery with what sending it needs.
struct Claimed {
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    event: OutboxEvent,
}

/// Claims, sends and records deliveries.
#[derive(Clone)]
pub struct Deliverer {
    db: Db,
    sender: Sender,
    settings: WebhookSettings,
}

impl Deliverer {
    /// A deliverer on `db` with `settings`.
    pub fn new(db: Db, settings: WebhookSettings) -> Result<Self, String> {
        Ok(Self {
            sender: Sender::new(&settings)?,
            db,
            settings,
        })
    }

    /// One look: attempts the deliveries of every tenant that are due now
    /// (at most `batch` per tenant); returns how many it attempted.
    pub async fn deliver_due(&self) -> Result<usize, ApiError> {
        let tenants = self.db.read(|conn| Ok(tenants::tenant_ids(conn)?)).await?;
        let mut attempted = 0;
        for tenant in tenants {
            attempted += self.deliver_for(tenant).await?;
        }
        Ok(attempted)
    }

    async fn deliver_for(&self, tenant: TenantId) -> Result<usize, ApiError> {
        let now = clock::now();
        // Most looks find nothing: ask in a read before taking a write
        // transaction (on SQLite, the database's one write lock) per tenant.
        let due = {
            let tenant = tenant.clone();
            self.db
                .read(move |conn| Ok(repo::any_due(conn, &tenant, now)?))
                .await?
        };
        if !due {
            return Ok(0);
        }
        let token = uuid::Uuid::now_v7().to_string();
        let until = now + self.settings.timeout() + LEASE_MARGIN;
        let limit = i64::try_from(self.settings.batch).unwrap_or(i64::MAX);
        let claimed = {
            let (tenant, token) = (tenant.clone(), token.clone());
            self.db
                .write(move |conn| {
                    let claim = Claim {
                        token: &token,
                        until,
                    };
                    claim_batch(conn, &tenant, now, limit, claim)
                })
                .await?
        };
        if claimed.is_empty() {
            return Ok(0);
        }
        let sends = claimed.iter().map(|c| self.attempt(c));
        let results: Vec<(NaiveDateTime, Sent)> = join_all(sends).await;
        let count = claimed.len();
        let settings = self.settings.clone();
        self.db
            .write(move |conn| {
                for (claimed, (attempted_at, sent)) in claimed.iter().zip(results) {
                    record(conn, claimed, &token, (attempted_at, &sent), &settings)?;
                }
                Ok(())
            })
            .await?;
        Ok(count)
    }

    /// Sends one claimed delivery, signed with the endpoint's live secrets.
    async fn attempt(&self, claimed: &Claimed) -> (NaiveDateTime, Sent) {
        let attempted_at = clock::now();
        let prepared = prepare(claimed, attempted_at);
        let sent = match prepared {
            Ok((headers, body)) => {
                self.sender
                    .post(&claimed.endpoint.url, &headers, body)
                    .await
            }
            Err(why) => Sent {
                status_code: None,
                latency: Duration::ZERO,
                error: Some(why),
            },
        };
        (attempted_at, sent)
    }
}

/// Claims the tenant's due deliveries and reads their endpoints and events.
fn claim_batch(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
    limit: i64,
    claim: Claim<'_>,
) -> Result<Vec<Claimed>, ApiError> {
    let deliveries = repo::claim_due(conn, tenant, now, limit, claim)?;
    if deliveries.is_empty() {
        return Ok(Vec::new());
    }
    let endpoint_ids: Vec<_> = deliveries.iter().map(|d| d.endpoint_id.clone()).collect();
    let event_ids: Vec<_> = deliveries.iter().map(|d| d.event_id.clone()).collect();
    let endpoints = repo::endpoints_by_ids(conn, tenant, &endpoint_ids)?;
    let mut events = repo::events_by_ids(conn, tenant, &event_ids)?;
    Ok(deliveries
        .into_iter()
        .filter_map(|delivery| {
            let endpoint = endpoints
                .iter()
                .find(|e| e.id == delivery.endpoint_id)?
                .clone();
            let at = events.iter().position(|e| e.id == delivery.event_id)?;
            let event = events.swap_remove(at);
            Some(Claimed {
                delivery,
                endpoint,
                event,
            })
        })
        .collect())
}

/// The headers of a delivery.
type Headers = Vec<(&'static str, String)>;

/// The Standard Webhooks headers and the body of a delivery sent at `at`.
fn prepare(claimed: &Claimed, at: NaiveDateTime) -> Result<(Headers, String), String> {
    let event = WebhookEventResponse::try_from(claimed.event.clone()).map_err(|e| e.to_string())?;
    let body = serde_json::to_string(&event).map_err(|e| e.to_string())?;
    let endpoint = &claimed.endpoint;
    let secrets = std::iter::once(endpoint.secret.as_str())
        .chain(endpoint.live_previous_secret(at))
        .map(SigningSecret::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let id = event.id.clone();
    let timestamp = at.and_utc().timestamp();
    let signature = signature_header(&secrets, &id, timestamp, body.as_bytes());
    let headers = vec![
        ("webhook-id", id),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signature),
    ];
    Ok((headers, body))
}

/// Writes an attempt and where its delivery now stands; the last failed
/// attempt of a schedule disables the endpoint, saying why.
fn record(
    conn: &mut DbConnection,
    claimed: &Claimed,
    token: &str,
    (attempted_at, sent): (NaiveDateTime, &Sent),
    settings: &WebhookSettings,
) -> Result<(), ApiError> {
    let delivery = &claimed.delivery;
    let tenant = &delivery.tenant_id;
    repo::insert_attempt(
        conn,
        &WebhookAttempt {
            id: WebhookAttemptId::new(),
            tenant_id: tenant.clone(),
            delivery_id: delivery.id.clone(),
            attempted_at,
            status_code: sent.status_code.map(i32::from),
            latency_ms: i64::try_from(sent.latency.as_millis()).unwrap_or(i64::MAX),
            error: sent.error.clone(),
        },
    )?;
    let now = clock::now();
    let attempts = delivery.attempts.saturating_add(1);
    let exhausted = u32::try_from(attempts).unwrap_or(u32::MAX) >= settings.max_attempts;
    let outcome = match (sent.succeeded(), exhausted) {
        (true, _) => Outcome {
            status: DeliveryStatus::Delivered,
            attempts,
            next_attempt_at: delivery.next_attempt_at,
            delivered_at: Some(now),
        },
        (false, true) => Outcome {
            status: DeliveryStatus::Failed,
            attempts,
            next_attempt_at: delivery.next_attempt_at,
            delivered_at: None,
        },
        (false, false) => {
            let wait = retry_delay(
                attempts.unsigned_abs(),
                settings.retry_base(),
                rand::rng().random(),
            );
            Outcome {
                status: DeliveryStatus::Pending,
                attempts,
                next_attempt_at: now + wait,
                delivered_at: None,
            }
        }
    };
    if !repo::finish_delivery(conn, tenant, &delivery.id, token, outcome)? {
        log::warn!(
            "webhook delivery {} outlived its claim; another instance has it now",
            delivery.id
        );
        return Ok(());
    }
    if outcome.status == DeliveryStatus::Failed {
        let last = sent.error.as_deref().unwrap_or("no answer");
        let reason = format!(
            "{attempts} attempts at delivery {} failed; the last: {last}",
            delivery.id
        );
        if repo::disable_endpoint(conn, tenant, &delivery.endpoint_id, &reason, now)? {
            log::warn!(
                "webhook endpoint {} disabled: {reason}",
                delivery.endpoint_id
            );
        }
    }
    Ok(())
}

/// Runs a [`Deliverer`] every `settings.delivery_interval_ms` on a thread of
/// its own (with its own async runtime for the HTTP client) until the
/// handle is dropped; `None` when delivery is off on this instance.
pub fn run_periodically(db: Db, settings: WebhookSettings) -> Result<Option<JobHandle>, String> {
    if settings.delivery_interval_ms == 0 {
        return Ok(None);
    }
    let interval = Duration::from_millis(settings.delivery_interval_ms);
    let deliverer = Deliverer::new(db, settings)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the webhook runtime: {e}"))?;
    Ok(Some(periodic::every(
        "webhooks",
        interval,
        move || match runtime.block_on(deliverer.deliver_due()) {
            Ok(_) => {}
            Err(e) => log::warn!("webhook deliveries: {e}"),
        },
    )))
}
