//! `CHUNK` samples side by side, and the min and max of them: each one vector instruction.

/// Samples per chunk in the fixed-network loops (one AVX2 register of `u8`).
pub(super) const CHUNK: usize = 32;

/// `CHUNK` samples side by side: each min or max below is one vector instruction.
pub(super) type Chunk = [u8; CHUNK];

/// `CHUNK` samples of `s` from `at` on, by value.
#[inline(always)]
pub(super) fn load(s: &[u8], at: usize) -> Chunk {
    s[at..at + CHUNK].try_into().expect("a whole chunk")
}

#[inline(always)]
pub(super) fn min(a: Chunk, b: Chunk) -> Chunk {
    let mut m = [0; CHUNK];
    for l in 0..CHUNK {
        m[l] = a[l].min(b[l]);
    }
    m
}

#[inline(always)]
pub(super) fn max(a: Chunk, b: Chunk) -> Chunk {
    let mut m = [0; CHUNK];
    for l in 0..CHUNK {
        m[l] = a[l].max(b[l]);
    }
    m
}

/// [`chunks`], writable.
#[inline(always)]
pub(super) fn chunks_mut(s: &mut [u8]) -> &mut [Chunk] {
    s.as_chunks_mut::<CHUNK>().0
}

/// A whole number of chunks as arrays, so that loops over them need no bounds checks.
#[inline(always)]
pub(super) fn chunks(s: &[u8]) -> &[Chunk] {
    s.as_chunks::<CHUNK>().0
}

/// The median of three, lane by lane.
#[inline(always)]
pub(super) fn median3(a: Chunk, b: Chunk, c: Chunk) -> Chunk {
    max(min(a, b), min(max(a, b), c))
}
