//! Golden tests against OpenCV (fixtures/preprocess/golden_filters.py) and checks of
//! every code path against plain reference implementations.

use super::border::Border;
use super::gaussian::fixed_point_kernel;
use super::median::{NETWORK_MAX_AREA, median_histogram, median_network};
use super::*;
use crate::testing::{assert_close, load};

/// A picture with smooth parts, edges and noise, from a fixed seed.
fn picture(width: u32, height: u32, channels: u8, seed: u32) -> Image {
    let mut state = seed.wrapping_mul(0x9e37_79b9) | 1;
    let mut image = Image::new(width, height, channels);
    let stride = image.stride();
    for (i, v) in image.data.iter_mut().enumerate() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let (x, y) = ((i % stride) / channels as usize, i / stride);
        let smooth = (x * 5 + y * 3) as u32;
        let edge = if (x / 7 + y / 5) % 2 == 0 { 90 } else { 0 };
        *v = (smooth + edge + (state & 31)) as u8;
    }
    image
}

fn shapes() -> Vec<Image> {
    let mut images = vec![
        Image::from_raw(1, 1, 1, vec![77]).expect("1x1"),
        Image::from_raw(1, 1, 4, vec![1, 2, 3, 4]).expect("1x1 RGBA"),
    ];
    for (w, h, c) in [
        (2, 3, 2),
        (5, 1, 3),
        (1, 6, 1),
        (9, 7, 3),
        (33, 17, 1),
        (40, 23, 4),
        (37, 19, 2),
    ] {
        images.push(picture(w, h, c, w * 31 + h));
    }
    images
}

fn sample(image: &Image, x: isize, y: isize, ch: usize, border: Border) -> u8 {
    let x = border.index(x, image.width as usize);
    let y = border.index(y, image.height as usize);
    image.data[(y * image.width as usize + x) * image.channels as usize + ch]
}

/// Applies `f(window samples) -> output` to every sample.
fn naive(image: &Image, w: usize, h: usize, border: Border, f: impl Fn(&[u8]) -> u8) -> Image {
    let mut out = image.clone();
    let c = image.channels as usize;
    let (ax, ay) = ((w / 2) as isize, (h / 2) as isize);
    let mut window = Vec::with_capacity(w * h);
    for y in 0..image.height as isize {
        for x in 0..image.width as isize {
            for ch in 0..c {
                window.clear();
                for dy in 0..h as isize {
                    for dx in 0..w as isize {
                        window.push(sample(image, x + dx - ax, y + dy - ay, ch, border));
                    }
                }
                out.data[(y as usize * image.width as usize + x as usize) * c + ch] = f(&window);
            }
        }
    }
    out
}

fn naive_median(image: &Image, w: usize, h: usize) -> Image {
    naive(image, w, h, Border::Replicate, |v| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v[v.len() / 2]
    })
}

/// `cv2.blur`'s rounding, worked out with exact integers (see boxfilter.rs).
fn naive_mean(image: &Image, w: usize, h: usize) -> Image {
    let area = (w * h) as u32;
    naive(image, w, h, Border::Reflect101, |v| {
        let sum: u32 = v.iter().map(|&s| s as u32).sum();
        match area {
            1 => sum as u8,
            a if a <= 256 && a.is_power_of_two() => ((sum + a / 2 + 1) >> a.trailing_zeros()).min(255) as u8,
            a if a <= 256 => ((sum + a / 2) / a) as u8,
            a => (sum as f32 * (1.0 / a as f64) as f32)
                .round_ties_even()
                .min(255.0) as u8,
        }
    })
}

fn naive_gaussian(image: &Image, size: u32, sigma: f32) -> Image {
    let k = fixed_point_kernel(size as usize, sigma as f64);
    let n = k.len();
    naive(image, n, n, Border::Reflect101, |v| {
        let mut sum = 0u64;
        for (dy, &ky) in k.iter().enumerate() {
            for (dx, &kx) in k.iter().enumerate() {
                sum += ky as u64 * kx as u64 * v[dy * n + dx] as u64;
            }
        }
        ((sum + (1 << 15)) >> 16) as u8
    })
}

/// Exact for amounts that are short binary fractions.
fn naive_sharpen(image: &Image, amount: f64) -> Image {
    naive(image, 3, 3, Border::Reflect101, |v| {
        let neighbours = (v[1] as u32 + v[3] as u32 + v[5] as u32 + v[7] as u32) as f64;
        let value = (1.0 + 4.0 * amount) * v[4] as f64 - amount * neighbours;
        value.round_ties_even().clamp(0.0, 255.0) as u8
    })
}

// --- Golden pictures from OpenCV ---------------------------------------------------

#[test]
fn median_matches_opencv() {
    // Exact (tolerance 0, no sample allowed off): a median has one right answer.
    let rgb = load("inputs/rgb.png");
    assert_close(&median(&rgb, 3, 3), "golden/median_3_rgb.png", 0, 0.0);
    assert_close(&median(&rgb, 5, 5), "golden/median_5_rgb.png", 0, 0.0);
    assert_close(
        &median(&load("inputs/rgba.png"), 5, 5),
        "golden/median_5_rgba.png",
        0,
        0.0,
    );
    assert_close(
        &median(&load("inputs/gray.png"), 5, 5),
        "golden/median_5_gray.png",
        0,
        0.0,
    );
    // 21x21: the histogram path.
    assert_close(
        &median(&load("inputs/gray.png"), 21, 21),
        "golden/median_21_gray.png",
        0,
        0.0,
    );
    assert_close(&median(&rgb, 21, 21), "golden/median_21_rgb.png", 0, 0.0);
}

#[test]
fn mean_matches_opencv() {
    // Exact (tolerance 0): the same integer sums and the same rounding as cv2.blur.
    let rgb = load("inputs/rgb.png");
    assert_close(&mean(&rgb, 3, 3), "golden/mean_3x3_rgb.png", 0, 0.0);
    assert_close(&mean(&rgb, 7, 3), "golden/mean_7x3_rgb.png", 0, 0.0);
    assert_close(
        &mean(&load("inputs/rgba.png"), 5, 5),
        "golden/mean_5x5_rgba.png",
        0,
        0.0,
    );
    assert_close(
        &mean(&load("inputs/gray.png"), 15, 15),
        "golden/mean_15x15_gray.png",
        0,
        0.0,
    );
    // Area over 256: the 32-bit path with float scaling.
    assert_close(&mean(&rgb, 17, 17), "golden/mean_17x17_rgb.png", 0, 0.0);
}

#[test]
fn gaussian_matches_opencv() {
    // Within 1 level (tolerance 1, no sample allowed further off); in fact exact, as the
    // fixed-point arithmetic is OpenCV's, unless a libm `exp` rounds a kernel value
    // differently from OpenCV's soft-float one.
    let rgb = load("inputs/rgb.png");
    assert_close(&gaussian(&rgb, 5, 0.0), "golden/gaussian_5_0_rgb.png", 1, 0.0);
    assert_close(&gaussian(&rgb, 13, 2.0), "golden/gaussian_13_2_rgb.png", 1, 0.0);
    assert_close(
        &gaussian(&load("inputs/rgba.png"), 7, 1.5),
        "golden/gaussian_7_1.5_rgba.png",
        1,
        0.0,
    );
    assert_close(
        &gaussian(&load("inputs/gray.png"), 31, 0.0),
        "golden/gaussian_31_0_gray.png",
        1,
        0.0,
    );
    // And exact today.
    assert_close(&gaussian(&rgb, 13, 2.0), "golden/gaussian_13_2_rgb.png", 0, 0.0);
}

#[test]
fn sharpen_matches_opencv() {
    // Exact (tolerance 0) for these amounts: binary fractions make every float step
    // exact. Other amounts may differ by 1 at near-ties (see sharpen.rs).
    assert_close(
        &sharpen(&load("inputs/rgb.png"), 1.0),
        "golden/sharpen_1_rgb.png",
        0,
        0.0,
    );
    assert_close(
        &sharpen(&load("inputs/gray.png"), 0.5),
        "golden/sharpen_0.5_gray.png",
        0,
        0.0,
    );
    assert_close(
        &sharpen(&load("inputs/rgba.png"), 2.0),
        "golden/sharpen_2_rgba.png",
        0,
        0.0,
    );
}

// --- Every path against a reference -------------------------------------------------

#[test]
fn rectangular_medians_match_the_reference() {
    let rgb = load("inputs/rgb.png");
    for (w, h) in [
        (7, 3),
        (3, 9),
        (1, 5),
        (5, 1),
        (3, 5),
        (9, 5),
        (1, 1),
        (11, 3),
        (23, 5),
        (3, 31),
    ] {
        let expected = naive_median(&rgb, w, h);
        assert_eq!(median(&rgb, w as u32, h as u32), expected, "{w}x{h}");
    }
}

#[test]
fn every_median_path_agrees() {
    for image in shapes() {
        for (w, h) in [
            (3, 3),
            (5, 5),
            (3, 1),
            (1, 3),
            (7, 3),
            (3, 7),
            (5, 9),
            (7, 7),
            (9, 1),
        ] {
            let expected = naive_median(&image, w, h);
            let shape = (image.width, image.height, image.channels, w, h);
            assert_eq!(median(&image, w as u32, h as u32), expected, "dispatch {shape:?}");
            assert_eq!(median_network(&image, w, h), expected, "network {shape:?}");
            assert_eq!(median_histogram(&image, w, h), expected, "histogram {shape:?}");
        }
        // Larger networks, whether or not `median` would pick them.
        for (w, h) in [(1, 49), (3, 15), (9, 9), (27, 3)] {
            assert_eq!(
                median_network(&image, w, h),
                naive_median(&image, w, h),
                "network {w}x{h}"
            );
        }
        // Windows larger than the image; even sizes round up.
        for (w, h) in [(21, 21), (99, 3), (1, 99), (15, 9)] {
            let expected = naive_median(&image, w, h);
            assert_eq!(median(&image, w as u32, h as u32), expected);
            assert_eq!(median_histogram(&image, w, h), expected);
        }
        assert_eq!(median(&image, 4, 2), median(&image, 5, 3));
    }
    // The fast paths against the histogram on a full-size picture.
    let big = picture(512, 64, 3, 9);
    for (w, h) in [(3, 3), (5, 5), (7, 5)] {
        assert!(w * h <= NETWORK_MAX_AREA);
        assert_eq!(
            median(&big, w as u32, h as u32),
            median_histogram(&big, w, h),
            "{w}x{h}"
        );
    }
}

#[test]
fn mean_matches_the_reference() {
    for image in shapes() {
        for (w, h) in [
            (3, 3),
            (2, 2),
            (2, 1),
            (4, 5),
            (6, 6),
            (16, 16),
            (17, 17),
            (1, 7),
            (31, 9),
            (99, 99),
            (5, 64),
        ] {
            let shape = (image.width, image.height, image.channels, w, h);
            assert_eq!(
                mean(&image, w as u32, h as u32),
                naive_mean(&image, w, h),
                "{shape:?}"
            );
        }
    }
    // Saturated sums, where the power-of-two rounding would reach 256.
    let white = Image::from_raw(4, 3, 1, vec![255; 12]).expect("white");
    for (w, h) in [(2, 1), (2, 2), (16, 16), (3, 3), (17, 17)] {
        assert_eq!(mean(&white, w, h), white, "{w}x{h}");
    }
}

#[test]
fn gaussian_matches_the_reference() {
    for image in shapes() {
        for (size, sigma) in [
            (3, 0.0),
            (5, 0.0),
            (9, 0.0),
            (13, 2.0),
            (7, 0.8),
            (31, 0.0),
            (15, 6.0),
        ] {
            let shape = (image.width, image.height, image.channels, size, sigma);
            assert_eq!(
                gaussian(&image, size, sigma),
                naive_gaussian(&image, size, sigma),
                "{shape:?}"
            );
        }
        assert_eq!(gaussian(&image, 1, 3.0), image);
        assert_eq!(gaussian(&image, 99, 0.01), image, "a one-tap kernel");
    }
}

#[test]
fn sharpen_matches_the_reference() {
    for image in shapes() {
        for amount in [0.5, 1.0, 2.0, 0.25, 10.0] {
            let shape = (image.width, image.height, image.channels, amount);
            assert_eq!(
                sharpen(&image, amount as f32),
                naive_sharpen(&image, amount),
                "{shape:?}"
            );
        }
        assert_eq!(sharpen(&image, 0.0), image);
        // Other amounts: within 1 of the exact value.
        for amount in [0.3f32, 1.7, 0.1] {
            let (max, _) = crate::testing::difference(
                &sharpen(&image, amount),
                &naive_sharpen(&image, amount as f64),
                1,
            );
            assert!(max <= 1, "{amount}: off by {max}");
        }
    }
}

#[test]
fn constant_pictures_stay_constant() {
    for (w, h, c) in [(1, 1, 1), (2, 1, 2), (6, 5, 4)] {
        let flat = Image::from_raw(w, h, c, vec![200; (w * h * c as u32) as usize]).expect("flat");
        assert_eq!(median(&flat, 99, 99), flat);
        assert_eq!(median(&flat, 5, 5), flat);
        assert_eq!(mean(&flat, 99, 99), flat);
        assert_eq!(mean(&flat, 5, 5), flat);
        assert_eq!(gaussian(&flat, 99, 50.0), flat);
        assert_eq!(sharpen(&flat, 10.0), flat);
    }
}

#[test]
fn empty_pictures_pass_through() {
    let empty = Image::new(0, 0, 3);
    assert_eq!(median(&empty, 5, 5), empty);
    assert_eq!(mean(&empty, 5, 5), empty);
    assert_eq!(gaussian(&empty, 5, 0.0), empty);
    assert_eq!(sharpen(&empty, 1.0), empty);
}
