//! Public statistics (`/stats`) and each department's own figures on its
//! dashboard: complaints by category, month and outcome, days to first reply per
//! school office, lost items returned, commitments kept, reception sign-ups — as
//! server-rendered SVG charts, each with a table of the same numbers.
//!
//! Aggregates only, read from the other areas' tables; this module writes
//! nothing and never selects who filed, claimed or asked anything.

pub mod chart;
mod dept;
pub mod figures;
mod queries;
pub mod view;

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use askama::Template;
use axum::{extract::State, response::Html, routing::get, Router};
use sqlx::PgPool;
use tokio::sync::{Mutex, RwLock};

pub use dept::{department_stats, DeptStats};
use figures::StatsFigures;
use view::StatsView;

use crate::{
    app::AppState,
    db::replica::{read_public, ReadReplica},
    error::AppResult,
    web::{render, Layout},
};

/// How long computed figures are served before the next request recomputes them.
pub const MAX_AGE: Duration = Duration::from_secs(300);

pub fn router() -> Router<AppState> {
    Router::new().route("/stats", get(show_stats))
}

/// Figures and when they were computed.
type Computed = (Instant, Arc<StatsFigures>);

/// The public figures, computed at most once per `MAX_AGE` however many visit.
#[derive(Clone, Default)]
pub struct Cache {
    current: Arc<RwLock<Option<Computed>>>,
    /// Held by the one request that recomputes.
    refresh: Arc<Mutex<()>>,
}

impl Cache {
    async fn cached(&self, max_age: Duration) -> Option<Arc<StatsFigures>> {
        let current = self.current.read().await;
        current.as_ref().filter(|(at, _)| at.elapsed() < max_age).map(|(_, f)| f.clone())
    }

    /// The figures are everyone's (one copy for all visitors), so they are read as an
    /// anonymous visitor's public list is: from the replica when there is one that answers.
    pub async fn figures(&self, primary: &PgPool, replica: Option<&ReadReplica>) -> sqlx::Result<Arc<StatsFigures>> {
        let load = || read_public(primary, replica, false, |db| async move { figures::load(&db).await });
        self.fresh_or(MAX_AGE, load).await
    }

    /// Figures younger than `max_age`, or computed now by `compute`.
    async fn fresh_or<F>(&self, max_age: Duration, compute: impl FnOnce() -> F) -> sqlx::Result<Arc<StatsFigures>>
    where
        F: Future<Output = sqlx::Result<StatsFigures>>,
    {
        if let Some(fresh) = self.cached(max_age).await {
            return Ok(fresh);
        }
        // While one request recomputes, the others show the figures they have
        // rather than queue behind it; only the very first visitors wait.
        let _refreshing = match self.refresh.try_lock() {
            Ok(guard) => guard,
            Err(_) => match self.cached(Duration::MAX).await {
                Some(stale) => return Ok(stale),
                None => self.refresh.lock().await,
            },
        };
        // Someone else may have finished while this request waited for the lock.
        if let Some(fresh) = self.cached(max_age).await {
            return Ok(fresh);
        }
        match compute().await {
            Ok(figures) => {
                let figures = Arc::new(figures);
                *self.current.write().await = Some((Instant::now(), figures.clone()));
                Ok(figures)
            }
            // Old figures beat an error page; the next visitor tries again.
            Err(e) => match self.cached(Duration::MAX).await {
                Some(stale) => {
                    tracing::warn!(error = %e, "statistics not recomputed; serving the previous figures");
                    Ok(stale)
                }
                None => Err(e),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "stats/show.html")]
struct StatsPage {
    layout: Layout,
    f: Arc<StatsFigures>,
    v: StatsView,
}

/// `/stats`. The figures are cached; the page is rendered per request in the
/// visitor's language. No shared HTTP caching: the page carries the visitor's
/// CSRF token and header, so `load_context` keeps its private policy.
pub async fn show_stats(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let f = state.stats.figures(&state.db, state.replica.as_ref()).await?;
    let v = StatsView::new(&f, &layout);
    Ok(Html(render(StatsPage { layout, f, v })?))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn nothing() -> StatsFigures {
        StatsFigures {
            computed_at: chrono::Utc::now(),
            by_category: vec![],
            by_month: vec![],
            outcomes: figures::Outcomes::new(vec![], 0),
            reply_times: vec![],
            lost: queries::LostTotals::default(),
            commitments: vec![],
            attendance: vec![],
            lending: Default::default(),
        }
    }

    /// Eight visitors at once, each asking with `max_age`; returns how many computed.
    async fn eight_at_once(cache: &Cache, max_age: Duration, computed: &AtomicUsize) -> usize {
        let before = computed.load(Ordering::SeqCst);
        let visits = (0..8).map(|_| {
            cache.fresh_or(max_age, || async {
                computed.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(nothing())
            })
        });
        for figures in futures_util::future::join_all(visits).await {
            figures.expect("figures");
        }
        computed.load(Ordering::SeqCst) - before
    }

    #[tokio::test]
    async fn one_visitor_computes_and_the_others_wait_or_get_the_figures_there_are() {
        let (cache, computed) = (Cache::default(), AtomicUsize::new(0));
        assert_eq!(eight_at_once(&cache, MAX_AGE, &computed).await, 1, "the first visitors wait for one computation");
        assert_eq!(eight_at_once(&cache, MAX_AGE, &computed).await, 0, "fresh figures are served as they are");
        assert_eq!(
            eight_at_once(&cache, Duration::ZERO, &computed).await,
            1,
            "stale figures: one recomputes, the others are served the old ones meanwhile"
        );
    }

    #[tokio::test]
    async fn a_failed_recomputation_serves_the_old_figures_and_the_next_visitor_tries_again() {
        let cache = Cache::default();
        let failed = cache.fresh_or(MAX_AGE, || async { Err(sqlx::Error::PoolTimedOut) }).await;
        assert!(failed.is_err(), "nothing to fall back on yet");
        let first = cache.fresh_or(MAX_AGE, || async { Ok(nothing()) }).await.expect("computed after a failure");
        let stale = cache
            .fresh_or(Duration::ZERO, || async { Err(sqlx::Error::PoolTimedOut) })
            .await
            .expect("the previous figures, not an error");
        assert!(Arc::ptr_eq(&first, &stale));
    }
}
