//! Lookup tables: every sample of a channel through its own 256-entry table.

use super::{CHUNK, with_samples};
use crate::image::Image;
use crate::simd::simd_kernel;

/// Every colour sample through `lut`; alpha copied.
pub(super) fn map_colour(image: &Image, lut: &[u8; 256]) -> Image {
    let mut luts = [identity_lut(); 4];
    for l in luts.iter_mut().take(image.color_channels() as usize) {
        *l = *lut;
    }
    with_samples(
        image,
        image.channels,
        per_channel_luts(&image.data, image.channels as usize, &luts),
    )
}

/// The table that changes nothing (for alpha, and channels left as they are).
pub(super) fn identity_lut() -> [u8; 256] {
    std::array::from_fn(|i| i as u8)
}

simd_kernel! {
    /// Sample `c` of every pixel through `luts[c]`.
    pub(super) fn per_channel_luts(data: &[u8], channels: usize, luts: &[[u8; 256]; 4]) -> Vec<u8>
        = per_channel_luts_kernel;
}

#[inline(always)]
pub(super) fn per_channel_luts_kernel(data: &[u8], channels: usize, luts: &[[u8; 256]; 4]) -> Vec<u8> {
    match channels {
        1 => per_channel_luts_of::<1>(data, luts),
        2 => per_channel_luts_of::<2>(data, luts),
        3 => per_channel_luts_of::<3>(data, luts),
        _ => per_channel_luts_of::<4>(data, luts),
    }
}

#[inline(always)]
fn per_channel_luts_of<const S: usize>(data: &[u8], luts: &[[u8; 256]; 4]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut buf = [0u8; CHUNK * 4];
    let buf = &mut buf[..CHUNK * S];
    for block in data.chunks(CHUNK * S) {
        for (o, p) in buf.chunks_exact_mut(S).zip(block.chunks_exact(S)) {
            for c in 0..S {
                o[c] = luts[c][usize::from(p[c])];
            }
        }
        out.extend_from_slice(&buf[..block.len()]);
    }
    out
}
