//! The decoders: photos are checked and re-encoded off the async runtime, a bounded
//! number at a time, with a bounded queue in front.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, LazyLock,
};

use tokio::sync::Semaphore;

use super::{process, Processed};
use crate::web::limits::WaitingBound;

/// Most photo requests waiting for a decoder; past it the form says "busy, try again"
/// at once, rather than holding ever more uploaded bodies in memory.
const MOST_WAITING: usize = 16;

/// Decoding is CPU- and memory-heavy: one request's photos at a time per spare core,
/// so a burst of uploads queues here instead of taking every core and hundreds of MB.
static DECODERS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Arc::new(Semaphore::new(decoder_count(cores)))
});
static WAITING: WaitingBound = WaitingBound::new(MOST_WAITING);
/// Decodes running now (for tests and operators: never more than the decoders).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

fn decoder_count(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

/// Check and re-encode photos off the async runtime; the first problem is a catalogue key.
pub async fn process_all(
    photos: Vec<axum::body::Bytes>,
    max: usize,
) -> anyhow::Result<Result<Vec<Processed>, &'static str>> {
    if photos.len() > max {
        return Ok(Err("form.photo.too_many"));
    }
    if photos.is_empty() {
        return Ok(Ok(vec![]));
    }
    let Some(waiting) = WAITING.take() else {
        return Ok(Err("form.photo.busy"));
    };
    let decoder = DECODERS.clone().acquire_owned().await?;
    // The decoder and the queue place go with the decode, not with this request: a
    // request that times out or whose client goes away drops this future, but the
    // blocking decode runs on, and must keep counting against the bound until it ends.
    let done = tokio::task::spawn_blocking(move || {
        let _held = (decoder, waiting);
        RUNNING.fetch_add(1, Ordering::AcqRel);
        let done = photos.iter().map(|p| process(p)).collect::<Result<Vec<_>, _>>();
        RUNNING.fetch_sub(1, Ordering::AcqRel);
        done
    })
    .await?;
    Ok(done)
}

/// Photo decodes running at this moment.
pub fn decodes_running() -> usize {
    RUNNING.load(Ordering::Acquire)
}

/// Wait until no decode runs, and hold every decoder so that none starts: for
/// tests that check a decode never runs without its decoder.
pub async fn hold_every_decoder() -> anyhow::Result<tokio::sync::OwnedSemaphorePermit> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let all = u32::try_from(decoder_count(cores))?;
    Ok(DECODERS.clone().acquire_many_owned(all).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_waiting_bound_photos_are_answered_busy_at_once() {
        let held: Vec<_> = (0..MOST_WAITING).map(|_| WAITING.take().expect("a place")).collect();
        let answer =
            process_all(vec![axum::body::Bytes::from(super::super::tests::png(10, 10))], 1).await.expect("no failure");
        assert_eq!(answer.err(), Some("form.photo.busy"));
        drop(held);
        let answer =
            process_all(vec![axum::body::Bytes::from(super::super::tests::png(10, 10))], 1).await.expect("no failure");
        assert!(answer.is_ok(), "served once the queue has room");
    }
}
