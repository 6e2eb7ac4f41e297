//! A per-instance cache of session validity, so that most authenticated requests
//! need no database query while logout, suspension and password changes still
//! reach every instance within the TTL (`auth.session_cache_ttl_secs`).
//!
//! An entry records whose session it is (tenant, user) as well as its state, and
//! a token is accepted only when its `tid`/`sub` are that owner: a token that
//! names another user's `sid` is refused, cold or cached, and cannot overwrite
//! the real session's entry (a lookup that finds no session in the token's
//! tenant caches nothing).
//!
//! The instance that revokes a session also drops its own entry at once; other
//! instances notice when their entry expires.

use crate::auth::session_state::SessionState;
use crate::db::SessionId;
use crate::ttl_cache::TtlCache;

/// The cache: session → what the database said, trusted for the TTL.
pub type SessionCache = TtlCache<SessionId, SessionState>;
