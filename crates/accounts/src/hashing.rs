//! bcrypt hashing with a bound on how many hashes run at once, so a login storm
//! cannot take every core from the rest of the server.

use std::sync::{Condvar, Mutex};

use crate::error::AccountError;

/// bcrypt at one cost, at most a fixed number of hashes at a time.
pub(crate) struct PasswordHasher {
    cost: u32,
    slots: Mutex<usize>,
    freed: Condvar,
    /// A real hash of a throw-away password, checked when a login names no user, so
    /// that unknown and known usernames take the same time.
    dummy_hash: String,
}

impl PasswordHasher {
    /// `parallel` hashes may run at once; callers beyond that wait their turn.
    pub(crate) fn new(cost: u32, parallel: usize) -> Result<Self, AccountError> {
        let dummy_hash = bcrypt::hash("netsmith-timing-equaliser", cost)
            .map_err(|e| AccountError::Hashing(e.to_string()))?;
        Ok(Self {
            cost,
            slots: Mutex::new(parallel.max(1)),
            freed: Condvar::new(),
            dummy_hash,
        })
    }

    /// The bcrypt hash of `password`, once a slot is free.
    pub(crate) fn hash(&self, password: &str) -> Result<String, AccountError> {
        self.with_slot(|| bcrypt::hash(password, self.cost))
            .map_err(|e| AccountError::Hashing(e.to_string()))
    }

    /// Whether `password` matches `hash`; a malformed stored hash never matches.
    pub(crate) fn verify(&self, password: &str, hash: &str) -> bool {
        self.with_slot(|| bcrypt::verify(password, hash)).unwrap_or(false)
    }

    /// Spends the time of one verification without checking anything.
    pub(crate) fn verify_nothing(&self, password: &str) {
        let _ = self.verify(password, &self.dummy_hash);
    }

    fn with_slot<T>(&self, work: impl FnOnce() -> T) -> T {
        {
            let mut free = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            while *free == 0 {
                free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
            }
            *free -= 1;
        }
        let result = work();
        *self.slots.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.freed.notify_one();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_wrong_passwords_do_not() -> Result<(), AccountError> {
        let hasher = PasswordHasher::new(4, 1)?;
        let hash = hasher.hash("s3cret-pass")?;
        assert!(hasher.verify("s3cret-pass", &hash));
        assert!(!hasher.verify("other", &hash));
        assert!(!hasher.verify("s3cret-pass", "not-a-hash"));
        Ok(())
    }
}
