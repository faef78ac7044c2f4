//! Histogram equalisation, per colour channel, as `cv2.equalizeHist`.

use super::lut::{identity_lut, per_channel_luts};
use super::{saturate_round, with_samples};
use crate::image::Image;
use crate::simd::simd_kernel;

/// Each colour channel equalised on its own exactly like OpenCV's `cv2.equalizeHist`;
/// alpha copied.
///
/// OpenCV: with `first` the lowest level present, `scale = 255f / (total - hist[first])`
/// in `f32`; level `first` maps to 0 and each higher level `i` to
/// `saturate(round(scale * (hist[first+1] + ... + hist[i])))`. A channel with a single
/// level is left as it is.
pub fn equalize(image: &Image) -> Image {
    let pixels = image.width as u64 * image.height as u64;
    let hists = histograms(&image.data, image.channels as usize);
    let mut luts = [identity_lut(); 4];
    for (lut, hist) in luts.iter_mut().zip(&hists).take(image.color_channels() as usize) {
        *lut = equalize_lut(hist, pixels);
    }
    with_samples(
        image,
        image.channels,
        per_channel_luts(&image.data, image.channels as usize, &luts),
    )
}

/// OpenCV's `equalizeHist` table for one channel's histogram.
fn equalize_lut(hist: &[u32; 256], total: u64) -> [u8; 256] {
    let mut lut = identity_lut();
    let Some(first) = hist.iter().position(|&n| n != 0) else {
        return lut;
    };
    let rest = total - u64::from(hist[first]);
    if rest == 0 {
        return lut;
    }
    let scale = 255.0f32 / rest as f32;
    let mut sum = 0u64;
    lut[first] = 0;
    for (out, &n) in lut.iter_mut().zip(hist).skip(first + 1) {
        sum += u64::from(n);
        *out = saturate_round(sum as f32 * scale);
    }
    lut
}

simd_kernel! {
    /// The histogram of each colour channel (alpha's is left empty).
    pub(super) fn histograms(data: &[u8], channels: usize) -> [[u32; 256]; 4] = histograms_kernel;
}

#[inline(always)]
pub(super) fn histograms_kernel(data: &[u8], channels: usize) -> [[u32; 256]; 4] {
    let mut hists = [[0u32; 256]; 4];
    match channels {
        1 => hists[0] = histograms_of::<1, 1>(data)[0],
        2 => hists[0] = histograms_of::<2, 1>(data)[0],
        3 => hists[..3].copy_from_slice(&histograms_of::<3, 3>(data)),
        _ => hists[..3].copy_from_slice(&histograms_of::<4, 3>(data)),
    }
    hists
}

/// The histograms of the first `C` samples of each `S`-sample pixel. Two sets of
/// counters take alternate pixels, so runs of one level do not wait on their own
/// increments.
#[inline(always)]
fn histograms_of<const S: usize, const C: usize>(data: &[u8]) -> [[u32; 256]; C] {
    let mut even = [[0u32; 256]; C];
    let mut odd = [[0u32; 256]; C];
    let mut pairs = data.chunks_exact(2 * S);
    for pair in &mut pairs {
        for c in 0..C {
            even[c][usize::from(pair[c])] += 1;
            odd[c][usize::from(pair[S + c])] += 1;
        }
    }
    for pixel in pairs.remainder().chunks_exact(S) {
        for c in 0..C {
            even[c][usize::from(pixel[c])] += 1;
        }
    }
    for (e, o) in even.iter_mut().zip(&odd) {
        for (a, b) in e.iter_mut().zip(o) {
            *a += b;
        }
    }
    even
}
