//! The kernels. Each takes an image and returns a new one; none allocates more than
//! its output and a few rows of scratch.

pub mod edges;
pub mod filters;
pub mod geometry;
pub mod noise;
pub mod tone;

use crate::image::Image;

/// One configured operation, its values already checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    FlipVertical,
    FlipHorizontal,
    /// Degrees, counter-clockwise, about the centre; same canvas, black outside.
    Rotate {
        degrees: f32,
    },
    Resize {
        width: u32,
        height: u32,
    },
    /// A centred crop; a side larger than the image keeps the image's.
    Crop {
        width: u32,
        height: u32,
    },
    Brightness {
        factor: f32,
    },
    Contrast {
        factor: f32,
    },
    Grayscale,
    Threshold {
        threshold: u8,
        max_value: u8,
    },
    Equalize,
    Median {
        width: u32,
        height: u32,
    },
    Mean {
        width: u32,
        height: u32,
    },
    Gaussian {
        size: u32,
        sigma: f32,
    },
    Sharpen {
        amount: f32,
    },
    Edges {
        low: f32,
        high: f32,
    },
    Noise {
        sigma: f32,
        seed: u64,
    },
}

impl Operation {
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
