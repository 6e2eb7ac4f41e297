//! Loading the settings and refusing unsafe ones (in production above all).

use std::collections::HashMap;

use config::{Config, Environment, File, FileFormat};

use crate::config::sections::Settings;

const DEFAULT_TOML: &str = include_str!("../../config/default.toml");
const PRODUCTION_TOML: &str = include_str!("../../config/production.toml");
const TEST_TOML: &str = include_str!("../../config/test.toml");

/// The secret printed in `.env.production.example`; refused in production.
pub const EXAMPLE_JWT_SECRET: &str = "replace-me-with-the-output-of-openssl-rand-base64-48";
/// The development secret from `config/default.toml`; refused in production.
const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-do-not-use-in-production";
/// HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2).
const MIN_JWT_SECRET_BYTES: usize = 32;

/// The environment name from `HEARTH_ENV`, defaulting to `development`.
pub fn environment_name() -> String {
    std::env::var("HEARTH_ENV").unwrap_or_else(|_| "development".to_string())
}

impl Settings {
    /// Loads the settings for `HEARTH_ENV` from the process environment.
    pub fn load() -> Result<Self, String> {
        let vars: HashMap<String, String> = std::env::vars().collect();
        Self::load_from(&environment_name(), vars)
    }

    /// Loads the settings for `environment` with `vars` as the environment.
    /// Separated from [`Settings::load`] so tests need not mutate process state.
    pub fn load_from(environment: &str, vars: HashMap<String, String>) -> Result<Self, String> {
        let layer = match environment {
            "development" => None,
            "production" => Some(PRODUCTION_TOML),
            "test" => Some(TEST_TOML),
            other => {
                return Err(format!(
                    "HEARTH_ENV={other:?} is not one of development, test, production"
                ));
            }
        };
        let mut builder =
            Config::builder().add_source(File::from_str(DEFAULT_TOML, FileFormat::Toml));
        if let Some(layer) = layer {
            builder = builder.add_source(File::from_str(layer, FileFormat::Toml));
        }
        let direct = |name: &str| vars.get(name).filter(|v| !v.is_empty()).cloned();
        let settings: Settings = builder
            .add_source(
                Environment::with_prefix("HEARTH")
                    .prefix_separator("_")
                    .separator("__")
                    .list_separator(",")
                    .with_list_parse_key("http.cors_origins")
                    .with_list_parse_key("http.trusted_proxies")
                    .with_list_parse_key("auth.jwt_previous_secrets")
                    .try_parsing(true)
                    .source(Some(scoped_vars(&vars))),
            )
            .set_override_option("database.url", direct("DATABASE_URL"))
            .and_then(|b| b.set_override_option("auth.jwt_secret", direct("HEARTH_JWT_SECRET")))
            .and_then(|b| b.set_override("environment", environment))
            .and_then(|b| b.build())
            .and_then(|c| c.try_deserialize())
            .map_err(|e| format!("invalid configuration: {e}"))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Whether this is the production environment.
    pub fn is_production(&self) -> bool {
        self.environment == "production"
    }

    /// Refuses settings that would run insecurely or not at all. In production a
    /// missing, short or published JWT secret, or a `*` CORS origin, stops start-up.
    fn validate(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        if self.is_production() {
            let secret = self.auth.jwt_secret.as_str();
            if secret.is_empty() {
                problems.push("HEARTH_JWT_SECRET is not set".to_string());
            } else if secret == EXAMPLE_JWT_SECRET || secret == DEVELOPMENT_JWT_SECRET {
                problems.push(
                    "HEARTH_JWT_SECRET is a published example value; generate one with \
                     `openssl rand -base64 48`"
                        .to_string(),
                );
            } else if secret.len() < MIN_JWT_SECRET_BYTES {
                problems.push(format!(
                    "HEARTH_JWT_SECRET is {} bytes; at least {MIN_JWT_SECRET_BYTES} are required",
                    secret.len()
                ));
            }
            if self.webhooks.allow_private_targets {
                problems.push(
                    "HEARTH_WEBHOOKS__ALLOW_PRIVATE_TARGETS is true; webhooks could then reach \
                     the deployment's own network"
                        .to_string(),
                );
            }
            let mail = &self.mail;
            if mail.is_on()
                && mail.tls == super::sections::MailTls::None
                && !mail.username.is_empty()
            {
                problems.push(
                    "HEARTH_MAIL__TLS is none with a username; the SMTP password would \
                     cross the network in the clear"
                        .to_string(),
                );
            }
            if self.http.cors_origins.iter().any(|o| o.trim() == "*") {
                problems.push(
                    "HEARTH_HTTP__CORS_ORIGINS contains \"*\"; list the allowed origins"
                        .to_string(),
                );
            }
        }
        for origin in &self.http.cors_origins {
            if origin != "*" && !is_origin(origin) {
                problems.push(format!(
                    "CORS origin {origin:?} must look like https://host[:port] (no path)"
                ));
            }
        }
        if self.auth.jwt_secret.is_empty() && !self.is_production() {
            problems.push("auth.jwt_secret is empty".to_string());
        }
        if self
            .auth
            .previous_secrets()
            .any(|s| s.len() < MIN_JWT_SECRET_BYTES)
        {
            problems.push(format!(
                "every auth.jwt_previous_secrets entry needs at least {MIN_JWT_SECRET_BYTES} bytes"
            ));
        }
        if self.auth.lockout_max_failures == 0 || self.auth.access_token_ttl_secs == 0 {
            problems.push(
                "auth lockout_max_failures and access_token_ttl_secs must be positive".into(),
            );
        }
        if !(1..=100).contains(&self.auth.password_hash_busy_percent) {
            problems.push("auth.password_hash_busy_percent must be 1-100".into());
        }
        if self.rate_limit.general_burst == 0 || self.rate_limit.auth_burst == 0 {
            problems.push("rate_limit bursts must be at least 1".to_string());
        }
        if self.rate_limit.general_period_ms == 0 || self.rate_limit.auth_period_ms == 0 {
            problems.push("rate_limit periods must be at least 1 ms".to_string());
        }
        let webhooks = &self.webhooks;
        if webhooks.batch == 0 || webhooks.timeout_ms == 0 || webhooks.max_attempts == 0 {
            problems.push("webhooks batch, timeout_ms and max_attempts must be positive".into());
        }
        let mail = &self.mail;
        if mail.batch == 0 || mail.timeout_ms == 0 || mail.max_attempts == 0 {
            problems.push("mail batch, timeout_ms and max_attempts must be positive".into());
        }
        if mail.is_on() && mail.from.trim().is_empty() {
            problems.push("mail.from is empty; set the sender address".into());
        }
        if let Err(e) = crate::http::client_ip::TrustedProxies::parse(&self.http.trusted_proxies) {
            problems.push(e);
        }
        if let Err(e) = crate::db::Backend::from_url(&self.database.url) {
            problems.push(e);
        }
        if let Some(replica) = self.database.replica() {
            let postgres =
                |url: &str| crate::db::Backend::from_url(url) == Ok(crate::db::Backend::Postgres);
            if !postgres(replica) || !postgres(&self.database.url) {
                problems.push(
                    "database.replica_url needs PostgreSQL, for the replica and the primary"
                        .to_string(),
                );
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "refusing to start ({} environment): {}",
                self.environment,
                problems.join("; ")
            ))
        }
    }
}

/// `scheme://host[:port]`, as browsers send it in `Origin`.
fn is_origin(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', ' ']))
}

/// The `HEARTH_…` variables of `vars`, minus the ones honoured directly or used to
/// pick the environment, which are not `SECTION__KEY` settings.
fn scoped_vars(vars: &HashMap<String, String>) -> HashMap<String, String> {
    vars.iter()
        .filter(|(k, _)| k.starts_with("HEARTH_") && k.contains("__"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const GOOD_SECRET: &str = "0123456789abcdef0123456789abcdef-production";

    #[test]
    fn development_defaults_to_sqlite_on_localhost() {
        let s = Settings::load_from("development", vars(&[])).unwrap();
        assert_eq!(s.database.url, "sqlite://data/hearth.db");
        assert_eq!((s.server.host.as_str(), s.server.port), ("127.0.0.1", 8080));
        assert!(s.database.auto_migrate);
    }

    #[test]
    fn environment_variables_override_files() {
        let s = Settings::load_from(
            "development",
            vars(&[
                ("HEARTH_SERVER__PORT", "9090"),
                (
                    "HEARTH_HTTP__CORS_ORIGINS",
                    "https://a.example,https://b.example",
                ),
                ("DATABASE_URL", "postgres://u@h/db"),
                ("HEARTH_JWT_SECRET", GOOD_SECRET),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.port, 9090);
        assert_eq!(
            s.http.cors_origins,
            ["https://a.example", "https://b.example"]
        );
        assert_eq!(s.database.url, "postgres://u@h/db");
        assert_eq!(s.auth.jwt_secret, GOOD_SECRET);
    }

    #[test]
    fn a_replica_needs_postgresql_on_both_sides() {
        let on_sqlite = Settings::load_from(
            "development",
            vars(&[("HEARTH_DATABASE__REPLICA_URL", "postgres://u@replica/db")]),
        )
        .unwrap_err();
        assert!(
            on_sqlite.contains("replica_url needs PostgreSQL"),
            "{on_sqlite}"
        );
        let both = Settings::load_from(
            "development",
            vars(&[
                ("DATABASE_URL", "postgres://u@primary/db"),
                ("HEARTH_DATABASE__REPLICA_URL", "postgres://u@replica/db"),
            ]),
        )
        .unwrap();
        assert_eq!(both.database.replica(), Some("postgres://u@replica/db"));
        let blank = Settings::load_from(
            "development",
            vars(&[("HEARTH_DATABASE__REPLICA_URL", " ")]),
        )
        .unwrap();
        assert_eq!(blank.database.replica(), None, "blank means none");
    }

    #[test]
    fn production_refuses_missing_short_or_example_secrets() {
        let missing = Settings::load_from("production", vars(&[])).unwrap_err();
        assert!(
            missing.contains("HEARTH_JWT_SECRET is not set"),
            "{missing}"
        );
        let short =
            Settings::load_from("production", vars(&[("HEARTH_JWT_SECRET", "short")])).unwrap_err();
        assert!(short.contains("at least 32"), "{short}");
        for published in [EXAMPLE_JWT_SECRET, DEVELOPMENT_JWT_SECRET] {
            let err = Settings::load_from("production", vars(&[("HEARTH_JWT_SECRET", published)]))
                .unwrap_err();
            assert!(err.contains("published example"), "{err}");
        }
        assert!(
            Settings::load_from("production", vars(&[("HEARTH_JWT_SECRET", GOOD_SECRET)])).is_ok()
        );
    }

    #[test]
    fn production_refuses_a_wildcard_cors_origin() {
        let err = Settings::load_from(
            "production",
            vars(&[
                ("HEARTH_JWT_SECRET", GOOD_SECRET),
                ("HEARTH_HTTP__CORS_ORIGINS", "https://ok.example,*"),
            ]),
        )
        .unwrap_err();
        assert!(err.contains("\"*\""), "{err}");
    }

    /// `.env.production.example` documents every setting, and loads as a valid
    /// production configuration once its example secret is replaced.
    #[test]
    fn the_production_example_documents_every_setting() {
        let example = include_str!("../../.env.production.example");
        let mut env: HashMap<String, String> = example
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let defaults: toml::Table = DEFAULT_TOML.parse().unwrap();
        for (section, keys) in &defaults {
            for key in keys.as_table().unwrap().keys() {
                let name = match (section.as_str(), key.as_str()) {
                    ("database", "url") => "DATABASE_URL".to_string(),
                    ("auth", "jwt_secret") => "HEARTH_JWT_SECRET".to_string(),
                    _ => format!("HEARTH_{}__{}", section, key).to_uppercase(),
                };
                assert!(
                    env.contains_key(&name),
                    "{name} is not in .env.production.example"
                );
            }
        }
        let refused = Settings::load_from("production", env.clone()).unwrap_err();
        assert!(refused.contains("published example"), "{refused}");
        env.insert("HEARTH_JWT_SECRET".into(), GOOD_SECRET.into());
        let settings = Settings::load_from("production", env).unwrap();
        assert!(settings.http.hsts);
        assert_eq!(settings.http.cors_origins, ["https://app.example.org"]);
    }

    #[test]
    fn unknown_environment_and_bad_values_are_refused() {
        assert!(Settings::load_from("staging", vars(&[])).is_err());
        assert!(
            Settings::load_from("development", vars(&[("DATABASE_URL", "mysql://x")])).is_err()
        );
        assert!(
            Settings::load_from(
                "development",
                vars(&[("HEARTH_HTTP__TRUSTED_PROXIES", "not-an-ip")])
            )
            .is_err()
        );
        assert!(
            Settings::load_from(
                "development",
                vars(&[("HEARTH_HTTP__CORS_ORIGINS", "https://ok.example/path")])
            )
            .is_err()
        );
    }
}
