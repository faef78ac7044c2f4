//! Sharpening, as `cv2.filter2D(img, -1, k)` with the float kernel
//! `k = [[0, -a, 0], [-a, 1 + 4a, -a], [0, -a, 0]]` and its default BORDER_REFLECT_101.
//!
//! Per sample: the four neighbours are summed exactly in 16 bits, then
//! `(1 + 4a) * centre - a * neighbours` in `f32`, rounded to nearest (ties to even)
//! and saturated, like OpenCV's `saturate_cast<uchar>` of its float sum. Whole amounts
//! (1, the default, among them) take an all-integer path with the same results. Where `a` is a
//! short binary fraction (1, 0.5, 0.25, 2, ...) every step is exact and the result is
//! OpenCV's bit for bit; otherwise OpenCV's own float rounding (it sums the five
//! products in another order) can differ by 1 where the exact value is a hair from a
//! half.

use super::border::{Border, pad_row};
use crate::image::Image;
use crate::simd::simd_kernel;

pub(super) fn sharpen(image: &Image, amount: f32) -> Image {
    if image.data.is_empty() || amount == 0.0 || !amount.is_finite() {
        return image.clone();
    }
    sharpen_rows(image, amount)
}

simd_kernel! {
    fn sharpen_rows(image: &Image, amount: f32) -> Image = sharpen_kernel;
}

#[inline(always)]
fn sharpen_kernel(image: &Image, amount: f32) -> Image {
    let c = image.channels as usize;
    let (iw, ih) = (image.width as usize, image.height as usize);
    let n = iw * c;
    // As the kernel OpenCV gets: 1 + 4a worked out in double, then made a float.
    let centre = (1.0 + 4.0 * amount as f64) as f32;
    // A whole number `a` (the default 1 among them) needs no rounding: 16-bit integers
    // hold (1 + 4a) * 255 and a * 4 * 255 for a up to 10.
    let whole = (amount.fract() == 0.0 && (1.0..=10.0).contains(&amount)).then_some(amount as i16);
    let mut middle = vec![0u8; n + 2 * c];
    let mut out_row = vec![0u8; n];
    let mut out = Vec::with_capacity(n * ih);
    for y in 0..ih as isize {
        let up = &image.row(Border::Reflect101.index(y - 1, ih) as u32)[..n];
        let down = &image.row(Border::Reflect101.index(y + 1, ih) as u32)[..n];
        pad_row(image.row(y as u32), c, 1, Border::Reflect101, &mut middle);
        let (left, centre_row, right) = (&middle[..n], &middle[c..c + n], &middle[2 * c..2 * c + n]);
        let o = &mut out_row[..n];
        if let Some(a) = whole {
            for i in 0..n {
                let neighbours = up[i] as i16 + down[i] as i16 + left[i] as i16 + right[i] as i16;
                let value = (1 + 4 * a) * centre_row[i] as i16 - a * neighbours;
                o[i] = value.clamp(0, 255) as u8;
            }
        } else {
            for i in 0..n {
                let neighbours = up[i] as u16 + down[i] as u16 + left[i] as u16 + right[i] as u16;
                let value = centre * centre_row[i] as f32 - amount * neighbours as f32;
                o[i] = super::round_to_u8(value);
            }
        }
        // One large copy per row: cheaper than many small stores into memory not yet
        // in the cache.
        out.extend_from_slice(o);
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data: out,
    }
}
