//! Locks that outlive a panic: the state they guard is kept consistent by each
//! holder, so a thread that panicked while holding one does not stop the executor;
//! and the shutdown the executors with a table of held runs share.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use common::RunId;
use runs::{Control, Request};

/// Locks `mutex`, poisoned or not.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `condvar` with `guard`, poisoned or not.
pub(crate) fn wait<'a, T>(condvar: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    condvar.wait(guard).unwrap_or_else(PoisonError::into_inner)
}

/// Polls `done` until it holds or `deadline` passes; whether it held.
pub(crate) fn wait_until(deadline: Instant, done: impl Fn() -> bool) -> bool {
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An executor's shutdown: asks every run in `slots` to interrupt and waits until all
/// have left (or `deadline`); the runs that were there.
pub(crate) fn interrupt_all<S>(
    slots: &Mutex<HashMap<RunId, S>>,
    control: impl Fn(&S) -> &Control,
    deadline: Instant,
) -> Vec<RunId> {
    let held: Vec<RunId> = {
        let slots = lock(slots);
        for slot in slots.values() {
            control(slot).set(Request::Interrupt);
        }
        slots.keys().copied().collect()
    };
    // Queued runs drain at once: their trainers see the interruption before they begin.
    wait_until(deadline, || lock(slots).is_empty());
    held
}
