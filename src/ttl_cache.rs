//! A small per-instance cache whose entries are trusted for a fixed time: the
//! session-validity cache and the leaderboard cache are both one. Nothing is
//! shared between instances; each forgets on its own clock (see
//! `docs/SCALING.md` for what that means behind a load balancer).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Entries beyond this many trigger a sweep of expired ones.
const SWEEP_ABOVE: usize = 50_000;

/// The cache. A zero TTL caches nothing.
pub struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (V, Instant)>>,
    /// One turn per key being computed by [`TtlCache::get_or_compute`].
    computing: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    /// A cache whose entries are trusted for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
            computing: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<K, (V, Instant)>> {
        // A panic while holding the lock cannot leave the map half-changed.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn computing(&self) -> std::sync::MutexGuard<'_, HashMap<K, Arc<tokio::sync::Mutex<()>>>> {
        self.computing.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached value, or the one `compute` makes, which is then cached.
    /// Misses of one key at the same time compute it once: the first caller
    /// computes and the others wait for it and take its value, instead of
    /// each running the same expensive read (single flight). A failed compute
    /// caches nothing; the next waiter then tries itself.
    pub async fn get_or_compute<E, F>(&self, key: K, compute: impl FnOnce() -> F) -> Result<V, E>
    where
        K: Clone,
        F: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        if self.ttl.is_zero() {
            return compute().await;
        }
        let turn = Arc::clone(self.computing().entry(key.clone()).or_default());
        let _turn = turn.lock().await;
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        let computed = compute().await;
        if let Ok(value) = &computed {
            self.put(key.clone(), value.clone());
        }
        self.computing().remove(&key);
        computed
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

    /// Forgets every key `stale` picks (this instance just changed what they
    /// stand for).
    pub fn invalidate_where(&self, stale: impl Fn(&K) -> bool) {
        self.entries().retain(|key, _| !stale(key));
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

    #[actix_web::test]
    async fn concurrent_misses_compute_once() {
        let cache = TtlCache::new(Duration::from_secs(60));
        let computed = std::sync::atomic::AtomicUsize::new(0);
        let counter = &computed;
        let compute = || async move {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, ()>(7)
        };
        let misses = (0..8).map(|_| cache.get_or_compute("board", compute));
        let values = futures_util::future::join_all(misses).await;
        assert_eq!(values, vec![Ok(7); 8]);
        assert_eq!(computed.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[actix_web::test]
    async fn a_failed_compute_is_not_cached() {
        let cache = TtlCache::new(Duration::from_secs(60));
        let failed = cache
            .get_or_compute("board", || async { Err::<i32, _>("down") })
            .await;
        assert_eq!(failed, Err("down"));
        let value = cache
            .get_or_compute("board", || async { Ok::<_, &str>(3) })
            .await;
        assert_eq!(value, Ok(3));
    }

    #[test]
    fn a_zero_ttl_caches_nothing() {
        let cache = TtlCache::new(Duration::ZERO);
        cache.put("a", 1);
        assert_eq!(cache.get(&"a"), None);
    }
}
