//! The settings, section by section; field docs are the reference (`.env.production.example` lists them).

use std::time::Duration;

use serde::Deserialize;

/// All settings. Field docs are the reference; `.env.production.example` lists them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `development` (default), `test` or `production`: which file was layered.
    #[serde(default)]
    pub environment: String,
    /// Listener.
    pub server: ServerSettings,
    /// Database connection and pool.
    pub database: DatabaseSettings,
    /// Token signing.
    pub auth: AuthSettings,
    /// CORS, HSTS, proxies, body limits.
    pub http: HttpSettings,
    /// Per-client-IP limits.
    pub rate_limit: RateLimitSettings,
    /// Leaderboards.
    pub leaderboards: LeaderboardSettings,
    /// The members' reward catalogue.
    pub catalogue: CatalogueSettings,
    /// Background jobs every instance runs.
    pub jobs: JobSettings,
    /// Webhook deliveries.
    pub webhooks: WebhookSettings,
    /// Mail for people (SMTP).
    pub mail: MailSettings,
    /// Logging.
    pub log: LogSettings,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to bind.
    pub host: String,
    /// Port to bind.
    pub port: u16,
    /// Worker threads; 0 = one per core.
    pub workers: usize,
}

impl Settings {
    /// Workers, pool and blocking threads of this instance on this machine.
    pub fn sizing(&self) -> super::sizing::Sizing {
        super::sizing::Sizing::resolve(
            self.server.workers,
            self.database.pool_size,
            self.database.replica().is_some(),
            self.auth.password_hash_concurrency,
            super::sizing::cores(),
        )
    }
}

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path` or `postgres://…`.
    pub url: String,
    /// Maximum pooled connections; 0 = four per core.
    pub pool_size: u32,
    /// Checkout wait before a request answers 503.
    pub pool_timeout_ms: u64,
    /// Run pending migrations when `serve` starts.
    pub auto_migrate: bool,
    /// Cache named prepared statements on PostgreSQL connections. Turn off
    /// behind a pooler in transaction mode that cannot carry them (PgBouncer
    /// before 1.21); SQLite ignores it.
    pub prepared_statements: bool,
    /// `postgres://…` of a streaming replica for reads that tolerate lag;
    /// empty = none (see `db::replica`).
    pub replica_url: String,
    /// After a write, how long the same caller reads from the primary.
    pub read_your_writes_secs: u64,
}

impl DatabaseSettings {
    /// The replica's URL, when one is configured.
    pub fn replica(&self) -> Option<&str> {
        Some(self.replica_url.trim()).filter(|url| !url.is_empty())
    }

    /// The pool settings derived from this section.
    pub fn pool(&self) -> crate::db::PoolSettings {
        crate::db::PoolSettings {
            max_size: super::sizing::derived_pool_size(self.pool_size, super::sizing::cores()),
            timeout: Duration::from_millis(self.pool_timeout_ms),
            query_counter: None,
            prepared_statements: self.prepared_statements,
        }
    }
}

/// `[auth]`
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// HS256 signing secret (`HEARTH_JWT_SECRET`), at least 32 bytes in production.
    pub jwt_secret: String,
    /// Earlier secrets whose tokens are still accepted (key rotation).
    pub jwt_previous_secrets: Vec<String>,
    /// `iss` claim.
    pub jwt_issuer: String,
    /// `aud` claim.
    pub jwt_audience: String,
    /// Clock skew tolerated on `exp`.
    pub jwt_leeway_secs: u64,
    /// Access token lifetime.
    pub access_token_ttl_secs: u64,
    /// Refresh token lifetime.
    pub refresh_token_ttl_secs: u64,
    /// How long an instance trusts its cached view of a session.
    pub session_cache_ttl_secs: u64,
    /// Failed logins within the window that lock an account.
    pub lockout_max_failures: u32,
    /// Lockout window.
    pub lockout_window_secs: u64,
    /// Concurrent password hashes; 0 = one fewer than the cores (at least one).
    pub password_hash_concurrency: usize,
    /// The most of its time a hashing thread spends hashing, in percent
    /// (1-100): after each hash it rests in proportion.
    pub password_hash_busy_percent: u32,
    /// Member code lifetime.
    pub member_code_ttl_secs: u64,
    /// Password reset code lifetime.
    pub reset_code_ttl_secs: u64,
    /// Lifetime of the first reset codes an import hands out (days, not an
    /// hour: the admin gives them out over the following week or two).
    pub invite_code_ttl_secs: u64,
}

impl AuthSettings {
    /// The previous secrets, ignoring empty entries (an empty variable means none).
    pub fn previous_secrets(&self) -> impl Iterator<Item = &str> {
        self.jwt_previous_secrets
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &"***")
            .field("jwt_previous_secrets", &self.jwt_previous_secrets.len())
            .field("jwt_issuer", &self.jwt_issuer)
            .field("jwt_audience", &self.jwt_audience)
            .field("access_token_ttl_secs", &self.access_token_ttl_secs)
            .field("session_cache_ttl_secs", &self.session_cache_ttl_secs)
            .finish_non_exhaustive()
    }
}

/// `[http]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// Browser origins allowed by CORS.
    pub cors_origins: Vec<String>,
    /// Send `Strict-Transport-Security`.
    pub hsts: bool,
    /// Proxies (IP or CIDR) whose `X-Forwarded-For` is trusted.
    pub trusted_proxies: Vec<String>,
    /// JSON body limit for ordinary routes.
    pub json_limit_bytes: usize,
    /// JSON body limit for batch routes.
    pub batch_json_limit_bytes: usize,
}

/// `[rate_limit]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Turn both limiters on or off.
    pub enabled: bool,
    /// General limit: requests allowed at once.
    pub general_burst: u32,
    /// General limit: one request regained every this many ms.
    pub general_period_ms: u64,
    /// `/api/v1/auth` limit: requests allowed at once.
    pub auth_burst: u32,
    /// `/api/v1/auth` limit: one request regained every this many ms.
    pub auth_period_ms: u64,
    /// How often idle limiter state is pruned.
    pub cleanup_interval_secs: u64,
}

/// `[leaderboards]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardSettings {
    /// How long an instance reuses a computed board (per tenant and period);
    /// 0 computes every request afresh.
    pub cache_secs: u64,
}

/// `[catalogue]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSettings {
    /// How long an instance reuses the members' first catalogue page (per
    /// tenant and page size; its own changes forget it at once); 0 reads the
    /// database every request.
    pub cache_secs: u64,
}

/// `[jobs]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    /// How often this instance looks for charge-schedule periods that are due
    /// (every instance does; each period is charged to a household once).
    /// 0 turns the job off on this instance.
    pub dues_interval_secs: u64,
    /// At most this many charges per look; the rest wait for the next one.
    pub dues_batch: usize,
    /// Days an outbox event stays listed (`GET /admin/webhook-events`) for
    /// integrators to catch up with; older ones are purged hourly. 0 keeps
    /// them all.
    pub outbox_retention_days: u64,
}

/// `[webhooks]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// How often this instance looks for due deliveries (every instance
    /// does; each delivery is attempted by one at a time). 0 turns delivery
    /// off on this instance.
    pub delivery_interval_ms: u64,
    /// At most this many deliveries per look, sent concurrently.
    pub batch: usize,
    /// How long a receiver has to answer.
    pub timeout_ms: u64,
    /// The first retry's wait; each next one doubles (with jitter).
    pub retry_base_ms: u64,
    /// Attempts before a delivery has failed and its endpoint is disabled.
    pub max_attempts: u32,
    /// Lets endpoints be `http://` and on loopback, private and link-local
    /// addresses: for development and tests only (refused in production).
    pub allow_private_targets: bool,
}

impl WebhookSettings {
    /// The receiver's deadline.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    /// The first retry's wait.
    pub fn retry_base(&self) -> Duration {
        Duration::from_millis(self.retry_base_ms)
    }
}

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTls {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: a relay on the same host or network only.
    None,
}

/// `[mail]`
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// The SMTP server; empty turns mail off (messages are still written,
    /// and expire unsent).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub tls: MailTls,
    /// SMTP AUTH user; empty = no authentication.
    pub username: String,
    /// SMTP AUTH password.
    pub password: String,
    /// The sender, `Name <address>` or an address.
    pub from: String,
    /// How often this instance looks for mail to send, in ms (every
    /// instance does; a message is sent by one at a time). 0 turns sending
    /// off on this instance.
    pub send_interval_ms: u64,
    /// At most this many messages per tenant and look.
    pub batch: usize,
    /// How long the SMTP server has for each step, in ms.
    pub timeout_ms: u64,
    /// The first retry's wait; each next one doubles (with jitter).
    pub retry_base_ms: u64,
    /// Attempts before a message has failed (a permanent refusal, 5xx,
    /// fails it at once).
    pub max_attempts: u32,
}

impl MailSettings {
    /// Whether an SMTP server is configured.
    pub fn is_on(&self) -> bool {
        !self.host.trim().is_empty()
    }

    /// The server's deadline per step.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    /// The first retry's wait.
    pub fn retry_base(&self) -> Duration {
        Duration::from_millis(self.retry_base_ms)
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("from", &self.from)
            .field("send_interval_ms", &self.send_interval_ms)
            .field("batch", &self.batch)
            .field("timeout_ms", &self.timeout_ms)
            .field("retry_base_ms", &self.retry_base_ms)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// env_logger filter (overridden by `RUST_LOG`).
    pub level: String,
}
