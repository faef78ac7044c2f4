//! Bilinear resizing, bit for bit `cv2.resize(INTER_LINEAR)` in fixed point.

use super::rounding::{ROUND_MAGIC, floor_i32};
use crate::image::Image;

/// OpenCV's `INTER_RESIZE_COEF_BITS`: the bilinear weights are in 1/2048 steps.
const COEF_SCALE: f32 = 2048.0;

/// Resized to `width` x `height` (`height` 0: keep the aspect ratio), bilinear with
/// pixel centres at +0.5, like `cv2.resize(img, (width, height), interpolation=INTER_LINEAR)`.
///
/// Bit for bit OpenCV's fixed-point algorithm: 11-bit weights per column and row,
/// a horizontal pass into `i32` (kept as `u16` after OpenCV's `>> 4`), and the vertical
/// blend `((h0 * b0) >> 16) + ((h1 * b1) >> 16) + 2) >> 2` of its SIMD kernel. An exact
/// halving (the benchmark's case) takes a shortcut that gives the same numbers:
/// `(a + b + c + d + 2) >> 2` of each 2x2 block.
pub fn resize(image: &Image, width: u32, height: u32) -> Image {
    let (sw, sh) = (image.width as usize, image.height as usize);
    let height = if height == 0 {
        if sw == 0 {
            1
        } else {
            ((f64::from(width) * sh as f64 / sw as f64).round() as u32).max(1)
        }
    } else {
        height
    };
    let mut out = Image::new(width, height, image.channels);
    if sw == 0 || sh == 0 || width == 0 || height == 0 {
        return out;
    }
    let (dw, dh) = (width as usize, height as usize);
    match image.channels {
        1 => resize_cn::<1>(&image.data, sw, sh, &mut out.data, dw, dh),
        2 => resize_cn::<2>(&image.data, sw, sh, &mut out.data, dw, dh),
        3 => resize_cn::<3>(&image.data, sw, sh, &mut out.data, dw, dh),
        _ => resize_cn::<4>(&image.data, sw, sh, &mut out.data, dw, dh),
    }
    out
}

/// For one destination column or row: the first source index, unclamped, and the
/// fraction, as OpenCV computes them (`(float)((d + 0.5) * scale - 0.5)`).
fn source_position(d: usize, scale: f64) -> (i64, f32) {
    let f = ((d as f64 + 0.5) * scale - 0.5) as f32;
    let s = floor_i32(f);
    (i64::from(s), f - s as f32)
}

/// `saturate_cast<short>(w * 2048)`: rounded half to even.
fn coefficient(w: f32) -> i32 {
    ((w * COEF_SCALE + ROUND_MAGIC) - ROUND_MAGIC) as i32
}

/// One destination column of the horizontal pass: the offset of the left pixel's first
/// sample in the source row and the two weights.
#[derive(Clone, Copy)]
struct Tap {
    offset: usize,
    a0: i32,
    a1: i32,
}

fn resize_cn<const CN: usize>(src: &[u8], sw: usize, sh: usize, out: &mut [u8], dw: usize, dh: usize) {
    let (sstride, dstride) = (sw * CN, dw * CN);
    if sw == 2 * dw && sh == 2 * dh {
        halve::<CN>(src, sstride, out, dstride);
        return;
    }
    let scale_x = 1.0 / (dw as f64 / sw as f64);
    let scale_y = 1.0 / (dh as f64 / sh as f64);
    let taps: Vec<Tap> = (0..dw)
        .map(|dx| {
            let (mut sx, mut fx) = source_position(dx, scale_x);
            if sx < 0 {
                (sx, fx) = (0, 0.0);
            }
            if sx >= sw as i64 - 1 {
                (sx, fx) = (sw as i64 - 1, 0.0);
            }
            let (mut a0, mut a1) = (coefficient(1.0 - fx), coefficient(fx));
            let mut sx = sx as usize;
            // Keep both taps inside the row: the last pixel (weight 1) becomes the
            // right tap of the pixel before it (weight 0); same sum.
            if sx + 1 >= sw && sw >= 2 {
                sx = sw - 2;
                (a0, a1) = (a1, a0);
            }
            Tap {
                offset: sx * CN,
                a0,
                a1,
            }
        })
        .collect();

    // Two horizontally resized source rows (`>> 4`, as OpenCV's SIMD vertical pass
    // takes them), reused while consecutive destination rows share source rows.
    let mut rows = [vec![0u16; dstride], vec![0u16; dstride]];
    let mut held: [Option<usize>; 2] = [None, None];
    for (dy, orow) in out.chunks_exact_mut(dstride).enumerate() {
        let (sy, fy) = source_position(dy, scale_y);
        let (b0, b1) = (coefficient(1.0 - fy) as u16, coefficient(fy) as u16);
        let r0 = sy.clamp(0, sh as i64 - 1) as usize;
        let r1 = (sy + 1).clamp(0, sh as i64 - 1) as usize;
        if held[0] != Some(r0) {
            if held[1] == Some(r0) {
                rows.swap(0, 1);
                held.swap(0, 1);
            } else {
                horizontal::<CN>(&src[r0 * sstride..(r0 + 1) * sstride], &taps, &mut rows[0]);
                held[0] = Some(r0);
            }
        }
        if held[1] != Some(r1) {
            horizontal::<CN>(&src[r1 * sstride..(r1 + 1) * sstride], &taps, &mut rows[1]);
            held[1] = Some(r1);
        }
        vertical(&rows[0], &rows[1], b0, b1, orow);
    }
}

/// One source row resampled horizontally: `(p0 * a0 + p1 * a1) >> 4` per sample.
fn horizontal<const CN: usize>(row: &[u8], taps: &[Tap], out: &mut [u16]) {
    if row.len() < 2 * CN {
        // A one-pixel-wide source: every tap is that pixel with weight 2048.
        for o in out.chunks_exact_mut(CN) {
            for (o, &p) in o.iter_mut().zip(row) {
                *o = u16::from(p) << 7;
            }
        }
        return;
    }
    let last = row.len() - 2 * CN;
    for (o, tap) in out.chunks_exact_mut(CN).zip(taps) {
        // `min` is a no-op (taps are built inside the row); it proves the bound.
        let start = tap.offset.min(last);
        let pair = &row[start..start + 2 * CN];
        for c in 0..CN {
            let v = i32::from(pair[c]) * tap.a0 + i32::from(pair[c + CN]) * tap.a1;
            o[c] = (v >> 4) as u16;
        }
    }
}

/// OpenCV's `VResizeLinearVec_32s8u`: `mulhi` products, `+ 2 >> 2`, saturated to u8.
/// Every value is non-negative, so unsigned `u16` lanes (`pmulhuw`, which the compiler
/// finds where it misses the signed form) give the same numbers.
fn vertical(h0: &[u16], h1: &[u16], b0: u16, b1: u16, out: &mut [u8]) {
    let mulhi = |a: u16, b: u16| ((u32::from(a) * u32::from(b)) >> 16) as u16;
    for ((o, &a), &b) in out.iter_mut().zip(h0).zip(h1) {
        let v = mulhi(a, b0) + mulhi(b, b1);
        *o = ((v + 2) >> 2).min(255) as u8;
    }
}

/// Exact halving: the mean of each 2x2 block, `(a + b + c + d + 2) >> 2`, which is what
/// the bilinear weights (1024 each) give through OpenCV's fixed-point passes too.
///
/// Per destination row, the mean of every sample with the one a pixel to its right, in
/// byte lanes; then every other pixel of that is kept.
fn halve<const CN: usize>(src: &[u8], sstride: usize, out: &mut [u8], dstride: usize) {
    let mut means = vec![0u8; sstride];
    let n = sstride - CN;
    for (orow, pair) in out.chunks_exact_mut(dstride).zip(src.chunks_exact(2 * sstride)) {
        let (top, bottom) = pair.split_at(sstride);
        let (top, top_right, bottom, bottom_right) = (&top[..n], &top[CN..], &bottom[..n], &bottom[CN..]);
        for ((((m, &a), &b), &c), &d) in means[..n]
            .iter_mut()
            .zip(top)
            .zip(top_right)
            .zip(bottom)
            .zip(bottom_right)
        {
            *m = mean4(a, b, c, d);
        }
        for (o, m) in orow.chunks_exact_mut(CN).zip(means.chunks_exact(2 * CN)) {
            o.copy_from_slice(&m[..CN]);
        }
    }
}

/// `(a + b + 1) >> 1`: SSE2's `pavgb`.
#[inline(always)]
fn average(a: u8, b: u8) -> u8 {
    ((u16::from(a) + u16::from(b) + 1) >> 1) as u8
}

/// `(a + b + c + d + 2) >> 2` without leaving byte lanes: the average of the two
/// averages rounds up once too often exactly when `a + b` or `c + d` is odd (it was
/// rounded up) and the two averages' sum is odd (rounded up again).
#[inline(always)]
pub(super) fn mean4(a: u8, b: u8, c: u8, d: u8) -> u8 {
    let (x, y) = (average(a, b), average(c, d));
    average(x, y) - (((a ^ b) | (c ^ d)) & (x ^ y) & 1)
}
