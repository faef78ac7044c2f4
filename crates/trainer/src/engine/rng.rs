//! A tiny seeded PRNG (SplitMix64) owned by the session, so initialisation and
//! dropout masks depend only on `config.seed` (never on burn's global device RNG,
//! which concurrent sessions would share) and its state fits in a checkpoint.

/// SplitMix64: one `u64` of state, good statistical quality for masks and init.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The raw state, for checkpoints.
    pub(crate) fn state(self) -> u64 {
        self.state
    }

    /// Restores a generator from [`Rng::state`].
    pub(crate) fn from_state(state: u64) -> Self {
        Self { state }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 bits (every value exactly representable in f32).
    pub(crate) fn next_f32(&mut self) -> f32 {
        // The top 24 bits are the best mixed; 2^-24 keeps the result below 1.
        (self.next_u64() >> 40) as f32 * (1.0 / 16_777_216.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_is_fixed_by_seed_and_state() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        let mut c = Rng::from_state(a.state());
        assert_eq!(a.next_u64(), c.next_u64());
        let x = a.next_f32();
        assert!((0.0..1.0).contains(&x));
    }
}
