//! The HTTP side of deliveries: one client per instance, which follows no
//! redirect, uses no proxy (a proxy would resolve names where the SSRF guard
//! cannot see), gives each receiver the configured time, and resolves names
//! itself so that an address the guard refuses is never connected to.

use std::error::Error;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::CONTENT_TYPE;

use crate::config::WebhookSettings;
use crate::outbox::rules::{check_address, check_target};

/// The longest error text kept for an attempt.
const MAX_ERROR_CHARS: usize = 500;

/// What came of one POST.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The receiver's status, when it answered.
    pub status_code: Option<u16>,
    /// Until the answer or the failure.
    pub latency: Duration,
    /// Why it did not succeed (no answer, a refused target, a non-2xx).
    pub error: Option<String>,
}

impl Sent {
    /// Whether the receiver accepted the delivery (2xx).
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

/// Sends deliveries.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    /// The client for `settings`.
    pub fn new(settings: &WebhookSettings) -> Result<Self, String> {
        // rustls needs a process-wide crypto provider; a second install
        // (another Sender, a test) finds it there and is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let allow_private = settings.allow_private_targets;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(settings.timeout())
            .connect_timeout(settings.timeout())
            .user_agent(concat!("Hearth-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .build()
            .map_err(|e| format!("cannot build the webhook client: {e}"))?;
        Ok(Self {
            client,
            allow_private,
        })
    }

    /// POSTs `body` (JSON) with `headers` to `url`.
    pub async fn post(&self, url: &str, headers: &[(&'static str, String)], body: String) -> Sent {
        let started = Instant::now();
        // An address in the URL itself is never resolved, so it is checked here.
        if let Err(why) = check_target(url, self.allow_private) {
            return Sent {
                status_code: None,
                latency: started.elapsed(),
                error: Some(format!("refused: the target {why}")),
            };
        }
        let mut request = self
            .client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                Sent {
                    status_code: Some(status.as_u16()),
                    latency: started.elapsed(),
                    error: (!status.is_success())
                        .then(|| format!("the receiver answered {}", status.as_u16())),
                }
            }
            Err(e) => Sent {
                status_code: None,
                latency: started.elapsed(),
                error: Some(describe(&e)),
            },
        }
    }
}

/// The error and its causes, as one line (reqwest's own text stops at the
/// outermost: "error sending request").
fn describe(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text.chars().take(MAX_ERROR_CHARS).collect()
}

/// Resolves names and refuses any that resolves to an address that is not
/// public (unless private targets are allowed): the check at delivery, on
/// the very addresses the connection will use.
#[derive(Debug)]
struct GuardedResolver {
    allow_private: bool,
}

#[derive(Debug)]
struct Refused(String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for Refused {}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private {
                for addr in &addrs {
                    check_address(addr.ip()).map_err(|why| {
                        Box::new(Refused(format!(
                            "refused: {host} resolves to an address that {why}"
                        )))
                    })?;
                }
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}
