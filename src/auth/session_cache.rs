//! A per-instance cache of session validity, so that most authenticated requests
//! need no database query while logout, suspension and password changes still
//! reach every instance within the TTL (`auth.session_cache_ttl_secs`).
//!
//! The instance that revokes a session also drops its own entry at once; other
//! instances notice when their entry expires.

use crate::db::SessionId;
use crate::identity::Role;
use crate::ttl_cache::TtlCache;

/// What the database said about a session when it was last asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Live session of an active user with this current role.
    Active(Role),
    /// Revoked, or the user is no longer active.
    Ended,
}

/// The cache: session → what the database said, trusted for the TTL.
pub type SessionCache = TtlCache<SessionId, SessionState>;
