//! The seeded train/test split.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Sample indices for training and for testing, each in shuffled order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Indices of the training samples.
    pub train: Vec<usize>,
    /// Indices of the test samples.
    pub test: Vec<usize>,
}

/// Shuffles `0..samples` with `StdRng::seed_from_u64(seed)`; the first
/// `round(samples * ratio)` (clamped to `[1, samples - 1]` when `samples >= 2`) train,
/// the rest test. `ratio` outside `[0, 1]` (or NaN) is clamped like any other.
pub fn split(samples: usize, ratio: f64, seed: u64) -> Split {
    let mut indices: Vec<usize> = (0..samples).collect();
    indices.shuffle(&mut StdRng::seed_from_u64(seed));
    let wanted = (samples as f64 * ratio).round();
    // `as` saturates (NaN -> 0), then the clamp keeps both sides non-empty.
    let train = if samples >= 2 {
        (wanted as usize).clamp(1, samples - 1)
    } else {
        samples
    };
    let test = indices.split_off(train);
    Split { train: indices, test }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_arguments_same_split() {
        let a = split(1797, 0.8, 42);
        assert_eq!(a, split(1797, 0.8, 42));
        assert_ne!(a, split(1797, 0.8, 43));
        assert_eq!((a.train.len(), a.test.len()), (1438, 359));
        // Both lists keep the shuffled order: a prefix and the rest of one shuffle.
        let b = split(1797, 0.5, 42);
        assert_eq!(a.train[..899], b.train[..]);
    }

    #[test]
    fn the_two_sides_partition_the_samples() {
        let s = split(150, 0.7, 7);
        assert_eq!((s.train.len(), s.test.len()), (105, 45));
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..150).collect::<Vec<_>>());
        assert_ne!(s.train, (0..105).collect::<Vec<_>>(), "shuffled");
    }

    #[test]
    fn sizes_are_clamped() {
        for (n, ratio, train) in [
            (10, 0.0, 1),
            (10, 1.0, 9),
            (10, 0.04, 1),
            (10, f64::NAN, 1),
            (2, 0.5, 1),
            (10, 0.25, 3),
            (10, 0.75, 8),
        ] {
            let s = split(n, ratio, 1);
            assert_eq!((s.train.len(), s.test.len()), (train, n - train), "{n} {ratio}");
        }
        assert_eq!(
            split(1, 0.8, 1),
            Split {
                train: vec![0],
                test: vec![]
            }
        );
        assert_eq!(
            split(0, 0.8, 1),
            Split {
                train: vec![],
                test: vec![]
            }
        );
    }
}
