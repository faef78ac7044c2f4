//! Helpers for golden tests: fixture pictures and tolerant comparisons.

use std::path::PathBuf;

use crate::codec::decode;
use crate::image::Image;

/// `fixtures/preprocess/<relative>` at the top of the repository.
pub(crate) fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/preprocess")
        .join(relative)
}

/// A fixture picture, decoded.
pub(crate) fn load(relative: &str) -> Image {
    let path = fixture(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    decode(&bytes)
        .unwrap_or_else(|e| panic!("cannot decode {}: {e}", path.display()))
        .0
}

/// How far `actual` is from `expected`: the largest sample difference, and the share
/// of samples that differ by more than `tolerance`.
pub(crate) fn difference(actual: &Image, expected: &Image, tolerance: u8) -> (u8, f64) {
    assert_eq!(
        (actual.width, actual.height, actual.channels),
        (expected.width, expected.height, expected.channels),
        "shape differs"
    );
    let mut max = 0u8;
    let mut over = 0usize;
    for (a, e) in actual.data.iter().zip(&expected.data) {
        let d = a.abs_diff(*e);
        max = max.max(d);
        if d > tolerance {
            over += 1;
        }
    }
    (max, over as f64 / actual.data.len().max(1) as f64)
}

/// Asserts every sample is within `tolerance` of the golden picture, except at most
/// `allowed_share` of them (for operations whose rounding differs at a few places).
#[track_caller]
pub(crate) fn assert_close(actual: &Image, golden: &str, tolerance: u8, allowed_share: f64) {
    let expected = load(golden);
    let (max, share) = difference(actual, &expected, tolerance);
    assert!(
        share <= allowed_share,
        "{golden}: {:.3}% of samples differ by more than {tolerance} (largest difference {max}); allowed {:.3}%",
        share * 100.0,
        allowed_share * 100.0
    );
}
