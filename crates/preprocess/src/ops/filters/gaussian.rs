//! Gaussian blur, as `cv2.GaussianBlur(img, (size, size), sigma)` on 8-bit images:
//! BORDER_REFLECT_101 and OpenCV's bit-exact fixed-point path (`GaussianBlurFixedPoint`).
//! Sizes are odd (even ones are rounded up).
//!
//! OpenCV builds the 1-D kernel in double precision (sigma 0 means
//! `0.15 * size + 0.35`, and sizes up to 9 with sigma 0 use fixed binomial-like
//! kernels), turns it into 8-bit fractions with error diffusion so that they sum to
//! exactly 256, filters rows into 16-bit fixed point and then columns into 32-bit, and
//! rounds once at the end: `(sum + 2^15) >> 16`. All of that is integer arithmetic
//! without intermediate rounding, so it is reproduced exactly here: a horizontal pass
//! per input row into a ring of `u16` rows (taps paired, the kernel being symmetric),
//! then a vertical pass over the ring in `u32` lanes.

use super::border::{Border, pad_row};
use crate::image::Image;
use crate::simd::simd_kernel;

pub(super) fn gaussian(image: &Image, size: u32, sigma: f32) -> Image {
    let n = (size.clamp(1, 255) | 1) as usize;
    let kernel = fixed_point_kernel(n, sigma as f64);
    if image.data.is_empty() || kernel.len() == 1 {
        return image.clone();
    }
    gaussian_fixed(image, &kernel)
}

/// OpenCV's `getGaussianKernel` values as its bit-exact path computes them.
fn kernel_weights(n: usize, sigma: f64) -> Vec<f64> {
    if sigma.is_nan() || sigma <= 0.0 {
        let fixed: &[f64] = match n {
            1 => &[1.0],
            3 => &[0.25, 0.5, 0.25],
            5 => &[0.0625, 0.25, 0.375, 0.25, 0.0625],
            7 => &[0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
            9 => &[4.0, 13.0, 30.0, 51.0, 60.0, 51.0, 30.0, 13.0, 4.0].map(|v| v / 256.0),
            _ => &[],
        };
        if !fixed.is_empty() {
            return fixed.to_vec();
        }
    }
    let sigma = if sigma > 0.0 {
        sigma
    } else {
        (n as f64).mul_add(0.15, 0.35)
    };
    // x runs in half steps (x = 2i - (n - 1)), hence 0.25 in the exponent's scale.
    let scale = -0.5 * 0.25 / (sigma * sigma);
    let half = (n - 1) / 2;
    let values: Vec<f64> = (0..half)
        .map(|i| {
            let x = 2 * i as i64 + 1 - n as i64;
            ((x * x) as f64 * scale).exp()
        })
        .collect();
    let sum = values.iter().sum::<f64>() * 2.0 + 1.0;
    let mul = 1.0 / sum;
    let mut kernel = vec![mul; n];
    for (i, v) in values.iter().enumerate() {
        kernel[i] = v * mul;
        kernel[n - 1 - i] = kernel[i];
    }
    kernel
}

/// The kernel in 1/256ths, rounded with error diffusion from the outside in and the
/// centre taking what is left (OpenCV's `getGaussianKernelFixedPoint_ED`); zero taps at
/// the ends are dropped (they add nothing).
pub(super) fn fixed_point_kernel(n: usize, sigma: f64) -> Vec<u16> {
    let weights = kernel_weights(n, sigma);
    let half = n / 2;
    let mut kernel = vec![0u16; n];
    let mut error = 0.0;
    let mut sum = 0i64;
    for i in 0..half {
        let adjusted = weights[i] * 256.0 + error;
        let v = adjusted.round_ties_even();
        error = adjusted - v;
        let v = v.max(0.0) as i64;
        kernel[i] = v as u16;
        kernel[n - 1 - i] = v as u16;
        sum += v;
    }
    kernel[half] = (256 - 2 * sum).clamp(0, 256) as u16;
    let zeros = kernel.iter().take_while(|&&k| k == 0).count().min(half);
    kernel[zeros..n - zeros].to_vec()
}

simd_kernel! {
    fn gaussian_fixed(image: &Image, kernel: &[u16]) -> Image = gaussian_kernel;
}

/// Lanes per chunk: 32 `u16` in the horizontal pass, 16 `u32` in the vertical one.
const H_CHUNK: usize = 32;
const V_CHUNK: usize = 16;

#[inline(always)]
fn gaussian_kernel(image: &Image, kernel: &[u16]) -> Image {
    let c = image.channels as usize;
    let (iw, ih) = (image.width as usize, image.height as usize);
    let n = iw * c;
    let taps = kernel.len();
    let r = taps / 2;
    let width = n.div_ceil(H_CHUNK) * H_CHUNK;
    // An input row with r pixels of border each side, and slack for whole chunks.
    let mut padded = vec![0u8; width + (taps - 1) * c];
    // Horizontally filtered rows; input row i lives in slot i % taps. The rows one
    // output row needs are a run of at most `taps` consecutive input rows, so they
    // never share a slot.
    let mut ring = vec![0u16; taps * width];
    let mut held = vec![usize::MAX; taps];
    let mut slots = vec![0usize; taps];
    let mut out_row = vec![0u8; width];
    let mut out = Vec::with_capacity(n * ih);
    for y in 0..ih {
        for (j, slot) in slots.iter_mut().enumerate() {
            let source = Border::Reflect101.index(y as isize + j as isize - r as isize, ih);
            *slot = source % taps;
            if held[*slot] != source {
                pad_row(
                    image.row(source as u32),
                    c,
                    r,
                    Border::Reflect101,
                    &mut padded[..n + (taps - 1) * c],
                );
                horizontal(&padded, c, kernel, &mut ring[*slot * width..(*slot + 1) * width]);
                held[*slot] = source;
            }
        }
        vertical(&ring, width, &slots, kernel, &mut out_row);
        out.extend_from_slice(&out_row[..n]);
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data: out,
    }
}

/// `out[i] = sum_j kernel[j] * padded[i + j * c]` in 16 bits (exact: at most 255 * 256).
#[inline(always)]
fn horizontal(padded: &[u8], c: usize, kernel: &[u16], out: &mut [u16]) {
    let taps = kernel.len();
    let r = taps / 2;
    for (chunk, o) in out.chunks_exact_mut(H_CHUNK).enumerate() {
        let base = chunk * H_CHUNK;
        let at =
            |j: usize| -> &[u8; H_CHUNK] { padded[base + j * c..][..H_CHUNK].try_into().expect("chunk") };
        let mut acc = [0u16; H_CHUNK];
        let (k, centre) = (kernel[r], at(r));
        for (a, &x) in acc.iter_mut().zip(centre) {
            *a = k * x as u16;
        }
        for (j, &k) in kernel[..r].iter().enumerate() {
            let (left, right) = (at(j), at(taps - 1 - j));
            for ((a, &x), &y) in acc.iter_mut().zip(left).zip(right) {
                *a = a.wrapping_add(k.wrapping_mul(x as u16 + y as u16));
            }
        }
        o.copy_from_slice(&acc);
    }
}

/// `out[i] = (sum_j kernel[j] * row_j[i] + 2^15) >> 16` over the ring rows in `slots`.
#[inline(always)]
fn vertical(ring: &[u16], width: usize, slots: &[usize], kernel: &[u16], out: &mut [u8]) {
    let taps = kernel.len();
    let r = taps / 2;
    for (chunk, o) in out.chunks_exact_mut(V_CHUNK).enumerate() {
        let base = chunk * V_CHUNK;
        let at = |j: usize| -> &[u16; V_CHUNK] {
            ring[slots[j] * width + base..][..V_CHUNK]
                .try_into()
                .expect("chunk")
        };
        let mut acc = [0u32; V_CHUNK];
        let (k, centre) = (kernel[r] as u32, at(r));
        for (a, &x) in acc.iter_mut().zip(centre) {
            *a = k * x as u32;
        }
        for (j, &k) in kernel[..r].iter().enumerate() {
            let (top, bottom) = (at(j), at(taps - 1 - j));
            for ((a, &x), &y) in acc.iter_mut().zip(top).zip(bottom) {
                *a += k as u32 * (x as u32 + y as u32);
            }
        }
        for (o, &a) in o.iter_mut().zip(&acc) {
            *o = ((a + (1 << 15)) >> 16) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_match_opencv() {
        // From cv2's fixed-point kernels (checked against cv2.GaussianBlur outputs).
        assert_eq!(fixed_point_kernel(3, 0.0), [64, 128, 64]);
        assert_eq!(fixed_point_kernel(9, 0.0), [4, 13, 30, 51, 60, 51, 30, 13, 4]);
        assert_eq!(
            fixed_point_kernel(11, 0.0),
            [2, 7, 17, 31, 45, 52, 45, 31, 17, 7, 2]
        );
        assert_eq!(
            fixed_point_kernel(13, 2.0),
            [1, 2, 7, 16, 31, 45, 52, 45, 31, 16, 7, 2, 1]
        );
        assert_eq!(
            fixed_point_kernel(13, 0.0),
            [1, 5, 10, 19, 30, 41, 44, 41, 30, 19, 10, 5, 1]
        );
        assert_eq!(fixed_point_kernel(5, 1.0), [14, 62, 104, 62, 14]);
        assert_eq!(fixed_point_kernel(3, 0.5), [27, 202, 27]);
        assert_eq!(fixed_point_kernel(15, 0.01), [256]);
        for (n, sigma) in [(99, 50.0), (99, 1.0), (31, 0.0), (51, 7.0)] {
            let k = fixed_point_kernel(n, sigma);
            assert_eq!(k.iter().map(|&v| v as u32).sum::<u32>(), 256, "{n} {sigma}");
        }
    }
}
