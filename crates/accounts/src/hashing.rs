//! bcrypt hashing with a bound on how many hashes run at once, so a login storm
//! cannot take every core from the rest of the server; closed at shutdown, so the
//! hashes still waiting are dropped instead of drained for minutes.

use std::sync::{Condvar, Mutex};

use crate::error::AccountError;

/// bcrypt at one cost, at most a fixed number of hashes at a time.
pub(crate) struct PasswordHasher {
    cost: u32,
    slots: Mutex<Slots>,
    freed: Condvar,
    /// A real hash of a throw-away password, checked when a login names no user, so
    /// that unknown and known usernames take the same time.
    dummy_hash: String,
}

struct Slots {
    free: usize,
    closed: bool,
}

impl PasswordHasher {
    /// `parallel` hashes may run at once; callers beyond that wait their turn.
    pub(crate) fn new(cost: u32, parallel: usize) -> Result<Self, AccountError> {
        let dummy_hash = bcrypt::hash("netsmith-timing-equaliser", cost)
            .map_err(|e| AccountError::Hashing(e.to_string()))?;
        Ok(Self {
            cost,
            slots: Mutex::new(Slots {
                free: parallel.max(1),
                closed: false,
            }),
            freed: Condvar::new(),
            dummy_hash,
        })
    }

    /// The bcrypt hash of `password`, once a slot is free.
    pub(crate) fn hash(&self, password: &str) -> Result<String, AccountError> {
        self.with_slot(|| bcrypt::hash(password, self.cost))?
            .map_err(|e| AccountError::Hashing(e.to_string()))
    }

    /// Whether `password` matches `hash`; a malformed stored hash never matches.
    pub(crate) fn verify(&self, password: &str, hash: &str) -> Result<bool, AccountError> {
        Ok(self
            .with_slot(|| bcrypt::verify(password, hash))?
            .unwrap_or(false))
    }

    /// Spends the time of one verification without checking anything.
    pub(crate) fn verify_nothing(&self, password: &str) -> Result<(), AccountError> {
        self.verify(password, &self.dummy_hash).map(|_| ())
    }

    /// Refuses every hash not yet begun, those waiting for a slot included, with
    /// [`AccountError::ShuttingDown`]; hashes under way finish.
    pub(crate) fn close(&self) {
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).closed = true;
        self.freed.notify_all();
    }

    fn with_slot<T>(&self, work: impl FnOnce() -> T) -> Result<T, AccountError> {
        {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            while slots.free == 0 && !slots.closed {
                slots = self.freed.wait(slots).unwrap_or_else(|p| p.into_inner());
            }
            if slots.closed {
                return Err(AccountError::ShuttingDown);
            }
            slots.free -= 1;
        }
        let result = work();
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).free += 1;
        self.freed.notify_one();
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_wrong_passwords_do_not() -> Result<(), AccountError> {
        let hasher = PasswordHasher::new(4, 1)?;
        let hash = hasher.hash("s3cret-pass")?;
        assert!(hasher.verify("s3cret-pass", &hash)?);
        assert!(!hasher.verify("other", &hash)?);
        assert!(!hasher.verify("s3cret-pass", "not-a-hash")?);
        Ok(())
    }

    #[test]
    fn a_closed_hasher_refuses_waiting_and_new_work() -> Result<(), AccountError> {
        let hasher = std::sync::Arc::new(PasswordHasher::new(4, 1)?);
        // One hash holds the only slot while another waits for it.
        let (started, proceed) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let holder = {
            let (hasher, started) = (hasher.clone(), started.0);
            std::thread::spawn(move || {
                hasher.with_slot(|| {
                    started.send(()).ok();
                    proceed.1.recv().ok();
                })
            })
        };
        started.1.recv().ok();
        let waiter = {
            let hasher = hasher.clone();
            std::thread::spawn(move || hasher.hash("waiting"))
        };
        hasher.close();
        assert!(matches!(waiter.join(), Ok(Err(AccountError::ShuttingDown))));
        proceed.0.send(()).ok();
        assert!(holder.join().is_ok_and(|r| r.is_ok()), "work under way finishes");
        assert!(matches!(hasher.hash("new"), Err(AccountError::ShuttingDown)));
        Ok(())
    }
}
