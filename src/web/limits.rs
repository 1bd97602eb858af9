//! Rate limits on what costs the portal (or someone else) dearly: registrations and
//! password-reset requests (each hashes a password or sends a mail), complaints
//! filed and photos uploaded. Counted in this process's memory (a token bucket per
//! key, `governor`): with several portal processes each counts its own share, which
//! is enough against abuse. Failed logins are limited separately, in the database
//! (accounts::rate_limit), because there every attempt must count everywhere.

use std::{
    hash::Hash,
    num::NonZeroU32,
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota};

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

/// One kind of limit, keyed by address or user; `None` when unlimited.
pub struct Limiter<K: Hash + Eq + Clone>(Option<DefaultKeyedRateLimiter<K>>);

impl<K: Hash + Eq + Clone> Limiter<K> {
    /// `per_hour` at most in an hour, all of them at once if need be.
    pub fn per_hour(per_hour: u32) -> Self {
        Limiter(NonZeroU32::new(per_hour).map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_hour(n))))
    }

    /// Count `n` for `key` (n = 0 counts nothing), or say when they would fit.
    pub fn check(&self, key: &K, n: u32) -> Result<(), Refused> {
        let (Some(limiter), Some(n)) = (&self.0, NonZeroU32::new(n)) else { return Ok(()) };
        match limiter.check_key_n(key, n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                Err(Refused { retry_after: not_until.wait_time_from(governor::clock::DefaultClock::default().now()) })
            }
            // More at once than the whole hour allows.
            Err(_) => Err(Refused { retry_after: Duration::from_secs(3600) }),
        }
    }

    /// Forget keys whose bucket is full again, so memory does not grow with every address seen.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.0 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
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
    pub fn new(limits: &RateLimits) -> Self {
        let per_number = |per_address: u32| if per_address == 0 { 0 } else { (per_address / 100).max(1) };
        Limiters {
            registrations: DistinctLimiter::per_hour(limits.registrations),
            registrations_by_number: Limiter::per_hour(per_number(limits.registrations)),
            filings: Limiter::per_hour(limits.filings),
            photos: Limiter::per_hour(limits.photos),
            resets_by_address: DistinctLimiter::per_hour(limits.password_resets),
            resets_by_account: Limiter::per_hour(per_number(limits.password_resets)),
            writes: Write::ALL.map(|kind| Limiter::per_hour(limits.writes[kind])),
        }
    }

    /// Count one write of this kind for this user, or say when it would fit.
    pub fn write(&self, kind: Write, user_id: i64) -> Result<(), Refused> {
        self.writes[kind as usize].check(&user_id, 1)
    }

    pub fn forget_idle(&self) {
        self.registrations.forget_idle();
        self.registrations_by_number.forget_idle();
        self.filings.forget_idle();
        self.photos.forget_idle();
        self.resets_by_address.forget_idle();
        self.resets_by_account.forget_idle();
        self.writes.iter().for_each(Limiter::forget_idle);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_hourly_share_and_others_are_not_touched() {
        let limiter: Limiter<&str> = Limiter::per_hour(3);
        for _ in 0..3 {
            assert_eq!(limiter.check(&"a", 1), Ok(()));
        }
        let refused = limiter.check(&"a", 1).expect_err("the fourth in an hour");
        assert!(refused.retry_after > Duration::from_secs(60) && refused.retry_after_secs() <= 20 * 60);
        assert_eq!(limiter.check(&"b", 1), Ok(()), "another key has its own share");
        assert_eq!(limiter.check(&"c", 3), Ok(()), "several at once");
        assert!(limiter.check(&"d", 4).is_err(), "more at once than an hour allows");
        assert_eq!(limiter.check(&"a", 0), Ok(()), "nothing counted");
    }

    #[test]
    fn zero_is_no_limit() {
        let limiter: Limiter<i64> = Limiter::per_hour(0);
        for _ in 0..1000 {
            assert_eq!(limiter.check(&1, 5), Ok(()));
        }
        let all = Limiters::new(&RateLimits::default());
        assert_eq!(all.resets_by_account.check(&"2021".to_string(), 1), Ok(()));
        let some = Limiters::new(&RateLimits { password_resets: 10, ..RateLimits::default() });
        assert_eq!(some.resets_by_account.check(&"2021".to_string(), 1), Ok(()));
        assert!(some.resets_by_account.check(&"2021".to_string(), 1).is_err(), "one an hour for an account");
    }

    #[test]
    fn each_kind_of_write_counts_on_its_own() {
        let mut limits = RateLimits::default();
        limits.writes[Write::Votes] = 2;
        limits.writes[Write::Questions] = 1;
        let all = Limiters::new(&limits);
        assert_eq!(all.write(Write::Votes, 1), Ok(()));
        assert_eq!(all.write(Write::Votes, 1), Ok(()));
        assert!(all.write(Write::Votes, 1).is_err(), "the third vote in an hour");
        assert_eq!(all.write(Write::Votes, 2), Ok(()), "another student");
        assert_eq!(all.write(Write::Questions, 1), Ok(()), "votes do not use up questions");
        assert!(all.write(Write::Questions, 1).is_err());
        for _ in 0..100 {
            assert_eq!(all.write(Write::Supports, 1), Ok(()), "0 is no limit");
        }
    }
}
