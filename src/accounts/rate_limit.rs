//! Login throttling: about ten failures in three minutes per account or per
//! address. An attacker cannot lock a real user out: the account limit applies
//! only to addresses that have themselves failed on that account, so the right
//! password from another address still works. A campus NAT shares one address
//! among many students, so the address limit is wider.

pub const WINDOW_SECS: f64 = 180.0;
pub const PER_ACCOUNT: i64 = 10;
pub const PER_ADDRESS: i64 = 30;

pub fn is_limited(f: &super::queries::RecentFailures) -> bool {
    f.from_address >= PER_ADDRESS
        || f.on_account_from_address >= PER_ACCOUNT
        || (f.on_account >= PER_ACCOUNT && f.on_account_from_address > 0)
}

#[cfg(test)]
mod tests {
    use super::{super::queries::RecentFailures, *};

    fn f(from_address: i64, on_account: i64, on_account_from_address: i64) -> RecentFailures {
        RecentFailures { from_address, on_account, on_account_from_address }
    }

    #[test]
    fn limits_hold_per_account_and_per_address_but_spare_clean_addresses() {
        assert!(!is_limited(&f(9, 9, 9)));
        assert!(is_limited(&f(10, 10, 10)));
        assert!(is_limited(&f(30, 0, 0)));
        assert!(is_limited(&f(3, 40, 1)));
        assert!(!is_limited(&f(0, 40, 0)), "a clean address may still try the account");
    }
}
