//! The optional read replica (`PORTAL_READ_DATABASE_URL`): anonymous visitors' public lists,
//! searches and statistics read from it. A signed-in student always reads the primary, so
//! what they just wrote is there (a streaming replica may be a moment behind).
//! When the replica does not answer, those reads go to the primary: at once for the request
//! that found it away, and for everyone until a check every half second finds it back.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use sqlx::PgPool;

#[derive(Clone)]
pub struct ReadReplica {
    pool: PgPool,
    answering: Arc<AtomicBool>,
}

impl ReadReplica {
    /// Lazily connected, like the primary's pool: the portal starts without it.
    pub fn new(url: &str, size: u32) -> anyhow::Result<ReadReplica> {
        let pool = super::app_pool(url, size)?;
        Ok(ReadReplica { pool, answering: Arc::new(AtomicBool::new(true)) })
    }

    /// Check it every half second (a background loop in `jobs::spawn_all`).
    pub async fn watch_forever(self) {
        loop {
            let ping = tokio::time::timeout(Duration::from_millis(500), super::queries::ping(&self.pool)).await;
            let up = matches!(ping, Ok(Ok(_)));
            if up != self.answering.swap(up, Ordering::Relaxed) {
                tracing::warn!(answering = up, "the read replica's state changed");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// Run a public read: on the replica for an anonymous visitor when there is one that
/// answers, else (or when it turns out away) on the primary.
pub async fn read_public<T, F, Fut>(
    primary: &PgPool,
    replica: Option<&ReadReplica>,
    signed_in: bool,
    read: F,
) -> sqlx::Result<T>
where
    F: Fn(PgPool) -> Fut,
    Fut: Future<Output = sqlx::Result<T>>,
{
    if let Some(r) = replica.filter(|r| !signed_in && r.answering.load(Ordering::Relaxed)) {
        match read(r.pool.clone()).await {
            Err(e) if crate::error::database_away(&e) => r.answering.store(false, Ordering::Relaxed),
            done => return done,
        }
    }
    read(primary.clone()).await
}
