//! Per-user limits on work in progress (uploads being received, preprocessing jobs):
//! one person cannot take every connection or blocking thread; past the limit a
//! request is a 429 with `Retry-After`, and nothing was started.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use common::UserId;

use crate::error::ApiError;

/// Seconds a refused client is told to wait.
const RETRY_AFTER: u64 = 5;

/// At most `limit` at once per user (0: no limit).
pub struct PerUserLimit {
    limit: usize,
    message: &'static str,
    code: &'static str,
    busy: Mutex<HashMap<UserId, usize>>,
}

impl PerUserLimit {
    /// `message` says what there are too many of.
    pub fn new(limit: usize, message: &'static str, code: &'static str) -> Arc<Self> {
        Arc::new(Self {
            limit,
            message,
            code,
            busy: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more of `user`'s, held until dropped, or the 429.
    pub fn enter(self: &Arc<Self>, user: UserId) -> Result<Slot, ApiError> {
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        let count = busy.entry(user).or_insert(0);
        if self.limit > 0 && *count >= self.limit {
            return Err(ApiError::busy(
                format!("{} Try again in {RETRY_AFTER} seconds.", self.message),
                RETRY_AFTER,
                self.code,
            ));
        }
        *count += 1;
        Ok(Slot {
            limits: self.clone(),
            user,
        })
    }
}

/// One piece of a user's work in progress.
pub struct Slot {
    limits: Arc<PerUserLimit>,
    user: UserId,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut busy = self.limits.busy.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = busy.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                busy.remove(&self.user);
            }
        }
    }
}

/// The limits of the settings.
pub struct UserLimits {
    pub uploads: Arc<PerUserLimit>,
    pub preprocessing: Arc<PerUserLimit>,
}

#[cfg(test)]
mod tests {
    use common::UserId;

    use super::PerUserLimit;

    #[test]
    fn each_user_has_the_limit_and_a_place_comes_back_when_dropped() {
        let limit = PerUserLimit::new(2, "Too many.", "too_many_uploads");
        let first = limit.enter(UserId(1)).expect("first");
        let _second = limit.enter(UserId(1)).expect("second");
        let refused = limit.enter(UserId(1)).err().expect("a third is refused");
        assert_eq!(actix_web::ResponseError::status_code(&refused).as_u16(), 429);
        let _other = limit.enter(UserId(2)).expect("another user has their own");
        drop(first);
        let _again = limit.enter(UserId(1)).expect("a place came back");
        let unlimited = PerUserLimit::new(0, "Too many.", "x");
        let held: Vec<_> = (0..100)
            .map(|_| unlimited.enter(UserId(1)).expect("no limit"))
            .collect();
        assert_eq!(held.len(), 100);
    }
}
