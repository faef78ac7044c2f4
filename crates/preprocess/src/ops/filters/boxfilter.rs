//! Mean (box) filter, as `cv2.blur(img, (width, height))`: the window is anchored at
//! `(width / 2, height / 2)`, the border is BORDER_REFLECT_101, and the sum is divided
//! and rounded exactly as this OpenCV build does for 8-bit images (checked against it
//! for every window from 1x1 to 20x20 and a sample up to 99x99):
//!
//! - area 1: a copy;
//! - area a power of two up to 256: `(sum + area / 2 + 1) >> log2(area)`, saturated
//!   (OpenCV's 16-bit fixed-point divisor rounds these a hair up);
//! - any other area up to 256: the sum divided by the area, halves rounded up;
//! - area over 256: `sum * (float)(1 / area)` rounded to nearest, ties to even.
//!
//! Work per sample is constant whatever the window: a running vertical sum per column
//! (one add and one subtract per sample and row), then horizontal sums of the padded
//! column sums built by doubling (sums of 2, 4, 8, ... columns), then the division.

use super::border::{Border, fill_border};
use crate::image::Image;
use crate::simd::simd_kernel;

/// Accumulator lane: `u16` when the window sum cannot exceed 65535 (area <= 256), else
/// `u32`. Arithmetic wraps; the true sums always fit, so wrapping is exact.
trait Lane: Copy + Default {
    fn from_u16(v: u16) -> Self;
    fn add(self, other: Self) -> Self;
    fn sub(self, other: Self) -> Self;
}

impl Lane for u16 {
    #[inline(always)]
    fn from_u16(v: u16) -> Self {
        v
    }
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    #[inline(always)]
    fn sub(self, other: Self) -> Self {
        self.wrapping_sub(other)
    }
}

impl Lane for u32 {
    #[inline(always)]
    fn from_u16(v: u16) -> Self {
        v as u32
    }
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    #[inline(always)]
    fn sub(self, other: Self) -> Self {
        self.wrapping_sub(other)
    }
}

pub(super) fn mean(image: &Image, width: u32, height: u32) -> Image {
    let (w, h) = (width.max(1) as usize, height.max(1) as usize);
    if w * h == 1 || image.data.is_empty() {
        return image.clone();
    }
    if w * h <= 256 {
        mean_small(image, w, h)
    } else {
        mean_large(image, w, h)
    }
}

simd_kernel! {
    fn mean_small(image: &Image, w: usize, h: usize) -> Image = mean_small_kernel;
}

simd_kernel! {
    fn mean_large(image: &Image, w: usize, h: usize) -> Image = mean_large_kernel;
}

#[inline(always)]
fn mean_small_kernel(image: &Image, w: usize, h: usize) -> Image {
    box_rows::<u16, _>(image, w, h, &SmallDivisor::new(w * h))
}

#[inline(always)]
fn mean_large_kernel(image: &Image, w: usize, h: usize) -> Image {
    box_rows::<u32, _>(image, w, h, &LargeScale((1.0f64 / (w * h) as f64) as f32))
}

/// Samples per chunk of the horizontal pass.
const LANES: usize = 32;

/// `LANES` values of `s` from `at` on, by value.
#[inline(always)]
fn load<T: Copy>(s: &[T], at: usize) -> [T; LANES] {
    s[at..at + LANES].try_into().expect("a whole chunk")
}

/// Turns window sums into output samples.
trait Finish<T> {
    fn finish(&self, sums: [T; LANES]) -> [u8; LANES];
}

/// `sum * scale` rounded to nearest, ties to even, as OpenCV's 32-bit sum path.
struct LargeScale(f32);

impl Finish<u32> for LargeScale {
    #[inline(always)]
    fn finish(&self, sums: [u32; LANES]) -> [u8; LANES] {
        let mut out = [0; LANES];
        for (o, s) in out.iter_mut().zip(sums) {
            *o = super::round_to_u8(s as f32 * self.0);
        }
        out
    }
}

/// `(sum + offset) / area`, truncating, in 16-bit lanes, from a multiply-high.
///
/// With `m = ceil(65536 / area)` and `e = m * area - 65536`, `(n * m) >> 16` is exactly
/// `n / area` while `n * e < 65536` (for every n up to 255 * area + offset): so for
/// small windows (3x3 among them) and powers of two from 4 on. Otherwise the
/// multiply-high by `floor(65536 / area)` gives the quotient or one less, and a compare
/// corrects it.
struct SmallDivisor {
    area: u16,
    offset: u16,
    reciprocal: u16,
    exact: bool,
}

impl SmallDivisor {
    fn new(area: usize) -> Self {
        let offset = area / 2 + usize::from(area.is_power_of_two());
        let largest = 255 * area + offset;
        let up = 65536usize.div_ceil(area);
        // Exact, and the quotient at most 255 (area 2 can round 510 up to 256).
        let exact = area > 2 && largest * (up * area - 65536) < 65536;
        let reciprocal = if exact { up } else { 65536 / area };
        Self {
            area: area as u16,
            offset: offset as u16,
            reciprocal: reciprocal as u16,
            exact,
        }
    }
}

impl Finish<u16> for SmallDivisor {
    #[inline(always)]
    fn finish(&self, sums: [u16; LANES]) -> [u8; LANES] {
        let mut out = [0; LANES];
        if self.exact {
            for (o, s) in out.iter_mut().zip(sums) {
                *o = self.exact_quotient(s);
            }
        } else {
            for (o, s) in out.iter_mut().zip(sums) {
                *o = self.corrected_quotient(s);
            }
        }
        out
    }
}

impl SmallDivisor {
    #[inline(always)]
    fn exact_quotient(&self, sum: u16) -> u8 {
        // At most 255 (see `new`): a plain narrowing, which keeps this a `pmulhuw`.
        ((sum.wrapping_add(self.offset) as u32 * self.reciprocal as u32) >> 16) as u8
    }

    #[inline(always)]
    fn corrected_quotient(&self, sum: u16) -> u8 {
        let n = sum.wrapping_add(self.offset);
        let q = ((n as u32 * self.reciprocal as u32) >> 16) as u16;
        let r = n.wrapping_sub(q.wrapping_mul(self.area));
        (q + u16::from(r >= self.area)).min(255) as u8
    }
}

/// The separable box sums of every row, turned into output by `finish`.
#[inline(always)]
fn box_rows<T: Lane, F: Finish<T>>(image: &Image, w: usize, h: usize, finish: &F) -> Image {
    let c = image.channels as usize;
    let (iw, ih) = (image.width as usize, image.height as usize);
    let n = iw * c;
    let (ax, ay) = (w / 2, h / 2);
    let row_of = |i: isize| &image.row(Border::Reflect101.index(i, ih) as u32)[..n];

    // Column sums with `ax` pixels of border before and `w - 1 - ax` after, and slack
    // so that whole chunks can be read.
    let padded = n + (w - 1) * c;
    let chunks = n.div_ceil(LANES);
    let mut columns = vec![T::default(); chunks * LANES + (w - 1) * c];
    let middle = ax * c;
    for k in 0..h {
        let row = row_of(k as isize - ay as isize);
        for (s, &v) in columns[middle..middle + n].iter_mut().zip(row) {
            *s = s.add(T::from_u16(v as u16));
        }
    }
    let mut wide = (w > 4).then(|| WindowSums::new(columns.len(), w, c));
    let mut out_row = vec![0u8; chunks * LANES];
    let mut out = Vec::with_capacity(n * ih);
    for y in 0..ih {
        if y > 0 {
            let top = y as isize - ay as isize;
            let (enter, leave) = (row_of(top + h as isize - 1), row_of(top - 1));
            for ((s, &e), &l) in columns[middle..middle + n].iter_mut().zip(enter).zip(leave) {
                *s = s.add(T::from_u16(e as u16)).sub(T::from_u16(l as u16));
            }
        }
        fill_border(&mut columns[..padded], c, ax, iw, Border::Reflect101);
        // Each row goes through a small buffer: one large copy into the output is
        // cheaper than many small stores into memory not yet in the cache.
        let width = chunks * LANES;
        let o = out_row.as_chunks_mut::<LANES>().0;
        let shifted = |k: usize| columns[k * c..k * c + width].as_chunks::<LANES>().0;
        match (w, &mut wide) {
            (_, Some(window)) => {
                window.prepare(&columns);
                for (base, o) in (0..n).step_by(LANES).zip(o) {
                    *o = finish.finish(window.sums_at(&columns, base));
                }
            }
            (1, None) => direct(finish, [shifted(0)], o),
            (2, None) => direct(finish, [shifted(0), shifted(1)], o),
            (3, None) => direct(finish, [shifted(0), shifted(1), shifted(2)], o),
            (_, None) => direct(finish, [shifted(0), shifted(1), shifted(2), shifted(3)], o),
        }
        out.extend_from_slice(&out_row[..n]);
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data: out,
    }
}

/// Narrow windows: the sum of the `W` rows of chunks (the column sums seen from 0, 1,
/// ... pixels on), finished. All rows have `out.len()` chunks, so LLVM drops the bounds
/// checks.
#[inline(always)]
fn direct<T: Lane, F: Finish<T>, const W: usize>(
    finish: &F,
    rows: [&[[T; LANES]]; W],
    out: &mut [[u8; LANES]],
) {
    for (i, o) in out.iter_mut().enumerate() {
        let mut sums = rows[0][i];
        for row in &rows[1..] {
            for (s, &x) in sums.iter_mut().zip(&row[i]) {
                *s = s.add(x);
            }
        }
        *o = finish.finish(sums);
    }
}

/// Sums of `w` (more than 4) consecutive pixels (same channel) along a padded row, from
/// sums of 2, 4, 8, ... pixels: one pass per power of two up to `w`, then one term per
/// bit of `w`.
struct WindowSums<T> {
    w: usize,
    channels: usize,
    /// `powers[k][i]`: the sum of `2 << k` pixels from sample `i` on.
    powers: Vec<Vec<T>>,
}

impl<T: Lane> WindowSums<T> {
    fn new(len: usize, w: usize, channels: usize) -> Self {
        let levels = w.ilog2() as usize;
        Self {
            w,
            channels,
            powers: (0..levels).map(|_| vec![T::default(); len]).collect(),
        }
    }

    /// Computes the sums of powers of two along `row`.
    #[inline(always)]
    fn prepare(&mut self, row: &[T]) {
        let (c, len) = (self.channels, row.len());
        let mut previous: &[T] = row;
        for (k, level) in self.powers.iter_mut().enumerate() {
            // Valid on its first len - ((2 << k) - 1) * c samples.
            let half = (1 << k) * c;
            let valid = len - ((2 << k) - 1) * c;
            let (a, b) = (&previous[..valid], &previous[half..half + valid]);
            for ((o, &x), &y) in level[..valid].iter_mut().zip(a).zip(b) {
                *o = x.add(y);
            }
            previous = level;
        }
    }

    /// The window sums of `LANES` samples from `base` on.
    #[inline(always)]
    fn sums_at(&self, row: &[T], base: usize) -> [T; LANES] {
        let c = self.channels;
        let mut sums = [T::default(); LANES];
        // The bits of w from the highest: a run of 2^k pixels, then the next ones.
        let mut offset = 0;
        for k in (0..=self.powers.len()).rev() {
            if self.w & (1 << k) == 0 {
                continue;
            }
            let source: &[T] = if k == 0 { row } else { &self.powers[k - 1] };
            for (s, x) in sums.iter_mut().zip(load(source, base + offset * c)) {
                *s = s.add(x);
            }
            offset += 1 << k;
        }
        sums
    }
}
