//! Median filter with BORDER_REPLICATE (as `cv2.medianBlur`), for any odd window
//! `width` x `height`. All channels, alpha included, are filtered alike.
//!
//! - 3x3 and 5x5: min/max networks over whole rows. Each column of the window is sorted
//!   first (3 or 9 compare-exchanges per sample, shared by every window holding that
//!   column), then a fixed network picks the median of the sorted columns (12 min/max
//!   for 3x3, 124 for 5x5). Every operation is a `u8` min or max over a row of samples,
//!   which LLVM turns into `pminub`/`pmaxub` on 16 or 32 samples at once.
//! - other windows of up to [`NETWORK_MAX_AREA`] samples (when their networks are
//!   small enough): the same two stages with networks built at run time for the shape
//!   (see `network.rs`), run on 64 samples at a time.
//! - larger windows: Perreault and Hébert's constant-time median, with a 256-bin
//!   histogram per image column (plus 16 coarse bins) slid down the image, and the
//!   window's histogram slid along each row from them; fine bins are brought up to
//!   date only for the coarse bin holding the median.

mod built;
mod fixed;
mod histogram;
mod lanes;
mod merge_5x5;
mod network;

use built::{MedianNetworks, median_network_kernel};
use fixed::{median_3x3_kernel, median_5x5_kernel};
use histogram::median_histogram_kernel;

use super::border::Border;
use crate::image::Image;
use crate::simd::simd_kernel;

/// Windows up to this many samples use min/max networks when those need at most
/// [`NETWORK_MAX_OPERATIONS`] min/max per sample (9x9 takes about 950, 7x7 about 400);
/// other windows use histograms, which cost about as much as 1000 network operations
/// on small windows (measured on the 512x512 RGB benchmark picture).
pub(super) const NETWORK_MAX_AREA: usize = 81;
const NETWORK_MAX_OPERATIONS: usize = 1000;

pub(super) fn median(image: &Image, width: u32, height: u32) -> Image {
    let (w, h) = (odd_window(width), odd_window(height));
    if image.data.is_empty() || (w == 1 && h == 1) {
        return image.clone();
    }
    match (w, h) {
        (3, 3) => median_3x3(image),
        (5, 5) => median_5x5(image),
        _ if w * h <= NETWORK_MAX_AREA => {
            let networks = MedianNetworks::new(w, h);
            if networks.operations() <= NETWORK_MAX_OPERATIONS {
                median_networks(image, &networks)
            } else {
                median_histogram(image, w, h)
            }
        }
        _ => median_histogram(image, w, h),
    }
}

/// The median through run-time networks, whatever their size (for tests).
#[cfg(test)]
pub(super) fn median_network(image: &Image, w: usize, h: usize) -> Image {
    median_networks(image, &MedianNetworks::new(w, h))
}

/// An odd window side: even values are rounded up, and at most 255 (so that window
/// counts fit 16 bits).
fn odd_window(side: u32) -> usize {
    (side.clamp(1, 255) | 1) as usize
}

simd_kernel! {
    fn median_3x3(image: &Image) -> Image = median_3x3_kernel;
}
simd_kernel! {
    fn median_5x5(image: &Image) -> Image = median_5x5_kernel;
}
simd_kernel! {
    fn median_networks(image: &Image, networks: &MedianNetworks) -> Image = median_network_kernel;
}
simd_kernel! {
    pub(super) fn median_histogram(image: &Image, w: usize, h: usize) -> Image = median_histogram_kernel;
}

/// The input row a window row reads, with the border repeated.
fn clamped_row(image: &Image, y: isize) -> &[u8] {
    image.row(Border::Replicate.index(y, image.height as usize) as u32)
}

#[cfg(test)]
mod tests;
