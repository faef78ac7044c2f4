//! Gray levels (BT.601, as OpenCV) and the binary threshold of them.

use super::{CHUNK, with_samples};
use crate::image::Image;
use crate::simd::simd_kernel;

/// OpenCV 5's `COLOR_BGR2GRAY` (and `RGBA2GRAY`) for 8-bit samples: BT.601 weights in
/// 15-bit fixed point, `(R*9798 + G*19235 + B*3735 + 2^14) >> 15`. (These weights sum to
/// 2^15, so white stays 255; the golden script checks OpenCV still computes exactly this.)
#[inline(always)]
fn gray(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 9798 + u32::from(g) * 19235 + u32::from(b) * 3735 + (1 << 14)) >> 15) as u8
}

/// BT.601 gray exactly as OpenCV's `cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)` computes it
/// (our samples are RGB): 1 channel from RGB, gray + alpha from RGBA; gray and
/// gray + alpha inputs are returned unchanged.
pub fn grayscale(image: &Image) -> Image {
    match image.channels {
        3 | 4 => {
            let channels = image.channels - 2;
            with_samples(
                image,
                channels,
                gray_threshold(&image.data, image.channels as usize, None),
            )
        }
        _ => image.clone(),
    }
}

/// Gray (as [`grayscale`]), then OpenCV's `cv2.threshold(gray, threshold, max_value,
/// cv2.THRESH_BINARY)`: `max_value` where the gray level is above `threshold`, else 0.
/// One channel out, or gray + the original alpha.
pub fn threshold(image: &Image, threshold: u8, max_value: u8) -> Image {
    let channels = if image.has_alpha() { 2 } else { 1 };
    let binary = Some((threshold, max_value));
    with_samples(
        image,
        channels,
        gray_threshold(&image.data, image.channels as usize, binary),
    )
}

simd_kernel! {
    /// Gray (+ alpha) of every pixel, or with `Some((t, max))` its binary threshold.
    pub(super) fn gray_threshold(src: &[u8], channels: usize, binary: Option<(u8, u8)>) -> Vec<u8>
        = gray_threshold_kernel;
}

#[inline(always)]
pub(super) fn gray_threshold_kernel(src: &[u8], channels: usize, binary: Option<(u8, u8)>) -> Vec<u8> {
    match binary {
        None => gray_map::<false>(src, channels, 0, 0),
        Some((t, max)) => gray_map::<true>(src, channels, t, max),
    }
}

/// `g`, or with `BINARY` its threshold: `max` above `t`, else 0.
#[inline(always)]
fn binarise<const BINARY: bool>(g: u8, t: u8, max: u8) -> u8 {
    if !BINARY {
        g
    } else if g > t {
        max
    } else {
        0
    }
}

/// Gray from `channels`-sample pixels (1 to 4), alpha kept, through [`binarise`].
#[inline(always)]
fn gray_map<const BINARY: bool>(src: &[u8], channels: usize, t: u8, max: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len() / channels.max(1) * (2 - channels % 2));
    let mut buf = [0u8; CHUNK];
    match channels {
        1 => {
            for block in src.chunks(CHUNK) {
                for (o, &g) in buf.iter_mut().zip(block) {
                    *o = binarise::<BINARY>(g, t, max);
                }
                out.extend_from_slice(&buf[..block.len()]);
            }
        }
        2 => {
            for block in src.chunks(CHUNK) {
                for (o, p) in buf.chunks_exact_mut(2).zip(block.chunks_exact(2)) {
                    o[0] = binarise::<BINARY>(p[0], t, max);
                    o[1] = p[1];
                }
                out.extend_from_slice(&buf[..block.len()]);
            }
        }
        3 => {
            for block in src.chunks(3 * CHUNK) {
                for (o, p) in buf.iter_mut().zip(block.chunks_exact(3)) {
                    *o = binarise::<BINARY>(gray(p[0], p[1], p[2]), t, max);
                }
                out.extend_from_slice(&buf[..block.len() / 3]);
            }
        }
        _ => {
            for block in src.chunks(2 * CHUNK) {
                for (o, p) in buf.chunks_exact_mut(2).zip(block.chunks_exact(4)) {
                    o[0] = binarise::<BINARY>(gray(p[0], p[1], p[2]), t, max);
                    o[1] = p[3];
                }
                out.extend_from_slice(&buf[..block.len() / 2]);
            }
        }
    }
    out
}
