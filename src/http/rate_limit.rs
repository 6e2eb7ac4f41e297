//! Per-client-IP rate limits (actix-governor): a general one on the whole app and
//! a strict one on the `/api/v1/auth` scope, both keyed by the client IP from
//! [`client_ip`](super::client_ip).
//!
//! The limiter state lives in this process: behind N instances each enforces its
//! own budget (see docs/SCALING.md). Account lockout, which must hold across
//! instances, is kept in the database instead.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_governor::governor::NotUntil;
use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::StateInformationMiddleware;
use actix_governor::{Governor, GovernorConfig, GovernorConfigBuilder, KeyExtractor};
use actix_web::dev::ServiceRequest;
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};

use super::client_ip::{TrustedProxies, client_ip};
use crate::config::RateLimitSettings;
use crate::error::ApiError;

/// Keys a request by client IP.
#[derive(Clone)]
pub struct ClientIpKey {
    proxies: Arc<TrustedProxies>,
}

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;
    type KeyExtractionError = ApiError;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        Ok(client_ip(req.request(), &self.proxies))
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        _response: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative.wait_time_from(DefaultClock::default().now());
        // Round up: "retry in 0 s" would invite an immediate, refused retry.
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        ApiError::rate_limited(secs).error_response()
    }
}

type LimiterConfig = GovernorConfig<ClientIpKey, StateInformationMiddleware>;

/// The two limiters. Built once per process (outside `HttpServer::new`), so all
/// workers share one budget per client.
#[derive(Clone)]
pub struct RateLimiters {
    general: LimiterConfig,
    auth: LimiterConfig,
}

impl RateLimiters {
    /// Builds both limiters from the settings.
    pub fn new(settings: &RateLimitSettings, proxies: TrustedProxies) -> Self {
        let proxies = Arc::new(proxies);
        let build = |burst: u32, period_ms: u64| {
            GovernorConfigBuilder::default()
                .period(Duration::from_millis(period_ms))
                .burst_size(burst)
                .key_extractor(ClientIpKey {
                    proxies: Arc::clone(&proxies),
                })
                .use_headers()
                .finish()
                .expect("validated settings: burst and period are non-zero")
        };
        Self {
            general: build(settings.general_burst, settings.general_period_ms),
            auth: build(settings.auth_burst, settings.auth_period_ms),
        }
    }

    /// Limiters that are never consulted (rate limiting disabled, or building the
    /// OpenAPI document).
    pub fn unlimited() -> Self {
        let settings = RateLimitSettings {
            enabled: false,
            general_burst: u32::MAX,
            general_period_ms: 1,
            auth_burst: u32::MAX,
            auth_period_ms: 1,
            cleanup_interval_secs: 60,
        };
        Self::new(&settings, TrustedProxies::default())
    }

    /// The general limiter middleware.
    pub fn general(&self) -> Governor<ClientIpKey, StateInformationMiddleware> {
        Governor::new(&self.general)
    }

    /// The `/api/v1/auth` limiter middleware.
    pub fn auth(&self) -> Governor<ClientIpKey, StateInformationMiddleware> {
        Governor::new(&self.auth)
    }

    /// Forgets clients whose budget has fully recovered, so memory stays bounded.
    pub fn prune(&self) {
        self.general.limiter().retain_recent();
        self.auth.limiter().retain_recent();
    }

    /// How many clients the limiters currently track (for metrics and tests).
    pub fn tracked_clients(&self) -> usize {
        self.general.limiter().len() + self.auth.limiter().len()
    }

    /// Prunes every `interval` on a background thread for the life of the process.
    pub fn prune_periodically(&self, interval: Duration) {
        let limiters = self.clone();
        std::thread::Builder::new()
            .name("rate-limit-prune".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(interval);
                    limiters.prune();
                }
            })
            .expect("spawn rate-limit prune thread");
    }
}
