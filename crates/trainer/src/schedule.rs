//! Which training samples make up step `k`'s mini-batch: each epoch is a shuffle of the
//! training split seeded by (seed, epoch), cut into consecutive batches (the last one
//! may be smaller). The batch of a step depends on nothing but the step, so a run
//! resumed from a checkpoint continues with exactly the batches it would have had.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// The batch plan of one run.
#[derive(Debug, Clone)]
pub struct Schedule {
    train: Vec<usize>,
    batch: usize,
    seed: u64,
    epoch: Option<(u64, Vec<usize>)>,
}

impl Schedule {
    /// `train` = indices of the training split; `batch` ≥ 1.
    pub fn new(train: Vec<usize>, batch: usize, seed: u64) -> Self {
        Self {
            train,
            batch: batch.max(1),
            seed,
            epoch: None,
        }
    }

    fn batches_per_epoch(&self) -> u64 {
        self.train.len().div_ceil(self.batch).max(1) as u64
    }

    /// The sample indices of step `step` (0-based).
    pub fn batch(&mut self, step: u64) -> &[usize] {
        let per_epoch = self.batches_per_epoch();
        let (epoch, position) = (step / per_epoch, (step % per_epoch) as usize);
        if self.epoch.as_ref().is_none_or(|(e, _)| *e != epoch) {
            let mut order = self.train.clone();
            let mixed = self.seed ^ epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            order.shuffle(&mut StdRng::seed_from_u64(mixed));
            self.epoch = Some((epoch, order));
        }
        let order = self.epoch.as_ref().map_or(&[][..], |(_, o)| o.as_slice());
        let start = (position * self.batch).min(order.len());
        let end = (start + self.batch).min(order.len());
        &order[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::Schedule;

    #[test]
    fn every_epoch_covers_the_split_once_and_steps_are_reproducible() {
        let train: Vec<usize> = (0..10).collect();
        let mut schedule = Schedule::new(train.clone(), 4, 7);
        let mut seen: Vec<usize> = (0..3).flat_map(|s| schedule.batch(s).to_vec()).collect();
        seen.sort_unstable();
        assert_eq!(seen, train);
        assert_eq!(schedule.batch(2).len(), 2);
        let later = schedule.batch(5).to_vec();
        let mut fresh = Schedule::new(train, 4, 7);
        assert_eq!(fresh.batch(5), later.as_slice());
        assert_ne!(fresh.batch(0).to_vec(), fresh.batch(3).to_vec());
    }
}
