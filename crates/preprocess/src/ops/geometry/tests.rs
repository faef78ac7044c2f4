//! Golden tests against OpenCV and checks of the vector paths against portable ones.

use super::flip::mirror_rows;
use super::resize::mean4;
use super::rotate::{inverse_rotation, warp_rows};
use super::rounding::{floor_i32, floor_small};
use super::*;
use crate::image::Image;
use crate::testing::{assert_close, load};

const INPUTS: [&str; 3] = ["rgb", "gray", "rgba"];

fn input(name: &str) -> Image {
    load(&format!("inputs/{name}.png"))
}

/// Made-up pictures of every channel count, with distinct samples.
fn synthetic(width: u32, height: u32, channels: u8) -> Image {
    let mut image = Image::new(width, height, channels);
    for (i, v) in image.data.iter_mut().enumerate() {
        *v = (i * 37 % 251) as u8;
    }
    image
}

#[test]
fn flips_match_opencv() {
    for name in INPUTS {
        let image = input(name);
        // Exact copies: tolerance 0 on every sample.
        assert_close(
            &flip_vertical(&image),
            &format!("golden/flip_vertical_{name}.png"),
            0,
            0.0,
        );
        assert_close(
            &flip_horizontal(&image),
            &format!("golden/flip_horizontal_{name}.png"),
            0,
            0.0,
        );
    }
}

#[test]
fn flips_undo_themselves_for_every_channel_count() {
    for channels in 1..=4 {
        for width in [1, 2, 15, 16, 17, 33] {
            let image = synthetic(width, 5, channels);
            assert_eq!(flip_vertical(&flip_vertical(&image)), image);
            let mirrored = flip_horizontal(&image);
            assert_eq!(flip_horizontal(&mirrored), image);
            let cn = channels as usize;
            assert_eq!(&mirrored.row(2)[..cn], &image.row(2)[(width as usize - 1) * cn..]);
        }
    }
}

#[test]
fn rotate_matches_opencv() {
    for (degrees, label, name) in [(30.0, "30", "rgb"), (30.0, "30", "gray"), (-45.0, "m45", "rgba")] {
        let out = rotate(&input(name), degrees);
        // Within 1 level on at least 99% of the samples: OpenCV's float rounding
        // may differ at a few places (in practice none differ at all).
        assert_close(&out, &format!("golden/rotate_{label}_{name}.png"), 1, 0.01);
    }
    for name in ["gray", "rgb"] {
        // A quarter turn moves pixel centres onto pixel centres: exact.
        assert_close(
            &rotate(&input(name), 90.0),
            &format!("golden/rotate_90_{name}.png"),
            0,
            0.0,
        );
    }
}

#[test]
fn quarter_turns_are_exact_on_a_square() {
    for channels in 1..=4 {
        let image = synthetic(9, 9, channels);
        let cn = channels as usize;
        let left = rotate(&image, 90.0);
        let right = rotate(&image, -90.0);
        let half = rotate(&image, 180.0);
        for y in 0..9 {
            for x in 0..9 {
                let at = |img: &Image, x: usize, y: usize| {
                    img.data[(y * 9 + x) * cn..(y * 9 + x + 1) * cn].to_vec()
                };
                // Counter-clockwise: the top row goes to the left column.
                assert_eq!(at(&left, y, 8 - x), at(&image, x, y));
                assert_eq!(at(&right, 8 - y, x), at(&image, x, y));
                assert_eq!(at(&half, 8 - x, 8 - y), at(&image, x, y));
            }
        }
        assert_eq!(rotate(&image, 360.0), image);
        assert_eq!(rotate(&image, 0.0), image);
    }
}

#[test]
fn rotation_blackens_the_corners_alpha_included() {
    let mut image = Image::new(20, 20, 4);
    image.data.fill(200);
    let out = rotate(&image, 45.0);
    assert_eq!(&out.data[..4], &[0, 0, 0, 0]);
    let centre = (10 * 20 + 10) * 4;
    assert_eq!(&out.data[centre..centre + 4], &[200, 200, 200, 200]);
}

#[test]
fn resize_matches_opencv() {
    for ((w, h), name) in [
        ((100, 60), "rgb"),
        ((31, 23), "rgba"),
        ((32, 24), "gray"),
        ((32, 24), "rgb"),
        ((150, 37), "gray"),
    ] {
        let out = resize(&input(name), w, h);
        // Within 1 level on every sample (the fixed-point arithmetic is OpenCV's,
        // so in practice every sample is equal).
        assert_close(&out, &format!("golden/resize_{w}x{h}_{name}.png"), 1, 0.0);
    }
}

#[test]
fn resize_keeps_the_aspect_ratio_when_height_is_zero() {
    let image = input("rgb"); // 64x48
    let out = resize(&image, 100, 0);
    assert_eq!((out.width, out.height, out.channels), (100, 75, 3));
    assert_eq!(out, resize(&image, 100, 75));
    let tiny = resize(&image, 1, 0);
    assert_eq!((tiny.width, tiny.height), (1, 1));
    let tall = resize(&synthetic(3, 100, 1), 1, 0);
    assert_eq!((tall.width, tall.height), (1, 33));
}

#[test]
fn resize_to_the_same_size_is_a_copy() {
    for channels in 1..=4 {
        let image = synthetic(13, 7, channels);
        assert_eq!(resize(&image, 13, 7), image);
    }
}

#[test]
fn crop_matches_opencv() {
    for ((w, h), name) in [((40, 30), "rgb"), ((40, 30), "rgba"), ((21, 17), "gray")] {
        // Exact copies: tolerance 0 on every sample.
        assert_close(
            &crop_center(&input(name), w, h),
            &format!("golden/crop_{w}x{h}_{name}.png"),
            0,
            0.0,
        );
    }
}

#[test]
fn crop_larger_than_the_image_keeps_its_sides() {
    let image = input("rgb"); // 64x48
    assert_eq!(crop_center(&image, 1000, 1000), image);
    let wide = crop_center(&image, 1000, 10);
    assert_eq!((wide.width, wide.height), (64, 10));
    assert_eq!(wide.row(0), image.row(19));
    let narrow = crop_center(&image, 3, 1000);
    assert_eq!((narrow.width, narrow.height), (3, 48));
    assert_eq!(narrow.row(5), &image.row(5)[30 * 3..33 * 3]);
}

#[test]
fn order_matters() {
    let image = input("rgb");
    // An off-centre crop (48 - 20 = 28 rows removed, 14 above and 14 below, but
    // 64 - 21 = 43 columns: 21 left, 22 right) is not symmetric left to right.
    let a = crop_center(&flip_horizontal(&image), 21, 20);
    let b = flip_horizontal(&crop_center(&image, 21, 20));
    assert_ne!(a, b);
    // Rows: 48 - 19 = 29 removed, 14 above and 15 below.
    let c = crop_center(&flip_vertical(&image), 30, 19);
    let d = flip_vertical(&crop_center(&image, 30, 19));
    assert_ne!(c, d);
}

#[test]
fn every_channel_count_works() {
    for channels in 1..=4 {
        let image = synthetic(17, 11, channels);
        for out in [
            flip_vertical(&image),
            flip_horizontal(&image),
            rotate(&image, 33.0),
            crop_center(&image, 5, 4),
        ] {
            assert_eq!(out.channels, channels);
            assert_eq!(
                out.data.len(),
                out.width as usize * out.height as usize * channels as usize
            );
        }
        for (w, h) in [(8, 5), (40, 23), (34, 22), (17, 11), (3, 30)] {
            let out = resize(&image, w, h);
            assert_eq!((out.width, out.height, out.channels), (w, h, channels));
        }
    }
}

#[test]
fn resize_is_within_one_of_exact_bilinear() {
    // A horizontal ramp resized keeps being a ramp: samples within 1 of the
    // floating-point bilinear value.
    let mut image = Image::new(10, 4, 1);
    for (i, v) in image.data.iter_mut().enumerate() {
        *v = ((i % 10) * 25) as u8;
    }
    let out = resize(&image, 25, 4);
    for (x, &v) in out.row(1).iter().enumerate() {
        let sx = ((x as f64 + 0.5) * 10.0 / 25.0 - 0.5).clamp(0.0, 9.0);
        let expected = sx * 25.0;
        assert!((f64::from(v) - expected).abs() <= 1.0, "x {x}: {v} vs {expected}");
    }
}

#[test]
fn a_single_pixel_survives_everything() {
    for channels in 1..=4 {
        let image = synthetic(1, 1, channels);
        assert_eq!(flip_vertical(&image), image);
        assert_eq!(flip_horizontal(&image), image);
        assert_eq!(crop_center(&image, 5, 5), image);
        assert_eq!(rotate(&image, 0.0), image);
        let _ = rotate(&image, 30.0);
        assert_eq!(resize(&image, 1, 1), image);
        let big = resize(&image, 3, 2);
        assert!(
            big.data
                .chunks_exact(channels as usize)
                .all(|p| p == image.data.as_slice())
        );
        let _ = resize(&image, 4, 0);
    }
}

#[test]
fn the_portable_kernels_agree_with_the_dispatched_ones() {
    // The run-time dispatch takes the SSSE3/AVX2 builds on most machines; the
    // baseline ones must give the same bytes.
    for width in [1, 5, 16, 17, 47, 48, 64, 100] {
        let image = synthetic(width, 3, 3);
        let stride = image.stride();
        let mut portable = vec![0; image.data.len()];
        mirror_rows::<3>(&mut portable, &image.data, stride);
        assert_eq!(portable, flip_horizontal(&image).data, "width {width}");
    }
    for name in INPUTS {
        let image = input(name);
        let (w, h) = (image.width as usize, image.height as usize);
        for degrees in [30.0, -45.0, 90.0, 7.5] {
            let m = inverse_rotation(w, h, degrees);
            let mut portable = vec![0; image.data.len()];
            match image.channels {
                1 => warp_rows::<1, false>(&image.data, w, h, &mut portable, &m),
                3 => warp_rows::<3, false>(&image.data, w, h, &mut portable, &m),
                _ => warp_rows::<4, false>(&image.data, w, h, &mut portable, &m),
            }
            assert_eq!(portable, rotate(&image, degrees).data, "{name} {degrees}");
        }
    }
}

#[test]
fn the_fast_floor_is_floor() {
    for i in -40_000..40_000 {
        let v = i as f32 * 0.037_5 + 0.001;
        assert_eq!(floor_small(v), v.floor() as i32, "{v}");
        assert_eq!(floor_i32(v), v.floor() as i32, "{v}");
    }
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0, 2.5, -2.5, 4_000_000.5, -4_000_000.5] {
        assert_eq!(floor_small(v), v.floor() as i32, "{v}");
    }
}

#[test]
fn mean4_is_the_rounded_mean() {
    for a in (0..=255u8).step_by(3) {
        for b in (0..=255u8).step_by(5) {
            for c in [0u8, 1, 2, 3, 100, 127, 128, 254, 255] {
                for d in 0..=255u8 {
                    let exact = ((u16::from(a) + u16::from(b) + u16::from(c) + u16::from(d) + 2) >> 2) as u8;
                    assert_eq!(mean4(a, b, c, d), exact, "{a} {b} {c} {d}");
                }
            }
        }
    }
}

#[test]
fn tiny_images_do_not_panic() {
    for channels in 1..=4 {
        for (w, h) in [(2, 2), (3, 2), (2, 3), (1, 4), (4, 1)] {
            let image = synthetic(w, h, channels);
            for degrees in [0.0, 10.0, 45.0, 90.0, -135.0, f32::NAN, f32::INFINITY] {
                let out = rotate(&image, degrees);
                assert_eq!(out.data.len(), image.data.len());
            }
            assert_eq!(rotate(&image, 0.0), image);
            assert_eq!(flip_horizontal(&flip_horizontal(&image)), image);
            for (dw, dh) in [(1, 1), (5, 7), (1, 3), (4, 0)] {
                let out = resize(&image, dw, dh);
                assert_eq!(
                    out.data.len(),
                    out.width as usize * out.height as usize * channels as usize
                );
            }
            assert_eq!(crop_center(&image, 1, 1).data.len(), channels as usize);
        }
    }
}

#[test]
fn empty_images_do_not_panic() {
    let empty = Image::new(0, 0, 3);
    assert_eq!(flip_vertical(&empty), empty);
    assert_eq!(flip_horizontal(&empty), empty);
    assert_eq!(rotate(&empty, 10.0), empty);
    assert_eq!(crop_center(&empty, 3, 3), empty);
    assert_eq!(resize(&empty, 2, 2).data, vec![0; 12]);
}
