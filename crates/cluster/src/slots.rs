//! How many runs train at once on this machine, whatever trains them (the built-in
//! engine's threads, worker processes, torchrun): each run holds a slot while it
//! trains, and waits for one before.

use std::sync::{Arc, Condvar, Mutex};

use crate::sync::{lock, wait};

/// The machine's training slots; shared by the executors that train here.
#[derive(Debug)]
pub struct TrainingSlots {
    free: Mutex<usize>,
    freed: Condvar,
}

/// A slot held; given back when dropped.
#[derive(Debug)]
pub struct SlotHeld(Arc<TrainingSlots>);

impl TrainingSlots {
    /// `count` slots (at least one).
    pub fn new(count: usize) -> Arc<Self> {
        Arc::new(Self {
            free: Mutex::new(count.max(1)),
            freed: Condvar::new(),
        })
    }

    /// Waits for a free slot and holds it.
    pub fn take(self: &Arc<Self>) -> SlotHeld {
        let mut free = lock(&self.free);
        while *free == 0 {
            free = wait(&self.freed, free);
        }
        *free -= 1;
        SlotHeld(self.clone())
    }
}

impl Drop for SlotHeld {
    fn drop(&mut self) {
        *lock(&self.0.free) += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn no_more_than_the_slots_are_held_at_once() {
        let slots = TrainingSlots::new(2);
        let busy = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let (slots, busy, most) = (slots.clone(), busy.clone(), most.clone());
                std::thread::spawn(move || {
                    let _slot = slots.take();
                    let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    busy.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("thread");
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
