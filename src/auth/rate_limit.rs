//! Per-key request budgets (per client address, per account, per user), answering 429
//! with the wait in `Retry-After`. In-process: with several replicas, limits that must hold
//! across all of them belong in the shared layer in front (see docs/scaling.md).

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

pub struct KeyedLimit {
    what: &'static str,
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

impl KeyedLimit {
    /// `per_minute` requests a minute per key, all of which may come at once.
    pub fn per_minute(what: &'static str, per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        Self {
            what,
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            checks: AtomicU64::new(0),
        }
    }

    pub fn check(&self, key: &str) -> Result<(), ApiError> {
        // Forget idle keys now and then, so memory stays bounded by recent traffic.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                ApiError::TooManyRequests {
                    what: self.what,
                    retry_after_secs: wait.as_secs() + 1,
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_budget_waits_while_others_go_on() {
        let limit = KeyedLimit::per_minute("logins", 2);
        assert!(limit.check("a").is_ok());
        assert!(limit.check("a").is_ok());
        match limit.check("a") {
            Err(ApiError::TooManyRequests {
                retry_after_secs, ..
            }) => {
                assert!((1..=31).contains(&retry_after_secs))
            }
            other => panic!("{other:?}"),
        }
        assert!(limit.check("b").is_ok());
    }
}
