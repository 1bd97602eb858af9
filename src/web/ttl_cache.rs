//! A small map of values kept for a few seconds: reference data that every page
//! reads and an administrator rarely changes (categories, departments, a
//! department's members), counts that need not be exact to the second, and the
//! first page of the handlers' queue. Writers in this process call `clear`;
//! another process sees a change when the entry expires, so nothing kept here may
//! decide who is allowed to do what.
//!
//! When an entry expires, one caller loads it again while the others are served
//! the old value meanwhile; when there is none yet (a fresh start, after `clear`),
//! one caller loads it while the others wait for it. Under load, neither is followed
//! by every visitor running the same query at once.

use std::{
    collections::HashMap,
    future::Future,
    hash::Hash,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

struct Entry<V> {
    loaded_at: Instant,
    value: Arc<V>,
    /// Someone is loading a fresh value.
    refreshing: bool,
}

type Entries<K, V> = Arc<Mutex<HashMap<K, Entry<V>>>>;

/// The turn to load a key nothing is kept for yet, and whether the last turn failed
/// (then the others load for themselves rather than fail one after another).
#[derive(Default)]
struct FirstLoad {
    turn: tokio::sync::Mutex<()>,
    failed: std::sync::atomic::AtomicBool,
}

type FirstLoads<K> = Arc<Mutex<HashMap<K, Arc<FirstLoad>>>>;

pub struct TtlCache<K, V> {
    entries: Entries<K, V>,
    first_loads: FirstLoads<K>,
    max_age: Duration,
}

// Derived Clone would ask K and V to be Clone; only the handle is cloned.
impl<K, V> Clone for TtlCache<K, V> {
    fn clone(&self) -> Self {
        Self { entries: self.entries.clone(), first_loads: self.first_loads.clone(), max_age: self.max_age }
    }
}

enum Lookup<V> {
    Fresh(Arc<V>),
    /// Expired: this caller refreshes it (the old value, for a refresh behind the request).
    Refresh(Arc<V>),
    /// Nothing kept.
    Missing,
}

impl<K: Eq + Hash + Clone, V> TtlCache<K, V> {
    pub fn new(max_age: Duration) -> Self {
        Self { entries: Arc::default(), first_loads: Arc::default(), max_age }
    }

    /// The kept value, or a fresh one from `load` (kept when it succeeds).
    pub async fn get_or_load<E, Fut>(&self, key: K, load: impl FnOnce() -> Fut) -> Result<Arc<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        if self.max_age.is_zero() {
            // Kept for no time: not kept at all, not even while refreshing.
            return Ok(Arc::new(load().await?));
        }
        match self.lookup(&key) {
            Lookup::Fresh(value) => return Ok(value),
            Lookup::Refresh(_) => return self.load_and_keep(key, load).await,
            Lookup::Missing => {}
        }
        let first = self.first_load(&key);
        let turn = first.turn.lock().await;
        if let Lookup::Fresh(value) = self.lookup(&key) {
            return Ok(value); // loaded by the caller before
        }
        if first.failed.load(std::sync::atomic::Ordering::Relaxed) {
            drop(turn);
        }
        let loaded = self.load_and_keep(key.clone(), load).await;
        first.failed.store(loaded.is_err(), std::sync::atomic::Ordering::Relaxed);
        if loaded.is_ok() {
            if let Ok(mut first_loads) = self.first_loads.lock() {
                first_loads.remove(&key);
            }
        }
        loaded
    }

    /// Like `get_or_load`, but an expired value is refreshed behind the request: the caller that
    /// finds it expired is served it too, and a task loads the new one. For figures that take
    /// seconds under load (a dashboard's refresh made its request wait 2.7 s: docs/benchmarks.md).
    pub async fn get_or_refresh_behind<E, Fut>(&self, key: K, load: impl FnOnce() -> Fut) -> Result<Arc<V>, E>
    where
        K: Send + 'static,
        V: Send + Sync + 'static,
        E: std::fmt::Display + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        match self.lookup(&key) {
            Lookup::Fresh(value) => Ok(value),
            Lookup::Refresh(old) => {
                let (cache, loading) = (self.clone(), load());
                tokio::spawn(async move {
                    if let Err(error) = cache.load_and_keep(key, || loading).await {
                        tracing::warn!(%error, "a kept value was not refreshed: the old one is served meanwhile");
                    }
                });
                Ok(old)
            }
            Lookup::Missing => self.get_or_load(key, load).await,
        }
    }

    async fn load_and_keep<E, Fut>(&self, key: K, load: impl FnOnce() -> Fut) -> Result<Arc<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        // Should this caller give up (its request was cancelled), the next one refreshes.
        let mut guard = RefreshGuard { entries: &self.entries, key: Some(key.clone()) };
        let value = Arc::new(load().await?);
        guard.key = None;
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(key, Entry { loaded_at: Instant::now(), value: value.clone(), refreshing: false });
        }
        Ok(value)
    }

    /// A fresh value, or an old one while someone else refreshes it.
    fn lookup(&self, key: &K) -> Lookup<V> {
        let Ok(mut entries) = self.entries.lock() else { return Lookup::Missing };
        match entries.get_mut(key) {
            Some(e) if e.loaded_at.elapsed() < self.max_age || e.refreshing => Lookup::Fresh(e.value.clone()),
            Some(e) => {
                e.refreshing = true;
                Lookup::Refresh(e.value.clone())
            }
            None => Lookup::Missing,
        }
    }

    fn first_load(&self, key: &K) -> Arc<FirstLoad> {
        match self.first_loads.lock() {
            Ok(mut first_loads) => first_loads.entry(key.clone()).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }

    /// How many keys are kept (for tests of what a visitor can make it keep).
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forget everything, after a change made in this process.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// Clears the refreshing mark of an entry whose refresh did not finish.
struct RefreshGuard<'a, K: Eq + Hash, V> {
    entries: &'a Entries<K, V>,
    key: Option<K>,
}

impl<K: Eq + Hash, V> Drop for RefreshGuard<'_, K, V> {
    fn drop(&mut self) {
        if let (Some(key), Ok(mut entries)) = (self.key.take(), self.entries.lock()) {
            if let Some(e) = entries.get_mut(&key) {
                e.refreshing = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_value_is_loaded_once_until_it_expires_or_is_cleared() {
        let cache: TtlCache<u8, u32> = TtlCache::new(Duration::from_millis(50));
        let loads = AtomicU32::new(0);
        let load = || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst) + 1) };
        assert_eq!(*cache.get_or_load(1, load).await.unwrap(), 1);
        assert_eq!(*cache.get_or_load(1, load).await.unwrap(), 1, "kept");
        cache.clear();
        assert_eq!(*cache.get_or_load(1, load).await.unwrap(), 2, "cleared");
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(*cache.get_or_load(1, load).await.unwrap(), 3, "expired");
        assert!(cache.get_or_load(2, || async { Err::<u32, _>("down") }).await.is_err());
        assert_eq!(*cache.get_or_load(2, load).await.unwrap(), 4, "a failed load is not kept");
    }

    #[tokio::test]
    async fn while_one_caller_refreshes_the_others_get_the_old_value() {
        let cache: TtlCache<u8, u32> = TtlCache::new(Duration::from_millis(20));
        cache.get_or_load(1, || async { Ok::<_, ()>(1) }).await.unwrap();
        tokio::time::sleep(Duration::from_millis(30)).await;
        let (started, release) = (tokio::sync::Notify::new(), tokio::sync::Notify::new());
        let slow = cache.get_or_load(1, || async {
            started.notify_one();
            release.notified().await;
            Ok::<_, ()>(2)
        });
        let others = async {
            started.notified().await;
            let seen = *cache.get_or_load(1, || async { Ok::<_, ()>(99) }).await.unwrap();
            release.notify_one();
            seen
        };
        let (refreshed, seen) = tokio::join!(slow, others);
        assert_eq!(seen, 1, "the old value, not a second load");
        assert_eq!(*refreshed.unwrap(), 2);
        assert_eq!(*cache.get_or_load(1, || async { Ok::<_, ()>(99) }).await.unwrap(), 2, "the fresh one kept");
    }

    #[tokio::test]
    async fn refreshed_behind_even_the_caller_that_found_it_expired_gets_the_old_value_at_once() {
        let cache: TtlCache<u8, u32> = TtlCache::new(Duration::from_millis(20));
        cache.get_or_refresh_behind(1, || async { Ok::<_, String>(1) }).await.unwrap();
        tokio::time::sleep(Duration::from_millis(30)).await;
        let release = Arc::new(tokio::sync::Notify::new());
        let gate = release.clone();
        let slow = move || async move {
            gate.notified().await;
            Ok::<_, String>(2)
        };
        let first = tokio::time::timeout(Duration::from_secs(1), cache.get_or_refresh_behind(1, slow)).await;
        assert_eq!(*first.expect("not waiting for the load").unwrap(), 1, "the old value");
        let again = cache.get_or_refresh_behind(1, || async { Ok::<_, String>(99) }).await.unwrap();
        assert_eq!(*again, 1, "still the old one while the task loads, and no second load");
        release.notify_one();
        let since = Instant::now();
        while *cache.get_or_refresh_behind(1, || async { Ok::<_, String>(99) }).await.unwrap() != 2 {
            assert!(since.elapsed() < Duration::from_secs(5), "the task's value was never kept");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
        let failing = || async { Err::<u32, _>("down".to_string()) };
        assert_eq!(*cache.get_or_refresh_behind(1, failing).await.unwrap(), 2, "expired again: served");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let next = cache.get_or_refresh_behind(1, || async { Ok::<_, String>(3) }).await.unwrap();
        assert_eq!(*next, 2, "a failed refresh keeps the old value and lets the next caller try");
    }

    #[tokio::test]
    async fn with_nothing_kept_one_caller_loads_and_the_others_wait_for_it() {
        let cache: TtlCache<u8, u32> = TtlCache::new(Duration::from_secs(10));
        let loads = AtomicU32::new(0);
        let slow_load = || async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst) + 1)
        };
        let callers = (0..8).map(|_| cache.get_or_load(1, slow_load));
        let values = futures::future::join_all(callers).await;
        assert!(values.iter().all(|v| v.as_deref() == Ok(&1)), "{values:?}");
        assert_eq!(loads.load(Ordering::SeqCst), 1, "one load for eight callers");
        // A failed first load is not waited on again: the others load for themselves.
        let failing = cache.get_or_load(2, || async { Err::<u32, _>("down") });
        let (failed, next) = tokio::join!(failing, cache.get_or_load(2, || async { Ok::<_, &str>(7) }));
        assert!(failed.is_err());
        assert_eq!(*next.unwrap(), 7);
    }

    #[tokio::test]
    async fn kept_for_no_time_means_always_loaded() {
        let cache: TtlCache<u8, u32> = TtlCache::new(Duration::ZERO);
        let loads = AtomicU32::new(0);
        let load = || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst) + 1) };
        assert_eq!(*cache.get_or_load(1, load).await.unwrap(), 1);
        assert_eq!(*cache.get_or_load(1, load).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn a_refresh_that_was_given_up_is_taken_over_by_the_next_caller() {
        let cache: TtlCache<u8, u32> = TtlCache::new(Duration::from_millis(20));
        cache.get_or_load(1, || async { Ok::<_, ()>(1) }).await.unwrap();
        tokio::time::sleep(Duration::from_millis(30)).await;
        let abandoned = cache.get_or_load(1, std::future::pending::<Result<u32, ()>>);
        assert!(tokio::time::timeout(Duration::from_millis(10), abandoned).await.is_err(), "cancelled");
        assert_eq!(*cache.get_or_load(1, || async { Ok::<_, ()>(3) }).await.unwrap(), 3);
    }
}
