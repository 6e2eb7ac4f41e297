//! A small per-instance cache whose entries are trusted for a fixed time: the
//! session-validity cache and the leaderboard cache are both one. Nothing is
//! shared between instances; each forgets on its own clock (see
//! `docs/SCALING.md` for what that means behind a load balancer).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries beyond this many trigger a sweep of expired ones.
const SWEEP_ABOVE: usize = 50_000;

/// The cache. A zero TTL caches nothing.
pub struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (V, Instant)>>,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    /// A cache whose entries are trusted for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<K, (V, Instant)>> {
        // A panic while holding the lock cannot leave the map half-changed.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached value, if still fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        self.entries()
            .get(key)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(value, _)| value.clone())
    }

    /// Remembers `value` for `key` from now on.
    pub fn put(&self, key: K, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries();
        if entries.len() >= SWEEP_ABOVE {
            let ttl = self.ttl;
            entries.retain(|_, (_, at)| at.elapsed() < ttl);
        }
        entries.insert(key, (value, Instant::now()));
    }

    /// Forgets `keys` at once (this instance just changed what they stand for).
    pub fn invalidate<'a>(&self, keys: impl IntoIterator<Item = &'a K>)
    where
        K: 'a,
    {
        let mut entries = self.entries();
        for key in keys {
            entries.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_invalidated() {
        let cache = TtlCache::new(Duration::from_millis(30));
        cache.put("a", 1);
        assert_eq!(cache.get(&"a"), Some(1));
        cache.invalidate([&"a"]);
        assert_eq!(cache.get(&"a"), None);
        cache.put("a", 2);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&"a"), None);
    }

    #[test]
    fn a_zero_ttl_caches_nothing() {
        let cache = TtlCache::new(Duration::ZERO);
        cache.put("a", 1);
        assert_eq!(cache.get(&"a"), None);
    }
}
