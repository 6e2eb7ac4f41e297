//! Access tokens (JWT, HS256, `kid` key ring) and opaque refresh tokens.
//!
//! Access tokens are verified without the database: signature with the key named
//! by `kid` (current or previous secret), algorithm pinned to HS256, `exp`, `iss`,
//! `aud` and `sub` required, and `typ` must say `access`. Refresh tokens are 256
//! random bits, stored only as SHA-256 hashes (they are unguessable, so a fast
//! hash suffices) and rotated on every use.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::account::{Role, Scopes};
use crate::config::AuthSettings;
use crate::db::{SessionId, TenantId, UserId};

/// The `typ` claim of access tokens; anything else is refused as an access token.
const ACCESS_TYP: &str = "access";

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// User id.
    pub sub: UserId,
    /// Tenant id.
    pub tid: TenantId,
    /// Role at issue time (authorisation re-reads the current role).
    pub role: Role,
    /// Scopes at issue time, for clients to show the right desks
    /// (authorisation re-reads the current ones).
    #[serde(default)]
    pub scopes: Scopes,
    /// Session id.
    pub sid: SessionId,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Expires at (Unix seconds).
    pub exp: u64,
    /// Token id.
    pub jti: String,
    /// Token type: always `access`.
    pub typ: String,
}

struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl SigningKey {
    fn new(secret: &str) -> Self {
        // The kid names the key without revealing it: a truncated hash of it.
        let digest = Sha256::digest(secret.as_bytes());
        Self {
            kid: hex(&digest[..8]),
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Issues and verifies access tokens.
pub struct TokenKeys {
    current: SigningKey,
    previous: Vec<SigningKey>,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: u64,
}

/// Why a token was refused (logged, never shown: clients get one 401).
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    /// The header cannot be read, or names no key we hold.
    UnknownKey,
    /// Signature, algorithm, expiry, issuer, audience or shape is wrong.
    Invalid(String),
    /// A valid token that is not an access token.
    WrongType,
}

impl TokenKeys {
    /// The key ring and validation rules from the settings.
    pub fn new(settings: &AuthSettings) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&settings.jwt_issuer]);
        validation.set_audience(&[&settings.jwt_audience]);
        validation.leeway = settings.jwt_leeway_secs;
        validation.validate_exp = true;
        Self {
            current: SigningKey::new(&settings.jwt_secret),
            previous: settings.previous_secrets().map(SigningKey::new).collect(),
            validation,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            ttl_secs: settings.access_token_ttl_secs,
        }
    }

    /// Access token lifetime in seconds.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// Signs an access token for a session.
    pub fn issue(
        &self,
        tenant: &TenantId,
        user: &UserId,
        (role, scopes): (Role, Scopes),
        session: &SessionId,
    ) -> String {
        let now = unix_now();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user.clone(),
            tid: tenant.clone(),
            role,
            scopes,
            sid: session.clone(),
            iat: now,
            exp: now + self.ttl_secs,
            jti: uuid::Uuid::now_v7().to_string(),
            typ: ACCESS_TYP.to_string(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.current.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.current.encoding)
            .expect("HS256 signing with an in-memory key cannot fail")
    }

    /// Verifies an access token and returns its claims.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::UnknownKey)?;
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.kid == kid)
            .ok_or(TokenError::UnknownKey)?;
        let data = jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &self.validation)
            .map_err(|e| TokenError::Invalid(e.to_string()))?;
        if data.claims.typ != ACCESS_TYP {
            return Err(TokenError::WrongType);
        }
        Ok(data.claims)
    }
}

/// A new refresh token of `tenant` and the hash to store.
///
/// The token is `<tenant id>.<32 random bytes, base64url>`: it is presented
/// without an access token, and naming its tenant lets the lookup be by
/// (tenant, hash), which a database distributed by tenant routes to one shard.
/// The tenant id is no secret (access tokens carry it too); the random part is.
pub fn new_refresh_token(tenant: &TenantId) -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{tenant}.{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_token(&token);
    (token, hash)
}

/// The tenant a refresh token names; `None` for anything not shaped like one.
pub fn refresh_token_tenant(token: &str) -> Option<TenantId> {
    let (tenant, secret) = token.split_once('.')?;
    if secret.is_empty() {
        return None;
    }
    tenant.parse().ok()
}

/// The stored form of a refresh token or one-time code.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn keys_with(secret: &str, previous: &[&str]) -> TokenKeys {
        let mut settings = Settings::load_from("test", Default::default())
            .unwrap()
            .auth;
        settings.jwt_secret = secret.into();
        settings.jwt_previous_secrets = previous.iter().map(|s| s.to_string()).collect();
        TokenKeys::new(&settings)
    }

    const A: &str = "key-a-0123456789-0123456789-0123456789";
    const B: &str = "key-b-0123456789-0123456789-0123456789";

    fn token(keys: &TokenKeys) -> String {
        keys.issue(
            &TenantId::new(),
            &UserId::new(),
            (Role::User, Scopes::NONE),
            &SessionId::new(),
        )
    }

    #[test]
    fn issued_tokens_verify_and_carry_the_claims() {
        let keys = keys_with(A, &[]);
        let claims = keys.verify(&token(&keys)).unwrap();
        assert_eq!(claims.typ, "access");
        assert_eq!(claims.exp - claims.iat, keys.ttl_secs());
    }

    #[test]
    fn rotation_accepts_previous_keys_and_refuses_unknown_ones() {
        let old = keys_with(A, &[]);
        let rotated = keys_with(B, &[A]);
        assert!(
            rotated.verify(&token(&old)).is_ok(),
            "previous key still accepted"
        );
        let retired = keys_with(B, &[]);
        assert_eq!(
            retired.verify(&token(&old)).unwrap_err(),
            TokenError::UnknownKey
        );
    }

    #[test]
    fn refresh_tokens_are_random_name_their_tenant_and_are_stored_hashed() {
        let tenant = TenantId::new();
        let (t1, h1) = new_refresh_token(&tenant);
        let (t2, _) = new_refresh_token(&tenant);
        assert_ne!(t1, t2);
        assert_eq!(t1.len(), 36 + 1 + 43, "uuid, dot, 32 bytes base64url: {t1}");
        assert_eq!(refresh_token_tenant(&t1), Some(tenant));
        assert_eq!(h1, hash_token(&t1));
        assert!(!h1.contains(&t1));
    }

    #[test]
    fn anything_else_names_no_tenant() {
        for token in [
            "",
            "abc",
            "not-a-uuid.secret",
            "0192f0c1-0000-7000-8000-000000000000.",
        ] {
            assert_eq!(refresh_token_tenant(token), None, "{token:?}");
        }
    }
}
