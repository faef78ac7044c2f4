//! Brightness and contrast: every colour sample scaled, about 0 or about the mean gray.

use super::lut::map_colour;
use super::{CHUNK, saturate_round, with_samples};
use crate::image::Image;
use crate::simd::simd_kernel;

/// `x` clamped to 0..=255 (NaN to 0), as plain compares that vectorise.
#[inline(always)]
fn clamp_255(x: f32) -> f32 {
    let x = if x >= 0.0 { x } else { 0.0 };
    if x <= 255.0 { x } else { 255.0 }
}

/// 2^23: adding it to an `f32` in 0..=255 rounds it to a whole number (the spacing of
/// floats there is 1), which lands in the low bits of the mantissa.
const ROUNDER: f32 = 8_388_608.0;

/// `x` in 0..=255, rounded half to even.
#[inline(always)]
fn round_clamped(x: f32) -> u8 {
    (x + ROUNDER).to_bits() as u8
}

/// `x` in 0..=255, truncated (rounded down). (`x as u8` would be a saturating conversion,
/// which LLVM does not vectorise.)
#[inline(always)]
fn truncate_clamped(x: f32) -> u8 {
    let shifted = x + ROUNDER;
    // One less where rounding went up.
    let up = shifted - ROUNDER > x;
    (shifted.to_bits() as u8).wrapping_sub(u8::from(up))
}

/// The brightness table: `saturate(round(|v * factor|))`, as OpenCV computes it.
pub(super) fn brightness_lut(factor: f32) -> [u8; 256] {
    std::array::from_fn(|v| saturate_round((v as f32 * factor).abs()))
}

/// Every colour sample `v` becomes `saturate(round(v * factor))` (half to even), alpha
/// copied: OpenCV's `cv2.convertScaleAbs(image, alpha=factor, beta=0)`, which computes
/// `|v * factor|` in `f32` (so a negative factor acts like its absolute value).
///
/// Without alpha the samples are multiplied directly in 8-wide `f32` vectors: that gives
/// exactly the 256-entry table's values (a test checks it) and is faster than looking
/// each sample up, which cannot be vectorised. With alpha, the table is used.
pub fn brightness(image: &Image, factor: f32) -> Image {
    if image.has_alpha() {
        return map_colour(image, &brightness_lut(factor));
    }
    with_samples(image, image.channels, scale_samples(&image.data, factor))
}

simd_kernel! {
    pub(super) fn scale_samples(src: &[u8], factor: f32) -> Vec<u8> = scale_samples_kernel;
}

#[inline(always)]
fn scale(v: u8, factor: f32) -> u8 {
    round_clamped(clamp_255((f32::from(v) * factor).abs()))
}

#[inline(always)]
pub(super) fn scale_samples_kernel(src: &[u8], factor: f32) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut buf = [0u8; CHUNK];
    for block in src.chunks(CHUNK) {
        for (o, &v) in buf.iter_mut().zip(block) {
            *o = scale(v, factor);
        }
        out.extend_from_slice(&buf[..block.len()]);
    }
    out
}

/// Pillow's `ImageEnhance.Contrast(image).enhance(factor)`.
///
/// Pillow blends the image with a solid gray image of the mean gray level `m`
/// (`int(mean of image.convert("L")) + 0.5`) in `f32`, as `m + factor * (v - m)`, and
/// truncates the result towards zero after clipping to 0..=255 (`ImagingBlend`). Alpha is
/// copied (Pillow blends alpha with itself). As for brightness, the samples are computed
/// directly in vectors without alpha (equal to the table, which alpha images use).
pub fn contrast(image: &Image, factor: f32) -> Image {
    let pixels = image.width as u64 * image.height as u64;
    if pixels == 0 || image.data.is_empty() {
        return image.clone();
    }
    let sum = pillow_luma_sum(&image.data, image.channels as usize);
    // Pillow: `int(ImageStat.Stat(gray).mean[0] + 0.5)`, the mean in f64.
    let mean = (sum as f64 / pixels as f64 + 0.5) as u8;
    if image.has_alpha() {
        return map_colour(image, &contrast_lut(mean, factor));
    }
    with_samples(image, image.channels, blend_samples(&image.data, mean, factor))
}

/// Pillow's blend of `v` with `mean`, truncated after clipping.
#[inline(always)]
fn blend(v: u8, mean: f32, factor: f32) -> u8 {
    // `v - mean` is exact in f32, like Pillow's int difference converted to float.
    truncate_clamped(clamp_255(mean + factor * (f32::from(v) - mean)))
}

pub(super) fn contrast_lut(mean: u8, factor: f32) -> [u8; 256] {
    std::array::from_fn(|v| blend(v as u8, f32::from(mean), factor))
}

simd_kernel! {
    pub(super) fn blend_samples(src: &[u8], mean: u8, factor: f32) -> Vec<u8> = blend_samples_kernel;
}

#[inline(always)]
pub(super) fn blend_samples_kernel(src: &[u8], mean: u8, factor: f32) -> Vec<u8> {
    let mean = f32::from(mean);
    let mut out = Vec::with_capacity(src.len());
    let mut buf = [0u8; CHUNK];
    for block in src.chunks(CHUNK) {
        for (o, &v) in buf.iter_mut().zip(block) {
            *o = blend(v, mean, factor);
        }
        out.extend_from_slice(&buf[..block.len()]);
    }
    out
}

/// Pillow's `convert("L")` of one RGB pixel (ITU-R 601-2 in 16-bit fixed point).
#[inline(always)]
fn pillow_luma(r: u8, g: u8, b: u8) -> u32 {
    (u32::from(r) * 19595 + u32::from(g) * 38470 + u32::from(b) * 7471 + 0x8000) >> 16
}

simd_kernel! {
    /// The sum of Pillow's gray levels over the image (alpha ignored, as Pillow does).
    pub(super) fn pillow_luma_sum(data: &[u8], channels: usize) -> u64 = pillow_luma_sum_kernel;
}

#[inline(always)]
pub(super) fn pillow_luma_sum_kernel(data: &[u8], channels: usize) -> u64 {
    // Blocks whose sum fits a u32 (255 * 65536 < 2^32), so the inner sums vectorise.
    const BLOCK: usize = 1 << 16;
    let mut total = 0u64;
    for block in data.chunks(BLOCK * channels) {
        let mut sum = 0u32;
        match channels {
            1 => {
                for &v in block {
                    sum += u32::from(v);
                }
            }
            2 => {
                for p in block.chunks_exact(2) {
                    sum += u32::from(p[0]);
                }
            }
            3 => {
                for p in block.chunks_exact(3) {
                    sum += pillow_luma(p[0], p[1], p[2]);
                }
            }
            _ => {
                for p in block.chunks_exact(4) {
                    sum += pillow_luma(p[0], p[1], p[2]);
                }
            }
        }
        total += u64::from(sum);
    }
    total
}
