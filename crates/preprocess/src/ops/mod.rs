//! The kernels. Each takes an image and returns a new one; none allocates more than
//! its output and a few rows of scratch.

pub mod edges;
pub mod filters;
pub mod geometry;
pub mod noise;
pub mod tone;

use crate::image::Image;

/// One configured operation, its values already checked. Each runs the function of
/// the same name in the modules above (see them for the exact arithmetic).
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Upside down.
    FlipVertical,
    /// Mirrored left to right.
    FlipHorizontal,
    /// Degrees, counter-clockwise, about the centre; same canvas, black outside.
    Rotate {
        /// Angle in degrees, counter-clockwise.
        degrees: f32,
    },
    /// Bilinear scaling to a new size.
    Resize {
        /// New width in pixels.
        width: u32,
        /// New height in pixels; 0 keeps the aspect ratio.
        height: u32,
    },
    /// A centred crop; a side larger than the image keeps the image's.
    Crop {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// Every colour sample multiplied by `factor` (1 keeps the image).
    Brightness {
        /// The multiplier.
        factor: f32,
    },
    /// Samples moved away from (`factor` > 1) or towards (< 1) the mean gray.
    Contrast {
        /// The blend factor; 1 keeps the image, 0 gives flat gray.
        factor: f32,
    },
    /// BT.601 gray; alpha kept.
    Grayscale,
    /// Gray, then `max_value` above `threshold` and 0 elsewhere.
    Threshold {
        /// Gray levels above this become `max_value`.
        threshold: u8,
        /// The level of samples above the threshold.
        max_value: u8,
    },
    /// Each colour channel's histogram spread over 0..=255.
    Equalize,
    /// Median of a window, border repeated.
    Median {
        /// Window width in pixels (odd).
        width: u32,
        /// Window height in pixels (odd).
        height: u32,
    },
    /// Mean of a window, border mirrored.
    Mean {
        /// Window width in pixels.
        width: u32,
        /// Window height in pixels.
        height: u32,
    },
    /// Gaussian blur with a square kernel.
    Gaussian {
        /// Kernel side in pixels (odd).
        size: u32,
        /// Standard deviation in pixels; 0 derives it from `size`.
        sigma: f32,
    },
    /// 3x3 sharpening.
    Sharpen {
        /// Strength; 0 keeps the image.
        amount: f32,
    },
    /// Canny edges of the gray image, white on black.
    Edges {
        /// Lower hysteresis threshold on the gradient magnitude.
        low: f32,
        /// Upper hysteresis threshold on the gradient magnitude.
        high: f32,
    },
    /// Gaussian noise added to every colour sample.
    Noise {
        /// Standard deviation, in sample levels.
        sigma: f32,
        /// The same seed gives the same noise.
        seed: u64,
    },
}

impl Operation {
    /// This operation's output for `image` (a new image; `image` is left as it is).
    pub fn apply(&self, image: &Image) -> Image {
        match *self {
            Operation::FlipVertical => geometry::flip_vertical(image),
            Operation::FlipHorizontal => geometry::flip_horizontal(image),
            Operation::Rotate { degrees } => geometry::rotate(image, degrees),
            Operation::Resize { width, height } => geometry::resize(image, width, height),
            Operation::Crop { width, height } => geometry::crop_center(image, width, height),
            Operation::Brightness { factor } => tone::brightness(image, factor),
            Operation::Contrast { factor } => tone::contrast(image, factor),
            Operation::Grayscale => tone::grayscale(image),
            Operation::Threshold { threshold, max_value } => tone::threshold(image, threshold, max_value),
            Operation::Equalize => tone::equalize(image),
            Operation::Median { width, height } => filters::median(image, width, height),
            Operation::Mean { width, height } => filters::mean(image, width, height),
            Operation::Gaussian { size, sigma } => filters::gaussian(image, size, sigma),
            Operation::Sharpen { amount } => filters::sharpen(image, amount),
            Operation::Edges { low, high } => edges::canny(image, low, high),
            Operation::Noise { sigma, seed } => noise::gaussian_noise(image, sigma, seed),
        }
    }
}
