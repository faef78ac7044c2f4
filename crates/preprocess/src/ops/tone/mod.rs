//! Point operations: brightness, contrast, grayscale, threshold, equalisation.
//!
//! Each one reproduces one library call bit for bit (see each function), and each is
//! one or two passes of plain loops over the samples that LLVM vectorises; `simd_kernel!`
//! compiles each loop a second time for AVX2 and picks that copy at run time.

mod equalize;
mod gray;
mod lut;
mod scale;

pub use equalize::equalize;
pub use gray::{grayscale, threshold};
pub use scale::{brightness, contrast};

use crate::image::Image;

/// The same size as `image`, with `channels` and these samples.
fn with_samples(image: &Image, channels: u8, data: Vec<u8>) -> Image {
    debug_assert_eq!(
        data.len(),
        image.width as usize * image.height as usize * channels as usize
    );
    Image {
        width: image.width,
        height: image.height,
        channels,
        data,
    }
}

// The kernels of these modules are plain `for` loops over slices (no closures or
// iterator adaptors with bodies of their own: those could be left out of line, compiled
// without AVX2). Each fills a small buffer on the stack and appends it to the output, so
// the output is written once instead of being zeroed first.

/// Output samples per step of the kernels' loops.
const CHUNK: usize = 512;

/// OpenCV's `saturate_cast<uchar>(float)`: round half to even (`cvRound`), then clamp;
/// NaN gives 0.
#[inline(always)]
fn saturate_round(x: f32) -> u8 {
    x.round_ties_even().clamp(0.0, 255.0) as u8
}

#[cfg(test)]
mod tests;
