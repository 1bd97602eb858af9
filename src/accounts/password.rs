//! Passwords: argon2id with OWASP's parameters (`Argon2::default()`: m=19456 KiB,
//! t=2, p=1); a fixed dummy hash makes unknown accounts cost the same time as known ones.
//!
//! Hashing is slow on purpose, so it runs on its own threads: one fewer than the
//! cores, at a lower CPU priority. A flood of logins then queues for those threads
//! and slows logins, while pages keep a core and the scheduler's preference; past
//! `MOST_WAITING` queued hashes the portal answers "busy" (503) at once.

use std::sync::{mpsc, Arc, LazyLock, Mutex};

use anyhow::anyhow;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2, Params,
};

use crate::{error::AppError, web::limits::WaitingBound};

/// The longest password accepted, in characters: long enough for any passphrase,
/// short enough that a huge one is no hashing attack.
pub const MAX_CHARS: usize = 256;
pub const MIN_CHARS: usize = 8;

/// Nice value of the hashing threads: pages (nice 0) get about ten times their share.
const HASHING_NICENESS: i32 = 10;

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("not a real password, only for timing").unwrap_or_default());

type Job = Box<dyn FnOnce() + Send>;

/// The process's hashing threads, started on first use and shared by every `AppState`.
static HASHING_THREADS: LazyLock<mpsc::Sender<Job>> = LazyLock::new(|| {
    let (send, receive) = mpsc::channel::<Job>();
    let receive = Arc::new(Mutex::new(receive));
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    for i in 0..cores.saturating_sub(1).max(1) {
        let receive = receive.clone();
        let spawned = std::thread::Builder::new().name(format!("password-hashing-{i}")).spawn(move || {
            lower_this_threads_priority();
            loop {
                let job = match receive.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start a password-hashing thread");
        }
    }
    send
});

fn lower_this_threads_priority() {
    // On Linux the nice value belongs to the thread (`who = 0` is the calling thread).
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, HASHING_NICENESS);
    }
}

/// Jobs waiting for or on a hashing thread. A verification takes tens of
/// milliseconds, so this many is already a wait of seconds: beyond it the portal
/// says it is busy at once rather than let a flood of logins queue without end.
const MOST_WAITING: usize = 64;
static WAITING: WaitingBound = WaitingBound::new(MOST_WAITING);

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes wait already: try again in a moment.
    #[error("the password-hashing queue is full")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<HashError> for AppError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => {
                tracing::warn!("password hashing busy: refused");
                AppError::Unavailable
            }
            HashError::Failed(e) => AppError::Internal(e),
        }
    }
}

/// Run `work` on a hashing thread and wait for it without blocking the runtime.
async fn on_hashing_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
    let Some(place) = WAITING.take() else {
        return Err(HashError::Busy);
    };
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        // A request that gave up (timed out, went away) no longer waits: skip its work.
        if !done.is_closed() {
            let _ = done.send(work());
        }
        drop(place);
    });
    // A job that cannot be sent is dropped with its place.
    HASHING_THREADS.send(job).map_err(|_| anyhow!("no password-hashing thread is running"))?;
    result.await.map_err(|_| anyhow!("a password-hashing thread stopped").into())
}

#[derive(Clone, Default)]
pub struct Hasher;

pub struct Verified {
    pub ok: bool,
    /// The stored hash uses weaker parameters than today's: store a new one.
    pub needs_rehash: bool,
}

impl Hasher {
    pub fn new() -> Self {
        Self
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        Ok(on_hashing_thread(move || hash_now(&password)).await??)
    }

    /// Verify against `stored`, or against the dummy hash when there is no account.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verified, HashError> {
        let verified = on_hashing_thread(move || {
            let known = stored.is_some();
            let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let parsed = PasswordHash::new(&hash).map_err(|e| anyhow!("stored password hash unreadable: {e}"))?;
            let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known;
            anyhow::Ok(Verified { ok, needs_rehash: ok && is_outdated(&parsed) })
        })
        .await??;
        Ok(verified)
    }
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hashing failed: {e}"))
}

fn is_outdated(hash: &PasswordHash<'_>) -> bool {
    let current = Params::default();
    match Params::try_from(hash) {
        Ok(p) => {
            hash.algorithm.as_str() != "argon2id" || p.m_cost() < current.m_cost() || p.t_cost() < current.t_cost()
        }
        Err(_) => true,
    }
}

/// Why a new password is refused, as a catalogue key; `None` when it is acceptable.
/// No composition rules: length, and not one of the easily guessed.
pub fn weakness(password: &str, user_inputs: &[&str]) -> Option<&'static str> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Some("form.password.too_short");
    }
    if chars > MAX_CHARS {
        return Some("form.password.too_long");
    }
    // zxcvbn knows the common-password lists; the first 100 characters are plenty to judge.
    let head: String = password.chars().take(100).collect();
    match zxcvbn::zxcvbn(&head, user_inputs).score() {
        zxcvbn::Score::Zero | zxcvbn::Score::One => Some("form.password.too_common"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn common_and_short_passwords_are_refused_and_passphrases_accepted() {
        assert_eq!(weakness("1234567", &[]), Some("form.password.too_short"));
        for common in ["12345678", "password", "qwertyuiop", "iloveyou1"] {
            assert_eq!(weakness(common, &[]), Some("form.password.too_common"), "{common}");
        }
        assert_eq!(weakness("2021123456", &["2021123456"]), Some("form.password.too_common"));
        assert_eq!(weakness("西区食堂的雨伞真多啊", &[]), None);
        assert_eq!(weakness("tunnel railing 57 dorm", &[]), None);
        assert_eq!(weakness(&"a-long passphrase ".repeat(4), &[]), None);
        assert_eq!(weakness(&"x".repeat(MAX_CHARS + 1), &[]), Some("form.password.too_long"));
    }

    #[tokio::test]
    async fn past_the_queue_bound_hashing_says_busy_at_once_and_gave_up_work_is_skipped() {
        // Fill the queue with jobs that wait for a signal (the threads are the process's own).
        let release = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
        let ran = Arc::new(AtomicUsize::new(0));
        let mut waiting = vec![];
        for _ in 0..MOST_WAITING {
            let (release, ran) = (release.clone(), ran.clone());
            waiting.push(tokio::spawn(on_hashing_thread(move || {
                let (lock, signal) = &*release;
                let mut go = lock.lock().expect("lock");
                while !*go {
                    go = signal.wait(go).expect("wait");
                }
                ran.fetch_add(1, Ordering::SeqCst);
            })));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let refused = on_hashing_thread(|| ()).await;
        assert!(matches!(refused, Err(HashError::Busy)), "the queue is full");
        // Give up on the last ones: their work is not done once they leave.
        for handle in waiting.drain(MOST_WAITING - 4..) {
            handle.abort();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        *release.0.lock().expect("lock") = true;
        release.1.notify_all();
        for handle in waiting {
            handle.await.expect("task").expect("done");
        }
        assert!(ran.load(Ordering::SeqCst) <= MOST_WAITING - 4 + 2, "abandoned work skipped (but what was running)");
        assert!(on_hashing_thread(|| 7).await.is_ok_and(|v| v == 7), "room again");
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() {
        let hash = hash_now("tunnel railing 57 dorm").expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        let parsed = PasswordHash::new(&hash).expect("parse");
        assert!(!is_outdated(&parsed));
    }
}
