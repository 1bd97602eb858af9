//! Slowing down password guessing, and the per-address limits of the forms that
//! name a student number (registration, reset requests).
//!
//! Logins follow OWASP's device cookies: a browser that has logged in to an account
//! carries a random token for it (`portal_device`). With it, the right password works
//! whatever its address did; its failures count against that cookie alone (ten in
//! three minutes, then it is treated like any other browser). Browsers without one
//! are "untrusted" and limited by address and by account. A dormitory NAT puts
//! thousands of students behind one address, so the address limit counts the
//! distinct accounts that failed from it, not raw failures (with a wide raw cap),
//! and a student's own browser is never caught by it. An attacker guessing one
//! account gets ten tries in three minutes from an address, and once an account has
//! ten failures anywhere every address that failed on it waits too; an address that
//! never failed on it (the owner elsewhere) still gets in.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    hash::{BuildHasher, RandomState},
    sync::Mutex,
    time::{Duration, Instant},
};

use crate::web::limits::Refused;

pub const WINDOW_SECS: f64 = 180.0;
/// Failures on one account from one address (or, once it has this many anywhere, from any that failed on it).
pub const PER_ACCOUNT: i64 = 10;
/// Failures with one device cookie on its account before it counts as untrusted.
pub const PER_DEVICE: i64 = 10;
/// Distinct accounts failed from one address by untrusted browsers.
pub const ACCOUNTS_PER_ADDRESS: i64 = 50;
/// Raw failures from one address by untrusted browsers.
pub const FAILURES_PER_ADDRESS: i64 = 300;
/// How long a device cookie lasts, and how long its trust lasts unused.
pub const DEVICE_DAYS: u64 = 365;

/// Failed attempts in the window, before this one.
pub struct RecentFailures {
    /// Untrusted failures from this address, on any account.
    pub from_address: i64,
    /// Distinct accounts with untrusted failures from this address.
    pub accounts_from_address: i64,
    /// Untrusted failures on this account, from any address.
    pub on_account: i64,
    /// Untrusted failures on this account from this address.
    pub on_account_from_address: i64,
    /// Failures on this account with this browser's device cookie (0 without one).
    pub on_device: i64,
}

/// A browser with a valid device cookie for the account, not itself over its limit.
pub fn is_trusted(f: &RecentFailures, has_device: bool) -> bool {
    has_device && f.on_device < PER_DEVICE
}

/// The limits of a browser without (a usable) device cookie.
pub fn untrusted_is_limited(f: &RecentFailures) -> bool {
    f.accounts_from_address >= ACCOUNTS_PER_ADDRESS
        || f.from_address >= FAILURES_PER_ADDRESS
        || f.on_account_from_address >= PER_ACCOUNT
        || (f.on_account >= PER_ACCOUNT && f.on_account_from_address > 0)
}

/// An hourly limit per address on the distinct student numbers its requests name, with
/// a raw cap on the requests themselves (three times as many): a campus NAT may send
/// hundreds of students' requests, but one visitor repeating a number uses one share.
/// Counted in this process's memory, like `web::limits::Limiter`.
pub struct DistinctLimiter {
    distinct: usize,
    raw: usize,
    hasher: RandomState,
    seen: Mutex<HashMap<String, VecDeque<(Instant, u64)>>>,
}

const HOUR: Duration = Duration::from_secs(3600);

impl DistinctLimiter {
    /// `distinct` numbers an hour per address (0: no limit).
    pub fn per_hour(distinct: u32) -> Self {
        let distinct = distinct as usize;
        DistinctLimiter {
            distinct,
            raw: distinct.saturating_mul(3),
            hasher: RandomState::new(),
            seen: Mutex::default(),
        }
    }

    /// Count a request from `address` naming `number`, or say when it would fit.
    pub fn check(&self, address: &str, number: &str) -> Result<(), Refused> {
        if self.distinct == 0 {
            return Ok(());
        }
        let now = Instant::now();
        // Kept as a keyed hash: the numbers themselves need not sit in memory.
        let number = self.hasher.hash_one(number);
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entries = seen.entry(address.to_string()).or_default();
        while entries.front().is_some_and(|(at, _)| now.duration_since(*at) >= HOUR) {
            entries.pop_front();
        }
        let refused = || {
            let oldest = entries.front().map_or(now, |(at, _)| *at);
            Err(Refused { retry_after: HOUR.saturating_sub(now.duration_since(oldest)) })
        };
        if entries.len() >= self.raw {
            return refused();
        }
        let numbers: HashSet<u64> = entries.iter().map(|(_, n)| *n).collect();
        if !numbers.contains(&number) && numbers.len() >= self.distinct {
            return refused();
        }
        entries.push_back((now, number));
        Ok(())
    }

    /// Forget addresses with nothing in the last hour.
    pub fn forget_idle(&self) {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        seen.retain(|_, entries| entries.back().is_some_and(|(at, _)| now.duration_since(*at) < HOUR));
        seen.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(accounts: i64, on_account: i64, on_account_from_address: i64, on_device: i64) -> RecentFailures {
        RecentFailures {
            from_address: accounts.max(on_account_from_address),
            accounts_from_address: accounts,
            on_account,
            on_account_from_address,
            on_device,
        }
    }

    #[test]
    fn untrusted_limits_hold_per_account_and_per_address_but_spare_clean_addresses() {
        assert!(!untrusted_is_limited(&f(9, 9, 9, 0)));
        assert!(untrusted_is_limited(&f(1, 10, 10, 0)));
        assert!(!untrusted_is_limited(&f(49, 0, 0, 0)), "a NAT with many students failing once");
        assert!(untrusted_is_limited(&f(50, 0, 0, 0)));
        assert!(untrusted_is_limited(&RecentFailures { from_address: 300, ..f(5, 0, 0, 0) }));
        assert!(untrusted_is_limited(&f(3, 40, 1, 0)));
        assert!(!untrusted_is_limited(&f(0, 40, 0, 0)), "a clean address may still try the account");
    }

    #[test]
    fn a_device_cookie_is_trusted_until_its_own_failures_reach_the_limit() {
        assert!(is_trusted(&f(500, 500, 500, 9), true));
        assert!(!is_trusted(&f(0, 0, 0, 10), true));
        assert!(!is_trusted(&f(0, 0, 0, 0), false));
    }

    #[test]
    fn an_address_may_name_so_many_distinct_numbers_and_repeat_them_up_to_the_raw_cap() {
        let limiter = DistinctLimiter::per_hour(2);
        assert_eq!(limiter.check("a", "1"), Ok(()));
        assert_eq!(limiter.check("a", "2"), Ok(()));
        let refused = limiter.check("a", "3").expect_err("a third number");
        assert!(refused.retry_after > Duration::from_secs(3500));
        assert_eq!(limiter.check("b", "3"), Ok(()), "another address has its own share");
        for _ in 0..4 {
            assert_eq!(limiter.check("a", "1"), Ok(()), "a number already named");
        }
        assert!(limiter.check("a", "1").is_err(), "six requests: the raw cap");
        assert_eq!(DistinctLimiter::per_hour(0).check("a", "9"), Ok(()), "0 is no limit");
        limiter.forget_idle();
        assert!(limiter.check("a", "1").is_err(), "recent entries are kept");
    }
}
