//! Neighbourhood filters: median, mean, Gaussian, sharpen. Each reproduces one OpenCV
//! call on 8-bit images (see each module), filters every channel alike (alpha
//! included, as OpenCV does), and works on whole rows with plain loops that LLVM
//! vectorises; `simd_kernel!` compiles each kernel a second time for AVX2 and picks that
//! copy at run time. Windows are `width` (x) by `height` (y).

mod border;
mod boxfilter;
mod gaussian;
mod median;
mod sharpen;

use crate::image::Image;

/// Median of each `width` x `height` window (odd sides; even ones are rounded up),
/// border repeated, like `cv2.medianBlur` (which only does squares).
pub fn median(image: &Image, width: u32, height: u32) -> Image {
    median::median(image, width, height)
}

/// Mean of each `width` x `height` window, as `cv2.blur(img, (width, height))`: border
/// mirrored (BORDER_REFLECT_101) and OpenCV's rounding.
pub fn mean(image: &Image, width: u32, height: u32) -> Image {
    boxfilter::mean(image, width, height)
}

/// Gaussian blur with a `size` x `size` kernel, as
/// `cv2.GaussianBlur(img, (size, size), sigma)`; sigma 0 derives it from the size.
pub fn gaussian(image: &Image, size: u32, sigma: f32) -> Image {
    gaussian::gaussian(image, size, sigma)
}

/// Sharpening with `[[0, -a, 0], [-a, 1 + 4a, -a], [0, -a, 0]]` (a = `amount`), as
/// `cv2.filter2D`.
pub fn sharpen(image: &Image, amount: f32) -> Image {
    sharpen::sharpen(image, amount)
}

/// `x` rounded to nearest, ties to even, and saturated to 0..=255 (OpenCV's
/// `saturate_cast<uchar>(float)`). Adding 2^23 leaves the rounded integer in the low
/// mantissa bits.
#[inline(always)]
fn round_to_u8(x: f32) -> u8 {
    let x = if x > 0.0 { x } else { 0.0 };
    let x = if x < 255.0 { x } else { 255.0 };
    (x + 8_388_608.0).to_bits() as u8
}

#[cfg(test)]
mod tests;
