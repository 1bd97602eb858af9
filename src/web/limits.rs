//! Rate limits on what costs the portal (or someone else) dearly: registrations and
//! password-reset requests (each hashes a password or sends a mail), complaints
//! filed, photos uploaded and every write a student can repeat. Counted in PostgreSQL
//! (GCRA: one "theoretical arrival time" per key in the UNLOGGED table `rate_limit`,
//! migrations/0050_shared_limits.sql), so that several portal processes give one limit,
//! not one each. Failed logins are limited in the database too (accounts::rate_limit).
//! The per-address counts of distinct student numbers (`DistinctLimiter`) stay in each
//! process's memory: they guard against one address sweeping numbers, which a share
//! per process still stops.

use std::{
    fmt::Display,
    marker::PhantomData,
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::accounts::rate_limit::DistinctLimiter;

/// The hourly limits, from the command line; 0 is no limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct RateLimits {
    /// Distinct student numbers registered from one address (and a hundredth, at least one, for one number).
    pub registrations: u32,
    /// Complaints filed by one student.
    pub filings: u32,
    /// Photos uploaded by one user.
    pub photos: u32,
    /// Distinct student numbers named in reset requests from one address (and a hundredth, at least one, for one number).
    pub password_resets: u32,
    /// Every other write a student can repeat, by kind.
    pub writes: WriteLimits,
}

/// The writes a signed-in student can repeat, besides filing complaints and photos:
/// each kind has its own hourly limit per user, so that no one can flood the
/// handlers' mail, a session's page or the tables by pressing a button in a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// Replying to, reopening or confirming one's own complaint: each mails the
    /// handling department and everyone following.
    ComplaintUpdates,
    /// 同问 on someone else's complaint.
    Supports,
    /// Taking a seat at a reception session, cancelling it, following the session.
    ReceptionSignups,
    /// Questions put to a reception session (its public page lists them).
    Questions,
    /// Votes on reception questions.
    Votes,
    /// Lost reports filed or closed (each filing runs the matching).
    LostReports,
    /// Notification settings: marking all read, mail on or off.
    NotificationSettings,
    /// Applying to an event, withdrawing, confirming; a witness's commitment and reveal.
    EventPresses,
}

impl Write {
    /// The kind's part of its keys in the shared count.
    pub fn name(self) -> &'static str {
        match self {
            Write::ComplaintUpdates => "complaint_updates",
            Write::Supports => "supports",
            Write::ReceptionSignups => "reception_signups",
            Write::Questions => "questions",
            Write::Votes => "votes",
            Write::LostReports => "lost_reports",
            Write::NotificationSettings => "notification_settings",
            Write::EventPresses => "event_presses",
        }
    }

    pub const ALL: [Write; 8] = [
        Write::ComplaintUpdates,
        Write::Supports,
        Write::ReceptionSignups,
        Write::Questions,
        Write::Votes,
        Write::LostReports,
        Write::NotificationSettings,
        Write::EventPresses,
    ];
}

/// One hourly limit per kind of write (0 is none): `limits.writes[Write::Votes] = 100`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteLimits([u32; Write::ALL.len()]);

impl std::ops::Index<Write> for WriteLimits {
    type Output = u32;
    fn index(&self, kind: Write) -> &u32 {
        &self.0[kind as usize]
    }
}

impl std::ops::IndexMut<Write> for WriteLimits {
    fn index_mut(&mut self, kind: Write) -> &mut u32 {
        &mut self.0[kind as usize]
    }
}

/// A limit was reached: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub retry_after: Duration,
}

impl Refused {
    /// For the Retry-After header: whole seconds, at least one.
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs().max(1)
    }
}

/// A form page shown again because a limit was reached: 429 with Retry-After.
pub fn too_many(page: String, refused: Refused) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::warn!(retry_after = refused.retry_after_secs(), "rate limited");
    let retry_after = [(axum::http::header::RETRY_AFTER, refused.retry_after_secs().to_string())];
    (axum::http::StatusCode::TOO_MANY_REQUESTS, retry_after, axum::response::Html(page)).into_response()
}

/// A button pressed once too often (nothing typed to keep): `?` turns the refusal into a 429 page with Retry-After.
impl From<Refused> for crate::error::AppError {
    fn from(refused: Refused) -> Self {
        crate::error::AppError::RateLimited { retry_after_secs: refused.retry_after_secs() }
    }
}

/// One kind of limit, keyed by user or student number, shared by every process.
pub struct Limiter<K: Display> {
    /// Part of every key, so that kinds never share a count.
    name: &'static str,
    per_hour: u32,
    db: PgPool,
    key: PhantomData<fn(&K)>,
}

const HOUR: Duration = Duration::from_secs(3600);

impl<K: Display> Limiter<K> {
    /// `per_hour` at most in an hour, all of them at once if need be (0: no limit).
    pub fn per_hour(db: &PgPool, name: &'static str, per_hour: u32) -> Self {
        Limiter { name, per_hour, db: db.clone(), key: PhantomData }
    }

    /// Count `n` for `key` (n = 0 counts nothing), or say when they would fit.
    ///
    /// When the database does not answer, the request is let through: every limited
    /// action writes to that same database, so it fails there (a 503) rather than here.
    pub async fn check(&self, key: &K, n: u32) -> Result<(), Refused> {
        if self.per_hour == 0 || n == 0 {
            return Ok(());
        }
        if n > self.per_hour {
            // More at once than the whole hour allows.
            return Err(Refused { retry_after: HOUR });
        }
        let cost = HOUR.as_secs_f64() * f64::from(n) / f64::from(self.per_hour);
        let digest = Sha256::digest(format!("{}:{key}", self.name));
        // Twice at most: a statement that finds the key's row made by a request running at the
        // same time cannot read its arrival time (below), and the second sees it committed.
        for _ in 0..2 {
            match take(&self.db, digest.as_slice(), cost, HOUR.as_secs_f64()).await {
                Ok(Taken { granted: true, .. }) => return Ok(()),
                Ok(Taken { wait_secs: Some(wait), .. }) => {
                    return Err(Refused { retry_after: Duration::from_secs_f64(wait.clamp(1.0, HOUR.as_secs_f64())) })
                }
                Ok(Taken { wait_secs: None, .. }) => continue,
                Err(error) => {
                    tracing::warn!(%error, limit = self.name, "a rate limit was not counted: the database did not answer");
                    return Ok(());
                }
            }
        }
        // Refused both times without a time to show: one request's share is the fair guess.
        Err(Refused { retry_after: Duration::from_secs_f64(cost.max(1.0)) })
    }
}

/// What `take` did: granted, or refused with the seconds to wait when the key's row was
/// visible to the statement.
struct Taken {
    granted: bool,
    wait_secs: Option<f64>,
}

/// GCRA in one statement: move the key's arrival time on by `cost` seconds when it stays
/// within `period` of now; else nothing changes. The upsert locks the key's row and re-checks
/// its condition on the committed row, so two processes counting at once count twice.
///
/// The wait is read from the statement's snapshot, taken before the upsert waited for the lock:
/// when the key's first requests arrive at once, the row another one inserted meanwhile is not
/// in it and the wait is null. Reading "null" as "granted" let 23 of forty requests through a
/// limit of ten (CI, stop 45); `granted` says it apart.
/// The key is a SHA-256: the table holds no student number or user id in the clear.
async fn take(db: &PgPool, key: &[u8], cost: f64, period: f64) -> sqlx::Result<Taken> {
    sqlx::query_as!(
        Taken,
        r#"with granted as (
               insert into rate_limit as r (key, tat) values ($1, now() + make_interval(secs => $2))
               on conflict (key) do update set tat = greatest(r.tat, now()) + make_interval(secs => $2)
                   where greatest(r.tat, now()) + make_interval(secs => $2) <= now() + make_interval(secs => $3)
               returning tat
           )
           select exists (select from granted) as "granted!",
                  case when exists (select from granted) then null
                  else (select extract(epoch from greatest(tat, now()) + make_interval(secs => $2 - $3) - now())::float8
                        from rate_limit where key = $1)
                  end as "wait_secs""#,
        key,
        cost,
        period
    )
    .fetch_one(db)
    .await
}

/// Forget keys whose hour has passed: an arrival time in the past counts as a full share.
pub async fn forget_idle(db: &PgPool) -> sqlx::Result<u64> {
    Ok(sqlx::query!("delete from rate_limit where tat < now()").execute(db).await?.rows_affected())
}

/// Every limit of the portal, in `AppState`.
pub struct Limiters {
    /// Per address, counting distinct student numbers (a campus NAT is one address).
    pub registrations: DistinctLimiter,
    pub registrations_by_number: Limiter<String>,
    pub filings: Limiter<i64>,
    pub photos: Limiter<i64>,
    pub resets_by_address: DistinctLimiter,
    pub resets_by_account: Limiter<String>,
    /// Per user, one for each `Write` kind.
    pub writes: [Limiter<i64>; Write::ALL.len()],
}

impl Limiters {
    pub fn new(db: &PgPool, limits: &RateLimits) -> Self {
        let per_number = |per_address: u32| if per_address == 0 { 0 } else { (per_address / 100).max(1) };
        Limiters {
            registrations: DistinctLimiter::per_hour(limits.registrations),
            registrations_by_number: Limiter::per_hour(db, "registrations_by_number", per_number(limits.registrations)),
            filings: Limiter::per_hour(db, "filings", limits.filings),
            photos: Limiter::per_hour(db, "photos", limits.photos),
            resets_by_address: DistinctLimiter::per_hour(limits.password_resets),
            resets_by_account: Limiter::per_hour(db, "resets_by_account", per_number(limits.password_resets)),
            writes: Write::ALL.map(|kind| Limiter::per_hour(db, kind.name(), limits.writes[kind])),
        }
    }

    /// Count one write of this kind for this user, or say when it would fit.
    pub async fn write(&self, kind: Write, user_id: i64) -> Result<(), Refused> {
        self.writes[kind as usize].check(&user_id, 1).await
    }

    /// Forget what the in-memory limits saw; the shared ones are pruned by `forget_idle` above.
    pub fn forget_idle(&self) {
        self.registrations.forget_idle();
        self.resets_by_address.forget_idle();
    }
}

/// A bound on how many requests wait for something scarce (the password-hashing
/// threads, the photo decoders): past it they are told "busy" at once, rather than
/// queue without end, each holding its request in memory.
pub struct WaitingBound {
    waiting: AtomicUsize,
    most: usize,
}

impl WaitingBound {
    pub const fn new(most: usize) -> Self {
        WaitingBound { waiting: AtomicUsize::new(0), most }
    }

    /// A place in the queue, `None` when it is full.
    pub fn take(&'static self) -> Option<WaitingPlace> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.most {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(WaitingPlace(self))
    }
}

/// Given back when dropped: when the work is done, or its request went away meanwhile.
pub struct WaitingPlace(&'static WaitingBound);

impl Drop for WaitingPlace {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}
