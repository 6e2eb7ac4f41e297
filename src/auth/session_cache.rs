//! A per-instance cache of session validity, so that most authenticated requests
//! need no database query while logout, suspension and password changes still
//! reach every instance within the TTL (`auth.session_cache_ttl_secs`).
//!
//! The instance that revokes a session also drops its own entry at once; other
//! instances notice when their entry expires.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::SessionId;
use crate::identity::Role;

/// What the database said about a session when it was last asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Live session of an active user with this current role.
    Active(Role),
    /// Revoked, or the user is no longer active.
    Ended,
}

/// Entries beyond this many trigger a sweep of expired ones.
const SWEEP_ABOVE: usize = 50_000;

/// The cache.
pub struct SessionCache {
    ttl: Duration,
    entries: Mutex<HashMap<SessionId, (SessionState, Instant)>>,
}

impl SessionCache {
    /// A cache whose entries are trusted for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The cached state, if still fresh.
    pub fn get(&self, session: &SessionId) -> Option<SessionState> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(session)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(state, _)| *state)
    }

    /// Records what the database said.
    pub fn put(&self, session: SessionId, state: SessionState) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= SWEEP_ABOVE {
            let ttl = self.ttl;
            entries.retain(|_, (_, at)| at.elapsed() < ttl);
        }
        entries.insert(session, (state, Instant::now()));
    }

    /// Forgets sessions this instance just changed.
    pub fn invalidate<'a>(&self, sessions: impl IntoIterator<Item = &'a SessionId>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for session in sessions {
            entries.remove(session);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_invalidated() {
        let cache = SessionCache::new(Duration::from_millis(30));
        let sid = SessionId::new();
        cache.put(sid.clone(), SessionState::Active(Role::User));
        assert_eq!(cache.get(&sid), Some(SessionState::Active(Role::User)));
        cache.invalidate([&sid]);
        assert_eq!(cache.get(&sid), None);
        cache.put(sid.clone(), SessionState::Ended);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&sid), None);
    }
}
