//! Failed-login throttling with django-allauth's default limits: 5 failures per login
//! name in 5 minutes, 10 per client address in a minute. Only failures count, and an
//! attempt refused by the throttle is not a failure, so one person hammering one
//! account stops at 5 and cannot lock out others behind the same address.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::RepoError;
use crate::repository::{FailureScope, LoginFailureRepo};

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

/// Seconds until a key with these failure `times` (oldest first, all within `span`
/// of `now`) may try again, if it has used up `limit` of them.
fn wait(times: &[DateTime<Utc>], limit: usize, span: Duration, now: DateTime<Utc>) -> Option<u64> {
    if limit == 0 || times.len() < limit {
        return None;
    }
    let oldest = times[times.len() - limit];
    let age = (now - oldest).to_std().unwrap_or_default();
    let left = span.saturating_sub(age);
    Some(left.as_secs_f64().ceil().max(1.0) as u64)
}

fn since(now: DateTime<Utc>, span: Duration) -> DateTime<Utc> {
    now - TimeDelta::from_std(span).unwrap_or(TimeDelta::MAX)
}

/// Failed logins per login name and per client address, within their windows, counted
/// in the repository so every server replica sharing it sees the same counts.
pub(crate) struct LoginThrottle {
    limits: ThrottleLimits,
}

impl LoginThrottle {
    pub(crate) fn new(limits: ThrottleLimits) -> Self {
        Self { limits }
    }

    /// `Ok(Err(seconds))` when this login name or address must wait before trying again.
    pub(crate) fn check(
        &self,
        repo: &impl LoginFailureRepo,
        login: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<(), u64>, RepoError> {
        let l = self.limits;
        let login = login.to_lowercase();
        let by_login = repo.login_failures(FailureScope::Login, &login, since(now, l.login_window))?;
        let by_address = repo.login_failures(FailureScope::Address, address, since(now, l.address_window))?;
        let wait_login = wait(&by_login, l.failures_per_login, l.login_window, now);
        let wait_address = wait(&by_address, l.failures_per_address, l.address_window, now);
        Ok(match wait_login.max(wait_address) {
            Some(seconds) => Err(seconds),
            None => Ok(()),
        })
    }

    /// Counts a failed attempt against both the login name and the address.
    pub(crate) fn record_failure(
        &self,
        repo: &impl LoginFailureRepo,
        login: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let l = self.limits;
        // Failures older than the longer window can never count again.
        let forget_before = since(now, l.login_window.max(l.address_window));
        repo.record_login_failure(FailureScope::Login, &login.to_lowercase(), now, forget_before)?;
        repo.record_login_failure(FailureScope::Address, address, now, forget_before)
    }

    /// A successful login wipes the name's failures, as allauth does.
    pub(crate) fn clear_login(&self, repo: &impl LoginFailureRepo, login: &str) -> Result<(), RepoError> {
        repo.clear_login_failures(FailureScope::Login, &login.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Failures in memory, as the database keeps them.
    #[derive(Default)]
    struct Failures(Mutex<Vec<(FailureScope, String, DateTime<Utc>)>>);

    impl LoginFailureRepo for Failures {
        fn record_login_failure(
            &self,
            scope: FailureScope,
            key: &str,
            at: DateTime<Utc>,
            forget_before: DateTime<Utc>,
        ) -> Result<(), RepoError> {
            let mut all = self.0.lock().expect("lock");
            all.retain(|(_, _, t)| *t >= forget_before);
            all.push((scope, key.to_owned(), at));
            Ok(())
        }

        fn login_failures(
            &self,
            scope: FailureScope,
            key: &str,
            since: DateTime<Utc>,
        ) -> Result<Vec<DateTime<Utc>>, RepoError> {
            let all = self.0.lock().expect("lock");
            Ok(all
                .iter()
                .filter(|(s, k, t)| *s == scope && k == key && *t > since)
                .map(|(_, _, t)| *t)
                .collect())
        }

        fn clear_login_failures(&self, scope: FailureScope, key: &str) -> Result<(), RepoError> {
            self.0
                .lock()
                .expect("lock")
                .retain(|(s, k, _)| !(*s == scope && k == key));
            Ok(())
        }
    }

    fn after(start: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        start + TimeDelta::seconds(seconds)
    }

    #[test]
    fn five_failures_for_a_name_block_it_for_five_minutes() {
        let (t, repo) = (LoginThrottle::new(ThrottleLimits::default()), Failures::default());
        let start = Utc::now();
        for i in 0..5 {
            let address = format!("10.0.0.{i}");
            assert_eq!(t.check(&repo, "Bob", &address, start).expect("check"), Ok(()));
            t.record_failure(&repo, "Bob", &address, start).expect("record");
        }
        assert_eq!(t.check(&repo, "bob", "10.0.0.9", start).expect("check"), Err(300));
        assert_eq!(
            t.check(&repo, "bob", "10.0.0.9", after(start, 299))
                .expect("check"),
            Err(1)
        );
        assert_eq!(
            t.check(&repo, "bob", "10.0.0.9", after(start, 300))
                .expect("check"),
            Ok(())
        );
        assert_eq!(t.check(&repo, "alice", "10.0.0.1", start).expect("check"), Ok(()));
    }

    #[test]
    fn ten_failures_from_an_address_block_it_for_a_minute() {
        let (t, repo) = (LoginThrottle::new(ThrottleLimits::default()), Failures::default());
        let start = Utc::now();
        for i in 0..10 {
            t.record_failure(&repo, &format!("user{i}"), "192.0.2.1", start)
                .expect("record");
        }
        assert_eq!(
            t.check(&repo, "someone", "192.0.2.1", start).expect("check"),
            Err(60)
        );
        assert_eq!(
            t.check(&repo, "someone", "192.0.2.2", start).expect("check"),
            Ok(())
        );
        assert_eq!(
            t.check(&repo, "someone", "192.0.2.1", after(start, 60))
                .expect("check"),
            Ok(())
        );
    }

    #[test]
    fn success_clears_the_name_but_not_the_address() {
        let limits = ThrottleLimits {
            failures_per_address: 5,
            ..ThrottleLimits::default()
        };
        let (t, repo) = (LoginThrottle::new(limits), Failures::default());
        let now = Utc::now();
        for _ in 0..4 {
            t.record_failure(&repo, "carol", "a", now).expect("record");
        }
        t.clear_login(&repo, "Carol").expect("clear");
        t.record_failure(&repo, "carol", "a", now).expect("record");
        assert_eq!(t.check(&repo, "carol", "b", now).expect("check"), Ok(()));
        assert_eq!(t.check(&repo, "dave", "a", now).expect("check"), Err(60));
    }

    #[test]
    fn old_failures_are_forgotten_when_new_ones_are_recorded() {
        let (t, repo) = (LoginThrottle::new(ThrottleLimits::default()), Failures::default());
        let start = Utc::now();
        t.record_failure(&repo, "erin", "c", start).expect("record");
        t.record_failure(&repo, "frank", "d", after(start, 301))
            .expect("record");
        assert_eq!(
            repo.0.lock().expect("lock").len(),
            2,
            "erin's two records are gone"
        );
    }
}
