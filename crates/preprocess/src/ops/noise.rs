//! Seeded Gaussian noise: the same (image, sigma, seed) gives the same bytes on any
//! machine and with any version of the `rand` crate.
//!
//! The random bits are the SplitMix64 stream of the seed (Steele, Lea & Flood 2014:
//! `state += 0x9E3779B97F4A7C15`, then a fixed 64-bit mix), written out here so it can
//! never change under us; since the state after `i` steps is `seed + i * 0x9E37...`, any
//! output can be computed on its own, which lets the loops vectorise. Each 64-bit output
//! gives two normal deviates by Box-Muller: its top 24 bits pick the radius
//! `sqrt(-2 ln u)`, bits 8..32 the angle. `ln`, `sin` and `cos` are small polynomials
//! written out below in plain `f32` arithmetic (IEEE-exact `+ - * /` and `sqrt`), not the
//! platform's maths library, whose last bits differ between systems.

use std::f32::consts::{FRAC_PI_2, LN_2};

use crate::image::Image;
use crate::simd::simd_kernel;

/// Colour samples per block of noise: whole pixels for one and for three colour channels.
const BLOCK: usize = 768;
/// Box-Muller pairs (64-bit random outputs) per block.
const PAIRS: usize = BLOCK / 2;

/// Adds zero-mean Gaussian noise of standard deviation `sigma` to every colour sample,
/// rounds (half to even) and clamps to 0..=255; alpha is copied. Colour sample `k` of the
/// image (counting colour samples only, row by row) gets deviate `k % 768` of block
/// `k / 768`: the cosine deviates of that block's 384 SplitMix64 outputs, then the sine
/// ones. `sigma == 0` (or not finite) returns the image unchanged.
pub fn gaussian_noise(image: &Image, sigma: f32, seed: u64) -> Image {
    if sigma == 0.0 || !sigma.is_finite() || image.data.is_empty() {
        return image.clone();
    }
    let data = add_noise(
        &image.data,
        image.channels as usize,
        image.color_channels() as usize,
        sigma,
        seed,
    );
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data,
    }
}

simd_kernel! {
    fn add_noise(src: &[u8], channels: usize, colour: usize, sigma: f32, seed: u64) -> Vec<u8> = add_noise_kernel;
}

#[inline(always)]
fn add_noise_kernel(src: &[u8], channels: usize, colour: usize, sigma: f32, seed: u64) -> Vec<u8> {
    let mut out = src.to_vec();
    let mut noise = [0f32; BLOCK];
    let block_pixels = BLOCK / colour;
    for (block, pixels) in out.chunks_mut(block_pixels * channels).enumerate() {
        normals(seed, block as u64, sigma, &mut noise);
        if channels == colour {
            for (v, &z) in pixels.iter_mut().zip(&noise) {
                *v = add(*v, z);
            }
        } else {
            for (pixel, zs) in pixels.chunks_exact_mut(channels).zip(noise.chunks_exact(colour)) {
                // `zip` stops before the alpha sample.
                for (v, &z) in pixel.iter_mut().zip(zs) {
                    *v = add(*v, z);
                }
            }
        }
    }
    out
}

/// `v + z`, clamped to 0..=255 and rounded half to even.
#[inline(always)]
fn add(v: u8, z: f32) -> u8 {
    let y = f32::from(v) + z;
    let y = if y >= 0.0 { y } else { 0.0 };
    let y = if y <= 255.0 { y } else { 255.0 };
    // Adding 2^23 rounds to a whole number (the spacing of floats there is 1), which
    // lands in the low bits of the mantissa.
    (y + 8_388_608.0).to_bits() as u8
}

/// Block `block`'s deviates, times `sigma`: `out[j]` and `out[PAIRS + j]` come from
/// SplitMix64 output number `block * PAIRS + j` of `seed`.
#[inline(always)]
fn normals(seed: u64, block: u64, sigma: f32, out: &mut [f32; BLOCK]) {
    // The radius and the angle bits of each output, apart, so the maths below works on
    // 32-bit lanes (eight to a vector).
    let mut radius_bits = [0u32; PAIRS];
    let mut angle_bits = [0u32; PAIRS];
    let first = block.wrapping_mul(PAIRS as u64);
    for (j, (r, a)) in radius_bits.iter_mut().zip(angle_bits.iter_mut()).enumerate() {
        let bits = splitmix64(seed, first.wrapping_add(j as u64));
        *r = (bits >> 40) as u32;
        *a = (bits as u32) >> 8;
    }
    let (cos_half, sin_half) = out.split_at_mut(PAIRS);
    for (((&r, &a), c), s) in radius_bits.iter().zip(&angle_bits).zip(cos_half).zip(sin_half) {
        let (z0, z1) = box_muller(r, a);
        *c = z0 * sigma;
        *s = z1 * sigma;
    }
}

/// Output number `index` (from 0) of the SplitMix64 generator seeded with `seed`.
#[inline(always)]
fn splitmix64(seed: u64, index: u64) -> u64 {
    let mut z = seed.wrapping_add(index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Two independent standard normal deviates from 24 random bits for the radius (the top
/// ones of a SplitMix64 output) and 24 for the angle (bits 8..32).
#[inline(always)]
fn box_muller(radius_bits: u32, angle_bits: u32) -> (f32, f32) {
    // u in (0, 1], so ln(u) is finite (|deviate| <= 5.77).
    let u = (radius_bits + 1) as f32 * (1.0 / 16_777_216.0);
    let radius = (-2.0 * ln(u)).max(0.0).sqrt();
    // A quadrant and a point within it.
    let quadrant = angle_bits >> 22;
    let t = (angle_bits & 0x3F_FFFF) as f32 * (FRAC_PI_2 / 4_194_304.0);
    let (sin, cos) = sin_cos_quarter(t);
    // Turning by quadrant * 90 degrees swaps the pair on odd quadrants and flips signs.
    let (a, b) = if quadrant & 1 == 0 { (cos, sin) } else { (sin, cos) };
    let x = f32::from_bits(a.to_bits() ^ (((quadrant ^ (quadrant >> 1)) & 1) << 31));
    let y = f32::from_bits(b.to_bits() ^ ((quadrant >> 1) << 31));
    (radius * x, radius * y)
}

/// Natural logarithm of a positive normal `x`: `x = 2^e * m` with `m` in [sqrt(1/2),
/// sqrt(2)), then `ln m = 2 atanh(s)`, `s = (m - 1) / (m + 1)`, by its series (|s| <=
/// 0.172: the first term left out is below 1e-9).
#[inline(always)]
fn ln(x: f32) -> f32 {
    let bits = x.to_bits();
    // Subtracting sqrt(1/2)'s bits makes the exponent field e, with m in range.
    let e = (bits.wrapping_sub(0x3F35_04F3) as i32) >> 23;
    let m = f32::from_bits(bits.wrapping_sub((e as u32) << 23));
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series = 1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0))));
    e as f32 * LN_2 + 2.0 * s * series
}

/// `(sin t, cos t)` for `t` in [0, pi/2], by their Taylor series to t^11 and t^12 (the
/// first terms left out are below 6e-8), in Horner form.
#[inline(always)]
fn sin_cos_quarter(t: f32) -> (f32, f32) {
    const S: [f32; 5] = [
        -1.0 / 6.0,
        1.0 / 120.0,
        -1.0 / 5_040.0,
        1.0 / 362_880.0,
        -1.0 / 39_916_800.0,
    ];
    const C: [f32; 6] = [
        -1.0 / 2.0,
        1.0 / 24.0,
        -1.0 / 720.0,
        1.0 / 40_320.0,
        -1.0 / 3_628_800.0,
        1.0 / 479_001_600.0,
    ];
    let t2 = t * t;
    let sin = t * (1.0 + t2 * (S[0] + t2 * (S[1] + t2 * (S[2] + t2 * (S[3] + t2 * S[4])))));
    let cos = 1.0 + t2 * (C[0] + t2 * (C[1] + t2 * (C[2] + t2 * (C[3] + t2 * (C[4] + t2 * C[5])))));
    (sin, cos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mid_gray(channels: u8) -> Image {
        Image::from_raw(256, 256, channels, vec![128; 256 * 256 * channels as usize]).expect("image")
    }

    /// A varied test picture that does not depend on any fixture file.
    fn pattern(width: u32, height: u32, channels: u8) -> Image {
        let len = (width * height) as usize * channels as usize;
        let data = (0..len).map(|i| ((i * 7 + i / 13) % 256) as u8).collect();
        Image::from_raw(width, height, channels, data).expect("image")
    }

    /// FNV-1a, 64-bit.
    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_another_seed_others() {
        let image = pattern(64, 48, 3);
        let a = gaussian_noise(&image, 20.0, 7);
        assert_eq!(a, gaussian_noise(&image, 20.0, 7));
        let b = gaussian_noise(&image, 20.0, 8);
        assert_ne!(a.data, b.data);
        let differing = a.data.iter().zip(&b.data).filter(|(x, y)| x != y).count();
        assert!(differing > a.data.len() / 2, "only {differing} samples differ");
    }

    #[test]
    fn sigma_zero_is_the_identity() {
        let image = pattern(64, 48, 4);
        assert_eq!(gaussian_noise(&image, 0.0, 42), image);
    }

    #[test]
    fn the_noise_has_zero_mean_and_the_asked_deviation() {
        for sigma in [5.0f32, 20.0] {
            let image = mid_gray(3);
            let out = gaussian_noise(&image, sigma, 12345);
            let diffs: Vec<f64> = out.data.iter().map(|&v| f64::from(v) - 128.0).collect();
            let n = diffs.len() as f64;
            let mean = diffs.iter().sum::<f64>() / n;
            let sd = (diffs.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / (n - 1.0)).sqrt();
            assert!(mean.abs() < 0.5, "sigma {sigma}: mean {mean}");
            assert!(
                (sd / f64::from(sigma) - 1.0).abs() < 0.05,
                "sigma {sigma}: standard deviation {sd}"
            );
            // Roughly normal: |d| <= 19 means |z| < 19.5 / 20 = 0.975 (67.04% of a normal),
            // |d| <= 39 means |z| < 1.975 (95.17%).
            if sigma == 20.0 {
                let within = |limit: f64| diffs.iter().filter(|d| d.abs() <= limit).count() as f64 / n;
                assert!(
                    (within(19.0) - 0.6704).abs() < 0.01,
                    "within 19: {}",
                    within(19.0)
                );
                assert!(
                    (within(39.0) - 0.9517).abs() < 0.005,
                    "within 39: {}",
                    within(39.0)
                );
            }
        }
    }

    #[test]
    fn alpha_is_untouched() {
        for channels in [2u8, 4] {
            let image = pattern(40, 30, channels);
            let out = gaussian_noise(&image, 50.0, 1);
            let c = channels as usize;
            for (o, i) in out.data.chunks_exact(c).zip(image.data.chunks_exact(c)) {
                assert_eq!(o[c - 1], i[c - 1]);
            }
            assert_ne!(out, image);
        }
    }

    #[test]
    fn colour_samples_get_the_same_noise_with_or_without_alpha() {
        let rgba = pattern(33, 17, 4);
        let rgb_data: Vec<u8> = rgba
            .data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let rgb = Image::from_raw(33, 17, 3, rgb_data).expect("image");
        let noisy_rgba = gaussian_noise(&rgba, 30.0, 99);
        let noisy_rgb = gaussian_noise(&rgb, 30.0, 99);
        let stripped: Vec<u8> = noisy_rgba
            .data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(stripped, noisy_rgb.data);
    }

    #[test]
    fn results_clamp_at_0_and_255() {
        let data: Vec<u8> = (0..256 * 256).map(|i| if i % 2 == 0 { 0 } else { 255 }).collect();
        let image = Image::from_raw(256, 256, 1, data).expect("image");
        let out = gaussian_noise(&image, 100.0, 3);
        let (mut at_zero, mut at_max) = (0, 0);
        for (o, i) in out.data.iter().zip(&image.data) {
            if *i == 0 {
                at_zero += usize::from(*o == 0);
            } else {
                at_max += usize::from(*o == 255);
            }
        }
        // Half of the noise pushes out of range, and is clamped.
        let half = image.data.len() / 4;
        assert!(
            at_zero.abs_diff(half) < half / 20,
            "{at_zero} samples clamped at 0"
        );
        assert!(
            at_max.abs_diff(half) < half / 20,
            "{at_max} samples clamped at 255"
        );
        // A huge sigma saturates nearly everything, and nothing wraps around.
        let wild = gaussian_noise(&mid_gray(1), 255.0, 4);
        assert!(wild.data.iter().filter(|&&v| v == 0 || v == 255).count() > wild.data.len() / 2);
    }

    /// The kernel called directly runs the baseline build; through `simd_kernel!` it runs
    /// the AVX2 copy where the CPU has it. Both must give the same bytes.
    #[test]
    fn the_baseline_and_avx2_copies_agree() {
        for channels in 1..=4u8 {
            let image = pattern(67, 45, channels);
            let colour = image.color_channels() as usize;
            assert_eq!(
                add_noise(&image.data, channels as usize, colour, 33.0, 9),
                add_noise_kernel(&image.data, channels as usize, colour, 33.0, 9)
            );
        }
    }

    #[test]
    fn tiny_and_two_channel_images_do_not_panic() {
        for channels in 1..=4u8 {
            let one = pattern(1, 1, channels);
            assert_eq!(gaussian_noise(&one, 10.0, 5).data.len(), channels as usize);
            assert_eq!(gaussian_noise(&Image::new(0, 3, channels), 10.0, 5).data.len(), 0);
        }
        let gray_alpha = pattern(3, 2, 2);
        assert_eq!(gaussian_noise(&gray_alpha, 10.0, 5).data.len(), 12);
    }

    #[test]
    fn the_generator_is_splitmix64() {
        // The reference implementation's first outputs for seed 1234567.
        let expected = [6457827717110365317u64, 3203168211198807973, 9817491932198370423];
        for (i, e) in expected.iter().enumerate() {
            assert_eq!(splitmix64(1_234_567, i as u64), *e);
        }
    }

    #[test]
    fn the_maths_is_accurate() {
        for i in 1..=1000 {
            let x = i as f32 / 1000.0;
            assert!((ln(x) - x.ln()).abs() < 2e-6, "ln {x}");
            let t = x * FRAC_PI_2;
            let (s, c) = sin_cos_quarter(t);
            assert!(
                (s - t.sin()).abs() < 1e-6 && (c - t.cos()).abs() < 1e-6,
                "sin/cos {t}"
            );
        }
        assert_eq!(ln(1.0), 0.0);
    }

    /// The exact output for seed 42 may never change: stored datasets were made with it.
    /// (These values were also reproduced by an independent numpy float32 transcription
    /// of the algorithm described in the module docs.)
    #[test]
    fn seed_42_gives_these_exact_bytes() {
        let image = pattern(64, 48, 3);
        let out = gaussian_noise(&image, 20.0, 42);
        assert_eq!(
            &out.data[..12],
            &[6, 0, 43, 48, 60, 36, 38, 39, 84, 73, 35, 74],
            "first samples"
        );
        assert_eq!(
            fnv1a(&out.data),
            5_307_620_500_664_499_398,
            "hash of the whole output"
        );
        let rgba = gaussian_noise(&pattern(64, 48, 4), 20.0, 42);
        assert_eq!(
            fnv1a(&rgba.data),
            11_405_339_056_431_445_764,
            "hash of the RGBA output"
        );
    }
}
