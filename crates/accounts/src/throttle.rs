//! Failed-login throttling with django-allauth's default limits: 5 failures per login
//! name in 5 minutes, 10 per client address in a minute. Only failures count, and an
//! attempt refused by the throttle is not a failure, so one person hammering one
//! account stops at 5 and cannot lock out others behind the same address.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many failed logins are allowed before further attempts must wait. The default
/// is allauth's: 5 per login name in 5 minutes, 10 per client address in 1 minute.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    /// Failures for one login name (compared ignoring case) within `login_window`.
    pub failures_per_login: usize,
    /// How long a login name's failures count.
    pub login_window: Duration,
    /// Failures from one client address within `address_window`.
    pub failures_per_address: usize,
    /// How long an address's failures count.
    pub address_window: Duration,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self {
            failures_per_login: 5,
            login_window: Duration::from_secs(300),
            failures_per_address: 10,
            address_window: Duration::from_secs(60),
        }
    }
}

/// Recent failure times per key, trimmed to their window on each use.
#[derive(Default)]
struct Window {
    failures: HashMap<String, VecDeque<Instant>>,
}

impl Window {
    /// Seconds until `key` may try again, if it has used up `limit` within `span`.
    fn wait(&mut self, key: &str, limit: usize, span: Duration, now: Instant) -> Option<u64> {
        let times = self.failures.get_mut(key)?;
        while times.front().is_some_and(|t| now.duration_since(*t) >= span) {
            times.pop_front();
        }
        if times.is_empty() {
            self.failures.remove(key);
            return None;
        }
        if times.len() < limit {
            return None;
        }
        let oldest = times[times.len() - limit];
        let left = span.saturating_sub(now.duration_since(oldest));
        Some(left.as_secs_f64().ceil().max(1.0) as u64)
    }

    fn record(&mut self, key: &str, now: Instant, span: Duration) {
        // Keys whose failures have all aged out are dropped, so the map stays small.
        if self.failures.len() > 10_000 {
            self.failures
                .retain(|_, t| t.back().is_some_and(|last| now.duration_since(*last) < span));
        }
        self.failures.entry(key.to_owned()).or_default().push_back(now);
    }
}

/// Failed logins per login name and per client address, within their windows.
pub(crate) struct LoginThrottle {
    limits: ThrottleLimits,
    by_login: Mutex<Window>,
    by_address: Mutex<Window>,
}

impl LoginThrottle {
    pub(crate) fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            by_login: Mutex::default(),
            by_address: Mutex::default(),
        }
    }

    /// `Err(seconds)` when this login name or address must wait before trying again.
    pub(crate) fn check(&self, login: &str, address: &str, now: Instant) -> Result<(), u64> {
        let l = self.limits;
        let by_login =
            lock(&self.by_login).wait(&login.to_lowercase(), l.failures_per_login, l.login_window, now);
        let by_address = lock(&self.by_address).wait(address, l.failures_per_address, l.address_window, now);
        match by_login.max(by_address) {
            Some(seconds) => Err(seconds),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against both the login name and the address.
    pub(crate) fn record_failure(&self, login: &str, address: &str, now: Instant) {
        lock(&self.by_login).record(&login.to_lowercase(), now, self.limits.login_window);
        lock(&self.by_address).record(address, now, self.limits.address_window);
    }

    /// A successful login wipes the name's failures, as allauth does.
    pub(crate) fn clear_login(&self, login: &str) {
        lock(&self.by_login).failures.remove(&login.to_lowercase());
    }
}

fn lock(window: &Mutex<Window>) -> std::sync::MutexGuard<'_, Window> {
    window.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_for_a_name_block_it_for_five_minutes() {
        let t = LoginThrottle::new(ThrottleLimits::default());
        let start = Instant::now();
        for i in 0..5 {
            assert!(t.check("Bob", &format!("10.0.0.{i}"), start).is_ok());
            t.record_failure("Bob", &format!("10.0.0.{i}"), start);
        }
        assert_eq!(t.check("bob", "10.0.0.9", start), Err(300));
        assert_eq!(
            t.check("bob", "10.0.0.9", start + Duration::from_secs(299)),
            Err(1)
        );
        assert!(
            t.check("bob", "10.0.0.9", start + Duration::from_secs(300))
                .is_ok()
        );
        assert!(t.check("alice", "10.0.0.1", start).is_ok());
    }

    #[test]
    fn ten_failures_from_an_address_block_it_for_a_minute() {
        let t = LoginThrottle::new(ThrottleLimits::default());
        let start = Instant::now();
        for i in 0..10 {
            t.record_failure(&format!("user{i}"), "192.0.2.1", start);
        }
        assert_eq!(t.check("someone", "192.0.2.1", start), Err(60));
        assert!(t.check("someone", "192.0.2.2", start).is_ok());
        assert!(
            t.check("someone", "192.0.2.1", start + Duration::from_secs(60))
                .is_ok()
        );
    }

    #[test]
    fn success_clears_the_name() {
        let t = LoginThrottle::new(ThrottleLimits::default());
        let now = Instant::now();
        for _ in 0..4 {
            t.record_failure("carol", "a", now);
        }
        t.clear_login("carol");
        t.record_failure("carol", "a", now);
        assert!(t.check("carol", "b", now).is_ok());
    }
}
