//! The authentication toolkit every worker shares.

use std::time::Duration;

use crate::auth::{badge_code, invite_code, member_code, password, session_cache, tokens};
use crate::config::AuthSettings;

/// Everything authentication needs, built once per process and shared by all
/// workers (`web::Data<Auth>`).
pub struct Auth {
    /// Settings of `[auth]`.
    pub settings: AuthSettings,
    /// JWT key ring.
    pub tokens: tokens::TokenKeys,
    /// Bounded password hashing.
    pub passwords: password::Passwords,
    /// Session validity cache.
    pub sessions: session_cache::SessionCache,
    /// Member codes for event scanning.
    pub member_codes: member_code::MemberCodes,
    /// Badge card codes, scanned like member codes.
    pub badge_codes: badge_code::BadgeCodes,
    /// First reset codes of imported members.
    pub invite_codes: invite_code::InviteCodes,
}

impl Auth {
    /// Builds the authentication service from `[auth]`.
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            tokens: tokens::TokenKeys::new(settings),
            passwords: password::Passwords::resting(
                settings.password_hash_concurrency,
                settings.password_hash_busy_percent,
            ),
            sessions: session_cache::SessionCache::new(Duration::from_secs(
                settings.session_cache_ttl_secs,
            )),
            member_codes: member_code::MemberCodes::new(settings),
            badge_codes: badge_code::BadgeCodes::new(settings),
            invite_codes: invite_code::InviteCodes::new(settings),
            settings: settings.clone(),
        }
    }
}
